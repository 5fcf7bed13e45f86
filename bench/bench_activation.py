#!/usr/bin/env python3
# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Register and activate N members with their joining fees, and insert the
same ledger rows by plain SQL in the same run as the floor.

    python -O bench/bench_activation.py --backend sqlite --members 10000
    python -O bench/bench_activation.py --backend postgresql \\
        --uri postgresql://postgres@127.0.0.1:5432/

Each phase runs in its own committed transaction and is timed on its own.
The run checks the ledger afterwards and exits non-zero when a check
fails."""
import argparse
import datetime as dt
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import textwrap
import time
from decimal import Decimal

ROOT = pathlib.Path(__file__).resolve().parent.parent
BATCH = 500


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--backend', choices=['sqlite', 'postgresql'],
        default='sqlite')
    parser.add_argument('--uri', default='postgresql://postgres@127.0.0.1:5432/')
    parser.add_argument('--members', type=int, default=10000)
    parser.add_argument('--database', default='saccos_bench')
    parser.add_argument('--output', help="write the figures as JSON here")
    return parser.parse_args()


def script(name):
    return str(pathlib.Path(sys.executable).parent / name)


def prepare(args, folder, modules=('saccos_member',), extra_setup=''):
    "A fresh database with the suite installed and the SACCO set up"
    config = folder / 'trytond.conf'
    if args.backend == 'sqlite':
        uri = 'sqlite://'
        (folder / f'{args.database}.sqlite').unlink(missing_ok=True)
        (folder / f'{args.database}.sqlite').touch()
    else:
        import psycopg
        uri = args.uri
        with psycopg.connect(uri.rstrip('/') + '/postgres',
                autocommit=True) as conn:
            # A run that was stopped may have left sessions behind.
            conn.execute('SELECT pg_terminate_backend(pid) '
                'FROM pg_stat_activity WHERE datname = %s',
                (args.database,))
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            conn.execute(f'CREATE DATABASE "{args.database}"')
    config.write_text(f"[database]\nuri = {uri}\npath = {folder}\n")
    password = folder / 'password'
    password.write_text('Bench-Admin-2026')
    env = dict(os.environ, TRYTONPASSFILE=str(password), PYTHONOPTIMIZE='1')
    env.pop('TRYTOND_DATABASE__URI', None)
    subprocess.run([script('trytond-admin'), '-c', str(config),
            '-d', args.database, '--all', '--email', 'admin@example.com',
            '-u', *modules, '--activate-dependencies'],
        check=True, env=env, capture_output=True)
    setup = textwrap.dedent(f"""\
        from proteus import config as pconfig
        config = pconfig.set_trytond({args.database!r},
            config_file={str(config)!r})
        # imported once the configuration chose the backend
        from trytond.modules.saccos_member.tests.tools import setup_saccos
        setup_saccos(config=config)
        """) + textwrap.dedent(extra_setup)
    subprocess.run([sys.executable, '-O', '-c', setup], check=True, env=env)
    return config


def transaction(database, func, context=None):
    "Run func in its own transaction, retrying for Tryton's lazy locks"
    from trytond.transaction import TransactionError
    from trytond.transaction import Transaction
    extras = {}
    while True:
        try:
            with Transaction().start(
                    database, 1, context=context or {}, **extras):
                return func()
        except TransactionError as error:
            error.fix(extras)


def nida(index, birth_date):
    return '%s%012d' % (birth_date.strftime('%Y%m%d'), 500000 + index)


def register(pool, count, today):
    "Phase a: members with complete KYC, as the import would create them"
    Party = pool.get('party.party')
    Attachment = pool.get('ir.attachment')
    DocumentType = pool.get('saccos.kyc.document.type')
    types = DocumentType.search([('required_individual', '=', True)])
    ids = []
    for start in range(0, count, BATCH):
        values = []
        for i in range(start, min(start + BATCH, count)):
            birth_date = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
            values.append({
                    'name': f'Bench Member {i:05d}',
                    'is_member': True,
                    'member_kind': 'individual',
                    'birth_date': birth_date,
                    'gender': 'female' if i % 2 else 'male',
                    'region': 'Dar es Salaam',
                    'district': 'Ilala',
                    # half pay at the counter, half owe the fee
                    'joining_fee_payment': 'cash' if i % 2 == 0 else None,
                    'identifiers': [('create', [{
                                    'type': 'tz_nida',
                                    'code': nida(i, birth_date)}])],
                    'contact_mechanisms': [('create', [{
                                    'type': 'mobile',
                                    'value': '+255 754 %03d %03d' % divmod(
                                        i, 1000)}])],
                    'member_nominees': [('create', [{
                                    'name': f'Nominee {i:05d}',
                                    'relationship': 'spouse',
                                    'percentage': Decimal(100)}])],
                    })
        parties = Party.create(values)
        Attachment.create([{
                    'resource': str(p), 'name': f'{t.code}.pdf',
                    'data': b'%PDF-1.4 scan', 'kyc_document_type': t.id,
                    'kyc_issue_date': today,
                    'kyc_expiry_date': (today + dt.timedelta(days=3650))
                    if t.expires else None,
                    } for p in parties for t in types])
        ids.extend(p.id for p in parties)
    return ids


def activate(pool, ids, today, batch):
    "Phase b: approve every applicant; the joining fees are posted"
    Party = pool.get('party.party')
    for start in range(0, len(ids), batch):
        Party.approve(Party.browse(ids[start:start + batch]))


def ledger_shape(pool):
    "Moves and lines the activation posted, for the floor to copy"
    from trytond.transaction import Transaction
    Move = pool.get('account.move')
    cursor = Transaction().connection.cursor()
    move = Move.__table__()
    cursor.execute(*move.select(
            move.id, where=move.origin.like('saccos.member.fee,%')))
    move_ids = [r[0] for r in cursor]
    cursor.execute('SELECT COUNT(*) FROM account_move_line l '
        "JOIN account_move m ON l.move = m.id "
        "WHERE m.origin LIKE 'saccos.member.fee,%'")
    return len(move_ids), cursor.fetchone()[0]


def floor(pool, n_moves, n_lines, company_id, today):
    """Phase c: the same numbers of account_move and account_move_line
    rows inserted by plain SQL (executemany), then rolled back"""
    from trytond.transaction import Transaction
    Period = pool.get('account.period')
    Journal = pool.get('account.journal')
    Account = pool.get('account.account')
    Party = pool.get('party.party')
    period = Period.find(company_id, date=today)
    journal, = Journal.search([('code', '=', 'MEM')])
    account = Account.search([('party_required', '=', True)], limit=1)[0]
    party = Party.search([], limit=1)[0]
    connection = Transaction().connection
    cursor = connection.cursor()
    backend_pg = Transaction().database.name != 'sqlite' and hasattr(
        connection, 'pgconn')
    mark = '%s' if backend_pg else '?'
    per_move = n_lines // n_moves
    start = time.perf_counter()
    move_sql = ('INSERT INTO account_move (company, period, journal, date,'
        ' post_date, description, origin, state, number, create_uid,'
        ' create_date) VALUES (' + ', '.join([mark] * 11) + ')')
    line_sql = ('INSERT INTO account_move_line (move, account, party, debit,'
        ' credit, description, state, create_uid, create_date) VALUES ('
        + ', '.join([mark] * 9) + ')')
    now = dt.datetime.now()
    cursor.execute('SELECT COALESCE(MAX(id), 0) FROM account_move')
    first = cursor.fetchone()[0] + 1
    if backend_pg:
        cursor.execute("SELECT setval('account_move_id_seq', %s)",
            (first + n_moves,))
    cursor.executemany(move_sql.replace(
            'INSERT INTO account_move (', 'INSERT INTO account_move (id, ')
        .replace('VALUES (', 'VALUES (' + mark + ', '), [
            (first + i, company_id, period.id, journal.id, today, today,
                'floor', 'saccos.member.fee,%s' % i, 'posted', f'F{i}', 0,
                now) for i in range(n_moves)])
    cursor.executemany(line_sql, [
            (first + i, account.id, party.id,
                Decimal('10000.00') if j % 2 == 0 else Decimal(0),
                Decimal(0) if j % 2 == 0 else Decimal('10000.00'),
                'floor', 'valid', 0, now)
            for i in range(n_moves) for j in range(per_move)])
    elapsed = time.perf_counter() - start
    Transaction().rollback()
    return elapsed


def checks(pool, n, joining_fee):
    from trytond.modules.saccos_member.money import to_decimal
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    Configuration = pool.get('saccos.configuration')
    receivable = Configuration(1).get_multivalue('fee_receivable_account')
    results = {}
    cursor.execute("SELECT COUNT(*) FROM party_party "
        "WHERE is_member = %s AND member_state = 'active'"
        % ('true' if Transaction().database.name != 'sqlite'
            and hasattr(Transaction().connection, 'pgconn') else '1'))
    results['active members'] = (cursor.fetchone()[0], n)
    cursor.execute("SELECT COUNT(*) FROM saccos_member_fee "
        "WHERE kind = 'joining' AND move IS NOT NULL")
    results['joining fees posted'] = (cursor.fetchone()[0], n)
    cursor.execute('SELECT move FROM account_move_line GROUP BY move '
        'HAVING ABS(SUM(debit) - SUM(credit)) >= 0.005')
    results['unbalanced moves'] = (len(cursor.fetchall()), 0)
    cursor.execute("SELECT COUNT(*) FROM account_move WHERE state != 'posted'"
        " OR number IS NULL")
    results['moves not posted or numbered'] = (cursor.fetchone()[0], 0)
    cursor.execute('SELECT SUM(debit - credit) FROM account_move_line '
        'WHERE account = %s' % receivable.id)
    owed = n // 2
    results['fee receivable balance'] = (
        str(to_decimal(cursor.fetchone()[0]).quantize(Decimal('0.01'))),
        str((joining_fee * owed).quantize(Decimal('0.01'))))
    return results


def open_pool(args, config_file):
    """The pool of the bench database set up by prepare, and a context
    with its company"""
    from trytond import config
    config.update_etc(str(config_file))
    from trytond.pool import Pool
    Pool.start()
    pool = Pool(args.database)
    pool.init()

    def company_id():
        return pool.get('company.company').search([])[0].id
    cid = transaction(args.database, company_id)
    return pool, {'company': cid, 'companies': [cid]}


def run_bench(args, measure, modules=('saccos_member',), extra_setup=''):
    """Set a fresh database up, measure it, print the figures (and write
    them to args.output); 1 when a check failed.  A check is a pair
    (got, wanted), a balance check (debit, credit): equal when right."""
    if not sys.flags.optimize:
        # ModelStorage asserts over id lists make big batches quadratic.
        os.execv(sys.executable, [sys.executable, '-O', *sys.argv])
    with tempfile.TemporaryDirectory(prefix='saccos-bench-') as folder:
        config_file = prepare(args, pathlib.Path(folder), modules=modules,
            extra_setup=extra_setup)
        figures = measure(args, config_file)
    text = json.dumps(figures, indent=2, default=str)
    print(text)
    if args.output:
        pathlib.Path(args.output).write_text(text)
    failed = [k for k, (got, want) in figures['checks'].items()
        if got != want]
    if failed:
        print("FAILED checks: " + ', '.join(failed), file=sys.stderr)
        return 1
    return 0


def measure(args, config_file):
    pool, context = open_pool(args, config_file)
    database = args.database
    cid = context['company']
    today = dt.date.today()
    n = args.members
    figures = {'backend': args.backend, 'members': n,
        'date': today.isoformat()}

    start = time.perf_counter()
    ids = transaction(database, lambda: register(pool, n, today), context)
    figures['register_s'] = round(time.perf_counter() - start, 2)

    # The time spent writing the ledger inside the activation, to compare
    # like with like against the floor.
    from trytond.modules.saccos_member import ledger
    ledger_time = [0.0]

    def timed(func):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                ledger_time[0] += time.perf_counter() - start
        return wrapper
    ledger.bulk_post_moves = timed(ledger.bulk_post_moves)
    ledger.bulk_reconcile = timed(ledger.bulk_reconcile)
    start = time.perf_counter()
    transaction(database, lambda: activate(pool, ids, today, 1000), context)
    figures['activate_s'] = round(time.perf_counter() - start, 2)
    figures['activate_ledger_s'] = round(ledger_time[0], 2)

    n_moves, n_lines = transaction(database, lambda: ledger_shape(pool),
        context)
    figures['moves'], figures['lines'] = n_moves, n_lines
    figures['floor_s'] = round(transaction(database, lambda: floor(
                pool, n_moves, n_lines, cid, today), context), 3)
    joining_fee = transaction(database, lambda: pool.get(
            'saccos.configuration')(1).get_multivalue('joining_fee'),
        context)
    figures['checks'] = transaction(
        database, lambda: checks(pool, n, joining_fee), context)
    figures['members_per_s_register'] = round(n / figures['register_s'], 1)
    figures['members_per_s_activate'] = round(n / figures['activate_s'], 1)
    figures['moves_per_s_activate'] = round(n_moves / figures['activate_s'], 1)
    figures['moves_per_s_floor'] = round(n_moves / figures['floor_s'], 1)
    figures['ratio_activate_to_floor'] = round(
        figures['activate_s'] / figures['floor_s'], 1)
    figures['ratio_ledger_to_floor'] = round(
        figures['activate_ledger_s'] / figures['floor_s'], 1)
    return figures


def main():
    return run_bench(parse_args(), measure)


if __name__ == '__main__':
    sys.exit(main())
