# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Share accounts: a member's holding of one share product.

The application is entered on a draft account (shares asked for and how
they are paid) and collected when it is submitted: the price goes to
the product's suspense account and the purchase charge to income.
Approval moves the price to share capital and numbers the account;
rejection pays it back.  The holding is the sum of the approved share
transactions (transaction.py), so it can be read at any date.

Other modules read a member's approved shares through
``Account.approved_shares(member, date)`` (the loan module's
compulsory-shares rule) and ``Party.approved_shares``."""
from decimal import Decimal

from sql import Literal
from sql.aggregate import Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.saccos_member.money import to_decimal
from trytond.modules.saccos_savings.product import DURATION_UNITS
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .product import CHARGE_KINDS, add_duration, charge_amount
from .transaction import PAYMENT_MODES

STATES = [
    ('draft', "Draft"),
    ('submitted', "Submitted"),
    ('active', "Active"),
    ('rejected', "Rejected"),
    ('closed', "Closed"),
    ]
OPEN_STATES = ['submitted', 'active']


# The product terms copied to an account, which staff may change before
# the application is submitted.
ACCOUNT_TERMS = [
    'lock_in_period', 'lock_in_unit', 'minimum_active_period',
    'minimum_active_unit', 'dividends_for_inactive', 'purchase_charge_kind',
    'purchase_charge', 'redeem_charge_kind', 'redeem_charge',
    ]


class Account(Workflow, ModelSQL, ModelView):
    "Share Account"
    __name__ = 'saccos.share.account'
    _rec_name = 'number'

    _draft = Eval('state') != 'draft'

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': _draft | Bool(Eval('member')),
            })
    number = fields.Char(
        "Number", readonly=True,
        help="Assigned from the share account sequence at approval; "
        "printed on the share certificate.")
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
            'readonly': _draft,
            })
    product = fields.Many2One(
        'saccos.share.product', "Share Product", required=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft', [('active', '=', True)], []),
            ],
        states={
            'readonly': _draft,
            })
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    submitted_date = fields.Date(
        "Submitted On", required=True,
        states={
            'readonly': _draft,
            })
    approval_date = fields.Date("Approved On", readonly=True)
    approved_by = fields.Many2One('res.user', "Approved By", readonly=True)
    closing_date = fields.Date("Closed On", readonly=True)
    status_date = fields.Date(
        "Effective Date",
        states={
            'invisible': Eval('state') != 'submitted',
            },
        help="The date an approval or rejection takes effect (today "
        "when empty).")
    status_reason = fields.Char(
        "Reason",
        states={
            'invisible': Eval('state') != 'submitted',
            },
        help="Why the application is rejected.")
    field_officer = fields.Many2One(
        'company.employee', "Field Officer", ondelete='RESTRICT',
        states={
            'readonly': Eval('state').in_(['closed', 'rejected']),
            })
    external_id = fields.Char("External ID",
        states={
            'readonly': Eval('state').in_(['closed', 'rejected']),
            })
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    decimal_places = fields.Function(fields.Integer("Decimal Places"),
        'on_change_with_decimal_places')
    multiples_of = fields.Function(fields.Numeric(
            "In Multiples Of", digits='currency'),
        'on_change_with_multiples_of')
    unit_price = fields.Function(fields.Numeric(
            "Unit Price", digits='currency'), 'on_change_with_unit_price')
    suspense_account = fields.Function(fields.Many2One(
            'account.account', "Suspense Account"),
        'on_change_with_suspense_account')
    equity_account = fields.Function(fields.Many2One(
            'account.account', "Equity Account"),
        'on_change_with_equity_account')

    # The application, collected when it is submitted.
    requested_shares = fields.Integer(
        "Shares Applied For", required=True,
        domain=[('requested_shares', '>', 0)],
        states={
            'readonly': _draft,
            })
    payment_mode = fields.Selection(
        PAYMENT_MODES, "Paid By", required=True,
        states={
            'readonly': _draft,
            })
    payment_savings_account = fields.Many2One(
        'saccos.savings.account', "Paid From Savings Account",
        domain=[
            ('owner', '=', Eval('member', -1)),
            ('state', 'in', ['active', 'inactive']),
            ],
        states={
            'readonly': _draft,
            'required': Eval('payment_mode') == 'savings',
            'invisible': Eval('payment_mode') != 'savings',
            })
    payment_reference = fields.Char("Payment Reference",
        states={
            'readonly': _draft,
            })

    savings_account = fields.Many2One(
        'saccos.savings.account', "Savings Account for Dividends",
        domain=[
            ('owner', '=', Eval('member', -1)),
            ('state', 'in', ['active', 'inactive']),
            ],
        states={
            'readonly': Eval('state').in_(['closed', 'rejected']),
            },
        help="Dividends are credited to this account.")
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
    minimum_active_period = fields.Integer(
        "Minimum Active Period",
        domain=['OR', ('minimum_active_period', '=', None),
            ('minimum_active_period', '>=', 0)],
        states={
            'readonly': _draft,
            })
    minimum_active_unit = fields.Selection(
        [(None, "")] + DURATION_UNITS, "Minimum Active Period Unit",
        states={
            'readonly': _draft,
            'required': Bool(Eval('minimum_active_period')),
            })
    dividends_for_inactive = fields.Boolean(
        "Dividends for Members No Longer Active",
        states={
            'readonly': _draft,
            })
    purchase_charge_kind = fields.Selection(
        CHARGE_KINDS, "Purchase Charge",
        states={
            'readonly': _draft,
            })
    purchase_charge = fields.Numeric(
        "Purchase Charge Amount", digits=(16, 4),
        states={
            'readonly': _draft,
            'invisible': ~Eval('purchase_charge_kind'),
            'required': Bool(Eval('purchase_charge_kind')),
            })
    redeem_charge_kind = fields.Selection(
        CHARGE_KINDS, "Redeem Charge",
        states={
            'readonly': _draft,
            })
    redeem_charge = fields.Numeric(
        "Redeem Charge Amount", digits=(16, 4),
        states={
            'readonly': _draft,
            'invisible': ~Eval('redeem_charge_kind'),
            'required': Bool(Eval('redeem_charge_kind')),
            })

    shares = fields.Function(fields.Integer(
            "Shares Held", help="Approved shares."), 'get_holdings')
    pending_shares = fields.Function(fields.Integer(
            "Shares Pending Approval"), 'get_holdings')
    share_value = fields.Function(fields.Numeric(
            "Share Capital", digits='currency',
            help="The nominal value of the shares held."), 'get_holdings')
    market_value = fields.Function(fields.Numeric(
            "Market Value", digits='currency',
            help="The shares held at the product's latest market price."),
        'get_market_value')
    transactions = fields.One2Many(
        'saccos.share.transaction', 'account', "Transactions",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('number', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'active'),
            ('submitted', 'rejected'),
            ('active', 'closed'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'buy': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                'redeem': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                'transfer': {
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
    def default_submitted_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_payment_mode(cls):
        return 'cash'

    @fields.depends('product')
    def on_change_with_currency(self, name=None):
        return self.product.currency if self.product else None

    @fields.depends('product')
    def on_change_with_decimal_places(self, name=None):
        return self.product.decimal_places if self.product else None

    @fields.depends('product')
    def on_change_with_multiples_of(self, name=None):
        return self.product.multiples_of if self.product else None

    @fields.depends('product')
    def on_change_with_unit_price(self, name=None):
        return self.product.unit_price if self.product else None

    @fields.depends('product')
    def on_change_with_suspense_account(self, name=None):
        return self.product.suspense_account if self.product else None

    @fields.depends('product')
    def on_change_with_equity_account(self, name=None):
        return self.product.equity_account if self.product else None

    @fields.depends('product', 'requested_shares', *ACCOUNT_TERMS)
    def on_change_product(self):
        "The product's terms, which staff may change before submitting"
        if not self.product:
            return
        for name in ACCOUNT_TERMS:
            setattr(self, name, getattr(self.product, name))
        if not self.requested_shares:
            self.requested_shares = (self.product.default_shares
                or self.product.minimum_shares or None)

    def get_rec_name(self, name):
        number = self.number or '(%s)' % self.id
        return '%s %s' % (number, self.member.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        if clause[1].startswith('!') or clause[1].startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number', *clause[1:]),
            ('member', *clause[1:]),
            ]

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Product = pool.get('saccos.share.product')
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            if values.get('product'):
                product = Product(values['product'])
                for name in ACCOUNT_TERMS:
                    values.setdefault(name, getattr(product, name))
        return super().create(vlist)

    @classmethod
    def check_modification(cls, mode, accounts, values=None, external=False):
        super().check_modification(
            mode, accounts, values=values, external=external)
        if mode == 'delete':
            for account in accounts:
                if account.state != 'draft':
                    raise AccessError(gettext(
                            'saccos_share.msg_account_delete',
                            account=account.rec_name))

    @classmethod
    def copy(cls, accounts, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'approval_date', 'approved_by',
                'closing_date', 'transactions']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        return super().copy(accounts, default=default)

    # Holdings ---------------------------------------------------------------

    @classmethod
    def get_holdings(cls, accounts, names):
        pool = Pool()
        Line = pool.get('saccos.share.transaction')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        zero = Literal(0)
        approved = line.state == 'approved'
        result = {n: {a.id: 0 for a in accounts} for n in names}
        if 'share_value' in result:
            result['share_value'] = {a.id: Decimal(0) for a in accounts}
        date = Transaction().context.get('share_date')
        for sub_ids in grouped_slice([a.id for a in accounts], 1000):
            where = line.account.in_(list(sub_ids))
            if date:
                where &= line.effective_date <= date
            cursor.execute(*line.select(line.account,
                    Sum(Case((approved, line.signed_shares), else_=zero)),
                    Sum(Case((line.state == 'pending', line.signed_shares),
                            else_=zero)),
                    Sum(Case((approved, line.signed_amount), else_=zero)),
                    where=where, group_by=[line.account]))
            for account, shares, pending, value in cursor:
                for name, value_ in [('shares', int(shares or 0)),
                        ('pending_shares', int(pending or 0)),
                        ('share_value', to_decimal(value))]:
                    if name in result:
                        result[name][account] = value_
        if 'share_value' in result:
            for account in accounts:
                result['share_value'][account.id] = account.currency.round(
                    result['share_value'][account.id])
        return result

    def get_market_value(self, name):
        pool = Pool()
        Date = pool.get('ir.date')
        price = self.product.market_price_at(Date.today())
        if price is None or self.shares is None:
            return None
        return self.currency.round(price * self.shares)

    @classmethod
    def approved_shares(cls, member, date=None, product=None):
        """The approved shares member holds on date (today when None), of
        product or of every product: the interface the loan module's
        compulsory-shares rule reads"""
        return int(cls._approved_sum('signed_shares', member, date, product))

    @classmethod
    def approved_share_value(cls, member, date=None, product=None):
        "The nominal value of the shares approved_shares counts"
        return cls._approved_sum('signed_amount', member, date, product)

    @classmethod
    def _approved_sum(cls, column, member, date, product):
        pool = Pool()
        Line = pool.get('saccos.share.transaction')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        where = ((line.party == int(member)) & (line.state == 'approved'))
        if date is not None:
            where &= line.effective_date <= date
        if product is not None:
            where &= line.product == int(product)
        cursor.execute(*line.select(Sum(getattr(line, column)), where=where))
        total, = cursor.fetchone()
        return to_decimal(total)

    def lock_in_until(self, allotted):
        "The first date shares allotted on allotted can be redeemed"
        return add_duration(allotted, self.lock_in_period, self.lock_in_unit)

    def redeem_charge_for(self, value):
        return charge_amount(self.redeem_charge_kind, self.redeem_charge,
            value, self.currency)

    def purchase_charge_for(self, value):
        return charge_amount(self.purchase_charge_kind, self.purchase_charge,
            value, self.currency)

    # Workflow ---------------------------------------------------------------

    def _status_date(self):
        return self.status_date or Pool().get('ir.date').today()

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, accounts):
        "Collect the price of the shares applied for and the charge"
        pool = Pool()
        Line = pool.get('saccos.share.transaction')
        for account in accounts:
            Line.apply_purchase(
                account, account.requested_shares, account.submitted_date,
                account.payment_mode,
                savings_account=account.payment_savings_account,
                reference=account.payment_reference, application=True)

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def approve(cls, accounts):
        pool = Pool()
        Line = pool.get('saccos.share.transaction')
        Sequence = pool.get('ir.sequence.strict')
        ModelData = pool.get('ir.model.data')
        sequence = Sequence(ModelData.get_id(
                'saccos_share', 'sequence_share_account'))
        for account in accounts:
            date = account._status_date()
            pending = [t for t in account.transactions
                if t.state == 'pending']
            Line.approve_purchases(pending, date)
            account.number = sequence.get()
            account.approval_date = date
            account.approved_by = Transaction().user
            account.status_date = None
        cls.save(accounts)

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, accounts):
        pool = Pool()
        Line = pool.get('saccos.share.transaction')
        for account in accounts:
            date = account._status_date()
            pending = [t for t in account.transactions
                if t.state == 'pending']
            Line.reject_purchases(pending, date, account.status_reason)
            account.closing_date = date
            account.status_date = None
        cls.save(accounts)

    @classmethod
    @Workflow.transition('closed')
    def close(cls, accounts, date):
        "Called when the last shares are redeemed or transferred"
        for account in accounts:
            account.closing_date = date
        cls.save(accounts)

    @classmethod
    @ModelView.button_action('saccos_share.wizard_buy')
    def buy(cls, accounts):
        pass

    @classmethod
    @ModelView.button_action('saccos_share.wizard_redeem')
    def redeem(cls, accounts):
        pass

    @classmethod
    @ModelView.button_action('saccos_share.wizard_transfer')
    def transfer(cls, accounts):
        pass


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    share_accounts = fields.One2Many(
        'saccos.share.account', 'member', "Share Accounts",
        states={
            'invisible': ~Bool(Eval('is_member')),
            })
    approved_shares = fields.Function(fields.Integer(
            "Approved Shares",
            states={
                'invisible': ~Bool(Eval('is_member')),
                },
            help="Shares held today, every share product."),
        'get_approved_shares')

    @classmethod
    def get_approved_shares(cls, parties, name):
        pool = Pool()
        Account = pool.get('saccos.share.account')
        return {p.id: Account.approved_shares(p) for p in parties}
