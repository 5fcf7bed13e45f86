#!/usr/bin/env python3
# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A dividend run over N share accounts with 12 purchases each in the
year: preview (compute), approval and posting to savings, against the
plain-SQL floor of the same ledger rows measured in the same run.

    python -O bench/bench_dividend.py --backend postgresql \\
        --uri postgresql://postgres@127.0.0.1:5432/ --accounts 100000

Members, savings and share accounts and the purchases are inserted by
SQL (setting up is not what is measured); the run goes through the
module's own code.  The results are checked afterwards; a failed check
exits non-zero."""
import datetime as dt
import pathlib
import sys
import time
from decimal import Decimal

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_activation as common  # noqa: E402
from bench_interest import _executemany, _is_pg, profiled  # noqa: E402

YEAR = dt.date.today().year - 1
# Last year's fiscal year as open_last_year creates it.
START, END = dt.date(YEAR - 1, 12, 1), dt.date(YEAR, 11, 30)
POOL = Decimal('100000000.00')

SETUP = f"""
import datetime as dt
from decimal import Decimal
from trytond.modules.account.tests.tools import create_fiscalyear
from trytond.modules.company.tests.tools import get_company
from trytond.modules.saccos_savings.tests.tools import create_savings_product
from trytond.modules.saccos_share.tests.tools import create_share_product
fiscalyear = create_fiscalyear(get_company(config=config),
    today=dt.date({YEAR}, 6, 1), config=config)
fiscalyear.click('create_period')
create_savings_product('VOL', "Voluntary Savings", config=config)
create_share_product('ORD', "Ordinary Shares", config=config,
    total_shares=10000000, shares_to_issue=10000000,
    unit_price=Decimal('1000'), decimal_places=0,
    minimum_active_period=3, minimum_active_unit='months')
