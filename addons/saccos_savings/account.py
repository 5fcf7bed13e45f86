# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Savings accounts: a member's or a group's balance under a product.

The balance is the sum of the account's transactions, each of which is a
posted ledger move on the product's savings account with the owner as
party, so the sub-ledger and the ledger always agree (see
reconciliation.py)."""
import datetime as dt
from decimal import Decimal

from sql import Literal
from sql.aggregate import Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.modules.saccos_member.money import to_decimal
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.rpc import RPC
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from trytond.modules.saccos_member.document import format_amount as fmt

from .exceptions import SavingsAccountError
from .product import ACCOUNT_TERMS, DURATION_UNITS, add_duration

STATES = [
    ('draft', "Partial Application"),
    ('pending', "Pending Approval"),
    ('active', "Active"),
    ('inactive', "Inactive"),
    ('cancelled', "Cancelled"),
    ('closed', "Closed"),
    ]
CANCEL_KINDS = [
    (None, ""),
    ('withdrawn', "Withdrawn by Applicant"),
    ('rejected', "Rejected"),
    ('blacklisted', "Blacklisted"),
    ('other', "Other"),
    ]
# Money moves only on these; an inactive account wakes up on a transaction.
OPEN_STATES = {'active', 'inactive'}

# Transaction kinds grouped as the balance summary shows them.
DEPOSIT_KINDS = ('deposit', 'transfer_in')
WITHDRAWAL_KINDS = ('withdrawal', 'transfer_out')
CHARGE_KINDS = ('charge', 'penalty', 'withholding_tax')


def _number(value):
    "10.0000 as 10, 12.5000 as 12.5"
    text = format(Decimal(value), 'f')
    return text.rstrip('0').rstrip('.') if '.' in text else text


def _amount(value):
    return '{:,.2f}'.format(Decimal(value))


class Account(Workflow, ModelSQL, ModelView):
    "Savings Account"
    __name__ = 'saccos.savings.account'
    _rec_name = 'number'

    _draft = Eval('state') != 'draft'

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': _draft | Bool(Eval('owner')),
            })
    number = fields.Char(
        "Number", readonly=True,
        help="Assigned from the savings account sequence at approval.")
    product = fields.Many2One(
        'saccos.savings.product', "Product", required=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft', [('active', '=', True)], []),
            ],
        states={
            'readonly': _draft,
            })
    owner = fields.Many2One(
        'party.party', "Owner", required=True, ondelete='RESTRICT',
        domain=[
            ('is_member', '=', True),
            If(Eval('state') == 'draft',
                [('member_state', '=', 'active')], []),
            ],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        states={
            'readonly': _draft,
            },
        help="The member or group that owns the account; it never "
        "changes.")
    owner_kind = fields.Function(fields.Selection(
            'get_owner_kinds', "Owner Kind"), 'on_change_with_owner_kind')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    deposit_type = fields.Function(fields.Selection(
            'get_deposit_types', "Deposits"),
        'on_change_with_deposit_type')
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    cancel_kind = fields.Selection(
        CANCEL_KINDS, "Cancellation",
        states={
            'invisible': ~Eval('state').in_(['draft', 'pending', 'cancelled']),
            'readonly': Eval('state') == 'cancelled',
            },
        help="Why the application is cancelled.")
    status_reason = fields.Char(
        "Reason for Status Change",
        states={
            'invisible': Eval('state').in_(['closed', 'cancelled']),
            },
        help="Enter the reason before you change the status; it is kept "
        "in the history.")
    status_date = fields.Date(
        "Effective Date",
        states={
            'invisible': Eval('state').in_(['closed', 'cancelled']),
            },
        help="The date the next status change takes effect "
        "(today when empty).")
    submitted_date = fields.Date("Submitted On", readonly=True)
    activation_date = fields.Date("Opened On", readonly=True)
    closing_date = fields.Date("Closed On", readonly=True)
    last_transaction_date = fields.Date(
        "Last Transaction", readonly=True,
        help="The last deposit, withdrawal or transfer: dormancy counts "
        "from it.")
    interest_posted_until = fields.Date(
        "Interest Posted Until", readonly=True)
    field_officer = fields.Many2One(
        'company.employee', "Field Officer", ondelete='RESTRICT',
        states={
            'readonly': Eval('state').in_(['closed', 'cancelled']),
            })
    external_id = fields.Char("External ID",
        states={
            'readonly': Eval('state').in_(['closed', 'cancelled']),
            })

    interest_rate = fields.Numeric(
        "Interest Rate (% a Year)", digits=(16, 4), required=True,
        domain=[('interest_rate', '>=', 0)],
        states={
            'readonly': _draft,
            })
    deposit_amount = fields.Numeric(
        "Deposit Amount", digits='currency',
        domain=['OR', ('deposit_amount', '=', None),
            ('deposit_amount', '>=', 0)],
        states={
            'readonly': _draft,
            'required': Eval('deposit_type') == 'mandatory',
            })
    minimum_balance = fields.Numeric(
        "Minimum Balance", digits='currency',
        domain=['OR', ('minimum_balance', '=', None),
            ('minimum_balance', '>=', 0)],
        states={
            'readonly': _draft,
            })
    maximum_withdrawal = fields.Numeric(
        "Maximum per Withdrawal", digits='currency',
        domain=['OR', ('maximum_withdrawal', '=', None),
            ('maximum_withdrawal', '>', 0)],
        states={
            'readonly': _draft,
            })
    lock_in_period = fields.Integer(
        "Lock-in Period",
        domain=['OR', ('lock_in_period', '=', None),
            ('lock_in_period', '>=', 0)],
        states={
            'readonly': _draft,
            })
    lock_in_unit = fields.Selection(
        [(None, "")] + DURATION_UNITS, "Lock-in Unit",
        states={
            'readonly': _draft,
            'required': Bool(Eval('lock_in_period')),
            })
    withdrawal_fee = fields.Numeric(
        "Withdrawal Fee", digits='currency',
        domain=['OR', ('withdrawal_fee', '=', None),
            ('withdrawal_fee', '>=', 0)],
        states={
            'readonly': _draft,
            })
    preview = fields.Function(fields.Text("Preview"), 'on_change_with_preview')

    balance = fields.Function(fields.Numeric(
            "Balance", digits='currency'), 'get_totals')
    total_deposits = fields.Function(fields.Numeric(
            "Total Deposits", digits='currency'), 'get_totals')
    total_withdrawals = fields.Function(fields.Numeric(
            "Total Withdrawals", digits='currency'), 'get_totals')
    total_interest = fields.Function(fields.Numeric(
            "Total Interest", digits='currency'), 'get_totals')
    total_charges = fields.Function(fields.Numeric(
            "Total Charges and Tax", digits='currency'), 'get_totals')
    on_hold = fields.Function(fields.Numeric(
            "On Hold", digits='currency'), 'get_on_hold')
    available_balance = fields.Function(fields.Numeric(
            "Available Balance", digits='currency',
            help="What can be withdrawn: the balance less holds and the "
            "enforced minimum balance."),
        'get_available_balance')

    next_due_date = fields.Function(fields.Date("Next Deposit Due"),
        'get_dues')
    next_due_amount = fields.Function(fields.Numeric(
            "Deposit Due", digits='currency'), 'get_dues')
    past_due_amount = fields.Function(fields.Numeric(
            "Past Due", digits='currency'), 'get_dues')
    total_due = fields.Function(fields.Numeric(
            "Total Due", digits='currency'), 'get_dues')
    missed_deposits = fields.Function(fields.Integer(
            "Missed Deposits"), 'get_dues')
    past_due_detail = fields.Function(fields.Text(
            "Past Due by Date"), 'get_dues')

    transactions = fields.One2Many(
        'saccos.savings.transaction', 'account', "Transactions",
        readonly=True)
    holds = fields.One2Many(
        'saccos.savings.hold', 'account', "Holds", readonly=True)
    waivers = fields.One2Many(
        'saccos.savings.due.waiver', 'account', "Waived Deposits",
        readonly=True)
    history = fields.One2Many(
        'saccos.savings.account.history', 'account', "Status History",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.company, t.number),
                'saccos_savings.msg_account_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.owner, Index.Range())),
                Index(t, (t.product, Index.Range()),
                    (t.state, Index.Equality())),
                Index(t, (t.number, Index.Equality())),
                })
        cls._order = [('number', 'ASC NULLS FIRST'), ('id', 'DESC')]
        cls.__access__.add('owner')
        # Staff re-run the dormancy check for a date (back-testing).
        cls.__rpc__.update({
                'mark_dormant': RPC(readonly=False,
                    result=lambda r: [a.id for a in r]),
                })
        cls._transitions |= {
            ('draft', 'pending'),
            ('pending', 'draft'),
            ('pending', 'active'),
            ('draft', 'cancelled'),
            ('pending', 'cancelled'),
            ('active', 'inactive'),
            ('inactive', 'active'),
            ('active', 'closed'),
            ('inactive', 'closed'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'pending',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'pending',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'pending']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'deactivate': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                'reactivate': {
                    'invisible': Eval('state') != 'inactive',
                    'depends': ['state'],
                    },
                'deposit': {
                    'invisible': ~Eval('state').in_(list(OPEN_STATES)),
                    'icon': 'tryton-add',
                    'depends': ['state'],
                    },
                'withdraw': {
                    'invisible': ~Eval('state').in_(list(OPEN_STATES)),
                    'icon': 'tryton-remove',
                    'depends': ['state'],
                    },
                'transfer': {
                    'invisible': ~Eval('state').in_(list(OPEN_STATES)),
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'charge': {
                    'invisible': ~Eval('state').in_(list(OPEN_STATES)),
                    'depends': ['state'],
                    },
                'place_hold': {
                    'invisible': ~Eval('state').in_(list(OPEN_STATES)),
                    'depends': ['state'],
                    },
                'waive': {
                    'invisible': ~Eval('state').in_(list(OPEN_STATES))
                    | (Eval('deposit_type') != 'mandatory'),
                    'depends': ['state', 'deposit_type'],
                    },
                'close': {
                    'invisible': ~Eval('state').in_(list(OPEN_STATES)),
                    'icon': 'tryton-close',
                    'depends': ['state'],
                    },
                'print_statement': {
                    'invisible': Eval('state').in_(
                        ['draft', 'pending', 'cancelled']),
                    'icon': 'tryton-print',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_interest_rate(cls):
        return Decimal(0)

    @classmethod
    def get_owner_kinds(cls):
        pool = Pool()
        Party = pool.get('party.party')
        return Party.fields_get(['member_kind'])['member_kind']['selection']

    @fields.depends('owner')
    def on_change_with_owner_kind(self, name=None):
        return self.owner.member_kind if self.owner else None

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @classmethod
    def get_deposit_types(cls):
        pool = Pool()
        Product = pool.get('saccos.savings.product')
        return Product.fields_get(['deposit_type'])['deposit_type'][
            'selection']

    @fields.depends('product')
    def on_change_with_deposit_type(self, name=None):
        return self.product.deposit_type if self.product else None

    @fields.depends('product', *ACCOUNT_TERMS)
    def on_change_product(self):
        if self.product:
            for term in ACCOUNT_TERMS:
                setattr(self, term, getattr(self.product, term))

    @fields.depends('product', 'owner', *ACCOUNT_TERMS)
    def on_change_with_preview(self, name=None):
        "What the member is told before the account is saved"
        product = self.product
        if not product:
            return None
        lines = [gettext('saccos_savings.msg_preview_product',
                product=product.rec_name,
                deposits=dict(product.fields_get(['deposit_type'])[
                        'deposit_type']['selection'])[product.deposit_type])]
        lines.append(gettext('saccos_savings.msg_preview_interest',
                rate=_number(self.interest_rate or 0),
                method=dict(product.fields_get(['interest_method'])[
                        'interest_method']['selection'])[
                    product.interest_method],
                posting=product.interest_posting))
        if self.deposit_amount:
            lines.append(gettext('saccos_savings.msg_preview_deposit',
                    amount=_amount(self.deposit_amount),
                    frequency=product.deposit_frequency))
        if product.minimum_opening_balance:
            lines.append(gettext('saccos_savings.msg_preview_opening',
                    amount=_amount(product.minimum_opening_balance)))
        if self.lock_in_period:
            lines.append(gettext('saccos_savings.msg_preview_lock_in',
                    period=self.lock_in_period, unit=self.lock_in_unit))
        if self.owner and not product.allows_owner(self.owner):
            lines.append(gettext('saccos_savings.msg_owner_not_allowed',
                    owner=self.owner.rec_name, product=product.rec_name))
        return '\n'.join(lines)

    def get_rec_name(self, name):
        number = self.number or '(%s)' % self.id
        return f'{number} {self.product.code} - {self.owner.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        if clause[1].startswith('!') or clause[1].startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number', *clause[1:]),
            ('owner.rec_name', *clause[1:]),
            ]

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Product = pool.get('saccos.savings.product')
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            if values.get('product'):
                product = Product(values['product'])
                for term in ACCOUNT_TERMS:
                    if values.get(term) is None:
                        values[term] = getattr(product, term)
        return super().create(vlist)

    @classmethod
    def check_modification(cls, mode, accounts, values=None, external=False):
        super().check_modification(
            mode, accounts, values=values, external=external)
        if mode == 'delete':
            raise AccessError(gettext(
                    'saccos_savings.msg_account_delete'))

    @classmethod
    def copy(cls, accounts, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'submitted_date', 'activation_date',
                'closing_date', 'last_transaction_date',
                'interest_posted_until', 'transactions', 'holds',
                'waivers', 'history', 'cancel_kind']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        return super().copy(accounts, default=default)

    @classmethod
    def validate_fields(cls, accounts, field_names):
        super().validate_fields(accounts, field_names)
        if field_names & {'product', 'owner'}:
            for account in accounts:
                if not account.product.allows_owner(account.owner):
                    raise SavingsAccountError(gettext(
                            'saccos_savings.msg_owner_not_allowed',
                            owner=account.owner.rec_name,
                            product=account.product.rec_name))

    # Balances ------------------------------------------------------------

    @classmethod
    def get_totals(cls, accounts, names):
        pool = Pool()
        Transaction_ = pool.get('saccos.savings.transaction')
        cursor = Transaction().connection.cursor()
        line = Transaction_.__table__()
        zero = Literal(0)

        def total(kinds, sign=1):
            return Sum(Case((line.kind.in_(list(kinds)),
                        line.signed_amount * sign), else_=zero))
        result = {n: {a.id: Decimal(0) for a in accounts} for n in names}
        columns = [line.account,
            Sum(line.signed_amount),
            total(DEPOSIT_KINDS),
            total(WITHDRAWAL_KINDS, -1),
            total(('interest',)),
            total(CHARGE_KINDS, -1)]
        date = Transaction().context.get('balance_date')
        for sub_ids in grouped_slice([a.id for a in accounts], 1000):
            where = line.account.in_(list(sub_ids))
            if date:
                where &= line.date <= date
            cursor.execute(*line.select(*columns, where=where,
                    group_by=[line.account]))
            for account_id, *values in cursor:
                for name, value in zip([
                            'balance', 'total_deposits', 'total_withdrawals',
                            'total_interest', 'total_charges'], values):
                    if name in result:
                        result[name][account_id] = to_decimal(value)
        for account in accounts:
            for name in names:
                result[name][account.id] = account.currency.round(
                    result[name][account.id])
        return result

    @classmethod
    def get_on_hold(cls, accounts, name):
        pool = Pool()
        Hold = pool.get('saccos.savings.hold')
        result = {a.id: Decimal(0) for a in accounts}
        for hold in Hold.search([
                    ('account', 'in', [a.id for a in accounts]),
                    ('state', '=', 'active'),
                    ]):
            result[hold.account.id] += hold.remaining_amount
        return {a.id: a.currency.round(result[a.id]) for a in accounts}

    def get_available_balance(self, name=None):
        available = self.balance - self.on_hold
        if self.product.enforce_minimum_balance and self.minimum_balance:
            available -= self.minimum_balance
        return max(available, Decimal(0))

    @classmethod
    def balances_at(cls, accounts, date):
        "The end-of-day balance of each account at date"
        with Transaction().set_context(balance_date=date):
            return cls.get_totals(cls.browse(accounts), ['balance'])[
                'balance']

    # Deposits due --------------------------------------------------------

    @classmethod
    def get_dues(cls, accounts, names):
        pool = Pool()
        Date = pool.get('ir.date')
        date = Transaction().context.get('dues_date') or Date.today()
        result = {n: {} for n in names}
        for account in accounts:
            schedule = account.deposit_schedule(date)
            round_ = account.currency.round
            values = {
                'next_due_date': schedule.next_date,
                'next_due_amount': round_(schedule.next_amount),
                'past_due_amount': round_(schedule.past_due),
                'total_due': round_(schedule.total_due),
                'missed_deposits': len(schedule.missed),
                'past_due_detail': '\n'.join(
                    '%s: %s' % (d, fmt(a))
                    for d, a in schedule.missed) or None,
                }
            for name in names:
                result[name][account.id] = values[name]
        return result

    def deposit_dates(self, date):
        """The due dates from activation through the first due date on or
        after date, skipping the days the account was inactive"""
        from .dues import due_dates
        if not self.activation_date or not self.deposit_amount:
            return []
        inactive = self.inactive_intervals(date)
        start = self.activation_date
        if (self.product.deposit_frequency == 'meeting'
                and self.owner.member_kind == 'group'):
            interval = self.owner.meeting_interval_days or 14
        else:
            interval = None
        end = self.closing_date or None
        return [d for d in due_dates(
                start, date, self.product.deposit_frequency, interval)
            if not any(a <= d <= b for a, b in inactive)
            and (end is None or d <= end)]

    def inactive_intervals(self, until):
        "The date intervals the account was inactive, from its history"
        intervals = []
        start = None
        for entry in sorted(self.history, key=lambda h: (h.date, h.id)):
            if entry.to_state == 'inactive':
                start = entry.date
            elif start is not None and entry.from_state == 'inactive':
                intervals.append((start, entry.date - dt.timedelta(days=1)))
                start = None
        if start is not None:
            intervals.append((start, dt.date.max))
        return intervals

    def due_amount(self):
        amount = self.deposit_amount or Decimal(0)
        if (self.product.deposit_per_group_member
                and self.owner.member_kind == 'group'):
            members = [m for m in self.owner.group_members
                if not m.end_date]
            amount *= len(members)
        return amount

    def deposit_schedule(self, date):
        from .dues import Schedule
        pool = Pool()
        Transaction_ = pool.get('saccos.savings.transaction')
        dates = self.deposit_dates(date)
        paid = []
        if dates:
            for transaction in Transaction_.search([
                        ('account', '=', self.id),
                        ('kind', 'in', DEPOSIT_KINDS),
                        ('date', '<=', max(dates[-1], date)),
                        ]):
                paid.append((transaction.date, transaction.signed_amount))
        waived = [(w.due_date, w.amount) for w in self.waivers]
        return Schedule(
            dates, self.due_amount(), paid, waived, date,
            carry_over=self.product.deposit_type == 'mandatory')

    # Status --------------------------------------------------------------

    def _log(self, to_state, date, reason=None):
        return {
            'account': self.id,
            'date': date,
            'from_state': self.state,
            'to_state': to_state,
            'reason': reason or self.status_reason,
            }

    @classmethod
    def _change_state(cls, accounts, to_state, reason=None, date=None,
            values=None):
        "Log and clear the reason; the transition writes the state"
        pool = Pool()
        History = pool.get('saccos.savings.account.history')
        Date = pool.get('ir.date')
        today = Date.today()
        History.create([a._log(
                    to_state, date or a.status_date or today, reason)
                for a in accounts])
        to_write = []
        for account in accounts:
            to_write.extend([[account], dict(
                        status_reason=None, status_date=None,
                        **(values(account) if values else {}))])
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('pending')
    def submit(cls, accounts):
        pool = Pool()
        Date = pool.get('ir.date')
        for account in accounts:
            account.check_openable()
        cls._change_state(accounts, 'pending', values=lambda a: {
                'submitted_date': a.status_date or Date.today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, accounts):
        cls._change_state(accounts, 'draft')

    def check_openable(self):
        if not self.product.active:
            raise SavingsAccountError(gettext(
                    'saccos_savings.msg_product_inactive',
                    product=self.product.rec_name))
        if self.owner.member_state != 'active':
            raise SavingsAccountError(gettext(
                    'saccos_savings.msg_owner_inactive',
                    owner=self.owner.rec_name))
        if not self.product.allows_owner(self.owner):
            raise SavingsAccountError(gettext(
                    'saccos_savings.msg_owner_not_allowed',
                    owner=self.owner.rec_name,
                    product=self.product.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def approve(cls, accounts):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        Date = pool.get('ir.date')
        config = Configuration(1)
        numbers = {}
        for account in sorted(accounts, key=lambda a: a.id):
            account.check_openable()
            if not account.number:
                sequence = config.get_multivalue(
                    'savings_account_sequence',
                    company=account.company.id)
                if not sequence:
                    raise SavingsAccountError(gettext(
                            'saccos_savings.msg_no_account_sequence'))
                numbers[account.id] = sequence.get()
        cls._change_state(accounts, 'active', values=lambda a: {
                'number': numbers.get(a.id, a.number),
                'activation_date': a.status_date or Date.today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, accounts):
        for account in accounts:
            if not account.cancel_kind:
                raise SavingsAccountError(gettext(
                        'saccos_savings.msg_cancel_kind_required',
                        account=account.rec_name))
        cls._change_state(accounts, 'cancelled')

    @classmethod
    @ModelView.button
    @Workflow.transition('inactive')
    def deactivate(cls, accounts):
        cls._change_state(accounts, 'inactive')

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def reactivate(cls, accounts):
        cls._change_state(accounts, 'active')

    @classmethod
    @Workflow.transition('closed')
    def _close(cls, accounts, date, reason=None):
        cls._change_state(accounts, 'closed', reason=reason, date=date,
            values=lambda a: {'closing_date': date})

    @classmethod
    def wake(cls, accounts, date):
        "A transaction on an inactive account makes it active again"
        dormant = [a for a in accounts if a.state == 'inactive']
        if dormant:
            for account in dormant:
                account.status_date = date
                account.status_reason = gettext(
                    'saccos_savings.msg_reason_transaction')
            cls.save(dormant)
            cls.reactivate(dormant)

    @classmethod
    def mark_dormant(cls, date=None):
        """Make inactive the active accounts without a transaction for the
        product's dormancy days (scheduled daily, re-runnable)"""
        pool = Pool()
        Date = pool.get('ir.date')
        Product = pool.get('saccos.savings.product')
        date = date or Date.today()
        dormant = []
        for product in Product.search([('dormancy_days', '!=', None)]):
            limit = date - dt.timedelta(days=product.dormancy_days)
            dormant.extend(cls.search([
                        ('product', '=', product.id),
                        ('state', '=', 'active'),
                        ['OR',
                            ('last_transaction_date', '<=', limit),
                            [('last_transaction_date', '=', None),
                                ('activation_date', '<=', limit)],
                            ],
                        ]))
        if dormant:
            reason = gettext('saccos_savings.msg_reason_dormant')
            cls.write(dormant, {'status_reason': reason, 'status_date': date})
            cls.deactivate(dormant)
        return dormant

    @classmethod
    def close_account(cls, account, date, payment_mode, reason=None):
        """Post interest to date, pay out the whole balance and close: the
        account can no longer change"""
        pool = Pool()
        InterestRun = pool.get('saccos.savings.interest.run')
        Line = pool.get('saccos.savings.transaction')
        account, = Line._lock([account], date)
        Line._check_open(account)
        Line._check_date(account, date)
        lock_in = account.lock_in_until()
        if lock_in and date < lock_in:
            raise SavingsAccountError(gettext(
                    'saccos_savings.msg_lock_in',
                    account=account.rec_name, date=lock_in))
        if account.on_hold:
            raise SavingsAccountError(gettext(
                    'saccos_savings.msg_close_on_hold',
                    account=account.rec_name, hold=fmt(account.on_hold)))
        InterestRun.post_account_interest(account, date)
        account = cls(account.id)
        balance = account.balance
        if balance < 0:
            raise SavingsAccountError(gettext(
                    'saccos_savings.msg_close_negative',
                    account=account.rec_name))
        if balance:
            Line._post([Line._new_line(
                        account, 'withdrawal', balance, date,
                        Line._payment_account(account, payment_mode),
                        payment_mode=payment_mode,
                        description=gettext(
                            'saccos_savings.msg_description_closure',
                            account=account.rec_name))])
        account = cls(account.id)
        cls._close([account], date, reason=reason or gettext(
                'saccos_savings.msg_reason_closure'))
        return account

    # Wizards ---------------------------------------------------------------

    @classmethod
    @ModelView.button_action('saccos_savings.wizard_deposit')
    def deposit(cls, accounts):
        pass

    @classmethod
    @ModelView.button_action('saccos_savings.wizard_withdraw')
    def withdraw(cls, accounts):
        pass

    @classmethod
    @ModelView.button_action('saccos_savings.wizard_transfer')
    def transfer(cls, accounts):
        pass

    @classmethod
    @ModelView.button_action('saccos_savings.wizard_charge')
    def charge(cls, accounts):
        pass

    @classmethod
    @ModelView.button_action('saccos_savings.wizard_place_hold')
    def place_hold(cls, accounts):
        pass

    @classmethod
    @ModelView.button_action('saccos_savings.wizard_waive')
    def waive(cls, accounts):
        pass

    @classmethod
    @ModelView.button_action('saccos_savings.wizard_close')
    def close(cls, accounts):
        pass

    @classmethod
    @ModelView.button_action('saccos_savings.wizard_statement')
    def print_statement(cls, accounts):
        pass

    def lock_in_until(self):
        if not self.activation_date or not self.lock_in_period:
            return None
        return add_duration(
            self.activation_date, self.lock_in_period, self.lock_in_unit)


