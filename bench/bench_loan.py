#!/usr/bin/env python3
# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loans: schedules for M loans of 60 instalments, the daily job over N
active loans (10% in arrears) against the plain-SQL floor of the same
rows measured in the same run, R repayments through the ORM, and the
job again the next day.

    python -O bench/bench_loan.py --backend postgresql \\
        --uri postgresql://postgres@127.0.0.1:5432/ --loans 100000

Members, loans and their instalments are inserted by SQL (setting up is
not what is measured); the schedules, the job and the repayments go
through the module's own code.  The results are checked afterwards
against figures worked from the set-up by hand; a failed check exits
non-zero.  See bench/README.md."""
import datetime as dt
import os
import pathlib
import sys
import time
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_activation as common  # noqa: E402
from bench_interest import _executemany, _is_pg, profiled  # noqa: E402

YEAR = dt.date.today().year - 1
# Last year's fiscal year as open_last_year creates it: 1 December to
# 30 November.  The job and the repayments happen on RUN, the job
# again on the day after.
FY_START = dt.date(YEAR - 1, 12, 1)
RUN = dt.date(YEAR, 10, 15)
CENT = Decimal('0.01')
PENALTY_RATE = Decimal('1.5')
# (amount, rate % a year, instalments) of the portfolio's loan shapes:
# each loan's schedule is its shape's, on its own dates.
SHAPES = [
    (Decimal(500000), Decimal(12), 60),
    (Decimal(1200000), Decimal(14), 48),
    (Decimal(300000), Decimal(15), 36),
    (Decimal(150000), Decimal(18), 24),
    (Decimal(80000), Decimal(18), 12),
    (Decimal(2000000), Decimal(13), 60),
    ]
SCHEDULE_TERM = 60
ORM_STORE_SAMPLE = 100
SAMPLE = 97

_PRODUCT = """
create_loan_product({code!r}, {name!r}, config=config,
    penalty_method='overdue_principal', penalty_rate=Decimal('1.5'),
    penalty_frequency='monthly', in_duplum=True,
    interest_accounting={accounting!r})
