# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Contributions: the deposits members owe on mandatory accounts.

What is due comes from dues.py; this file holds what staff do with it:
waive a due amount, follow the alerts the daily job raises for missed
deposits (with the product's optional penalty), post a payroll
check-off file in one go, and report expected against paid."""
import csv
import datetime as dt
import io
from collections import defaultdict, namedtuple
from decimal import Decimal, InvalidOperation

from sql import Literal

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.modules.saccos_member.ledger import (
    bulk_post_moves, chunks, clear_cache, insert_rows, lock_together,
    to_date)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.rpc import RPC
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from trytond.modules.saccos_member.document import format_amount as fmt

from .exceptions import ContributionImportError, SavingsAccountError


class DueWaiver(ModelSQL, ModelView):
    "Waived Deposit Due"
    __name__ = 'saccos.savings.due.waiver'
    account = fields.Many2One(
        'saccos.savings.account', "Account", required=True, readonly=True,
        ondelete='RESTRICT')
    due_date = fields.Date("Due Date", required=True, readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        readonly=True)
    reason = fields.Char("Reason", required=True, readonly=True)
    date = fields.Date("Waived On", required=True, readonly=True)
    user = fields.Function(fields.Many2One('res.user', "Waived By"),
        'get_user')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('account')
        cls._order = [('due_date', 'DESC'), ('id', 'DESC')]

    def get_user(self, name):
        return self.create_uid

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode in {'write', 'delete'}:
            raise AccessError(gettext('saccos_savings.msg_waiver_readonly'))

    @classmethod
    def waive(cls, account, due_date, amount, reason, date):
        "Waive amount of the deposit due at due_date"
        schedule = account.deposit_schedule(date)
        if due_date not in schedule.due:
            raise SavingsAccountError(gettext(
                    'saccos_savings.msg_waive_not_due',
                    account=account.rec_name, date=due_date))
        remaining = schedule.remaining[due_date]
        if amount is None or amount <= 0 or amount > remaining:
            raise SavingsAccountError(gettext(
                    'saccos_savings.msg_waive_amount',
                    account=account.rec_name, date=due_date,
                    remaining=fmt(remaining)))
        waiver, = cls.create([{
                    'account': account.id,
                    'due_date': due_date,
                    'amount': amount,
                    'reason': reason,
                    'date': date,
                    }])
        return waiver


class Alert(Workflow, ModelSQL, ModelView):
    "Savings Alert"
    __name__ = 'saccos.savings.alert'
    company = fields.Many2One('company.company', "Company", required=True,
        readonly=True)
    account = fields.Many2One(
        'saccos.savings.account', "Account", required=True, readonly=True,
        ondelete='CASCADE')
    member = fields.Many2One(
        'party.party', "Member", required=True, readonly=True,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    kind = fields.Selection([
            ('missed_deposit', "Missed Deposits"),
            ], "Kind", required=True, readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    missed_count = fields.Integer("Deposits Missed", readonly=True)
    amount = fields.Numeric("Past Due", digits=(16, 2), readonly=True)
    message = fields.Text("Message", readonly=True)
    state = fields.Selection([
            ('open', "Open"),
            ('done', "Followed Up"),
            ], "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('alert_unique', Unique(t, t.account, t.kind, t.date),
                'saccos_savings.msg_alert_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.state, Index.Equality()),
                where=t.state == 'open'))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls.__access__.add('account')
        cls._transitions |= {('open', 'done'), ('done', 'open')}
        cls.__rpc__.update({
                'raise_missed_deposits': RPC(readonly=False,
                    result=lambda r: [a.id for a in r]),
                })
        cls._buttons.update({
                'done': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'done',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, alerts):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, alerts):
        pass

    @classmethod
    def missed_deposits_cron(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return cls.raise_missed_deposits(Date.today())

    @classmethod
    @without_check_access
    def raise_missed_deposits(cls, date):
        """Alert on each mandatory account with deposits missed as of
        date and charge the product's penalty once per missed deposit;
        re-running for a date changes nothing"""
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        Line = pool.get('saccos.savings.transaction')
        accounts = Account.search([
                ('product.deposit_type', '=', 'mandatory'),
                ('state', 'in', ['active', 'inactive']),
                ('activation_date', '<', date),
                ])
        existing = {a.account.id for a in cls.search([
                    ('kind', '=', 'missed_deposit'),
                    ('date', '=', date),
                    ])}
        missed = []
        for account in accounts:
            schedule = account.deposit_schedule(date)
            if schedule.missed:
                missed.append((account, schedule))
        penalised = [a for a, _ in missed
            if a.product.missed_deposit_penalty]
        if penalised:
            # All at once: a lock per account would restart the job for
            # each of them.
            Line._lock(penalised, date)
        alerts = []
        for account, schedule in missed:
            penalty = account.product.missed_deposit_penalty
            unpaid = []
            if penalty:
                unpaid = cls._charge_penalties(
                    account, schedule, penalty, date, Line)
            if account.id in existing:
                continue
            message = gettext(
                'saccos_savings.msg_alert_missed_deposits',
                member=account.owner.rec_name,
                account=account.rec_name,
                count=len(schedule.missed),
                amount=fmt(schedule.past_due),
                dates=', '.join(str(d) for d, _ in schedule.missed))
            if unpaid:
                message += ' ' + gettext(
                    'saccos_savings.msg_alert_penalty_unpaid',
                    amount=fmt(penalty * len(unpaid)),
                    dates=', '.join(str(d) for d in unpaid))
            alerts.append({
                    'company': account.company.id,
                    'account': account.id,
                    'member': account.owner.id,
                    'kind': 'missed_deposit',
                    'date': date,
                    'missed_count': len(schedule.missed),
                    'amount': account.currency.round(schedule.past_due),
                    'message': message,
                    })
        return cls.create(alerts)

    @classmethod
    def _charge_penalties(cls, account, schedule, penalty, date, Line):
        "Charge the penalties not charged yet; the due dates left unpaid"
        charged = {t.period_end for t in Line.search([
                    ('account', '=', account.id),
                    ('kind', '=', 'penalty'),
                    ('reversal_of', '=', None),
                    ])}
        unpaid = []
        for due_date, _ in schedule.missed:
            if due_date in charged:
                continue
            account = account.__class__(account.id)
            if account.balance < penalty:
                # Penalties never overdraw savings; the alert says it.
                unpaid.append(due_date)
                continue
            Line.apply_charge(account, penalty, date,
                gettext('saccos_savings.msg_description_penalty',
                    date=due_date),
                kind='penalty', period_end=due_date, lock=False)
        return unpaid


# Payroll check-off and other contribution files ---------------------------

HEADERS = {
    'member': {'member', 'member_number', 'member number', 'member no',
        'memberno', 'number'},
    'account': {'account', 'account_number', 'account number',
        'account no'},
    'amount': {'amount', 'contribution', 'deduction'},
    'date': {'date', 'payment date', 'payment_date'},
    'reference': {'reference', 'ref', 'receipt', 'receipt_number'},
    }


def read_rows(data, filename):
    """[(line number, {column: text})] of a CSV or XLSX file whose first
    row names the columns"""
    name = (filename or '').lower()
    if name.endswith('.xlsx') or data[:2] == b'PK':
        from openpyxl import load_workbook
        book = load_workbook(io.BytesIO(data), read_only=True,
            data_only=True)
        sheet = book.worksheets[0]
        raw = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        text = data.decode('utf-8-sig')
        dialect = csv.Sniffer().sniff(text.splitlines()[0], ',;\t')
        raw = list(csv.reader(io.StringIO(text), dialect))
    if not raw:
        return [], []
    header = [str(c or '').strip().lower() for c in raw[0]]
    columns = {}
    for index, title in enumerate(header):
        for key, names in HEADERS.items():
            if title in names:
                columns[key] = index
    rows = []
    for number, values in enumerate(raw[1:], 2):
        if not any(v not in (None, '') for v in values):
            continue
        rows.append((number, {k: values[i] if i < len(values) else None
                    for k, i in columns.items()}))
    return columns, rows


def _parse_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or '').strip()
    for pattern in ('%Y-%m-%d', '%d/%m/%Y', '%d-%m-%Y', '%d.%m.%Y'):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    return None


def _parse_amount(value):
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value or '').replace(',', '').strip())
    except InvalidOperation:
        return None


class ImportContributionsStart(ModelView):
    "Import Contributions"
    __name__ = 'saccos.savings.contribution.import.start'
    file = fields.Binary("File", required=True, filename='filename',
        help="CSV or XLSX with the columns member number, amount, date "
        "and reference (account number optional).")
    filename = fields.Char("File Name")
    payment_mode = fields.Selection([
            ('bank', "Bank"),
            ('cash', "Cash"),
            ('mobile_money', "Mobile Money"),
            ], "Received Through", required=True)
    product = fields.Many2One(
        'saccos.savings.product', "Product",
        help="The product of the account credited when a line gives no "
        "account number.")

    @classmethod
    def default_payment_mode(cls):
        return 'bank'


class ImportContributionsResult(ModelView):
    "Import Contributions"
    __name__ = 'saccos.savings.contribution.import.result'
    posted = fields.Integer("Lines Posted", readonly=True)
    total = fields.Numeric("Total Posted", digits=(16, 2), readonly=True)
    errors = fields.Text("Errors", readonly=True)


class ImportContributions(Wizard):
    "Import Contributions"
    __name__ = 'saccos.savings.contribution.import'
    start = StateView('saccos.savings.contribution.import.start',
        'saccos_savings.contribution_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('saccos.savings.contribution.import.result',
        'saccos_savings.contribution_import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        pool = Pool()
        Line = pool.get('saccos.savings.transaction')
        try:
            lines = Line.import_contributions(
                self.start.file, self.start.filename,
                self.start.payment_mode, self.start.product)
        except ContributionImportError as error:
            self.result.errors = error.message
            self.result.posted = 0
            self.result.total = Decimal(0)
        else:
            self.result.errors = None
            self.result.posted = len(lines)
            self.result.total = sum((l[2] for l in lines), Decimal(0))
        return 'result'

    def default_result(self, fields):
        return {
            'posted': self.result.posted,
            'total': self.result.total,
            'errors': self.result.errors,
            }


ImportAccount = namedtuple('ImportAccount', [
        'id', 'owner', 'number', 'state', 'activation_date',
        'interest_posted_until', 'product', 'deposit_type',
        'savings_account', 'journal', 'rec_name'])


class ContributionImporter:
    """Validates a whole file, then posts it set-wise: one move per date
    (the payment account against each member's savings) and one
    transaction per line.

    Members and accounts are read with plain queries into tuples: a file
    of 50,000 lines would make 50,000 ORM records, whose lazy reads cost
    more than the whole posting."""

    def __init__(self, company, payment_mode, product=None):
        self.company = company
        self.payment_mode = payment_mode
        self.product = product

    def _read(self, numbers):
        "Members by number, and their open accounts"
        pool = Pool()
        Party = pool.get('party.party')
        Account = pool.get('saccos.savings.account')
        Product = pool.get('saccos.savings.product')
        cursor = Transaction().connection.cursor()
        party = Party.__table__()
        account = Account.__table__()
        product = Product.__table__()
        members = {}
        for sub in chunks(sorted(numbers)):
            cursor.execute(*party.select(party.member_number, party.id,
                    party.name, where=party.member_number.in_(sub)
                    & (party.is_member == Literal(True))))
            for number, party_id, name in cursor:
                members[number] = (party_id, name)
        names = {i: n for i, n in members.values()}
        by_owner = defaultdict(list)
        by_number = {}
        for sub in chunks(sorted(names)):
            cursor.execute(*account.join(product,
                    condition=account.product == product.id).select(
                    account.id, account.owner, account.number,
                    account.state, account.activation_date,
                    account.interest_posted_until, product.id,
                    product.deposit_type, product.savings_account,
                    product.journal, product.code,
                    where=account.owner.in_(sub)
                    & (account.company == self.company.id)
                    & account.state.in_(['active', 'inactive'])))
            for (id_, owner, number, state, activated, posted, product_id,
                    deposit_type, savings, journal, code) in cursor:
                item = ImportAccount(id_, owner, number, state,
                    to_date(activated), to_date(posted), product_id,
                    deposit_type, savings, journal,
                    '%s %s - %s' % (number, code, names[owner]))
                by_owner[owner].append(item)
                by_number[number] = item
        return members, by_owner, by_number

    def _posted_references(self, references):
        pool = Pool()
        Line = pool.get('saccos.savings.transaction')
        cursor = Transaction().connection.cursor()
        line = Line.__table__()
        existing = set()
        for sub in chunks(sorted(references)):
            cursor.execute(*line.select(line.reference,
                    where=line.reference.in_(sub)
                    & (line.company == self.company.id)))
            existing.update(r for r, in cursor)
        return existing

    def validate(self, rows, locks=()):
        """The lines of rows to post and the errors of the others, once
        the accounts of rows and the locks are taken"""
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        Period = pool.get('account.period')
        Date = pool.get('ir.date')
        today = Date.today()
        quantum = self.company.currency.rounding
        errors = []
        members, by_owner, by_number = self._read(
            {str(r.get('member') or '').strip() for _, r in rows})
        # Before the work: taking a lock restarts the transaction.
        lock_together(
            lambda: Account.lock(Account.browse(sorted(
                        a.id for a in by_number.values()))),
            *locks)
        existing = self._posted_references(
            {str(r.get('reference') or '').strip() for _, r in rows} - {''})
        product_id = self.product.id if self.product else None
        seen = set()
        periods = {}
        result = []
        for number, row in rows:
            member_number = str(row.get('member') or '').strip()
            reference = str(row.get('reference') or '').strip()
            amount = _parse_amount(row.get('amount'))
            date = _parse_date(row.get('date'))
            problems = []
            member = members.get(member_number)
            account = None
            if not member:
                problems.append(gettext(
                        'saccos_savings.msg_import_member_unknown',
                        member=member_number))
            else:
                account_number = str(row.get('account') or '').strip()
                if account_number:
                    account = by_number.get(account_number)
                    if not account or account.owner != member[0]:
                        problems.append(gettext(
                                'saccos_savings.msg_import_account_unknown',
                                account=account_number,
                                member=member_number))
                        account = None
                else:
                    candidates = [a for a in by_owner[member[0]]
                        if (a.product == product_id if product_id
                            else a.deposit_type == 'mandatory')]
                    if len(candidates) == 1:
                        account, = candidates
                    else:
                        problems.append(gettext(
                                'saccos_savings.msg_import_account_ambiguous',
                                member=member_number,
                                count=len(candidates)))
            if amount is None or amount <= 0 or amount % quantum:
                problems.append(gettext(
                        'saccos_savings.msg_import_amount',
                        amount=row.get('amount')))
            if date is None:
                problems.append(gettext(
                        'saccos_savings.msg_import_date',
                        date=row.get('date')))
            elif date > today:
                problems.append(gettext(
                        'saccos_savings.msg_import_date_future', date=date))
            elif account:
                if account.activation_date and date < account.activation_date:
                    problems.append(gettext(
                            'saccos_savings.msg_date_before_activation',
                            account=account.rec_name, date=date))
                if (account.interest_posted_until
                        and date <= account.interest_posted_until):
                    problems.append(gettext(
                            'saccos_savings.msg_date_interest_posted',
                            account=account.rec_name, date=date,
                            posted=account.interest_posted_until))
            if date and date not in periods:
                periods[date] = bool(Period.search([
                            ('company', '=', self.company.id),
                            ('start_date', '<=', date),
                            ('end_date', '>=', date),
                            ('type', '=', 'standard'),
                            ('state', '=', 'open'),
                            ], limit=1))
            if date and not periods[date]:
                problems.append(gettext(
                        'saccos_savings.msg_import_period', date=date))
            if not reference:
                problems.append(gettext(
                        'saccos_savings.msg_import_reference_missing'))
            elif reference in existing:
                problems.append(gettext(
                        'saccos_savings.msg_import_reference_posted',
                        reference=reference))
            elif reference in seen:
                problems.append(gettext(
                        'saccos_savings.msg_import_reference_twice',
                        reference=reference))
            seen.add(reference)
            if problems:
                errors.append(gettext('saccos_savings.msg_import_line',
                        line=number, errors='; '.join(problems)))
            else:
                result.append((account, date, amount.quantize(quantum),
                        reference))
        return result, errors

    def post(self, lines):
        pool = Pool()
        Line = pool.get('saccos.savings.transaction')
        Account = pool.get('saccos.savings.account')
        Configuration = pool.get('saccos.configuration')
        Journal = pool.get('account.journal')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        config = Configuration(1)
        payment_account = config.require_payment_account(
            self.payment_mode, company=self.company)
        # A teller's deposit on one of these accounts waits for the file
        # (locked in validate).
        groups = defaultdict(list)
        for line in lines:
            groups[(line[0].journal, line[1])].append(line)
        move_of = {}
        for journal_id in sorted({j for j, _ in groups}):
            keys = sorted(k for k in groups if k[0] == journal_id)
            moves = []
            for _, date in keys:
                group = groups[(journal_id, date)]
                description = gettext(
                    'saccos_savings.msg_description_contributions',
                    date=date, count=len(group))
                move_lines = [{
                        'account': payment_account.id,
                        'debit': sum((l[2] for l in group), Decimal(0)),
                        'description': description,
                        }]
                move_lines.extend({
                        'account': a.savings_account,
                        'party': a.owner,
                        'credit': amount,
                        'description': reference,
                        } for a, _, amount, reference in group)
                moves.append({
                        'date': date,
                        'description': description,
                        'lines': move_lines,
                        })
            ids = bulk_post_moves(self.company, Journal(journal_id), moves)
            for (_, date), move_id in zip(keys, ids):
                move_of[(journal_id, date)] = move_id
        sequence = config.get_multivalue(
            'savings_receipt_sequence', company=self.company.id)
        if sequence:
            # get_many formats prefix and suffix again for every number.
            sequence.lock()
            prefix = sequence._process(sequence.prefix)
            suffix = sequence._process(sequence.suffix)
            receipts = [f'{prefix}{n}{suffix}'
                for n in sequence._get_many(len(lines))]
        else:
            receipts = [None] * len(lines)
        label = gettext('saccos_savings.msg_description_contribution',
            reference='{}')
        user = transaction.user
        now = dt.datetime.now()
        insert_rows(Line._table, [
                'company', 'account', 'party', 'kind', 'date', 'amount',
                'signed_amount', 'counter_account', 'move', 'payment_mode',
                'receipt_number', 'reference', 'description', 'create_uid',
                'create_date'],
            ([self.company.id, a.id, a.owner, 'deposit', date, amount,
                    amount, payment_account.id, move_of[(a.journal, date)],
                    self.payment_mode, receipt, reference,
                    label.format(reference), user, now]
                for (a, date, amount, reference), receipt
                in zip(lines, receipts)))
        last = {}
        for account, date, _, _ in lines:
            if account.id not in last or date > last[account.id]:
                last[account.id] = date
        clear_cache(Line.__name__, Account.__name__)
        dormant = {l[0].id for l in lines if l[0].state == 'inactive'}
        for account in Account.browse(sorted(dormant)):
            Account.wake([account], last[account.id])
        table = Account.__table__()
        by_date = defaultdict(list)
        for account_id, date in last.items():
            by_date[date].append(account_id)
        for date, account_ids in by_date.items():
            for sub in chunks(account_ids):
                cursor.execute(*table.update(
                        [table.last_transaction_date], [date],
                        where=table.id.in_(sub)
                        & ((table.last_transaction_date == None)  # noqa: E711
                            | (table.last_transaction_date < date))))
        clear_cache(Account.__name__)
        return list(move_of.values())


class ContributionReportStart(ModelView):
    "Contribution Report"
    __name__ = 'saccos.savings.contribution.report.start'
    product = fields.Many2One(
        'saccos.savings.product', "Product", required=True,
        domain=[('deposit_type', '=', 'mandatory')])
    start_date = fields.Date("From", required=True)
    end_date = fields.Date("To", required=True,
        domain=[('end_date', '>=', Eval('start_date'))])

    @classmethod
    def default_start_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today().replace(day=1)

    @classmethod
    def default_end_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today()


class ContributionReportLine(ModelView):
    "Contribution Report Line"
    __name__ = 'saccos.savings.contribution.report.line'
    member = fields.Many2One('party.party', "Member", readonly=True)
    account = fields.Many2One(
        'saccos.savings.account', "Account", readonly=True)
    expected = fields.Numeric("Expected", digits=(16, 2), readonly=True)
    paid = fields.Numeric("Paid", digits=(16, 2), readonly=True)
    missed_count = fields.Integer("Deposits Missed", readonly=True)
    missed_amount = fields.Numeric("Missed", digits=(16, 2), readonly=True)


class ContributionReportResult(ModelView):
    "Contribution Report"
    __name__ = 'saccos.savings.contribution.report.result'
    lines = fields.One2Many(
        'saccos.savings.contribution.report.line', None, "Lines",
        readonly=True)
    expected = fields.Numeric("Expected", digits=(16, 2), readonly=True)
    paid = fields.Numeric("Paid", digits=(16, 2), readonly=True)
    missed_amount = fields.Numeric("Missed", digits=(16, 2), readonly=True)
    file = fields.Binary("Spreadsheet", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)


class ContributionReport(Wizard):
    "Contribution Report"
    __name__ = 'saccos.savings.contribution.report'
    start = StateView('saccos.savings.contribution.report.start',
        'saccos_savings.contribution_report_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Show", 'result', 'tryton-ok', default=True),
            ])
    result = StateView('saccos.savings.contribution.report.result',
        'saccos_savings.contribution_report_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_result(self, fields):
        rows = contribution_rows(
            self.start.product, self.start.start_date, self.start.end_date)
        return {
            'lines': [{
                    'member': r['member'].id,
                    'account': r['account'].id,
                    'expected': r['expected'],
                    'paid': r['paid'],
                    'missed_count': r['missed_count'],
                    'missed_amount': r['missed_amount'],
                    } for r in rows],
            'expected': sum((r['expected'] for r in rows), Decimal(0)),
            'paid': sum((r['paid'] for r in rows), Decimal(0)),
            'missed_amount': sum(
                (r['missed_amount'] for r in rows), Decimal(0)),
            'file': contribution_xlsx(rows, self.start.product,
                self.start.start_date, self.start.end_date),
            'filename': 'contributions-%s-%s-%s.xlsx' % (
                self.start.product.code, self.start.start_date,
                self.start.end_date),
            }


def contribution_rows(product, start, end):
    """Per account of the product: what fell due, what was paid and what
    was missed between start and end"""
    pool = Pool()
    Account = pool.get('saccos.savings.account')
    Line = pool.get('saccos.savings.transaction')
    accounts = Account.search([
            ('product', '=', product.id),
            ('activation_date', '<=', end),
            ('state', 'in', ['active', 'inactive', 'closed']),
            ], order=[('number', 'ASC')])
    paid = defaultdict(Decimal)
    for sub in chunks([a.id for a in accounts]):
        for line in Line.search([
                    ('account', 'in', sub),
                    ('kind', 'in', ['deposit', 'transfer_in']),
                    ('date', '>=', start),
                    ('date', '<=', end),
                    ]):
            paid[line.account.id] += line.signed_amount
    rows = []
    for account in accounts:
        schedule = account.deposit_schedule(end + dt.timedelta(days=1))
        missed = schedule.missed_between(start, end)
        round_ = account.currency.round
        rows.append({
                'member': account.owner,
                'account': account,
                'expected': round_(schedule.expected(start, end)),
                'paid': round_(paid[account.id]),
                'missed_count': len(missed),
                'missed_amount': round_(
                    sum((a for _, a in missed), Decimal(0))),
                })
    return rows


def contribution_xlsx(rows, product, start, end):
    import xlsxwriter
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {'in_memory': True})
    sheet = book.add_worksheet('Contributions')
    bold = book.add_format({'bold': True})
    money = book.add_format({'num_format': '#,##0.00'})
    sheet.write(0, 0, '%s %s - %s' % (product.rec_name, start, end), bold)
    headers = ["Member Number", "Member", "Account", "Expected", "Paid",
        "Deposits Missed", "Missed"]
    for col, header in enumerate(headers):
        sheet.write(2, col, header, bold)
    for row_index, row in enumerate(rows, 3):
        sheet.write(row_index, 0, row['member'].member_number or '')
        sheet.write(row_index, 1, row['member'].name)
        sheet.write(row_index, 2, row['account'].number or '')
        sheet.write_number(row_index, 3, row['expected'], money)
        sheet.write_number(row_index, 4, row['paid'], money)
        sheet.write_number(row_index, 5, row['missed_count'])
        sheet.write_number(row_index, 6, row['missed_amount'], money)
    book.close()
    return output.getvalue()
