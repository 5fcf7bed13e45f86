# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import ROUND_HALF_UP, Decimal

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.saccos_dividend.calculation import (
    month_ends, share_days, share_months, weighted_balance)
from trytond.modules.saccos_member.money import allocate
from trytond.tests.test_tryton import ModuleTestCase

D = dt.date
START, END = D(2025, 1, 1), D(2025, 12, 31)
CENT = Decimal('0.01')


def monthly(amount, opening=None):
    "opening b/f on 31 December 2024, then amount on the 15th of each month"
    changes = [(D(2024, 12, 31), opening)] if opening else []
    return changes + [(D(2025, m, 15), amount) for m in range(1, 13)]


class WeightedTestCase(unittest.TestCase):
    "calculations.md section 3, the Kenyan monthly weighting"

    def test_rebate_reference(self):
        """Deposits 100,000 b/f and 5,000 a month at 12%, weighting
        12/12 ... 1/12: 100,000 + 5,000 x 78/12 = 132,500; x 12% = 15,900"""
        basis = weighted_balance(monthly(Decimal(5000), Decimal(100000)),
            START, END, 'first_month_full')
        self.assertEqual(basis, Decimal(132500))
        self.assertEqual(basis * Decimal('0.12'), Decimal(15900))

    def test_rebate_eleven(self):
        """The same deposits weighted 11/12 ... 0/12: 100,000 + 5,000 x
        66/12 = 127,500; x 12% = 15,300"""
        basis = weighted_balance(monthly(Decimal(5000), Decimal(100000)),
            START, END, 'first_month_eleven')
        self.assertEqual(basis, Decimal(127500))
        self.assertEqual(basis * Decimal('0.12'), Decimal(15300))

    def test_member_reference(self):
        """Shares 20,000 at 13% (2,600) and the rebate (15,900): 18,500
        gross, 925 tax at 5%, 17,575 net"""
        shares = weighted_balance(
            [(D(2024, 6, 1), Decimal(20000))], START, END)
        deposits = weighted_balance(
            monthly(Decimal(5000), Decimal(100000)), START, END)
        gross = (shares * Decimal('0.13')).quantize(CENT, ROUND_HALF_UP) + (
            deposits * Decimal('0.12')).quantize(CENT, ROUND_HALF_UP)
        tax = (gross * Decimal('0.05')).quantize(CENT, ROUND_HALF_UP)
        self.assertEqual(gross, Decimal('18500.00'))
        self.assertEqual(tax, Decimal('925.00'))
        self.assertEqual(gross - tax, Decimal('17575.00'))

    def test_withdrawal_weighted(self):
        """A 12,000 withdrawal in October (month 10) takes 12,000 x 3/12
        = 3,000 off the weighted balance of 50,000 b/f"""
        basis = weighted_balance([(D(2024, 3, 1), Decimal(50000)),
                (D(2025, 10, 20), Decimal(-12000))], START, END)
        self.assertEqual(basis, Decimal(47000))


class ShareDaysTestCase(unittest.TestCase):
    """Share-days worked by hand over 2025 (365 days):
    A holds 100 all year: 36,500; B buys 50 on 1 July (184 days): 9,200;
    C holds 80 and redeems 40 on 1 April: 80 x 90 + 40 x 275 = 18,200"""
    A = [(D(2024, 5, 2), 100)]
    B = [(D(2025, 7, 1), 50)]
    C = [(D(2024, 2, 1), 80), (D(2025, 4, 1), -40)]

    def test_share_days(self):
        self.assertEqual(share_days(self.A, START, END), 36500)
        self.assertEqual(share_days(self.B, START, END), 9200)
        self.assertEqual(share_days(self.C, START, END), 18200)

    def test_closed_in_period(self):
        "D holds 60 and redeems them all on 1 March: 60 x 59 = 3,540"
        self.assertEqual(share_days(
                [(D(2024, 1, 1), 60), (D(2025, 3, 1), -60)], START, END),
            3540)

    def test_later_changes_ignored(self):
        self.assertEqual(share_days(
                self.A + [(D(2026, 1, 5), 500)], START, END), 36500)

    def test_pool_split(self):
        """1,000,000.00 over 63,900 share-days: 571,205.0078...,
        143,974.9609..., 284,820.0312...; floors sum to 999,999.99 and the
        cent left goes to the largest remainder (A)"""
        bases = [share_days(h, START, END) for h in [self.A, self.B, self.C]]
        self.assertEqual(sum(bases), 63900)
        parts = allocate(Decimal('1000000.00'), bases)
        self.assertEqual(parts, [Decimal('571205.01'), Decimal('143974.96'),
                Decimal('284820.03')])
        self.assertEqual(sum(parts), Decimal('1000000.00'))

    def test_share_months(self):
        "Month-end balances: A 1,200; B 6 x 50 = 300; C 3 x 80 + 9 x 40 = 600"
        self.assertEqual(share_months(self.A, START, END), 1200)
        self.assertEqual(share_months(self.B, START, END), 300)
        self.assertEqual(share_months(self.C, START, END), 600)

    def test_month_ends(self):
        self.assertEqual(month_ends(D(2024, 1, 15), D(2024, 3, 3)),
            [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31)])


class SaccosDividendTestCase(CompanyTestMixin, ModuleTestCase):
    "Test saccos_dividend module"
    module = 'saccos_dividend'


del ModuleTestCase
