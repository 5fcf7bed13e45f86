# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.modules.saccos_member.exceptions import LedgerError
from trytond.modules.saccos_member.ledger import lock_together
from trytond.modules.saccos_member.kyc import (
    format_identifier, is_valid_identifier)
from trytond.modules.saccos_member.money import (
    allocate, amount_in_words, round_amount, rounder, to_decimal)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import TransactionError


class MoneyTestCase(unittest.TestCase):
    "Money helpers, against answers worked out by hand"

    def test_allocate_thirds(self):
        "100.00 in three equal parts: the first remainder gets the cent"
        self.assertEqual(
            allocate(Decimal('100.00'), [1, 1, 1]),
            [Decimal('33.34'), Decimal('33.33'), Decimal('33.33')])

    def test_allocate_dividend(self):
        """A dividend pool of 1,000,000.00 over shares of 3, 5 and 7
        (15 shares): exact parts 200,000, 333,333.333..., 466,666.666...;
        the spare cent goes to the largest remainder (the third)"""
        parts = allocate(Decimal('1000000.00'), [3, 5, 7])
        self.assertEqual(parts, [
                Decimal('200000.00'), Decimal('333333.33'),
                Decimal('466666.67')])
        self.assertEqual(sum(parts), Decimal('1000000.00'))

    def test_allocate_sums_exactly(self):
        "Whatever the weights, the parts add up to the total"
        weights = [Decimal(w) for w in ('0.7', '13', '2.9', '1', '1', '0')]
        for total in ['0.01', '0.05', '999.99', '12345.67', '-10.00']:
            with self.subTest(total=total):
                parts = allocate(Decimal(total), weights)
                self.assertEqual(sum(parts), Decimal(total))
                self.assertEqual(parts[-1], Decimal('0.00'))

    def test_allocate_refuses_bad_input(self):
        with self.assertRaises(ValueError):
            allocate(Decimal('10'), [0, 0])
        with self.assertRaises(ValueError):
            allocate(Decimal('10'), [1, -1])
        with self.assertRaises(ValueError):
            allocate(Decimal('10.001'), [1, 1])
        self.assertEqual(allocate(Decimal('10'), []), [])

    def test_round_half_even(self):
        self.assertEqual(round_amount(Decimal('2.675')), Decimal('2.68'))
        self.assertEqual(round_amount(Decimal('2.665')), Decimal('2.66'))

    def test_rounder(self):
        "The fast path rounds as the currency; other roundings go to it"
        class Currency:
            def __init__(self, rounding):
                self.rounding = Decimal(rounding)

            def round(self, amount, rounding=ROUND_HALF_EVEN):
                return (amount / self.rounding).quantize(
                    Decimal(1), rounding=rounding) * self.rounding

        cents, shillings, nickels = (
            rounder(Currency(r)) for r in ['0.01', '1', '0.05'])
        self.assertEqual(cents(Decimal('1.005')), Decimal('1.00'))
        self.assertEqual(
            cents(Decimal('1.005'), ROUND_HALF_UP), Decimal('1.01'))
        self.assertEqual(shillings(Decimal('2.5')), Decimal('2'))
        self.assertEqual(
            shillings(Decimal('2.5'), ROUND_HALF_UP), Decimal('3'))
        self.assertEqual(shillings(Decimal('2.5'), ROUND_DOWN), Decimal('2'))
        self.assertEqual(nickels(Decimal('1.07')), Decimal('1.05'))
        self.assertEqual(
            nickels(Decimal('1.075'), ROUND_HALF_UP), Decimal('1.10'))

    def test_to_decimal_of_sqlite_float(self):
        "A float sum read from SQLite becomes the Decimal it prints as"
        self.assertEqual(
            to_decimal(32466.590000000007), Decimal('32466.590000000007'))
        self.assertEqual(to_decimal(None), Decimal(0))

    def test_amount_in_words(self):
        self.assertEqual(
            amount_in_words(Decimal('12500.50')),
            "Twelve thousand, five hundred shillings and fifty cents only")


