# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.saccos_savings.dues import Schedule, due_dates
from trytond.modules.saccos_savings.interest import (
    balance_segments, compute_interest, period_end, period_ends,
    period_start)
from trytond.tests.test_tryton import ModuleTestCase

D = dt.date
CENT = Decimal('0.01')


def cents(amount):
    return amount.quantize(CENT)


class InterestTestCase(unittest.TestCase):
    "Interest against calculations.md section 2 and answers worked by hand"

    # 300,000 from 1 to 14 March, 200,000 from 15 to 19, 100,000 from 20
    # to 31: 14, 5 and 12 days.
    MARCH = [(D(2026, 3, 15), Decimal(-100000)),
        (D(2026, 3, 20), Decimal(-100000))]

    def test_daily_balance_reference(self):
        "10% on 300,000 x 14, 200,000 x 5, 100,000 x 12 days = 1,753.42"
        interest = compute_interest(
            'daily_balance', Decimal('0.10'), D(2026, 3, 1), D(2026, 3, 31),
            opening=Decimal(300000), movements=self.MARCH)
        # 0.10 x 6,400,000 / 365 = 1,753.4246...
        self.assertEqual(cents(interest), Decimal('1753.42'))
        self.assertEqual(interest.quantize(Decimal('1e-12')),
            (Decimal('0.10') * 6400000 / 365).quantize(Decimal('1e-12')))

    def test_daily_balance_360(self):
        "The same balances over a 360-day year: 640,000 / 360 = 1,777.78"
        interest = compute_interest(
            'daily_balance', Decimal('0.10'), D(2026, 3, 1), D(2026, 3, 31),
            opening=Decimal(300000), movements=self.MARCH, days_in_year=360)
        self.assertEqual(cents(interest), Decimal('1777.78'))

    def test_daily_compounding_reference(self):
        "1,000 at 10% for one day, daily compounding: 0.27397"
        interest = compute_interest(
            'daily_balance', Decimal('0.10'), D(2026, 1, 1), D(2026, 1, 1),
            opening=Decimal(1000), compounding='daily')
        self.assertEqual(
            interest.quantize(Decimal('0.00001')), Decimal('0.27397'))
        self.assertEqual(cents(interest), Decimal('0.27'))

    def test_daily_compounding_month(self):
        """1,000 for the 31 days of January, daily compounding:
        1,000 x ((1 + 0.1/365)^31 - 1) = 8.5288... (simple: 8.4932)"""
        interest = compute_interest(
            'daily_balance', Decimal('0.10'), D(2026, 1, 1), D(2026, 1, 31),
            opening=Decimal(1000), compounding='daily')
        self.assertEqual(cents(interest), Decimal('8.53'))

    def test_average_daily_balance(self):
        """ADB of March: 6,400,000 / 31 = 206,451.61...; at 10% over 31
        days the interest equals the daily balance method's 1,753.42"""
        interest = compute_interest(
            'average_daily_balance', Decimal('0.10'), D(2026, 3, 1),
            D(2026, 3, 31), opening=Decimal(300000), movements=self.MARCH)
        self.assertEqual(cents(interest), Decimal('1753.42'))

    def test_average_daily_balance_minimum(self):
        """Minimum balance for interest 250,000: the daily method still
        pays on the 14 days at 300,000 (0.1 x 4,200,000 / 365 = 1,150.68);
        the average method pays nothing (ADB 206,451.61 < 250,000)"""
        daily = compute_interest(
            'daily_balance', Decimal('0.10'), D(2026, 3, 1), D(2026, 3, 31),
            opening=Decimal(300000), movements=self.MARCH,
            minimum_balance=Decimal(250000))
        self.assertEqual(cents(daily), Decimal('1150.68'))
        average = compute_interest(
            'average_daily_balance', Decimal('0.10'), D(2026, 3, 1),
            D(2026, 3, 31), opening=Decimal(300000), movements=self.MARCH,
            minimum_balance=Decimal(250000))
        self.assertEqual(average, 0)

    def test_minimum_monthly_balance(self):
        """Lowest balance of March 100,000 at 12%: 100,000 x 0.12 / 12 =
        1,000.00; April untouched at 100,000 again 1,000.00"""
        interest = compute_interest(
            'minimum_monthly_balance', Decimal('0.12'), D(2026, 3, 1),
            D(2026, 4, 30), opening=Decimal(300000), movements=self.MARCH,
            opened=D(2026, 1, 1))
        self.assertEqual(interest, Decimal('2000.00'))

    def test_minimum_monthly_balance_opened_mid_month(self):
        "Opened on 10 March: March earns nothing, April 500 x 1% = 5.00"
        interest = compute_interest(
            'minimum_monthly_balance', Decimal('0.12'), D(2026, 3, 10),
            D(2026, 4, 30), movements=[(D(2026, 3, 10), Decimal(500))],
            opened=D(2026, 3, 10))
        self.assertEqual(interest, Decimal('5.00'))

    def test_minimum_monthly_balance_below_minimum(self):
        "A month whose lowest balance is under the minimum earns nothing"
        interest = compute_interest(
            'minimum_monthly_balance', Decimal('0.12'), D(2026, 3, 1),
            D(2026, 3, 31), opening=Decimal(300000), movements=self.MARCH,
            minimum_balance=Decimal(150000), opened=D(2026, 1, 1))
        self.assertEqual(interest, 0)

    def test_quarterly_posting_monthly_compounding(self):
        """100,000 at 12% for Q1 2026 (31 + 28 + 31 days), compounded
        monthly, posted quarterly:
        January  100,000 x 0.12 x 31/365 = 1,019.178082
        February 101,019.178082 x 0.12 x 28/365 = 929.929968
        March    101,949.108050 x 0.12 x 31/365 = 1,039.042964
        total 2,988.151015 -> 2,988.15 (simple interest: 2,958.90)"""
        interest = compute_interest(
            'daily_balance', Decimal('0.12'), D(2026, 1, 1), D(2026, 3, 31),
            opening=Decimal(100000), compounding='monthly')
        january = Decimal(100000) * Decimal('0.12') * 31 / 365
        february = (100000 + january) * Decimal('0.12') * 28 / 365
        march = (100000 + january + february) * Decimal('0.12') * 31 / 365
        self.assertEqual(interest.quantize(Decimal('1e-12')),
            (january + february + march).quantize(Decimal('1e-12')))
        self.assertEqual(cents(interest), Decimal('2988.15'))
        simple = compute_interest(
            'daily_balance', Decimal('0.12'), D(2026, 1, 1), D(2026, 3, 31),
            opening=Decimal(100000), compounding='quarterly')
        self.assertEqual(cents(simple), Decimal('2958.90'))

    def test_segments(self):
        "End-of-day balances: a same-day deposit earns from that day"
        self.assertEqual(balance_segments(
                Decimal(0), [(D(2026, 1, 5), Decimal(100)),
                    (D(2026, 1, 5), Decimal(50))],
                D(2026, 1, 1), D(2026, 1, 10)),
            [(D(2026, 1, 1), 4, Decimal(0)),
                (D(2026, 1, 5), 6, Decimal(150))])

    def test_periods(self):
        self.assertEqual(period_end(D(2026, 2, 10), 'quarterly'),
            D(2026, 3, 31))
        self.assertEqual(period_start(D(2026, 8, 10), 'semi_annual'),
            D(2026, 7, 1))
        self.assertEqual(period_ends(D(2026, 1, 15), D(2026, 4, 30),
                'monthly'),
            [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31),
                D(2026, 4, 30)])
        self.assertEqual(period_ends(D(2026, 1, 15), D(2026, 3, 30),
                'quarterly'), [])


