# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from trytond.modules.saccos_loan.arrears import (
    AGEING_BUCKETS, KENYA_SASRA, PENALTY_FREQUENCIES, PENALTY_METHODS, Band,
    Tier, accrued_interest, ageing_bucket, arrears_rate, cap, classify,
    days_past_due, in_duplum_room, penalty_amount, penalty_periods,
    portfolio_at_risk, provision, release_amount, tier_penalties)

D = dt.date
CENT = Decimal('0.01')


def percent(ratio):
    "A ratio as a percentage with 2 decimals, as the reports show it"
    return (ratio * 100).quantize(CENT, ROUND_HALF_UP)


class SelectionTestCase(unittest.TestCase):
    "The keys the models store"

    def test_keys(self):
        self.assertEqual([k for k, _ in PENALTY_METHODS], ['none',
                'overdue_principal', 'overdue_total', 'flat_per_day',
                'tiers'])
        self.assertEqual([k for k, _ in PENALTY_FREQUENCIES],
            ['once', 'daily', 'weekly', 'monthly'])
        self.assertEqual([k for k, _ in AGEING_BUCKETS], ['current', '1_30',
                '31_60', '61_90', '91_180', '181_360', 'over_360'])


class DaysPastDueTestCase(unittest.TestCase):
    "calculations.md 4: days past due = business date - oldest due date"

    def test_days_past_due(self):
        """Due 31 January 2025: 0 on the due date and before, 1 on
        1 February, 28 + 1 = 29 on 1 March"""
        due = D(2025, 1, 31)
        self.assertEqual(days_past_due(D(2025, 1, 20), due), 0)
        self.assertEqual(days_past_due(due, due), 0)
        self.assertEqual(days_past_due(D(2025, 2, 1), due), 1)
        self.assertEqual(days_past_due(D(2025, 3, 1), due), 29)

    def test_nothing_unpaid(self):
        "No unpaid instalment: 0"
        self.assertEqual(days_past_due(D(2025, 3, 1), None), 0)

    def test_ageing_edges(self):
        "Each bucket at both of its edges"
        for days, key in [(0, 'current'), (1, '1_30'), (30, '1_30'),
                (31, '31_60'), (60, '31_60'), (61, '61_90'), (90, '61_90'),
                (91, '91_180'), (180, '91_180'), (181, '181_360'),
                (360, '181_360'), (361, 'over_360'), (5000, 'over_360')]:
            with self.subTest(days=days):
                self.assertEqual(ageing_bucket(days), key)