"""
SETUP = """
import datetime as dt
from decimal import Decimal
from trytond.modules.saccos_savings.tests.tools import open_last_year
from trytond.modules.saccos_loan.tests.tools import create_loan_product
open_last_year(config=config)
""" + _PRODUCT.format(code='CASH', name="Bench Loan (cash interest)",
    accounting='cash') + _PRODUCT.format(code='ACCR',
    name="Bench Loan (accrued interest)", accounting='accrual')


def parse_args():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--backend', choices=['sqlite', 'postgresql'],
        default='postgresql')
    parser.add_argument('--uri',
        default='postgresql://postgres@127.0.0.1:5432/')
    parser.add_argument('--loans', type=int, default=100000,
        help="active loans of the daily job")
    parser.add_argument('--schedule-loans', type=int, default=10000,
        help="loans whose 60-instalment schedules are computed and stored")
    parser.add_argument('--repayments', type=int,
        help="repayments through the ORM (default: loans / 10)")
    parser.add_argument('--database', default='saccos_bench_loan')
    parser.add_argument('--output', help="write the figures as JSON here")
    args = parser.parse_args()
    if args.repayments is None:
        args.repayments = args.loans // 10
    return args


def money(value):
    "A money value read by SQL (SQLite sums NUMERIC as float)"
    from trytond.modules.saccos_member.money import to_decimal
    return to_decimal(value).quantize(CENT)


def add_months(date, months):
    "date + months (the days used here are at most 28)"
    month = date.month - 1 + months
    return date.replace(year=date.year + month // 12, month=month % 12 + 1)


_shape_rows = {}


def shape_rows(index):
    "The (principal, interest) rows of a shape, as schedule.schedule has them"
    from trytond.modules.saccos_loan.schedule import schedule
    if index not in _shape_rows:
        amount, rate, term = SHAPES[index]
        # By period on 30/360: the amounts do not depend on the dates.
        _shape_rows[index] = [(r.principal, r.interest)
            for r in schedule(amount, rate / 100, term, dt.date(2020, 1, 1))]
    return _shape_rows[index]


def plan(i):
    """The deterministic loan i: its shape, product, dates, and how many
    instalments were paid and how many are past due unpaid on RUN.

    Every 10th loan is in arrears: its last `unpaid` instalments due
    before RUN are unpaid (1 to 15 of them); the others are paid up to
    date.  Every 5th block of 10 loans is on the accrual product."""
    shape = (i // 3) % len(SHAPES)
    term = SHAPES[shape][2]
    arrears = i % 10 == 0
    accrual = (i // 10) % 5 == 0
    day = 1 + (i * 11 + i // 10) % 28
    if arrears:
        unpaid = 1 + (i // 10) % min(15, term - 1)
        elapsed = unpaid + (i * 13) % (term - unpaid)
    else:
        unpaid = 0
        elapsed = (i * 13) % term
    # The last due date before RUN is the elapsed-th.
    last = dt.date(RUN.year, RUN.month, day)
    if last >= RUN:
        last = add_months(last, -1)
    disbursed = add_months(last, -elapsed)
    dues = [add_months(disbursed, k) for k in range(1, term + 1)]
    return {
        'shape': shape, 'term': term, 'arrears': arrears,
        'accrual': accrual, 'disbursed': disbursed, 'dues': dues,
        'paid': elapsed - unpaid, 'unpaid': unpaid,
        }


def installment_rows(loan_id, p, user, now):
    "The instalment rows of plan p, as the job finds them before RUN"
    from trytond.modules.saccos_loan.arrears import accrued_interest
    zero = Decimal(0)
    start = p['disbursed']
    for k, ((principal, interest), due) in enumerate(
            zip(shape_rows(p['shape']), p['dues']), 1):
        if k <= p['paid']:
            # Paid, as a repayment leaves it (accrued >= paid).
            yield (loan_id, k, start, due, principal, interest, zero,
                zero, principal, interest, zero, zero, zero, zero, zero,
                interest, 0, 'paid', False, due, user, now)
        else:
            accrued = zero
            if p['accrual'] and start < RUN:
                # What the daily job booked up to the day before RUN.
                accrued = accrued_interest(
                    interest, start, due, RUN - dt.timedelta(days=1))
            yield (loan_id, k, start, due, principal, interest, zero,
                zero, zero, zero, zero, zero, zero, zero, zero, accrued, 0,
                'open', False, None, user, now)
        start = due


INSTALLMENT_COLUMNS = [
    'loan', 'number', 'start_date', 'due_date', 'principal', 'interest',
    'fee', 'penalty', 'principal_paid', 'interest_paid', 'fee_paid',
    'penalty_paid', 'interest_waived', 'fee_waived', 'penalty_waived',
    'interest_accrued', 'penalty_periods', 'state', 'overdue', 'paid_date',
    'create_uid', 'create_date']
LOAN_COLUMNS = [
    'id', 'company', 'number', 'member', 'product', 'kind',
    'application_date', 'amount', 'term', 'rate', 'frequency',
    'frequency_every', 'interest_method', 'interest_basis', 'day_count',
    'principal_grace', 'interest_grace', 'rounding', 'allocation_order',
    'prepayment', 'state', 'approval_date', 'disbursement_date',
    'expected_disbursement_date', 'disbursement_mode', 'create_uid',
    'create_date']


def loan_row(loan_id, number, member, product, company, amount, rate,
        term, state, date, now):
    return (loan_id, company, number, member, product, 'new', date, amount,
        term, rate, 'monthly', 1, 'annuity', 'period', '30/360', 0, 0,
        'half_up', 'penalty,fee,interest,principal', 'reduce_term', state,
        date, date if state == 'active' else None, date, 'cash', 0, now)


def products(pool):
    Product = pool.get('saccos.loan.product')
    return {p.code: p for p in Product.search([])}


def _next_ids(cursor, tables):
    ids = {}
    for table in tables:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        ids[table] = cursor.fetchone()[0] + 1
    return ids


def _reset_sequences(cursor, tables):
    if _is_pg():
        for table in tables:
            cursor.execute(f"SELECT setval('{table}_id_seq', "
                f"(SELECT MAX(id) FROM \"{table}\"))")


def populate(pool, n):
    """Members, active loans and their instalments, inserted by SQL, and
    one opening move carrying each loan's principal outstanding (and
    accrued interest) to the ledger"""
    from trytond.modules.saccos_member.ledger import (
        bulk_post_moves, insert_rows, lock_move_sequences)
    from trytond.transaction import Transaction
    ModelData = pool.get('ir.model.data')
    Account = pool.get('account.account')
    Company = pool.get('company.company')
    cursor = Transaction().connection.cursor()
    by_code = products(pool)
    cash, accrual = by_code['CASH'], by_code['ACCR']
    company = cash.company
    lock_move_sequences(company, [FY_START])
    now = dt.datetime.now()
    ids = _next_ids(cursor, ['party_party', 'saccos_loan'])
    party, loan = ids['party_party'], ids['saccos_loan']
    insert_rows('party_party', [
            'id', 'name', 'code', 'active', 'is_member', 'member_state',
            'member_kind', 'member_number', 'application_date',
            'joining_date', 'create_uid', 'create_date'],
        ((party + i, 'Bench Borrower %06d' % i, 'BLOAN%06d' % i,
                True, True, 'active', 'individual', 'L-%06d' % i,
                dt.date(2015, 1, 1), dt.date(2015, 1, 1), 0, now)
            for i in range(n)))
    plans = [plan(i) for i in range(n)]
    insert_rows('saccos_loan', LOAN_COLUMNS, (
            loan_row(loan + i, 'BL-%07d' % i, party + i,
                (accrual if p['accrual'] else cash).id, company.id,
                SHAPES[p['shape']][0], SHAPES[p['shape']][1], p['term'],
                'active', p['disbursed'], now)
            for i, p in enumerate(plans)))
    count = insert_rows('saccos_loan_installment', INSTALLMENT_COLUMNS, (
            row for i, p in enumerate(plans)
            for row in installment_rows(loan + i, p, 0, now)))
    _reset_sequences(cursor, ['party_party', 'saccos_loan'])

    # The opening balances, one move per loan where its disbursement
    # would be: what the disbursement and the past repayments (not
    # inserted) left on the portfolio and on interest receivable.
    cursor.execute('SELECT l.member, l.product, '
        'SUM(i.principal - i.principal_paid), '
        'SUM(i.interest_accrued - i.interest_paid) '
        'FROM saccos_loan_installment i JOIN saccos_loan l '
        'ON i.loan = l.id GROUP BY l.member, l.product')
    equity, = Account.search([('template', '=', ModelData.get_id(
                    'saccos_member', 'account_template_retained_earnings'))])
    moves = []
    for member, product, principal, accrued in cursor.fetchall():
        principal, accrued = money(principal), money(accrued)
        lines = [{'account': cash.portfolio_account, 'party': member,
                'debit': principal}]
        if accrued and product == accrual.id:
            lines.append({'account': accrual.interest_receivable_account,
                    'party': member, 'debit': accrued})
        lines.append({'account': equity, 'credit': principal + accrued})
        moves.append({'date': FY_START, 'lines': lines,
                'description': 'Bench opening balance'})
    bulk_post_moves(Company(company.id), cash.journal, moves)
    return loan, count


def store_schedules(pool, m, first_loan):
    """Phase 1: m loans of SCHEDULE_TERM instalments, each its own
    amount, rate and date: the schedules computed (pure, and through
    Loan.schedule_rows), stored set-wise, and for a sample through the
    ORM as disbursement stores them; rolled back"""
    from trytond.modules.saccos_loan.schedule import schedule
    from trytond.modules.saccos_member.ledger import insert_rows
    from trytond.transaction import Transaction
    Loan = pool.get('saccos.loan')
    Installment = pool.get('saccos.loan.installment')
    cursor = Transaction().connection.cursor()
    cash = products(pool)['CASH']
    company = cash.company
    quantum = company.currency.rounding
    now = dt.datetime.now()
    ids = _next_ids(cursor, ['saccos_loan'])
    first = ids['saccos_loan']
    total = m + ORM_STORE_SAMPLE
    terms = []
    for j in range(total):
        terms.append((Decimal(100000 + 100 * j),
                Decimal(10) + Decimal(j % 80) / 10,
                RUN - dt.timedelta(days=j % 28)))
    # Approved loans, the members of the portfolio's first loans.
    cursor.execute('SELECT member FROM saccos_loan WHERE id >= %s '
        'ORDER BY id LIMIT %s' % (first_loan, total))
    members = [r[0] for r in cursor]
    insert_rows('saccos_loan', LOAN_COLUMNS, (
            loan_row(first + j, 'BS-%07d' % j, members[j % len(members)],
                cash.id, company.id, amount, rate, SCHEDULE_TERM,
                'approved', date, now)
            for j, (amount, rate, date) in enumerate(terms)))
    figures = {}

    start = time.perf_counter()
    schedules = [schedule(amount, rate / 100, SCHEDULE_TERM, date,
            quantum=quantum) for amount, rate, date in terms[:m]]
    figures['schedule_compute_s'] = round(time.perf_counter() - start, 2)

    zero = Decimal(0)
    start = time.perf_counter()
    count = insert_rows(Installment._table, INSTALLMENT_COLUMNS, (
            (first + j, r.number, r.start_date, r.due_date, r.principal,
                r.interest, r.fee, zero, zero, zero, zero, zero, zero, zero,
                zero, zero, 0, 'open', False, None, 0, now)
            for j, rows in enumerate(schedules) for r in rows))
    figures['schedule_store_s'] = round(time.perf_counter() - start, 2)
    figures['schedule_rows'] = count
    figures['schedule_s'] = round(figures['schedule_compute_s']
        + figures['schedule_store_s'], 2)

    # The model's method, which disbursement calls: ORM reads of the
    # loan, its product's fees and the currency around the same call.
    loans = Loan.browse(list(range(first, first + m)))
    start = time.perf_counter()
    orm = [loan.schedule_rows() for loan in loans]
    figures['schedule_rows_orm_s'] = round(time.perf_counter() - start, 2)

    # Disbursement stores the instalments through the ORM, 60 per loan.
    sample = Loan.browse(list(range(first + m, first + total)))
    start = time.perf_counter()
    for loan in sample:
        Installment.save(Installment.from_rows(loan, loan.schedule_rows()))
    elapsed = time.perf_counter() - start
    figures['schedule_orm_store_sample_loans'] = ORM_STORE_SAMPLE
    figures['schedule_orm_store_sample_s'] = round(elapsed, 2)
    figures['schedule_orm_store_rows_per_s'] = round(
        ORM_STORE_SAMPLE * SCHEDULE_TERM / elapsed, 1)

    wrong = 0
    for j, rows in enumerate(schedules):
        if (len(rows) != SCHEDULE_TERM or rows[-1].balance
                or sum(r.principal for r in rows) != terms[j][0]):
            wrong += 1
    same = sum(1 for j in range(0, m, SAMPLE) if [
            (r.due_date, r.principal, r.interest) for r in orm[j]] != [
            (r.due_date, r.principal, r.interest) for r in schedules[j]])
    cursor.execute('SELECT COUNT(*) FROM saccos_loan_installment '
        'WHERE loan >= %s AND loan < %s' % (first, first + m))
    stored = cursor.fetchone()[0]
    Transaction().rollback()
    checks = {
        'schedules not closing at 0 or not summing to the amount': (
            wrong, 0),
        'sampled Loan.schedule_rows differing from schedule.schedule': (
            same, 0),
        'instalments stored': (stored, m * SCHEDULE_TERM),
        }
    return figures, checks


def run_job(pool, company_id, date):
    ArrearsRun = pool.get('saccos.loan.arrears_run')
    Company = pool.get('company.company')
    run = ArrearsRun.run_company(Company(company_id), date)
    return run.id


def snapshot(pool, run_id):
    """What the job wrote, counted (the overdue instalments: all of
    them, whichever run marked them)"""
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    cursor.execute('SELECT date FROM saccos_loan_arrears_run WHERE id = %s'
        % run_id)
    date = to_date(cursor.fetchone()[0])
    origin = 'saccos.loan.arrears_run,%s' % run_id
    cursor.execute('SELECT COUNT(*) FROM account_move WHERE origin = %s'
        % _quote(origin))
    moves = cursor.fetchone()[0]
    cursor.execute('SELECT COUNT(*) FROM account_move_line l '
        'JOIN account_move m ON l.move = m.id WHERE m.origin = %s'
        % _quote(origin))
    lines = cursor.fetchone()[0]
    cursor.execute("SELECT COUNT(*) FROM saccos_loan_transaction "
        "WHERE kind IN ('penalty', 'accrual') AND date = '%s'" % date)
    transactions = cursor.fetchone()[0]
    cursor.execute("SELECT COUNT(*), COUNT(DISTINCT l.installment) "
        "FROM saccos_loan_transaction_line l "
        "JOIN saccos_loan_transaction t ON l.\"transaction\" = t.id "
        "WHERE t.kind IN ('penalty', 'accrual') AND t.date = '%s'" % date)
    transaction_lines, installments = cursor.fetchone()
    cursor.execute("SELECT COUNT(*) FROM saccos_loan_reminder "
        "WHERE date = '%s'" % date)
    reminders = cursor.fetchone()[0]
    cursor.execute("SELECT COUNT(*) FROM saccos_loan WHERE state = 'active'")
    loans = cursor.fetchone()[0]
    cursor.execute('SELECT COUNT(*) FROM saccos_loan_installment '
        'WHERE overdue = %s' % ('true' if _is_pg() else '1'))
    overdue = cursor.fetchone()[0]
    cursor.execute('SELECT penalty_amount, accrued_amount, '
        'provision_adjustment, provision_required '
        'FROM saccos_loan_arrears_run WHERE id = %s' % run_id)
    amounts = [str(money(v)) for v in cursor.fetchone()]
    return {
        'moves': moves, 'move_lines': lines,
        'loan_transactions': transactions,
        'transaction_lines': transaction_lines,
        'installment_updates': installments, 'loan_updates': loans,
        'installments_marked_overdue': overdue, 'reminders': reminders,
        'run_amounts': amounts,
        }


def to_date(value):
    from trytond.modules.saccos_member.ledger import to_date
    return to_date(value)


def _quote(value):
    return "'%s'" % value.replace("'", "''")


def floor(pool, shape, copy=False, set_update=False):
    """The rows the job wrote (moves and their lines, loan transactions
    and their lines, the instalment and loan UPDATEs, the overdue marks,
    the reminders) written by plain SQL, then rolled back.  copy: the
    INSERTs by COPY; set_update: the UPDATEs by COPY into a temporary
    table and one UPDATE ... FROM (PostgreSQL)"""
    from trytond.transaction import Transaction
    Period = pool.get('account.period')
    cursor = Transaction().connection.cursor()
    cash = products(pool)['CASH']
    company = cash.company.id
    period = Period.find(company, date=RUN)
    pg = _is_pg()
    now = dt.datetime.now()
    user = Transaction().user
    zero = Decimal(0)
    # What the writes point to, read before the clock starts.
    cursor.execute("SELECT id, member FROM saccos_loan WHERE state = 'active'"
        " ORDER BY id")
    loans = cursor.fetchall()
    cursor.execute("SELECT DISTINCT l.installment FROM "
        "saccos_loan_transaction_line l JOIN saccos_loan_transaction t "
        "ON l.\"transaction\" = t.id WHERE t.kind IN ('penalty', 'accrual')")
    installments = [r[0] for r in cursor]
    cursor.execute('SELECT id FROM saccos_loan_installment WHERE overdue = '
        + ('true' if pg else '1'))
    overdue = [r[0] for r in cursor]
    cursor.execute('SELECT i.id, i.loan FROM saccos_loan_installment i '
        "WHERE i.state = 'open' AND NOT EXISTS (SELECT 1 FROM "
        'saccos_loan_reminder r WHERE r.installment = i.id) LIMIT %s'
        % shape['reminders'])
    free = cursor.fetchall()
    members = dict(loans)
    ids = _next_ids(cursor, ['account_move', 'saccos_loan_transaction'])
    move, transaction = ids['account_move'], ids['saccos_loan_transaction']
    n_moves = max(shape['moves'], 1)

    start = time.perf_counter()
    _executemany(cursor, 'account_move', [
            'id', 'company', 'period', 'journal', 'date', 'post_date',
            'description', 'origin', 'state', 'number', 'create_uid',
            'create_date'],
        [(move + i, company, period.id, cash.journal.id, RUN, RUN,
                'floor', 'saccos.loan.arrears_run,0', 'posted', 'F%s' % i,
                user, now)
            for i in range(n_moves)], copy=copy)
    per_move = -(-shape['move_lines'] // n_moves)
    _executemany(cursor, 'account_move_line', [
            'move', 'account', 'party', 'debit', 'credit', 'description',
            'state', 'create_uid', 'create_date'],
        [(move + i // per_move, cash.charges_receivable_account.id,
                loans[i % len(loans)][1], Decimal('1.00'), zero, 'floor',
                'valid', user, now)
            for i in range(shape['move_lines'])], copy=copy)
    _executemany(cursor, 'saccos_loan_transaction', [
            'id', 'company', 'loan', 'member', 'kind', 'date', 'amount',
            'principal', 'interest', 'fee', 'penalty', 'move',
            'description', 'create_uid', 'create_date'],
        [(transaction + i, company, loans[i % len(loans)][0],
                loans[i % len(loans)][1], 'penalty', RUN, Decimal('1.00'),
                zero, zero, zero, Decimal('1.00'), move, 'floor', user, now)
            for i in range(shape['loan_transactions'])], copy=copy)
    n_transactions = max(shape['loan_transactions'], 1)
    _executemany(cursor, 'saccos_loan_transaction_line', [
            '"transaction"', 'installment', 'principal', 'interest',
            'interest_income', 'fee', 'penalty', 'prepaid', 'create_uid',
            'create_date'],
        [(transaction + i % n_transactions,
                installments[i % len(installments)], zero, zero, zero, zero,
                Decimal('1.00'), zero, user, now)
            for i in range(shape['transaction_lines'])], copy=copy)
    param = '%s' if pg else '?'
    installment_updates = [(Decimal('1.00'), 1, None, zero, user, now, id_)
        for id_ in installments[:shape['installment_updates']]]
    loan_updates = [(0, 'current', 'Performing', Decimal(1), Decimal('1.00'),
            RUN, None, None, zero, user, now, id_) for id_, _ in loans]
    if set_update and pg:
        _update_from(cursor, 'saccos_loan_installment', [
                ('penalty', 'numeric', '"penalty" + t.v0'),
                ('penalty_periods', 'integer', 't.v1'),
                ('penalty_tiers', 'varchar', 't.v2'),
                ('interest_accrued', 'numeric', '"interest_accrued" + t.v3'),
                ('write_uid', 'integer', 't.v4'),
                ('write_date', 'timestamp', 't.v5'),
                ], installment_updates)
        _update_from(cursor, 'saccos_loan', [
                ('days_past_due', 'integer', 't.v0'),
                ('ageing', 'varchar', 't.v1'),
                ('classification', 'varchar', 't.v2'),
                ('provision_rate', 'numeric', 't.v3'),
                ('provision', 'numeric', 't.v4'),
                ('arrears_date', 'date', 't.v5'),
                ('non_performing_since', 'date', 't.v6'),
                ('in_duplum_cap', 'numeric', 't.v7'),
                ('charged_since_non_performing', 'numeric', 't.v8'),
                ('write_uid', 'integer', 't.v9'),
                ('write_date', 'timestamp', 't.v10'),
                ], loan_updates)
    else:
        cursor.executemany(
            'UPDATE "saccos_loan_installment" SET "penalty" = "penalty" + %s,'
            ' "penalty_periods" = %s, "penalty_tiers" = %s, '
            '"interest_accrued" = "interest_accrued" + %s, '
            '"write_uid" = %s, "write_date" = %s WHERE "id" = %s'
            % ((param,) * 7), installment_updates)
        cursor.executemany(
            'UPDATE "saccos_loan" SET "days_past_due" = %s, "ageing" = %s, '
            '"classification" = %s, "provision_rate" = %s, '
            '"provision" = %s, "arrears_date" = %s, '
            '"non_performing_since" = %s, "in_duplum_cap" = %s, '
            '"charged_since_non_performing" = %s, '
            '"write_uid" = %s, "write_date" = %s WHERE "id" = %s'
            % ((param,) * 12), loan_updates)
    if pg:
        cursor.execute('UPDATE saccos_loan_installment SET overdue = true '
            'WHERE id = ANY(%s)', (overdue,))
    else:
        for chunk in range(0, len(overdue), 500):
            sub = overdue[chunk:chunk + 500]
            cursor.execute('UPDATE saccos_loan_installment SET overdue = 1 '
                'WHERE id IN (%s)' % ', '.join(map(str, sub)))
    _executemany(cursor, 'saccos_loan_reminder', [
            'company', 'loan', 'installment', 'member', 'due_date', 'amount',
            'date', 'state', 'create_uid', 'create_date'],
        [(company, loan_id, installment_id, members[loan_id], RUN,
                Decimal('1.00'), RUN, 'pending', user, now)
            for installment_id, loan_id in free], copy=copy)
    elapsed = time.perf_counter() - start
    Transaction().rollback()
    return elapsed


def _update_from(cursor, table, columns, rows):
    "COPY rows (values..., id) into a temporary table, one UPDATE ... FROM"
    names = ['v%s' % i for i in range(len(columns))]
    cursor.execute('CREATE TEMPORARY TABLE bench_update (%s, id integer) '
        'ON COMMIT DROP' % ', '.join('%s %s' % (n, t)
            for n, (_, t, _) in zip(names, columns)))
    with cursor.copy('COPY bench_update (%s, id) FROM STDIN'
            % ', '.join(names)) as out:
        for row in rows:
            out.write_row(row)
    cursor.execute('UPDATE "%s" SET %s FROM bench_update t '
        'WHERE "%s".id = t.id' % (table, ', '.join(
                '"%s" = %s' % (c, e) for c, _, e in columns), table))
    cursor.execute('DROP TABLE bench_update')


def hand(n):
    """By hand, from the plans: penalties per arrears loan, days past
    due, principal outstanding and the SASRA provision of every loan"""
    from trytond.modules.saccos_loan.arrears import KENYA_SASRA
    loans = []
    for i in range(n):
        p = plan(i)
        rows = shape_rows(p['shape'])
        outstanding = sum((r[0] for r in rows[p['paid']:]), Decimal(0))
        oldest = p['dues'][p['paid']] if p['paid'] < p['term'] else None
        dpd = max((RUN - oldest).days, 0) if oldest else 0
        penalty = Decimal(0)
        for k in range(p['paid'], p['paid'] + p['unpaid']):
            due = p['dues'][k]
            # A new month starts the day after each monthly anniversary.
            periods = 0
            while add_months(due, periods) < RUN:
                periods += 1
            each = (rows[k][0] * PENALTY_RATE / 100).quantize(
                CENT, ROUND_HALF_UP)
            penalty += each * periods
        band, = [b for b in KENYA_SASRA if b.days_from <= dpd
            and (b.days_to is None or dpd <= b.days_to)]
        rate = band.rate
        provision = (outstanding * rate / 100).quantize(CENT, ROUND_HALF_UP)
        accrual = Decimal(0)
        if p['accrual']:
            # One day of the instalment of the period running on RUN.
            k = p['paid'] + p['unpaid']
            start = p['dues'][k - 1] if k else p['disbursed']
            due, interest = p['dues'][k], rows[k][1]
            days, length = (RUN - start).days, (due - start).days
            accrual = ((interest * days / length).quantize(
                    CENT, ROUND_HALF_UP) - (interest * (days - 1) / length
                    ).quantize(CENT, ROUND_HALF_UP))
        loans.append({'dpd': dpd, 'outstanding': outstanding,
                'penalty': penalty, 'provision': provision,
                'accrual': accrual, 'band': band.name})
    return loans


def check_job(pool, run_id, first_loan, n, expected):
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    results = {}
    cursor.execute('SELECT m.id, SUM(l.debit), SUM(l.credit) '
        'FROM account_move m JOIN account_move_line l ON l.move = m.id '
        "WHERE m.origin = 'saccos.loan.arrears_run,%s' "
        "AND m.state = 'posted' AND m.number IS NOT NULL "
        'GROUP BY m.id' % run_id)
    moves = cursor.fetchall()
    results['job moves unbalanced'] = (
        sum(1 for _, d, c in moves if money(d) != money(c)), 0)
    results['job moves posted and numbered'] = (len(moves) > 0, True)
    penalties = Counter()
    accruals = Counter()
    cursor.execute("SELECT loan, kind, amount FROM saccos_loan_transaction "
        "WHERE kind IN ('penalty', 'accrual') AND date = '%s'" % RUN)
    for loan_id, kind, amount in cursor:
        (penalties if kind == 'penalty' else accruals)[loan_id] += (
            money(amount))
    cursor.execute('SELECT id, days_past_due, provision, '
        'non_performing_since FROM saccos_loan WHERE id >= %s AND id < %s'
        % (first_loan, first_loan + n))
    stored = {r[0]: r[1:] for r in cursor}
    wrong = Counter()
    for i, want in enumerate(expected):
        loan_id = first_loan + i
        dpd, provision, _ = stored[loan_id]
        wrong['penalty'] += penalties.get(loan_id, 0) != want['penalty']
        wrong['accrual'] += accruals.get(loan_id, 0) != want['accrual']
        wrong['dpd'] += dpd != want['dpd']
        wrong['provision'] += money(provision) != want['provision']
    arrears = [i for i in range(n) if expected[i]['penalty']]
    results['loans (%s in arrears) whose penalty is not 1.5%% of the '
        'overdue principal per started month, each instalment' % len(
            arrears)] = (wrong['penalty'], 0)
    results['accrual loans whose accrual is not one day of interest'] = (
        wrong['accrual'], 0)
    results['loans whose days past due are not date - oldest unpaid due '
        'date'] = (wrong['dpd'], 0)
    results['loans whose provision is not SASRA rate x outstanding'] = (
        wrong['provision'], 0)
    results['loans charged a penalty'] = (len(penalties), len(arrears))
    results['penalties charged'] = (
        str(sum(penalties.values(), Decimal(0))),
        str(sum((e['penalty'] for e in expected), Decimal(0))))
    results['non-performing loans (over 90 days)'] = (
        sum(1 for r in stored.values() if r[2] is not None),
        sum(1 for e in expected if e['dpd'] > 90))
    provision = sum((e['provision'] for e in expected), Decimal(0))
    cursor.execute('SELECT provision_required FROM saccos_loan_arrears_run '
        'WHERE id = %s' % run_id)
    results['portfolio provision = sum of SASRA rate x outstanding'] = (
        str(money(cursor.fetchone()[0])), str(provision))
    cash = products(pool)['CASH']
    cursor.execute('SELECT SUM(credit - debit) FROM account_move_line '
        'WHERE account = %s' % cash.provision_account.id)
    results['provision account balance'] = (
        str(money(cursor.fetchone()[0])), str(provision))
    return results


def repayments(pool, first_loan, n, count):
    """(loan id, amount) of count repayments, one per loan: half on loans
    in arrears (one instalment's worth: penalties are paid first), half on
    loans paid up to date (the instalment of the running period)"""
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    half = count // 2
    # Loans i % 10 == 0 are in arrears (see plan).
    loans = ([first_loan + i for i in range(0, n, 20)][:count - half]
        + [first_loan + i for i in range(5, n, 20)][:half])
    amounts = {}
    for start in range(0, len(loans), 1000):
        cursor.execute("SELECT loan, number, principal + interest + fee "
            "- principal_paid - interest_paid - fee_paid "
            "FROM saccos_loan_installment WHERE state = 'open' "
            "AND loan IN (%s) ORDER BY loan, number DESC"
            % ', '.join(map(str, loans[start:start + 1000])))
        for loan, _, amount in cursor:
            # The last one read is the loan's first open instalment.
            amounts[loan] = money(amount)
    return [(loan, amounts[loan]) for loan in loans]


def repay(pool, loan_id, amount):
    Transaction_ = pool.get('saccos.loan.transaction')
    Loan = pool.get('saccos.loan')
    return Transaction_.repay(Loan(loan_id), amount, RUN, 'cash').id


def bare_move(pool, amount):
    """The ORM posting a repayment contains: one 2-line move through
    ledger.post_move (cash against retained earnings)"""
    from trytond.modules.saccos_member.ledger import (
        lock_move_sequences, post_move)
    ModelData = pool.get('ir.model.data')
    Account = pool.get('account.account')
    Configuration = pool.get('saccos.configuration')
    cash = products(pool)['CASH']
    lock_move_sequences(cash.company, [RUN])
    equity, = Account.search([('template', '=', ModelData.get_id(
                    'saccos_member', 'account_template_retained_earnings'))])
    account = Configuration(1).require_payment_account(
        'cash', company=cash.company)
    return post_move(RUN, cash.journal, [
            {'account': account, 'debit': amount},
            {'account': equity, 'credit': amount},
            ], description='Bench bare move', company=cash.company).id


def transaction_counted(database, func, context, attempts):
    "common.transaction, counting the starts Tryton's lazy locks cost"
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    while True:
        attempts[0] += 1
        try:
            with Transaction().start(database, 1, context=context, **extras):
                return func()
        except TransactionError as error:
            error.fix(extras)


def check_ledger(pool, n_repayments):
    """The portfolio, interest and charges receivable agree with the
    instalments member by member; every move balances"""
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    by_code = products(pool)
    cash, accrual = by_code['CASH'], by_code['ACCR']
    results = {}
    cursor.execute("SELECT COUNT(*), COUNT(move), SUM(amount) "
        "FROM saccos_loan_transaction WHERE kind = 'repayment'")
    count, with_move, _ = cursor.fetchone()
    results['repayments posted with a move'] = (
        (count, with_move), (n_repayments, n_repayments))
    # SQLite sums NUMERIC as float: a cent's tolerance, as elsewhere.
    cursor.execute('SELECT COUNT(*) FROM (SELECT move FROM account_move_line '
        'GROUP BY move HAVING ABS(SUM(debit) - SUM(credit)) >= 0.005) AS u')
    results['unbalanced moves (all)'] = (cursor.fetchone()[0], 0)
    for name, account, expression, product in [
            ('portfolio', cash.portfolio_account,
                'i.principal - i.principal_paid', None),
            ('interest receivable', accrual.interest_receivable_account,
                'i.interest_accrued - i.interest_paid', accrual.id),
            ('charges receivable', cash.charges_receivable_account,
                'i.penalty - i.penalty_paid - i.penalty_waived', None),
            ]:
        where = "l.state = 'active' AND i.state != 'superseded'"
        if product:
            where += ' AND l.product = %s' % product
        cursor.execute('SELECT l.member, SUM(%s) FROM saccos_loan_installment '
            'i JOIN saccos_loan l ON i.loan = l.id WHERE %s GROUP BY l.member'
            % (expression, where))
        owed = {m: money(v) for m, v in cursor if money(v)}
        cursor.execute("SELECT l.party, SUM(l.debit - l.credit) FROM "
            "account_move_line l JOIN account_move m ON l.move = m.id "
            "WHERE l.account = %s AND m.state = 'posted' GROUP BY l.party"
            % account.id)
        held = {m: money(v) for m, v in cursor if money(v)}
        differ = sum(1 for m in set(owed) | set(held)
            if owed.get(m, 0) != held.get(m, 0))
        results['members whose %s ledger differs from their instalments'
            % name] = (differ, 0)
        results['%s: ledger = instalments' % name] = (
            str(sum(held.values(), Decimal(0))),
            str(sum(owed.values(), Decimal(0))))
    return results


def measure(args, config_file):
    pool, context = common.open_pool(args, config_file)
    database = args.database
    transaction = common.transaction
    n = args.loans
    figures = {'backend': args.backend, 'loans': n,
        'date': dt.date.today().isoformat(), 'run_date': str(RUN),
        'code': _code_version()}

    start = time.perf_counter()
    first_loan, n_installments = transaction(
        database, lambda: populate(pool, n), context)
    figures['populate_by_sql_s'] = round(time.perf_counter() - start, 2)
    figures['installments'] = n_installments
    if _is_pg_uri(args):
        start = time.perf_counter()
        _analyze(args, vacuum=True)
        figures['vacuum_analyze_s'] = round(time.perf_counter() - start, 2)

    progress(figures, 'set-up')
    # 1. Schedules
    schedule_figures, checks = transaction(database, profiled(
            lambda: store_schedules(pool, args.schedule_loans, first_loan)),
        context)
    figures['schedule_loans'] = args.schedule_loans
    figures.update(schedule_figures)

    progress(figures, 'schedules')
    # 2. The daily job
    cid = context['company']
    start = time.perf_counter()
    run_id = transaction(database, profiled(
            lambda: run_job(pool, cid, RUN)), context)
    figures['job_s'] = round(time.perf_counter() - start, 2)
    figures['job_loans_per_s'] = round(n / figures['job_s'], 1)
    shape = transaction(database, lambda: snapshot(pool, run_id), context)
    figures['job_rows'] = shape
    floors = [('floor', {}), ('floor_copy', {'copy': True})]
    if args.backend == 'postgresql':
        floors.append(('floor_copy_set_update',
                {'copy': True, 'set_update': True}))
    for name, kwargs in floors:
        figures['%s_s' % name] = round(transaction(database,
                lambda: floor(pool, shape, **kwargs), context), 3)
        figures['ratio_job_to_%s' % name] = round(
            figures['job_s'] / figures['%s_s' % name], 2)
    progress(figures, 'job and floors')
    expected = hand(n)
    figures['loans_by_class'] = dict(Counter(e['band'] for e in expected))
    checks.update(transaction(database,
            lambda: check_job(pool, run_id, first_loan, n, expected),
            context))

    # The same date again posts nothing new.
    start = time.perf_counter()
    transaction(database, lambda: run_job(pool, cid, RUN), context)
    figures['job_again_s'] = round(time.perf_counter() - start, 2)
    again = transaction(database, lambda: snapshot(pool, run_id), context)
    checks['running the job again for the date changes nothing'] = (
        {k: v for k, v in again.items() if k != 'loan_updates'},
        {k: v for k, v in shape.items() if k != 'loan_updates'})

    progress(figures, 'job again')
    # 3. Repayments through the ORM, one transaction each (a teller's)
    if _is_pg_uri(args):
        # What the job wrote counted in the planner's statistics.
        _analyze(args)
    todo = transaction(database,
        lambda: repayments(pool, first_loan, n, args.repayments), context)
    attempts = [0]
    splits = []
    start = time.perf_counter()
    for done, (loan_id, amount) in enumerate(todo, 1):
        transaction_counted(database,
            lambda: repay(pool, loan_id, amount), context, attempts)
        if not done % 1000:
            split = time.perf_counter() - start
            splits.append(round(split, 1))
            print('repayments: %s in %.1f s' % (done, split),
                file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - start
    figures['repayments'] = len(todo)
    figures['repayments_s'] = round(elapsed, 2)
    figures['repayments_per_s'] = round(len(todo) / elapsed, 1)
    figures['repayment_transaction_starts'] = attempts[0]
    # Elapsed after each thousand: a machine shared with other work
    # shows as a change of pace.
    figures['repayments_elapsed_per_1000_s'] = splits
    # The same ORM posting without the loan: one bare move per
    # transaction, as a measure of what Tryton's ORM itself costs.
    bare = min(len(todo), 1000)
    attempts = [0]
    start = time.perf_counter()
    for _ in range(bare):
        transaction_counted(database,
            lambda: bare_move(pool, Decimal('1000.00')), context, attempts)
    elapsed = time.perf_counter() - start
    figures['bare_orm_moves'] = bare
    figures['bare_orm_moves_per_s'] = round(bare / elapsed, 1)
    figures['bare_orm_move_transaction_starts'] = attempts[0]
    progress(figures, 'repayments')

    # The next day, after the day's repayments: a daily run as it runs
    # every day (penalties only where a new month starts, a day of
    # accrual, every loan classified again, the day's reminders).
    before = transaction(database, lambda: snapshot(pool, run_id), context)
    start = time.perf_counter()
    next_id = transaction(database, profiled(
            lambda: run_job(pool, cid, RUN + dt.timedelta(days=1))),
        context)
    figures['job_next_day_s'] = round(time.perf_counter() - start, 2)
    figures['job_next_day_loans_per_s'] = round(
        n / figures['job_next_day_s'], 1)
    rows = transaction(database, lambda: snapshot(pool, next_id), context)
    rows['installments_marked_overdue'] -= before[
        'installments_marked_overdue']
    figures['job_next_day_rows'] = rows
    progress(figures, 'job next day')
    checks.update(transaction(database,
            lambda: check_ledger(pool, len(todo)), context))
    figures['checks'] = checks
    return figures


def progress(figures, phase, _shown=set()):
    """The figures measured so far, on stderr: a full run takes minutes;
    and the 1-minute load average at the end of phase (this bench counts
    for about 1.3 of it on 2 cores: Python and PostgreSQL)"""
    figures.setdefault('load_average', {})[phase] = round(
        os.getloadavg()[0], 2)
    for key, value in figures.items():
        if key not in _shown:
            _shown.add(key)
            print('%s: %s' % (key, value), file=sys.stderr, flush=True)


def _code_version():
    "The commit measured, and the loan module's uncommitted files if any"
    import subprocess
    root = pathlib.Path(__file__).resolve().parent.parent

    def git(*args):
        try:
            return subprocess.run(['git', '-C', str(root), *args],
                capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None
    return {'commit': git('rev-parse', '--short', 'HEAD'),
        'uncommitted': (git('status', '--short', '--', 'addons/saccos_loan',
                'addons/saccos_member/ledger.py') or '').splitlines()}


def _is_pg_uri(args):
    return args.backend == 'postgresql'


def _analyze(args, vacuum=False):
    """Fresh statistics (and visibility maps) after bulk writes, as
    autovacuum would have them on a production server: it is off on the
    benchmark machines' PostgreSQL"""
    import psycopg
    with psycopg.connect(args.uri.rstrip('/') + '/' + args.database,
            autocommit=True) as conn:
        conn.execute('VACUUM ANALYZE' if vacuum else 'ANALYZE')


def main():
    return common.run_bench(parse_args(), measure, modules=('saccos_loan',),
        extra_setup=SETUP)


if __name__ == '__main__':
    sys.exit(main())
