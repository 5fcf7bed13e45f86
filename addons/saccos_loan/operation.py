# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The operations on a loan, as wizards opened from its form:
disbursement, repayment, waiver, write-off, recovery (from guarantors or
after write-off), top-up and rescheduling (a new loan that settles this
one), the reversal of a payment and the schedule preview."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .exceptions import LoanPaymentError
from .loan import DISBURSEMENT_MODES

OPERATIONS = [
    ('disburse', "Disbursement"),
    ('repay', "Repayment"),
    ('waive', "Waiver"),
    ('write_off', "Write-off"),
    ('recover', "Recovery"),
    ]
_op = Eval('operation')


class OperationStart(ModelView):
    "Loan Operation"
    __name__ = 'saccos.loan.operation.start'
    operation = fields.Selection(OPERATIONS, "Operation", readonly=True)
    loan = fields.Many2One('saccos.loan', "Loan", readonly=True)
    member = fields.Many2One('party.party', "Member", readonly=True)
    loan_state = fields.Char("Loan State", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency",
        readonly=True)
    date = fields.Date("Date", required=True)
    amount = fields.Numeric("Amount", digits='currency',
        domain=['OR', ('amount', '=', None), ('amount', '>', 0)],
        states={
            'required': _op.in_(['repay', 'recover']),
            'invisible': ~_op.in_(['repay', 'recover']),
            })
    payoff = fields.Numeric("Payoff", digits='currency', readonly=True,
        states={
            'invisible': _op != 'repay',
            },
        help="What closes the loan on the date: due amounts, the next "
        "instalment and the principal left.")
    arrears = fields.Numeric("Arrears", digits='currency', readonly=True,
        states={
            'invisible': ~_op.in_(['repay', 'waive', 'write_off']),
            })
    payment_mode = fields.Selection(DISBURSEMENT_MODES, "Payment Mode",
        states={
            'required': _op.in_(['disburse', 'repay'])
            | ((_op == 'recover') & ~Eval('guarantee')),
            'invisible': ~_op.in_(['disburse', 'repay', 'recover'])
            | Bool(Eval('guarantee')),
            })
    savings_account = fields.Many2One(
        'saccos.savings.account', "Savings Account",
        domain=[
            ('owner', '=', Eval('member', -1)),
            ('state', 'in', ['active', 'inactive']),
            ],
        states={
            'required': Eval('payment_mode') == 'savings',
            'invisible': (Eval('payment_mode') != 'savings')
            | Bool(Eval('guarantee')),
            })
    guarantee = fields.Many2One(
        'saccos.loan.guarantee', "From Guarantor",
        domain=[('loan', '=', Eval('loan', -1))],
        states={
            'invisible': _op != 'recover',
            'required': (_op == 'recover') & (Eval('loan_state') == 'active'),
            },
        help="Recover from this guarantor's held savings.")
    reference = fields.Char("Payment Reference",
        states={
            'invisible': ~_op.in_(['disburse', 'repay', 'recover']),
            })
    interest = fields.Numeric("Interest to Waive", digits='currency',
        states={
            'invisible': _op != 'waive',
            })
    penalty = fields.Numeric("Penalties to Waive", digits='currency',
        states={
            'invisible': _op != 'waive',
            })
    fee = fields.Numeric("Fees to Waive", digits='currency',
        states={
            'invisible': _op != 'waive',
            })
    reason = fields.Char("Reason",
        states={
            'required': _op.in_(['waive', 'write_off']),
            'invisible': ~_op.in_(['waive', 'write_off']),
            })

    @fields.depends('operation', 'loan', 'date')
    def on_change_with_payoff(self):
        pool = Pool()
        Transaction_ = pool.get('saccos.loan.transaction')
        if self.operation == 'repay' and self.loan and self.date:
            return Transaction_.payoff(self.loan, self.date)