class PenaltyPeriodsTestCase(unittest.TestCase):
    """One instalment due 31 January 2025 with 3 grace days: late from
    1 February, penalised from 4 February (4 days late); the grace ends
    on D = 3 February, whose monthly anniversary is 3 March"""
    DUE = D(2025, 1, 31)

    def periods(self, as_of, frequency, grace=3, due=None):
        return penalty_periods(due or self.DUE, as_of, grace, frequency)

    def test_within_grace(self):
        "3 February: 3 days late, not beyond the 3 grace days: nothing"
        for frequency, _ in PENALTY_FREQUENCIES:
            with self.subTest(frequency=frequency):
                self.assertEqual(self.periods(D(2025, 2, 3), frequency), 0)
                self.assertEqual(self.periods(self.DUE, frequency), 0)
                self.assertEqual(self.periods(D(2025, 1, 1), frequency), 0)

    def test_first_day(self):
        "4 February: 4 days late, 1 beyond grace: one period each"
        for frequency, _ in PENALTY_FREQUENCIES:
            with self.subTest(frequency=frequency):
                self.assertEqual(self.periods(D(2025, 2, 4), frequency), 1)

    def test_once(self):
        "Once stays 1 however late: 30 June is 150 days late"
        self.assertEqual(self.periods(D(2025, 6, 30), 'once'), 1)

    def test_daily(self):
        """10 February: 10 days late - 3 = 7; 3 March: 28 + 3 = 31 days
        late - 3 = 28"""
        self.assertEqual(self.periods(D(2025, 2, 10), 'daily'), 7)
        self.assertEqual(self.periods(D(2025, 3, 3), 'daily'), 28)

    def test_weekly(self):
        """A started week counts: 10 February is 7 days beyond grace
        (1 week), 11 February 8 days (2 weeks), 3 March 28 days
        (4 weeks), 4 March 29 days (5 weeks)"""
        self.assertEqual(self.periods(D(2025, 2, 10), 'weekly'), 1)
        self.assertEqual(self.periods(D(2025, 2, 11), 'weekly'), 2)
        self.assertEqual(self.periods(D(2025, 3, 3), 'weekly'), 4)
        self.assertEqual(self.periods(D(2025, 3, 4), 'weekly'), 5)

    def test_monthly(self):
        """Months after D = 3 February: the first is (3 Feb, 3 Mar], the
        second (3 Mar, 3 Apr]: 1 on 10 February and 3 March, 2 on 4 March
        and 3 April, 3 on 4 April"""
        self.assertEqual(self.periods(D(2025, 2, 10), 'monthly'), 1)
        self.assertEqual(self.periods(D(2025, 3, 3), 'monthly'), 1)
        self.assertEqual(self.periods(D(2025, 3, 4), 'monthly'), 2)
        self.assertEqual(self.periods(D(2025, 4, 3), 'monthly'), 2)
        self.assertEqual(self.periods(D(2025, 4, 4), 'monthly'), 3)

    def test_monthly_month_end(self):
        """No grace, D = 31 January 2025: anniversaries 28 February
        (clipped), 31 March (from the 31st again, not the 28th), 30 April.
        1 on 28 February, 2 on 1 March, 30 and 31 March, 3 on 1 April"""
        def monthly(as_of):
            return self.periods(as_of, 'monthly', grace=0)
        self.assertEqual(monthly(D(2025, 2, 1)), 1)
        self.assertEqual(monthly(D(2025, 2, 28)), 1)
        self.assertEqual(monthly(D(2025, 3, 1)), 2)
        self.assertEqual(monthly(D(2025, 3, 30)), 2)
        self.assertEqual(monthly(D(2025, 3, 31)), 2)
        self.assertEqual(monthly(D(2025, 4, 1)), 3)
        self.assertEqual(monthly(D(2025, 4, 30)), 3)
        self.assertEqual(monthly(D(2025, 5, 1)), 4)

    def test_monthly_leap_year(self):
        "Due 31 January 2024, no grace: anniversary 29 February 2024"
        due = D(2024, 1, 31)
        self.assertEqual(self.periods(D(2024, 2, 29), 'monthly', 0, due), 1)
        self.assertEqual(self.periods(D(2024, 3, 1), 'monthly', 0, due), 2)

    def test_monthly_new_year(self):
        """Due 15 December 2024 with 5 grace days, D = 20 December:
        anniversaries 20 January, 20 February, 20 March 2025; 21 March is
        in the fourth month"""
        due = D(2024, 12, 15)
        self.assertEqual(self.periods(D(2024, 12, 20), 'monthly', 5, due), 0)
        self.assertEqual(self.periods(D(2024, 12, 21), 'monthly', 5, due), 1)
        self.assertEqual(self.periods(D(2025, 1, 20), 'monthly', 5, due), 1)
        self.assertEqual(self.periods(D(2025, 1, 21), 'monthly', 5, due), 2)
        self.assertEqual(self.periods(D(2025, 3, 21), 'monthly', 5, due), 4)

    def test_no_grace(self):
        "Without grace the first day late is the first period"
        self.assertEqual(self.periods(D(2025, 2, 1), 'daily', grace=0), 1)
        self.assertEqual(self.periods(D(2025, 2, 1), 'weekly', grace=0), 1)
        self.assertEqual(self.periods(D(2025, 2, 8), 'weekly', grace=0), 2)

    def test_unknown(self):
        with self.assertRaises(ValueError):
            self.periods(D(2025, 3, 1), 'yearly')


