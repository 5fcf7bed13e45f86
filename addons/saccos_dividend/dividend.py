# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Dividend runs: one per share product and period, started by hand.

A run is configured with its period (the two dates bounding the
balances), its method and options, then:

- compute (preview): one line per member with the basis, the gross
  dividend (and interest rebate), the withholding tax and the net; it
  can be recomputed until approved;
- approve: one move from the appropriation (and rebate) accounts to
  dividends payable, one payable line per member;
- post: one move from dividends payable to each member's linked savings
  account (or to share capital, capitalised into whole shares, or left
  payable to be paid out), the tax to the tax account.  A posted run is
  never posted again; a second run for an overlapping period of the
  product cannot be approved.

Methods (calculations.md section 3):

- share days: a pool (an amount, or a percentage of the period's
  profit) split in proportion to each member's share-days (daily
  balances) or share-months (monthly balances); the lines sum exactly to
  the pool (largest remainder);
- weighted (Kenyan practice): a rate on the monthly weighted share
  capital plus an interest rebate rate on the monthly weighted deposits
  of chosen savings products.

Shares a purchase brought count only if the purchase is at least the
minimum active period old at the end of the period.  Without the
inactive option, closed share accounts and members no longer active
earn nothing.

Computing and posting are set-based: the holdings are read with one
query, lines and sub-ledger rows are inserted in bulk and the moves go
through saccos_member's bulk ledger path (see bench/)."""
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from sql import Expression, Flavor, Literal
from sql.aggregate import Min, Sum
from sql.conditionals import Case
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.saccos_member.ledger import (
    bulk_post_moves, chunks, clear_cache, insert_rows, lock_move_sequences,
    lock_together, post_move, to_date)
from trytond.modules.saccos_member.money import allocate, rounder, to_decimal
from trytond.modules.saccos_savings.product import (
    DURATION_UNITS, _account_field, add_duration)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .calculation import (
    WEIGHTINGS, share_days, share_months, weighted_balance)
from .exceptions import DividendError

STATES = [
    ('draft', "Draft"),
    ('computed', "Computed"),
    ('approved', "Approved"),
    ('posted', "Posted"),
    ('cancelled', "Cancelled"),
    ]
METHODS = [
    ('share_days', "Share-Days (Average Balance)"),
    ('weighted', "Rate on Monthly Weighted Balances"),
    ]
BASES = [
    ('daily', "Daily Balances (Share-Days)"),
    ('monthly', "Monthly Balances (Share-Months)"),
    ]
DISTRIBUTIONS = [
    ('amount', "Amount"),
    ('profit', "Percentage of the Period's Profit"),
    ]
PAYOUTS = [
    ('savings', "To the Linked Savings Account"),
    ('shares', "Capitalised into Shares"),
    ('payable', "Left Payable, to Be Paid Out"),
    ]
PAID_TO = [
    ('savings', "Savings Account"),
    ('shares', "Shares"),
    ('payable', "Payable"),
    ('cash', "Paid in Cash"),
    ('bank', "Paid by Bank"),
    ('mobile_money', "Paid by Mobile Money"),
    ]
PAYMENT_MODES = [
    ('cash', "Cash"),
    ('bank', "Bank"),
    ('mobile_money', "Mobile Money"),
    ]
# What a member brings to or takes from a deposit account: the rebate's
# monthly contributions (interest, tax and dividends are not).
CONTRIBUTION_KINDS = ['deposit', 'withdrawal', 'transfer_in', 'transfer_out']


class DaysHeld(Expression):
    """Days from a date, or from start when earlier, to end, both
    counted: an integer on either backend"""
    __slots__ = ('date', 'start', 'end')

    def __init__(self, date, start, end):
        super().__init__()
        self.date, self.start, self.end = date, start, end

    def __str__(self):
        param = Flavor.get().param
        if backend.name == 'postgresql':
            return ('(CAST(%s AS DATE) - GREATEST(%s, CAST(%s AS DATE)) '
                '+ 1)' % (param, self.date, param))
        return ('CAST(julianday(%s) - julianday(MAX(%s, %s)) + 1 '
            'AS INTEGER)' % (param, self.date, param))

    @property
    def params(self):
        return (self.end,) + tuple(self.date.params) + (self.start,)


_draft = ~Eval('state').in_(['draft', 'computed'])
_share_days = Eval('method') == 'share_days'


