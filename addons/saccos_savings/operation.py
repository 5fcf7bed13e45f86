# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The counter operations on a savings account, as wizards opened from
its form: deposit, withdrawal, transfer, charge, hold, waiver of a
deposit due, closure, and the reversal of a transaction."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import SavingsAccountError

OPERATIONS = [
    ('deposit', "Deposit"),
    ('withdraw', "Withdrawal"),
    ('transfer', "Transfer"),
    ('charge', "Charge"),
    ('hold', "Hold"),
    ('waive', "Waive Deposit Due"),
    ('close', "Closure"),
    ('reverse', "Reversal"),
    ]
_op = Eval('operation')


class OperationStart(ModelView):
    "Savings Operation"
    __name__ = 'saccos.savings.operation.start'
    operation = fields.Selection(OPERATIONS, "Operation", readonly=True)
    account = fields.Many2One(
        'saccos.savings.account', "Account", readonly=True)
    owner = fields.Many2One('party.party', "Owner", readonly=True)
    is_group = fields.Boolean("Group Account", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency",
        readonly=True)
    transaction = fields.Many2One(
        'saccos.savings.transaction', "Transaction", readonly=True,
        states={
            'invisible': _op != 'reverse',
            })
    date = fields.Date("Date", required=True)
    amount = fields.Numeric(
        "Amount", digits='currency',
        states={
            'required': _op.in_(
                ['deposit', 'withdraw', 'transfer', 'charge', 'hold',
                    'waive']),
            'invisible': _op.in_(['close', 'reverse']),
            })
    payment_mode = fields.Selection([
            (None, ""),
            ('cash', "Cash"),
            ('bank', "Bank"),
            ('mobile_money', "Mobile Money"),
            ], "Payment Mode",
        states={
            'required': _op.in_(['deposit', 'withdraw', 'close']),
            'invisible': ~_op.in_(['deposit', 'withdraw', 'close']),
            })
    reference = fields.Char("Reference",
        states={
            'invisible': ~_op.in_(['deposit', 'withdraw', 'transfer']),
            },
        help="The bank slip, mobile money or other payer reference.")
    transacted_by = fields.Many2One(
        'party.party', "Transacted By",
        domain=[
            ('group_memberships.group', '=', Eval('owner', -1)),
            ],
        states={
            'invisible': ~Bool(Eval('is_group'))
            | ~_op.in_(['deposit', 'withdraw', 'transfer']),
            },
        help="The group member at the counter.")
    destination = fields.Many2One(
        'saccos.savings.account', "To Account",
        domain=[
            ('owner', '=', Eval('owner', -1)),
            ('id', '!=', Eval('account', -1)),
            ('state', 'in', ['active', 'inactive']),
            ],
        states={
            'required': _op == 'transfer',
            'invisible': _op != 'transfer',
            })
    due_date = fields.Date("Due Date",
        states={
            'required': _op == 'waive',
            'invisible': _op != 'waive',
            },
        help="The due date whose deposit is waived: a past one for an "
        "overdue amount, the next one for the original amount.")
    description = fields.Char("Description",
        states={
            'required': _op.in_(['charge', 'hold', 'waive', 'reverse']),
            })


class _Operation(Wizard):
    start = StateView('saccos.savings.operation.start',
        'saccos_savings.operation_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("OK", 'post', 'tryton-ok', default=True),
            ])
    post = StateTransition()
    operation = None

    def default_start(self, fields):
        pool = Pool()
        Date = pool.get('ir.date')
        values = {
            'operation': self.operation,
            'date': Date.today(),
            }
        account = self.account
        if account:
            values.update({
                    'account': account.id,
                    'owner': account.owner.id,
                    'is_group': account.owner.member_kind == 'group',
                    'currency': account.currency.id,
                    })
            if self.operation in {'deposit', 'withdraw', 'close'}:
                values['payment_mode'] = 'cash'
            if self.operation == 'waive':
                schedule = account.deposit_schedule(Date.today())
                if schedule.missed:
                    values['due_date'] = schedule.missed[0][0]
                    values['amount'] = schedule.missed[0][1]
                elif schedule.next_date:
                    values['due_date'] = schedule.next_date
                    values['amount'] = schedule.next_amount
        return values

    @property
    def account(self):
        if self.model and self.model.__name__ == 'saccos.savings.account':
            return self.record
        return None

    def transition_post(self):
        self.do_operation(self.account, self.start)
        return 'end'

    def do_operation(self, account, start):
        raise NotImplementedError


class Deposit(_Operation):
    "Deposit"
    __name__ = 'saccos.savings.deposit'
    operation = 'deposit'

    def do_operation(self, account, start):
        pool = Pool()
        Line = pool.get('saccos.savings.transaction')
        Line.deposit(account, start.amount, start.date, start.payment_mode,
            reference=start.reference, transacted_by=start.transacted_by,
            description=start.description)


class Withdraw(_Operation):
    "Withdraw"
    __name__ = 'saccos.savings.withdraw'
    operation = 'withdraw'

    def do_operation(self, account, start):
        pool = Pool()
        Line = pool.get('saccos.savings.transaction')
        Line.withdraw(account, start.amount, start.date,
            start.payment_mode, reference=start.reference,
            transacted_by=start.transacted_by,
            description=start.description)


class Transfer(_Operation):
    "Transfer between Accounts"
    __name__ = 'saccos.savings.transfer'
    operation = 'transfer'

    def do_operation(self, account, start):
        pool = Pool()
        Line = pool.get('saccos.savings.transaction')
        Line.transfer(account, start.destination, start.amount, start.date,
            reference=start.reference, transacted_by=start.transacted_by,
            description=start.description)


class Charge(_Operation):
    "Charge Account"
    __name__ = 'saccos.savings.charge'
    operation = 'charge'

    def do_operation(self, account, start):
        pool = Pool()
        Line = pool.get('saccos.savings.transaction')
        Line.apply_charge(account, start.amount, start.date,
            start.description)


class PlaceHold(_Operation):
    "Place Hold"
    __name__ = 'saccos.savings.place_hold'
    operation = 'hold'

    def do_operation(self, account, start):
        pool = Pool()
        Hold = pool.get('saccos.savings.hold')
        Hold.place(account, start.amount, start.description,
            origin=account, date=start.date)


class Waive(_Operation):
    "Waive Deposit Due"
    __name__ = 'saccos.savings.waive'
    operation = 'waive'

    def do_operation(self, account, start):
        pool = Pool()
        Waiver = pool.get('saccos.savings.due.waiver')
        Waiver.waive(account, start.due_date, start.amount,
            start.description, start.date)


class Close(_Operation):
    "Close Savings Account"
    __name__ = 'saccos.savings.close'
    operation = 'close'

    def do_operation(self, account, start):
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        Account.close_account(account, start.date, start.payment_mode,
            start.description)


class Reverse(_Operation):
    "Reverse Savings Transaction"
    __name__ = 'saccos.savings.reverse'
    operation = 'reverse'

    def default_start(self, fields):
        values = super().default_start(fields)
        transaction = self.record
        values.update({
                'transaction': transaction.id,
                'account': transaction.account.id,
                'owner': transaction.party.id,
                'currency': transaction.currency.id,
                })
        return values

    def transition_post(self):
        pool = Pool()
        Line = pool.get('saccos.savings.transaction')
        if not self.start.description:
            raise SavingsAccountError(gettext(
                    'saccos_savings.msg_reason_required'))
        Line.post_reversal(
            [self.record], self.start.date, self.start.description)
        return 'end'
