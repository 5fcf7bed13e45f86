# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan repayment schedules, pure Decimal (calculations.md section 1).

Amounts, rates and fees are Decimal (int is accepted), never float: a
float rate such as 0.12 is not 12% in binary and would make a schedule
that cannot be checked to the cent.

Conventions:

- annual_rate is a fraction (Decimal('0.12') for 12%) and a fee value
  given as a percentage is a percentage (Decimal('1.5') for 1.5%).
- Periodic rate i (section 1.1): monthly R * every / 12, quarterly
  R * 3 * every / 12; weekly and fortnightly count a 52-week (364-day)
  year, R * 7 * every / 364 and R * 14 * every / 364, except with the
  actual/360 day count, where they are R * 7 * every / 360 (resp. 14).
- Rounding: quantum is the currency's minor unit and every interest,
  principal and fee figure is rounded to it with the product's rounding
  (half-up by default; Fineract uses half-even).  With "instalments in
  multiples of" (multiple), the annuity instalment (annuity) or the
  principal per row (equal principal, flat) is rounded to the multiple
  instead.  Rounding happens per row (only the flat total interest is
  rounded as a whole), so the rows are what the member pays and the
  totals are their sums.
- The last row takes the remaining balance as principal: the schedule
  closes at exactly 0 and the principal sums to exactly P whatever the
  rounding.  Because rounding (or a multiple) can also make the rows
  before it too large, a row's principal is capped at the balance still
  outstanding, and it is never negative: when the interest of a row is
  more than the annuity instalment (daily interest on a long period),
  the row carries no principal and its instalment is its interest.
- Interest by period: interest_t = rnd(B_{t-1} * i).  Interest by days:
  interest_t = rnd(interest on B_{t-1} for the days of the row with the
  day count); the annuity instalment is still computed with i.  The
  days run from the previous due date (the disbursement date for row 1)
  exclusive to the due date inclusive.  30/360 is the US (SIA) count,
  whose end-of-month rule for February applies when both dates are
  month ends; actual/actual splits a row at each 1 January.
- Flat rate: total interest = rnd(P * R * term / periods_per_year),
  spread over all the rows as rnd(unrounded total / term) each, the last
  row taking the remainder (no row takes more than is left).
  It does not depend on the dates, so interest_basis and day_count do
  not apply to it.
- Principal grace g: the first g rows are interest only; the method
  runs over the n - g remaining rows (the annuity over n - g rows).
- Interest grace g: the interest of the first g rows is computed as
  usual but not collected in those rows (their interest is 0); the
  deferred interest is added to row g + 1's interest, without interest
  on it (it is not capitalised).  Principal and balances are those of
  the schedule without the grace, so row g + 1's instalment is larger by
  the deferred interest.
- Fees per instalment are computed on the row's principal and collected
  interest and summed into the row's fee."""
import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import (
    ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal)

FREQUENCIES = [
    ('weekly', "Weekly"),
    ('fortnightly', "Fortnightly"),
    ('monthly', "Monthly"),
    ('quarterly', "Quarterly"),
    ]
INTEREST_METHODS = [
    ('annuity', "Reducing Balance, Equal Instalments"),
    ('equal_principal', "Reducing Balance, Equal Principal"),
    ('flat', "Flat Rate"),
    ]
INTEREST_BASES = [
    ('period', "By Period"),
    ('days', "By Days"),
    ]
DAY_COUNTS = [
    ('30/360', "30/360"),
    ('actual/365', "Actual/365"),
    ('actual/360', "Actual/360"),
    ('actual/actual', "Actual/Actual"),
    ]
ROUNDINGS = [
    ('half_up', "Half Up"),
    ('half_even', "Half Even"),
    ('down', "Down"),
    ('up', "Up"),
    ]
FEE_BASES = [
    ('flat', "Flat Amount"),
    ('principal', "% of Principal"),
    ('principal_interest', "% of Principal and Interest"),
    ]

_ROUNDINGS = {
    'half_up': ROUND_HALF_UP,
    'half_even': ROUND_HALF_EVEN,
    'down': ROUND_DOWN,
    'up': ROUND_UP,
    }
# Months in one period of the month-based frequencies.
_MONTHS = {'monthly': 1, 'quarterly': 3}
# Days in one period of the week-based frequencies.
_DAYS = {'weekly': 7, 'fortnightly': 14}
_ZERO = Decimal(0)


def _keys(selection):
    return {key for key, _ in selection}


def _check(value, selection, name):
    if value not in _keys(selection):
        raise ValueError("Unknown %s: %r." % (name, value))


def _decimal(value, name):
    # A float cannot hold 0.12 or 1,000.10 exactly: refuse it rather
    # than compute a schedule that is off by binary noise.
    if isinstance(value, float):
        raise ValueError("The %s must be a Decimal, not a float." % name)
    return Decimal(value)


def _every(every):
    if not isinstance(every, int) or every < 1:
        raise ValueError("The number of periods between instalments must "
            "be a whole number of at least 1.")
    return every


def decimal_rounding(rounding):
    "The decimal module's rounding constant for a ROUNDINGS key"
    _check(rounding, ROUNDINGS, 'rounding')
    return _ROUNDINGS[rounding]


