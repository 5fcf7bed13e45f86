#!/usr/bin/env python3
# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Month-end savings interest over N accounts with 5 transactions each in
the month, and a contribution file of M lines, each against the
plain-SQL floor of the same ledger rows measured in the same run.

    python -O bench/bench_interest.py --backend sqlite --accounts 100000
    python -O bench/bench_interest.py --backend postgresql \\
        --uri postgresql://postgres@127.0.0.1:5432/

The members, accounts and the month's transactions are inserted by SQL
(setting up is not what is measured); the interest run and the import go
through the module's own code.  The run checks the results afterwards and
exits non-zero when a check fails."""
import datetime as dt
import io
import os
import pathlib
import sys
import time
from decimal import ROUND_HALF_UP, Decimal

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_activation as common  # noqa: E402

YEAR = dt.date.today().year - 1
MARCH_END = dt.date(YEAR, 3, 31)
BATCH = 5000

SETUP = f"""
import datetime as dt
from decimal import Decimal
from trytond.modules.account.tests.tools import create_fiscalyear
from trytond.modules.company.tests.tools import get_company
from trytond.modules.saccos_savings.tests.tools import create_savings_product
fiscalyear = create_fiscalyear(get_company(config=config),
    today=dt.date({YEAR}, 6, 1), config=config)
fiscalyear.click('create_period')
create_savings_product('VOL', "Voluntary Savings", config=config,
    interest_rate=Decimal('10'), withholding_tax_rate=Decimal('5'))
