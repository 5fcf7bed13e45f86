# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loans: from the member's application to closure.

A loan is entered as a draft with the product's terms (LOAN_TERMS) copied
to it, submitted (and numbered), appraised by a loan officer (the
eligibility rules are evaluated and kept, pass or fail, on the loan),
approved by the credit committee (never by the user who entered or
appraised it, and within the approver's limit), then disbursed: the
schedule is stored as instalments and the money posted to the ledger.
Repayments, penalties, accruals, waivers and write-offs are loan
transactions (transaction.py); the loan closes itself when nothing is
left to pay.  Every change of state is logged with its date, user and
reason.

A top-up or a rescheduling is a new loan that settles the old one at
disbursement: the old loan ends closed (top-up) or rescheduled."""
from decimal import Decimal

from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.saccos_member.document import format_amount as fmt
from trytond.modules.saccos_member.money import to_decimal
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .arrears import AGEING_BUCKETS
from .exceptions import LoanError, LoanTransitionError
from .product import ALLOCATION_ORDERS, LOAN_TERMS, PREPAYMENTS
from .schedule import (
    DAY_COUNTS, FREQUENCIES, INTEREST_BASES, INTEREST_METHODS, ROUNDINGS,
    disbursement_fee, schedule, total_interest)

STATES = [
    ('draft', "Draft"),
    ('submitted', "Submitted"),
    ('appraised', "Appraised"),
    ('approved', "Approved"),
    ('active', "Disbursed (Active)"),
    ('closed', "Closed"),
    ('rejected', "Rejected"),
    ('withdrawn', "Withdrawn"),
    ('written_off', "Written Off"),
    ('rescheduled', "Rescheduled"),
    ]
KINDS = [
    ('new', "New Loan"),
    ('top_up', "Top-up"),
    ('reschedule', "Rescheduling"),
    ]
DISBURSEMENT_MODES = [
    (None, ""),
    ('savings', "To Savings"),
    ('cash', "Cash"),
    ('bank', "Bank"),
    ('mobile_money', "Mobile Money"),
    ]
RULES = [
    ('amount', "Amount, Term and Rate within the Product"),
    ('deposits', "Deposits x Multiplier less Loans Owed"),
    ('arrears', "No Arrears on Other Loans"),
    ('shares', "Compulsory Shares"),
    ('savings', "Compulsory Savings"),
    ('guarantors', "Number of Guarantors"),
    ('guarantor_capacity', "Guarantors' Free Capacity"),
    ('cover', "Deposits and Guarantees Cover the Loan"),
    ('affordability', "Affordability"),
    ]
# Rules staff may see fail and still approve the loan: the committee
# weighs them.  Every other rule blocks approval.
ADVISORY_RULES = {'affordability'}
EDITABLE = ['draft']
TERMINAL = ['closed', 'rejected', 'withdrawn', 'written_off', 'rescheduled']


class Loan(Workflow, ModelSQL, ModelView):
    "Loan"
    __name__ = 'saccos.loan'
    _rec_name = 'number'

    _readonly = Eval('state') != 'draft'
    _terms = {
        'readonly': ~Eval('state').in_(['draft', 'submitted']),
        }

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': _readonly | Bool(Eval('member')),
            })
    number = fields.Char(
        "Number", readonly=True,
        help="Assigned from the loan sequence when the loan is submitted.")
    member = fields.Many2One(
        'party.party', "Member", required=True, ondelete='RESTRICT',
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
            'readonly': _readonly,
            })
    product = fields.Many2One(
        'saccos.loan.product', "Product", required=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft', [('active', '=', True)], []),
            ],
        states={
            'readonly': _readonly,
            })
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    settles = fields.Many2One(
        'saccos.loan', "Settles", readonly=True, ondelete='RESTRICT',
        states={
            'invisible': ~Bool(Eval('settles')),
            },
        help="The loan this top-up or rescheduling pays off when it is "
        "disbursed.")
    application_date = fields.Date(
        "Application Date", required=True,
        states={
            'readonly': _readonly,
            })
    purpose = fields.Char("Purpose", states={'readonly': _readonly})
    amount = fields.Numeric(
        "Amount", digits='currency', required=True,
        domain=[('amount', '>', 0)], states=_terms)
    term = fields.Integer(
        "Instalments", required=True, domain=[('term', '>=', 1)],
        states=_terms)
    rate = fields.Numeric(
        "Rate (% a Year)", digits=(16, 4), required=True,
        domain=[('rate', '>=', 0)], states=_terms)
    frequency = fields.Selection(
        FREQUENCIES, "Repayment Frequency", required=True, states=_terms)
    frequency_string = frequency.translated('frequency')
    frequency_every = fields.Integer(
        "Every", required=True, domain=[('frequency_every', '>=', 1)],
        states=_terms)
    interest_method = fields.Selection(
        INTEREST_METHODS, "Interest Method", required=True, states=_terms)
    interest_method_string = interest_method.translated('interest_method')
    interest_basis = fields.Selection(
        INTEREST_BASES, "Interest Calculated", required=True, states=_terms)
    day_count = fields.Selection(
        DAY_COUNTS, "Day Count", required=True, states=_terms)
    principal_grace = fields.Integer(
        "Grace on Principal", required=True,
        domain=[('principal_grace', '>=', 0)], states=_terms)
    interest_grace = fields.Integer(
        "Grace on Interest Payment", required=True,
        domain=[('interest_grace', '>=', 0)], states=_terms)
    rounding = fields.Selection(
        ROUNDINGS, "Rounding", required=True, states=_terms)
    instalment_multiple = fields.Numeric(
        "Instalment in Multiples Of", digits='currency', states=_terms)
    allocation_order = fields.Selection(
        ALLOCATION_ORDERS, "Repayment Allocation", required=True,
        states=_terms)
    prepayment = fields.Selection(
        PREPAYMENTS, "Prepayment", required=True, states=_terms)
    expected_disbursement_date = fields.Date(
        "Expected Disbursement", states=_terms,
        help="The date the schedule preview starts from.")
    first_due_date = fields.Date(
        "First Due Date", states=_terms,
        domain=[If(Bool(Eval('expected_disbursement_date')),
                ('first_due_date', '>', Eval('expected_disbursement_date')),
                ())],
        help="Empty: one period after disbursement.")
    disbursement_mode = fields.Selection(
        DISBURSEMENT_MODES, "Disbursement Mode",
        states={
            'readonly': Eval('state').in_(TERMINAL + ['active']),
            })
    savings_account = fields.Many2One(
        'saccos.savings.account', "Savings Account", ondelete='RESTRICT',
        domain=[
            ('owner', '=', Eval('member', -1)),
            ('state', 'in', ['active', 'inactive']),
            ],
        states={
            'readonly': Eval('state').in_(TERMINAL),
            'required': Eval('disbursement_mode') == 'savings',
            },
        help="The member's account the loan is paid into and, when asked, "
        "repaid from.")
    net_income = fields.Numeric(
        "Net Monthly Income", digits='currency',
        domain=['OR', ('net_income', '=', None), ('net_income', '>=', 0)],
        states={'readonly': ~Eval('state').in_(['draft', 'submitted'])},
        help="For the affordability rule: the instalment and the other "
        "deductions must fit in it.")
    other_deductions = fields.Numeric(
        "Other Monthly Deductions", digits='currency',
        domain=['OR', ('other_deductions', '=', None),
            ('other_deductions', '>=', 0)],
        states={'readonly': ~Eval('state').in_(['draft', 'submitted'])})
    state = fields.Selection(STATES, "State", readonly=True, required=True,
        sort=False)
    state_string = state.translated('state')
    status_reason = fields.Char(
        "Reason for the Next Step",
        states={
            'invisible': Eval('state').in_(TERMINAL),
            },
        help="Kept in the history with the next change of state; "
        "rejection and withdrawal need one.")
    status_date = fields.Date(
        "Date of the Next Step",
        states={
            'invisible': Eval('state').in_(TERMINAL),
            },
        help="The date the next change of state takes effect (approval, "
        "appraisal); empty: today.")
    history = fields.One2Many(
        'saccos.loan.history', 'loan', "History", readonly=True)
    checks = fields.One2Many(
        'saccos.loan.check', 'loan', "Appraisal", readonly=True)
    appraised_by = fields.Many2One('res.user', "Appraised By", readonly=True)
    approved_by = fields.Many2One('res.user', "Approved By", readonly=True)
    approval_date = fields.Date("Approval Date", readonly=True)
    disbursement_date = fields.Date("Disbursement Date", readonly=True)
    closing_date = fields.Date("Closing Date", readonly=True)
    installments = fields.One2Many(
        'saccos.loan.installment', 'loan', "Schedule", readonly=True,
        filter=[('state', '!=', 'superseded')])
    guarantees = fields.One2Many(
        'saccos.loan.guarantee', 'loan', "Guarantors",
        states={
            'readonly': ~Eval('state').in_(['draft', 'submitted']),
            })
    collaterals = fields.One2Many(
        'saccos.loan.collateral', 'loan', "Collateral",
        states={
            'readonly': Eval('state').in_(TERMINAL),
            })
    transactions = fields.One2Many(
        'saccos.loan.transaction', 'loan', "Transactions", readonly=True)
    instalment_amount = fields.Function(fields.Numeric(
            "Instalment", digits='currency',
            help="The largest instalment of the schedule (or its "
            "preview)."), 'get_instalment_amount')
    principal_outstanding = fields.Function(fields.Numeric(
            "Principal Outstanding", digits='currency'), 'get_balances')
    interest_outstanding = fields.Function(fields.Numeric(
            "Interest Due", digits='currency',
            help="Interest of the instalments due, unpaid."),
        'get_balances')
    penalty_outstanding = fields.Function(fields.Numeric(
            "Penalties Due", digits='currency'), 'get_balances')
    fee_outstanding = fields.Function(fields.Numeric(
            "Fees Due", digits='currency'), 'get_balances')
    arrears_amount = fields.Function(fields.Numeric(
            "Arrears", digits='currency',
            help="What the instalments past due still owe."),
        'get_balances')
    # Set by the daily job, as of its date.
    days_past_due = fields.Integer("Days Past Due", readonly=True)
    ageing = fields.Selection(
        [(None, "")] + AGEING_BUCKETS, "Ageing", readonly=True)
    classification = fields.Char("Classification", readonly=True)
    provision_rate = fields.Numeric(
        "Provision Rate (%)", digits=(16, 2), readonly=True)
    provision = fields.Numeric("Provision", digits='currency', readonly=True)
    arrears_date = fields.Date(
        "Arrears As Of", readonly=True,
        help="The date the daily job last classified the loan.")
    non_performing_since = fields.Date(
        "Non-Performing Since", readonly=True)
    in_duplum_cap = fields.Numeric(
        "In Duplum Cap", digits='currency', readonly=True,
        help="The principal outstanding when the loan became "
        "non-performing: interest and penalties charged since stop there.")
    charged_since_non_performing = fields.Numeric(
        "Charged Since Non-Performing", digits='currency', readonly=True)
    written_off_amount = fields.Numeric(
        "Written Off", digits='currency', readonly=True)
    recovered_amount = fields.Function(fields.Numeric(
            "Recovered", digits='currency'), 'get_recovered_amount')

    del _readonly, _terms

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.member, Index.Range()),
                    (t.state, Index.Equality())),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                })
        cls._order = [('application_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'draft'),
            ('submitted', 'appraised'),
            ('appraised', 'submitted'),
            ('appraised', 'approved'),
            ('submitted', 'rejected'),
            ('appraised', 'rejected'),
            ('draft', 'withdrawn'),
            ('submitted', 'withdrawn'),
            ('appraised', 'withdrawn'),
            ('approved', 'withdrawn'),
            ('approved', 'active'),
            ('active', 'closed'),
            ('active', 'written_off'),
            ('active', 'rescheduled'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'appraise': {
                    'invisible': ~Eval('state').in_(
                        ['submitted', 'appraised']),
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'appraised',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': ~Eval('state').in_(
                        ['submitted', 'appraised']),
                    'depends': ['state'],
                    },
                'withdraw': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'submitted', 'appraised', 'approved']),
                    'depends': ['state'],
                    },
                'disburse': {
                    'invisible': Eval('state') != 'approved',
                    'depends': ['state'],
                    },
                'preview_schedule': {
                    'invisible': Eval('state').in_(TERMINAL),
                    'depends': ['state'],
                    },
                'repay': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                'waive': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                'write_off': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                'recover': {
                    'invisible': ~Eval('state').in_(['active', 'written_off']),
                    'depends': ['state'],
                    },
                'top_up': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                'reschedule': {
                    'invisible': Eval('state') != 'active',
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
        return 'new'

    @classmethod
    def default_application_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_disbursement_mode(cls):
        return 'savings'

    @fields.depends('product')
    def on_change_with_currency(self, name=None):
        return self.product.currency if self.product else None

    @fields.depends('product', *LOAN_TERMS, 'amount', 'term', 'rate')
    def on_change_product(self):
        if not self.product:
            return
        for name in LOAN_TERMS:
            setattr(self, name, getattr(self.product, name))
        self.amount = self.amount or self.product.default_amount
        self.term = self.term or self.product.default_term
        if self.rate is None:
            self.rate = self.product.default_rate

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Product = pool.get('saccos.loan.product')
        values = super().preprocess_values(mode, values)
        # Loans created by code (top-ups, the demo, imports) take the
        # product's terms as the form does.
        if mode == 'create' and values.get('product'):
            product = Product(values['product'])
            for name in LOAN_TERMS:
                values.setdefault(name, getattr(product, name))
            values.setdefault('amount', product.default_amount)
            values.setdefault('term', product.default_term)
            values.setdefault('rate', product.default_rate)
        return values

    def get_rec_name(self, name):
        if self.number:
            return '%s - %s' % (self.number, self.member.rec_name)
        return '(%s) %s' % (self.id, self.member.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number', operator, value),
            ('member.rec_name', operator, value),
            ]

    @classmethod
    def validate_fields(cls, loans, field_names):
        super().validate_fields(loans, field_names)
        for loan in loans:
            if loan.state in {'draft', 'submitted'}:
                loan.check_terms()

    def check_terms(self):
        "The amount, term and rate within the product's ranges"
        product = self.product
        for value, low, high, string in [
                (self.amount, product.minimum_amount,
                    product.maximum_amount, 'amount'),
                (self.term, product.minimum_term, product.maximum_term,
                    'term'),
                (self.rate, product.minimum_rate, product.maximum_rate,
                    'rate'),
                ]:
            if not (low <= value <= high):
                raise LoanError(gettext(
                        'saccos_loan.msg_term_out_of_range',
                        loan=self.rec_name,
                        field=self.__class__._fields[string].string,
                        value=value, minimum=low, maximum=high))
        if (self.principal_grace >= self.term
                or self.interest_grace >= self.term):
            raise LoanError(gettext(
                    'saccos_loan.msg_grace_too_long', loan=self.rec_name))

    @classmethod
    def check_modification(cls, mode, loans, values=None, external=False):
        super().check_modification(
            mode, loans, values=values, external=external)
        if mode == 'delete':
            for loan in loans:
                if loan.state != 'draft':
                    raise AccessError(gettext(
                            'saccos_loan.msg_loan_delete',
                            loan=loan.rec_name))

    @classmethod
    def copy(cls, loans, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'history', 'checks', 'appraised_by',
                'approved_by', 'approval_date', 'disbursement_date',
                'closing_date', 'installments', 'transactions',
                'days_past_due', 'ageing', 'classification', 'provision',
                'provision_rate', 'arrears_date', 'non_performing_since',
                'in_duplum_cap', 'charged_since_non_performing',
                'written_off_amount', 'settles', 'status_reason']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        default.setdefault('kind', 'new')
        return super().copy(loans, default=default)

    # Schedule --------------------------------------------------------------

    def schedule_rows(self, date=None, amount=None):
        """The schedule of this loan disbursed on date (or its expected
        disbursement date), as schedule.Row"""
        pool = Pool()
        Date = pool.get('ir.date')
        date = (date or self.disbursement_date
            or self.expected_disbursement_date or Date.today())
        first_due = self.first_due_date
        if first_due and first_due <= date:
            first_due = None
        try:
            return schedule(
                amount or self.amount, self.rate / 100, self.term, date,
                frequency=self.frequency, every=self.frequency_every,
                method=self.interest_method,
                interest_basis=self.interest_basis,
                day_count=self.day_count, first_due_date=first_due,
                principal_grace=self.principal_grace,
                interest_grace=self.interest_grace, rounding=self.rounding,
                quantum=self.currency.rounding,
                multiple=self.instalment_multiple,
                instalment_fees=self.product.instalment_fees())
        except ValueError as error:
            raise LoanError(gettext(
                    'saccos_loan.msg_schedule_invalid',
                    loan=self.rec_name, error=str(error))) from error

    def disbursement_fees(self, rows):
        """(fee, amount) of each fee charged at disbursement, on the
        loan's principal and its scheduled interest"""
        interest = total_interest(rows)
        fees = []
        for fee in self.product.fees:
            if fee.timing != 'disbursement':
                continue
            amount = disbursement_fee(
                fee.basis, fee.amount, self.amount, interest,
                self.rounding, self.currency.rounding)
            if amount:
                fees.append((fee, amount))
        return fees

    @classmethod
    def get_instalment_amount(cls, loans, name):
        amounts = {}
        for loan in loans:
            if loan.installments:
                amounts[loan.id] = max(i.total for i in loan.installments)
            elif loan.state not in TERMINAL and loan.product and loan.amount:
                try:
                    rows = loan.schedule_rows()
                except LoanError:
                    rows = []
                amounts[loan.id] = (max(r.total for r in rows)
                    if rows else None)
            else:
                amounts[loan.id] = None
        return amounts

    # Balances --------------------------------------------------------------

    @classmethod
    def get_balances(cls, loans, names, date=None):
        """Outstanding principal, and interest, penalties and fees due on
        date (today, or the context's date) per loan, summed by the
        database over the instalments"""
        pool = Pool()
        Installment = pool.get('saccos.loan.installment')
        Date = pool.get('ir.date')
        installment = Installment.__table__()
        cursor = Transaction().connection.cursor()
        date = date or Transaction().context.get('date') or Date.today()
        result = {n: {l.id: Decimal(0) for l in loans} for n in names}
        due = installment.due_date <= date
        zero = Decimal(0)
        columns = {
            'principal_outstanding': Sum(
                installment.principal - installment.principal_paid),
            'interest_outstanding': Sum(_when(due,
                    installment.interest - installment.interest_paid
                    - installment.interest_waived)),
            'penalty_outstanding': Sum(installment.penalty
                - installment.penalty_paid - installment.penalty_waived),
            'fee_outstanding': Sum(_when(due,
                    installment.fee - installment.fee_paid
                    - installment.fee_waived)),
            'arrears_amount': Sum(_when(installment.due_date < date,
                    installment.principal - installment.principal_paid
                    + installment.interest - installment.interest_paid
                    - installment.interest_waived
                    + installment.fee - installment.fee_paid
                    - installment.fee_waived)),
            }
        wanted = [n for n in names if n in columns]
        active = {l.id for l in loans if l.state == 'active'}
        for sub_ids in grouped_slice(list(active), 1000):
            cursor.execute(*installment.select(
                    installment.loan,
                    *(Coalesce(columns[n], zero) for n in wanted),
                    where=installment.loan.in_(list(sub_ids))
                    & (installment.state != 'superseded'),
                    group_by=[installment.loan]))
            for row in cursor:
                for name, value in zip(wanted, row[1:]):
                    result[name][row[0]] = to_decimal(value)
        for loan in loans:
            for name in names:
                result[name][loan.id] = loan.currency.round(
                    result[name][loan.id])
        return result

    @classmethod
    def get_recovered_amount(cls, loans, name):
        amounts = {l.id: Decimal(0) for l in loans}
        for loan in loans:
            for transaction in loan.transactions:
                if transaction.kind == 'recovery':
                    amounts[loan.id] += transaction.signed_total
        return amounts

    @classmethod
    def member_outstanding(cls, member, exclude=None):
        "The principal member owes on their active loans"
        loans = cls.search([
                ('member', '=', member.id),
                ('state', '=', 'active'),
                ])
        return sum((l.principal_outstanding for l in loans
                if l != exclude), Decimal(0))

    @classmethod
    def member_in_arrears(cls, member, date, exclude=None):
        pool = Pool()
        Installment = pool.get('saccos.loan.installment')
        domain = [
            ('loan.member', '=', member.id),
            ('loan.state', '=', 'active'),
            ('state', '=', 'open'),
            ('due_date', '<', date),
            ]
        if exclude:
            domain.append(('loan', '!=', exclude.id))
        return bool(Installment.search(domain, limit=1))

    @classmethod
    def member_deposits(cls, member):
        """The member's savings balances and what of them is free of
        holds: the deposits the multiplier and the cover apply to"""
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        accounts = Account.search([
                ('owner', '=', member.id),
                ('state', 'in', ['active', 'inactive']),
                ])
        balance = sum((a.balance for a in accounts), Decimal(0))
        held = sum((a.on_hold for a in accounts), Decimal(0))
        return balance, balance - held

    # Appraisal -------------------------------------------------------------

    def compulsory_shares_held(self, date):
        """The member's shares that count for the compulsory-shares rule,
        or None when no share module answers: the loan module asks, the
        share module (loan_share.py) plugs in"""
        return None

    def evaluate_rules(self, date):
        """Each eligibility rule on date as (rule, required, actual,
        passed), with the figures behind it for the appraisal"""
        pool = Pool()
        Guarantee = pool.get('saccos.loan.guarantee')
        round_ = self.currency.round
        product = self.product
        results = []

        try:
            self.check_terms()
            results.append(('amount', fmt(self.amount), fmt(self.amount),
                    True))
        except LoanError as error:
            results.append(('amount', '', error.message, False))

        deposits, free_deposits = self.member_deposits(self.member)
        owed = self.member_outstanding(self.member, exclude=self.settles)
        if product.deposit_multiplier:
            ceiling = min(
                round_(deposits * product.deposit_multiplier) - owed,
                product.maximum_amount)
            results.append(('deposits', fmt(self.amount),
                    gettext('saccos_loan.msg_rule_deposits',
                        deposits=fmt(deposits),
                        multiplier='{:f}'.format(
                            product.deposit_multiplier.normalize()),
                        owed=fmt(owed), ceiling=fmt(ceiling)),
                    self.amount <= ceiling))

        if product.arrears_block:
            arrears = self.member_in_arrears(
                self.member, date, exclude=self.settles)
            results.append(('arrears', gettext('saccos_loan.msg_rule_none'),
                    gettext('saccos_loan.msg_rule_arrears' if arrears
                        else 'saccos_loan.msg_rule_none'),
                    not arrears))

        band = product.compulsory_band(self.amount)
        if band and band.shares:
            held = self.compulsory_shares_held(date)
            results.append(('shares', str(band.shares),
                    str(held) if held is not None
                    else gettext('saccos_loan.msg_rule_no_share_module'),
                    held is not None and held >= band.shares))
        if band and band.savings_rate:
            needed = band.required_savings(self.amount, self.currency)
            results.append(('savings', fmt(needed), fmt(deposits),
                    deposits >= needed))

        guarantees = list(self.guarantees)
        if product.minimum_guarantors:
            results.append(('guarantors', str(product.minimum_guarantors),
                    str(len(guarantees)),
                    len(guarantees) >= product.minimum_guarantors))
        if guarantees:
            short = []
            for guarantee in guarantees:
                problem = Guarantee.problem(guarantee, date)
                if problem:
                    short.append(problem)
            results.append(('guarantor_capacity',
                    fmt(sum(g.amount for g in guarantees)),
                    '; '.join(short) or gettext('saccos_loan.msg_rule_ok'),
                    not short))
        if product.cover_required:
            cover = free_deposits + sum(
                (g.amount for g in guarantees), Decimal(0))
            results.append(('cover', fmt(self.amount), fmt(cover),
                    cover >= self.amount))

        if self.net_income is not None:
            instalment = self.monthly_instalment(date)
            deductions = self.other_deductions or Decimal(0)
            results.append(('affordability', fmt(self.net_income),
                    gettext('saccos_loan.msg_rule_affordability',
                        instalment=fmt(instalment),
                        deductions=fmt(deductions)),
                    instalment + deductions <= self.net_income))
        return results

    def monthly_instalment(self, date):
        "The largest instalment, brought to a month for affordability"
        rows = self.schedule_rows(date)
        largest = max(r.total for r in rows)
        per_month = {
            'weekly': Decimal(52) / 12,
            'fortnightly': Decimal(26) / 12,
            'monthly': Decimal(1),
            'quarterly': Decimal(1) / 3,
            }[self.frequency] / self.frequency_every
        return self.currency.round(largest * per_month)

    # Workflow --------------------------------------------------------------

    def _log(self, to_state, date, reason=None):
        return {
            'loan': self.id,
            'date': date,
            'from_state': self.state,
            'to_state': to_state,
            'reason': reason or self.status_reason,
            }

    @classmethod
    def _change_state(cls, loans, to_state, reason=None, date=None,
            values=None):
        "Log the change with its reason, which is then cleared"
        pool = Pool()
        History = pool.get('saccos.loan.history')
        Date = pool.get('ir.date')
        today = Date.today()
        History.create([l._log(to_state, date or l.status_date or today,
                    reason) for l in loans])
        to_write = []
        for loan in loans:
            to_write.extend([[loan], dict(
                        status_reason=None, status_date=None,
                        **(values(loan) if values else {}))])
        if to_write:
            cls.write(*to_write)

    @classmethod
    def _require_reason(cls, loans):
        for loan in loans:
            if not loan.status_reason:
                raise LoanTransitionError(gettext(
                        'saccos_loan.msg_reason_required',
                        loan=loan.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, loans):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        config = Configuration(1)
        numbers = {}
        for loan in sorted(loans, key=lambda l: l.id):
            loan.check_terms()
            if loan.member.member_state != 'active':
                raise LoanTransitionError(gettext(
                        'saccos_loan.msg_member_not_active',
                        member=loan.member.rec_name))
            if not loan.number:
                sequence = config.get_multivalue(
                    'loan_sequence', company=loan.company.id)
                if not sequence:
                    raise LoanTransitionError(gettext(
                            'saccos_loan.msg_no_loan_sequence'))
                numbers[loan.id] = sequence.get()
        cls._change_state(loans, 'submitted', values=lambda l: {
                'number': numbers.get(l.id, l.number),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, loans):
        cls._change_state(loans, 'draft')

    @classmethod
    @ModelView.button
    def appraise(cls, loans, date=None):
        """Evaluate the rules and keep them on the loan; a loan already
        appraised is appraised again (after a guarantor is added)"""
        pool = Pool()
        Check = pool.get('saccos.loan.check')
        Date = pool.get('ir.date')
        today = Date.today()
        Check.delete(Check.search([('loan', 'in', [l.id for l in loans])]))
        checks = []
        for loan in loans:
            date = date or loan.status_date or today
            for rule, required, actual, passed in loan.evaluate_rules(date):
                checks.append({
                        'loan': loan.id,
                        'rule': rule,
                        'required': required,
                        'actual': actual,
                        'passed': passed,
                        'advisory': rule in ADVISORY_RULES,
                        'date': date,
                        })
        Check.create(checks)
        user = Transaction().user
        cls.write(loans, {'appraised_by': user})
        submitted = [l for l in loans if l.state == 'submitted']
        if submitted:
            cls._appraised(submitted)
        else:
            cls.write(loans, {'status_date': None})

    @classmethod
    @Workflow.transition('appraised')
    def _appraised(cls, loans):
        cls._change_state(loans, 'appraised')

    @classmethod
    def approval_limit(cls, user, company):
        """The largest amount the user may approve, None for no limit:
        limits are per group; without any for the company, none apply"""
        pool = Pool()
        Limit = pool.get('saccos.loan.approval_limit')
        User = pool.get('res.user')
        limits = Limit.search([('company', '=', company.id)])
        if not limits:
            return None
        groups = set(User.get_groups())
        allowed = [l.maximum_amount for l in limits if l.group.id in groups]
        return max(allowed) if allowed else Decimal(0)

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, loans, date=None):
        pool = Pool()
        Date = pool.get('ir.date')
        Guarantee = pool.get('saccos.loan.guarantee')
        today = Date.today()
        user = Transaction().user
        dates = {l.id: date or l.status_date or today for l in loans}
        for loan in loans:
            date = dates[loan.id]
            # Maker-checker: root (cron, scripts) is the only exception.
            if user and user in {loan.create_uid.id,
                    loan.appraised_by.id if loan.appraised_by else None}:
                raise LoanTransitionError(gettext(
                        'saccos_loan.msg_maker_checker', loan=loan.rec_name))
            limit = cls.approval_limit(user, loan.company) if user else None
            if limit is not None and loan.amount > limit:
                raise LoanTransitionError(gettext(
                        'saccos_loan.msg_above_approval_limit',
                        loan=loan.rec_name, amount=fmt(loan.amount),
                        limit=fmt(limit)))
            failed = [c for c in loan.checks
                if not c.passed and not c.advisory]
            if failed:
                raise LoanTransitionError(gettext(
                        'saccos_loan.msg_appraisal_failed',
                        loan=loan.rec_name,
                        rules=', '.join(c.rule_string for c in failed)))
            # The appraisal is redone on the approval date: deposits and
            # guarantors may have moved since.
            for rule, _, actual, passed in loan.evaluate_rules(date):
                if not passed and rule not in ADVISORY_RULES:
                    raise LoanTransitionError(gettext(
                            'saccos_loan.msg_rule_failed_now',
                            loan=loan.rec_name,
                            rule=dict(RULES)[rule], actual=actual))
        for loan in loans:
            Guarantee.place_liens(list(loan.guarantees), dates[loan.id])
        cls._change_state(loans, 'approved', values=lambda l: {
                'approved_by': user,
                'approval_date': dates[l.id],
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, loans):
        cls._require_reason(loans)
        cls._change_state(loans, 'rejected')

    @classmethod
    @ModelView.button
    @Workflow.transition('withdrawn')
    def withdraw(cls, loans):
        pool = Pool()
        Guarantee = pool.get('saccos.loan.guarantee')
        cls._require_reason(loans)
        Guarantee.release_liens([g for l in loans for g in l.guarantees])
        cls._change_state(loans, 'withdrawn')

    @classmethod
    @ModelView.button_action('saccos_loan.wizard_disburse')
    def disburse(cls, loans):
        pass

    @classmethod
    @ModelView.button_action('saccos_loan.wizard_schedule_preview')
    def preview_schedule(cls, loans):
        pass

    @classmethod
    @ModelView.button_action('saccos_loan.wizard_repay')
    def repay(cls, loans):
        pass

    @classmethod
    @ModelView.button_action('saccos_loan.wizard_waive')
    def waive(cls, loans):
        pass

    @classmethod
    @ModelView.button_action('saccos_loan.wizard_write_off')
    def write_off(cls, loans):
        pass

    @classmethod
    @ModelView.button_action('saccos_loan.wizard_recover')
    def recover(cls, loans):
        pass

    @classmethod
    @ModelView.button_action('saccos_loan.wizard_top_up')
    def top_up(cls, loans):
        pass

    @classmethod
    @ModelView.button_action('saccos_loan.wizard_reschedule')
    def reschedule(cls, loans):
        pass

    @classmethod
    @Workflow.transition('active')
    def _activate(cls, loans, date):
        cls._change_state(loans, 'active', date=date, values=lambda l: {
                'disbursement_date': date,
                })

    @classmethod
    def _end(cls, loans, state, date, reason, release=True):
        "The loans end on date; their liens go unless they are kept"
        pool = Pool()
        Guarantee = pool.get('saccos.loan.guarantee')
        if release:
            Guarantee.release_liens(
                [g for l in loans for g in l.guarantees], date)
        cls._change_state(loans, state, reason=reason, date=date,
            values=lambda l: {'closing_date': date})

    @classmethod
    @Workflow.transition('closed')
    def _close(cls, loans, date, reason=None):
        cls._end(loans, 'closed', date, reason)

    @classmethod
    @Workflow.transition('written_off')
    def _written_off(cls, loans, date, reason):
        # The liens stay: the guarantors answer for what is recovered.
        cls._end(loans, 'written_off', date, reason, release=False)

    @classmethod
    @Workflow.transition('rescheduled')
    def _rescheduled(cls, loans, date, reason=None):
        cls._end(loans, 'rescheduled', date, reason)

    @classmethod
    def close_paid(cls, loans, date):
        "Close the active loans whose every instalment is paid"
        pool = Pool()
        Installment = pool.get('saccos.loan.installment')
        active = [l for l in loans if l.state == 'active']
        if not active:
            return []
        open_ = {i.loan.id for i in Installment.search([
                    ('loan', 'in', [l.id for l in active]),
                    ('state', '=', 'open'),
                    ])}
        paid = [l for l in active if l.id not in open_]
        if paid:
            cls._close(paid, date)
        return paid


def _when(condition, value):
    return Case((condition, value), else_=Decimal(0))


class LoanHistory(ModelSQL, ModelView):
    "Loan Status History"
    __name__ = 'saccos.loan.history'
    loan = fields.Many2One(
        'saccos.loan', "Loan", required=True, ondelete='CASCADE')
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
        cls.__access__.add('loan')
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
            raise AccessError(gettext('saccos_loan.msg_history_readonly'))


class AppraisalCheck(ModelSQL, ModelView):
    "Loan Appraisal Check"
    __name__ = 'saccos.loan.check'
    loan = fields.Many2One(
        'saccos.loan', "Loan", required=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    rule = fields.Selection(RULES, "Rule", required=True)
    rule_string = rule.translated('rule')
    required = fields.Char("Required")
    actual = fields.Char("Actual")
    passed = fields.Boolean("Passed")
    advisory = fields.Boolean(
        "Advisory", help="A failed advisory rule does not block approval.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('loan')
        cls._order = [('id', 'ASC')]


class ApprovalLimit(ModelSQL, ModelView):
    "Loan Approval Limit"
    __name__ = 'saccos.loan.approval_limit'
    company = fields.Many2One('company.company', "Company", required=True)
    group = fields.Many2One(
        'res.group', "Group", required=True, ondelete='CASCADE')
    maximum_amount = fields.Numeric(
        "Maximum Amount", digits=(16, 2), required=True,
        domain=[('maximum_amount', '>=', 0)],
        help="Members of the group approve loans up to this amount.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')
