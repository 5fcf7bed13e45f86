# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan products: every term a loan is made on, in one place.

The amount, term and rate ranges bound what a loan officer may enter;
the schedule terms (frequency, interest method, grace, rounding), the
fees, the penalty policy, the eligibility rules (deposit multiplier,
arrears, guarantors, compulsory shares and savings by amount band), the
order a repayment is allocated in and the ledger accounts are the
product's.  A loan copies the terms that staff may negotiate (LOAN_TERMS)
when it is created, so a later change of the product does not move the
schedule of a loan already granted."""
from decimal import ROUND_HALF_UP, Decimal

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.modules.saccos_savings.product import _account_field
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .arrears import PENALTY_FREQUENCIES, PENALTY_METHODS
from .exceptions import LoanProductError
from .schedule import (
    DAY_COUNTS, FEE_BASES, FREQUENCIES, INTEREST_BASES, INTEREST_METHODS,
    ROUNDINGS)

__all__ = ['Product', 'ProductFee', 'PenaltyTier', 'CompulsoryBand',
    'ALLOCATION_ORDERS', 'LOAN_TERMS']

# What a repayment pays first.  The default (penalties, fees, interest,
# principal) is the common SACCO rule; the others are what Fineract calls
# its allocation strategies.
ALLOCATION_ORDERS = [
    ('penalty,fee,interest,principal', "Penalties, Fees, Interest, Principal"),
    ('interest,principal,penalty,fee', "Interest, Principal, Penalties, Fees"),
    ('principal,interest,penalty,fee', "Principal, Interest, Penalties, Fees"),
    ('fee,penalty,interest,principal', "Fees, Penalties, Interest, Principal"),
    ]
PREPAYMENTS = [
    ('reduce_term', "Reduce Term"),
    ('reduce_instalment', "Reduce Instalment"),
    ]
INTEREST_ACCOUNTING = [
    ('cash', "Cash"),
    ('accrual', "Accrual"),
    ]
FEE_TIMINGS = [
    ('disbursement', "At Disbursement"),
    ('instalment', "Per Instalment"),
    ]
FEE_COLLECTIONS = [
    ('deduct', "Deducted from the Proceeds"),
    ('first_instalment', "Charged with the First Instalment"),
    ]

# The product terms copied to a loan when it is created; staff may change
# them, within the product's ranges, until the loan is approved.
LOAN_TERMS = [
    'frequency', 'frequency_every', 'interest_method', 'interest_basis',
    'day_count', 'principal_grace', 'interest_grace', 'rounding',
    'instalment_multiple', 'allocation_order', 'prepayment',
    ]


def _positive(name, strict=False):
    return ['OR', (name, '=', None), (name, '>' if strict else '>=', 0)]


class Product(DeactivableMixin, ModelSQL, ModelView):
    "Loan Product"
    __name__ = 'saccos.loan.product'

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Short Name", required=True)
    description = fields.Text("Description")
    company = fields.Many2One('company.company', "Company", required=True)
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True,
        help="The company currency: the ledger is kept in it.")

    minimum_amount = fields.Numeric(
        "Minimum Amount", digits='currency', required=True,
        domain=[('minimum_amount', '>', 0)])
    default_amount = fields.Numeric(
        "Default Amount", digits='currency',
        domain=_positive('default_amount', True))
    maximum_amount = fields.Numeric(
        "Maximum Amount", digits='currency', required=True,
        domain=[('maximum_amount', '>=', Eval('minimum_amount', 0))])
    minimum_term = fields.Integer(
        "Minimum Instalments", required=True,
        domain=[('minimum_term', '>=', 1)])
    default_term = fields.Integer(
        "Default Instalments", domain=_positive('default_term', True))
    maximum_term = fields.Integer(
        "Maximum Instalments", required=True,
        domain=[('maximum_term', '>=', Eval('minimum_term', 1))])
    minimum_rate = fields.Numeric(
        "Minimum Rate (% a Year)", digits=(16, 4), required=True,
        domain=[('minimum_rate', '>=', 0)])
    default_rate = fields.Numeric(
        "Default Rate (% a Year)", digits=(16, 4),
        domain=_positive('default_rate'))
    maximum_rate = fields.Numeric(
        "Maximum Rate (% a Year)", digits=(16, 4), required=True,
        domain=[('maximum_rate', '>=', Eval('minimum_rate', 0))])

    frequency = fields.Selection(
        FREQUENCIES, "Repayment Frequency", required=True)
    frequency_every = fields.Integer(
        "Every", required=True, domain=[('frequency_every', '>=', 1)],
        help="Instalments fall every N periods (2 with monthly: every "
        "second month).")
    interest_method = fields.Selection(
        INTEREST_METHODS, "Interest Method", required=True)
    interest_basis = fields.Selection(
        INTEREST_BASES, "Interest Calculated", required=True,
        help="By period: each instalment's interest is the periodic rate "
        "on the balance.  By days: the days between due dates count, with "
        "the day count.")
    day_count = fields.Selection(DAY_COUNTS, "Day Count", required=True)
    principal_grace = fields.Integer(
        "Grace on Principal", required=True,
        domain=[('principal_grace', '>=', 0)],
        help="The first instalments pay interest only.")
    interest_grace = fields.Integer(
        "Grace on Interest Payment", required=True,
        domain=[('interest_grace', '>=', 0)],
        help="The interest of the first instalments is deferred to the "
        "first instalment after the grace.")
    rounding = fields.Selection(
        ROUNDINGS, "Rounding", required=True,
        help="How interest, instalments and charges are rounded to the "
        "currency.")
    instalment_multiple = fields.Numeric(
        "Instalment in Multiples Of", digits='currency',
        domain=_positive('instalment_multiple', True),
        help="The instalment (or the principal of each instalment) is "
        "rounded to a multiple of this amount; the last one takes the "
        "difference.")
    fees = fields.One2Many('saccos.loan.product.fee', 'product', "Fees")

    penalty_method = fields.Selection(
        PENALTY_METHODS, "Penalty", required=True)
    penalty_method_string = penalty_method.translated('penalty_method')
    penalty_rate = fields.Numeric(
        "Penalty Rate (%)", digits=(16, 4),
        domain=_positive('penalty_rate'),
        states={
            'invisible': ~Eval('penalty_method').in_(
                ['overdue_principal', 'overdue_total']),
            'required': Eval('penalty_method').in_(
                ['overdue_principal', 'overdue_total']),
            })
    penalty_amount = fields.Numeric(
        "Penalty per Day", digits='currency',
        domain=_positive('penalty_amount'),
        states={
            'invisible': Eval('penalty_method') != 'flat_per_day',
            'required': Eval('penalty_method') == 'flat_per_day',
            })
    penalty_tiers = fields.One2Many(
        'saccos.loan.product.penalty_tier', 'product', "Penalty Tiers",
        states={
            'invisible': Eval('penalty_method') != 'tiers',
            })
    penalty_grace_days = fields.Integer(
        "Penalty Grace Days", required=True,
        domain=[('penalty_grace_days', '>=', 0)],
        help="No penalty while an instalment is late by this many days "
        "or fewer.")
    penalty_frequency = fields.Selection(
        PENALTY_FREQUENCIES, "Penalty Frequency", required=True,
        states={
            'invisible': Eval('penalty_method').in_(
                ['none', 'flat_per_day', 'tiers']),
            },
        help="A percentage penalty is charged once per overdue "
        "instalment, or again each day, week or month it stays overdue.")
    in_duplum = fields.Boolean(
        "Cap Interest and Penalties (In Duplum)",
        help="Interest and penalties charged on a non-performing loan "
        "stop at the principal outstanding when it became non-performing.")
    non_performing_days = fields.Integer(
        "Non-Performing After (Days)", required=True,
        domain=[('non_performing_days', '>=', 1)],
        help="A loan this many days past due is non-performing.")

    deposit_multiplier = fields.Numeric(
        "Deposit Multiplier", digits=(16, 2),
        domain=_positive('deposit_multiplier', True),
        help="A member may borrow up to this many times their deposits, "
        "less the loans they owe.  Empty: no deposit rule.")
    arrears_block = fields.Boolean(
        "Arrears Block a New Loan",
        help="A member with an overdue instalment on any loan cannot be "
        "granted this product.")
    minimum_guarantors = fields.Integer(
        "Minimum Guarantors", required=True,
        domain=[('minimum_guarantors', '>=', 0)])
    maximum_guarantees = fields.Integer(
        "Maximum Loans One Member Guarantees",
        domain=_positive('maximum_guarantees', True),
        help="How many outstanding loans one member may guarantee at once.")
    cover_required = fields.Boolean(
        "Deposits and Guarantees Cover the Loan",
        help="The borrower's free deposits and the guarantees must add up "
        "to the loan amount.")
    compulsory_bands = fields.One2Many(
        'saccos.loan.product.band', 'product', "Compulsory Shares and Savings",
        help="For a loan of at least the band's amount, the member must "
        "hold the band's shares and savings before disbursement.")
    allocation_order = fields.Selection(
        ALLOCATION_ORDERS, "Repayment Allocation", required=True)
    prepayment = fields.Selection(
        PREPAYMENTS, "Prepayment", required=True,
        help="A payment beyond what is due pays principal off the last "
        "instalments (reduce term) or spreads over the instalments left "
        "(reduce instalment).")
    interest_accounting = fields.Selection(
        INTEREST_ACCOUNTING, "Interest Accounting", required=True,
        help="Cash: interest is income when paid.  Accrual: the daily "
        "job books it as it is earned, to interest receivable.")

    journal = fields.Many2One(
        'account.journal', "Journal", required=True, ondelete='RESTRICT')
    portfolio_account = _account_field(
        "Loan Portfolio Account", required=True, party_required=True,
        help="The principal members owe, per member.")
    interest_receivable_account = _account_field(
        "Interest Receivable Account", party_required=True,
        states={
            'required': Eval('interest_accounting') == 'accrual',
            })
    charges_receivable_account = _account_field(
        "Charges Receivable Account", party_required=True, required=True,
        help="Penalties charged, and fees charged with an instalment, "
        "until the member pays them.")
    interest_income_account = _account_field(
        "Interest Income Account", required=True)
    fee_income_account = _account_field("Fee Income Account", required=True)
    penalty_income_account = _account_field(
        "Penalty Income Account", required=True)
    write_off_account = _account_field(
        "Write-off Account", required=True, party_required=False,
        help="Debited with what a write-off takes off the member's "
        "balances: the loan loss provision, or an expense.")
    recovery_account = _account_field(
        "Recoveries Account", required=True,
        help="Income from money recovered on loans written off.")
    provision_account = _account_field(
        "Loan Loss Provision Account", required=True, party_required=False)
    provision_expense_account = _account_field(
        "Provision Expense Account", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.company, t.code),
                'saccos_loan.msg_product_code_unique'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_currency(cls):
        pool = Pool()
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        if company is not None and company >= 0:
            return Company(company).currency.id

    @classmethod
    def default_frequency(cls):
        return 'monthly'

    @classmethod
    def default_frequency_every(cls):
        return 1

    @classmethod
    def default_interest_method(cls):
        return 'annuity'

    @classmethod
    def default_interest_basis(cls):
        return 'period'

    @classmethod
    def default_day_count(cls):
        return '30/360'

    @classmethod
    def default_principal_grace(cls):
        return 0

    default_interest_grace = default_principal_grace
    default_minimum_guarantors = default_principal_grace
    default_penalty_grace_days = default_principal_grace

    @classmethod
    def default_rounding(cls):
        return 'half_up'

    @classmethod
    def default_penalty_method(cls):
        return 'none'

    @classmethod
    def default_penalty_frequency(cls):
        return 'once'

    @classmethod
    def default_non_performing_days(cls):
        return 90

    @classmethod
    def default_deposit_multiplier(cls):
        return Decimal(3)

    @classmethod
    def default_arrears_block(cls):
        return True

    @classmethod
    def default_allocation_order(cls):
        return ALLOCATION_ORDERS[0][0]

    @classmethod
    def default_prepayment(cls):
        return 'reduce_term'

    @classmethod
    def default_interest_accounting(cls):
        return 'cash'

    @classmethod
    def validate_fields(cls, products, field_names):
        super().validate_fields(products, field_names)
        for product in products:
            product.check_ranges()
            if product.currency != product.company.currency:
                raise LoanProductError(gettext(
                        'saccos_loan.msg_product_currency',
                        product=product.rec_name))

    def check_ranges(self):
        "Each default lies within its range"
        for name in ['amount', 'term', 'rate']:
            low = getattr(self, 'minimum_' + name)
            default = getattr(self, 'default_' + name)
            high = getattr(self, 'maximum_' + name)
            if default is not None and not (low <= default <= high):
                raise LoanProductError(gettext(
                        'saccos_loan.msg_product_default_out_of_range',
                        product=self.rec_name,
                        field=self.__class__._fields[
                            'default_' + name].string))
        if (self.principal_grace or 0) >= self.minimum_term or (
                self.interest_grace or 0) >= self.minimum_term:
            raise LoanProductError(gettext(
                    'saccos_loan.msg_product_grace', product=self.rec_name))

    def compulsory_band(self, amount):
        "The band of a loan of amount: the one with the highest floor"
        bands = [b for b in self.compulsory_bands if b.amount_from <= amount]
        if bands:
            return max(bands, key=lambda b: b.amount_from)

    def instalment_fees(self):
        "(basis, value) of each per-instalment fee, for the schedule"
        return [(f.basis, f.amount) for f in self.fees
            if f.timing == 'instalment']


class ProductFee(sequence_ordered(), ModelSQL, ModelView):
    "Loan Product Fee"
    __name__ = 'saccos.loan.product.fee'

    product = fields.Many2One(
        'saccos.loan.product', "Product", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True, translate=True)
    timing = fields.Selection(FEE_TIMINGS, "Charged", required=True)
    basis = fields.Selection(FEE_BASES, "Basis", required=True)
    amount = fields.Numeric(
        "Amount or Percentage", digits=(16, 4), required=True,
        domain=[('amount', '>=', 0)])
    collection = fields.Selection(
        FEE_COLLECTIONS, "Collected",
        states={
            'invisible': Eval('timing') != 'disbursement',
            'required': Eval('timing') == 'disbursement',
            })
    account = fields.Many2One(
        'account.account', "Income Account", ondelete='RESTRICT',
        domain=[
            ('closed', '!=', True),
            ('type', '!=', None),
            ('party_required', '=', False),
            ],
        help="Empty: the product's fee income account.")

    @classmethod
    def default_timing(cls):
        return 'disbursement'

    @classmethod
    def default_basis(cls):
        return 'flat'

    @classmethod
    def default_collection(cls):
        return 'deduct'

    def income_account(self):
        return self.account or self.product.fee_income_account


class PenaltyTier(ModelSQL, ModelView):
    "Loan Penalty Tier"
    __name__ = 'saccos.loan.product.penalty_tier'

    product = fields.Many2One(
        'saccos.loan.product', "Product", required=True, ondelete='CASCADE')
    days_from = fields.Integer(
        "Days Late From", required=True, domain=[('days_from', '>=', 1)],
        help="Charged once, when an instalment is this many days late.")
    rate = fields.Numeric(
        "Rate (% of Overdue)", digits=(16, 4),
        domain=_positive('rate'),
        states={
            'required': ~Eval('amount'),
            'readonly': Bool(Eval('amount')),
            },
        help="Of the overdue principal and interest.")
    amount = fields.Numeric(
        "Flat Amount", digits=(16, 2),
        domain=_positive('amount'),
        states={
            'required': ~Eval('rate'),
            'readonly': Bool(Eval('rate')),
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('days_from', 'ASC'))


class CompulsoryBand(ModelSQL, ModelView):
    "Loan Compulsory Shares and Savings"
    __name__ = 'saccos.loan.product.band'

    product = fields.Many2One(
        'saccos.loan.product', "Product", required=True, ondelete='CASCADE')
    amount_from = fields.Numeric(
        "Loans From", digits=(16, 2), required=True,
        domain=[('amount_from', '>=', 0)])
    shares = fields.Integer(
        "Shares Required", required=True, domain=[('shares', '>=', 0)])
    savings_rate = fields.Numeric(
        "Compulsory Savings (% of Loan)", digits=(16, 2), required=True,
        domain=[('savings_rate', '>=', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('amount_from', 'ASC'))

    def required_savings(self, amount, currency):
        return currency.round(amount * self.savings_rate / 100, ROUND_HALF_UP)