class _Operation(Wizard):
    start = StateView('saccos.loan.operation.start',
        'saccos_loan.operation_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("OK", 'post', 'tryton-ok', default=True),
            ])
    post = StateTransition()
    operation = None

    def default_start(self, fields):
        pool = Pool()
        Date = pool.get('ir.date')
        Transaction_ = pool.get('saccos.loan.transaction')
        loan = self.record
        date = Date.today()
        values = {
            'operation': self.operation,
            'loan': loan.id,
            'member': loan.member.id,
            'loan_state': loan.state,
            'currency': loan.currency.id,
            'date': date,
            'arrears': loan.arrears_amount,
            }
        if self.operation == 'disburse':
            values['payment_mode'] = loan.disbursement_mode
        if self.operation in {'disburse', 'repay'} and loan.savings_account:
            values['savings_account'] = loan.savings_account.id
        if self.operation == 'repay':
            values['payoff'] = Transaction_.payoff(loan, date)
            values['payment_mode'] = 'cash'
        return values

    def transition_post(self):
        self.do_operation()
        return 'end'


class Disburse(_Operation):
    "Disburse Loan"
    __name__ = 'saccos.loan.disburse'
    operation = 'disburse'

    def do_operation(self):
        pool = Pool()
        Transaction_ = pool.get('saccos.loan.transaction')
        Transaction_.disburse(self.record, self.start.date,
            self.start.payment_mode,
            savings_account=self.start.savings_account,
            reference=self.start.reference)


class Repay(_Operation):
    "Repay Loan"
    __name__ = 'saccos.loan.repay'
    operation = 'repay'

    def do_operation(self):
        pool = Pool()
        Transaction_ = pool.get('saccos.loan.transaction')
        Transaction_.repay(self.record, self.start.amount, self.start.date,
            self.start.payment_mode,
            savings_account=self.start.savings_account,
            reference=self.start.reference)


class Waive(_Operation):
    "Waive Interest or Penalties"
    __name__ = 'saccos.loan.waive'
    operation = 'waive'

    def do_operation(self):
        pool = Pool()
        Transaction_ = pool.get('saccos.loan.transaction')
        Transaction_.waive(self.record, self.start.date, self.start.reason,
            interest=self.start.interest, penalty=self.start.penalty,
            fee=self.start.fee)


class WriteOff(_Operation):
    "Write Off Loan"
    __name__ = 'saccos.loan.write_off'
    operation = 'write_off'

    def do_operation(self):
        pool = Pool()
        Transaction_ = pool.get('saccos.loan.transaction')
        Transaction_.write_off(self.record, self.start.date,
            self.start.reason)


class Recover(_Operation):
    "Recover Loan"
    __name__ = 'saccos.loan.recover'
    operation = 'recover'

    def do_operation(self):
        pool = Pool()
        Transaction_ = pool.get('saccos.loan.transaction')
        if self.start.guarantee:
            Transaction_.recover_from_guarantor(self.start.guarantee,
                self.start.amount, self.start.date)
        else:
            Transaction_.recover(self.record, self.start.amount,
                self.start.date, self.start.payment_mode,
                savings_account=self.start.savings_account,
                reference=self.start.reference)


class RenewStart(ModelView):
    "New Loan from a Loan"
    __name__ = 'saccos.loan.renew.start'
    loan = fields.Many2One('saccos.loan', "Loan", readonly=True)
    kind = fields.Selection([
            ('top_up', "Top-up"),
            ('reschedule', "Rescheduling"),
            ], "Kind", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency",
        readonly=True)
    payoff = fields.Numeric("Payoff Today", digits='currency',
        readonly=True)
    amount = fields.Numeric("New Amount", digits='currency', required=True,
        states={
            'readonly': Eval('kind') == 'reschedule',
            },
        help="A rescheduling lends exactly what settles the loan.")
    term = fields.Integer("Instalments", required=True,
        domain=[('term', '>=', 1)])
    rate = fields.Numeric("Rate (% a Year)", digits=(16, 4), required=True)


