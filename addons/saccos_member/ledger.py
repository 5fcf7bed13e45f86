# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Posting to Tryton's ledger.

`post_move` is the path of interactive work: one move through the ORM,
with every check Tryton's account module makes.

`bulk_post_moves` is the path of month-end and yearly jobs over every
member: the ORM posts 40-150 moves a second, so the moves and lines are
inserted set-wise in the caller's transaction.  It keeps the invariants
the ORM would have enforced, checked before anything is written: every
move balanced in the company currency, amounts rounded to the currency,
no negative or two-sided line, accounts of the company that are open,
typed and given a party exactly when they require one, dates in an open
period, and numbers drawn from the fiscal year's post sequence as
`account.move.post` draws them."""
from collections import defaultdict
from decimal import Decimal
from itertools import islice

from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction, TransactionError

from .exceptions import LedgerError

__all__ = ["post_move", "bulk_post_moves", "bulk_reconcile", "insert_rows",
    "insert_returning",
    "lock_together", "lock_move_sequences", "chunks", "to_date",
    "clear_cache"]

_BATCH = 1000


def _id(value):
    if value is None or isinstance(value, int):
        return value
    return value.id


def post_move(date, journal, lines, description=None, origin=None,
        company=None):
    """Create and post one move; lines are dicts with account, party,
    debit, credit and optionally description and maturity_date"""
    pool = Pool()
    Move = pool.get('account.move')
    Line = pool.get('account.move.line')
    Period = pool.get('account.period')
    Company = pool.get('company.company')
    if company is None:
        company = Company(Transaction().context['company'])
    elif isinstance(company, int):
        company = Company(company)
    period = Period.find(company, date=date)
    move = Move(
        company=company, period=period, journal=journal, date=date,
        description=description, origin=origin)
    move.lines = [Line(
            account=l['account'], party=l.get('party'),
            debit=l.get('debit') or Decimal(0),
            credit=l.get('credit') or Decimal(0),
            description=l.get('description'),
            maturity_date=l.get('maturity_date'))
        for l in lines]
    move.save()
    Move.post([move])
    return move


class _LocksError(TransactionError):
    "Several locks the transaction does not hold yet"

    def __init__(self, errors):
        super().__init__()
        self.errors = errors

    def fix(self, extras):
        super().fix(extras)
        for error in self.errors:
            error.fix(extras)


def lock_together(*locks):
    """Call each lock and restart the transaction once for all of them.

    Tryton 8 takes locks when a transaction starts: the first time a lock
    is asked for, it raises and the transaction is restarted with it.  A
    posting that asks in turn for its accounts, its receipt sequence and
    its move sequence would run three times; asked together, twice."""
    errors = []
    for lock in locks:
        try:
            lock()
        except TransactionError as error:
            errors.append(error)
    if len(errors) == 1:
        raise errors[0]
    elif errors:
        raise _LocksError(errors)


def lock_move_sequences(company, dates):
    """Lock the move number sequences of the periods of dates.

    Tryton 8 restarts a transaction the first time it asks for a lock, so
    that the lock is taken when the transaction starts: a job that first
    computes and then posts would compute twice.  Jobs call this before
    their work."""
    pool = Pool()
    Period = pool.get('account.period')
    if company is not None and not isinstance(company, int):
        company = company.id
    sequences = {}
    for date in set(dates):
        try:
            period = Period.find(company, date=date)
        except Exception:
            # No open period: the posting itself reports it.
            continue
        sequence = period.move_sequence_used
        sequences[(sequence.__name__, sequence.id)] = sequence
    lock_together(*(sequence.lock for sequence in sequences.values()
            if getattr(sequence, '_strict', False)))


def _check_moves(company, moves):
    "Refuse the batch before writing anything if one move is wrong"
    pool = Pool()
    Account = pool.get('account.account')
    currency = company.currency
    account_ids = {_id(l['account']) for m in moves for l in m['lines']}
    accounts = {a.id: a for a in Account.browse(list(account_ids))}
    # Read each account's rules once, not once per line.
    usable = {i: (a.company == company and not a.closed and bool(a.type))
        for i, a in accounts.items()}
    needs_party = {i: bool(a.party_required) for i, a in accounts.items()}
    # Quantizing to the currency's exponent is what currency.round does,
    # without the ORM lookups it makes for each of 100,000 lines.
    quantum = currency.rounding
    for move in moves:
        label = move.get('description') or str(move.get('origin') or '')
        if not move['lines']:
            raise LedgerError(gettext(
                    'saccos_member.msg_ledger_empty_move', move=label))
        debit = credit = Decimal(0)
        for line in move['lines']:
            account_id = _id(line['account'])
            line_debit = line.get('debit') or Decimal(0)
            line_credit = line.get('credit') or Decimal(0)
            if (line_debit < 0 or line_credit < 0
                    or (line_debit and line_credit)
                    or line_debit % quantum or line_credit % quantum):
                raise LedgerError(gettext(
                        'saccos_member.msg_ledger_wrong_amount',
                        move=label, account=accounts[account_id].rec_name))
            if not usable[account_id]:
                raise LedgerError(gettext(
                        'saccos_member.msg_ledger_wrong_account',
                        move=label, account=accounts[account_id].rec_name))
            if needs_party[account_id] != bool(line.get('party')):
                raise LedgerError(gettext(
                        'saccos_member.msg_ledger_party',
                        move=label, account=accounts[account_id].rec_name))
            debit += line_debit
            credit += line_credit
        if debit != credit:
            raise LedgerError(gettext(
                    'saccos_member.msg_ledger_unbalanced', move=label))


def bulk_post_moves(company, journal, moves):
    """Insert and post moves set-wise; moves are dicts with date,
    description, origin (a record or 'model,id') and lines as for
    post_move.  Returns the move ids in the order of moves."""
    pool = Pool()
    Move = pool.get('account.move')
    Line = pool.get('account.move.line')
    Period = pool.get('account.period')
    Date = pool.get('ir.date')
    transaction = Transaction()
    database = transaction.database
    cursor = transaction.connection.cursor()
    if not moves:
        return []
    _check_moves(company, moves)

    periods = {}
    for date in sorted({m['date'] for m in moves}):
        # Raises Tryton's own error for a date without an open period.
        periods[date] = Period.find(company, date=date)
    by_sequence = defaultdict(list)
    for index, move in enumerate(moves):
        by_sequence[periods[move['date']].move_sequence_used].append(index)
    numbers = [None] * len(moves)
    for sequence, indexes in by_sequence.items():
        for index, number in zip(indexes, sequence.get_many(len(indexes))):
            numbers[index] = number

    with transaction.set_context(company=company.id):
        today = Date.today()
    user = transaction.user
    move_table = Move.__table__()
    move_columns = [
        move_table.company, move_table.period, move_table.journal,
        move_table.date, move_table.post_date, move_table.description,
        move_table.origin, move_table.state, move_table.number,
        move_table.create_uid, move_table.create_date]
    move_values = [[
            company.id, periods[m['date']].id, _id(journal), m['date'],
            today, m.get('description'),
            str(m['origin']) if m.get('origin') else None, 'posted',
            number, user, CurrentTimestamp()]
        for m, number in zip(moves, numbers)]

    move_ids = []
    if database.has_returning():
        iterator = iter(move_values)
        while batch := list(islice(iterator, _BATCH)):
            cursor.execute(*move_table.insert(
                    move_columns, batch, returning=[move_table.id]))
            move_ids.extend(r[0] for r in cursor)
    else:
        for values in move_values:
            cursor.execute(*move_table.insert(move_columns, [values]))
            move_ids.append(database.lastid(cursor))

    now = _now()
    insert_rows(Line._table, [
            'move', 'account', 'party', 'debit', 'credit', 'description',
            'maturity_date', 'state', 'create_uid', 'create_date'],
        ([move_id, _id(l['account']), _id(l.get('party')),
                l.get('debit') or Decimal(0), l.get('credit') or Decimal(0),
                l.get('description'), l.get('maturity_date'), 'valid',
                user, now]
            for move_id, m in zip(move_ids, moves) for l in m['lines']))

    # What the ORM would have cached of these tables is stale now.
    clear_cache(Move.__name__, Line.__name__)
    return move_ids


def _now():
    import datetime
    return datetime.datetime.now()


def insert_rows(table, columns, rows, batch=5000):
    """INSERT rows (iterables of values in the order of columns) into
    table by COPY on PostgreSQL, executemany elsewhere: building one
    python-sql INSERT per thousand rows costs more than the database
    takes to write them"""
    from sql import Flavor
    cursor = Transaction().connection.cursor()
    if hasattr(cursor, 'copy'):
        # PostgreSQL (psycopg 3): COPY writes rows about three times as
        # fast as executemany.
        count = 0
        with cursor.copy('COPY "%s" (%s) FROM STDIN' % (
                    table, ', '.join('"%s"' % c for c in columns))) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    param = Flavor.get().param
    sql = 'INSERT INTO "%s" (%s) VALUES (%s)' % (
        table, ', '.join('"%s"' % c for c in columns),
        ', '.join([param] * len(columns)))
    rows = iter(rows)
    count = 0
    while chunk := list(islice(rows, batch)):
        cursor.executemany(sql, chunk)
        count += len(chunk)
    return count


def insert_returning(table, columns, rows):
    """INSERT rows into table (a python-sql Table) and return their ids
    in order: for the records whose own lines are inserted next (loan
    transactions and their instalment lines)"""
    transaction = Transaction()
    database = transaction.database
    cursor = transaction.connection.cursor()
    columns = [getattr(table, c) for c in columns]
    ids = []
    if database.has_returning():
        iterator = iter(rows)
        while batch := [list(r) for r in islice(iterator, _BATCH)]:
            cursor.execute(*table.insert(
                    columns, batch, returning=[table.id]))
            ids.extend(r[0] for r in cursor)
    else:
        for row in rows:
            cursor.execute(*table.insert(columns, [list(row)]))
            ids.append(database.lastid(cursor))
    return ids


def bulk_reconcile(company, account, move_ids):
    """Reconcile set-wise, move by move, the lines of account in moves
    whose lines on it balance (a charge paid in the same move).  Checks
    what Line.reconcile checks: reconcilable account, one party, valid
    and unreconciled lines, zero balance."""
    pool = Pool()
    Line = pool.get('account.move.line')
    Reconciliation = pool.get('account.move.reconciliation')
    Configuration = pool.get('account.configuration')
    transaction = Transaction()
    database = transaction.database
    cursor = transaction.connection.cursor()
    line = Line.__table__()
    if not move_ids:
        return []
    if not account.reconcile:
        raise LedgerError(gettext(
                'saccos_member.msg_ledger_not_reconcilable',
                account=account.rec_name))
    groups = defaultdict(list)
    for sub_ids in chunks(move_ids):
        cursor.execute(*line.select(
                line.move, line.id, line.party, line.debit, line.credit,
                line.state, line.reconciliation,
                where=line.move.in_(sub_ids) & (line.account == account.id)))
        for move_id, *row in cursor:
            groups[move_id].append(row)
    for move_id in move_ids:
        rows = groups[move_id]
        balance = sum(_to_dec(d) - _to_dec(c) for _, _, d, c, _, _ in rows)
        if (len(rows) < 2 or balance
                or len({p for _, p, *_ in rows}) != 1
                or any(s != 'valid' or r for *_, s, r in rows)):
            raise LedgerError(gettext(
                    'saccos_member.msg_ledger_not_reconcilable',
                    account=account.rec_name))
    dates = {}
    move = pool.get('account.move').__table__()
    for sub_ids in chunks(move_ids):
        cursor.execute(*move.select(
                move.id, move.date, where=move.id.in_(sub_ids)))
        dates.update(cursor)
    sequence = Configuration(1).get_multivalue(
        'reconciliation_sequence', company=company.id)
    numbers = sequence.get_many(len(move_ids))
    table = Reconciliation.__table__()
    columns = [table.number, table.company, table.date,
        table.create_uid, table.create_date]
    values = [[number, company.id, dates[move_id], transaction.user,
            CurrentTimestamp()]
        for number, move_id in zip(numbers, move_ids)]
    reconciliation_ids = []
    if database.has_returning():
        iterator = iter(values)
        while batch := list(islice(iterator, _BATCH)):
            cursor.execute(*table.insert(
                    columns, batch, returning=[table.id]))
            reconciliation_ids.extend(r[0] for r in cursor)
    else:
        for value in values:
            cursor.execute(*table.insert(columns, [value]))
            reconciliation_ids.append(database.lastid(cursor))
    for move_id, reconciliation_id in zip(move_ids, reconciliation_ids):
        cursor.execute(*line.update(
                [line.reconciliation], [reconciliation_id],
                where=(line.move == move_id)
                & (line.account == account.id)))
    clear_cache(Line.__name__, Reconciliation.__name__)
    return reconciliation_ids


def chunks(ids, size=_BATCH):
    "Lists of at most size items: IN clauses stay within the backend's limits"
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


def to_date(value):
    "A date read by raw SQL: SQLite returns it as text"
    if isinstance(value, str):
        import datetime
        return datetime.date.fromisoformat(value)
    return value


def clear_cache(*names):
    "Forget what the ORM cached of models written by raw SQL"
    transaction = Transaction()
    transaction.counter += 1
    for cache in transaction.cache.values():
        for name in names:
            if name in cache:
                cache[name].clear()


def _to_dec(value):
    "SQLite returns NUMERIC as float"
    if isinstance(value, float):
        return Decimal(repr(value))
    return value or Decimal(0)
