# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Share products: the terms of a SACCO's share capital.

A product states how many shares exist (total) and how many may be
issued to members, their nominal price, what one member may hold, the
charges on purchase and redemption, the lock-in and, for dividends, the
minimum active period and whether members no longer active earn.  The
terms Mifos lets staff change per account (lock-in, minimum active
period, dividends for inactive members, charges) are copied to the
account when it is opened."""
from decimal import ROUND_HALF_UP, Decimal

from sql import Literal
from sql.aggregate import Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.modules.saccos_savings.product import (
    DURATION_UNITS, _account_field, add_duration)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import ShareProductError

__all__ = ['Product', 'MarketPrice', 'add_duration', 'charge_amount']

CHARGE_KINDS = [
    (None, ""),
    ('fixed', "Fixed Amount"),
    ('percentage', "Percentage of the Value"),
    ]


def charge_amount(kind, amount, value, currency):
    "The charge on a transaction of value"
    if not kind or not amount:
        return Decimal(0)
    if kind == 'percentage':
        return currency.round(value * amount / 100, ROUND_HALF_UP)
    return amount


class Product(DeactivableMixin, ModelSQL, ModelView):
    "Share Product"
    __name__ = 'saccos.share.product'

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Short Name", required=True)
    description = fields.Text("Description")
    company = fields.Many2One('company.company', "Company", required=True)
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True,
        help="The company currency: the ledger is kept in it.")
    decimal_places = fields.Integer(
        "Decimal Places", required=True,
        domain=[('decimal_places', '>=', 0)],
        help="The decimals a unit price may have; no more than the "
        "currency has.")
    multiples_of = fields.Numeric(
        "In Multiples Of", digits='currency',
        domain=['OR', ('multiples_of', '=', None),
            ('multiples_of', '>', 0)],
        help="The unit price is a multiple of this amount (100 for a "
        "price in hundreds of shillings).")
    total_shares = fields.Integer(
        "Total Number of Shares", required=True,
        domain=[('total_shares', '>', 0)],
        help="The shares the by-laws authorise.")
    shares_to_issue = fields.Integer(
        "Total Shares to Be Issued", required=True,
        domain=[('shares_to_issue', '>', 0)],
        help="The shares that may be issued to members: applications "
        "beyond it are refused.")
    unit_price = fields.Numeric(
        "Unit (Nominal) Price", digits='currency', required=True,
        domain=[('unit_price', '>', 0)])
    share_capital = fields.Function(fields.Numeric(
            "Total Share Capital", digits='currency',
            help="Shares to be issued at the nominal price."),
        'on_change_with_share_capital')
    issued_shares = fields.Function(fields.Integer(
            "Issued Shares",
            help="Shares held by members, approved purchases only."),
        'get_issued')
    pending_shares = fields.Function(fields.Integer(
            "Shares Pending Approval"), 'get_issued')
    minimum_shares = fields.Integer(
        "Minimum Shares per Member",
        domain=['OR', ('minimum_shares', '=', None),
            ('minimum_shares', '>=', 0)])
    default_shares = fields.Integer(
        "Default Shares per Member",
        domain=['OR', ('default_shares', '=', None),
            ('default_shares', '>=', 0)])
    maximum_shares = fields.Integer(
        "Maximum Shares per Member",
        domain=['OR', ('maximum_shares', '=', None),
            ('maximum_shares', '>', 0)])
    maximum_holding = fields.Numeric(
        "Maximum Holding (% of Issuable)", digits=(16, 2),
        domain=['OR', ('maximum_holding', '=', None),
            [('maximum_holding', '>', 0), ('maximum_holding', '<=', 100)]],
        help="The share of the issuable shares one member may hold: "
        "regulations have capped it (20% in Tanzania's 2004 rules).")
    market_prices = fields.One2Many(
        'saccos.share.product.market_price', 'product', "Market Prices")
    purchase_charge_kind = fields.Selection(
        CHARGE_KINDS, "Purchase Charge")
    purchase_charge = fields.Numeric(
        "Purchase Charge Amount", digits=(16, 4),
        domain=['OR', ('purchase_charge', '=', None),
            ('purchase_charge', '>=', 0)],
        states={
            'invisible': ~Eval('purchase_charge_kind'),
            'required': Bool(Eval('purchase_charge_kind')),
            },
        help="An amount, or a percentage of the value bought, collected "
        "with the purchase price as income.")
    redeem_charge_kind = fields.Selection(CHARGE_KINDS, "Redeem Charge")
    redeem_charge = fields.Numeric(
        "Redeem Charge Amount", digits=(16, 4),
        domain=['OR', ('redeem_charge', '=', None),
            ('redeem_charge', '>=', 0)],
        states={
            'invisible': ~Eval('redeem_charge_kind'),
            'required': Bool(Eval('redeem_charge_kind')),
            },
        help="Taken from the value paid out on redemption, as income.")
    dividends_for_inactive = fields.Boolean(
        "Dividends for Members No Longer Active",
        help="Closed accounts and members no longer active earn on the "
        "shares they held during a dividend period.")
    lock_in_period = fields.Integer(
        "Lock-in Period",
        domain=['OR', ('lock_in_period', '=', None),
            ('lock_in_period', '>=', 0)],
        help="Shares cannot be redeemed before this time has passed "
        "since they were allotted.")
    lock_in_unit = fields.Selection(
        [(None, "")] + DURATION_UNITS, "Lock-in Unit",
        states={
            'required': Bool(Eval('lock_in_period')),
            })
    minimum_active_period = fields.Integer(
        "Minimum Active Period for Dividends",
        domain=['OR', ('minimum_active_period', '=', None),
            ('minimum_active_period', '>=', 0)],
        help="Shares held for less than this at the end of a dividend "
        "period earn no dividend for it.")
    minimum_active_unit = fields.Selection(
        [(None, "")] + DURATION_UNITS, "Minimum Active Period Unit",
        states={
            'required': Bool(Eval('minimum_active_period')),
            })
    journal = fields.Many2One(
        'account.journal', "Journal", required=True, ondelete='RESTRICT')
    suspense_account = _account_field(
        "Suspense Account", required=True, party_required=True,
        help="Holds the price of shares applied for until approval.")
    equity_account = _account_field(
        "Equity Account", required=True, party_required=True,
        help="Share capital: the value of approved shares, per member.")
    fee_income_account = _account_field(
        "Charge Income Account",
        states={
            'required': Bool(Eval('purchase_charge_kind'))
            | Bool(Eval('redeem_charge_kind')),
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.company, t.code),
                'saccos_share.msg_product_code_unique'),
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
    def default_decimal_places(cls):
        return 2

    @classmethod
    def default_dividends_for_inactive(cls):
        return False

    @fields.depends('company')
    def on_change_company(self):
        if self.company:
            self.currency = self.company.currency

    @fields.depends('shares_to_issue', 'unit_price')
    def on_change_with_share_capital(self, name=None):
        if self.shares_to_issue is not None and self.unit_price is not None:
            return self.shares_to_issue * self.unit_price

    @classmethod
    def get_issued(cls, products, names):
        pool = Pool()
        Transaction_ = pool.get('saccos.share.transaction')
        line = Transaction_.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: {p.id: 0 for p in products} for n in names}
        zero = Literal(0)
        for sub_ids in grouped_slice([p.id for p in products], 1000):
            cursor.execute(*line.select(line.product,
                    Sum(Case((line.state == 'approved', line.signed_shares),
                            else_=zero)),
                    Sum(Case((line.state == 'pending', line.signed_shares),
                            else_=zero)),
                    where=line.product.in_(list(sub_ids)),
                    group_by=[line.product]))
            for product, issued, pending in cursor:
                if 'issued_shares' in result:
                    result['issued_shares'][product] = int(issued or 0)
                if 'pending_shares' in result:
                    result['pending_shares'][product] = int(pending or 0)
        return result

    @classmethod
    def validate_fields(cls, products, field_names):
        super().validate_fields(products, field_names)
        for product in products:
            product.check_terms()

    def check_terms(self):
        if self.currency != self.company.currency:
            raise ShareProductError(gettext(
                    'saccos_share.msg_product_currency',
                    product=self.rec_name,
                    currency=self.currency.code,
                    company_currency=self.company.currency.code))
        if self.shares_to_issue > self.total_shares:
            raise ShareProductError(gettext(
                    'saccos_share.msg_product_issue_above_total',
                    product=self.rec_name))
        if self.decimal_places > self.currency.digits:
            raise ShareProductError(gettext(
                    'saccos_share.msg_product_decimal_places',
                    product=self.rec_name, digits=self.currency.digits))
        price = self.unit_price
        if (price != round(price, self.decimal_places)
                or (self.multiples_of and price % self.multiples_of)):
            raise ShareProductError(gettext(
                    'saccos_share.msg_product_unit_price',
                    product=self.rec_name, price=price,
                    decimals=self.decimal_places,
                    multiple=self.multiples_of or ''))
        minimum = self.minimum_shares or 0
        maximum = self.maximum_shares or self.shares_to_issue
        default = self.default_shares
        if (minimum > maximum or maximum > self.shares_to_issue
                or (default is not None
                    and not (minimum <= default <= maximum))):
            raise ShareProductError(gettext(
                    'saccos_share.msg_product_member_limits',
                    product=self.rec_name))

    def get_rec_name(self, name):
        return f'[{self.code}] {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        if clause[1].startswith('!') or clause[1].startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('code', *clause[1:]),
            ('name', *clause[1:]),
            ]

    def member_maximum(self):
        "The most shares one member may hold"
        maximum = self.maximum_shares or self.shares_to_issue
        if self.maximum_holding:
            # Whole shares only: a cap of 20% of 1,001 shares is 200.
            maximum = min(maximum,
                int(self.shares_to_issue * self.maximum_holding / 100))
        return maximum

    def market_price_at(self, date):
        "The market price on date: the last one set on or before it"
        prices = [p for p in self.market_prices if p.date <= date]
        if prices:
            return max(prices, key=lambda p: p.date).price
        return None

    def purchase_charge_for(self, value):
        return charge_amount(self.purchase_charge_kind,
            self.purchase_charge, value, self.currency)


class MarketPrice(ModelSQL, ModelView):
    "Share Market Price"
    __name__ = 'saccos.share.product.market_price'
    product = fields.Many2One(
        'saccos.share.product', "Product", required=True,
        ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    price = fields.Numeric("Price", digits=(16, 4), required=True,
        domain=[('price', '>', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('product')
        cls._sql_constraints += [
            ('date_unique', Unique(t, t.product, t.date),
                'saccos_share.msg_market_price_unique'),
            ]
        cls._order.insert(0, ('date', 'DESC'))
