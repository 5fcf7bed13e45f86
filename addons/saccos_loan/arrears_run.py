# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The daily loan job, as of a date.

For every active loan of the company it:
- marks the instalments past due and computes the days past due (from
  the oldest unpaid instalment) and the ageing bucket;
- charges the penalties the product's policy asks for up to the date
  (counted per instalment: periods or tiers already charged are not
  charged again), within the in duplum cap of a non-performing loan;
- accrues, for accrual products, the interest earned up to the date
  (linear over each instalment's period; what is booked is never booked
  again), within the same cap;
- classifies the loan with the classification table in force (the
  company's jurisdiction) and computes its provision, then posts the
  change of the loan loss provision per provision account;
- raises a reminder for each instalment falling due within the
  configured days.

Every step compares with what is already booked, so running the job
twice for a date posts once, and it can be run for past dates (back
tests) without charging twice.  The work is set-based: one read of the
instalments concerned, the ledger through saccos_member's bulk path,
transactions and their lines inserted set-wise; the ORM would take hours
over 100,000 loans (bench/bench_loan.py)."""
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from sql import Literal, Null
from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import AccessError
from trytond.modules.saccos_member.ledger import (
    bulk_post_moves, clear_cache, insert_returning, insert_rows,
    lock_move_sequences, to_date)
from trytond.modules.saccos_member.money import allocate, to_decimal
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .arrears import (
    Tier, accrued_interest, ageing_bucket, cap, classify, days_past_due,
    in_duplum_room, penalty_amount, penalty_periods, tier_penalties)

ZERO = Decimal(0)


class ArrearsRun(ModelSQL, ModelView):
    "Loan Daily Run"
    __name__ = 'saccos.loan.arrears_run'
    company = fields.Many2One('company.company', "Company", required=True,
        readonly=True)
    date = fields.Date("As Of", required=True, readonly=True)
    loan_count = fields.Integer("Active Loans", readonly=True)
    overdue_count = fields.Integer("Loans Past Due", readonly=True)
    penalty_amount = fields.Numeric(
        "Penalties Charged", digits='currency', readonly=True)
    accrued_amount = fields.Numeric(
        "Interest Accrued", digits='currency', readonly=True)
    provision_required = fields.Numeric(
        "Provision Required", digits='currency', readonly=True)
    provision_adjustment = fields.Numeric(
        "Provision Posted", digits='currency', readonly=True,
        help="The change of the loan loss provision this run posted.")
    reminder_count = fields.Integer("Reminders Raised", readonly=True)
    classification = fields.Many2One(
        'saccos.loan.classification', "Classification Table",
        readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_currency')
    moves = fields.One2Many('account.move', 'origin', "Moves", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('date_unique', Unique(t, t.company, t.date),
                'saccos_loan.msg_arrears_run_unique'),
            ]
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    def get_currency(self, name):
        return self.company.currency

    def get_rec_name(self, name):
        return str(self.date)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete' or (mode == 'write' and external):
            raise AccessError(gettext('saccos_loan.msg_arrears_run_readonly'))

    @classmethod
    def run_cron(cls):
        "Scheduled: the job as of today"
        pool = Pool()
        Date = pool.get('ir.date')
        return cls.run(Date.today())

    @classmethod
    def run(cls, date, companies=None):
        pool = Pool()
        Company = pool.get('company.company')
        if companies is None:
            companies = Company.search([])
        return [cls.run_company(c, date) for c in companies]

    @classmethod
    def run_company(cls, company, date):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        Classification = pool.get('saccos.loan.classification')
        Loan = pool.get('saccos.loan')
        Installment = pool.get('saccos.loan.installment')
        Transaction_ = pool.get('saccos.loan.transaction')
        Line = pool.get('saccos.loan.transaction.line')
        Reminder = pool.get('saccos.loan.reminder')
        config = Configuration(1)
        jurisdiction = config.get_multivalue(
            'loan_jurisdiction', company=company.id) or 'KE'
        table = Classification.effective(jurisdiction, date)
        bands = table.as_bands()

        lock_move_sequences(company, [date])
        runs = cls.search([
                ('company', '=', company.id),
                ('date', '=', date),
                ], limit=1)
        if runs:
            run, = runs
            # Two re-runs of one date at once would both charge what
            # neither had seen charged: the second waits for the first.
            cls.lock([run])
        else:
            run = cls(company=company, date=date)
            run.save()

        job = _Job(company, date)
        job.read()
        penalties, accruals = job.charge()
        moves = job.post(run, penalties, accruals)
        job.record(moves, penalties, accruals)
        provisions = job.classify(bands)
        adjustment = job.post_provision(run, provisions)
        reminder_days = config.get_multivalue(
            'loan_reminder_days', company=company.id)
        reminders = job.raise_reminders(reminder_days)
        clear_cache(Loan.__name__, Installment.__name__,
            Transaction_.__name__, Line.__name__, Reminder.__name__)
        cls.write([run], {
                'loan_count': len(job.loans),
                'overdue_count': len(job.overdue_loans),
                'penalty_amount': (run.penalty_amount or ZERO)
                + sum((sum(p.values()) for p in penalties.values()), ZERO),
                'accrued_amount': (run.accrued_amount or ZERO)
                + sum((sum(a.values()) for a in accruals.values()), ZERO),
                'provision_required': sum(provisions.values(), ZERO),
                'provision_adjustment': (run.provision_adjustment or ZERO)
                + adjustment,
                'reminder_count': (run.reminder_count or 0) + reminders,
                'classification': table.id,
                })
        return run


class _Job:
    "The work of one company's run, on rows read once"

    def __init__(self, company, date):
        pool = Pool()
        self.company = company
        self.date = date
        self.quantum = company.currency.rounding
        self.cursor = Transaction().connection.cursor()
        self.Loan = pool.get('saccos.loan')
        self.Installment = pool.get('saccos.loan.installment')
        self.Product = pool.get('saccos.loan.product')
        with Transaction().set_context(active_test=False):
            self.products = {p.id: p for p in self.Product.search([
                        ('company', '=', company.id),
                        ])}
        self.tiers = {p.id: [Tier(t.days_from, t.rate, t.amount)
                for t in p.penalty_tiers] for p in self.products.values()}

    def money(self, value):
        return to_decimal(value).quantize(self.quantum)

    def read(self):
        "The active loans, their outstanding principal and the instalments"
        loan = self.Loan.__table__()
        installment = self.Installment.__table__()
        cursor = self.cursor
        date = self.date
        cursor.execute(*loan.select(
                loan.id, loan.member, loan.product,
                loan.non_performing_since, loan.in_duplum_cap,
                loan.charged_since_non_performing,
                where=(loan.company == self.company.id)
                & (loan.state == 'active')))
        self.loans = {r[0]: {
                'member': r[1], 'product': r[2],
                'non_performing_since': to_date(r[3]),
                'cap': to_decimal(r[4]) if r[4] is not None else None,
                'charged_since': to_decimal(r[5]),
                'outstanding': ZERO, 'unpaid_interest': ZERO,
                'unpaid_penalty': ZERO, 'oldest_due': None,
                } for r in cursor}
        active = (loan.company == self.company.id) & (loan.state == 'active')
        join = installment.join(loan, condition=installment.loan == loan.id)
        cursor.execute(*join.select(
                installment.loan,
                Sum(installment.principal - installment.principal_paid),
                where=active & (installment.state != 'superseded'),
                group_by=[installment.loan]))
        # SQLite computes NUMERIC as floating point: every amount read is
        # rounded back to the currency.
        money = self.money
        for loan_id, outstanding in cursor:
            self.loans[loan_id]['outstanding'] = money(outstanding)

        accrual_products = [p.id for p in self.products.values()
            if p.interest_accounting == 'accrual']
        # The instalments past due (penalties, days past due), and for
        # accrual products those whose period has started.
        wanted = installment.due_date < date
        if accrual_products:
            wanted |= (installment.start_date < date) & (
                loan.product.in_(accrual_products))
        cursor.execute(*join.select(
                installment.id, installment.loan, installment.due_date,
                installment.start_date,
                installment.principal - installment.principal_paid,
                installment.interest - installment.interest_paid
                - installment.interest_waived,
                installment.penalty - installment.penalty_paid
                - installment.penalty_waived,
                installment.penalty_periods, installment.penalty_tiers,
                installment.interest, installment.interest_waived,
                installment.interest_accrued,
                where=active & (installment.state == 'open') & wanted,
                order_by=[installment.loan, installment.number]))
        self.installments = []
        self.overdue_loans = set()
        for row in cursor:
            (id_, loan_id, due, start, principal, interest, penalty,
                periods, tiers, scheduled, waived, accrued) = row
            due, start = to_date(due), to_date(start)
            values = {
                'id': id_, 'loan': loan_id, 'due_date': due,
                'start_date': start, 'principal': money(principal),
                'interest': money(interest),
                'penalty': money(penalty), 'periods': periods or 0,
                'tiers': {int(i) for i in (tiers or '').split(',') if i},
                'scheduled': money(scheduled),
                'waived': money(waived),
                'accrued': money(accrued),
                }
            self.installments.append(values)
            if due < date:
                info = self.loans[loan_id]
                self.overdue_loans.add(loan_id)
                if info['oldest_due'] is None or due < info['oldest_due']:
                    info['oldest_due'] = due
                info['unpaid_interest'] += values['interest']
                info['unpaid_penalty'] += values['penalty']

    def _room(self, info, product):
        """How much more interest and penalty the loan may be charged:
        None without a cap; a loan turning non-performing freezes its
        cap (in duplum) and one performing again loses it"""
        dpd = days_past_due(self.date, info['oldest_due'])
        if not product.in_duplum:
            return None
        if dpd > product.non_performing_days:
            if info['non_performing_since'] is None:
                info['non_performing_since'] = self.date
                info['cap'] = max(info['outstanding']
                    - info['unpaid_interest'] - info['unpaid_penalty'],
                    ZERO)
                info['charged_since'] = ZERO
                info['changed'] = True
            return in_duplum_room(info['cap'], ZERO, ZERO,
                info['charged_since'])
        if info['non_performing_since'] is not None:
            info['non_performing_since'] = None
            info['cap'] = None
            info['charged_since'] = ZERO
            info['changed'] = True
        return None

    def charge(self):
        """The penalties and accruals due per loan and instalment:
        {loan: {installment id: amount}}; the instalment rows get their
        new counters"""
        date = self.date
        quantum = self.quantum
        penalties = defaultdict(dict)
        accruals = defaultdict(dict)
        rooms = {}
        for row in self.installments:
            info = self.loans[row['loan']]
            product = self.products[info['product']]
            if row['loan'] not in rooms:
                rooms[row['loan']] = self._room(info, product)
            room = rooms[row['loan']]
            row['charged'] = ZERO
            row['accrual'] = ZERO
            if (product.interest_accounting == 'accrual'
                    and row['start_date'] < date):
                target = min(accrued_interest(row['scheduled'],
                        row['start_date'], row['due_date'], date, quantum,
                        ROUND_HALF_UP), row['scheduled'] - row['waived'])
                amount = target - row['accrued']
                if amount > 0 and room is not None:
                    amount = cap(amount, room)
                    room -= amount
                if amount > 0:
                    row['accrual'] = amount
                    accruals[row['loan']][row['id']] = amount
                rooms[row['loan']] = room
            if row['due_date'] >= date or product.penalty_method == 'none':
                continue
            amount = self._penalty(row, product)
            if amount > 0 and room is not None:
                amount = cap(amount, room)
                room -= amount
            if amount > 0:
                row['charged'] = amount
                penalties[row['loan']][row['id']] = amount
            rooms[row['loan']] = room
        for loan_id, room in rooms.items():
            if room is not None:
                info = self.loans[loan_id]
                charged = (sum(penalties.get(loan_id, {}).values(), ZERO)
                    + sum(accruals.get(loan_id, {}).values(), ZERO))
                if charged:
                    info['charged_since'] += charged
                    info['changed'] = True
        return penalties, accruals

    def _penalty(self, row, product):
        "The penalty row is charged now; its counters move with it"
        date = self.date
        late = (date - row['due_date']).days
        method = product.penalty_method
        if method == 'tiers':
            due = tier_penalties(self.tiers[product.id], late,
                row['principal'], row['interest'], row['tiers'],
                self.quantum, ROUND_HALF_UP)
            row['tiers'] |= {i for i, _ in due}
            row['counted'] = bool(due)
            return sum((a for _, a in due), ZERO)
        frequency = ('daily' if method == 'flat_per_day'
            else product.penalty_frequency)
        periods = penalty_periods(row['due_date'], date,
            product.penalty_grace_days, frequency)
        new = periods - row['periods']
        if new <= 0:
            return ZERO
        row['periods'] = periods
        row['counted'] = True
        return penalty_amount(method, row['principal'], row['interest'],
            rate=product.penalty_rate, amount=product.penalty_amount,
            periods=new, quantum=self.quantum, rounding=ROUND_HALF_UP)

    def post(self, run, penalties, accruals):
        """One move per product with a line per loan charged or accrued;
        returns {product: move id}"""
        by_journal = defaultdict(list)
        description = gettext('saccos_loan.msg_description_daily',
            date=self.date)
        for product in self.products.values():
            lines = []
            for kind, charges, debit_account, credit_account in [
                    ('penalty', penalties,
                        product.charges_receivable_account,
                        product.penalty_income_account),
                    ('accrual', accruals,
                        product.interest_receivable_account,
                        product.interest_income_account),
                    ]:
                total = ZERO
                for loan_id, amounts in charges.items():
                    info = self.loans[loan_id]
                    if info['product'] != product.id:
                        continue
                    amount = sum(amounts.values(), ZERO)
                    total += amount
                    lines.append({
                            'account': debit_account.id,
                            'party': info['member'],
                            'debit': amount,
                            })
                if total:
                    lines.append({
                            'account': credit_account.id,
                            'credit': total,
                            'description': description,
                            })
            if lines:
                by_journal[product.journal].append((product.id, {
                            'date': self.date,
                            'description': description,
                            'origin': str(run),
                            'lines': lines,
                            }))
        moves = {}
        for journal, items in by_journal.items():
            ids = bulk_post_moves(self.company, journal,
                [m for _, m in items])
            moves.update(zip([p for p, _ in items], ids))
        return moves

    def record(self, moves, penalties, accruals):
        """The loan transactions and their lines, set-wise; the
        instalments' counters and the loans' in duplum figures"""
        pool = Pool()
        Transaction_ = pool.get('saccos.loan.transaction')
        Line = pool.get('saccos.loan.transaction.line')
        transaction = Transaction()
        user = transaction.user
        now = dt.datetime.now()
        description = gettext('saccos_loan.msg_description_daily',
            date=self.date)
        keys, rows = [], []
        for kind, charges in [('penalty', penalties), ('accrual', accruals)]:
            for loan_id, amounts in charges.items():
                info = self.loans[loan_id]
                amount = sum(amounts.values(), ZERO)
                keys.append((kind, loan_id))
                rows.append([self.company.id, loan_id, info['member'], kind,
                        self.date, amount, ZERO,
                        amount if kind == 'accrual' else ZERO, ZERO,
                        amount if kind == 'penalty' else ZERO,
                        moves[info['product']], description, user, now])
        ids = insert_returning(Transaction_.__table__(), [
                'company', 'loan', 'member', 'kind', 'date', 'amount',
                'principal', 'interest', 'fee', 'penalty', 'move',
                'description', 'create_uid', 'create_date'], rows)
        by_key = dict(zip(keys, ids))
        insert_rows(Line._table, [
                'transaction', 'installment', 'principal', 'interest',
                'interest_income', 'fee', 'penalty', 'prepaid',
                'create_uid', 'create_date'],
            ([by_key[(kind, loan_id)], installment_id, ZERO,
                    amount if kind == 'accrual' else ZERO, ZERO, ZERO,
                    amount if kind == 'penalty' else ZERO, ZERO, user, now]
                for kind, charges in [
                    ('penalty', penalties), ('accrual', accruals)]
                for loan_id, amounts in charges.items()
                for installment_id, amount in amounts.items()))

        cursor = self.cursor
        table = self.Installment._table
        param = _param()
        changed = [r for r in self.installments
            if r['charged'] or r['accrual'] or r.get('counted')]
        cursor.executemany(
            'UPDATE "%s" SET "penalty" = "penalty" + %s, '
            '"penalty_periods" = %s, "penalty_tiers" = %s, '
            '"interest_accrued" = "interest_accrued" + %s, '
            '"write_uid" = %s, "write_date" = %s WHERE "id" = %s' % (
                table, param, param, param, param, param, param, param),
            [(r['charged'], r['periods'],
                    ','.join(str(i) for i in sorted(r['tiers'])) or None,
                    r['accrual'], user, now, r['id']) for r in changed])

    def classify(self, bands):
        """Days past due, ageing, class and provision of every active
        loan; returns {product: provision required}"""
        cursor = self.cursor
        user = Transaction().user
        now = dt.datetime.now()
        param = _param()
        provisions = defaultdict(lambda: ZERO)
        updates = []
        for loan_id, info in self.loans.items():
            dpd = days_past_due(self.date, info['oldest_due'])
            band = classify(dpd, bands)
            provision = (info['outstanding'] * band.rate / 100).quantize(
                self.quantum, rounding=ROUND_HALF_UP)
            provisions[info['product']] += provision
            updates.append((dpd, ageing_bucket(dpd), band.name, band.rate,
                    provision, self.date, info['non_performing_since'],
                    info['cap'], info['charged_since'], user, now,
                    loan_id))
        cursor.executemany(
            'UPDATE "%s" SET "days_past_due" = %s, "ageing" = %s, '
            '"classification" = %s, "provision_rate" = %s, '
            '"provision" = %s, "arrears_date" = %s, '
            '"non_performing_since" = %s, "in_duplum_cap" = %s, '
            '"charged_since_non_performing" = %s, '
            '"write_uid" = %s, "write_date" = %s WHERE "id" = %s' % (
                (self.Loan._table,) + (param,) * 12), updates)
        installment = self.Installment.__table__()
        loan = self.Loan.__table__()
        cursor.execute(*installment.update(
                [installment.overdue], [True],
                where=(installment.state == 'open')
                & (installment.due_date < self.date)
                & (installment.overdue != Literal(True))
                & installment.loan.in_(loan.select(loan.id,
                        where=(loan.company == self.company.id)
                        & (loan.state == 'active')))))
        return provisions

    def post_provision(self, run, provisions):
        """Bring each provision account to what its loans require; the
        change is split over the products' expense accounts in
        proportion to what their loans require"""
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        line = Line.__table__()
        move = Move.__table__()
        by_account = defaultdict(list)
        for product in self.products.values():
            by_account[product.provision_account].append(product)
        description = gettext('saccos_loan.msg_description_provision',
            date=self.date)
        moves = []
        journal = None
        total = ZERO
        for account, products in by_account.items():
            required = sum((provisions.get(p.id, ZERO) for p in products),
                ZERO)
            self.cursor.execute(*line.join(move,
                    condition=line.move == move.id).select(
                    Sum(line.credit - line.debit),
                    where=(line.account == account.id)
                    & (move.date <= self.date)
                    & (move.state == 'posted')))
            held = to_decimal(self.cursor.fetchone()[0]).quantize(
                self.quantum)
            change = required - held
            if not change:
                continue
            expenses = defaultdict(lambda: ZERO)
            for product in products:
                expenses[product.provision_expense_account] += (
                    provisions.get(product.id, ZERO))
            accounts = list(expenses)
            weights = [expenses[a] for a in accounts]
            if not any(weights):
                weights = [1] + [0] * (len(weights) - 1)
            parts = allocate(abs(change), weights, self.company.currency)
            lines = [{
                    'account': account.id,
                    'credit': change if change > 0 else ZERO,
                    'debit': -change if change < 0 else ZERO,
                    'description': description,
                    }]
            for expense, part in zip(accounts, parts):
                if part:
                    lines.append({
                            'account': expense.id,
                            'debit': part if change > 0 else ZERO,
                            'credit': part if change < 0 else ZERO,
                            'description': description,
                            })
            moves.append({'date': self.date, 'description': description,
                    'origin': str(run), 'lines': lines})
            journal = journal or products[0].journal
            total += change
        if moves:
            bulk_post_moves(self.company, journal, moves)
        return total

    def raise_reminders(self, days):
        "A reminder per instalment falling due within days, once"
        pool = Pool()
        Reminder = pool.get('saccos.loan.reminder')
        if days is None:
            return 0
        installment = self.Installment.__table__()
        loan = self.Loan.__table__()
        reminder = Reminder.__table__()
        until = self.date + dt.timedelta(days=days)
        cursor = self.cursor
        cursor.execute(*installment.join(loan,
                condition=installment.loan == loan.id).join(reminder, 'LEFT',
                condition=reminder.installment == installment.id).select(
                installment.id, installment.loan, loan.member,
                installment.due_date,
                installment.principal - installment.principal_paid
                + installment.interest - installment.interest_paid
                - installment.interest_waived + installment.fee
                - installment.fee_paid - installment.fee_waived,
                where=(loan.company == self.company.id)
                & (loan.state == 'active')
                & (installment.state == 'open')
                & (installment.due_date > self.date)
                & (installment.due_date <= until)
                & (reminder.id == Null)))
        rows = cursor.fetchall()
        user = Transaction().user
        now = dt.datetime.now()
        return insert_rows(Reminder._table, [
                'company', 'loan', 'installment', 'member', 'due_date',
                'amount', 'date', 'state', 'create_uid', 'create_date'],
            ([self.company.id, loan_id, installment_id, member,
                    to_date(due), self.money(amount), self.date, 'pending',
                    user, now]
                for installment_id, loan_id, member, due, amount in rows))


def _param():
    from sql import Flavor
    return Flavor.get().param


class Reminder(ModelSQL, ModelView):
    "Loan Due Date Reminder"
    __name__ = 'saccos.loan.reminder'
    company = fields.Many2One('company.company', "Company", required=True,
        readonly=True)
    loan = fields.Many2One(
        'saccos.loan', "Loan", required=True, readonly=True,
        ondelete='CASCADE')
    installment = fields.Many2One(
        'saccos.loan.installment', "Instalment", required=True,
        readonly=True, ondelete='CASCADE')
    member = fields.Many2One(
        'party.party', "Member", required=True, readonly=True,
        ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    due_date = fields.Date("Due Date", required=True, readonly=True)
    amount = fields.Numeric(
        "Amount Due", digits=(16, 2), required=True, readonly=True)
    date = fields.Date("Raised On", required=True, readonly=True)
    state = fields.Selection([
            ('pending', "Pending"),
            ('sent', "Sent"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True,
        help="Delivery by SMS and email marks reminders sent.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('installment_unique', Unique(t, t.installment),
                'saccos_loan.msg_reminder_unique'),
            ]
        cls._order = [('due_date', 'ASC'), ('id', 'ASC')]


class RunStart(ModelView):
    "Run the Daily Loan Job"
    __name__ = 'saccos.loan.arrears_run.start'
    date = fields.Date("As Of", required=True)

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class Run(Wizard):
    "Run the Daily Loan Job"
    __name__ = 'saccos.loan.arrears_run.run'
    start = StateView('saccos.loan.arrears_run.start',
        'saccos_loan.arrears_run_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Run", 'run', 'tryton-ok', default=True),
            ])
    run = StateTransition()

    def transition_run(self):
        pool = Pool()
        ArrearsRun = pool.get('saccos.loan.arrears_run')
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        ArrearsRun.run(self.start.date, [Company(company)])
        return 'end'
