# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Holds (liens) on savings: money that stays in the account, and in the
ledger, but cannot be withdrawn, such as a guarantor's savings pledged
for a loan.  A hold moves no money, so it posts nothing; it lowers the
available balance until it is released, in whole or in part.

Other modules place holds through `Hold.place(account, amount, reason,
origin)` and release them with `Hold.release_amount(hold, amount, date)`
(the loan module releases a guarantor's lien as the principal is
repaid)."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval

from trytond.modules.saccos_member.document import format_amount as fmt

from .exceptions import SavingsHoldError


class Hold(Workflow, ModelSQL, ModelView):
    "Savings Hold"
    __name__ = 'saccos.savings.hold'
    company = fields.Many2One('company.company', "Company", required=True,
        readonly=True)
    account = fields.Many2One(
        'saccos.savings.account', "Account", required=True, readonly=True,
        ondelete='RESTRICT')
    date = fields.Date("Date", required=True, readonly=True)
    amount = fields.Numeric(
        "Amount", digits='currency', required=True, readonly=True)
    released_amount = fields.Numeric(
        "Released", digits='currency', required=True, readonly=True)
    remaining_amount = fields.Function(fields.Numeric(
            "On Hold", digits='currency'), 'get_remaining_amount')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_currency')
    reason = fields.Char("Reason", required=True, readonly=True)
    origin = fields.Reference(
        "Origin", selection='get_origin', readonly=True)
    release_date = fields.Date("Released On", readonly=True)
    state = fields.Selection([
            ('active', "Active"),
            ('released', "Released"),
            ], "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.account, Index.Range()),
                (t.state, Index.Equality())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls.__access__.add('account')
        cls._transitions |= {('active', 'released')}
        cls._buttons.update({
                'release': {
                    'invisible': Eval('state') != 'active',
                    'icon': 'tryton-unlock',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'active'

    @classmethod
    def default_released_amount(cls):
        return Decimal(0)

    @classmethod
    def _get_origin(cls):
        "Models that place holds"
        return ['saccos.savings.account']

    @classmethod
    def get_origin(cls):
        pool = Pool()
        Model = pool.get('ir.model')
        get_name = Model.get_name
        return [(None, '')] + [(m, get_name(m)) for m in cls._get_origin()]

    def get_remaining_amount(self, name):
        if self.state != 'active':
            return Decimal(0)
        return self.amount - self.released_amount

    def get_currency(self, name):
        return self.company.currency.id

    def get_rec_name(self, name):
        return '%s (%s)' % (self.reason, self.amount)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete':
            raise AccessError(gettext('saccos_savings.msg_hold_delete'))

    @classmethod
    def place(cls, account, amount, reason, origin=None, date=None):
        pool = Pool()
        Date = pool.get('ir.date')
        Account = pool.get('saccos.savings.account')
        Account.lock([account])
        account = Account(account.id)
        if account.state not in {'active', 'inactive'}:
            raise SavingsHoldError(gettext(
                    'saccos_savings.msg_hold_account_not_open',
                    account=account.rec_name))
        if (amount is None or amount <= 0
                or account.currency.round(amount) != amount):
            raise SavingsHoldError(gettext(
                    'saccos_savings.msg_amount_invalid',
                    account=account.rec_name, amount=amount))
        # A hold is backed by money in the account, not by other holds.
        free = account.balance - account.on_hold
        if amount > free:
            raise SavingsHoldError(gettext(
                    'saccos_savings.msg_hold_exceeds',
                    account=account.rec_name, amount=fmt(amount),
                    free=fmt(free)))
        hold = cls(
            company=account.company, account=account, amount=amount,
            reason=reason, origin=origin, date=date or Date.today())
        hold.save()
        return hold

    @classmethod
    def release_amount(cls, hold, amount, date=None):
        "Release part of a hold; the whole of it releases the hold"
        pool = Pool()
        Date = pool.get('ir.date')
        cls.lock([hold])
        hold = cls(hold.id)
        if hold.state != 'active' or amount <= 0:
            raise SavingsHoldError(gettext(
                    'saccos_savings.msg_hold_release_amount',
                    hold=hold.rec_name, amount=fmt(amount)))
        remaining = hold.amount - hold.released_amount
        amount = min(amount, remaining)
        hold.released_amount += amount
        hold.save()
        if hold.released_amount >= hold.amount:
            cls.write([hold], {'release_date': date or Date.today()})
            cls._release([hold])
        return hold

    @classmethod
    @ModelView.button
    def release(cls, holds):
        pool = Pool()
        Date = pool.get('ir.date')
        for hold in holds:
            cls.release_amount(hold, hold.amount - hold.released_amount,
                Date.today())

    @classmethod
    @Workflow.transition('released')
    def _release(cls, holds):
        pass