class DuesTestCase(unittest.TestCase):
    "Deposits due, worked out by hand"

    def test_monthly_dates(self):
        self.assertEqual(due_dates(D(2026, 1, 20), D(2026, 3, 5), 'monthly'),
            [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)])

    def test_weekly_dates(self):
        self.assertEqual(due_dates(D(2026, 1, 1), D(2026, 1, 15), 'weekly'),
            [D(2026, 1, 7), D(2026, 1, 14), D(2026, 1, 21)])

    def test_mandatory_carry_over(self):
        """10,000 a month from January; 6,000 paid in January, nothing in
        February: on 10 March January lacks 4,000 and February 10,000;
        14,000 past due plus March's 10,000 = 24,000"""
        dates = due_dates(D(2026, 1, 1), D(2026, 3, 10), 'monthly')
        schedule = Schedule(dates, Decimal(10000),
            [(D(2026, 1, 20), Decimal(6000))], [], D(2026, 3, 10))
        self.assertEqual(schedule.missed, [
                (D(2026, 1, 31), Decimal(4000)),
                (D(2026, 2, 28), Decimal(10000))])
        self.assertEqual(schedule.past_due, Decimal(14000))
        self.assertEqual(schedule.next_date, D(2026, 3, 31))
        self.assertEqual(schedule.next_amount, Decimal(10000))
        self.assertEqual(schedule.total_due, Decimal(24000))

    def test_late_payment_pays_oldest(self):
        "A 15,000 deposit in February clears January and half of February"
        dates = due_dates(D(2026, 1, 1), D(2026, 3, 10), 'monthly')
        schedule = Schedule(dates, Decimal(10000),
            [(D(2026, 2, 20), Decimal(15000))], [], D(2026, 3, 10))
        self.assertEqual(schedule.missed, [(D(2026, 2, 28), Decimal(5000))])
        self.assertEqual(schedule.total_due, Decimal(15000))

    def test_voluntary_no_carry_over(self):
        """Voluntary: January's shortfall is not carried; what is due is
        this period's amount only"""
        dates = due_dates(D(2026, 1, 1), D(2026, 3, 10), 'monthly')
        schedule = Schedule(dates, Decimal(10000),
            [(D(2026, 1, 20), Decimal(6000))], [], D(2026, 3, 10),
            carry_over=False)
        self.assertEqual(schedule.past_due, Decimal(0))
        self.assertEqual(schedule.total_due, Decimal(10000))
        self.assertEqual(len(schedule.missed), 2)

    def test_waiver(self):
        "Waiving February's 10,000 leaves January's 4,000 past due"
        dates = due_dates(D(2026, 1, 1), D(2026, 3, 10), 'monthly')
        schedule = Schedule(dates, Decimal(10000),
            [(D(2026, 1, 20), Decimal(6000))],
            [(D(2026, 2, 28), Decimal(10000))], D(2026, 3, 10))
        self.assertEqual(schedule.past_due, Decimal(4000))


class SaccosSavingsTestCase(CompanyTestMixin, ModuleTestCase):
    "Test saccos_savings module"
    module = 'saccos_savings'


del ModuleTestCase
