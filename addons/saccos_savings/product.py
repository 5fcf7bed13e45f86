# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Savings products: the rules an account inherits.

The terms the specification lets staff change per account (rate,
deposit amount, minimum balance, maximum withdrawal, lock-in) are copied
to the account when it is opened; the others are read from the product."""
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP

from dateutil.relativedelta import relativedelta

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .exceptions import ProductError

DEPOSIT_TYPES = [
    ('voluntary', "Voluntary"),
    ('mandatory', "Mandatory"),
    ]
DEPOSIT_FREQUENCIES = [
    ('weekly', "Weekly"),
    ('monthly', "Monthly"),
    ('meeting', "Per Group Meeting"),
    ]
INTEREST_METHODS = [
    ('daily_balance', "Daily Balance"),
    ('average_daily_balance', "Average Daily Balance"),
    ('minimum_monthly_balance', "Minimum Monthly Balance"),
    ]
COMPOUNDING_PERIODS = [
    ('daily', "Daily"),
    ('monthly', "Monthly"),
    ('quarterly', "Quarterly"),
    ('semi_annual', "Semi-Annual"),
    ('annual', "Annual"),
    ]
POSTING_PERIODS = COMPOUNDING_PERIODS[1:]
ROUNDINGS = [
    ('half_up', "Half Up"),
    ('half_even', "Half Even (Banker's)"),
    ('down', "Down"),
    ]
ROUNDING_MODES = {
    'half_up': ROUND_HALF_UP,
    'half_even': ROUND_HALF_EVEN,
    'down': ROUND_DOWN,
    }
DURATION_UNITS = [
    ('days', "Days"),
    ('weeks', "Weeks"),
    ('months', "Months"),
    ('years', "Years"),
    ]


def add_duration(date, number, unit):
    "date moved by number of unit (days, weeks, months or years)"
    if not number or not unit:
        return date
    return date + relativedelta(**{unit: number})


def _account_field(string, help=None, party_required=None, **kwargs):
    domain = [
        ('company', '=', Eval('company', -1)),
        ('closed', '!=', True),
        ('type', '!=', None),
        ]
    if party_required is not None:
        domain.append(('party_required', '=', party_required))
    if help:
        kwargs['help'] = help
    return fields.Many2One(
        'account.account', string, ondelete='RESTRICT', domain=domain,
        **kwargs)


class Product(DeactivableMixin, ModelSQL, ModelView):
    "Savings Product"
    __name__ = 'saccos.savings.product'

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Short Name", required=True)
    description = fields.Text("Description")
    company = fields.Many2One('company.company', "Company", required=True)
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True,
        help="The company currency: the ledger is kept in it.")
    deposit_type = fields.Selection(
        DEPOSIT_TYPES, "Deposits", required=True,
        help="Mandatory deposits are due every period and unpaid amounts "
        "carry over; voluntary deposits are a recommendation.")
    deposit_amount = fields.Numeric(
        "Deposit Amount", digits='currency',
        domain=['OR', ('deposit_amount', '=', None),
            ('deposit_amount', '>=', 0)],
        states={
            'required': Eval('deposit_type') == 'mandatory',
            },
        help="The mandatory or recommended deposit for each period.")
    deposit_frequency = fields.Selection(
        DEPOSIT_FREQUENCIES, "Deposit Frequency", required=True)
    deposit_per_group_member = fields.Boolean(
        "Amount per Group Member",
        help="For a group account, the deposit amount is due for each "
        "current member of the group.")
    interest_rate = fields.Numeric(
        "Interest Rate (% a Year)", digits=(16, 4), required=True,
        domain=[('interest_rate', '>=', 0)])
    interest_method = fields.Selection(
        INTEREST_METHODS, "Interest Calculation", required=True)
    interest_compounding = fields.Selection(
        COMPOUNDING_PERIODS, "Interest Compounding", required=True,
        help="How often earned interest starts to earn interest itself, "
        "within a posting period.")
    interest_posting = fields.Selection(
        POSTING_PERIODS, "Interest Posting", required=True,
        help="Interest is posted to the accounts at the end of each "
        "calendar period of this length.")
    days_in_year = fields.Selection([
            ('360', "360 Days"),
            ('365', "365 Days"),
            ], "Days in Year", required=True)
    interest_rounding = fields.Selection(
        ROUNDINGS, "Interest Rounding", required=True,
        help="How the interest of a posting period is rounded to the "
        "currency, once, when it is posted.")
    minimum_balance_interest = fields.Numeric(
        "Minimum Balance for Interest", digits='currency',
        help="No interest for a day (daily balance) or a period (average "
        "and monthly methods) below this balance.")
    minimum_opening_balance = fields.Numeric(
        "Minimum Opening Balance", digits='currency',
        help="The first deposit must be at least this amount.")
    minimum_balance = fields.Numeric(
        "Minimum Balance", digits='currency',
        domain=['OR', ('minimum_balance', '=', None),
            ('minimum_balance', '>=', 0)])
    enforce_minimum_balance = fields.Boolean(
        "Enforce Minimum Balance",
        help="Refuse withdrawals that leave less than the minimum "
        "balance.")
    maximum_withdrawal = fields.Numeric(
        "Maximum per Withdrawal", digits='currency',
        domain=['OR', ('maximum_withdrawal', '=', None),
            ('maximum_withdrawal', '>', 0)])
    lock_in_period = fields.Integer(
        "Lock-in Period",
        domain=['OR', ('lock_in_period', '=', None),
            ('lock_in_period', '>=', 0)],
        help="No withdrawal during this time after the account is "
        "activated.")
    lock_in_unit = fields.Selection(
        [(None, "")] + DURATION_UNITS, "Lock-in Unit",
        states={
            'required': Bool(Eval('lock_in_period')),
            })
    dormancy_days = fields.Integer(
        "Dormancy Days",
        domain=['OR', ('dormancy_days', '=', None),
            ('dormancy_days', '>', 0)],
        help="An active account without a transaction for this many days "
        "becomes inactive.\nLeave empty to never mark it inactive.")
    withdrawal_fee = fields.Numeric(
        "Withdrawal Fee", digits='currency',
        domain=['OR', ('withdrawal_fee', '=', None),
            ('withdrawal_fee', '>=', 0)],
        help="Charged on each withdrawal, on top of the amount.")
    missed_deposit_penalty = fields.Numeric(
        "Missed Deposit Penalty", digits='currency',
        domain=['OR', ('missed_deposit_penalty', '=', None),
            ('missed_deposit_penalty', '>=', 0)],
        states={
            'invisible': Eval('deposit_type') != 'mandatory',
            },
        help="Charged once for each mandatory deposit missed.")
    withholding_tax_rate = fields.Numeric(
        "Withholding Tax on Interest (%)", digits=(16, 4),
        domain=['OR', ('withholding_tax_rate', '=', None),
            [('withholding_tax_rate', '>=', 0),
                ('withholding_tax_rate', '<=', 100)]])
    allow_individual = fields.Boolean("Individual Members")
    allow_group = fields.Boolean("Groups")
    non_withdrawable = fields.Boolean(
        "Non-Withdrawable",
        help="Member deposits that back loans: no withdrawal, only "
        "closure.")
    journal = fields.Many2One(
        'account.journal', "Journal", required=True, ondelete='RESTRICT')
    savings_account = _account_field(
        "Savings Account", party_required=True, required=True,
        help="The liability account of the members' balances.")
    interest_expense_account = _account_field(
        "Interest Expense Account", required=True)
    fee_income_account = _account_field(
        "Fee Income Account", required=True,
        help="Withdrawal fees and other charges.")
    penalty_income_account = _account_field(
        "Penalty Income Account",
        states={
            'required': Bool(Eval('missed_deposit_penalty')),
            })
    withholding_tax_account = _account_field(
        "Withholding Tax Account",
        states={
            'required': Bool(Eval('withholding_tax_rate')),
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.company, t.code),
                'saccos_savings.msg_product_code_unique'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('company')
    def on_change_company(self):
        if self.company:
            self.currency = self.company.currency

    @classmethod
    def default_currency(cls):
        pool = Pool()
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        if company is not None and company >= 0:
            return Company(company).currency.id

    @classmethod
    def default_deposit_type(cls):
        return 'voluntary'

    @classmethod
    def default_deposit_frequency(cls):
        return 'monthly'

    @classmethod
    def default_interest_rate(cls):
        return 0

    @classmethod
    def default_interest_method(cls):
        return 'daily_balance'

    @classmethod
    def default_interest_compounding(cls):
        return 'monthly'

    @classmethod
    def default_interest_posting(cls):
        return 'monthly'

    @classmethod
    def default_days_in_year(cls):
        return '365'

    @classmethod
    def default_interest_rounding(cls):
        return 'half_up'

    @classmethod
    def default_allow_individual(cls):
        return True

    @classmethod
    def default_allow_group(cls):
        return True

    @classmethod
    def validate_fields(cls, products, field_names):
        super().validate_fields(products, field_names)
        cls.check_currency(products, field_names)

    @classmethod
    def check_currency(cls, products, field_names=None):
        # The savings ledger lines carry no second currency: a product in
        # another currency would post amounts the ledger misreads.
        if field_names and not (field_names & {'currency', 'company'}):
            return
        for product in products:
            if product.currency != product.company.currency:
                raise ProductError(gettext(
                        'saccos_savings.msg_product_currency',
                        product=product.rec_name,
                        currency=product.currency.code,
                        company_currency=product.company.currency.code))

    def get_rec_name(self, name):
        return f'[{self.code}] {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('code', *clause[1:]),
            ('name', *clause[1:]),
            ]

    @property
    def rounding_mode(self):
        return ROUNDING_MODES[self.interest_rounding]

    def allows_owner(self, party):
        if party.member_kind == 'group':
            return bool(self.allow_group)
        return bool(self.allow_individual)


# The product terms staff may change on an account when it is opened.
ACCOUNT_TERMS = [
    'interest_rate', 'deposit_amount', 'minimum_balance',
    'maximum_withdrawal', 'lock_in_period', 'lock_in_unit',
    'withdrawal_fee',
    ]
