# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Savings transactions: every change of a savings balance.

A transaction is written once, together with its posted ledger move, and
never changed: a mistake is corrected by a reversal, a transaction of
the same kind with the opposite sign and its own move.  Each transaction
keeps the account its money came from or went to (counter account), so
its ledger lines can be rebuilt, and reversed, from the transaction
alone, even when it shares a move with others (interest postings, bulk
contributions)."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import AccessError
from trytond.modules.saccos_member.ledger import (
    lock_move_sequences, lock_together, post_move)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access

from trytond.modules.saccos_member.document import format_amount as fmt

from .exceptions import ContributionImportError, SavingsTransactionError

KINDS = [
    ('deposit', "Deposit"),
    ('withdrawal', "Withdrawal"),
    ('transfer_in', "Transfer In"),
    ('transfer_out', "Transfer Out"),
    ('charge', "Charge"),
    ('penalty', "Penalty"),
    ('interest', "Interest"),
    ('withholding_tax', "Withholding Tax"),
    ('dividend', "Dividend"),
    ]
CREDIT_KINDS = {'deposit', 'transfer_in', 'interest', 'dividend'}
# What a member does at the counter: numbered receipts, and what keeps an
# account from going dormant.
CUSTOMER_KINDS = {'deposit', 'withdrawal', 'transfer_in', 'transfer_out'}
PAYMENT_MODES = [
    (None, ""),
    ('cash', "Cash"),
    ('bank', "Bank"),
    ('mobile_money', "Mobile Money"),
    ('savings', "Savings Transfer"),
    ]


def signed(kind, amount):
    return amount if kind in CREDIT_KINDS else -amount