class PenaltyAmountTestCase(unittest.TestCase):
    """calculations.md 1.6: flat loan 3,000 at 12% over 3 months: interest
    3,000 x 12% x 3/12 = 90, 30 an instalment; principal 1,000 an
    instalment"""
    PRINCIPAL = Decimal('1000.00')
    INTEREST = Decimal('30.00')

    def test_overdue_principal(self):
        "1.5% of 1,000 = 15.00"
        self.assertEqual(penalty_amount('overdue_principal', self.PRINCIPAL,
                self.INTEREST, rate=Decimal('1.5')), Decimal('15.00'))

    def test_overdue_total(self):
        "1.5% of 1,000 + 30 = 15.45"
        self.assertEqual(penalty_amount('overdue_total', self.PRINCIPAL,
                self.INTEREST, rate=Decimal('1.5')), Decimal('15.45'))

    def test_periods(self):
        "Three periods: 3 x 15.00 = 45.00 and 3 x 15.45 = 46.35"
        self.assertEqual(penalty_amount('overdue_principal', self.PRINCIPAL,
                self.INTEREST, rate=Decimal('1.5'), periods=3),
            Decimal('45.00'))
        self.assertEqual(penalty_amount('overdue_total', self.PRINCIPAL,
                self.INTEREST, rate=Decimal('1.5'), periods=3),
            Decimal('46.35'))

    def test_rounded_per_period(self):
        """1.5% of 1,000.30 = 15.0045, 15.00 a period, 45.00 for three
        (rounding the total, 45.0135, would give 45.01)"""
        self.assertEqual(penalty_amount('overdue_principal',
                Decimal('1000.30'), 0, rate=Decimal('1.5'), periods=3),
            Decimal('45.00'))

    def test_flat_per_day(self):
        """50 a day, due 31 January with 3 grace days, on 13 February:
        13 - 3 = 10 days, 500.00"""
        days = penalty_periods(D(2025, 1, 31), D(2025, 2, 13), 3, 'daily')
        self.assertEqual(days, 10)
        self.assertEqual(penalty_amount('flat_per_day', self.PRINCIPAL,
                self.INTEREST, amount=Decimal(50), periods=days),
            Decimal('500.00'))

    def test_nothing(self):
        "No penalty, or no period yet: 0"
        self.assertEqual(penalty_amount('none', self.PRINCIPAL,
                self.INTEREST), Decimal(0))
        self.assertEqual(penalty_amount('overdue_principal', self.PRINCIPAL,
                self.INTEREST, rate=Decimal('1.5'), periods=0), Decimal(0))

    def test_setting_errors(self):
        "A rate method without a rate, tiers, an unknown method"
        for method, kwargs in [('overdue_principal', {}),
                ('flat_per_day', {'rate': Decimal(1)}), ('tiers', {}),
                ('unknown', {})]:
            with self.subTest(method=method):
                with self.assertRaises(ValueError):
                    penalty_amount(method, self.PRINCIPAL, self.INTEREST,
                        **kwargs)


class TierTestCase(unittest.TestCase):
    """Tiers at 1 day 2%, 30 days 5%, 90 days flat 500, on the 1.6
    instalment (1,000 principal + 30 interest overdue):
    2% of 1,030 = 20.60, 5% of 1,030 = 51.50"""
    TIERS = [Tier(1, rate=Decimal(2)), Tier(30, rate=Decimal(5)),
        Tier(90, amount=Decimal(500))]

    def tiers(self, days, charged=()):
        return tier_penalties(self.TIERS, days, Decimal(1000), Decimal(30),
            charged, CENT, ROUND_HALF_UP)

    def test_45_days(self):
        "45 days late, tier 0 charged: only tier 1 is due now"
        self.assertEqual(self.tiers(45, [0]), [(1, Decimal('51.50'))])

    def test_nothing_charged(self):
        "45 days late, nothing charged yet: tiers 0 and 1"
        self.assertEqual(self.tiers(45),
            [(0, Decimal('20.60')), (1, Decimal('51.50'))])

    def test_edges(self):
        """Not late: nothing; 1 day: tier 0; 29 days with tier 0 charged:
        nothing; 30 days: tier 1; 90 days with 0 and 1 charged: the flat
        500.00"""
        self.assertEqual(self.tiers(0), [])
        self.assertEqual(self.tiers(1), [(0, Decimal('20.60'))])
        self.assertEqual(self.tiers(29, [0]), [])
        self.assertEqual(self.tiers(30, [0]), [(1, Decimal('51.50'))])
        self.assertEqual(self.tiers(90, {0, 1}), [(2, Decimal('500.00'))])
        self.assertEqual(self.tiers(400, [0, 1, 2]), [])

    def test_tier_without_value(self):
        with self.assertRaises(ValueError):
            tier_penalties([Tier(1)], 5, Decimal(1000), 0, [], CENT,
                ROUND_HALF_UP)