def _round(amount, rounding, quantum):
    return amount.quantize(quantum, rounding=decimal_rounding(rounding))


def _round_multiple(amount, rounding, multiple, quantum):
    "amount rounded to a multiple of multiple, written with quantum"
    units = (amount / multiple).quantize(
        Decimal(1), rounding=decimal_rounding(rounding))
    return (units * multiple).quantize(quantum)


def add_period(date, frequency, every, count):
    """The date count periods of every frequency after date

    Monthly and quarterly keep date's day of month, clamped to the end
    of shorter months; they always count from date (not from the
    previous result) so that 31 January gives 29 February then 31 March,
    not 29 March."""
    _check(frequency, FREQUENCIES, 'frequency')
    every = _every(every)
    if frequency in _DAYS:
        return date + dt.timedelta(days=_DAYS[frequency] * every * count)
    months = date.month - 1 + _MONTHS[frequency] * every * count
    year, month = date.year + months // 12, months % 12 + 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def due_dates(disbursement_date, term, frequency='monthly', every=1,
        first_due_date=None):
    """The term due dates: one period after disbursement and every period
    after, or first_due_date and every period after it"""
    if term < 1:
        raise ValueError("The term must be at least one instalment.")
    if first_due_date is None:
        return [add_period(disbursement_date, frequency, every, k)
            for k in range(1, term + 1)]
    if first_due_date <= disbursement_date:
        raise ValueError(
            "The first due date must be after the disbursement date.")
    return [add_period(first_due_date, frequency, every, k)
        for k in range(term)]


def periods_per_year(frequency, every):
    "Decimal number of instalments in a year (52 weeks a year)"
    _check(frequency, FREQUENCIES, 'frequency')
    every = _every(every)
    return Decimal({
            'weekly': 52,
            'fortnightly': 26,
            'monthly': 12,
            'quarterly': 4,
            }[frequency]) / every


def periodic_rate(annual_rate, frequency, every=1, day_count='30/360'):
    "The unrounded rate of one period (see the module docstring)"
    _check(frequency, FREQUENCIES, 'frequency')
    _check(day_count, DAY_COUNTS, 'day count')
    every = _every(every)
    rate = _decimal(annual_rate, 'annual rate')
    if frequency in _MONTHS:
        return rate * _MONTHS[frequency] * every / 12
    # Weeks do not divide a year: 364 days make 52 of them exactly, so
    # 52 weekly instalments earn R.  Actual/360 products count a 360-day
    # year for everything, weeks included.
    year = 360 if day_count == 'actual/360' else 364
    return rate * _DAYS[frequency] * every / year


def _days_30_360(start, end):
    """Days between start and end by 30/360 US (SIA): a 31st counts as
    the 30th, the 31st of the end month only when the start is on the
    30th or 31st; the last day of February counts as the 30th at the
    start when the end is also a month end (a month-end schedule), and at
    the end too when both are the last day of February."""
    def month_end(date):
        return date.day == calendar.monthrange(date.year, date.month)[1]

    def february_end(date):
        return date.month == 2 and month_end(date)

    d1, d2 = start.day, end.day
    if february_end(start) and month_end(end):
        if february_end(end):
            d2 = 30
        d1 = 30
    if d2 == 31 and d1 >= 30:
        d2 = 30
    if d1 == 31:
        d1 = 30
    return (360 * (end.year - start.year) + 30 * (end.month - start.month)
        + d2 - d1)


def interest_for_days(balance, annual_rate, start, end, day_count):
    """Unrounded interest on balance from start (exclusive) to end
    (inclusive), (end - start).days days, counted with day_count"""
    _check(day_count, DAY_COUNTS, 'day count')
    balance = _decimal(balance, 'balance')
    rate = _decimal(annual_rate, 'annual rate')
    if end < start:
        raise ValueError("The end date is before the start date.")
    if day_count == '30/360':
        return balance * rate * _days_30_360(start, end) / 360
    if day_count == 'actual/365':
        return balance * rate * (end - start).days / 365
    if day_count == 'actual/360':
        return balance * rate * (end - start).days / 360
    # Actual/actual: each calendar year's days over that year's length;
    # the days after 31 December of a year are in the next one.
    fraction = _ZERO
    for year in range(start.year, end.year + 1):
        low = max(start, dt.date(year - 1, 12, 31))
        high = min(end, dt.date(year, 12, 31))
        length = 366 if calendar.isleap(year) else 365
        fraction += Decimal((high - low).days) / length
    return balance * rate * fraction


@dataclass
class Row:
    "One instalment; balance is the principal outstanding after it"
    number: int
    start_date: dt.date
    due_date: dt.date
    principal: Decimal
    interest: Decimal
    fee: Decimal
    balance: Decimal

    @property
    def total(self):
        return self.principal + self.interest + self.fee

    @property
    def days(self):
        return (self.due_date - self.start_date).days


