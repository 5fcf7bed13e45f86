# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Membership fees: the joining fee charged at approval and the annual
subscription charged by a scheduled job.

A fee is charged to the member's fee receivable (member as party) against
the fee income account; a payment moves the receivable to cash, bank or
mobile money and is reconciled with the charge.  What a member owes is the
balance of the fee receivable for that party, read from the ledger."""
from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .configuration import PAYMENT_MODES
from .exceptions import FeeError

FEE_KINDS = [
    ('joining', "Joining Fee"),
    ('subscription', "Annual Subscription"),
    ]

# From this many fees posted at once (the annual charge, a mass approval)
# the moves go through the set-based ledger path; below, through the ORM.
BULK_THRESHOLD = 200


class Fee(Workflow, ModelSQL, ModelView):
    "Membership Fee"
    __name__ = 'saccos.member.fee'

    _readonly = Eval('state') != 'draft'

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': _readonly | Bool(Eval('member')),
            })
    member = fields.Many2One(
        'party.party', "Member", required=True, ondelete='RESTRICT',
        domain=[('is_member', '=', True)],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        states={
            'readonly': _readonly,
            })
    kind = fields.Selection(FEE_KINDS, "Kind", required=True,
        states={
            'readonly': _readonly,
            })
    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Subscription Year", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'readonly': _readonly,
            'required': Eval('kind') == 'subscription',
            'invisible': Eval('kind') != 'subscription',
            })
    date = fields.Date("Date", required=True,
        states={
            'readonly': _readonly,
            })
    amount = fields.Numeric(
        "Amount", digits='currency', required=True,
        domain=[('amount', '>', 0)],
        states={
            'readonly': _readonly,
            })
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    description = fields.Char("Description",
        states={
            'readonly': _readonly,
            })
    move = fields.Many2One(
        'account.move', "Charge Move", readonly=True, ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    payment_move = fields.Many2One(
        'account.move', "Payment Move", readonly=True, ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states={
            'invisible': ~Bool(Eval('payment_move')),
            })
    cancel_move = fields.Many2One(
        'account.move', "Cancellation Move", readonly=True,
        ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states={
            'invisible': ~Bool(Eval('cancel_move')),
            })
    payment_mode = fields.Selection(
        [(None, "")] + PAYMENT_MODES, "Payment Mode", readonly=True)
    payment_date = fields.Date("Payment Date", readonly=True)
    payment_reference = fields.Char("Receipt Reference", readonly=True)
    cancel_reason = fields.Text("Cancellation Reason",
        states={
            'invisible': ~Eval('state').in_(['posted', 'cancelled']),
            'readonly': Eval('state') == 'cancelled',
            })
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Owed"),
            ('paid', "Paid"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.member, Index.Range()),
                    (t.kind, Index.Equality())),
                Index(t, (t.state, Index.Equality()),
                    where=t.state.in_(['draft', 'posted'])),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls.__access__.add('member')
        cls._transitions |= {
            ('draft', 'posted'),
            # charged and paid at the counter in one move
            ('draft', 'paid'),
            ('posted', 'paid'),
            ('posted', 'cancelled'),
            }
        cls._buttons.update({
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'pay': {
                    'invisible': Eval('state') != 'posted',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'posted',
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
    def default_kind(cls):
        return 'joining'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('kind', 'company', 'date')
    def on_change_kind(self):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        FiscalYear = pool.get('account.fiscalyear')
        if not self.kind or not self.company:
            return
        config = Configuration(1)
        self.amount = self._configured_amount(config, self.kind, self.company)
        if self.kind == 'subscription' and self.date:
            self.fiscalyear = FiscalYear.find(
                self.company, date=self.date, test_state=False)

    @staticmethod
    def _configured_amount(config, kind, company):
        field = {
            'joining': 'joining_fee',
            'subscription': 'annual_subscription',
            }[kind]
        return config.get_multivalue(field, company=company.id)

    def get_rec_name(self, name):
        kind = dict(FEE_KINDS)[self.kind]
        if self.kind == 'subscription' and self.fiscalyear:
            kind = f'{kind} {self.fiscalyear.rec_name}'
        return f'{kind} - {self.member.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('member.rec_name',) + tuple(clause[1:])]

    @classmethod
    def check_modification(cls, mode, fees, values=None, external=False):
        super().check_modification(
            mode, fees, values=values, external=external)
        if mode == 'delete':
            for fee in fees:
                if fee.state != 'draft':
                    raise AccessError(gettext(
                            'saccos_member.msg_fee_delete_posted',
                            fee=fee.rec_name))
        elif mode == 'write' and external:
            # Only the workflow may change a charged fee; a correction is
            # a cancellation by reversal, never an edit.
            allowed = {'cancel_reason'}
            if set(values) - allowed:
                for fee in fees:
                    if fee.state != 'draft':
                        raise AccessError(gettext(
                                'saccos_member.msg_fee_modify_posted',
                                fee=fee.rec_name))

    @classmethod
    def validate_fields(cls, fees, field_names):
        super().validate_fields(fees, field_names)
        cls.check_unique_charge(fees)

    @classmethod
    def check_unique_charge(cls, fees):
        "A member joins once and pays one subscription a year"
        for fee in fees:
            if fee.state == 'cancelled':
                continue
            domain = [
                ('id', '!=', fee.id),
                ('member', '=', fee.member.id),
                ('company', '=', fee.company.id),
                ('kind', '=', fee.kind),
                ('state', '!=', 'cancelled'),
                ]
            if fee.kind == 'subscription':
                domain.append(('fiscalyear', '=', fee.fiscalyear.id))
            if cls.search(domain, limit=1, order=[]):
                raise FeeError(gettext(
                        'saccos_member.msg_fee_duplicate_%s' % fee.kind,
                        member=fee.member.rec_name,
                        year=fee.fiscalyear.rec_name
                        if fee.fiscalyear else ''))

    # Ledger

    @classmethod
    def _fee_accounts(cls, company, kind):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        config = Configuration(1)
        receivable = config.get_multivalue(
            'fee_receivable_account', company=company.id)
        income = config.get_multivalue(
            '%s_account' % ('joining_fee' if kind == 'joining'
                else 'subscription'),
            company=company.id)
        journal = config.get_multivalue('member_journal', company=company.id)
        if not receivable or not income or not journal:
            raise FeeError(gettext(
                    'saccos_member.msg_fee_configuration_missing',
                    company=company.rec_name))
        return journal, receivable, income

    @classmethod
    def _payment_account(cls, company, mode):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        return Configuration(1).require_payment_account(mode, company=company)

    def _charge_lines(self):
        journal, receivable, income = self._fee_accounts(
            self.company, self.kind)
        description = self.description or dict(FEE_KINDS)[self.kind]
        return journal, [{
                'account': receivable,
                'party': self.member,
                'debit': self.amount,
                'credit': Decimal(0),
                'description': description,
                'maturity_date': self.date,
                }, {
                'account': income,
                'debit': Decimal(0),
                'credit': self.amount,
                'description': description,
                }]

    def _payment_lines(self, mode):
        _, receivable, _ = self._fee_accounts(self.company, self.kind)
        payment = self._payment_account(self.company, mode)
        description = self.description or dict(FEE_KINDS)[self.kind]
        return [{
                'account': payment,
                'debit': self.amount,
                'credit': Decimal(0),
                'description': description,
                }, {
                'account': receivable,
                'party': self.member,
                'debit': Decimal(0),
                'credit': self.amount,
                'description': description,
                }]

    def _receivable_lines(self, *moves):
        _, receivable, _ = self._fee_accounts(self.company, self.kind)
        return [l for m in moves if m for l in m.lines
            if l.account == receivable and l.party == self.member
            and not l.reconciliation]

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, fees, payment_mode=None, payment_reference=None):
        """Charge the fees; with a payment mode they are paid at once
        and the charge and the receipt share one move"""
        from .ledger import post_move
        pool = Pool()
        Line = pool.get('account.move.line')
        if len(fees) >= BULK_THRESHOLD:
            cls._post_bulk(fees, payment_mode, payment_reference)
            return
        for fee in fees:
            journal, lines = fee._charge_lines()
            if payment_mode:
                lines += fee._payment_lines(payment_mode)
            move = post_move(
                fee.date, journal, lines,
                description=fee.rec_name, origin=fee, company=fee.company)
            fee.move = move
            if payment_mode:
                Line.reconcile(fee._receivable_lines(move))
                fee.payment_mode = payment_mode
                fee.payment_date = fee.date
                fee.payment_reference = payment_reference
                fee.payment_move = move
        cls.save(fees)
        if payment_mode:
            cls._paid(fees)

    @classmethod
    @Workflow.transition('paid')
    def _paid(cls, fees):
        pass

    @classmethod
    @ModelView.button_action('saccos_member.wizard_fee_pay')
    def pay(cls, fees):
        pass

    @classmethod
    def record_payment(cls, fees, mode, date, reference=None):
        "Receive the payment of owed fees in one move"
        from .ledger import post_move
        pool = Pool()
        Line = pool.get('account.move.line')
        Date = pool.get('ir.date')
        if date > Date.today():
            raise FeeError(gettext('saccos_member.msg_fee_payment_future'))
        by_company = defaultdict(list)
        for fee in fees:
            if fee.state != 'posted':
                raise FeeError(gettext(
                        'saccos_member.msg_fee_not_owed', fee=fee.rec_name))
            by_company[fee.company].append(fee)
        for company, company_fees in by_company.items():
            journal, _, _ = cls._fee_accounts(company, company_fees[0].kind)
            lines = []
            for fee in company_fees:
                lines += fee._payment_lines(mode)
            move = post_move(
                date, journal, lines,
                description=', '.join(f.rec_name for f in company_fees),
                origin=company_fees[0] if len(company_fees) == 1 else None,
                company=company)
            # The receipt carries one line per fee; a member's charges
            # and receipts balance together, fee by fee they may not.
            by_member = defaultdict(list)
            for fee in company_fees:
                by_member[fee.member].append(fee)
            for member_fees in by_member.values():
                Line.reconcile(sum((
                            f._receivable_lines(f.move) for f in member_fees),
                        member_fees[0]._receivable_lines(move)))
            for fee in company_fees:
                fee.payment_move = move
                fee.payment_mode = mode
                fee.payment_date = date
                fee.payment_reference = reference
        cls.save(fees)
        cls._paid(fees)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, fees):
        "Waive an owed fee by reversing its charge"
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        for fee in fees:
            if not (fee.cancel_reason or '').strip():
                raise FeeError(gettext(
                        'saccos_member.msg_fee_cancel_reason',
                        fee=fee.rec_name))
            reversal = fee.move.cancel(reversal=True)
            Move.post([reversal])
            Line.reconcile(fee._receivable_lines(fee.move, reversal))
            fee.cancel_move = reversal
        cls.save(fees)

    # Annual subscription

    @classmethod
    def charge_annual_subscriptions(cls, date=None):
        """Charge the subscription of the fiscal year of date to every
        active member who has not been charged for it; running it again
        for the same year charges nobody twice"""
        pool = Pool()
        Date = pool.get('ir.date')
        Company = pool.get('company.company')
        context = Transaction().context
        if date is None:
            date = Date.today()
        if context.get('company'):
            companies = [Company(context['company'])]
        else:
            companies = Company.search([])
        fees = []
        for company in companies:
            with Transaction().set_context(company=company.id):
                fees += cls._charge_subscriptions(company, date)
                cls.lapse_unpaid_subscriptions(date, company)
        return fees

    @classmethod
    def _charge_subscriptions(cls, company, date):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        FiscalYear = pool.get('account.fiscalyear')
        Party = pool.get('party.party')
        amount = Configuration(1).get_multivalue(
            'annual_subscription', company=company.id)
        if not amount:
            return []
        fiscalyear = FiscalYear.find(company, date=date)
        # Serialise concurrent runs: the second one sees the first's fees.
        cls.lock()
        charged = {f.member.id for f in cls.search([
                    ('company', '=', company.id),
                    ('kind', '=', 'subscription'),
                    ('fiscalyear', '=', fiscalyear.id),
                    ('state', '!=', 'cancelled'),
                    ])}
        members = [m for m in Party.search([
                    ('is_member', '=', True),
                    ('member_state', '=', 'active'),
                    ('joining_date', '<=', date),
                    ], order=[('id', 'ASC')])
            if m.id not in charged]
        if not members:
            return []
        description = gettext(
            'saccos_member.msg_fee_subscription_description',
            year=fiscalyear.rec_name)
        fees = cls.create([{
                    'company': company.id,
                    'member': m.id,
                    'kind': 'subscription',
                    'fiscalyear': fiscalyear.id,
                    'date': date,
                    'amount': amount,
                    'description': description,
                    } for m in members])
        cls.post(fees)
        return fees

    @classmethod
    def _post_bulk(cls, fees, payment_mode=None, payment_reference=None):
        """Post fees set-wise: one move per fee inserted by
        bulk_post_moves, the fees linked by SQL and, when paid at once,
        the charge and receipt reconciled by bulk_reconcile"""
        from .ledger import bulk_post_moves, bulk_reconcile
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        by_key = defaultdict(list)
        for fee in fees:
            by_key[fee.company, fee.kind].append(fee)
        for (company, kind), key_fees in by_key.items():
            journal, receivable, income = cls._fee_accounts(company, kind)
            payment = (cls._payment_account(company, payment_mode)
                if payment_mode else None)
            moves = []
            for fee in key_fees:
                description = fee.description or dict(FEE_KINDS)[kind]
                lines = [{
                        'account': receivable, 'party': fee.member,
                        'debit': fee.amount, 'credit': Decimal(0),
                        'description': description,
                        'maturity_date': fee.date,
                        }, {
                        'account': income,
                        'debit': Decimal(0), 'credit': fee.amount,
                        'description': description,
                        }]
                if payment:
                    lines += [{
                            'account': payment,
                            'debit': fee.amount, 'credit': Decimal(0),
                            'description': description,
                            }, {
                            'account': receivable, 'party': fee.member,
                            'debit': Decimal(0), 'credit': fee.amount,
                            'description': description,
                            }]
                moves.append({
                        'date': fee.date,
                        'description': fee.rec_name,
                        'origin': str(fee),
                        'lines': lines,
                        })
            move_ids = bulk_post_moves(company, journal, moves)
            for fee, move_id in zip(key_fees, move_ids):
                columns = [table.move, table.state]
                values = [move_id, 'paid' if payment else 'posted']
                if payment:
                    columns += [table.payment_move, table.payment_mode,
                        table.payment_date, table.payment_reference]
                    values += [move_id, payment_mode, fee.date,
                        payment_reference]
                cursor.execute(*table.update(
                        columns, values, where=table.id == fee.id))
            if payment:
                bulk_reconcile(company, receivable, move_ids)
        cls._update_cache(fees)

    @classmethod
    def _update_cache(cls, fees):
        Transaction().counter += 1
        for cache in Transaction().cache.values():
            if cls.__name__ in cache:
                for fee in fees:
                    cache[cls.__name__].pop(fee.id, None)

    @classmethod
    def lapse_unpaid_subscriptions(cls, date, company):
        """Mark inactive the members whose subscription has been owed for
        longer than the configured number of months"""
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        Party = pool.get('party.party')
        months = Configuration(1).get_multivalue(
            'subscription_lapse_months', company=company.id)
        if not months:
            return []
        limit = date - relativedelta(months=months)
        fees = cls.search([
                ('company', '=', company.id),
                ('kind', '=', 'subscription'),
                ('state', '=', 'posted'),
                ('date', '<=', limit),
                ('member.member_state', '=', 'active'),
                ])
        members = sorted({f.member for f in fees}, key=lambda m: m.id)
        if members:
            reason = gettext(
                'saccos_member.msg_fee_subscription_lapsed', months=months)
            Party.write(members, {
                    'status_reason': reason,
                    'status_date': date,
                    })
            Party.deactivate(members)
        return members


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    member_fees = fields.One2Many(
        'saccos.member.fee', 'member', "Membership Fees", readonly=True,
        states={
            'invisible': ~Eval('is_member'),
            })
    joining_fee_payment = fields.Selection(
        [(None, "Owed")] + PAYMENT_MODES, "Joining Fee Paid By",
        states={
            'invisible': Eval('member_state') != 'applicant',
            },
        help="How the applicant pays the joining fee charged at approval; "
        "leave empty to record it as owed.")
    joining_fee_reference = fields.Char(
        "Joining Fee Receipt",
        states={
            'invisible': ((Eval('member_state') != 'applicant')
                | ~Eval('joining_fee_payment')),
            })
    fees_owed = fields.Function(fields.Numeric(
            "Fees Owed", digits=(16, 2),
            states={
                'invisible': ~Eval('is_member'),
                },
            help="The balance of the member's fee receivable in the "
            "ledger: fees charged and not yet paid."),
        'get_fee_balances')
    fees_paid = fields.Function(fields.Numeric(
            "Fees Paid", digits=(16, 2),
            states={
                'invisible': ~Eval('is_member'),
                }),
        'get_fee_balances')

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('member_fees', None)
        return super().copy(parties, default=default)

    @classmethod
    def get_fee_balances(cls, parties, names):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Fee = pool.get('saccos.member.fee')
        line = Line.__table__()
        move = Move.__table__()
        fee = Fee.__table__()
        cursor = Transaction().connection.cursor()
        company_id = Transaction().context.get('company')
        if not company_id:
            return {n: {p.id: None for p in parties} for n in names}
        config = Configuration(1)
        receivable = config.get_multivalue(
            'fee_receivable_account', company=company_id)
        currency = pool.get('company.company')(company_id).currency
        zero = currency.round(Decimal(0))
        result = {n: {p.id: zero for p in parties} for n in names}
        ids = [p.id for p in parties]
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS // 2):
            if 'fees_owed' in names and receivable:
                cursor.execute(*line.join(move,
                        condition=line.move == move.id
                        ).select(line.party,
                        Sum(Coalesce(line.debit, 0)
                            - Coalesce(line.credit, 0)),
                        where=fields.SQL_OPERATORS['in'](line.party, sub_ids)
                        & (line.account == receivable.id)
                        & (move.state == 'posted'),
                        group_by=line.party))
                for party_id, balance in cursor:
                    # SQLite sums NUMERIC as float
                    result['fees_owed'][party_id] = currency.round(
                        Decimal(str(balance or 0)))
            if 'fees_paid' in names:
                cursor.execute(*fee.select(fee.member, Sum(fee.amount),
                        where=fields.SQL_OPERATORS['in'](fee.member, sub_ids)
                        & (fee.state == 'paid')
                        & (fee.company == company_id),
                        group_by=fee.member))
                for party_id, amount in cursor:
                    result['fees_paid'][party_id] = currency.round(
                        Decimal(str(amount or 0)))
        return result

    @classmethod
    def _member_transitioned(cls, parties, state):
        pool = Pool()
        Fee = pool.get('saccos.member.fee')
        Configuration = pool.get('saccos.configuration')
        Date = pool.get('ir.date')
        Company = pool.get('company.company')
        super()._member_transitioned(parties, state)
        company_id = Transaction().context.get('company')
        if state != 'active' or not company_id:
            return
        company = Company(company_id)
        amount = Configuration(1).get_multivalue(
            'joining_fee', company=company.id)
        applicants = [p for p in parties if p.member_state == 'applicant']
        if not amount or not applicants:
            return
        today = Date.today()
        by_mode = defaultdict(list)
        for party in applicants:
            by_mode[party.joining_fee_payment, party.joining_fee_reference
                ].append(Fee(
                    company=company,
                    member=party,
                    kind='joining',
                    date=party.status_date or today,
                    amount=amount))
        for (mode, reference), fees in by_mode.items():
            Fee.save(fees)
            Fee.post(fees, payment_mode=mode, payment_reference=reference)
        cls.write(applicants, {
                'joining_fee_payment': None,
                'joining_fee_reference': None,
                })


class ChargeSubscriptionsStart(ModelView):
    "Charge Annual Subscriptions"
    __name__ = 'saccos.member.fee.charge_subscriptions.start'

    date = fields.Date(
        "As of", required=True,
        help="The subscription of the fiscal year containing this date is "
        "charged to every active member not yet charged for it.")

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class ChargeSubscriptions(Wizard):
    "Charge Annual Subscriptions"
    __name__ = 'saccos.member.fee.charge_subscriptions'
    start = StateView(
        'saccos.member.fee.charge_subscriptions.start',
        'saccos_member.fee_charge_subscriptions_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Charge", 'charge', 'tryton-ok', default=True),
            ])
    charge = StateTransition()

    def transition_charge(self):
        pool = Pool()
        Fee = pool.get('saccos.member.fee')
        Fee.charge_annual_subscriptions(self.start.date)
        return 'end'


class PayFeeStart(ModelView):
    "Pay Membership Fee"
    __name__ = 'saccos.member.fee.pay.start'

    payment_mode = fields.Selection(
        PAYMENT_MODES, "Payment Mode", required=True)
    date = fields.Date("Date", required=True)
    reference = fields.Char("Receipt Reference")
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_payment_mode(cls):
        return 'cash'


class PayFee(Wizard):
    "Pay Membership Fee"
    __name__ = 'saccos.member.fee.pay'
    start = StateView(
        'saccos.member.fee.pay.start',
        'saccos_member.fee_pay_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Pay", 'pay', 'tryton-ok', default=True),
            ])
    pay = StateTransition()

    def default_start(self, fields):
        owed = [f for f in self.records if f.state == 'posted']
        return {
            'amount': sum((f.amount for f in owed), Decimal(0)),
            }

    def transition_pay(self):
        pool = Pool()
        Fee = pool.get('saccos.member.fee')
        owed = [f for f in self.records if f.state == 'posted']
        if owed:
            Fee.record_payment(
                owed, self.start.payment_mode, self.start.date,
                self.start.reference)
        return 'end'


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['saccos.member.fee']
