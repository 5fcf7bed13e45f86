# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan transactions: every change of what a loan owes.

Disbursement, repayment, recovery from a guarantor, settlement by a new
loan, penalty, accrual, waiver, write-off and recovery after write-off
are each a transaction with its posted move (a waiver of interest never
booked has none) and its lines, one per instalment touched, with the
principal, interest, fee and penalty it changed.  The lines are what a
reversal undoes; the move's lines, swapped, are what it posts.

Ledger rules (the loan portfolio account holds exactly the principal
outstanding of the active loans, member by member):
- principal: the portfolio account, with the member as party;
- interest: income when paid (cash products); for accrual products the
  daily job books it to interest receivable as it is earned and a
  payment clears the receivable (what is paid before it is accrued is
  accrued and cleared in the same move, so accrued >= paid always);
- penalties: charged to charges receivable, with penalty income, when
  the daily job raises them; payments clear the receivable;
- fees: income when collected (deducted at disbursement or paid with an
  instalment).

A payment is allocated across the instalments due, component by
component in the product's order (all penalties due first, then fees
...: the oldest instalment first within a component), then to the next
instalment, and what is left prepays principal (prepayment policy).
Overpayment is refused: a payment above what would close the loan on its
date (the payoff) is an error, never a credit balance."""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.saccos_member.document import format_amount as fmt
from trytond.modules.saccos_member.ledger import (
    lock_move_sequences, lock_together, post_move)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import without_check_access

from .exceptions import LoanPaymentError
from .installment import COMPONENTS
from .schedule import schedule

KINDS = [
    ('disbursement', "Disbursement"),
    ('repayment', "Repayment"),
    ('guarantor_recovery', "Recovery from Guarantor"),
    ('settlement', "Settled by New Loan"),
    ('penalty', "Penalty"),
    ('accrual', "Interest Accrual"),
    ('waiver', "Waiver"),
    ('write_off', "Write-off"),
    ('recovery', "Recovery after Write-off"),
    ]
PAYMENT_MODES = [
    (None, ""),
    ('cash', "Cash"),
    ('bank', "Bank"),
    ('mobile_money', "Mobile Money"),
    ('savings', "Savings"),
    ('loan', "New Loan"),
    ]
# The kinds that pay what a loan owes.
PAYMENT_KINDS = {'repayment', 'guarantor_recovery'}
REVERSIBLE_KINDS = PAYMENT_KINDS | {'recovery'}
ZERO = Decimal(0)


def _zeros():
    return dict.fromkeys(COMPONENTS + ['interest_income'], ZERO)


def _totals(changes):
    "The changes of every instalment summed per component"
    totals = _zeros()
    for change in changes.values():
        for key, value in change.items():
            totals[key] += value
    return totals


class LoanTransaction(ModelSQL, ModelView):
    "Loan Transaction"
    __name__ = 'saccos.loan.transaction'

    company = fields.Many2One('company.company', "Company", required=True,
        readonly=True)
    loan = fields.Many2One(
        'saccos.loan', "Loan", required=True, readonly=True,
        ondelete='RESTRICT')
    member = fields.Many2One(
        'party.party', "Member", required=True, readonly=True,
        ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    kind_string = kind.translated('kind')
    date = fields.Date("Date", required=True, readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_currency')
    amount = fields.Numeric(
        "Amount", digits='currency', required=True, readonly=True)
    principal = fields.Numeric(
        "Principal", digits='currency', required=True, readonly=True)
    interest = fields.Numeric(
        "Interest", digits='currency', required=True, readonly=True)
    fee = fields.Numeric("Fees", digits='currency', required=True,
        readonly=True)
    penalty = fields.Numeric(
        "Penalties", digits='currency', required=True, readonly=True)
    signed_total = fields.Function(fields.Numeric(
            "Signed Amount", digits='currency'), 'get_signed_total')
    payment_mode = fields.Selection(
        PAYMENT_MODES, "Payment Mode", readonly=True)
    savings_account = fields.Many2One(
        'saccos.savings.account', "Savings Account", readonly=True,
        ondelete='RESTRICT')
    savings_transaction = fields.Many2One(
        'saccos.savings.transaction', "Savings Transaction", readonly=True,
        ondelete='RESTRICT')
    guarantee = fields.Many2One(
        'saccos.loan.guarantee', "Guarantee", readonly=True,
        ondelete='RESTRICT')
    reference = fields.Char("Reference", readonly=True)
    description = fields.Char("Description", readonly=True)
    move = fields.Many2One(
        'account.move', "Move", readonly=True, ondelete='RESTRICT')
    lines = fields.One2Many(
        'saccos.loan.transaction.line', 'transaction', "Lines",
        readonly=True)
    reversal_of = fields.Many2One(
        'saccos.loan.transaction', "Reversal Of", readonly=True,
        states={
            'invisible': ~Bool(Eval('reversal_of')),
            })
    reversed_by = fields.One2Many(
        'saccos.loan.transaction', 'reversal_of', "Reversed By",
        readonly=True,
        states={
            'invisible': ~Bool(Eval('reversed_by')),
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('loan')
        cls._sql_indexes.update({
                Index(t, (t.loan, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.reversal_of, Index.Range())),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'reverse': {
                    'invisible': (~Eval('kind').in_(list(REVERSIBLE_KINDS))
                        | Bool(Eval('reversal_of'))
                        | Bool(Eval('reversed_by'))),
                    'depends': ['kind', 'reversal_of', 'reversed_by'],
                    },
                })

    @classmethod
    def _zero(cls):
        return ZERO

    default_principal = default_interest = default_fee = _zero
    default_penalty = default_amount = _zero

    def get_currency(self, name):
        return self.loan.currency

    def get_signed_total(self, name):
        return -self.amount if self.reversal_of else self.amount

    def get_rec_name(self, name):
        return '%s %s %s' % (self.loan.rec_name, self.kind_string, self.date)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete' or (mode == 'write' and external):
            raise AccessError(gettext('saccos_loan.msg_transaction_delete'))

    @classmethod
    @ModelView.button_action('saccos_loan.wizard_reverse')
    def reverse(cls, transactions):
        pass

    # Helpers -------------------------------------------------------------

    @classmethod
    def _lock(cls, loans, date):
        """Lock the loans and the move sequence of date before any work:
        two tellers repaying one loan would pay one instalment twice"""
        pool = Pool()
        Loan = pool.get('saccos.loan')
        lock_together(
            lambda: Loan.lock(list(loans)),
            lambda: lock_move_sequences(loans[0].company, [date]))
        return Loan.browse([l.id for l in loans])

    @classmethod
    def _check_amount(cls, loan, amount):
        if (amount is None or amount <= 0
                or loan.currency.round(amount) != amount):
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_amount_invalid',
                    loan=loan.rec_name, amount=amount))

    @classmethod
    def _check_date(cls, loan, date):
        pool = Pool()
        Date = pool.get('ir.date')
        if date > Date.today():
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_date_future', loan=loan.rec_name))
        start = loan.disbursement_date or loan.approval_date
        if start and date < start:
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_date_too_early',
                    loan=loan.rec_name, date=start))

    @classmethod
    def _check_state(cls, loan, states):
        if loan.state not in states:
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_loan_state', loan=loan.rec_name,
                    state=loan.state_string))

    @classmethod
    def _payment_account(cls, loan, mode):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        return Configuration(1).require_payment_account(
            mode, company=loan.company)

    @classmethod
    def _new(cls, loan, kind, date, **values):
        return cls(company=loan.company, loan=loan, member=loan.member,
            kind=kind, date=date, **values)

    @staticmethod
    def _line(account, party, debit=ZERO, credit=ZERO, description=None):
        return {
            'account': account,
            'party': party if account.party_required else None,
            'debit': debit,
            'credit': credit,
            'description': description,
            }

    @classmethod
    def _post(cls, transaction, lines, mode=None, savings=None,
            outgoing=False):
        """Post lines and the money side of transaction: a payment
        account line for cash, bank and mobile money, or the member's
        savings account (money leaving it, or entering it when
        outgoing), in one move; saves the transaction"""
        pool = Pool()
        Savings = pool.get('saccos.savings.transaction')
        loan = transaction.loan
        lines = [l for l in lines if l['debit'] or l['credit']]
        net = sum(l['credit'] - l['debit'] for l in lines)
        if outgoing:
            net = -net
        transaction.payment_mode = mode
        if net and mode == 'savings':
            if outgoing:
                posted = Savings.deposit_from(
                    savings, net, transaction.date, lines[0]['account'],
                    transaction.description, counter_lines=lines,
                    reference=transaction.reference)
            else:
                posted = Savings.withdraw_to(
                    savings, net, transaction.date, lines[0]['account'],
                    transaction.description, counter_lines=lines,
                    reference=transaction.reference)
            transaction.move = posted[0].move
            transaction.savings_transaction = posted[0]
            transaction.savings_account = savings
        elif lines:
            if net:
                account = cls._payment_account(loan, mode)
                lines.append(cls._line(account, loan.member,
                        debit=ZERO if outgoing else net,
                        credit=net if outgoing else ZERO,
                        description=transaction.description))
            transaction.move = post_move(
                transaction.date, loan.product.journal, lines,
                description=transaction.description, company=loan.company)
        transaction.save()
        return transaction

    # Allocation ----------------------------------------------------------

    @classmethod
    def _split(cls, loan, date):
        """The open instalments as (due, current, future): the ones due on
        date, the one whose period runs on date (its interest is owed in
        full once its period has started) and the later ones"""
        open_ = sorted((i for i in loan.installments if i.state == 'open'),
            key=lambda i: i.number)
        due = [i for i in open_ if i.due_date <= date]
        later = [i for i in open_ if i.due_date > date]
        current = None
        if later and later[0].start_date < date:
            current = later.pop(0)
        return due, current, later

    @classmethod
    def payoff(cls, loan, date):
        """What closes loan on date: everything due, the instalment of the
        period running in full and the principal of the later ones"""
        due, current, future = cls._split(loan, date)
        return (sum((i.amount_due for i in due), ZERO)
            + (current.amount_due if current else ZERO)
            + sum((i.due('principal') for i in future), ZERO))

    @classmethod
    def allocate(cls, loan, amount, date):
        """Split amount over the instalments: the ones due, component by
        component in the loan's order, then the one of the period running;
        returns the changes per instalment, what is left to prepay
        principal, and the instalments a prepayment replaces"""
        order = loan.allocation_order.split(',')
        due, current, future = cls._split(loan, date)
        changes = defaultdict(_zeros)
        left = amount

        def take(installment, component):
            nonlocal left
            owed = installment.due(component) - changes[installment][
                component]
            part = min(left, owed)
            if part > 0:
                changes[installment][component] += part
                left -= part

        for component in order:
            for installment in due:
                take(installment, component)
        if current:
            for component in order:
                take(current, component)
        return changes, left, future

    @classmethod
    def _interest_split(cls, loan, changes):
        """For accrual products, the interest paid beyond what was accrued
        is income now; the rest clears the receivable"""
        accrual = loan.product.interest_accounting == 'accrual'
        for installment, change in changes.items():
            if not change['interest']:
                continue
            if accrual:
                booked = max(
                    installment.interest_accrued - installment.interest_paid,
                    ZERO)
                change['interest_income'] = max(
                    change['interest'] - booked, ZERO)
            else:
                change['interest_income'] = change['interest']

    @classmethod
    def _payment_lines(cls, loan, changes, description, sign=1):
        """The credits of a payment of changes (debits with sign -1)"""
        product = loan.product
        member = loan.member
        totals = _totals(changes)
        accrual = product.interest_accounting == 'accrual'
        income = totals['interest_income'] if accrual else totals['interest']
        receivable = totals['interest'] - income
        amounts = [
            (product.portfolio_account, totals['principal']),
            (product.interest_income_account, income),
            (product.interest_receivable_account, receivable),
            (product.fee_income_account, totals['fee']),
            (product.charges_receivable_account, totals['penalty']),
            ]
        lines = []
        for account, amount in amounts:
            if not amount:
                continue
            if sign > 0:
                lines.append(cls._line(account, member, credit=amount,
                        description=description))
            else:
                lines.append(cls._line(account, member, debit=amount,
                        description=description))
        return lines, totals

    @classmethod
    def _apply(cls, changes, date, sign=1):
        "Write changes (paid amounts) on the instalments"
        pool = Pool()
        Installment = pool.get('saccos.loan.installment')
        to_save = []
        for installment, change in changes.items():
            for component in COMPONENTS:
                name = component + '_paid'
                setattr(installment, name,
                    getattr(installment, name) + sign * change[component])
            if sign > 0:
                installment.interest_accrued = max(
                    installment.interest_accrued,
                    installment.interest_paid)
            else:
                installment.interest_accrued -= change['interest_income']
            to_save.append(installment)
        Installment.save(to_save)
        Installment.update_states(to_save, date)

    @classmethod
    def _prepay(cls, loan, future, prepaid, changes):
        """Pay prepaid off the principal of the future instalments and
        replace them with a schedule of what is left, per the prepayment
        policy; returns (anchor, superseded, new).  The anchor, the
        instalment before them, carries the prepaid principal, paid: the
        principal of the instalments still sums to the loan amount."""
        pool = Pool()
        Installment = pool.get('saccos.loan.installment')
        before = [i for i in loan.installments
            if i.state != 'superseded' and i.number < future[0].number]
        if before:
            next_ = max(before, key=lambda i: i.number)
            # The same record as in changes, whose paid amounts follow.
            next_ = next((i for i in changes if i.id == next_.id), next_)
        else:
            # Prepaid on the day of disbursement: the first instalment
            # takes it, and the schedule after it is redone.
            next_, future = future[0], future[1:]
        remaining = sum((i.due('principal') for i in future), ZERO)
        next_.principal += prepaid
        Installment.save([next_])
        Installment.write(future, {'state': 'superseded'})
        balance = remaining - prepaid
        if not balance or not future:
            return next_, future, []
        count = len(future)
        if loan.prepayment == 'reduce_term':
            regular = future[0]
            for count in range(1, len(future) + 1):
                rows = cls._rows(loan, balance, count, next_, future)
                if loan.interest_method == 'annuity':
                    fits = max(r.principal + r.interest for r in rows) <= (
                        regular.principal + regular.interest)
                else:
                    fits = max(r.principal for r in rows) <= (
                        regular.principal)
                if fits:
                    break
        else:
            rows = cls._rows(loan, balance, count, next_, future)
        new = Installment.from_rows(loan, rows, first_number=next_.number + 1)
        Installment.save(new)
        return next_, future, new

    @classmethod
    def _rows(cls, loan, balance, count, next_, future):
        return schedule(
            balance, loan.rate / 100, count, next_.due_date,
            frequency=loan.frequency, every=loan.frequency_every,
            method=loan.interest_method, interest_basis=loan.interest_basis,
            day_count=loan.day_count, first_due_date=future[0].due_date,
            rounding=loan.rounding, quantum=loan.currency.rounding,
            multiple=loan.instalment_multiple,
            instalment_fees=loan.product.instalment_fees())

    # Disbursement --------------------------------------------------------

    @classmethod
    def check_disbursable(cls, loan, date):
        """Compulsory shares and savings are checked again on the day the
        money leaves: they block disbursement (seed 002)"""
        pool = Pool()
        Check = pool.get('saccos.loan.check')
        names = dict(Check.fields_get(['rule'])['rule']['selection'])
        for rule, required, actual, passed in loan.evaluate_rules(date):
            if rule in {'shares', 'savings'} and not passed:
                raise LoanPaymentError(gettext(
                        'saccos_loan.msg_compulsory_not_met',
                        loan=loan.rec_name, rule=names[rule],
                        required=required, actual=actual))

    @classmethod
    @without_check_access
    def disburse(cls, loan, date, mode, savings_account=None,
            reference=None):
        """Store the schedule and pay the loan out, less the fees it
        deducts and what it settles of the loan it replaces"""
        pool = Pool()
        Loan = pool.get('saccos.loan')
        Installment = pool.get('saccos.loan.installment')
        loans = [loan] + ([loan.settles] if loan.settles else [])
        loan, *_ = cls._lock(loans, date)
        cls._check_state(loan, ['approved'])
        cls._check_date(loan, date)
        cls.check_disbursable(loan, date)
        if loan.kind == 'reschedule':
            # A rescheduling lends exactly what settles the old loan on
            # the day: no money moves.
            loan.amount = cls.payoff(loan.settles, date)
            loan.save()
        product = loan.product
        member = loan.member
        rows = loan.schedule_rows(date)
        installments = Installment.from_rows(loan, rows)
        description = gettext('saccos_loan.msg_description_disbursement',
            loan=loan.rec_name)
        lines = [cls._line(product.portfolio_account, member,
                debit=loan.amount, description=description)]
        deducted = ZERO
        for fee, amount in loan.disbursement_fees(rows):
            # Nothing is paid out of a rescheduling to deduct fees from.
            if fee.collection == 'deduct' and loan.kind != 'reschedule':
                deducted += amount
                lines.append(cls._line(fee.income_account(), member,
                        credit=amount, description=fee.name))
            else:
                installments[0].fee += amount
        Installment.save(installments)
        settlement = None
        if loan.settles:
            settlement, settle_lines = cls._settle(loan.settles, loan, date)
            lines.extend(settle_lines)
        net = loan.amount - deducted - (
            settlement.amount if settlement else ZERO)
        if net < 0:
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_settlement_above_amount',
                    loan=loan.rec_name, amount=fmt(loan.amount),
                    settled=fmt(settlement.amount)))
        transaction = cls._new(loan, 'disbursement', date,
            amount=loan.amount, principal=loan.amount, fee=deducted,
            reference=reference, description=description)
        if net and mode == 'savings' and not (
                savings_account or loan.savings_account):
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_savings_account_required',
                    loan=loan.rec_name))
        cls._post(transaction, lines, mode=mode if net else 'loan',
            savings=savings_account or loan.savings_account, outgoing=True)
        Loan._activate([loan], date)
        if settlement:
            settlement.move = transaction.move
            settlement.save()
            old = settlement.loan
            if loan.kind == 'reschedule':
                Loan._rescheduled([old], date, reason=gettext(
                        'saccos_loan.msg_reason_rescheduled',
                        loan=loan.rec_name))
            else:
                Loan._close([old], date, reason=gettext(
                        'saccos_loan.msg_reason_topped_up',
                        loan=loan.rec_name))
        return transaction

    @classmethod
    def _settle(cls, old, new, date):
        """Pay off old from the proceeds of new: a settlement transaction
        (saved, its move set by the caller) and its ledger lines"""
        cls._check_state(old, ['active'])
        amount = cls.payoff(old, date)
        description = gettext('saccos_loan.msg_description_settlement',
            loan=old.rec_name, new=new.rec_name)
        changes, left, later = cls.allocate(old, amount, date)
        cls._interest_split(old, changes)
        marks = None
        if left:
            next_, superseded, created = cls._prepay(old, later, left,
                changes)
            changes[next_]['principal'] += left
            marks = ({next_: left}, superseded, created)
        lines, totals = cls._payment_lines(old, changes, description)
        settlement = cls._new(old, 'settlement', date, amount=amount,
            principal=totals['principal'], interest=totals['interest'],
            fee=totals['fee'], penalty=totals['penalty'],
            payment_mode='loan', description=description)
        settlement.save()
        cls._apply(changes, date)
        cls._record_lines(settlement, changes, marks)
        return settlement, lines

    # Payments ------------------------------------------------------------

    @classmethod
    @without_check_access
    def repay(cls, loan, amount, date, mode, savings_account=None,
            reference=None, kind='repayment', guarantee=None):
        """Pay amount off loan from cash, bank, mobile money or savings;
        returns the transaction"""
        pool = Pool()
        Loan = pool.get('saccos.loan')
        Guarantee = pool.get('saccos.loan.guarantee')
        loan, = cls._lock([loan], date)
        cls._check_state(loan, ['active'])
        cls._check_amount(loan, amount)
        cls._check_date(loan, date)
        payoff = cls.payoff(loan, date)
        if amount > payoff:
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_overpayment', loan=loan.rec_name,
                    amount=fmt(amount), payoff=fmt(payoff)))
        if guarantee:
            savings_account = guarantee.savings_account
        if mode == 'savings':
            savings_account = savings_account or loan.savings_account
            if not savings_account:
                raise LoanPaymentError(gettext(
                        'saccos_loan.msg_savings_account_required',
                        loan=loan.rec_name))
        if guarantee:
            cls._release_lien(guarantee, amount, date)
        description = gettext(
            'saccos_loan.msg_description_' + kind, loan=loan.rec_name)
        changes, left, later = cls.allocate(loan, amount, date)
        cls._interest_split(loan, changes)
        marks = None
        if left:
            next_, superseded, created = cls._prepay(loan, later, left,
                changes)
            changes[next_]['principal'] += left
            marks = ({next_: left}, superseded, created)
        lines, totals = cls._payment_lines(loan, changes, description)
        transaction = cls._new(loan, kind, date, amount=amount,
            principal=totals['principal'], interest=totals['interest'],
            fee=totals['fee'], penalty=totals['penalty'],
            reference=reference or None, description=description,
            guarantee=guarantee)
        cls._post(transaction, lines, mode=mode, savings=savings_account)
        cls._apply(changes, date)
        cls._record_lines(transaction, changes, marks)
        if guarantee:
            cls._add_recovered(guarantee, amount)
        loan = Loan(loan.id)
        Guarantee.release_in_proportion(loan, date)
        Loan.close_paid([loan], date)
        return transaction

    @classmethod
    def _record_lines(cls, transaction, changes, marks=None):
        "The lines of a payment, with what its prepayment replaced"
        pool = Pool()
        Line = pool.get('saccos.loan.transaction.line')
        values = []
        prepaid, superseded, created = marks or ({}, [], [])
        for installment, change in changes.items():
            if any(change.values()):
                values.append(dict(transaction=transaction.id,
                        installment=installment.id,
                        prepaid=prepaid.get(installment, ZERO), **change))
        for installment in superseded:
            values.append(dict(transaction=transaction.id,
                    installment=installment.id, effect='superseded'))
        for installment in created:
            values.append(dict(transaction=transaction.id,
                    installment=installment.id, effect='created'))
        Line.create(values)

    @classmethod
    def _release_lien(cls, guarantee, amount, date):
        """The lien is what the guarantor's money is held by: it gives way
        to the recovery it secured"""
        pool = Pool()
        Hold = pool.get('saccos.savings.hold')
        hold = guarantee.hold
        if hold and hold.state == 'active':
            Hold.release_amount(hold, min(amount, hold.remaining_amount), date)

    @classmethod
    def _add_recovered(cls, guarantee, amount):
        pool = Pool()
        Guarantee = pool.get('saccos.loan.guarantee')
        Guarantee.write([guarantee], {
                'recovered_amount': guarantee.recovered_amount + amount,
                })

    @classmethod
    def recover_from_guarantor(cls, guarantee, amount, date):
        "Take amount from the guarantor's held savings to the loan"
        loan = guarantee.loan
        if loan.state == 'written_off':
            return cls.recover(loan, amount, date, 'savings',
                guarantee=guarantee)
        return cls.repay(loan, amount, date, 'savings',
            kind='guarantor_recovery', guarantee=guarantee)

    @classmethod
    @without_check_access
    def recover(cls, loan, amount, date, mode, savings_account=None,
            reference=None, guarantee=None):
        """Money recovered on a loan written off: income, the loan's
        balances stay written off"""
        loan, = cls._lock([loan], date)
        cls._check_state(loan, ['written_off'])
        cls._check_amount(loan, amount)
        cls._check_date(loan, date)
        recoverable = loan.written_off_amount - loan.recovered_amount
        if amount > recoverable:
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_recovery_above_written_off',
                    loan=loan.rec_name, amount=fmt(amount),
                    recoverable=fmt(recoverable)))
        if guarantee:
            savings_account = guarantee.savings_account
            cls._release_lien(guarantee, amount, date)
        description = gettext('saccos_loan.msg_description_recovery',
            loan=loan.rec_name)
        transaction = cls._new(loan, 'recovery', date, amount=amount,
            reference=reference or None, description=description,
            guarantee=guarantee)
        lines = [cls._line(loan.product.recovery_account, loan.member,
                credit=amount, description=description)]
        cls._post(transaction, lines, mode=mode, savings=savings_account)
        if guarantee:
            cls._add_recovered(guarantee, amount)
        return transaction

    # Waiver and write-off ------------------------------------------------

    @classmethod
    @without_check_access
    def waive(cls, loan, date, reason, interest=ZERO, penalty=ZERO,
            fee=ZERO):
        """Waive interest, penalties and fees due, oldest instalment
        first; what was booked (penalties, accrued interest) leaves the
        ledger, interest and fees never booked leave the schedule only"""
        loan, = cls._lock([loan], date)
        cls._check_state(loan, ['active'])
        if not reason:
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_reason_required', loan=loan.rec_name))
        wanted = {'interest': interest or ZERO, 'penalty': penalty or ZERO,
            'fee': fee or ZERO}
        open_ = sorted((i for i in loan.installments if i.state == 'open'),
            key=lambda i: i.number)
        changes = defaultdict(_zeros)
        for component, amount in wanted.items():
            if amount < 0:
                cls._check_amount(loan, amount)
            left = amount
            for installment in open_:
                if component != 'penalty' and installment.due_date > date:
                    continue
                part = min(left, installment.due(component))
                if part > 0:
                    changes[installment][component] += part
                    left -= part
            if left:
                raise LoanPaymentError(gettext(
                        'saccos_loan.msg_waiver_above_due',
                        loan=loan.rec_name, amount=fmt(amount),
                        due=fmt(amount - left)))
        if not changes:
            cls._check_amount(loan, ZERO)
        product = loan.product
        accrual = product.interest_accounting == 'accrual'
        booked_interest = ZERO
        for installment, change in changes.items():
            if accrual and change['interest']:
                booked = min(change['interest'], max(
                        installment.interest_accrued
                        - installment.interest_paid, ZERO))
                change['interest_income'] = booked
                booked_interest += booked
        totals = _totals(changes)
        description = gettext('saccos_loan.msg_description_waiver',
            loan=loan.rec_name, reason=reason)
        member = loan.member
        lines = []
        if totals['penalty']:
            lines += [
                cls._line(product.penalty_income_account, member,
                    debit=totals['penalty'], description=description),
                cls._line(product.charges_receivable_account, member,
                    credit=totals['penalty'], description=description),
                ]
        if booked_interest:
            lines += [
                cls._line(product.interest_income_account, member,
                    debit=booked_interest, description=description),
                cls._line(product.interest_receivable_account, member,
                    credit=booked_interest, description=description),
                ]
        transaction = cls._new(loan, 'waiver', date,
            amount=totals['interest'] + totals['penalty'] + totals['fee'],
            interest=totals['interest'], penalty=totals['penalty'],
            fee=totals['fee'], description=description)
        cls._post(transaction, lines)
        pool = Pool()
        Installment = pool.get('saccos.loan.installment')
        Loan = pool.get('saccos.loan')
        for installment, change in changes.items():
            for component in ['interest', 'penalty', 'fee']:
                name = component + '_waived'
                setattr(installment, name,
                    getattr(installment, name) + change[component])
            installment.interest_accrued -= change['interest_income']
        Installment.save(list(changes))
        Installment.update_states(list(changes), date)
        cls._record_lines(transaction, changes)
        Loan.close_paid([Loan(loan.id)], date)
        return transaction

    @classmethod
    @without_check_access
    def write_off(cls, loan, date, reason):
        """Take what the member owes off the books: the principal, the
        accrued interest and the penalties charged, against the product's
        write-off account; the loan keeps its liens for recovery"""
        pool = Pool()
        Loan = pool.get('saccos.loan')
        loan, = cls._lock([loan], date)
        cls._check_state(loan, ['active'])
        cls._check_date(loan, date)
        if not reason:
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_reason_required', loan=loan.rec_name))
        product = loan.product
        accrual = product.interest_accounting == 'accrual'
        changes = defaultdict(_zeros)
        for installment in loan.installments:
            if installment.state != 'open':
                continue
            change = changes[installment]
            change['principal'] = installment.due('principal')
            change['penalty'] = installment.due('penalty')
            if accrual:
                change['interest'] = max(installment.interest_accrued
                    - installment.interest_paid, ZERO)
        description = gettext('saccos_loan.msg_description_write_off',
            loan=loan.rec_name, reason=reason)
        member = loan.member
        lines, totals = cls._payment_lines(loan, changes, description)
        total = totals['principal'] + totals['interest'] + totals['penalty']
        if not total:
            cls._check_amount(loan, ZERO)
        lines.append(cls._line(product.write_off_account, member,
                debit=total, description=description))
        transaction = cls._new(loan, 'write_off', date, amount=total,
            principal=totals['principal'], interest=totals['interest'],
            penalty=totals['penalty'], description=description)
        cls._post(transaction, lines)
        cls._record_lines(transaction, changes)
        Loan.write([loan], {'written_off_amount': total})
        Loan._written_off([loan], date, reason)
        return transaction

    # Reversal ------------------------------------------------------------

    @classmethod
    @without_check_access
    def post_reversal(cls, transaction, date, reason):
        """Reverse a payment or a recovery with the swapped lines of its
        move; what it paid is owed again and a prepayment's schedule is
        put back.  Only the latest payment of a loan can be reversed: the
        ones after it were allocated on what it left."""
        pool = Pool()
        Savings = pool.get('saccos.savings.transaction')
        Installment = pool.get('saccos.loan.installment')
        loan, = cls._lock([transaction.loan], date)
        transaction = cls(transaction.id)
        if transaction.kind not in REVERSIBLE_KINDS:
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_not_reversible',
                    transaction=transaction.rec_name))
        if transaction.reversal_of or transaction.reversed_by:
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_already_reversed',
                    transaction=transaction.rec_name))
        if transaction.kind in PAYMENT_KINDS:
            cls._check_state(loan, ['active'])
            later = cls.search([
                    ('loan', '=', loan.id),
                    ('kind', 'in', list(PAYMENT_KINDS) + ['waiver']),
                    ('reversal_of', '=', None),
                    ('reversed_by', '=', None),
                    ('id', '>', transaction.id),
                    ], limit=1)
            created = [l.installment for l in transaction.lines
                if l.effect == 'created']
            touched = any(i.principal_paid or i.interest_paid or i.fee_paid
                or i.penalty or i.interest_accrued for i in created)
            if later or touched:
                raise LoanPaymentError(gettext(
                        'saccos_loan.msg_reverse_later_first',
                        transaction=transaction.rec_name))
        if date < transaction.date:
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_reversal_date',
                    transaction=transaction.rec_name))
        description = gettext('saccos_loan.msg_description_reversal',
            transaction=transaction.rec_name, reason=reason)
        lines = []
        savings_line = None
        for line in transaction.move.lines:
            swapped = {
                'account': line.account,
                'party': line.party,
                'debit': line.credit,
                'credit': line.debit,
                'description': description,
                }
            if (transaction.savings_transaction and savings_line is None
                    and line.account
                    == transaction.savings_account.product.savings_account
                    and line.party == transaction.savings_account.owner):
                savings_line = swapped
                continue
            lines.append(swapped)
        reversal = cls._new(loan, transaction.kind, date,
            amount=transaction.amount, principal=transaction.principal,
            interest=transaction.interest, fee=transaction.fee,
            penalty=transaction.penalty,
            payment_mode=transaction.payment_mode,
            savings_account=transaction.savings_account,
            guarantee=transaction.guarantee, description=description,
            reversal_of=transaction)
        if transaction.savings_transaction:
            posted = Savings.post_reversal_with(
                [transaction.savings_transaction], date, description, lines)
            reversal.move = posted[0].move
            reversal.savings_transaction = posted[0]
        else:
            reversal.move = post_move(date, loan.product.journal, lines,
                description=description, company=loan.company)
        reversal.save()
        if transaction.kind in PAYMENT_KINDS:
            changes = {}
            for line in transaction.lines:
                if line.effect:
                    continue
                changes[line.installment] = {
                    c: getattr(line, c) for c in COMPONENTS
                    + ['interest_income']}
            cls._apply(changes, date, sign=-1)
            for line in transaction.lines:
                if line.prepaid:
                    installment = Installment(line.installment.id)
                    installment.principal -= line.prepaid
                    installment.save()
            Installment.write(
                [l.installment for l in transaction.lines
                    if l.effect == 'created'] or [],
                {'state': 'superseded'})
            restored = [l.installment for l in transaction.lines
                if l.effect == 'superseded']
            if restored:
                Installment.write(restored, {'state': 'open'})
                Installment.update_states(
                    Installment.browse(restored), date)
        if transaction.guarantee:
            cls._add_recovered(transaction.guarantee, -transaction.amount)
        return reversal


class TransactionLine(ModelSQL, ModelView):
    "Loan Transaction Line"
    __name__ = 'saccos.loan.transaction.line'

    transaction = fields.Many2One(
        'saccos.loan.transaction', "Transaction", required=True,
        ondelete='CASCADE', readonly=True)
    installment = fields.Many2One(
        'saccos.loan.installment', "Instalment", required=True,
        ondelete='RESTRICT', readonly=True)
    principal = fields.Numeric(
        "Principal", digits=(16, 2), required=True, readonly=True)
    interest = fields.Numeric(
        "Interest", digits=(16, 2), required=True, readonly=True)
    interest_income = fields.Numeric(
        "Interest Recognised", digits=(16, 2), required=True, readonly=True,
        help="Accrual products: the part of the interest booked to income "
        "by this transaction rather than cleared from receivable.")
    fee = fields.Numeric("Fee", digits=(16, 2), required=True,
        readonly=True)
    penalty = fields.Numeric(
        "Penalty", digits=(16, 2), required=True, readonly=True)
    prepaid = fields.Numeric(
        "Prepaid Principal", digits=(16, 2), required=True, readonly=True,
        help="Principal prepaid through this instalment: the instalments "
        "after it were replaced.")
    effect = fields.Selection([
            (None, ""),
            ('superseded', "Superseded"),
            ('created', "Created"),
            ], "Schedule Change", readonly=True)
    tier = fields.Integer("Penalty Tier", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('transaction')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.installment, Index.Range())))

    @classmethod
    def _zero(cls):
        return ZERO

    default_principal = default_interest = default_fee = _zero
    default_penalty = default_interest_income = default_prepaid = _zero


class SavingsTransaction(metaclass=PoolMeta):
    __name__ = 'saccos.savings.transaction'

    @classmethod
    def check_reversible(cls, transactions):
        """A savings transaction that paid a loan or received its money
        cannot be reversed alone: the loan is corrected by reversing its
        own transaction"""
        pool = Pool()
        LoanTransaction = pool.get('saccos.loan.transaction')
        super().check_reversible(transactions)
        moves = [t.move.id for t in transactions if t.move]
        if not moves:
            return
        loans = LoanTransaction.search([('move', 'in', moves)], limit=1)
        if loans:
            raise LoanPaymentError(gettext(
                    'saccos_loan.msg_savings_reversal',
                    transaction=loans[0].rec_name))