def _fee(basis, value, principal, interest, rounding, quantum):
    _check(basis, FEE_BASES, 'fee basis')
    value = _decimal(value, 'fee value')
    if basis == 'flat':
        amount = value
    elif basis == 'principal':
        amount = principal * value / 100
    else:
        amount = (principal + interest) * value / 100
    return _round(amount, rounding, quantum)


def instalment_fee(basis, value, principal, interest, rounding, quantum):
    """The fee of one instalment: value (flat), or value percent of its
    principal or of its principal and interest, rounded to quantum"""
    return _fee(basis, value, principal, interest, rounding, quantum)


def disbursement_fee(basis, value, principal, total_interest, rounding,
        quantum):
    """The fee charged at disbursement: value (flat), or value percent of
    the loan principal or of the principal and its total interest"""
    return _fee(basis, value, principal, total_interest, rounding, quantum)


def total_interest(rows):
    return sum((row.interest for row in rows), _ZERO)


def schedule(principal, annual_rate, term, disbursement_date,
        frequency='monthly', every=1, method='annuity',
        interest_basis='period', day_count='30/360', first_due_date=None,
        principal_grace=0, interest_grace=0, rounding='half_up',
        quantum=Decimal('0.01'), multiple=None, instalment_fees=()):
    """The rows of the repayment schedule (see the module docstring)

    Raise ValueError on inputs that cannot make a schedule."""
    principal = _decimal(principal, 'principal')
    rate = _decimal(annual_rate, 'annual rate')
    quantum = _decimal(quantum, 'rounding quantum')
    _check(method, INTEREST_METHODS, 'interest method')
    _check(interest_basis, INTEREST_BASES, 'interest basis')
    _check(day_count, DAY_COUNTS, 'day count')
    _check(rounding, ROUNDINGS, 'rounding')
    if not isinstance(term, int) or term < 1:
        raise ValueError("The term must be at least one instalment.")
    if principal <= 0:
        raise ValueError("The principal must be positive.")
    if rate < 0:
        raise ValueError("The interest rate cannot be negative.")
    if quantum <= 0:
        raise ValueError("The rounding quantum must be positive.")
    if principal % quantum:
        raise ValueError("The principal has more decimals than the "
            "currency.")
    for grace in (principal_grace, interest_grace):
        if not isinstance(grace, int) or not 0 <= grace < term:
            raise ValueError("A grace period must be a whole number of "
                "instalments, at least 0 and less than the term.")
    if multiple is not None:
        multiple = _decimal(multiple, 'multiple')
        # A multiple that is not a whole number of minor units would
        # make amounts the currency cannot pay.
        if multiple <= 0 or multiple % quantum:
            raise ValueError("The instalment multiple must be a positive "
                "multiple of the currency's minor unit.")
    instalment_fees = list(instalment_fees)
    for basis, value in instalment_fees:
        _check(basis, FEE_BASES, 'fee basis')
        _decimal(value, 'fee value')

    dates = due_dates(disbursement_date, term, frequency, every,
        first_due_date)
    i = periodic_rate(rate, frequency, every, day_count)
    repaying = term - principal_grace

    def rnd(amount):
        return _round(amount, rounding, quantum)

    def rnd_multiple(amount):
        if multiple is None:
            return rnd(amount)
        return _round_multiple(amount, rounding, multiple, quantum)

    if method == 'annuity':
        if i:
            instalment = principal * i / (1 - (1 + i) ** -repaying)
        else:
            instalment = principal / repaying
        instalment = rnd_multiple(instalment)
    else:
        per_row = rnd_multiple(principal / repaying)
    if method == 'flat':
        # term / periods_per_year years, written to divide last: 12/7 or
        # 28/12 have no exact Decimal and a whole result must stay whole.
        flat_total = principal * rate * term * every / periods_per_year(
            frequency, 1)
        flat_interest = rnd(flat_total / term)
        # What the rows still have to collect; a row never takes more, so
        # that the last one is never negative on tiny amounts.
        flat_left = rnd(flat_total)

    # Written with the currency's decimals, like every other amount.
    zero = _ZERO.quantize(quantum)
    rows = []
    balance = principal
    deferred = zero
    start = disbursement_date
    for number, due in enumerate(dates, 1):
        last = number == term
        if method == 'flat':
            interest = flat_left if last else min(flat_interest, flat_left)
            flat_left -= interest
        elif interest_basis == 'days':
            interest = rnd(interest_for_days(
                    balance, rate, start, due, day_count))
        else:
            interest = rnd(balance * i)

        if number <= principal_grace:
            amount = zero
        elif last:
            amount = balance
        elif method == 'annuity':
            amount = max(instalment - interest, zero)
        else:
            amount = per_row
        amount = min(amount, balance)
        balance -= amount

        # The principal above used the interest of the row; with an
        # interest grace only its collection moves.
        if number <= interest_grace:
            deferred += interest
            interest = zero
        elif number == interest_grace + 1:
            interest += deferred

        fee = sum((instalment_fee(basis, value, amount, interest,
                    rounding, quantum)
                for basis, value in instalment_fees), zero)
        rows.append(Row(number=number, start_date=start, due_date=due,
                principal=amount, interest=interest, fee=fee,
                balance=balance))
        start = due
    return rows
