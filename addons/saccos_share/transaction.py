# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Share transactions: every change of a member's shares.

Each records the share reference (a strict number), the number of shares
and their value, and the posted moves behind it:

- purchase: the price is collected into the product's suspense account
  (a liability, with the member as party) and the charge into income;
  it is pending until approved (suspense to share capital) or rejected
  (the price paid back, the charge kept);
- redemption: share capital paid to the member's savings account or in
  cash, less the redeem charge, once the shares are out of lock-in;
- transfer out / in: share capital moved from one member to another;
- dividend: a dividend capitalised into shares (saccos_dividend).

Approved transactions are never changed: the holding at any date is the
sum of the approved ones up to it (effective date: the allotment date of
a purchase, the date of the others)."""
from decimal import Decimal

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.saccos_member.document import format_amount as fmt
from trytond.modules.saccos_member.ledger import (
    lock_move_sequences, lock_together, post_move, to_date)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import ShareTransactionError

KINDS = [
    ('purchase', "Purchase"),
    ('redemption', "Redemption"),
    ('transfer_in', "Transfer In"),
    ('transfer_out', "Transfer Out"),
    ('dividend', "Dividend Capitalised"),
    ]
STATES = [
    ('pending', "Pending Approval"),
    ('approved', "Approved"),
    ('rejected', "Rejected"),
    ]
PAYMENT_MODES = [
    ('cash', "Cash"),
    ('bank', "Bank"),
    ('mobile_money', "Mobile Money"),
    ('savings', "Savings Account"),
    ]


class ShareTransaction(ModelSQL, ModelView):
    "Share Transaction"
    __name__ = 'saccos.share.transaction'
    _rec_name = 'number'

    company = fields.Many2One('company.company', "Company", required=True,
        readonly=True)
    account = fields.Many2One(
        'saccos.share.account', "Share Account", required=True,
        readonly=True, ondelete='RESTRICT')
    product = fields.Many2One(
        'saccos.share.product', "Share Product", required=True,
        readonly=True, ondelete='RESTRICT')
    party = fields.Many2One(
        'party.party', "Member", required=True, readonly=True,
        ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True)
    number = fields.Char("Share Reference", readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    effective_date = fields.Date(
        "Effective Date", readonly=True,
        help="When the shares count in the holding: the allotment date "
        "of a purchase, the date of the other transactions.")
    shares = fields.Integer("Shares", required=True, readonly=True)
    signed_shares = fields.Integer(
        "Effect on Shares", required=True, readonly=True)
    unit_price = fields.Numeric(
        "Unit Price", digits='currency', required=True, readonly=True)
    amount = fields.Numeric(
        "Value", digits='currency', required=True, readonly=True)
    signed_amount = fields.Numeric(
        "Effect on Share Capital", digits='currency', required=True,
        readonly=True)
    charge = fields.Numeric("Charge", digits='currency', readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_currency')
    payment_mode = fields.Selection(
        [(None, "")] + PAYMENT_MODES, "Paid By", readonly=True)
    savings_account = fields.Many2One(
        'saccos.savings.account', "Savings Account", readonly=True,
        ondelete='RESTRICT',
        states={
            'invisible': ~Bool(Eval('savings_account')),
            })
    reference = fields.Char("Payment Reference", readonly=True)
    description = fields.Char("Description", readonly=True)
    move = fields.Many2One('account.move', "Move", readonly=True,
        ondelete='RESTRICT')
    approval_date = fields.Date("Approved On", readonly=True)
    approval_move = fields.Many2One('account.move', "Approval Move",
        readonly=True, ondelete='RESTRICT')
    rejection_date = fields.Date("Rejected On", readonly=True)
    rejection_reason = fields.Char("Rejection Reason", readonly=True)
    rejection_move = fields.Many2One('account.move', "Refund Move",
        readonly=True, ondelete='RESTRICT')
    counterpart = fields.Many2One(
        'saccos.share.transaction', "Transfer Counterpart", readonly=True,
        states={
            'invisible': ~Eval('kind').in_(['transfer_in', 'transfer_out']),
            })
    origin = fields.Reference("Origin", selection='get_origin',
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.account, Index.Range()),
                    (t.effective_date, Index.Range())),
                Index(t, (t.party, Index.Range())),
                Index(t, (t.product, Index.Range()),
                    (t.state, Index.Equality())),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls.__access__.add('account')
        cls._buttons.update({
                'approve': {
                    'invisible': Eval('state') != 'pending',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'pending',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def get_origin(cls):
        pool = Pool()
        IrModel = pool.get('ir.model')
        models = cls._get_origin()
        return [(None, '')] + [(m, IrModel.get_name(m)) for m in models]

    @classmethod
    def _get_origin(cls):
        return ['saccos.share.transaction']

    def get_currency(self, name):
        return self.company.currency.id

    def get_rec_name(self, name):
        return self.number or '%s %s' % (self.kind, self.id)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete' or (mode in {'write', 'create'} and external):
            raise AccessError(gettext(
                    'saccos_share.msg_transaction_readonly'))

    # Checks -----------------------------------------------------------------

    @classmethod
    def _lock(cls, accounts, date, savings=()):
        """Lock the share accounts, their products (the issuable total is
        shared), the savings accounts paid from or into and the number
        sequences before any work: Tryton restarts at each new lock"""
        pool = Pool()
        Account = pool.get('saccos.share.account')
        Product = pool.get('saccos.share.product')
        Savings = pool.get('saccos.savings.transaction')
        Sequence = pool.get('ir.sequence.strict')
        ModelData = pool.get('ir.model.data')
        company = accounts[0].company
        sequence = Sequence(ModelData.get_id(
                'saccos_share', 'sequence_share_transaction'))
        savings = [s for s in savings if s]
        locks = [
            lambda: Account.lock(list(accounts)),
            lambda: Product.lock(list({a.product for a in accounts})),
            lambda: lock_move_sequences(company, [date]),
            lambda: Sequence.lock([sequence]),
            ]
        if savings:
            locks.append(lambda: Savings._lock(savings, date))
        lock_together(*locks)
        return Account.browse([a.id for a in accounts])

    @classmethod
    def _check_date(cls, account, date):
        pool = Pool()
        Date = pool.get('ir.date')
        if date > Date.today():
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_date_future',
                    account=account.rec_name, date=date))
        start = account.approval_date or account.submitted_date
        if start and date < start:
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_date_before_account',
                    account=account.rec_name, date=date, start=start))

    @classmethod
    def _check_shares(cls, account, shares):
        if not isinstance(shares, int) or shares <= 0:
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_shares_invalid',
                    account=account.rec_name, shares=shares))

    @classmethod
    def _check_active(cls, account):
        if account.state != 'active':
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_account_not_active',
                    account=account.rec_name))

    @classmethod
    def member_holding(cls, member, product):
        "Approved and pending shares of member in product"
        line = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*line.select(Sum(line.signed_shares),
                where=(line.party == member.id)
                & (line.product == product.id)
                & line.state.in_(['approved', 'pending'])))
        shares, = cursor.fetchone()
        return int(shares or 0)

    @classmethod
    def _check_member_maximum(cls, member, product, shares):
        """Refuse shares more for member above the per-member maximum;
        returns what member holds or has applied for"""
        held = cls.member_holding(member, product)
        maximum = product.member_maximum()
        if held + shares > maximum:
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_above_member_maximum',
                    member=member.rec_name, product=product.rec_name,
                    held=held, shares=shares, maximum=maximum))
        return held

    @classmethod
    def check_limits(cls, account, shares):
        """Refuse shares more for the account's member above the
        per-member maximum or the product's issuable total; a first
        purchase must reach the minimum"""
        pool = Pool()
        Product = pool.get('saccos.share.product')
        product = Product(account.product.id)
        member = account.member
        held = cls._check_member_maximum(member, product, shares)
        minimum = product.minimum_shares or 0
        if held + shares < minimum:
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_below_member_minimum',
                    member=member.rec_name, product=product.rec_name,
                    shares=held + shares, minimum=minimum))
        issued = product.issued_shares + product.pending_shares
        if issued + shares > product.shares_to_issue:
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_above_issuable',
                    product=product.rec_name, shares=shares,
                    left=product.shares_to_issue - issued))

    @classmethod
    def _check_remaining(cls, account, shares):
        "What stays after shares leave must be none or the minimum"
        held = cls.member_holding(account.member, account.product)
        minimum = account.product.minimum_shares or 0
        if 0 < held - shares < minimum:
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_remaining_below_minimum',
                    account=account.rec_name, shares=held - shares,
                    minimum=minimum))

    @classmethod
    def _check_holding(cls, account, shares, date):
        """Refuse more shares leaving account than it holds on date;
        returns the holding and the shares out of lock-in"""
        held, redeemable = cls.redeemable_shares(account, date)
        if shares > held:
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_above_holding',
                    account=account.rec_name, shares=shares, held=held))
        return held, redeemable

    @classmethod
    def redeemable_shares(cls, account, date):
        """Shares of account that can leave on date: the holding less the
        shares still in lock-in (the newest are the last to go)"""
        line = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*line.select(
                line.effective_date, line.signed_shares,
                where=(line.account == account.id)
                & (line.state == 'approved')
                & (line.effective_date <= date)))
        held, locked = 0, 0
        for effective, signed_shares in cursor:
            held += signed_shares
            if (signed_shares > 0
                    and account.lock_in_until(to_date(effective)) > date):
                locked += signed_shares
        return held, held - min(held, locked)

    # Postings ---------------------------------------------------------------

    @classmethod
    def _number(cls):
        pool = Pool()
        Sequence = pool.get('ir.sequence.strict')
        ModelData = pool.get('ir.model.data')
        return Sequence(ModelData.get_id(
                'saccos_share', 'sequence_share_transaction')).get()

    @classmethod
    def _payment_account(cls, company, payment_mode):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        return Configuration(1).require_payment_account(
            payment_mode, company=company)

    @classmethod
    def _value(cls, account, shares):
        value = shares * account.product.unit_price
        return account.currency.round(value)

    @classmethod
    @without_check_access
    def apply_purchase(cls, account, shares, date, payment_mode,
            savings_account=None, reference=None, application=False):
        """Collect the price of shares into suspense and the charge into
        income; the purchase waits for approval"""
        pool = Pool()
        Savings = pool.get('saccos.savings.transaction')
        if payment_mode == 'savings' and not savings_account:
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_savings_account_required',
                    account=account.rec_name))
        account, = cls._lock([account], date, savings=[savings_account])
        if application:
            if account.state != 'draft':
                raise ShareTransactionError(gettext(
                        'saccos_share.msg_account_not_draft',
                        account=account.rec_name))
        else:
            cls._check_active(account)
        cls._check_shares(account, shares)
        cls._check_date(account, date)
        cls.check_limits(account, shares)
        product = account.product
        value = cls._value(account, shares)
        charge = account.purchase_charge_for(value)
        description = gettext('saccos_share.msg_description_purchase',
            shares=shares, product=product.code,
            member=account.member.rec_name)
        if payment_mode == 'savings':
            savings = Savings.withdraw_to(
                savings_account, value, date, product.suspense_account,
                description, fee=charge,
                fee_account=product.fee_income_account, reference=reference)
            move = savings[0].move
        else:
            counter = cls._payment_account(account.company, payment_mode)
            lines = [{
                    'account': counter,
                    'party': account.member if counter.party_required
                    else None,
                    'debit': value + charge,
                    }, {
                    'account': product.suspense_account,
                    'party': account.member,
                    'credit': value,
                    }]
            if charge:
                lines.append({
                        'account': product.fee_income_account,
                        'credit': charge,
                        })
            move = post_move(date, product.journal, lines,
                description=description, company=account.company)
        purchase = cls(
            company=account.company, account=account, product=product,
            party=account.member, kind='purchase', state='pending',
            number=cls._number(), date=date, shares=shares,
            signed_shares=shares, unit_price=product.unit_price,
            amount=value, signed_amount=value, charge=charge,
            payment_mode=payment_mode,
            savings_account=(savings_account
                if payment_mode == 'savings' else None),
            reference=reference or None, description=description, move=move)
        purchase.save()
        return purchase

    @classmethod
    @ModelView.button_action('saccos_share.wizard_approve_purchase')
    def approve(cls, purchases):
        pass

    @classmethod
    @ModelView.button_action('saccos_share.wizard_reject_purchase')
    def reject(cls, purchases):
        pass

    @classmethod
    @without_check_access
    def approve_purchases(cls, purchases, date):
        "Move the price of the purchases from suspense to share capital"
        if not purchases:
            return
        cls._lock([p.account for p in purchases], date)
        for purchase in cls.browse(purchases):
            if purchase.state != 'pending':
                raise ShareTransactionError(gettext(
                        'saccos_share.msg_not_pending',
                        transaction=purchase.rec_name))
            if purchase.account.state not in {'submitted', 'active'}:
                raise ShareTransactionError(gettext(
                        'saccos_share.msg_account_not_active',
                        account=purchase.account.rec_name))
            if date < purchase.date:
                raise ShareTransactionError(gettext(
                        'saccos_share.msg_approval_before_purchase',
                        transaction=purchase.rec_name, date=purchase.date))
            cls._check_date(purchase.account, date)
            product = purchase.product
            description = gettext('saccos_share.msg_description_approval',
                transaction=purchase.rec_name)
            move = post_move(date, product.journal, [{
                        'account': product.suspense_account,
                        'party': purchase.party,
                        'debit': purchase.amount,
                        }, {
                        'account': product.equity_account,
                        'party': purchase.party,
                        'credit': purchase.amount,
                        }], description=description,
                company=purchase.company)
            purchase.state = 'approved'
            purchase.approval_date = purchase.effective_date = date
            purchase.approval_move = move
            purchase.save()

    @classmethod
    @without_check_access
    def reject_purchases(cls, purchases, date, reason=None):
        """Pay the price of the purchases back from suspense, the way it
        came; the charge is not refunded"""
        pool = Pool()
        Savings = pool.get('saccos.savings.transaction')
        if not purchases:
            return
        savings = [p.savings_account for p in purchases if p.savings_account]
        cls._lock([p.account for p in purchases], date, savings=savings)
        for purchase in cls.browse(purchases):
            if purchase.state != 'pending':
                raise ShareTransactionError(gettext(
                        'saccos_share.msg_not_pending',
                        transaction=purchase.rec_name))
            if date < purchase.date:
                raise ShareTransactionError(gettext(
                        'saccos_share.msg_approval_before_purchase',
                        transaction=purchase.rec_name, date=purchase.date))
            product = purchase.product
            description = gettext('saccos_share.msg_description_refund',
                transaction=purchase.rec_name)
            if purchase.payment_mode == 'savings':
                move = Savings.deposit_from(
                    purchase.savings_account, purchase.amount, date,
                    product.suspense_account, description)[0].move
            else:
                counter = cls._payment_account(
                    purchase.company, purchase.payment_mode)
                move = post_move(date, product.journal, [{
                            'account': product.suspense_account,
                            'party': purchase.party,
                            'debit': purchase.amount,
                            }, {
                            'account': counter,
                            'party': purchase.party
                            if counter.party_required else None,
                            'credit': purchase.amount,
                            }], description=description,
                    company=purchase.company)
            purchase.state = 'rejected'
            purchase.rejection_date = date
            purchase.rejection_reason = reason
            purchase.rejection_move = move
            purchase.save()

    @classmethod
    @without_check_access
    def redeem(cls, account, shares, date, payment_mode,
            savings_account=None):
        """Pay shares out of lock-in back to the member at the nominal
        price, less the redeem charge"""
        pool = Pool()
        Account = pool.get('saccos.share.account')
        Savings = pool.get('saccos.savings.transaction')
        if payment_mode == 'savings':
            savings_account = savings_account or account.savings_account
            if not savings_account:
                raise ShareTransactionError(gettext(
                        'saccos_share.msg_savings_account_required',
                        account=account.rec_name))
        else:
            savings_account = None
        account, = cls._lock([account], date, savings=[savings_account])
        cls._check_active(account)
        cls._check_shares(account, shares)
        cls._check_date(account, date)
        held, redeemable = cls._check_holding(account, shares, date)
        if shares > redeemable:
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_lock_in',
                    account=account.rec_name, shares=shares,
                    redeemable=redeemable, date=date))
        cls._check_remaining(account, shares)
        product = account.product
        value = cls._value(account, shares)
        charge = account.redeem_charge_for(value)
        payout = value - charge
        if payout <= 0:
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_charge_above_value',
                    account=account.rec_name, charge=fmt(charge),
                    value=fmt(value)))
        description = gettext('saccos_share.msg_description_redemption',
            shares=shares, product=product.code,
            member=account.member.rec_name)
        charge_lines = [{
                'account': product.equity_account,
                'party': account.member,
                'debit': charge,
                }, {
                'account': product.fee_income_account,
                'credit': charge,
                }] if charge else []
        if savings_account:
            move = Savings.deposit_from(
                savings_account, payout, date, product.equity_account,
                description, extra_lines=charge_lines)[0].move
        else:
            counter = cls._payment_account(account.company, payment_mode)
            move = post_move(date, product.journal, [{
                        'account': product.equity_account,
                        'party': account.member,
                        'debit': payout,
                        }, {
                        'account': counter,
                        'party': account.member
                        if counter.party_required else None,
                        'credit': payout,
                        }] + charge_lines,
                description=description, company=account.company)
        redemption = cls(
            company=account.company, account=account, product=product,
            party=account.member, kind='redemption', state='approved',
            number=cls._number(), date=date, effective_date=date,
            shares=shares, signed_shares=-shares,
            unit_price=product.unit_price, amount=value,
            signed_amount=-value, charge=charge, payment_mode=payment_mode,
            savings_account=savings_account, description=description,
            move=move)
        redemption.save()
        if shares == held:
            Account.close([account], date)
        return redemption

    @classmethod
    @without_check_access
    def transfer(cls, source, destination, shares, date):
        """Move shares, and their share capital, from one member to
        another at the nominal price"""
        pool = Pool()
        Account = pool.get('saccos.share.account')
        if (source.product != destination.product
                or source.member == destination.member):
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_transfer_accounts',
                    source=source.rec_name,
                    destination=destination.rec_name))
        source, destination = cls._lock([source, destination], date)
        for account in (source, destination):
            cls._check_active(account)
            cls._check_date(account, date)
        cls._check_shares(source, shares)
        held, _ = cls._check_holding(source, shares, date)
        cls._check_remaining(source, shares)
        product = source.product
        # The product's issued total does not change: check the member.
        cls._check_member_maximum(destination.member, product, shares)
        value = cls._value(source, shares)
        description = gettext('saccos_share.msg_description_transfer',
            shares=shares, source=source.rec_name,
            destination=destination.rec_name)
        move = post_move(date, product.journal, [{
                    'account': product.equity_account,
                    'party': source.member,
                    'debit': value,
                    }, {
                    'account': product.equity_account,
                    'party': destination.member,
                    'credit': value,
                    }], description=description, company=source.company)
        number = cls._number()
        legs = [cls(
                company=a.company, account=a, product=product,
                party=a.member, kind=kind, state='approved', number=number,
                date=date, effective_date=date, shares=shares,
                signed_shares=sign * shares, unit_price=product.unit_price,
                amount=value, signed_amount=sign * value,
                charge=Decimal(0), description=description, move=move)
            for a, kind, sign in [(source, 'transfer_out', -1),
                (destination, 'transfer_in', 1)]]
        cls.save(legs)
        legs[0].counterpart, legs[1].counterpart = legs[1], legs[0]
        cls.save(legs)
        if shares == held:
            Account.close([source], date)
        return legs


class SavingsTransaction(metaclass=PoolMeta):
    __name__ = 'saccos.savings.transaction'

    @classmethod
    def check_reversible(cls, transactions):
        """A savings transaction that paid for shares or received their
        value cannot be reversed alone: the share transaction would stand
        without its money"""
        pool = Pool()
        Share = pool.get('saccos.share.transaction')
        super().check_reversible(transactions)
        moves = [t.move.id for t in transactions if t.move]
        if not moves:
            return
        shares = Share.search(['OR',
                ('move', 'in', moves),
                ('rejection_move', 'in', moves),
                ], limit=1)
        if shares:
            raise ShareTransactionError(gettext(
                    'saccos_share.msg_savings_reversal',
                    transaction=shares[0].rec_name))
