# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Repayment schedules against calculations.md section 1.

The worked examples LA..LH and the 1.6 fee are copied from the
reference; the other figures are derived by hand in each docstring."""
import datetime as dt
import itertools
import unittest
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP
from decimal import Decimal

from trytond.modules.saccos_loan.schedule import (
    DAY_COUNTS, FEE_BASES, FREQUENCIES, INTEREST_BASES, INTEREST_METHODS,
    ROUNDINGS, Row, add_period, decimal_rounding, disbursement_fee,
    due_dates, instalment_fee, interest_for_days, periodic_rate,
    periods_per_year, schedule, total_interest)

D = dt.date
Dec = Decimal
CENT = Dec('0.01')
START = D(2024, 1, 1)
R12 = Dec('0.12')


def amounts(rows, name):
    return [getattr(r, name) for r in rows]


class WorkedExamplesTestCase(unittest.TestCase):
    "calculations.md 1.5, every figure as listed there"

    def test_la(self):
        """LA: 100,000 at 12%, 12 monthly, annuity, cents.
        i = 0.01; A = 100,000 x 0.01 / (1 - 1.01^-12) = 8,884.878... ->
        8,884.88"""
        rows = schedule(Dec(100000), R12, 12, START)
        self.assertEqual(len(rows), 12)
        self.assertEqual(rows[0].total, Dec('8884.88'))
        self.assertEqual(
            (rows[0].interest, rows[0].principal, rows[0].balance),
            (Dec('1000.00'), Dec('7884.88'), Dec('92115.12')))
        self.assertEqual(
            (rows[1].interest, rows[1].principal, rows[1].balance),
            (Dec('921.15'), Dec('7963.73'), Dec('84151.39')))
        self.assertEqual(rows[-1].interest, Dec('87.97'))
        self.assertEqual(rows[-1].total, Dec('8884.85'))
        self.assertEqual(rows[-1].balance, 0)
        self.assertEqual(total_interest(rows), Dec('6618.53'))

    def test_lb(self):
        "LB: 500,000 at 10%, 36 monthly: A = 16,133.59"
        rows = schedule(Dec(500000), Dec('0.10'), 36, START)
        self.assertEqual(rows[0].total, Dec('16133.59'))

    def test_lc_500000(self):
        "LC: 500,000 at 10%, 60 monthly: A = 10,623.52"
        rows = schedule(Dec(500000), Dec('0.10'), 60, START)
        self.assertEqual(rows[0].total, Dec('10623.52'))

    def test_lc_50000(self):
        "LC: 50,000 at 2%, 24 monthly: A = 2,127.01"
        rows = schedule(Dec(50000), Dec('0.02'), 24, START)
        self.assertEqual(rows[0].total, Dec('2127.01'))

    def test_lc_200000(self):
        "LC: 200,000 at 12%, 12 monthly: A = 17,769.76"
        rows = schedule(Dec(200000), R12, 12, START)
        self.assertEqual(rows[0].total, Dec('17769.76'))

    def test_ld(self):
        """LD: 5,000 at 12%, 18 monthly, annuity in multiples of 1.
        A = 5,000 x 0.01 / (1 - 1.01^-18) = 304.90... -> 305"""
        rows = schedule(Dec(5000), R12, 18, START, multiple=Dec(1))
        self.assertEqual(rows[0].total, Dec(305))
        self.assertEqual((rows[0].interest, rows[0].principal),
            (Dec('50.00'), Dec('255.00')))
        self.assertEqual((rows[1].interest, rows[1].principal),
            (Dec('47.45'), Dec('257.55')))
        self.assertEqual(rows[17].number, 18)
        self.assertEqual(
            (rows[17].interest, rows[17].principal, rows[17].total),
            (Dec('3.00'), Dec('300.22'), Dec('303.22')))
        self.assertEqual(total_interest(rows), Dec('488.22'))

    def test_le(self):
        """LE: 5,000 at 12%, 18 monthly, equal principal.
        5,000 / 18 = 277.777... -> 277.78; last 5,000 - 17 x 277.78 =
        277.74; total interest 5,000 x 0.01 x 19 / 2 = 475"""
        rows = schedule(Dec(5000), R12, 18, START,
            method='equal_principal')
        self.assertEqual(amounts(rows, 'principal'),
            [Dec('277.78')] * 17 + [Dec('277.74')])
        self.assertEqual(amounts(rows, 'interest')[:4],
            [Dec('50.00'), Dec('47.22'), Dec('44.44'), Dec('41.67')])
        self.assertEqual(rows[-1].interest, Dec('2.78'))
        self.assertEqual(total_interest(rows), Dec('475.00'))

    def test_lf(self):
        """LF: 5,000 at 12%, 18 monthly, flat, multiples of 1.
        Interest 5,000 x 12% x 1.5 years = 900, 50 a row; principal
        5,000 / 18 = 277.78 -> 278, last 5,000 - 17 x 278 = 274"""
        rows = schedule(Dec(5000), R12, 18, START, method='flat',
            multiple=Dec(1))
        self.assertEqual(amounts(rows, 'principal'),
            [Dec(278)] * 17 + [Dec(274)])
        self.assertEqual(amounts(rows, 'interest'), [Dec(50)] * 18)
        self.assertEqual(amounts(rows, 'total'),
            [Dec(328)] * 17 + [Dec(324)])
        self.assertEqual(total_interest(rows), Dec(900))

    def test_lg(self):
        "LG: 100 at 9.4822%, 6 monthly, 30/360, disbursed 2024-01-01"
        for basis in ['period', 'days']:
            with self.subTest(interest_basis=basis):
                rows = schedule(Dec(100), Dec('0.094822'), 6, START,
                    interest_basis=basis, day_count='30/360')
                self.assertEqual(rows[0].total, Dec('17.13'))
                self.assertEqual(amounts(rows, 'interest'), [
                        Dec('0.79'), Dec('0.66'), Dec('0.53'),
                        Dec('0.40'), Dec('0.27'), Dec('0.13')])
                self.assertEqual(amounts(rows, 'balance'), [
                        Dec('83.66'), Dec('67.19'), Dec('50.59'),
                        Dec('33.86'), Dec('17.00'), Dec(0)])

    def test_lh(self):
        """LH: 5,000 at 12%, 18 monthly, interest by days actual/365,
        disbursed 2022-11-01, instalment in multiples of 1 (305, as LD).
        Row 1: 5,000 x 0.12 x 30 / 365 = 49.315... -> 49.32, principal
        305 - 49.32 = 255.68, balance 4,744.32.
        Row 2: 4,744.32 x 0.12 x 31 / 365 = 48.353... -> 48.35"""
        rows = schedule(Dec(5000), R12, 18, D(2022, 11, 1),
            interest_basis='days', day_count='actual/365',
            multiple=Dec(1))
        self.assertEqual(rows[0].total, Dec(305))
        self.assertEqual((rows[0].days, rows[0].interest, rows[0].balance),
            (30, Dec('49.32'), Dec('4744.32')))
        self.assertEqual((rows[1].days, rows[1].interest),
            (31, Dec('48.35')))

    def test_fee_reference(self):
        """1.6: flat 3,000 at 12% over 3 months: 1,000 principal and
        3,000 x 12% / 12 = 30 interest a row; a 1.5% fee on principal and
        interest is 1,030 x 1.5% = 15.45 a row, 46.35 in all"""
        rows = schedule(Dec(3000), R12, 3, START, method='flat',
            instalment_fees=[('principal_interest', Dec('1.5'))])
        self.assertEqual(amounts(rows, 'fee'), [Dec('15.45')] * 3)
        self.assertEqual(sum(amounts(rows, 'fee')), Dec('46.35'))
        self.assertEqual(amounts(rows, 'total'), [Dec('1045.45')] * 3)


class FeeTestCase(unittest.TestCase):

    def test_instalment_fee(self):
        """1.6 on the same loan: 1.5% of principal 1,000 is 15.00, of
        principal + interest 1,030 is 15.45; a flat fee is itself"""
        self.assertEqual(instalment_fee('principal', Dec('1.5'),
                Dec(1000), Dec(30), 'half_up', CENT), Dec('15.00'))
        self.assertEqual(instalment_fee('principal_interest', Dec('1.5'),
                Dec(1000), Dec(30), 'half_up', CENT), Dec('15.45'))
        self.assertEqual(instalment_fee('flat', Dec(20),
                Dec(1000), Dec(30), 'half_up', CENT), Dec('20.00'))

    def test_fees_summed(self):
        """Two fees on the 1.6 loan: 15.45 + a flat 5 = 20.45 a row"""
        rows = schedule(Dec(3000), R12, 3, START, method='flat',
            instalment_fees=[('principal_interest', Dec('1.5')),
                ('flat', Dec(5))])
        self.assertEqual(amounts(rows, 'fee'), [Dec('20.45')] * 3)

    def test_disbursement_fee(self):
        """On LA (100,000, interest 6,618.53): 2% of principal 2,000.00;
        1% of 106,618.53 = 1,066.1853 -> 1,066.19 (half up), 1,066.18
        (down); a flat 500 is 500.00"""
        self.assertEqual(disbursement_fee('principal', Dec(2),
                Dec(100000), Dec('6618.53'), 'half_up', CENT),
            Dec('2000.00'))
        self.assertEqual(disbursement_fee('principal_interest', Dec(1),
                Dec(100000), Dec('6618.53'), 'half_up', CENT),
            Dec('1066.19'))
        self.assertEqual(disbursement_fee('principal_interest', Dec(1),
                Dec(100000), Dec('6618.53'), 'down', CENT),
            Dec('1066.18'))
        self.assertEqual(disbursement_fee('flat', Dec(500),
                Dec(100000), Dec('6618.53'), 'half_up', CENT),
            Dec('500.00'))


class DatesTestCase(unittest.TestCase):

    def test_month_end_clamped(self):
        """31 January + 1 month is 29 February 2024 (leap), + 2 months
        31 March: always counted from the original day"""
        self.assertEqual(add_period(D(2024, 1, 31), 'monthly', 1, 1),
            D(2024, 2, 29))
        self.assertEqual(add_period(D(2024, 1, 31), 'monthly', 1, 2),
            D(2024, 3, 31))
        self.assertEqual(add_period(D(2023, 1, 31), 'monthly', 1, 1),
            D(2023, 2, 28))
        self.assertEqual(due_dates(D(2024, 1, 31), 4), [D(2024, 2, 29),
                D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31)])

    def test_quarterly(self):
        """30 November 2023 + 3 months = 29 February 2024; + 12 months =
        30 November 2024; every 2 quarters: 31 May 2024"""
        self.assertEqual(add_period(D(2023, 11, 30), 'quarterly', 1, 1),
            D(2024, 2, 29))
        self.assertEqual(add_period(D(2023, 11, 30), 'quarterly', 1, 4),
            D(2024, 11, 30))
        self.assertEqual(add_period(D(2023, 11, 30), 'quarterly', 2, 1),
            D(2024, 5, 30))

    def test_weeks(self):
        """weekly is 7 x every days, fortnightly 14 x every: 3 periods of
        every 2 weeks from 1 January 2024 is 42 days later, 12 February"""
        self.assertEqual(add_period(START, 'weekly', 2, 3), D(2024, 2, 12))
        self.assertEqual(add_period(START, 'fortnightly', 1, 3),
            D(2024, 2, 12))
        self.assertEqual(due_dates(START, 3, 'weekly'),
            [D(2024, 1, 8), D(2024, 1, 15), D(2024, 1, 22)])
        self.assertEqual(due_dates(START, 2, 'fortnightly'),
            [D(2024, 1, 15), D(2024, 1, 29)])

    def test_first_due_date(self):
        """With a first due date on 29 February, the next ones are months
        after it: 29 March, 29 April"""
        self.assertEqual(
            due_dates(D(2024, 1, 15), 3, first_due_date=D(2024, 2, 29)),
            [D(2024, 2, 29), D(2024, 3, 29), D(2024, 4, 29)])

    def test_row_dates(self):
        """Row 1 starts on the disbursement date, the next ones on the
        previous due date; days are actual days"""
        rows = schedule(Dec(3000), R12, 3, D(2024, 1, 15),
            first_due_date=D(2024, 2, 29))
        self.assertEqual(amounts(rows, 'start_date'),
            [D(2024, 1, 15), D(2024, 2, 29), D(2024, 3, 29)])
        self.assertEqual(amounts(rows, 'due_date'),
            [D(2024, 2, 29), D(2024, 3, 29), D(2024, 4, 29)])
        self.assertEqual(amounts(rows, 'days'), [45, 29, 31])


class RateTestCase(unittest.TestCase):

    def test_periodic_rate(self):
        """12% monthly 0.01, every 2 months 0.02, quarterly 0.03;
        13% weekly 0.13 x 7 / 364 = 0.0025, fortnightly 0.13 x 14 / 364
        = 0.005; with actual/360 weekly 0.13 x 7 / 360"""
        self.assertEqual(periodic_rate(R12, 'monthly'), Dec('0.01'))
        self.assertEqual(periodic_rate(R12, 'monthly', 2), Dec('0.02'))
        self.assertEqual(periodic_rate(R12, 'quarterly'), Dec('0.03'))
        for day_count in ['30/360', 'actual/365', 'actual/actual']:
            self.assertEqual(
                periodic_rate(Dec('0.13'), 'weekly', 1, day_count),
                Dec('0.0025'))
            self.assertEqual(
                periodic_rate(Dec('0.13'), 'fortnightly', 1, day_count),
                Dec('0.005'))
        self.assertEqual(
            periodic_rate(Dec('0.13'), 'weekly', 1, 'actual/360'),
            Dec('0.13') * 7 / 360)
        self.assertEqual(
            periodic_rate(Dec('0.13'), 'fortnightly', 1, 'actual/360'),
            Dec('0.13') * 14 / 360)

    def test_periods_per_year(self):
        self.assertEqual(periods_per_year('monthly', 1), 12)
        self.assertEqual(periods_per_year('monthly', 3), 4)
        self.assertEqual(periods_per_year('quarterly', 1), 4)
        self.assertEqual(periods_per_year('weekly', 1), 52)
        self.assertEqual(periods_per_year('weekly', 2), 26)
        self.assertEqual(periods_per_year('fortnightly', 1), 26)

    def test_decimal_rounding(self):
        self.assertEqual(decimal_rounding('half_up'), ROUND_HALF_UP)
        self.assertEqual(decimal_rounding('half_even'), ROUND_HALF_EVEN)
        self.assertEqual(decimal_rounding('down'), ROUND_DOWN)
        self.assertEqual(decimal_rounding('up'), ROUND_UP)
        with self.assertRaises(ValueError):
            decimal_rounding('ceiling')

    def test_selections(self):
        "Every key is handled"
        for frequency, _ in FREQUENCIES:
            periodic_rate(R12, frequency)
        for day_count, _ in DAY_COUNTS:
            interest_for_days(Dec(100), R12, START, D(2024, 2, 1),
                day_count)
        for method, _ in INTEREST_METHODS:
            for basis, _ in INTEREST_BASES:
                schedule(Dec(100), R12, 2, START, method=method,
                    interest_basis=basis)
        for rounding, _ in ROUNDINGS:
            decimal_rounding(rounding)
        for basis, _ in FEE_BASES:
            instalment_fee(basis, Dec(1), Dec(100), Dec(1), 'half_up', CENT)


class DayCountTestCase(unittest.TestCase):
    "calculations.md 1.4 on 10,000 at 12% from 2023-12-15 to 2024-01-15"
    start, end = D(2023, 12, 15), D(2024, 1, 15)

    def test_actual_actual(self):
        """16 days in 2023 (16..31 December) over 365 and 15 days in 2024
        (1..15 January) over 366: 1,200 x (16/365 + 15/366) =
        1,200 x (0.0438356 + 0.0409836) = 101.783... -> 101.78"""
        interest = interest_for_days(Dec(10000), R12, self.start,
            self.end, 'actual/actual')
        self.assertEqual(interest,
            Dec(1200) * (Dec(16) / 365 + Dec(15) / 366))
        rows = schedule(Dec(10000), R12, 2, self.start,
            method='equal_principal', interest_basis='days',
            day_count='actual/actual')
        self.assertEqual(rows[0].days, 31)
        self.assertEqual(rows[0].interest, Dec('101.78'))
        # Row 2, 15 January - 15 February 2024: 5,000 x 0.12 x 31 / 366
        # = 50.819... -> 50.82
        self.assertEqual(rows[1].interest, Dec('50.82'))

    def test_actual_actual_whole_years(self):
        """A whole leap year and a whole common year are each R"""
        self.assertEqual(interest_for_days(Dec(100), R12, D(2023, 12, 31),
                D(2024, 12, 31), 'actual/actual'), Dec(12))
        self.assertEqual(interest_for_days(Dec(100), R12, D(2022, 12, 31),
                D(2024, 12, 31), 'actual/actual'), Dec(24))

    def test_actual_360(self):
        """31 days over 360: 1,200 x 31 / 360 = 103.333... -> 103.33"""
        rows = schedule(Dec(10000), R12, 2, self.start,
            method='equal_principal', interest_basis='days',
            day_count='actual/360')
        self.assertEqual(rows[0].interest, Dec('103.33'))
        # Row 2 on 5,000: 600 x 31 / 360 = 51.666... -> 51.67
        self.assertEqual(rows[1].interest, Dec('51.67'))

    def test_actual_365(self):
        "31 days over 365: 1,200 x 31 / 365 = 101.917... -> 101.92"
        interest = interest_for_days(Dec(10000), R12, self.start,
            self.end, 'actual/365')
        self.assertEqual(interest.quantize(CENT), Dec('101.92'))

    def test_30_360_month_ends(self):
        """30/360 US on a month-end schedule of 12,000 at 12%, equal
        principal 4,000, disbursed 31 January 2024:
        31 Jan - 29 Feb: the 31st counts as the 30th, 29 Feb stays:
        29 days, 12,000 x 0.12 x 29 / 360 = 116.00;
        29 Feb - 31 Mar: the last day of February counts as the 30th
        (month-end to month-end) and then the 31st too: 30 days,
        8,000 x 0.12 x 30 / 360 = 80.00;
        31 Mar - 30 Apr: 30 days, 4,000 x 0.12 x 30 / 360 = 40.00"""
        rows = schedule(Dec(12000), R12, 3, D(2024, 1, 31),
            method='equal_principal', interest_basis='days',
            day_count='30/360')
        self.assertEqual(amounts(rows, 'due_date'),
            [D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)])
        self.assertEqual(amounts(rows, 'interest'),
            [Dec('116.00'), Dec('80.00'), Dec('40.00')])

    def test_30_360_days(self):
        """30/360 on single periods of 100 at 36% (0.1 a day):
        28 Feb - 28 Mar 2023 is 30 days (3.00); 15 Dec - 15 Jan 30 days;
        30 Jan - 31 Mar 2024 60 days (6.00); 31 Jan - 28 Feb 2023 28 days"""
        rate = Dec('0.36')
        for start, end, interest in [
                (D(2023, 2, 28), D(2023, 3, 28), Dec(3)),
                (self.start, self.end, Dec(3)),
                (D(2024, 1, 30), D(2024, 3, 31), Dec(6)),
                (D(2023, 1, 31), D(2023, 2, 28), Dec('2.8')),
                ]:
            with self.subTest(start=start, end=end):
                self.assertEqual(interest_for_days(
                        Dec(100), rate, start, end, '30/360'), interest)


class GraceTestCase(unittest.TestCase):

    def test_principal_grace(self):
        """12,000 at 12%, 6 monthly, 2 rows of principal grace:
        rows 1-2: 12,000 x 0.01 = 120.00 interest only;
        A over 4 rows = 12,000 x 0.01 / (1 - 1.01^-4) = 3,075.373 ->
        3,075.37;
        row 3: interest 120.00, principal 2,955.37, balance 9,044.63;
        row 4: 9,044.63 x 0.01 = 90.4463 -> 90.45, principal 2,984.92,
        balance 6,059.71;
        row 5: 60.5971 -> 60.60, principal 3,014.77, balance 3,044.94;
        row 6: 30.4494 -> 30.45, principal 3,044.94, instalment 3,075.39;
        total interest 240 + 120 + 90.45 + 60.60 + 30.45 = 541.50"""
        rows = schedule(Dec(12000), R12, 6, START, principal_grace=2)
        self.assertEqual(amounts(rows, 'principal'), [Dec(0), Dec(0),
                Dec('2955.37'), Dec('2984.92'), Dec('3014.77'),
                Dec('3044.94')])
        self.assertEqual(amounts(rows, 'interest'), [Dec('120.00'),
                Dec('120.00'), Dec('120.00'), Dec('90.45'), Dec('60.60'),
                Dec('30.45')])
        self.assertEqual(amounts(rows, 'total'), [Dec('120.00')] * 2
            + [Dec('3075.37')] * 3 + [Dec('3075.39')])
        self.assertEqual(amounts(rows, 'balance'), [Dec(12000)] * 2 + [
                Dec('9044.63'), Dec('6059.71'), Dec('3044.94'), Dec(0)])
        self.assertEqual(total_interest(rows), Dec('541.50'))

    def test_principal_grace_equal_principal(self):
        """6,000 at 12%, 4 monthly, 1 row of grace, equal principal:
        60.00 interest only, then 2,000 a row with 60.00, 40.00, 20.00"""
        rows = schedule(Dec(6000), R12, 4, START,
            method='equal_principal', principal_grace=1)
        self.assertEqual(amounts(rows, 'principal'),
            [Dec(0)] + [Dec(2000)] * 3)
        self.assertEqual(amounts(rows, 'interest'),
            [Dec(60), Dec(60), Dec(40), Dec(20)])

    def test_principal_grace_flat(self):
        """6,000 flat at 12% over 4 months, 1 row of grace: interest
        6,000 x 12% x 4/12 = 240, 60 a row; principal 2,000 on rows 2-4"""
        rows = schedule(Dec(6000), R12, 4, START, method='flat',
            principal_grace=1)
        self.assertEqual(amounts(rows, 'principal'),
            [Dec(0)] + [Dec(2000)] * 3)
        self.assertEqual(amounts(rows, 'interest'), [Dec(60)] * 4)

    def test_interest_grace(self):
        """12,000 at 12%, 6 monthly, equal principal 2,000, 2 rows of
        interest grace: interest computed 120, 100, 80, 60, 40, 20; rows
        1-2 collect none and row 3 collects 120 + 100 + 80 = 300.
        Balances are unchanged and the total is still 420"""
        rows = schedule(Dec(12000), R12, 6, START,
            method='equal_principal', interest_grace=2)
        self.assertEqual(amounts(rows, 'interest'), [Dec(0), Dec(0),
                Dec(300), Dec(60), Dec(40), Dec(20)])
        self.assertEqual(amounts(rows, 'principal'), [Dec(2000)] * 6)
        self.assertEqual(amounts(rows, 'balance'), [Dec(10000),
                Dec(8000), Dec(6000), Dec(4000), Dec(2000), Dec(0)])
        self.assertEqual(total_interest(rows), Dec(420))

    def test_interest_grace_annuity(self):
        """12,000 at 12%, 6 monthly annuity, 2 rows of interest grace.
        A = 12,000 x 0.01 / (1 - 1.01^-6) = 2,070.58;
        row 1: interest 120.00 deferred, principal 1,950.58, balance
        10,049.42;
        row 2: 100.4942 -> 100.49 deferred, principal 1,970.09, balance
        8,079.33;
        row 3: 80.7933 -> 80.79 + 220.49 deferred = 301.28, principal
        1,989.79, instalment 2,291.07 (A + 220.49)"""
        rows = schedule(Dec(12000), R12, 6, START, interest_grace=2)
        self.assertEqual(amounts(rows, 'interest')[:3],
            [Dec(0), Dec(0), Dec('301.28')])
        self.assertEqual(amounts(rows, 'principal')[:3],
            [Dec('1950.58'), Dec('1970.09'), Dec('1989.79')])
        self.assertEqual(rows[2].total, Dec('2291.07'))
        self.assertEqual(amounts(rows, 'total')[3:5], [Dec('2070.58')] * 2)
        without = schedule(Dec(12000), R12, 6, START)
        self.assertEqual(amounts(rows, 'balance'),
            amounts(without, 'balance'))
        self.assertEqual(total_interest(rows), total_interest(without))

    def test_both_graces(self):
        """Principal and interest grace of 1 on the 6,000 equal
        principal loan: row 1 collects nothing, row 2 collects 2,000 and
        60 + 60 interest"""
        rows = schedule(Dec(6000), R12, 4, START,
            method='equal_principal', principal_grace=1, interest_grace=1)
        self.assertEqual(rows[0].total, 0)
        self.assertEqual((rows[1].principal, rows[1].interest),
            (Dec(2000), Dec(120)))


class FrequencyTestCase(unittest.TestCase):

    def test_weekly_equal_principal(self):
        """5,200 at 13% over 52 weeks, equal principal: i = 0.13 x 7 /
        364 = 0.0025, principal 100; interest 5,200 x 0.0025 = 13.00,
        5,100 x 0.0025 = 12.75 ... 100 x 0.0025 = 0.25; total
        5,200 x 0.0025 x 53 / 2 = 344.50"""
        rows = schedule(Dec(5200), Dec('0.13'), 52, START,
            frequency='weekly', method='equal_principal')
        self.assertEqual(amounts(rows, 'principal'), [Dec(100)] * 52)
        self.assertEqual(amounts(rows, 'interest')[:2],
            [Dec('13.00'), Dec('12.75')])
        self.assertEqual(rows[-1].interest, Dec('0.25'))
        self.assertEqual(total_interest(rows), Dec('344.50'))
        self.assertEqual(rows[-1].due_date, START + dt.timedelta(364))

    def test_fortnightly_equal_principal(self):
        """10,400 at 13% over 26 fortnights: i = 0.13 x 14 / 364 = 0.005,
        principal 400; interest 52.00, 50.00 ... 2.00; total
        10,400 x 0.005 x 27 / 2 = 702.00"""
        rows = schedule(Dec(10400), Dec('0.13'), 26, START,
            frequency='fortnightly', method='equal_principal')
        self.assertEqual(amounts(rows, 'principal'), [Dec(400)] * 26)
        self.assertEqual(amounts(rows, 'interest')[:2],
            [Dec('52.00'), Dec('50.00')])
        self.assertEqual(rows[-1].interest, Dec('2.00'))
        self.assertEqual(total_interest(rows), Dec('702.00'))
        self.assertEqual(amounts(rows, 'days'), [14] * 26)

    def test_weekly_annuity(self):
        """10,000 at 13% over 52 weeks: i = 0.0025, A = 10,000 x 0.0025
        / (1 - 1.0025^-52) = 205.32; row 1 interest 25.00, principal
        180.32; row 2 interest 9,819.68 x 0.0025 = 24.549 -> 24.55"""
        rows = schedule(Dec(10000), Dec('0.13'), 52, START,
            frequency='weekly')
        self.assertEqual(rows[0].total, Dec('205.32'))
        self.assertEqual((rows[0].interest, rows[0].principal),
            (Dec('25.00'), Dec('180.32')))
        self.assertEqual(rows[1].interest, Dec('24.55'))

    def test_fortnightly_annuity(self):
        """10,000 at 13% over 26 fortnights: i = 0.005, A = 10,000 x
        0.005 / (1 - 1.005^-26) = 411.12; row 1 interest 50.00"""
        rows = schedule(Dec(10000), Dec('0.13'), 26, START,
            frequency='fortnightly')
        self.assertEqual(rows[0].total, Dec('411.12'))
        self.assertEqual(rows[0].interest, Dec('50.00'))

    def test_weekly_actual_360(self):
        """With actual/360 a week is 7/360 of R: 36,000 at 10%, one row:
        36,000 x 0.10 x 7 / 360 = 70.00"""
        rows = schedule(Dec(36000), Dec('0.10'), 1, START,
            frequency='weekly', day_count='actual/360')
        self.assertEqual(rows[0].interest, Dec('70.00'))

    def test_flat_weekly(self):
        """Flat 5,200 at 13% over 26 weeks: 5,200 x 13% x 26/52 = 338,
        13.00 a row, principal 200"""
        rows = schedule(Dec(5200), Dec('0.13'), 26, START,
            frequency='weekly', method='flat')
        self.assertEqual(amounts(rows, 'interest'), [Dec(13)] * 26)
        self.assertEqual(amounts(rows, 'principal'), [Dec(200)] * 26)

    def test_quarterly(self):
        """12,000 at 12% over 4 quarters, equal principal: i = 0.03;
        interest 360, 270, 180, 90"""
        rows = schedule(Dec(12000), R12, 4, START, frequency='quarterly',
            method='equal_principal')
        self.assertEqual(amounts(rows, 'interest'),
            [Dec(360), Dec(270), Dec(180), Dec(90)])
        self.assertEqual(rows[-1].due_date, D(2025, 1, 1))


class RoundingTestCase(unittest.TestCase):

    def test_rate_zero(self):
        """1,000 at 0% over 3 months: 333.33, 333.33, 333.34 and no
        interest, whatever the method"""
        for method, _ in INTEREST_METHODS:
            with self.subTest(method=method):
                rows = schedule(Dec(1000), Dec(0), 3, START, method=method)
                self.assertEqual(amounts(rows, 'principal'),
                    [Dec('333.33'), Dec('333.33'), Dec('333.34')])
                self.assertEqual(amounts(rows, 'interest'), [Dec(0)] * 3)

    def test_half_even(self):
        """1,012.50 at 12% for one month: 10.125 interest is 10.13 half
        up (and up), 10.12 half even (2 is even) and down"""
        for rounding, interest in [('half_up', Dec('10.13')),
                ('half_even', Dec('10.12')), ('up', Dec('10.13')),
                ('down', Dec('10.12'))]:
            with self.subTest(rounding=rounding):
                rows = schedule(Dec('1012.50'), R12, 1, START,
                    rounding=rounding)
                self.assertEqual(rows[0].interest, interest)
                self.assertEqual(rows[0].principal, Dec('1012.50'))

    def test_half_even_odd(self):
        """1,013.50 at 12%: 10.135 is 10.14 both ways (4 is even)"""
        for rounding in ['half_up', 'half_even']:
            rows = schedule(Dec('1013.50'), R12, 1, START,
                rounding=rounding)
            self.assertEqual(rows[0].interest, Dec('10.14'))

    def test_whole_units(self):
        """A currency without minor units (quantum 1): LA's instalment
        8,884.878 is 8,885 and the interest 1,000, 921 (92,115 x 0.01 =
        921.15)"""
        rows = schedule(Dec(100000), R12, 12, START, quantum=Dec(1))
        self.assertEqual(rows[0].total, Dec(8885))
        self.assertEqual(rows[1].interest, Dec(921))

    def test_interest_above_instalment(self):
        """1,000 at 60%, 3 monthly by days actual/365, first due date
        335 days after disbursement: A = 1,000 x 0.05 / (1 - 1.05^-3) =
        367.21 but row 1's interest is 1,000 x 0.6 x 335 / 365 = 550.68:
        no principal that row, never a negative one.  Row 2 (31 days):
        1,000 x 0.6 x 31 / 365 = 50.96, principal 316.25; row 3 takes
        683.75"""
        rows = schedule(Dec(1000), Dec('0.60'), 3, START,
            first_due_date=D(2024, 12, 1), interest_basis='days',
            day_count='actual/365')
        self.assertEqual((rows[0].principal, rows[0].interest),
            (Dec(0), Dec('550.68')))
        self.assertEqual((rows[1].principal, rows[1].interest),
            (Dec('316.25'), Dec('50.96')))
        self.assertEqual(rows[2].principal, Dec('683.75'))

    def test_multiple_overshoot(self):
        """1,000 in 60 rows of equal principal in multiples of 1: 16.67
        rounds to 17, 58 x 17 = 986, row 59 only has 14 left and row 60
        nothing: never more than the balance"""
        rows = schedule(Dec(1000), R12, 60, START,
            method='equal_principal', multiple=Dec(1))
        self.assertEqual(rows[57].principal, Dec(17))
        self.assertEqual(rows[58].principal, Dec(14))
        self.assertEqual(rows[59].principal, Dec(0))
        self.assertEqual(rows[59].balance, 0)


class ValidationTestCase(unittest.TestCase):

    def test_invalid(self):
        for kwargs in [
                dict(principal=Dec(0)),
                dict(principal=Dec(-1)),
                dict(principal=Dec('100.001')),
                dict(term=0),
                dict(annual_rate=Dec('-0.01')),
                dict(annual_rate=0.12),
                dict(principal_grace=3),
                dict(interest_grace=3),
                dict(principal_grace=-1),
                dict(method='balloon'),
                dict(frequency='daily'),
                dict(every=0),
                dict(day_count='30E/360'),
                dict(interest_basis='hours'),
                dict(rounding='ceiling'),
                dict(multiple=Dec('0.005')),
                dict(multiple=Dec(0)),
                dict(first_due_date=START),
                dict(instalment_fees=[('other', Dec(1))]),
                ]:
            values = dict(principal=Dec(1000), annual_rate=R12, term=3,
                disbursement_date=START)
            values.update(kwargs)
            with self.subTest(**{k: str(v) for k, v in kwargs.items()}):
                with self.assertRaises(ValueError):
                    schedule(**values)

    def test_row(self):
        row = Row(number=1, start_date=START, due_date=D(2024, 2, 1),
            principal=Dec('10.00'), interest=Dec('1.00'), fee=Dec('0.50'),
            balance=Dec('90.00'))
        self.assertEqual(row.total, Dec('11.50'))
        self.assertEqual(row.days, 31)


class PropertyTestCase(unittest.TestCase):
    """For every method over principals 1,000..1,000,000, terms 1..60 and
    rates 0..36.5%, under a rotation of options (multiples, roundings,
    graces, frequencies, interest by days, whole units): the balance
    closes at exactly 0, principal sums to exactly P, no amount is
    negative, every amount is a multiple of the quantum, and balances
    follow the principal"""
    principals = [Dec(1000), Dec('12345.67'), Dec('99999.99'),
        Dec(250000), Dec(1000000)]
    rates = [Dec(0), Dec('0.05'), Dec('0.12'), Dec('0.365')]
    options = [
        {},
        dict(multiple=Dec(1)),
        dict(rounding='half_even'),
        dict(rounding='up', multiple=Dec('0.05')),
        dict(rounding='down', multiple=Dec(100)),
        dict(interest_basis='days', day_count='actual/365'),
        dict(interest_basis='days', day_count='actual/actual',
            frequency='fortnightly'),
        dict(interest_basis='days', day_count='30/360',
            first_due_date=D(2024, 3, 31)),
        dict(frequency='weekly', every=2, rounding='up'),
        dict(frequency='quarterly', day_count='actual/360'),
        dict(quantum=Dec(1)),
        dict(every=5, rounding='half_even', multiple=Dec(10)),
        dict(principal_grace=True),
        dict(interest_grace=True, principal_grace=True),
        dict(instalment_fees=[('principal_interest', Dec('1.5')),
                ('flat', Dec(10))]),
        ]

    def check(self, method):
        option = itertools.cycle(self.options)
        for principal, term, rate in itertools.product(
                self.principals, range(1, 61), self.rates):
            kwargs = dict(next(option))
            for grace in ['principal_grace', 'interest_grace']:
                if kwargs.get(grace):
                    kwargs[grace] = term // 3
            quantum = kwargs.get('quantum', CENT)
            principal = principal.quantize(quantum, rounding=ROUND_DOWN)
            with self.subTest(principal=principal, term=term, rate=rate,
                    **{k: str(v) for k, v in kwargs.items()}):
                rows = schedule(principal, rate, term, D(2024, 1, 31),
                    method=method, **kwargs)
                self.assertEqual(len(rows), term)
                self.assertEqual(rows[-1].balance, 0)
                self.assertEqual(sum(amounts(rows, 'principal')),
                    principal)
                balance = principal
                for row in rows:
                    balance -= row.principal
                    self.assertEqual(row.balance, balance)
                    for name in ['principal', 'interest', 'fee']:
                        amount = getattr(row, name)
                        self.assertGreaterEqual(amount, 0)
                        self.assertEqual(amount % quantum, 0)
                if method == 'flat':
                    # P x R x term / periods a year, divided last
                    flat = principal * rate * term * kwargs.get(
                        'every', 1) / periods_per_year(
                        kwargs.get('frequency', 'monthly'), 1)
                    self.assertEqual(total_interest(rows),
                        flat.quantize(quantum,
                            rounding=decimal_rounding(
                                kwargs.get('rounding', 'half_up'))))

    def test_annuity(self):
        self.check('annuity')

    def test_equal_principal(self):
        self.check('equal_principal')

    def test_flat(self):
        self.check('flat')