"""


def parse_args():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--backend', choices=['sqlite', 'postgresql'],
        default='postgresql')
    parser.add_argument('--uri',
        default='postgresql://postgres@127.0.0.1:5432/')
    parser.add_argument('--accounts', type=int, default=100000)
    parser.add_argument('--database', default='saccos_bench_dividend')
    parser.add_argument('--output', help="write the figures as JSON here")
    return parser.parse_args()


def purchases(index):
    "The deterministic year of account index: one purchase a month"
    return [(dt.date(YEAR - 1 if m == 12 else YEAR, m, 15),
            1 + (index + m) % 5)
        for m in [12] + list(range(1, 12))]


def populate(pool, n):
    "Members, savings and share accounts and purchases, inserted by SQL"
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    Savings = pool.get('saccos.savings.product')
    Shares = pool.get('saccos.share.product')
    savings, = Savings.search([('code', '=', 'VOL')])
    shares, = Shares.search([('code', '=', 'ORD')])
    company = shares.company.id
    now = dt.datetime.now()
    ids = {}
    for table in ['party_party', 'saccos_savings_account',
            'saccos_share_account']:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM {table}')
        ids[table] = cursor.fetchone()[0] + 1
    party, saving, share = (ids['party_party'],
        ids['saccos_savings_account'], ids['saccos_share_account'])
    _executemany(cursor, 'party_party', [
            'id', 'name', 'code', 'active', 'is_member', 'member_state',
            'member_kind', 'member_number', 'application_date',
            'joining_date', 'create_uid', 'create_date'], [
            (party + i, 'Bench Member %06d' % i, 'BENCH%06d' % i,
                True, True, 'active', 'individual', 'B-%06d' % i,
                START, START, 0, now)
            for i in range(n)], copy=True)
    _executemany(cursor, 'saccos_savings_account', [
            'id', 'company', 'number', 'product', 'owner', 'state',
            'activation_date', 'interest_rate', 'create_uid',
            'create_date'], [
            (saving + i, company, 'BA-%07d' % i, savings.id, party + i,
                'active', START, Decimal(0), 0, now)
            for i in range(n)], copy=True)
    _executemany(cursor, 'saccos_share_account', [
            'id', 'company', 'number', 'member', 'product', 'state',
            'submitted_date', 'approval_date', 'requested_shares',
            'payment_mode', 'savings_account', 'dividends_for_inactive',
            'create_uid', 'create_date'], [
            (share + i, company, 'BS-%07d' % i, party + i, shares.id,
                'active', START, START, 1, 'cash', saving + i, False, 0,
                now)
            for i in range(n)], copy=True)
    rows = []
    for i in range(n):
        for date, count in purchases(i):
            value = Decimal(count * 1000)
            rows.append((company, share + i, shares.id, party + i,
                    'purchase', 'approved', date, date, count, count,
                    Decimal(1000), value, value, Decimal(0), 0, now))
    _executemany(cursor, 'saccos_share_transaction', [
            'company', 'account', 'product', 'party', 'kind', 'state',
            'date', 'effective_date', 'shares', 'signed_shares',
            'unit_price', 'amount', 'signed_amount', 'charge',
            'create_uid', 'create_date'], rows, copy=True)
    if _is_pg():
        for table in ids:
            cursor.execute(f"SELECT setval('{table}_id_seq', "
                f"(SELECT MAX(id) FROM {table}))")
    return shares.id


def create_run(pool, product_id):
    from trytond.modules.saccos_member.tests.tools import ACCOUNT_KEYS  # noqa
    Run = pool.get('saccos.dividend.run')
    Account = pool.get('account.account')
    ModelData = pool.get('ir.model.data')
    Shares = pool.get('saccos.share.product')

    def ledger(key):
        template = ModelData.get_id(
            'saccos_member', 'account_template_' + key)
        account, = Account.search([('template', '=', template)])
        return account
    product = Shares(product_id)
    run, = Run.create([{
                'name': 'Bench', 'product': product_id,
                'start_date': START, 'end_date': END,
                'method': 'share_days', 'basis': 'daily',
                'distribution': 'amount', 'amount': POOL,
                'withholding_tax_rate': Decimal(5),
                'minimum_active_period': product.minimum_active_period,
                'minimum_active_unit': product.minimum_active_unit,
                'payout': 'savings',
                'journal': ModelData.get_id(
                    'saccos_dividend', 'journal_dividends'),
                'appropriation_account': ledger('retained_earnings').id,
                'payable_account': ledger('dividends_payable').id,
                'tax_account': ledger('withholding_tax_payable').id,
                }])
    return run.id


def step(pool, run_id, name):
    Run = pool.get('saccos.dividend.run')
    run = Run(run_id)
    if name == 'compute':
        run.compute_lines()
        Run.write([run], {'state': 'computed'})
    elif name == 'approve':
        run.approve_run()
    else:
        run.post_run()
    run = Run(run_id)
    return run.state


def ledger_rows(pool, run_id):
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    Run = pool.get('saccos.dividend.run')
    run = Run(run_id)
    cursor.execute('SELECT COUNT(*) FROM account_move_line '
        'WHERE move IN (%s, %s)' % (run.approval_move.id, run.post_move.id))
    return 2, cursor.fetchone()[0]


def floor(pool, n_moves, n_lines, subledger=0, copy=False):
    """The same numbers of account_move and account_move_line rows (and
    optionally of sub-ledger rows: dividend lines and savings
    transactions) inserted by plain SQL, then rolled back"""
    from trytond.transaction import Transaction
    Period = pool.get('account.period')
    Shares = pool.get('saccos.share.product')
    product, = Shares.search([('code', '=', 'ORD')])
    company = product.company.id
    period = Period.find(company, date=END)
    cursor = Transaction().connection.cursor()
    now = dt.datetime.now()
    start = time.perf_counter()
    cursor.execute('SELECT COALESCE(MAX(id), 0) FROM account_move')
    first = cursor.fetchone()[0] + 1
    _executemany(cursor, 'account_move', [
            'id', 'company', 'period', 'journal', 'date', 'post_date',
            'description', 'state', 'number', 'create_uid', 'create_date'],
        [(first + i, company, period.id, product.journal.id, END, END,
                'floor', 'posted', 'F%s' % i, 0, now)
            for i in range(n_moves)], copy=copy)
    per_move = -(-n_lines // n_moves)
    _executemany(cursor, 'account_move_line', [
            'move', 'account', 'party', 'debit', 'credit', 'description',
            'state', 'create_uid', 'create_date'],
        [(first + i // per_move, product.equity_account.id, None,
                Decimal('0'), Decimal('1.00'), 'floor', 'valid', 0, now)
            for i in range(n_lines)], copy=copy)
    if subledger:
        cursor.execute('SELECT MIN(id), MIN(owner) FROM '
            'saccos_savings_account')
        account, party = cursor.fetchone()
        _executemany(cursor, 'saccos_savings_transaction', [
                'company', 'account', 'party', 'kind', 'date', 'amount',
                'signed_amount', 'counter_account', 'create_uid',
                'create_date'],
            [(company, account, party, 'dividend', END, Decimal('1.00'),
                    Decimal('1.00'), product.equity_account.id, 0, now)
                for _ in range(subledger)], copy=copy)
        cursor.execute('SELECT MAX(id) FROM saccos_dividend_run')
        run = cursor.fetchone()[0]
        _executemany(cursor, 'saccos_dividend_line', [
                'run', 'member', 'share_basis', 'gross', 'tax', 'net',
                'create_uid', 'create_date'],
            [(run, party, Decimal(1), Decimal('1.00'), Decimal(0),
                    Decimal('1.00'), 0, now)
                for _ in range(subledger)], copy=copy)
    elapsed = time.perf_counter() - start
    Transaction().rollback()
    return elapsed


def share_days(index):
    "By hand: each counted purchase times the days it was held"
    total = 0
    for date, count in purchases(index):
        # Three months' minimum active period at 30 November.
        if date <= dt.date(YEAR, 8, 30):
            total += count * ((END - date).days + 1)
    return total


def check(pool, run_id, n):
    from trytond.modules.saccos_member.money import to_decimal
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    Run = pool.get('saccos.dividend.run')
    run = Run(run_id)
    results = {}
    for name, move in [('approval', run.approval_move),
            ('posting', run.post_move)]:
        cursor.execute('SELECT SUM(debit), SUM(credit) FROM '
            'account_move_line WHERE move = %s' % move.id)
        debit, credit = (to_decimal(v) for v in cursor.fetchone())
        results['%s move balanced' % name] = (str(debit), str(credit))
    cursor.execute('SELECT COUNT(*), SUM(gross), SUM(tax), SUM(net), '
        'SUM(share_basis) FROM saccos_dividend_line WHERE run = %s' % run_id)
    count, gross, tax, net, basis = cursor.fetchone()
    gross, tax, net = (to_decimal(v) for v in (gross, tax, net))
    results['members'] = (count, n)
    results['gross is the pool'] = (str(gross), str(POOL))
    results['gross = tax + net'] = (str(tax + net), str(gross))
    cursor.execute("SELECT COUNT(*), SUM(amount) FROM "
        "saccos_savings_transaction WHERE kind = 'dividend'")
    credited, amount = cursor.fetchone()
    results['savings credited'] = (
        (credited, str(to_decimal(amount))), (n, str(net)))
    total_basis = to_decimal(basis)
    cursor.execute('SELECT MIN(id) FROM saccos_share_account')
    first = cursor.fetchone()[0]
    cursor.execute('SELECT share_account, share_basis, gross FROM '
        'saccos_dividend_line WHERE run = %s' % run_id)
    lines = {a: (to_decimal(b), to_decimal(g)) for a, b, g in cursor}
    wrong = 0
    for i in range(0, n, 97):
        basis, gross_i = lines[first + i]
        exact = POOL * basis / total_basis
        if basis != share_days(i) or abs(gross_i - exact) >= Decimal('0.01'):
            wrong += 1
    results['sampled accounts recomputed wrong'] = (wrong, 0)
    return results


def measure(args, config_file):
    pool, context = common.open_pool(args, config_file)
    database = args.database
    transaction = common.transaction
    n = args.accounts
    figures = {'backend': args.backend, 'accounts': n,
        'purchases': n * 12, 'date': dt.date.today().isoformat()}
    start = time.perf_counter()
    product_id = transaction(database, lambda: populate(pool, n), context)
    figures['populate_by_sql_s'] = round(time.perf_counter() - start, 2)
    run_id = transaction(database, lambda: create_run(pool, product_id),
        context)
    total = 0
    for name in ['compute', 'approve', 'post']:
        start = time.perf_counter()
        transaction(database, profiled(
                lambda: step(pool, run_id, name)), context)
        figures['%s_s' % name] = round(time.perf_counter() - start, 2)
        total += figures['%s_s' % name]
    figures['run_s'] = round(total, 2)
    figures['accounts_per_s'] = round(n / total, 1)
    n_moves, n_lines = transaction(
        database, lambda: ledger_rows(pool, run_id), context)
    figures['moves'], figures['move_lines'] = n_moves, n_lines
    floors = [('floor', {}), ('floor_with_subledger', {'subledger': 2 * n})]
    if args.backend == 'postgresql':
        floors += [('floor_copy', {'copy': True}),
            ('floor_copy_with_subledger', {'subledger': 2 * n, 'copy': True})]
    for name, kwargs in floors:
        figures['%s_s' % name] = round(transaction(database,
                lambda: floor(pool, n_moves, n_lines, **kwargs), context), 3)
        figures['ratio_run_to_%s' % name] = round(
            total / figures['%s_s' % name], 2)
    checks = transaction(database, lambda: check(pool, run_id, n), context)
    # Posting again must post nothing.
    transaction(database, lambda: step(pool, run_id, 'post'), context)
    checks['re-post adds savings credits'] = (transaction(database,
            lambda: _count_credits(), context) - n, 0)
    figures['checks'] = checks
    return figures


def _count_credits():
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    cursor.execute("SELECT COUNT(*) FROM saccos_savings_transaction "
        "WHERE kind = 'dividend'")
    return cursor.fetchone()[0]


def main():
    return common.run_bench(parse_args(), measure, modules=('saccos_dividend',),
        extra_setup=SETUP)


if __name__ == '__main__':
    sys.exit(main())