class DividendRun(Workflow, ModelSQL, ModelView):
    "Dividend Run"
    __name__ = 'saccos.dividend.run'

    company = fields.Many2One('company.company', "Company", required=True,
        states={'readonly': _draft})
    name = fields.Char("Name", required=True, states={'readonly': _draft})
    product = fields.Many2One(
        'saccos.share.product', "Share Product", required=True,
        ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states={'readonly': _draft})
    start_date = fields.Date("From", required=True,
        domain=[('start_date', '<=', Eval('end_date', None))],
        states={'readonly': _draft},
        help="The first day whose balances count.")
    end_date = fields.Date("To", required=True,
        domain=[('end_date', '>=', Eval('start_date', None))],
        states={'readonly': _draft},
        help="The last day whose balances count.")
    method = fields.Selection(METHODS, "Method", required=True,
        states={'readonly': _draft})
    basis = fields.Selection(BASES, "Balances", required=True,
        states={
            'readonly': _draft,
            'invisible': ~_share_days,
            })
    distribution = fields.Selection(DISTRIBUTIONS, "Distribute",
        required=True,
        states={
            'readonly': _draft,
            'invisible': ~_share_days,
            })
    amount = fields.Numeric("Amount to Distribute", digits='currency',
        domain=['OR', ('amount', '=', None), ('amount', '>', 0)],
        states={
            'readonly': _draft,
            'invisible': ~_share_days | (Eval('distribution') != 'amount'),
            'required': _share_days & (Eval('distribution') == 'amount'),
            })
    profit_percentage = fields.Numeric("Percentage of Profit",
        digits=(16, 4),
        domain=['OR', ('profit_percentage', '=', None),
            [('profit_percentage', '>', 0), ('profit_percentage', '<=', 100)]],
        states={
            'readonly': _draft,
            'invisible': ~_share_days | (Eval('distribution') != 'profit'),
            'required': _share_days & (Eval('distribution') == 'profit'),
            })
    profit = fields.Numeric("Period Profit", digits='currency',
        readonly=True,
        states={
            'invisible': ~_share_days | (Eval('distribution') != 'profit'),
            },
        help="Income less expenses posted in the period, read from the "
        "ledger when the run is computed.")
    share_rate = fields.Numeric("Dividend Rate on Shares (%)",
        digits=(16, 4),
        domain=['OR', ('share_rate', '=', None), ('share_rate', '>=', 0)],
        states={
            'readonly': _draft,
            'invisible': _share_days,
            'required': ~_share_days,
            })
    rebate_rate = fields.Numeric("Interest Rebate on Deposits (%)",
        digits=(16, 4),
        domain=['OR', ('rebate_rate', '=', None), ('rebate_rate', '>=', 0)],
        states={
            'readonly': _draft,
            'invisible': _share_days,
            })
    savings_products = fields.Many2Many(
        'saccos.dividend.run-saccos.savings.product', 'run', 'product',
        "Deposit Products",
        states={
            'readonly': _draft,
            'invisible': _share_days,
            },
        help="The savings products whose deposits earn the rebate.")
    weighting = fields.Selection(WEIGHTINGS, "Monthly Weighting",
        required=True,
        states={
            'readonly': _draft,
            'invisible': _share_days,
            })
    include_inactive = fields.Boolean(
        "Include Members No Longer Active", states={'readonly': _draft})
    minimum_active_period = fields.Integer("Minimum Active Period",
        domain=['OR', ('minimum_active_period', '=', None),
            ('minimum_active_period', '>=', 0)],
        states={'readonly': _draft})
    minimum_active_unit = fields.Selection(
        [(None, "")] + DURATION_UNITS, "Minimum Active Period Unit",
        states={
            'readonly': _draft,
            'required': Eval('minimum_active_period', 0) > 0,
            })
    withholding_tax_rate = fields.Numeric("Withholding Tax (%)",
        digits=(16, 4),
        domain=['OR', ('withholding_tax_rate', '=', None),
            [('withholding_tax_rate', '>=', 0),
                ('withholding_tax_rate', '<', 100)]],
        states={'readonly': _draft})
    payout = fields.Selection(PAYOUTS, "Pay", required=True,
        states={'readonly': Eval('state') == 'posted'})
    post_date = fields.Date("Posting Date",
        states={
            'readonly': Eval('state') == 'posted',
            'required': Eval('state').in_(['approved', 'posted']),
            })
    journal = fields.Many2One('account.journal', "Journal", required=True,
        ondelete='RESTRICT', states={'readonly': _draft})
    appropriation_account = _account_field(
        "Appropriation Account", required=True,
        states={'readonly': _draft},
        help="Debited with the dividend on shares: retained earnings or "
        "the dividend appropriation account.")
    rebate_account = _account_field(
        "Interest Rebate Account",
        states={
            'readonly': _draft,
            'invisible': _share_days,
            'required': ~_share_days & (Eval('rebate_rate', 0) > 0),
            },
        help="Debited with the interest rebate on deposits.")
    payable_account = _account_field(
        "Dividends Payable Account", required=True, party_required=True,
        states={'readonly': _draft})
    tax_account = _account_field(
        "Withholding Tax Account",
        states={
            'readonly': _draft,
            'required': Eval('withholding_tax_rate', 0) > 0,
            })
    state = fields.Selection(STATES, "State", readonly=True, required=True,
        sort=False)
    computed_on = fields.Timestamp("Computed At", readonly=True)
    approval_date = fields.Date("Approved On", readonly=True)
    approved_by = fields.Many2One('res.user', "Approved By", readonly=True)
    approval_move = fields.Many2One('account.move', "Approval Move",
        readonly=True, ondelete='RESTRICT')
    post_move = fields.Many2One('account.move', "Posting Move",
        readonly=True, ondelete='RESTRICT')
    member_count = fields.Integer("Members", readonly=True)
    total_basis = fields.Numeric("Total Basis", digits=(16, 2),
        readonly=True)
    total_dividend = fields.Numeric("Dividend on Shares", digits='currency',
        readonly=True)
    total_rebate = fields.Numeric("Interest Rebate", digits='currency',
        readonly=True)
    total_gross = fields.Numeric("Gross", digits='currency', readonly=True)
    total_tax = fields.Numeric("Withholding Tax", digits='currency',
        readonly=True)
    total_net = fields.Numeric("Net", digits='currency', readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    lines = fields.One2Many('saccos.dividend.line', 'run', "Lines",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('end_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'computed'),
            ('computed', 'computed'),
            ('computed', 'draft'),
            ('computed', 'approved'),
            ('approved', 'posted'),
            ('draft', 'cancelled'),
            ('computed', 'cancelled'),
            }
        cls._buttons.update({
                'compute': {
                    'invisible': ~Eval('state').in_(['draft', 'computed']),
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'computed',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'computed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'computed']),
                    'icon': 'tryton-cancel',
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
    def default_method(cls):
        return 'share_days'

    @classmethod
    def default_basis(cls):
        return 'daily'

    @classmethod
    def default_distribution(cls):
        return 'amount'

    @classmethod
    def default_weighting(cls):
        return 'first_month_full'

    @classmethod
    def default_payout(cls):
        return 'savings'

    @classmethod
    def default_include_inactive(cls):
        return False

    @fields.depends('product')
    def on_change_product(self):
        if self.product:
            self.include_inactive = self.product.dividends_for_inactive
            self.minimum_active_period = self.product.minimum_active_period
            self.minimum_active_unit = self.product.minimum_active_unit

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @classmethod
    def check_modification(cls, mode, runs, values=None, external=False):
        super().check_modification(
            mode, runs, values=values, external=external)
        if mode == 'delete':
            for run in runs:
                if run.state not in {'draft', 'cancelled'}:
                    raise AccessError(gettext(
                            'saccos_dividend.msg_run_delete',
                            run=run.rec_name))

    @classmethod
    def copy(cls, runs, default=None):
        default = default.copy() if default is not None else {}
        for name in ['lines', 'approval_move', 'post_move', 'approval_date',
                'approved_by', 'computed_on', 'profit', 'member_count',
                'total_basis', 'total_dividend', 'total_rebate',
                'total_gross', 'total_tax', 'total_net', 'post_date']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        return super().copy(runs, default=default)

    # Workflow ---------------------------------------------------------------

    @classmethod
    @ModelView.button
    @Workflow.transition('computed')
    def compute(cls, runs):
        for run in runs:
            run.compute_lines()

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, runs):
        cls._delete_lines(runs)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, runs):
        cls._delete_lines(runs)

    @classmethod
    @ModelView.button
    def approve(cls, runs):
        for run in runs:
            run.approve_run()

    @classmethod
    @ModelView.button
    def post(cls, runs):
        for run in runs:
            run.post_run()

    @classmethod
    def _delete_lines(cls, runs):
        pool = Pool()
        Line = pool.get('saccos.dividend.line')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        for sub in chunks([r.id for r in runs]):
            cursor.execute(*line.delete(where=line.run.in_(sub)))
        cls.write(list(runs), {
                'member_count': None, 'total_basis': None,
                'total_dividend': None, 'total_rebate': None,
                'total_gross': None, 'total_tax': None, 'total_net': None,
                'profit': None, 'computed_on': None,
                })
        clear_cache(Line.__name__)

    # Computation ------------------------------------------------------------

    def _counted_until(self):
        """The last allotment date whose shares are old enough at the
        end of the period (adding a duration never moves a later date
        before an earlier one), or None without a minimum period"""
        period, unit = self.minimum_active_period, self.minimum_active_unit
        if not period:
            return None
        end = self.end_date
        date = end - relativedelta(**{unit: period})
        one = dt.timedelta(days=1)
        while add_duration(date + one, period, unit) <= end:
            date += one
        while add_duration(date, period, unit) > end:
            date -= one
        return date

    def _share_rows(self):
        """The share transactions the run reads, joined to their account
        and member, and the condition they meet: approved, of the
        product, up to the end, of accounts that earn"""
        pool = Pool()
        Line = pool.get('saccos.share.transaction')
        Account = pool.get('saccos.share.account')
        Party = pool.get('party.party')
        line = Line.__table__()
        account = Account.__table__()
        party = Party.__table__()
        where = ((line.product == self.product.id)
            & (line.state == 'approved')
            & (line.effective_date <= self.end_date)
            & (account.state.in_(['active', 'closed'])))
        if not self.include_inactive:
            where &= ((account.state == 'active')
                & (party.member_state == 'active'))
        rows = line.join(account, condition=line.account == account.id
            ).join(party, condition=account.member == party.id)
        return rows, line, account, where

    @staticmethod
    def _holding_of(holdings, member, account_id, savings, empty):
        """The holding of member in holdings, [share account, savings
        account, empty]: several accounts pay with the first one"""
        holding = holdings.get(member)
        if holding is None:
            holding = holdings[member] = [account_id, savings, empty]
        elif account_id < holding[0]:
            holding[0], holding[1] = account_id, savings
        return holding

    def _holdings(self, column, members=None):
        """Per member (of members, or all): (share account, savings
        account) of the product and the changes (date, signed column) of
        the approved share transactions up to the end, acquisitions too
        young left out"""
        rows, line, account, where = self._share_rows()
        cursor = Transaction().connection.cursor()
        if members is not None:
            where &= account.member.in_(list(members))
        cursor.execute(*rows.select(
                account.member, account.id, account.savings_account,
                line.effective_date, getattr(line, column), where=where))
        until = self._counted_until()
        holdings = {}
        # Sorting a member's few changes here costs less than having the
        # database sort a million rows.
        for member, account_id, savings, date, change in cursor.fetchall():
            date = to_date(date)
            if change > 0 and until is not None and date > until:
                continue
            self._holding_of(
                holdings, member, account_id, savings, [])[2].append(
                (date, change))
        for holding in holdings.values():
            holding[2].sort(key=lambda c: c[0])
        return dict(sorted(holdings.items()))

    def _share_days_by_sql(self):
        """Per member: (share account, savings account, share-days) summed
        by the database, which is what makes a run over 100,000 accounts
        fast; members with a redemption or transfer out are left to the
        day-by-day path (shares too young to count may not be taken from
        the counted ones), and returned apart"""
        rows, line, account, where = self._share_rows()
        cursor = Transaction().connection.cursor()
        counted = Literal(True)
        if (until := self._counted_until()) is not None:
            counted = (line.signed_shares < 0) | (line.effective_date <= until)
        days = DaysHeld(line.effective_date, self.start_date, self.end_date)
        cursor.execute(*rows.select(
                account.member, account.id, account.savings_account,
                Sum(Case((counted, line.signed_shares * days), else_=0)),
                Min(line.signed_shares),
                where=where,
                group_by=[account.member, account.id,
                    account.savings_account]))
        holdings, day_by_day = {}, set()
        for member, account_id, savings, basis, lowest in cursor.fetchall():
            if lowest < 0:
                day_by_day.add(member)
            else:
                self._holding_of(
                    holdings, member, account_id, savings, 0)[2] += int(basis)
        for member in day_by_day:
            holdings.pop(member, None)
        return holdings, day_by_day

    def _deposits(self):
        "Per member: the changes of the rebate's deposit accounts"
        pool = Pool()
        Savings = pool.get('saccos.savings.transaction')
        SavingsAccount = pool.get('saccos.savings.account')
        Party = pool.get('party.party')
        products = [p.id for p in self.savings_products]
        if not products or not self.rebate_rate:
            return {}
        line = Savings.__table__()
        account = SavingsAccount.__table__()
        party = Party.__table__()
        cursor = Transaction().connection.cursor()
        # Before the period every change makes the opening balance; in it,
        # only the member's own contributions.
        where = (account.product.in_(products)
            & (line.date <= self.end_date)
            & ((line.date < self.start_date)
                | line.kind.in_(CONTRIBUTION_KINDS)))
        if not self.include_inactive:
            where &= (account.state.in_(['active', 'inactive'])
                & (party.member_state == 'active'))
        cursor.execute(*line.join(account,
                condition=line.account == account.id
                ).join(party, condition=account.owner == party.id
                ).select(account.owner, line.date, Sum(line.signed_amount),
                where=where, group_by=[account.owner, line.date],
                order_by=[account.owner, line.date]))
        members = defaultdict(list)
        for member, date, amount in cursor:
            members[member].append((to_date(date), to_decimal(amount)))
        return members

    def period_profit(self):
        "Income less expenses posted from start to end date"
        pool = Pool()
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Account = pool.get('account.account')
        Type = pool.get('account.account.type')
        move = Move.__table__()
        line = MoveLine.__table__()
        account = Account.__table__()
        type_ = Type.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*line.join(move, condition=line.move == move.id
                ).join(account, condition=line.account == account.id
                ).join(type_, condition=account.type == type_.id
                ).select(Sum(line.credit - line.debit),
                where=(move.company == self.company.id)
                & (move.state == 'posted')
                & (move.date >= self.start_date)
                & (move.date <= self.end_date)
                & (type_.statement == 'income')))
        profit, = cursor.fetchone()
        return self.company.currency.round(to_decimal(profit))

    def compute_lines(self):
        "Replace the lines by the dividend of each member"
        pool = Pool()
        Line = pool.get('saccos.dividend.line')
        self._delete_lines([self])
        currency = self.company.currency
        round_ = rounder(currency)
        start, end = self.start_date, self.end_date
        values = {'profit': None}
        rows = []
        if self.method == 'share_days':
            if self.basis == 'daily':
                summed, day_by_day = self._share_days_by_sql()
                members = {}
                for sub in chunks(sorted(day_by_day)):
                    members.update(self._holdings('signed_shares', sub))
            else:
                summed, members = {}, self._holdings('signed_shares')
            basis_of = share_days if self.basis == 'daily' else share_months
            found = {m: (a, s, b) for m, (a, s, b) in summed.items()}
            for member, (account, savings, changes) in members.items():
                found[member] = (account, savings,
                    basis_of(changes, start, end))
            bases = [(m, a, s, b) for m, (a, s, b) in sorted(found.items())
                if b > 0]
            if self.distribution == 'profit':
                profit = self.period_profit()
                values['profit'] = profit
                pool_amount = round_(
                    max(profit, Decimal(0)) * self.profit_percentage / 100,
                    ROUND_HALF_UP)
            else:
                pool_amount = self.amount
            if bases and pool_amount > 0:
                grosses = allocate(pool_amount, [b[3] for b in bases],
                    currency)
            else:
                grosses = [Decimal(0)] * len(bases)
            for (member, account, savings, basis), gross in zip(
                    bases, grosses):
                rows.append((member, account, savings, Decimal(basis),
                        Decimal(0), gross, Decimal(0)))
        else:
            members = self._holdings('signed_amount')
            deposits = self._deposits()
            share_rate = (self.share_rate or 0) / Decimal(100)
            rebate_rate = (self.rebate_rate or 0) / Decimal(100)
            for member in sorted(set(members) | set(deposits)):
                account, savings, changes = members.get(
                    member, (None, None, []))
                share_basis = weighted_balance(
                    [(d, to_decimal(c)) for d, c in changes], start, end,
                    self.weighting)
                deposit_basis = weighted_balance(
                    deposits.get(member, []), start, end, self.weighting)
                dividend = round_(share_basis * share_rate, ROUND_HALF_UP)
                rebate = round_(deposit_basis * rebate_rate, ROUND_HALF_UP)
                if dividend > 0 or rebate > 0:
                    rows.append((member, account, savings,
                            share_basis.quantize(Decimal('0.01')),
                            deposit_basis.quantize(Decimal('0.01')),
                            max(dividend, Decimal(0)),
                            max(rebate, Decimal(0))))
        tax_rate = (self.withholding_tax_rate or 0) / Decimal(100)
        user = Transaction().user
        now = dt.datetime.now()
        totals = defaultdict(Decimal)
        lines = []
        for member, account, savings, basis, deposit_basis, dividend, \
                rebate in rows:
            gross = dividend + rebate
            tax = round_(gross * tax_rate, ROUND_HALF_UP)
            net = gross - tax
            totals['basis'] += basis
            totals['dividend'] += dividend
            totals['rebate'] += rebate
            totals['tax'] += tax
            lines.append([self.id, member, account, savings, basis,
                    deposit_basis, dividend, rebate, gross, tax, net,
                    user, now])
        insert_rows(Line._table, [
                'run', 'member', 'share_account', 'savings_account',
                'share_basis', 'deposit_basis', 'dividend', 'rebate',
                'gross', 'tax', 'net', 'create_uid', 'create_date'], lines)
        gross_total = totals['dividend'] + totals['rebate']
        values.update({
                'member_count': len(lines),
                'total_basis': totals['basis'],
                'total_dividend': totals['dividend'],
                'total_rebate': totals['rebate'],
                'total_gross': gross_total,
                'total_tax': totals['tax'],
                'total_net': gross_total - totals['tax'],
                'computed_on': now,
                })
        self.write([self], values)
        clear_cache(Line.__name__)

    # Ledger -----------------------------------------------------------------

    def _lock(self, date):
        pool = Pool()
        Product = pool.get('saccos.share.product')
        # The run row: a second approval or posting of it waits and then
        # sees the state the first one left.
        lock_together(
            lambda: self.__class__.lock([self]),
            lambda: Product.lock([self.product]),
            lambda: lock_move_sequences(self.company, [date]))
        return self.__class__(self.id)

    def approve_run(self):
        """Appropriate the gross: appropriation (and rebate) accounts to
        dividends payable, one payable line per member"""
        pool = Pool()
        Date = pool.get('ir.date')
        date = Date.today()
        run = self._lock(date)
        if run.state != 'computed':
            raise DividendError(gettext(
                    'saccos_dividend.msg_run_not_computed', run=run.rec_name))
        overlapping = self.search([
                ('id', '!=', run.id),
                ('company', '=', run.company.id),
                ('product', '=', run.product.id),
                ('state', 'in', ['approved', 'posted']),
                ('start_date', '<=', run.end_date),
                ('end_date', '>=', run.start_date),
                ], limit=1)
        if overlapping:
            raise DividendError(gettext(
                    'saccos_dividend.msg_run_overlap', run=run.rec_name,
                    other=overlapping[0].rec_name))
        if not run.member_count:
            raise DividendError(gettext(
                    'saccos_dividend.msg_run_empty', run=run.rec_name))
        description = gettext('saccos_dividend.msg_description_approval',
            run=run.rec_name)
        ledger = [{
                'account': run.appropriation_account.id,
                'debit': run.total_dividend,
                'description': description,
                }] if run.total_dividend else []
        if run.total_rebate:
            ledger.append({
                    'account': run.rebate_account.id,
                    'debit': run.total_rebate,
                    'description': description,
                    })
        payable = run.payable_account.id
        ledger.extend({
                'account': payable,
                'party': member,
                'credit': gross,
                } for member, gross in run._line_values('member', 'gross')
            if gross)
        move_id, = bulk_post_moves(run.company, run.journal, [{
                    'date': date,
                    'description': description,
                    'origin': str(run),
                    'lines': ledger,
                    }])
        self.write([run], {
                'state': 'approved',
                'approval_date': date,
                'approved_by': Transaction().user,
                'approval_move': move_id,
                'post_date': run.post_date or date,
                })

    def _line_values(self, *names):
        pool = Pool()
        Line = pool.get('saccos.dividend.line')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*line.select(
                *[getattr(line, n) for n in names],
                where=line.run == self.id, order_by=[line.id]))
        for row in cursor:
            yield tuple(to_decimal(v) if isinstance(v, (float, str))
                else v for v in row)

    def _capitalisation_room(self):
        """How many shares each member may still take (by member, and the
        default for one holding none) and the product has left to issue"""
        pool = Pool()
        ShareLine = pool.get('saccos.share.transaction')
        line = ShareLine.__table__()
        cursor = Transaction().connection.cursor()
        product = self.product
        maximum = product.member_maximum()
        cursor.execute(*line.select(line.party, Sum(line.signed_shares),
                where=(line.product == product.id)
                & line.state.in_(['approved', 'pending']),
                group_by=[line.party]))
        held = {p: int(s or 0) for p, s in cursor}
        return {
            'members': {p: max(maximum - s, 0) for p, s in held.items()},
            'member': maximum,
            'issuable': max(product.shares_to_issue - sum(held.values()), 0),
            }

    def post_run(self):
        """Pay the net to each member as the run says and the tax to the
        tax account, once"""
        pool = Pool()
        Line = pool.get('saccos.dividend.line')
        SavingsAccount = pool.get('saccos.savings.account')
        SavingsLine = pool.get('saccos.savings.transaction')
        ShareLine = pool.get('saccos.share.transaction')
        date = self.post_date
        run = self._lock(date)
        if run.state == 'posted':
            # Posted already: a second call posts nothing.
            return
        if run.state != 'approved':
            raise DividendError(gettext(
                    'saccos_dividend.msg_run_not_approved', run=run.rec_name))
        if date < run.end_date or date < run.approval_date:
            raise DividendError(gettext(
                    'saccos_dividend.msg_post_date', run=run.rec_name,
                    date=date))
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        line = Line.__table__()
        saccount = SavingsAccount.__table__()
        # The savings accounts that can take a credit on date.
        cursor.execute(*line.join(saccount,
                condition=line.savings_account == saccount.id).select(
                saccount.id, saccount.product, saccount.state,
                saccount.interest_posted_until,
                where=line.run == run.id))
        open_savings = {}
        late = 0
        for account_id, product, state, posted_until in cursor:
            if state not in {'active', 'inactive'}:
                continue
            if posted_until and to_date(posted_until) >= date:
                late += 1
                continue
            open_savings[account_id] = product
        if late:
            raise DividendError(gettext(
                    'saccos_dividend.msg_post_date_interest',
                    run=run.rec_name, date=date, count=late))
        savings_ledger = {}
        for product in {p for p in open_savings.values()}:
            savings_ledger[product] = SavingsAccount(
                [a for a, p in open_savings.items() if p == product][0]
                ).product.savings_account.id
        price = run.product.unit_price
        equity = run.product.equity_account.id
        room = run._capitalisation_room() if run.payout == 'shares' else {}
        payable = run.payable_account.id
        description = gettext('saccos_dividend.msg_description_post',
            run=run.rec_name)
        ledger, savings_rows, share_rows, paid = [], [], [], []
        total_tax = Decimal(0)
        for line_id, member, share_account, savings, tax, net in \
                run._line_values('id', 'member', 'share_account',
                    'savings_account', 'tax', 'net'):
            total_tax += tax
            to_shares = Decimal(0)
            shares = 0
            if run.payout == 'shares' and share_account and net >= price:
                # Whole shares within the member's maximum and what is
                # left to issue; the rest is paid like any dividend.
                shares = min(int(net // price),
                    room['members'].get(member, room['member']),
                    room['issuable'])
                room['issuable'] -= shares
                to_shares = shares * price
            rest = net - to_shares
            to_savings = Decimal(0)
            if (run.payout in {'savings', 'shares'} and rest
                    and savings in open_savings):
                to_savings = rest
            paid_out = tax + to_shares + to_savings
            if paid_out:
                ledger.append({
                        'account': payable, 'party': member,
                        'debit': paid_out,
                        })
            if to_shares:
                ledger.append({
                        'account': equity, 'party': member,
                        'credit': to_shares,
                        })
                share_rows.append((share_account, member, shares, to_shares))
            if to_savings:
                ledger.append({
                        'account': savings_ledger[open_savings[savings]],
                        'party': member, 'credit': to_savings,
                        })
                savings_rows.append((savings, member, to_savings))
            paid.append((line_id, 'shares' if to_shares
                    else 'savings' if to_savings else 'payable',
                    shares, to_shares + to_savings))
        if total_tax:
            ledger.append({
                    'account': run.tax_account.id, 'credit': total_tax,
                    'description': description,
                    })
        move_id = None
        if ledger:
            move_id, = bulk_post_moves(run.company, run.journal, [{
                        'date': date,
                        'description': description,
                        'origin': str(run),
                        'lines': ledger,
                        }])
        user = transaction.user
        now = dt.datetime.now()
        company_id, product_id = run.company.id, run.product.id
        end, origin = run.end_date, str(run)
        insert_rows(SavingsLine._table, [
                'company', 'account', 'party', 'kind', 'date', 'amount',
                'signed_amount', 'counter_account', 'move', 'period_end',
                'description', 'create_uid', 'create_date'],
            ([company_id, account, member, 'dividend', date, amount,
                    amount, payable, move_id, end, description,
                    user, now]
                for account, member, amount in savings_rows))
        insert_rows(ShareLine._table, [
                'company', 'account', 'product', 'party', 'kind', 'state',
                'date', 'effective_date', 'shares', 'signed_shares',
                'unit_price', 'amount', 'signed_amount', 'charge',
                'description', 'move', 'origin', 'create_uid',
                'create_date'],
            ([company_id, account, product_id, member, 'dividend',
                    'approved', date, date, shares, shares, price, value,
                    value, Decimal(0), description, move_id, origin, user,
                    now]
                for account, member, shares, value in share_rows))
        # One UPDATE per outcome (where paid, shares capitalised) and
        # chunk of lines, not one per line.
        outcomes = defaultdict(list)
        for line_id, paid_to, shares, _ in paid:
            outcomes[paid_to, shares or None].append(line_id)
        for (paid_to, shares), ids in outcomes.items():
            for chunk in chunks(ids):
                cursor.execute(*line.update(
                        [line.paid_to, line.capitalised_shares,
                            line.write_uid, line.write_date],
                        [paid_to, shares, user, CurrentTimestamp()],
                        where=line.id.in_(chunk)))
        self.write([run], {
                'state': 'posted',
                'post_move': move_id,
                })
        clear_cache(Line.__name__, SavingsLine.__name__,
            ShareLine.__name__)


class DividendRunSavingsProduct(ModelSQL):
    "Dividend Run - Deposit Product"
    __name__ = 'saccos.dividend.run-saccos.savings.product'
    run = fields.Many2One('saccos.dividend.run', "Run", required=True,
        ondelete='CASCADE')
    product = fields.Many2One('saccos.savings.product', "Product",
        required=True, ondelete='RESTRICT')


class DividendLine(ModelSQL, ModelView):
    "Dividend Line"
    __name__ = 'saccos.dividend.line'
    run = fields.Many2One('saccos.dividend.run', "Run", required=True,
        readonly=True, ondelete='CASCADE')
    member = fields.Many2One('party.party', "Member", required=True,
        readonly=True, ondelete='RESTRICT')
    share_account = fields.Many2One('saccos.share.account', "Share Account",
        readonly=True, ondelete='RESTRICT')
    savings_account = fields.Many2One('saccos.savings.account',
        "Savings Account", readonly=True, ondelete='RESTRICT')
    share_basis = fields.Numeric("Share Basis", digits=(16, 2),
        readonly=True,
        help="Share-days, share-months or the weighted share capital.")
    deposit_basis = fields.Numeric("Deposit Basis", digits=(16, 2),
        readonly=True, help="The weighted deposits.")
    dividend = fields.Numeric("Dividend", digits='currency', readonly=True)
    rebate = fields.Numeric("Interest Rebate", digits='currency',
        readonly=True)
    gross = fields.Numeric("Gross", digits='currency', readonly=True)
    tax = fields.Numeric("Withholding Tax", digits='currency',
        readonly=True)
    net = fields.Numeric("Net", digits='currency', readonly=True)
    paid_to = fields.Selection([(None, "")] + PAID_TO, "Paid To",
        readonly=True)
    capitalised_shares = fields.Integer("Shares Capitalised", readonly=True)
    paid_on = fields.Date("Paid On", readonly=True,
        help="When a dividend left payable was paid out.")
    payment_move = fields.Many2One('account.move', "Payment Move",
        readonly=True, ondelete='RESTRICT')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('run')
        cls._order = [('run', 'DESC'), ('id', 'ASC')]

    def get_currency(self, name):
        return self.run.company.currency.id

    @classmethod
    def pay(cls, lines, date, payment_mode):
        """Pay out the net of dividends left payable, in one move from
        dividends payable to the cash, bank or mobile money account"""
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        lines = list(lines)
        if not lines:
            return
        company = lines[0].run.company
        lock_together(
            lambda: cls.lock(lines),
            lambda: lock_move_sequences(company, [date]))
        lines = cls.browse([l.id for l in lines])
        for line in lines:
            if (line.paid_to != 'payable' or line.run.state != 'posted'
                    or not line.net):
                raise DividendError(gettext(
                        'saccos_dividend.msg_line_not_payable',
                        member=line.member.rec_name, run=line.run.rec_name))
            if date < line.run.post_date:
                raise DividendError(gettext(
                        'saccos_dividend.msg_payment_date',
                        run=line.run.rec_name, date=line.run.post_date))
        counter = Configuration(1).require_payment_account(
            payment_mode, company=company)
        total = sum((l.net for l in lines), Decimal(0))
        description = gettext('saccos_dividend.msg_description_payment',
            run=lines[0].run.rec_name)
        ledger = [{
                'account': l.run.payable_account,
                'party': l.member,
                'debit': l.net,
                } for l in lines]
        ledger.append({'account': counter, 'credit': total})
        move = post_move(date, lines[0].run.journal, ledger,
            description=description, company=company)
        cls.write(lines, {
                'paid_to': payment_mode,
                'paid_on': date,
                'payment_move': move.id,
                })
        return move

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if external:
            raise AccessError(gettext('saccos_dividend.msg_line_readonly'))


class SavingsTransaction(metaclass=PoolMeta):
    __name__ = 'saccos.savings.transaction'

    @classmethod
    def check_reversible(cls, transactions):
        "A dividend credit belongs to its posted run and stays with it"
        super().check_reversible(transactions)
        for transaction in transactions:
            if transaction.kind == 'dividend':
                raise DividendError(gettext(
                        'saccos_dividend.msg_dividend_reversal',
                        transaction=transaction.rec_name))


class PayStart(ModelView):
    "Pay Dividends"
    __name__ = 'saccos.dividend.pay.start'
    date = fields.Date("Date", required=True)
    payment_mode = fields.Selection(PAYMENT_MODES, "Paid By", required=True)

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_payment_mode(cls):
        return 'cash'


class Pay(Wizard):
    "Pay Dividends"
    __name__ = 'saccos.dividend.pay'
    start = StateView('saccos.dividend.pay.start',
        'saccos_dividend.pay_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Pay", 'pay', 'tryton-ok', default=True),
            ])
    pay = StateTransition()

    def transition_pay(self):
        pool = Pool()
        Line = pool.get('saccos.dividend.line')
        Line.pay(self.records, self.start.date, self.start.payment_mode)
        return 'end'
