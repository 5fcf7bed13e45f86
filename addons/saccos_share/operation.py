# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The counter operations on a share account, as wizards opened from its
form: additional purchase, redemption, transfer to another member, and
the rejection of a pending purchase with its reason."""
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .transaction import PAYMENT_MODES

OPERATIONS = [
    ('buy', "Additional Shares"),
    ('redeem', "Redemption"),
    ('transfer', "Transfer"),
    ('reject', "Rejection"),
    ('approve', "Approval"),
    ]
_op = Eval('operation')


class OperationStart(ModelView):
    "Share Operation"
    __name__ = 'saccos.share.operation.start'
    operation = fields.Selection(OPERATIONS, "Operation", readonly=True)
    account = fields.Many2One(
        'saccos.share.account', "Share Account", readonly=True)
    member = fields.Many2One('party.party', "Member", readonly=True)
    product = fields.Many2One(
        'saccos.share.product', "Share Product", readonly=True)
    shares_held = fields.Integer("Shares Held", readonly=True)
    date = fields.Date("Date", required=True)
    shares = fields.Integer("Shares",
        domain=['OR', ('shares', '=', None), ('shares', '>', 0)],
        states={
            'required': ~_op.in_(['reject', 'approve']),
            'invisible': _op.in_(['reject', 'approve']),
            })
    payment_mode = fields.Selection(
        [(None, "")] + PAYMENT_MODES, "Paid By",
        states={
            'required': _op.in_(['buy', 'redeem']),
            'invisible': ~_op.in_(['buy', 'redeem']),
            })
    savings_account = fields.Many2One(
        'saccos.savings.account', "Savings Account",
        domain=[
            ('owner', '=', Eval('member', -1)),
            ('state', 'in', ['active', 'inactive']),
            ],
        states={
            'required': Eval('payment_mode') == 'savings',
            'invisible': Eval('payment_mode') != 'savings',
            })
    reference = fields.Char("Payment Reference",
        states={
            'invisible': _op != 'buy',
            })
    destination = fields.Many2One(
        'saccos.share.account', "To Share Account",
        domain=[
            ('product', '=', Eval('product', -1)),
            ('member', '!=', Eval('member', -1)),
            ('state', '=', 'active'),
            ],
        states={
            'required': _op == 'transfer',
            'invisible': _op != 'transfer',
            })
    reason = fields.Char("Reason",
        states={
            'required': _op == 'reject',
            'invisible': _op != 'reject',
            })


class _Operation(Wizard):
    start = StateView('saccos.share.operation.start',
        'saccos_share.operation_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("OK", 'post', 'tryton-ok', default=True),
            ])
    post = StateTransition()
    operation = None

    @property
    def account(self):
        return self.record

    def default_start(self, fields):
        pool = Pool()
        Date = pool.get('ir.date')
        account = self.account
        values = {
            'operation': self.operation,
            'date': Date.today(),
            'account': account.id,
            'member': account.member.id,
            'product': account.product.id,
            'shares_held': account.shares,
            }
        if self.operation in {'buy', 'redeem'}:
            values['payment_mode'] = (
                'savings' if account.savings_account else 'cash')
            if account.savings_account:
                values['savings_account'] = account.savings_account.id
        return values

    def transition_post(self):
        self.do_operation()
        return 'end'


class BuyShares(_Operation):
    "Buy Additional Shares"
    __name__ = 'saccos.share.buy'
    operation = 'buy'

    def do_operation(self):
        pool = Pool()
        Line = pool.get('saccos.share.transaction')
        Line.apply_purchase(
            self.account, self.start.shares, self.start.date,
            self.start.payment_mode,
            savings_account=self.start.savings_account,
            reference=self.start.reference)


class RedeemShares(_Operation):
    "Redeem Shares"
    __name__ = 'saccos.share.redeem'
    operation = 'redeem'

    def do_operation(self):
        pool = Pool()
        Line = pool.get('saccos.share.transaction')
        Line.redeem(self.account, self.start.shares, self.start.date,
            self.start.payment_mode,
            savings_account=self.start.savings_account)


class TransferShares(_Operation):
    "Transfer Shares"
    __name__ = 'saccos.share.transfer'
    operation = 'transfer'

    def do_operation(self):
        pool = Pool()
        Line = pool.get('saccos.share.transaction')
        Line.transfer(self.account, self.start.destination,
            self.start.shares, self.start.date)


class RejectPurchase(_Operation):
    "Reject Share Purchase"
    __name__ = 'saccos.share.purchase.reject'
    operation = 'reject'

    @property
    def account(self):
        return self.record.account

    def default_start(self, fields):
        values = super().default_start(fields)
        values.pop('payment_mode', None)
        values.pop('savings_account', None)
        return values

    def do_operation(self):
        pool = Pool()
        Line = pool.get('saccos.share.transaction')
        Line.reject_purchases(
            list(self.records), self.start.date, self.start.reason)


class ApprovePurchase(RejectPurchase):
    "Approve Share Purchase"
    __name__ = 'saccos.share.purchase.approve'
    operation = 'approve'

    def do_operation(self):
        pool = Pool()
        Line = pool.get('saccos.share.transaction')
        Line.approve_purchases(list(self.records), self.start.date)