class IdentifierTestCase(unittest.TestCase):
    "Shapes of East African identifiers"

    def test_nida(self):
        self.assertTrue(is_valid_identifier('tz_nida', '19900101-12345-67890-12'))
        self.assertTrue(is_valid_identifier('tz_nida', '19900101123456789012'))
        self.assertFalse(is_valid_identifier('tz_nida', '1990010112345678901'))
        # 13th month
        self.assertFalse(is_valid_identifier('tz_nida', '19901301123456789012'))
        self.assertEqual(
            format_identifier('tz_nida', '19900101 12345 67890 12'),
            '19900101-12345-67890-12')

    def test_others(self):
        self.assertTrue(is_valid_identifier('tz_tin', '123-456-789'))
        self.assertEqual(format_identifier('tz_tin', '123456789'), '123-456-789')
        self.assertFalse(is_valid_identifier('tz_tin', '12345678'))
        self.assertTrue(is_valid_identifier('ke_id', '12345678'))
        self.assertFalse(is_valid_identifier('ke_id', '123456'))
        self.assertTrue(is_valid_identifier('passport', 'ab123456'))
        self.assertFalse(is_valid_identifier('passport', 'AB-12'))


class SaccosMemberTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Saccos Member module"
    module = 'saccos_member'

    def _ledger(self):
        pool = Pool()
        Account = pool.get('account.account')
        Journal = pool.get('account.journal')
        Party = pool.get('party.party')
        FiscalYear = pool.get('account.fiscalyear')
        company = create_company()
        set_company(company)
        create_chart(company)
        fiscalyear = get_fiscalyear(company)
        fiscalyear.save()
        FiscalYear.create_period([fiscalyear])
        revenue, = Account.search([
                ('type.revenue', '=', True), ('closed', '!=', True),
                ('party_required', '=', False),
                ], limit=1)
        receivable, = Account.search([
                ('type.receivable', '=', True), ('closed', '!=', True),
                ('party_required', '=', True),
                ], limit=1)
        journal, = Journal.search([('code', '=', 'REV')])
        party = Party(name="Member")
        party.save()
        return company, journal, receivable, revenue, party

    def _move(self, receivable, revenue, party, amount=Decimal('100.00'),
            **changes):
        debit = {
            'account': receivable, 'party': party,
            'debit': amount, 'credit': Decimal(0)}
        credit = {
            'account': revenue,
            'debit': Decimal(0), 'credit': Decimal('100.00')}
        debit.update(changes.get('debit_line', {}))
        credit.update(changes.get('credit_line', {}))
        return {
            'date': dt.date.today(), 'description': "Fee",
            'lines': [debit, credit]}

    @with_transaction()
    def test_lock_together(self):
        "Locks asked together restart the transaction once, with them all"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Sequence = pool.get('ir.sequence.strict')
        # Records this transaction did not create: those need a lock.
        langs = Lang.search([], limit=2)
        with self.assertRaises(TransactionError) as caught:
            lock_together(
                lambda: Lang.lock(langs), lambda: Sequence.lock(),
                lambda: None)
        extras = {}
        caught.exception.fix(extras)
        self.assertEqual(extras['_lock_tables'], [Sequence._table])
        self.assertEqual(
            sorted(extras['_lock_records'][Lang._table]),
            sorted(l.id for l in langs))
        self.assertEqual(len(langs), 2)

        # One lock alone raises Tryton's own error.
        with self.assertRaises(TransactionError) as caught:
            lock_together(lambda: Sequence.lock())
        extras = {}
        caught.exception.fix(extras)
        self.assertEqual(extras, {'_lock_tables': [Sequence._table]})

    @with_transaction()
    def test_bulk_post_moves(self):
        "Set-based moves are posted, numbered, balanced and read back"
        from trytond.modules.saccos_member.ledger import bulk_post_moves
        pool = Pool()
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        company, journal, receivable, revenue, party = self._ledger()
        with set_company(company):
            ids = bulk_post_moves(company, journal, [
                    self._move(receivable, revenue, party)
                    for _ in range(3)])
            moves = Move.browse(ids)
            self.assertEqual([m.state for m in moves], ['posted'] * 3)
            self.assertEqual(len({m.number for m in moves}), 3)
            self.assertTrue(all(m.number for m in moves))
            self.assertEqual(
                Account(receivable.id).balance, Decimal('300.00'))
            self.assertEqual(Account(revenue.id).balance, Decimal('-300.00'))
            self.assertEqual(
                [l.party for m in moves for l in m.lines
                    if l.account == receivable], [party] * 3)
            # ORM posting continues the same numbering
            next_ = Move(company=company, journal=journal,
                date=dt.date.today(),
                period=pool.get('account.period').find(company),
                lines=[pool.get('account.move.line')(**l)
                    for l in self._move(receivable, revenue, party)[
                        'lines']])
            next_.save()
            Move.post([next_])
            self.assertNotIn(next_.number, {m.number for m in moves})

    @with_transaction()
    def test_bulk_reconcile(self):
        "Charges paid in their own move are reconciled set-wise"
        from trytond.modules.saccos_member.ledger import (
            bulk_post_moves, bulk_reconcile)
        pool = Pool()
        Line = pool.get('account.move.line')
        Reconciliation = pool.get('account.move.reconciliation')
        company, journal, receivable, revenue, party = self._ledger()
        paid = self._move(receivable, revenue, party)
        paid['lines'] += [
            {'account': revenue, 'debit': Decimal('100.00'),
                'credit': Decimal(0)},
            {'account': receivable, 'party': party,
                'debit': Decimal(0), 'credit': Decimal('100.00')}]
        owed = self._move(receivable, revenue, party)
        with set_company(company):
            ids = bulk_post_moves(company, journal, [paid, paid])
            owed_id, = bulk_post_moves(company, journal, [owed])
            with self.assertRaises(LedgerError):
                bulk_reconcile(company, receivable, ids + [owed_id])
            reconciliations = Reconciliation.browse(
                bulk_reconcile(company, receivable, ids))
            self.assertEqual(len(reconciliations), 2)
            Reconciliation.check_lines(reconciliations)
            lines = Line.search([('account', '=', receivable.id)])
            self.assertEqual(
                sorted(bool(l.reconciliation) for l in lines),
                [False, True, True, True, True])
            self.assertEqual(len({r.number for r in reconciliations}), 2)
            with self.assertRaises(LedgerError):
                bulk_reconcile(company, receivable, ids)

    @with_transaction()
    def test_bulk_post_moves_invariants(self):
        "A wrong move refuses the whole batch and writes nothing"
        from trytond.modules.saccos_member.ledger import bulk_post_moves
        pool = Pool()
        Move = pool.get('account.move')
        company, journal, receivable, revenue, party = self._ledger()
        good = self._move(receivable, revenue, party)
        bad_moves = {
            'unbalanced': self._move(
                receivable, revenue, party, amount=Decimal('100.01')),
            'unrounded': self._move(
                receivable, revenue, party, amount=Decimal('100.001')),
            'party missing': self._move(
                receivable, revenue, party, debit_line={'party': None}),
            'party not allowed': self._move(
                receivable, revenue, party, credit_line={'party': party}),
            'negative': self._move(receivable, revenue, party,
                debit_line={'debit': Decimal('-100.00')},
                credit_line={'credit': Decimal('-100.00')}),
            'empty': dict(good, lines=[]),
            }
        with set_company(company):
            for label, bad in bad_moves.items():
                with self.subTest(label=label):
                    with self.assertRaises(LedgerError):
                        bulk_post_moves(company, journal, [good, bad])
                    self.assertEqual(Move.search([], count=True), 0)
            closed_date = dict(good, date=dt.date(1990, 1, 1))
            with self.assertRaises(Exception):
                bulk_post_moves(company, journal, [good, closed_date])
            self.assertEqual(Move.search([], count=True), 0)
            # The good move alone goes through
            bulk_post_moves(company, journal, [good])
            self.assertEqual(Move.search([], count=True), 1)


del ModuleTestCase