class InDuplumTestCase(unittest.TestCase):
    """A loan becomes non-performing with 100,000 principal outstanding,
    6,000 interest and 1,500 penalties unpaid: 100,000 - 7,500 = 92,500
    may still be charged.  80,000 charged since leaves 12,500; a month's
    interest of 10,000 fits (2,500 left), a penalty of 4,000 is cut to
    2,500 and nothing more can be charged"""
    CAP = Decimal(100000)
    INTEREST = Decimal(6000)
    PENALTIES = Decimal(1500)

    def test_room(self):
        self.assertEqual(in_duplum_room(self.CAP, self.INTEREST,
                self.PENALTIES), Decimal(92500))
        room = in_duplum_room(self.CAP, self.INTEREST, self.PENALTIES,
            Decimal(80000))
        self.assertEqual(room, Decimal(12500))
        interest = cap(Decimal(10000), room)
        self.assertEqual(interest, Decimal(10000))
        room = in_duplum_room(self.CAP, self.INTEREST, self.PENALTIES,
            Decimal(80000) + interest)
        self.assertEqual(room, Decimal(2500))
        penalty = cap(Decimal(4000), room)
        self.assertEqual(penalty, Decimal(2500))
        room = in_duplum_room(self.CAP, self.INTEREST, self.PENALTIES,
            Decimal(80000) + interest + penalty)
        self.assertEqual(room, Decimal(0))
        self.assertEqual(cap(Decimal(3000), room), Decimal(0))

    def test_never_negative(self):
        "Charged beyond the cap (before the rule was set): room 0, not -"
        self.assertEqual(in_duplum_room(self.CAP, self.INTEREST,
                self.PENALTIES, Decimal(95000)), Decimal(0))
        self.assertEqual(cap(Decimal(100), Decimal(-5)), Decimal(0))


class ClassificationTestCase(unittest.TestCase):
    """Kenya SASRA (calculations.md 4, regulation.md): Performing 0 days
    1%, Watch 1-30 5%, Substandard 31-180 25%, Doubtful 181-360 50%, Loss
    over 360 100%"""

    def test_edges(self):
        for days, name, rate in [(0, 'Performing', 1), (1, 'Watch', 5),
                (30, 'Watch', 5), (31, 'Substandard', 25),
                (180, 'Substandard', 25), (181, 'Doubtful', 50),
                (360, 'Doubtful', 50), (361, 'Loss', 100),
                (3000, 'Loss', 100)]:
            with self.subTest(days=days):
                band = classify(days, KENYA_SASRA)
                self.assertEqual(band.name, name)
                self.assertEqual(band.rate, Decimal(rate))

    def test_provisions(self):
        """The calculations.md 4 balances: 50,000 at 0 days x 1% = 500;
        30,000 at 12 x 5% = 1,500; 20,000 at 45 x 25% = 5,000; 10,000 at
        95 x 25% = 2,500; 5,000 at 400 x 100% = 5,000; total 14,500"""
        loans = [(50000, 0, '500.00'), (30000, 12, '1500.00'),
            (20000, 45, '5000.00'), (10000, 95, '2500.00'),
            (5000, 400, '5000.00')]
        total = Decimal(0)
        for balance, days, expected in loans:
            amount = provision(Decimal(balance), classify(days, KENYA_SASRA),
                CENT, ROUND_HALF_UP)
            self.assertEqual(amount, Decimal(expected))
            total += amount
        self.assertEqual(total, Decimal('14500.00'))

    def test_provision_rounded(self):
        "Watch 5% of 12,345.67 = 617.2835: 617.28"
        self.assertEqual(provision(Decimal('12345.67'),
                classify(10, KENYA_SASRA), CENT, ROUND_HALF_UP),
            Decimal('617.28'))

    def test_setting_errors(self):
        """A gap (no band for 1 day), an overlap (30 days in two bands) or
        a last band with an end are setting errors"""
        gap = [Band('A', 0, 0, Decimal(1)), Band('B', 2, None, Decimal(5))]
        overlap = [Band('A', 0, 30, Decimal(1)),
            Band('B', 30, None, Decimal(5))]
        bounded = KENYA_SASRA[:-1]
        for bands, days in [(gap, 1), (overlap, 30), (bounded, 361)]:
            with self.subTest(days=days):
                with self.assertRaises(ValueError):
                    classify(days, bands)