class Renew(Wizard):
    """Draft the loan that tops up or reschedules this one; it goes
    through appraisal and approval and settles this loan when it is
    disbursed"""
    __name__ = 'saccos.loan.renew'
    start = StateView('saccos.loan.renew.start',
        'saccos_loan.renew_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create", 'create_', 'tryton-ok', default=True),
            ])
    create_ = StateTransition()
    open_ = StateAction('saccos_loan.act_loan_form')
    kind = None

    def default_start(self, fields):
        pool = Pool()
        Date = pool.get('ir.date')
        Transaction_ = pool.get('saccos.loan.transaction')
        loan = self.record
        payoff = Transaction_.payoff(loan, Date.today())
        remaining = len([i for i in loan.installments if i.state == 'open'])
        return {
            'loan': loan.id,
            'kind': self.kind,
            'currency': loan.currency.id,
            'payoff': payoff,
            'amount': payoff,
            'term': remaining or loan.term,
            'rate': loan.rate,
            }

    def transition_create_(self):
        pool = Pool()
        Loan = pool.get('saccos.loan')
        old = self.record
        if Loan.search([
                    ('settles', '=', old.id),
                    ('state', 'not in', ['rejected', 'withdrawn']),
                    ], limit=1):
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_renewal_pending', loan=old.rec_name))
        new, = Loan.copy([old], default={
                'kind': self.kind,
                'settles': old.id,
                'amount': self.start.amount,
                'term': self.start.term,
                'rate': self.start.rate,
                'application_date': Pool().get('ir.date').today(),
                'guarantees': None,
                'collaterals': None,
                'expected_disbursement_date': None,
                'first_due_date': None,
                })
        self.start.loan = new
        return 'open_'

    def do_open_(self, action):
        action['res_id'] = [self.start.loan.id]
        action['views'].reverse()
        return action, {}


class TopUp(Renew):
    "Top Up Loan"
    __name__ = 'saccos.loan.top_up'
    kind = 'top_up'


class Reschedule(Renew):
    "Reschedule Loan"
    __name__ = 'saccos.loan.reschedule'
    kind = 'reschedule'


class ReverseStart(ModelView):
    "Reverse Loan Payment"
    __name__ = 'saccos.loan.reverse.start'
    date = fields.Date("Date", required=True)
    reason = fields.Char("Reason", required=True)


class Reverse(Wizard):
    "Reverse Loan Payment"
    __name__ = 'saccos.loan.reverse'
    start = StateView('saccos.loan.reverse.start',
        'saccos_loan.reverse_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Reverse", 'reverse', 'tryton-ok', default=True),
            ])
    reverse = StateTransition()

    def default_start(self, fields):
        return {'date': Pool().get('ir.date').today()}

    def transition_reverse(self):
        pool = Pool()
        Transaction_ = pool.get('saccos.loan.transaction')
        for transaction in self.records:
            Transaction_.post_reversal(transaction, self.start.date,
                self.start.reason)
        return 'end'


class SchedulePreview(ModelView):
    "Loan Schedule Preview"
    __name__ = 'saccos.loan.schedule.preview'
    loan = fields.Many2One('saccos.loan', "Loan", readonly=True)
    date = fields.Date("Disbursed On", readonly=True)
    rows = fields.One2Many('saccos.loan.schedule.row', None, "Schedule",
        readonly=True)
    total_interest = fields.Numeric("Total Interest", digits=(16, 2),
        readonly=True)
    total_repayable = fields.Numeric("Total Repayable", digits=(16, 2),
        readonly=True)


class PreviewSchedule(Wizard):
    "Preview Loan Schedule"
    __name__ = 'saccos.loan.preview_schedule'
    start = StateView('saccos.loan.schedule.preview',
        'saccos_loan.schedule_preview_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        pool = Pool()
        Row = pool.get('saccos.loan.schedule.row')
        Date = pool.get('ir.date')
        loan = self.record
        date = (loan.disbursement_date or loan.expected_disbursement_date
            or Date.today())
        if loan.installments:
            rows = loan.installments
            balance = loan.amount
            values = []
            for installment in rows:
                balance -= installment.principal
                values.append({
                        'number': installment.number,
                        'due_date': installment.due_date,
                        'currency': loan.currency.id,
                        'principal': installment.principal,
                        'interest': installment.interest,
                        'fee': installment.fee,
                        'total': installment.total,
                        'balance': balance,
                        })
        else:
            values = Row.values(loan.schedule_rows(date), loan.currency)
        return {
            'loan': loan.id,
            'date': date,
            'rows': values,
            'total_interest': sum(v['interest'] for v in values),
            'total_repayable': sum(v['total'] for v in values),
            }