"""


def parse_args():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--backend', choices=['sqlite', 'postgresql'],
        default='sqlite')
    parser.add_argument('--uri',
        default='postgresql://postgres@127.0.0.1:5432/')
    parser.add_argument('--accounts', type=int, default=100000)
    parser.add_argument('--lines', type=int, default=50000,
        help="lines of the contribution file")
    parser.add_argument('--database', default='saccos_bench_savings')
    parser.add_argument('--output', help="write the figures as JSON here")
    return parser.parse_args()


def _is_pg():
    from trytond.transaction import Transaction
    return Transaction().database.name != 'sqlite' and hasattr(
        Transaction().connection, 'pgconn')


def _executemany(cursor, table, columns, rows, copy=False):
    if copy and _is_pg():
        with cursor.copy('COPY %s (%s) FROM STDIN' % (
                    table, ', '.join(columns))) as out:
            for row in rows:
                out.write_row(row)
        return
    mark = '%s' if _is_pg() else '?'
    sql = 'INSERT INTO %s (%s) VALUES (%s)' % (
        table, ', '.join(columns), ', '.join([mark] * len(columns)))
    for start in range(0, len(rows), BATCH):
        cursor.executemany(sql, rows[start:start + BATCH])


def movements(index):
    """The deterministic month of account index: an opening deposit in
    February and 5 transactions in March"""
    opening = Decimal(10000 + index % 50 * 1000)
    return [
        (dt.date(YEAR, 2, 1), opening),
        (dt.date(YEAR, 3, 3), Decimal(2000 + index % 7 * 100)),
        (dt.date(YEAR, 3, 9), Decimal(-1500)),
        (dt.date(YEAR, 3, 14), Decimal(3000)),
        (dt.date(YEAR, 3, 21), Decimal(-(index % 5) * 400 - 100)),
        (dt.date(YEAR, 3, 28), Decimal(500 + index % 3 * 250)),
        ]


def populate(pool, n):
    "Members, accounts and their transactions, inserted by SQL"
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    Product = pool.get('saccos.savings.product')
    Configuration = pool.get('saccos.configuration')
    product, = Product.search([('code', '=', 'VOL')])
    cash = Configuration(1).get_multivalue('cash_account')
    company = product.company.id
    now = dt.datetime.now()
    cursor.execute('SELECT COALESCE(MAX(id), 0) FROM party_party')
    first_party = cursor.fetchone()[0] + 1
    _executemany(cursor, 'party_party', [
            'id', 'name', 'code', 'active', 'is_member', 'member_state',
            'member_kind', 'member_number', 'application_date',
            'joining_date', 'create_uid', 'create_date'], [
            (first_party + i, 'Bench Member %06d' % i, 'BENCH%06d' % i,
                True, True, 'active', 'individual', 'B-%06d' % i,
                dt.date(YEAR, 1, 1), dt.date(YEAR, 1, 1), 0, now)
            for i in range(n)])
    cursor.execute('SELECT COALESCE(MAX(id), 0) FROM saccos_savings_account')
    first_account = cursor.fetchone()[0] + 1
    _executemany(cursor, 'saccos_savings_account', [
            'id', 'company', 'number', 'product', 'owner', 'state',
            'activation_date', 'interest_rate', 'create_uid',
            'create_date'], [
            (first_account + i, company, 'BA-%07d' % i, product.id,
                first_party + i, 'active', dt.date(YEAR, 2, 1),
                Decimal('10'), 0, now)
            for i in range(n)])
    rows = []
    for i in range(n):
        for date, amount in movements(i):
            kind = 'deposit' if amount > 0 else 'withdrawal'
            rows.append((company, first_account + i, first_party + i, kind,
                    date, abs(amount), amount, cash.id, 0, now))
    _executemany(cursor, 'saccos_savings_transaction', [
            'company', 'account', 'party', 'kind', 'date', 'amount',
            'signed_amount', 'counter_account', 'create_uid',
            'create_date'], rows)
    if _is_pg():
        for table in ['party_party', 'saccos_savings_account']:
            cursor.execute(f"SELECT setval('{table}_id_seq', "
                f"(SELECT MAX(id) FROM {table}))")
    return product.id


def post_interest(pool, product_id):
    InterestRun = pool.get('saccos.savings.interest.run')
    Product = pool.get('saccos.savings.product')
    run = InterestRun.post_period(Product(product_id), MARCH_END)
    return run.id, run.account_count, run.interest_amount, run.tax_amount


def ledger_rows(pool, run_id):
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    InterestRun = pool.get('saccos.savings.interest.run')
    run = InterestRun(run_id)
    cursor.execute('SELECT COUNT(*) FROM account_move_line WHERE move = %s'
        % run.move.id)
    return 1, cursor.fetchone()[0]


def floor(pool, n_moves, n_lines, with_subledger=0, copy=False):
    """The same numbers of account_move and account_move_line rows (and
    optionally sub-ledger rows) inserted by plain SQL (executemany, or COPY
    on PostgreSQL), then rolled back"""
    from trytond.transaction import Transaction
    Period = pool.get('account.period')
    Product = pool.get('saccos.savings.product')
    product, = Product.search([('code', '=', 'VOL')])
    company = product.company.id
    period = Period.find(company, date=MARCH_END)
    cursor = Transaction().connection.cursor()
    now = dt.datetime.now()
    start = time.perf_counter()
    cursor.execute('SELECT COALESCE(MAX(id), 0) FROM account_move')
    first = cursor.fetchone()[0] + 1
    _executemany(cursor, 'account_move', [
            'id', 'company', 'period', 'journal', 'date', 'post_date',
            'description', 'state', 'number', 'create_uid', 'create_date'],
        [(first + i, company, period.id, product.journal.id, MARCH_END,
                MARCH_END, 'floor', 'posted', 'F%s' % i, 0, now)
            for i in range(n_moves)], copy=copy)
    per_move = n_lines // n_moves
    _executemany(cursor, 'account_move_line', [
            'move', 'account', 'party', 'debit', 'credit', 'description',
            'state', 'create_uid', 'create_date'],
        [(first + i // per_move, product.savings_account.id, None,
                Decimal('0'), Decimal('1.00'), 'floor', 'valid', 0, now)
            for i in range(n_lines)], copy=copy)
    if with_subledger:
        cursor.execute('SELECT MIN(id) FROM saccos_savings_account')
        account = cursor.fetchone()[0]
        cursor.execute('SELECT owner FROM saccos_savings_account '
            'WHERE id = %s' % account)
        party = cursor.fetchone()[0]
        _executemany(cursor, 'saccos_savings_transaction', [
                'company', 'account', 'party', 'kind', 'date', 'amount',
                'signed_amount', 'counter_account', 'create_uid',
                'create_date'],
            [(company, account, party, 'interest', MARCH_END,
                    Decimal('1.00'), Decimal('1.00'),
                    product.interest_expense_account.id, 0, now)
                for _ in range(with_subledger)], copy=copy)
    elapsed = time.perf_counter() - start
    Transaction().rollback()
    return elapsed


def check_interest(pool, product_id, n, run):
    """Recompute by hand formula every 97th account, and check the move
    and the sub-ledger against the run"""
    from trytond.modules.saccos_member.money import to_decimal
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    run_id, count, interest, tax = run
    InterestRun = pool.get('saccos.savings.interest.run')
    run = InterestRun(run_id)
    results = {}
    cursor.execute('SELECT SUM(debit), SUM(credit) FROM account_move_line '
        'WHERE move = %s' % run.move.id)
    debit, credit = (to_decimal(v).quantize(Decimal('0.01'))
        for v in cursor.fetchone())
    results['move balanced'] = (str(debit), str(credit))
    cursor.execute("SELECT COUNT(*), SUM(amount) FROM "
        "saccos_savings_transaction WHERE kind = 'interest'")
    n_interest, total = cursor.fetchone()
    results['interest transactions'] = (n_interest, n)
    results['interest total'] = (
        str(to_decimal(total).quantize(Decimal('0.01'))), str(interest))
    cursor.execute("SELECT account, amount FROM saccos_savings_transaction "
        "WHERE kind = 'interest'")
    posted = {a: to_decimal(v) for a, v in cursor}
    cursor.execute('SELECT MIN(id) FROM saccos_savings_account')
    first = cursor.fetchone()[0]
    wrong = 0
    for i in range(0, n, 97):
        # The daily balance by hand: each balance times its days.
        events = movements(i)
        balance = events[0][1]
        day_sum = Decimal(0)
        day = dt.date(YEAR, 3, 1)
        for date, amount in events[1:] + [(dt.date(YEAR, 4, 1), 0)]:
            day_sum += balance * (date - day).days
            balance += amount
            day = date
        expected = (Decimal('0.10') * day_sum / 365).quantize(
            Decimal('0.01'), ROUND_HALF_UP)
        if posted.get(first + i) != expected:
            wrong += 1
    results['sampled accounts recomputed wrong'] = (wrong, 0)
    cursor.execute('SELECT COUNT(*) FROM saccos_savings_account '
        "WHERE interest_posted_until IS NULL OR interest_posted_until != '%s'"
        % MARCH_END.isoformat())
    results['accounts not marked posted'] = (cursor.fetchone()[0], 0)
    return results


def rerun(pool, product_id):
    "Posting March again must post nothing"
    InterestRun = pool.get('saccos.savings.interest.run')
    Product = pool.get('saccos.savings.product')
    runs = InterestRun.post_interest(MARCH_END, [Product(product_id)])
    return [(str(r.period_end), r.account_count) for r in runs]


def contribution_file(n):
    import csv
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(['member_number', 'amount', 'date', 'reference'])
    for i in range(n):
        writer.writerow(['B-%06d' % i, '%d.00' % (1000 + i % 9 * 500),
                '%s-04-02' % YEAR, 'CHK-%07d' % i])
    return output.getvalue().encode()


def import_file(pool, data):
    Line = pool.get('saccos.savings.transaction')
    Product = pool.get('saccos.savings.product')
    product, = Product.search([('code', '=', 'VOL')])
    lines = Line.import_contributions(data, 'checkoff.csv', 'bank', product)
    return len(lines)


def profiled(func):
    "With BENCH_PROFILE set, print where func spends its time"
    if not os.environ.get('BENCH_PROFILE'):
        return func

    def wrapper():
        import cProfile
        import pstats
        profile = cProfile.Profile()
        try:
            return profile.runcall(func)
        finally:
            pstats.Stats(profile, stream=sys.stderr).sort_stats(
                'cumulative').print_stats(35)
    return wrapper


def measure(args, config_file):
    pool, context = common.open_pool(args, config_file)
    database = args.database
    transaction = common.transaction
    n = args.accounts
    figures = {'backend': args.backend, 'accounts': n,
        'transactions': n * 6, 'date': dt.date.today().isoformat()}

    start = time.perf_counter()
    product_id = transaction(database, lambda: populate(pool, n), context)
    figures['populate_by_sql_s'] = round(time.perf_counter() - start, 2)

    start = time.perf_counter()
    run = transaction(database, profiled(
            lambda: post_interest(pool, product_id)), context)
    figures['interest_s'] = round(time.perf_counter() - start, 2)
    n_moves, n_lines = transaction(
        database, lambda: ledger_rows(pool, run[0]), context)
    figures['interest_moves'], figures['interest_lines'] = n_moves, n_lines
    figures['interest_floor_s'] = round(transaction(
            database, lambda: floor(pool, n_moves, n_lines), context), 3)
    figures['interest_floor_with_subledger_s'] = round(transaction(
            database, lambda: floor(pool, n_moves, n_lines, 2 * n),
            context), 3)
    if args.backend == 'postgresql':
        figures['interest_floor_copy_s'] = round(transaction(
                database, lambda: floor(pool, n_moves, n_lines, copy=True),
                context), 3)
        figures['interest_floor_copy_with_subledger_s'] = round(transaction(
                database, lambda: floor(
                    pool, n_moves, n_lines, 2 * n, copy=True), context), 3)
        figures['ratio_interest_to_copy_floor'] = round(
            figures['interest_s'] / figures['interest_floor_copy_s'], 2)
    figures['accounts_per_s'] = round(n / figures['interest_s'], 1)
    figures['ratio_interest_to_floor'] = round(
        figures['interest_s'] / figures['interest_floor_s'], 2)
    figures['ratio_interest_to_floor_with_subledger'] = round(
        figures['interest_s'] / figures['interest_floor_with_subledger_s'],
        2)
    checks = transaction(database,
        lambda: check_interest(pool, product_id, n, run), context)
    reposted = transaction(database, lambda: rerun(pool, product_id),
        context)
    # The catch-up may open an empty run for February; March never again.
    checks['re-run posts March again'] = (
        [r for r in reposted if r[0] == str(MARCH_END) or r[1]], [])

    if args.lines:
        lines = min(args.lines, n)
        data = contribution_file(lines)
        start = time.perf_counter()
        posted = transaction(database, profiled(
                lambda: import_file(pool, data)), context)
        figures['import_lines'] = lines
        figures['import_s'] = round(time.perf_counter() - start, 2)
        figures['import_lines_per_s'] = round(lines / figures['import_s'], 1)
        figures['import_floor_s'] = round(transaction(
                database, lambda: floor(pool, 1, lines + 1), context), 3)
        figures['ratio_import_to_floor'] = round(
            figures['import_s'] / figures['import_floor_s'], 2)
        checks['contribution lines posted'] = (posted, lines)
    figures['checks'] = checks
    return figures


def main():
    return common.run_bench(parse_args(), measure, modules=('saccos_savings',),
        extra_setup=SETUP)


if __name__ == '__main__':
    sys.exit(main())