class PortfolioTestCase(unittest.TestCase):
    """calculations.md 4: balances 50,000 (0 dpd), 30,000 (12), 20,000
    (45), 10,000 (95), 5,000 (400); gross 115,000"""
    LOANS = [(Decimal(50000), 0), (Decimal(30000), 12), (Decimal(20000), 45),
        (Decimal(10000), 95), (Decimal(5000), 400)]

    def test_par(self):
        """PAR1 = 65,000 / 115,000 = 56.52%; PAR30 = 35,000 / 115,000 =
        30.43%; PAR90 = 15,000 / 115,000 = 13.04%"""
        self.assertEqual(percent(portfolio_at_risk(self.LOANS, 1)),
            Decimal('56.52'))
        self.assertEqual(percent(portfolio_at_risk(self.LOANS, 30)),
            Decimal('30.43'))
        self.assertEqual(percent(portfolio_at_risk(self.LOANS, 90)),
            Decimal('13.04'))

    def test_par_unrounded(self):
        "The ratio is returned unrounded: 15,000 / 115,000 = 3/23"
        self.assertEqual(portfolio_at_risk(self.LOANS, 90),
            Decimal(3) / Decimal(23))

    def test_par_strictly_over(self):
        "PAR12 does not count the loan exactly 12 days late: 35,000"
        self.assertEqual(portfolio_at_risk(self.LOANS, 12),
            Decimal(35000) / Decimal(115000))

    def test_par_empty(self):
        self.assertEqual(portfolio_at_risk([], 30), Decimal(0))
        self.assertEqual(portfolio_at_risk([(Decimal(0), 50)], 30),
            Decimal(0))

    def test_arrears_rate(self):
        """The arrears rate is another figure: 1,030 overdue on 3,090
        outstanding = 33.33%"""
        self.assertEqual(percent(arrears_rate(Decimal(1030),
                    Decimal(3090))), Decimal('33.33'))
        self.assertEqual(arrears_rate(Decimal(10), Decimal(0)), Decimal(0))


class ReleaseTestCase(unittest.TestCase):
    "calculations.md 1.7: release = principal repaid x guaranteed / loan"

    def test_rounded_down(self):
        """3,333.33 repaid of 10,000 with 5,000 guaranteed: 1,666.665,
        released 1,666.66 (half-up would release 1,666.67)"""
        self.assertEqual(release_amount(Decimal('3333.33'), Decimal(5000),
                Decimal(10000), CENT), Decimal('1666.66'))

    def test_full(self):
        """All 10,000 repaid: the 5,000 guaranteed; repaid beyond the
        principal releases no more; no principal: nothing"""
        self.assertEqual(release_amount(Decimal(10000), Decimal(5000),
                Decimal(10000), CENT), Decimal('5000.00'))
        self.assertEqual(release_amount(Decimal(12000), Decimal(5000),
                Decimal(10000), CENT), Decimal('5000.00'))
        self.assertEqual(release_amount(Decimal(100), Decimal(5000),
                Decimal(0), CENT), Decimal(0))


class AccruedInterestTestCase(unittest.TestCase):
    """Instalment interest 1,000.00 over (31 January, 28 February 2025],
    28 days: 1,000 / 28 = 35.714... a day"""
    START, END = D(2025, 1, 31), D(2025, 2, 28)
    INTEREST = Decimal('1000.00')

    def accrued(self, as_of):
        return accrued_interest(self.INTEREST, self.START, self.END, as_of,
            CENT, ROUND_HALF_UP)

    def test_before(self):
        "Before the period and on its start: 0"
        self.assertEqual(self.accrued(D(2025, 1, 10)), Decimal(0))
        self.assertEqual(self.accrued(self.START), Decimal(0))

    def test_linear(self):
        """1 day: 35.714 -> 35.71; 10 days: 357.142 -> 357.14; 14 days:
        500.00; 27 days: 964.285 -> 964.29"""
        self.assertEqual(self.accrued(D(2025, 2, 1)), Decimal('35.71'))
        self.assertEqual(self.accrued(D(2025, 2, 10)), Decimal('357.14'))
        self.assertEqual(self.accrued(D(2025, 2, 14)), Decimal('500.00'))
        self.assertEqual(self.accrued(D(2025, 2, 27)), Decimal('964.29'))

    def test_after(self):
        "From the period end on: the whole 1,000.00"
        self.assertEqual(self.accrued(self.END), self.INTEREST)
        self.assertEqual(self.accrued(D(2025, 3, 15)), self.INTEREST)

    def test_rounding(self):
        """0.10 over 4 days, 1 day: 0.025, half-up 0.03, half-even 0.02"""
        start, end = D(2025, 1, 1), D(2025, 1, 5)
        as_of = D(2025, 1, 2)
        self.assertEqual(accrued_interest(Decimal('0.10'), start, end,
                as_of, CENT, ROUND_HALF_UP), Decimal('0.03'))
        self.assertEqual(accrued_interest(Decimal('0.10'), start, end,
                as_of, CENT, ROUND_HALF_EVEN), Decimal('0.02'))