class SavingsTransaction(ModelSQL, ModelView):
    "Savings Transaction"
    __name__ = 'saccos.savings.transaction'
    _rec_name = 'receipt_number'

    company = fields.Many2One('company.company', "Company", required=True,
        readonly=True)
    account = fields.Many2One(
        'saccos.savings.account', "Account", required=True, readonly=True,
        ondelete='RESTRICT')
    party = fields.Many2One(
        'party.party', "Owner", required=True, readonly=True,
        ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    amount = fields.Numeric(
        "Amount", digits='currency', required=True, readonly=True)
    signed_amount = fields.Numeric(
        "Effect on Balance", digits='currency', required=True,
        readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_currency')
    payment_mode = fields.Selection(
        PAYMENT_MODES, "Payment Mode", readonly=True)
    receipt_number = fields.Char("Receipt Number", readonly=True)
    reference = fields.Char(
        "Reference", readonly=True,
        help="The payer's reference (bank slip, mobile money or payroll "
        "reference); a reference is accepted once.")
    transacted_by = fields.Many2One(
        'party.party', "Transacted By", readonly=True, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="For a group account, the member who made the transaction.")
    description = fields.Char("Description", readonly=True)
    counter_account = fields.Many2One(
        'account.account', "Counter Account", required=True, readonly=True,
        ondelete='RESTRICT')
    move = fields.Many2One(
        'account.move', "Move", readonly=True, ondelete='RESTRICT')
    period_end = fields.Date(
        "Period End", readonly=True,
        help="The interest period or the missed due date it is for.")
    counterpart = fields.Many2One(
        'saccos.savings.transaction', "Transfer Counterpart",
        readonly=True,
        states={
            'invisible': ~Eval('kind').in_(['transfer_in', 'transfer_out']),
            })
    reversal_of = fields.Many2One(
        'saccos.savings.transaction', "Reversal Of", readonly=True,
        states={
            'invisible': ~Bool(Eval('reversal_of')),
            })
    reversed_by = fields.One2Many(
        'saccos.savings.transaction', 'reversal_of', "Reversed By",
        readonly=True,
        states={
            'invisible': ~Bool(Eval('reversed_by')),
            })
    reversed = fields.Function(fields.Boolean("Reversed"), 'get_reversed')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('reference_unique', Unique(t, t.company, t.reference),
                'saccos_savings.msg_reference_unique'),
            ('reversal_unique', Unique(t, t.reversal_of),
                'saccos_savings.msg_already_reversed'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.account, Index.Range()),
                    (t.date, Index.Range())),
                Index(t, (t.party, Index.Range())),
                Index(t, (t.receipt_number, Index.Equality())),
                Index(t, (t.reference, Index.Equality())),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls.__access__.add('account')
        cls._buttons.update({
                'reverse': {
                    'invisible': Bool(Eval('reversal_of'))
                    | Bool(Eval('reversed_by')),
                    'icon': 'tryton-undo',
                    'depends': ['reversal_of', 'reversed_by'],
                    },
                })

    def get_currency(self, name):
        return self.company.currency.id

    def get_rec_name(self, name):
        return self.receipt_number or '%s %s' % (self.kind, self.id)

    def get_reversed(self, name):
        return bool(self.reversed_by)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete' or (mode == 'write' and external):
            raise AccessError(gettext(
                    'saccos_savings.msg_transaction_readonly'))
        if mode == 'create' and external:
            raise AccessError(gettext(
                    'saccos_savings.msg_transaction_create'))

    # Ledger ---------------------------------------------------------------

    def ledger_lines(self, reverse=False):
        "The two lines of this transaction in its move"
        product = self.account.product
        amount = self.amount
        savings_credit = (self.signed_amount > 0) != reverse
        savings = {
            'account': product.savings_account,
            'party': self.party,
            'debit': Decimal(0) if savings_credit else amount,
            'credit': amount if savings_credit else Decimal(0),
            'description': self.description,
            }
        counter = {
            'account': self.counter_account,
            'party': (self.party if self.counter_account.party_required
                else None),
            'debit': savings['credit'],
            'credit': savings['debit'],
            'description': self.description,
            }
        return [savings, counter]

    # Posting ----------------------------------------------------------------

    @classmethod
    def _check_date(cls, account, date):
        pool = Pool()
        Date = pool.get('ir.date')
        if date > Date.today():
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_date_future',
                    account=account.rec_name, date=date))
        if account.activation_date and date < account.activation_date:
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_date_before_activation',
                    account=account.rec_name, date=date))
        if (account.interest_posted_until
                and date <= account.interest_posted_until):
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_date_interest_posted',
                    account=account.rec_name, date=date,
                    posted=account.interest_posted_until))

    @classmethod
    def _check_amount(cls, account, amount):
        if (amount is None or amount <= 0
                or account.currency.round(amount) != amount):
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_amount_invalid',
                    account=account.rec_name, amount=amount))

    @classmethod
    def _check_open(cls, account):
        if account.state not in {'active', 'inactive'}:
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_account_not_open',
                    account=account.rec_name,
                    state=dict(account.fields_get(['state'])['state'][
                            'selection'])[account.state]))

    @classmethod
    def _check_transacted_by(cls, account, party):
        "Only a current member of a group transacts for it"
        if not party or account.owner.member_kind != 'group':
            return
        current = {m.member for m in account.owner.group_members
            if not m.end_date}
        if party not in current:
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_transacted_by_not_member',
                    party=party.rec_name, group=account.owner.rec_name))

    @classmethod
    def _payment_account(cls, account, payment_mode):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        return Configuration(1).require_payment_account(
            payment_mode, company=account.company)

    @classmethod
    def _receipt_number(cls, company):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        sequence = Configuration(1).get_multivalue(
            'savings_receipt_sequence', company=company.id)
        return sequence.get() if sequence else None

    @classmethod
    def _new_line(cls, account, kind, amount, date, counter_account, **values):
        "An unsaved transaction of account"
        transaction = cls(
            company=account.company, account=account, party=account.owner,
            kind=kind, date=date, amount=amount,
            signed_amount=signed(kind, amount),
            counter_account=counter_account, **values)
        return transaction

    @classmethod
    @without_check_access
    def _post(cls, transactions, description=None, extra_lines=(),
            counter_lines=None):
        """Post the transactions in one move, with extra_lines of other
        accounts, and save them; numbers the receipts of counter
        transactions and wakes dormant accounts.  counter_lines, when
        given, replace the transactions' counter lines: a loan repayment
        credits principal, interest and charges to their own accounts."""
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        first = transactions[0]
        if counter_lines is None:
            lines = [l for t in transactions for l in t.ledger_lines()]
        else:
            lines = [t.ledger_lines()[0] for t in transactions]
            lines.extend(counter_lines)
        lines.extend(extra_lines)
        move = post_move(
            first.date, first.account.product.journal, lines,
            description=description or first.description,
            company=first.company)
        receipt = None
        if (first.kind in CUSTOMER_KINDS
                and not getattr(first, 'reversal_of', None)):
            receipt = cls._receipt_number(first.company)
        for transaction in transactions:
            transaction.move = move
            if transaction.kind in CUSTOMER_KINDS:
                transaction.receipt_number = receipt
        cls.save(transactions)
        # The transfer legs point at each other once both have ids.
        legs = [t for t in transactions
            if t.kind in {'transfer_in', 'transfer_out'}]
        if len(legs) == 2:
            legs[0].counterpart, legs[1].counterpart = legs[1], legs[0]
            cls.save(legs)
        customer = [t for t in transactions
            if t.kind in CUSTOMER_KINDS
            and not getattr(t, 'reversal_of', None)]
        if customer:
            cls._record_activity(
                Account.browse({t.account.id for t in customer}), first.date)
        return transactions

    @classmethod
    def _record_activity(cls, accounts, date):
        """The member used the accounts on date: dormant ones wake, and a
        later date becomes their last transaction date (a back-dated one
        leaves it)"""
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        Account.wake(accounts, date)
        later = [a for a in accounts
            if not a.last_transaction_date or a.last_transaction_date < date]
        if later:
            Account.write(later, {'last_transaction_date': date})

    @classmethod
    def _lock(cls, accounts, date=None):
        """Lock the accounts, and the receipt and move sequences a posting
        on date takes, before any work: Tryton restarts the transaction
        at each new lock"""
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        # Two tellers on one account: the second waits and then sees the
        # first one's transaction in the balance it checks.
        locks = [lambda: Account.lock(list(accounts))]
        if date is not None and accounts:
            locks.append(
                lambda: cls.lock_sequences(accounts[0].company, [date]))
        lock_together(*locks)
        return Account.browse([a.id for a in accounts])

    @classmethod
    def lock_sequences(cls, company, dates):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        receipts = Configuration(1).get_multivalue(
            'savings_receipt_sequence', company=company.id)
        lock_together(
            lambda: lock_move_sequences(company, dates),
            *([receipts.lock] if receipts else []))

    @classmethod
    def deposit(cls, account, amount, date, payment_mode, reference=None,
            transacted_by=None, description=None):
        account, = cls._lock([account], date)
        cls._check_open(account)
        cls._check_amount(account, amount)
        cls._check_date(account, date)
        cls._check_transacted_by(account, transacted_by)
        minimum = account.product.minimum_opening_balance
        if minimum and not account.total_deposits and amount < minimum:
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_opening_below_minimum',
                    account=account.rec_name, amount=fmt(amount),
                    minimum=fmt(minimum)))
        transaction = cls._new_line(
            account, 'deposit', amount, date,
            cls._payment_account(account, payment_mode),
            payment_mode=payment_mode, reference=reference or None,
            transacted_by=transacted_by,
            description=description or gettext(
                'saccos_savings.msg_description_deposit',
                account=account.rec_name))
        transaction, = cls._post([transaction])
        return transaction

    @classmethod
    def check_withdrawal(cls, account, amount, date, fee=Decimal(0)):
        "Raise the first withdrawal rule amount breaks"
        product = account.product
        if product.non_withdrawable:
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_non_withdrawable',
                    account=account.rec_name))
        lock_in = account.lock_in_until()
        if lock_in and date < lock_in:
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_lock_in',
                    account=account.rec_name, date=lock_in))
        if (account.maximum_withdrawal
                and amount > account.maximum_withdrawal):
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_above_maximum_withdrawal',
                    account=account.rec_name, amount=fmt(amount),
                    maximum=fmt(account.maximum_withdrawal)))
        balance = account.balance
        if amount + fee > balance:
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_insufficient_balance',
                    account=account.rec_name, amount=fmt(amount + fee),
                    balance=fmt(balance)))
        if (product.enforce_minimum_balance and account.minimum_balance
                and balance - amount - fee < account.minimum_balance):
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_below_minimum_balance',
                    account=account.rec_name,
                    minimum=fmt(account.minimum_balance)))
        if amount + fee > balance - account.on_hold:
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_on_hold',
                    account=account.rec_name, hold=fmt(account.on_hold),
                    balance=fmt(balance)))

    @classmethod
    def withdraw(cls, account, amount, date, payment_mode, reference=None,
            transacted_by=None, description=None):
        account, = cls._lock([account], date)
        cls._check_open(account)
        cls._check_amount(account, amount)
        cls._check_date(account, date)
        cls._check_transacted_by(account, transacted_by)
        fee = account.withdrawal_fee or Decimal(0)
        cls.check_withdrawal(account, amount, date, fee)
        description = description or gettext(
            'saccos_savings.msg_description_withdrawal',
            account=account.rec_name)
        transactions = [cls._new_line(
                account, 'withdrawal', amount, date,
                cls._payment_account(account, payment_mode),
                payment_mode=payment_mode, reference=reference or None,
                transacted_by=transacted_by, description=description)]
        if fee:
            transactions.append(cls._new_line(
                    account, 'charge', fee, date,
                    account.product.fee_income_account,
                    description=gettext(
                        'saccos_savings.msg_description_withdrawal_fee',
                        account=account.rec_name)))
        return cls._post(transactions, description=description)

    @classmethod
    def withdraw_to(cls, account, amount, date, counter_account,
            description, fee=Decimal(0), fee_account=None, reference=None,
            counter_lines=None):
        """Pay amount, and a fee, out of account into a ledger account of
        another module (a share purchase, a loan repayment) in one move,
        under the withdrawal rules; returns the transactions.
        counter_lines (summing to amount) replace the line of
        counter_account when the money goes to several accounts."""
        cls._check_counter_lines(counter_lines, amount, 'credit')
        account, = cls._lock([account], date)
        cls._check_open(account)
        cls._check_amount(account, amount)
        cls._check_date(account, date)
        cls.check_withdrawal(account, amount, date, fee)
        transactions = [cls._new_line(
                account, 'withdrawal', amount, date, counter_account,
                payment_mode='savings', reference=reference or None,
                description=description)]
        if fee:
            transactions.append(cls._new_line(
                    account, 'charge', fee, date,
                    fee_account or account.product.fee_income_account,
                    description=description))
            if counter_lines is not None:
                counter_lines = list(counter_lines) + [
                    transactions[-1].ledger_lines()[1]]
        return cls._post(transactions, description=description,
            counter_lines=counter_lines)

    @classmethod
    def _check_counter_lines(cls, counter_lines, amount, side):
        "The lines replacing a counter line must balance the savings line"
        if counter_lines is None:
            return
        other = 'credit' if side == 'debit' else 'debit'
        total = sum((l.get(side) or Decimal(0)) - (l.get(other) or Decimal(0))
            for l in counter_lines)
        if total != amount:
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_counter_lines_unbalanced',
                    amount=fmt(amount), total=fmt(total)))

    @classmethod
    def deposit_from(cls, account, amount, date, counter_account,
            description, extra_lines=(), reference=None,
            counter_lines=None):
        """Credit account from a ledger account of another module
        (redeemed shares, a refund, a loan disbursement) in one move with
        extra_lines; the opening minimum does not apply: the member did
        not bring this money to the counter.  counter_lines (summing to
        amount) replace the line of counter_account."""
        cls._check_counter_lines(counter_lines, amount, 'debit')
        account, = cls._lock([account], date)
        cls._check_open(account)
        cls._check_amount(account, amount)
        cls._check_date(account, date)
        transaction = cls._new_line(
            account, 'deposit', amount, date, counter_account,
            payment_mode='savings', reference=reference or None,
            description=description)
        return cls._post([transaction], description=description,
            extra_lines=extra_lines, counter_lines=counter_lines)

    @classmethod
    @without_check_access
    def transfer(cls, source, destination, amount, date, reference=None,
            transacted_by=None, description=None):
        "Move money between two accounts of one owner"
        if source.owner != destination.owner or source == destination:
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_transfer_owner',
                    source=source.rec_name,
                    destination=destination.rec_name))
        source, destination = cls._lock([source, destination], date)
        for account in (source, destination):
            cls._check_open(account)
            cls._check_date(account, date)
        cls._check_amount(source, amount)
        cls._check_transacted_by(source, transacted_by)
        cls.check_withdrawal(source, amount, date)
        description = description or gettext(
            'saccos_savings.msg_description_transfer',
            source=source.rec_name, destination=destination.rec_name)
        out = cls._new_line(
            source, 'transfer_out', amount, date,
            destination.product.savings_account, payment_mode='savings',
            reference=reference or None, transacted_by=transacted_by,
            description=description)
        in_ = cls._new_line(
            destination, 'transfer_in', amount, date,
            source.product.savings_account, payment_mode='savings',
            transacted_by=transacted_by, description=description)
        # One pair of lines: the debit of the source is the credit of the
        # destination.
        out_lines = out.ledger_lines()
        move = post_move(date, source.product.journal, out_lines,
            description=description, company=source.company)
        receipt = cls._receipt_number(source.company)
        for transaction in (out, in_):
            transaction.move = move
            transaction.receipt_number = receipt
        cls.save([out, in_])
        out.counterpart, in_.counterpart = in_, out
        cls.save([out, in_])
        cls._record_activity([source, destination], date)
        return [out, in_]

    @classmethod
    def apply_charge(cls, account, amount, date, description,
            kind='charge', income_account=None, period_end=None,
            lock=True):
        """Charge the account (a fee or a penalty); it may go below its
        minimum balance but not below zero"""
        if lock:
            account, = cls._lock([account], date)
        cls._check_open(account)
        cls._check_amount(account, amount)
        cls._check_date(account, date)
        product = account.product
        if income_account is None:
            income_account = (product.penalty_income_account
                if kind == 'penalty' else product.fee_income_account)
        if amount > account.balance:
            raise SavingsTransactionError(gettext(
                    'saccos_savings.msg_insufficient_balance',
                    account=account.rec_name, amount=fmt(amount),
                    balance=fmt(account.balance)))
        transaction = cls._new_line(
            account, kind, amount, date, income_account,
            description=description, period_end=period_end)
        transaction, = cls._post([transaction])
        return transaction

    @classmethod
    @ModelView.button_action('saccos_savings.wizard_reverse')
    def reverse(cls, transactions):
        pass

    @classmethod
    def check_reversible(cls, transactions):
        """Raise for a transaction another module's record stands on (a
        share purchase, a dividend): that record is corrected instead"""
        pass

    @classmethod
    @without_check_access
    def post_reversal(cls, transactions, date, reason):
        """Reverse each transaction with one of opposite sign and a move
        of swapped lines; a transfer is reversed with its counterpart"""
        cls.check_reversible(transactions)
        # Every account before the work, with one restart.
        accounts = ({t.account for t in transactions}
            | {t.counterpart.account for t in transactions if t.counterpart})
        cls._lock(list(accounts), date)
        done = set()
        result = []
        for original in transactions:
            if original.id in done:
                continue
            if original.reversal_of or original.reversed_by:
                raise SavingsTransactionError(gettext(
                        'saccos_savings.msg_already_reversed'))
            group = [original]
            if original.counterpart:
                group.append(original.counterpart)
            accounts = cls._lock([t.account for t in group], date)
            for account in accounts:
                cls._check_open(account)
                cls._check_date(account, date)
            cls._check_reversal_balance(group)
            description = gettext('saccos_savings.msg_description_reversal',
                transaction=original.rec_name, reason=reason)
            reversals = [t._reversal(date, description) for t in group]
            if original.counterpart:
                lines = original.ledger_lines(reverse=True)
            else:
                lines = [l for t in group
                    for l in t.ledger_lines(reverse=True)]
            move = post_move(date, original.account.product.journal, lines,
                description=description, company=original.company)
            for reversal in reversals:
                reversal.move = move
            cls.save(reversals)
            done.update(t.id for t in group)
            result.extend(reversals)
        return result

    def _reversal(self, date, description):
        "The unsaved transaction reversing this one"
        return self.__class__(
            company=self.company, account=self.account, party=self.party,
            kind=self.kind, date=date, amount=self.amount,
            signed_amount=-self.signed_amount,
            counter_account=self.counter_account,
            payment_mode=self.payment_mode,
            transacted_by=self.transacted_by,
            description=description, period_end=self.period_end,
            reversal_of=self)

    @classmethod
    def _check_reversal_balance(cls, transactions):
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        for transaction in transactions:
            if (transaction.signed_amount > 0
                    and transaction.amount > Account(
                        transaction.account.id).balance):
                raise SavingsTransactionError(gettext(
                        'saccos_savings.msg_reversal_overdraws',
                        account=transaction.account.rec_name))

    @classmethod
    @without_check_access
    def post_reversal_with(cls, transactions, date, description,
            counter_lines):
        """Reverse transactions posted with counter_lines (withdraw_to or
        deposit_from) in one move, with the swapped counter_lines the
        module that posted them gives; for that module's own reversals,
        which check_reversible refuses to do alone"""
        cls._lock(list({t.account for t in transactions}), date)
        for transaction in transactions:
            if transaction.reversal_of or transaction.reversed_by:
                raise SavingsTransactionError(gettext(
                        'saccos_savings.msg_already_reversed'))
            cls._check_open(transaction.account)
            cls._check_date(transaction.account, date)
        cls._check_reversal_balance(transactions)
        reversals = [t._reversal(date, description) for t in transactions]
        lines = [t.ledger_lines(reverse=True)[0] for t in transactions]
        lines.extend(counter_lines)
        first = transactions[0]
        move = post_move(date, first.account.product.journal, lines,
            description=description, company=first.company)
        for reversal in reversals:
            reversal.move = move
        cls.save(reversals)
        return reversals

    @classmethod
    def import_contributions(cls, data, filename, payment_mode,
            product=None, company=None):
        """Post a contribution file: every line is checked first and a
        file with one bad line posts nothing and raises the list of
        errors, line by line"""
        pool = Pool()
        Company = pool.get('company.company')
        from .contribution import ContributionImporter, read_rows
        if company is None:
            company = Company(Transaction().context['company'])
        columns, rows = read_rows(data, filename)
        missing = [c for c in ['member', 'amount', 'date', 'reference']
            if c not in columns]
        if missing:
            raise ContributionImportError(gettext(
                    'saccos_savings.msg_import_columns',
                    columns=', '.join(missing)))
        if not rows:
            raise ContributionImportError(gettext(
                    'saccos_savings.msg_import_empty'))
        from .contribution import _parse_date
        dates = {d for d in (_parse_date(r.get('date')) for _, r in rows)
            if d}
        importer = ContributionImporter(company, payment_mode, product)
        lines, errors = importer.validate(rows,
            locks=[lambda: cls.lock_sequences(company, dates)])
        if errors:
            raise ContributionImportError('\n'.join(errors))
        importer.post(lines)
        return lines