class AccountHistory(ModelSQL, ModelView):
    "Savings Account Status History"
    __name__ = 'saccos.savings.account.history'
    account = fields.Many2One(
        'saccos.savings.account', "Account", required=True,
        ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    from_state = fields.Selection(STATES, "From", required=True)
    to_state = fields.Selection(STATES, "To", required=True)
    reason = fields.Char("Reason")
    user = fields.Function(fields.Many2One('res.user', "User"),
        'get_user')
    changed_at = fields.Function(fields.Timestamp("Changed At"),
        'get_changed_at')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('account')
        cls._order = [('id', 'DESC')]

    def get_user(self, name):
        return self.create_uid

    def get_changed_at(self, name):
        return self.create_date

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode in {'write', 'delete'}:
            raise AccessError(gettext('saccos_savings.msg_history_readonly'))


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    savings_accounts = fields.One2Many(
        'saccos.savings.account', 'owner', "Savings Accounts",
        readonly=True,
        states={
            'invisible': ~Bool(Eval('is_member')),
            })
    requested_savings_products = fields.Many2Many(
        'party.party-saccos.savings.product', 'party', 'product',
        "Savings Accounts to Open",
        domain=[('active', '=', True)],
        states={
            'invisible': ~Bool(Eval('is_member')),
            'readonly': Eval('member_state') != 'applicant',
            },
        help="Up to three savings accounts opened, pending approval, "
        "when the membership is approved.")
    meeting_interval_days = fields.Integer(
        "Meeting Every (Days)",
        domain=['OR', ('meeting_interval_days', '=', None),
            ('meeting_interval_days', '>', 0)],
        states={
            'invisible': Eval('member_kind') != 'group',
            },
        help="How often the group meets: deposits due per meeting fall "
        "due at this interval from the group's joining date.")

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        if 'requested_savings_products' in field_names:
            for party in parties:
                if len(party.requested_savings_products) > 3:
                    raise SavingsAccountError(gettext(
                            'saccos_savings.msg_too_many_requested',
                            member=party.rec_name))

    @classmethod
    def _member_transitioned(cls, members, state):
        super()._member_transitioned(members, state)
        if state == 'active':
            cls.open_requested_savings(
                [m for m in members if m.member_state == 'applicant'])

    @classmethod
    def open_requested_savings(cls, members):
        """Open the accounts asked for at registration, pending approval;
        called while the membership is being approved"""
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        History = pool.get('saccos.savings.account.history')
        Date = pool.get('ir.date')
        today = Date.today()
        to_create = []
        for member in members:
            date = member.status_date or today
            for product in member.requested_savings_products:
                to_create.append({
                        'company': product.company.id,
                        'product': product.id,
                        'owner': member.id,
                        'state': 'pending',
                        'submitted_date': date,
                        })
        if to_create:
            accounts = Account.create(to_create)
            History.create([{
                        'account': a.id,
                        'date': a.submitted_date,
                        'from_state': 'draft',
                        'to_state': 'pending',
                        'reason': gettext(
                            'saccos_savings.msg_reason_registration'),
                        } for a in accounts])


class PartyProduct(ModelSQL):
    "Member - Savings Product to Open"
    __name__ = 'party.party-saccos.savings.product'
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='CASCADE')
    product = fields.Many2One(
        'saccos.savings.product', "Product", required=True,
        ondelete='CASCADE')
