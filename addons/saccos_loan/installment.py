# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Instalments: the stored schedule of a disbursed loan.

Each instalment keeps what it asks for (principal, interest, fee and the
penalties charged on it) and what has been paid, waived and, for accrual
products, booked as accrued interest.  These figures change only through
loan transactions, whose lines record every change, so a reversal can
undo exactly what a repayment did.  A prepayment replaces the instalments
not yet started with new ones ("superseded" rows stay, for the record)."""
from decimal import Decimal

from trytond.model import Index, ModelSQL, ModelView, fields

STATES = [
    ('open', "Open"),
    ('paid', "Paid"),
    ('superseded', "Superseded"),
    ]
# The parts of an instalment a repayment pays, by the names of the
# allocation orders of product.ALLOCATION_ORDERS.
COMPONENTS = ['principal', 'interest', 'fee', 'penalty']


class Installment(ModelSQL, ModelView):
    "Loan Instalment"
    __name__ = 'saccos.loan.installment'

    loan = fields.Many2One(
        'saccos.loan', "Loan", required=True, ondelete='CASCADE',
        readonly=True)
    number = fields.Integer("Number", required=True, readonly=True)
    start_date = fields.Date("Period Start", required=True, readonly=True)
    due_date = fields.Date("Due Date", required=True, readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_currency')
    principal = fields.Numeric(
        "Principal", digits='currency', required=True, readonly=True)
    interest = fields.Numeric(
        "Interest", digits='currency', required=True, readonly=True)
    fee = fields.Numeric("Fee", digits='currency', required=True,
        readonly=True)
    penalty = fields.Numeric(
        "Penalties Charged", digits='currency', required=True,
        readonly=True)
    principal_paid = fields.Numeric(
        "Principal Paid", digits='currency', required=True, readonly=True)
    interest_paid = fields.Numeric(
        "Interest Paid", digits='currency', required=True, readonly=True)
    fee_paid = fields.Numeric(
        "Fee Paid", digits='currency', required=True, readonly=True)
    penalty_paid = fields.Numeric(
        "Penalties Paid", digits='currency', required=True, readonly=True)
    interest_waived = fields.Numeric(
        "Interest Waived", digits='currency', required=True, readonly=True)
    fee_waived = fields.Numeric(
        "Fee Waived", digits='currency', required=True, readonly=True)
    penalty_waived = fields.Numeric(
        "Penalties Waived", digits='currency', required=True,
        readonly=True)
    interest_accrued = fields.Numeric(
        "Interest Accrued", digits='currency', required=True, readonly=True,
        help="Booked to interest receivable by the daily job (accrual "
        "products) or at payment; never less than the interest paid.")
    penalty_periods = fields.Integer(
        "Penalty Periods Charged", required=True, readonly=True)
    penalty_tiers = fields.Char(
        "Penalty Tiers Charged", readonly=True,
        help="The indexes of the product's tiers charged on it.")
    state = fields.Selection(STATES, "State", required=True, readonly=True)
    overdue = fields.Boolean(
        "Overdue", readonly=True,
        help="Marked by the daily job when it passes its due date unpaid.")
    paid_date = fields.Date("Paid On", readonly=True)
    total = fields.Function(fields.Numeric(
            "Instalment", digits='currency'), 'get_total')
    amount_due = fields.Function(fields.Numeric(
            "Still Due", digits='currency'), 'get_amount_due')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('loan')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.loan, Index.Range()), (t.number, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.due_date, Index.Range())),
                })
        cls._order = [('loan', 'ASC'), ('number', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def _zero(cls):
        return Decimal(0)

    default_penalty = default_principal_paid = default_interest_paid = _zero
    default_fee_paid = default_penalty_paid = default_interest_waived = _zero
    default_fee_waived = default_penalty_waived = _zero
    default_interest_accrued = default_fee = _zero

    @classmethod
    def default_penalty_periods(cls):
        return 0

    def get_currency(self, name):
        return self.loan.currency

    def get_total(self, name):
        return self.principal + self.interest + self.fee

    def due(self, component):
        "What the instalment still asks for component"
        paid = getattr(self, component + '_paid')
        waived = (getattr(self, component + '_waived')
            if component != 'principal' else Decimal(0))
        return getattr(self, component) - paid - waived

    def get_amount_due(self, name):
        return sum(self.due(c) for c in COMPONENTS)

    def tiers_charged(self):
        return {int(i) for i in (self.penalty_tiers or '').split(',') if i}

    @classmethod
    def from_rows(cls, loan, rows, first_number=1):
        "Unsaved instalments of the schedule rows"
        return [cls(
                loan=loan, number=first_number + i,
                start_date=row.start_date, due_date=row.due_date,
                principal=row.principal, interest=row.interest, fee=row.fee)
            for i, row in enumerate(rows)]

    @classmethod
    def update_states(cls, installments, date):
        "Open instalments with nothing left become paid, and back"
        to_paid, to_open = [], []
        for installment in installments:
            if installment.state == 'superseded':
                continue
            settled = all(installment.due(c) == 0 for c in COMPONENTS)
            if settled and installment.state == 'open':
                to_paid.append(installment)
            elif not settled and installment.state == 'paid':
                to_open.append(installment)
        if to_paid:
            cls.write(to_paid, {'state': 'paid', 'paid_date': date})
        if to_open:
            cls.write(to_open, {'state': 'open', 'paid_date': None})


class InstallmentPreview(ModelView):
    "Loan Schedule Row"
    __name__ = 'saccos.loan.schedule.row'

    number = fields.Integer("Number", readonly=True)
    due_date = fields.Date("Due Date", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency",
        readonly=True)
    principal = fields.Numeric("Principal", digits='currency', readonly=True)
    interest = fields.Numeric("Interest", digits='currency', readonly=True)
    fee = fields.Numeric("Fee", digits='currency', readonly=True)
    total = fields.Numeric("Instalment", digits='currency', readonly=True)
    balance = fields.Numeric(
        "Balance After", digits='currency', readonly=True)

    @classmethod
    def values(cls, rows, currency):
        return [{
                'number': r.number,
                'due_date': r.due_date,
                'currency': currency.id,
                'principal': r.principal,
                'interest': r.interest,
                'fee': r.fee,
                'total': r.total,
                'balance': r.balance,
                } for r in rows]
