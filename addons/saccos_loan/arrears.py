# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Arrears, penalties, classification and provisioning of loans, pure
Decimal (calculations.md sections 1.6, 1.7 and 4; regulation.md, Kenya).

These are the calculations behind the daily arrears job; the models
read the settings and the ledger and call them.  Amounts are Decimal and
never float; rates are percentages (1.5 for 1.5%).  Every function that
rounds takes the quantum (the currency's minor unit, 0.01 by default)
and the rounding of the product (half-up by default, calculations.md).

Days late
- days_past_due = as_of - due date of the oldest unpaid instalment
  (calculations.md 4): an instalment due on d is one day late on d + 1,
  and never less than 0 days late.

Penalty periods, for one overdue instalment and grace g days
- nothing while the instalment is g days late or fewer;
- 'once': one period as soon as it is more than g days late;
- 'daily': one period per day beyond the grace;
- 'weekly': the started weeks after the grace, ceil((late - g) / 7);
- 'monthly': the started calendar months after D = due date + g: the
  k-th period is (D + (k - 1) months, D + k months], so a new period
  starts the day after each monthly anniversary of D.  Anniversaries are
  counted from D itself and clipped to the end of a shorter month
  (D = 31 January: 28 February, then 31 March), the way monthly
  instalment dates are.  This is the weekly rule with months for weeks.
The number of periods is a count to date: the job charges the periods
not charged yet, so running it twice for one day charges nothing more.

Penalty amounts
- a per-period amount (overdue principal x rate, overdue principal and
  interest x rate, or the flat amount per day) is rounded once and then
  multiplied by the periods, so the total equals the sum of the charges
  the job posts one period at a time;
- tiers by days late: each tier is charged once, when the instalment is
  days_from days late (the grace of a tiered policy is its first tier's
  days_from); a tier is rate % of the overdue principal and interest on
  the day it is charged, or a flat amount.  Tiers are known by their
  index in the list the caller gives (its stored order), which is what
  the caller records as already charged.

In duplum (Kenya, Banking Act s. 44A, as regulation.md states it for
SACCOs): on a non-performing loan the interest and other charges that
may be recovered may not exceed the principal owing when the loan
became non-performing (cap_principal).  The reading taken here, the
stricter one: what counts against the cap is the interest and penalties
still unpaid on that day (the arrears carried into non-performance: the
section limits what is recovered on the loan, whenever the interest
arose) plus every interest and penalty charged since, paid or not.  A
payment does not make room again, since the cap is on what is
recovered, not on what is outstanding (the South African common-law
rule, under which interest runs again once arrears are paid down, is
not followed).
Recovery expenses are outside the cap and are not counted.  When the
loan performs again the caller stops applying the cap.

Classification (SASRA): bands of days past due with a provisioning
rate, configurable per jurisdiction; a day count no band covers, or
that two bands cover, is a setting error."""
import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Optional

__all__ = ['PENALTY_METHODS', 'PENALTY_FREQUENCIES', 'AGEING_BUCKETS',
    'days_past_due', 'ageing_bucket', 'penalty_periods', 'Tier',
    'penalty_amount', 'tier_penalties', 'in_duplum_room', 'cap', 'Band',
    'KENYA_SASRA', 'classify', 'provision', 'portfolio_at_risk',
    'arrears_rate', 'release_amount', 'accrued_interest']

CENT = Decimal('0.01')
HUNDRED = Decimal(100)

PENALTY_METHODS = [
    ('none', "No Penalty"),
    ('overdue_principal', "% of Overdue Principal"),
    ('overdue_total', "% of Overdue Principal and Interest"),
    ('flat_per_day', "Flat Amount per Day"),
    ('tiers', "Tiers by Days Late"),
    ]
PENALTY_FREQUENCIES = [
    ('once', "Once per Instalment"),
    ('daily', "Daily"),
    ('weekly', "Weekly"),
    ('monthly', "Monthly"),
    ]
AGEING_BUCKETS = [
    ('current', "Current"),
    ('1_30', "1-30 Days"),
    ('31_60', "31-60 Days"),
    ('61_90', "61-90 Days"),
    ('91_180', "91-180 Days"),
    ('181_360', "181-360 Days"),
    ('over_360', "Over 360 Days"),
    ]
# Upper bound (inclusive) of each bucket but the last
_BUCKET_ENDS = [(0, 'current'), (30, '1_30'), (60, '31_60'),
    (90, '61_90'), (180, '91_180'), (360, '181_360')]


def _round(amount, quantum, rounding):
    return Decimal(amount).quantize(quantum, rounding=rounding)


def days_past_due(as_of, oldest_unpaid_due_date):
    """Days the oldest unpaid instalment is late on as_of: 0 without one
    or when it is not yet past due"""
    if oldest_unpaid_due_date is None:
        return 0
    return max((as_of - oldest_unpaid_due_date).days, 0)


def ageing_bucket(days):
    "The AGEING_BUCKETS key of days past due"
    for end, key in _BUCKET_ENDS:
        if days <= end:
            return key
    return 'over_360'


def _add_months(date, months):
    "date + months, clipped to the last day of a shorter month"
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def _months_started(start, as_of):
    """Started months after start on as_of (> start): the k-th month is
    (start + (k - 1) months, start + k months]"""
    months = (as_of.year - start.year) * 12 + as_of.month - start.month
    # months is the most anniversaries that can have been reached
    anniversary = _add_months(start, months)
    if anniversary > as_of:
        months -= 1
        anniversary = _add_months(start, months)
    # On an anniversary the month it closes is still the current one
    return months if anniversary == as_of else months + 1


def penalty_periods(due_date, as_of, grace_days, frequency):
    "Penalty periods elapsed on as_of for one instalment due on due_date"
    late = days_past_due(as_of, due_date)
    beyond = late - (grace_days or 0)
    if beyond <= 0:
        return 0
    if frequency == 'once':
        return 1
    elif frequency == 'daily':
        return beyond
    elif frequency == 'weekly':
        # A started week counts
        return -(-beyond // 7)
    elif frequency == 'monthly':
        start = due_date + dt.timedelta(days=grace_days or 0)
        return _months_started(start, as_of)
    raise ValueError("Unknown penalty frequency %r" % frequency)


@dataclass(frozen=True)
class Tier:
    "A tier of a tiered penalty: rate % of the overdue, or a flat amount"
    days_from: int
    rate: Optional[Decimal] = None
    amount: Optional[Decimal] = None


def _required(value, name, method):
    if value is None:
        raise ValueError("Penalty %r needs a %s" % (method, name))
    return Decimal(value)


def penalty_amount(method, overdue_principal, overdue_interest, rate=None,
        amount=None, periods=1, quantum=CENT, rounding=ROUND_HALF_UP):
    """The penalty of one instalment over periods: the per-period amount,
    rounded, times periods ('flat_per_day' periods are days)"""
    zero = _round(0, quantum, rounding)
    if method == 'none' or periods <= 0:
        return zero
    if method == 'overdue_principal':
        base = max(Decimal(overdue_principal), 0)
        each = base * _required(rate, 'rate', method) / HUNDRED
    elif method == 'overdue_total':
        base = max(Decimal(overdue_principal) + Decimal(overdue_interest),
            0)
        each = base * _required(rate, 'rate', method) / HUNDRED
    elif method == 'flat_per_day':
        each = _required(amount, 'amount', method)
    elif method == 'tiers':
        raise ValueError("Tiered penalties are computed by tier_penalties")
    else:
        raise ValueError("Unknown penalty method %r" % method)
    # Rounded per period: each period is posted as its own charge
    return _round(each, quantum, rounding) * periods


def tier_penalties(tiers, days_late, overdue_principal, overdue_interest,
        already_charged_tiers=(), quantum=CENT, rounding=ROUND_HALF_UP):
    """[(tier index, amount)] of the tiers due at days_late and not in
    already_charged_tiers, in index order"""
    charged = set(already_charged_tiers or ())
    base = max(Decimal(overdue_principal) + Decimal(overdue_interest), 0)
    result = []
    for index, tier in enumerate(tiers):
        # A tier from 0 days would charge an instalment not yet late
        if index in charged or days_late < max(tier.days_from, 1):
            continue
        if (tier.rate is None) == (tier.amount is None):
            raise ValueError(
                "Penalty tier %d needs a rate or an amount" % index)
        if tier.rate is not None:
            value = base * Decimal(tier.rate) / HUNDRED
        else:
            value = Decimal(tier.amount)
        result.append((index, _round(value, quantum, rounding)))
    return result


def in_duplum_room(cap_principal, unpaid_interest, unpaid_penalties,
        charged_since=Decimal(0)):
    """Interest and penalties that may still be charged on a
    non-performing loan (never below 0).

    cap_principal: principal outstanding on the day the loan became
    non-performing; unpaid_interest, unpaid_penalties: interest and
    penalties due and unpaid on that day; charged_since: interest and
    penalties charged after that day, paid or not.  Room = cap_principal
    - unpaid_interest - unpaid_penalties - charged_since."""
    room = (Decimal(cap_principal) - Decimal(unpaid_interest)
        - Decimal(unpaid_penalties) - Decimal(charged_since))
    return max(room, Decimal(0))


def cap(amount, room):
    "The part of amount that fits in room (never below 0)"
    return min(Decimal(amount), max(Decimal(room), Decimal(0)))


@dataclass(frozen=True)
class Band:
    "A classification band: days_from..days_to past due (None: no end)"
    name: str
    days_from: int
    days_to: Optional[int]
    rate: Decimal


KENYA_SASRA = [
    Band('Performing', 0, 0, Decimal(1)),
    Band('Watch', 1, 30, Decimal(5)),
    Band('Substandard', 31, 180, Decimal(25)),
    Band('Doubtful', 181, 360, Decimal(50)),
    Band('Loss', 361, None, Decimal(100)),
    ]


def classify(days, bands):
    "The band covering days past due"
    found = [b for b in bands
        if b.days_from <= days and (b.days_to is None or days <= b.days_to)]
    if len(found) != 1:
        raise ValueError("%d bands cover %d days past due"
            % (len(found), days))
    return found[0]


def provision(outstanding, band, quantum=CENT, rounding=ROUND_HALF_UP):
    "The band's rate % of the outstanding balance, rounded"
    return _round(Decimal(outstanding) * Decimal(band.rate) / HUNDRED,
        quantum, rounding)


def portfolio_at_risk(loans, threshold):
    """PAR_threshold, a ratio: outstanding principal of the loans more
    than threshold days past due / gross outstanding principal"""
    total = at_risk = Decimal(0)
    for outstanding, days in loans:
        total += outstanding
        if days > threshold:
            at_risk += outstanding
    if not total:
        return Decimal(0)
    return at_risk / total


def arrears_rate(overdue_amount, outstanding):
    """The arrears rate, a ratio: overdue amount / outstanding (not
    PAR, which counts the whole balance of a loan at risk)"""
    if not outstanding:
        return Decimal(0)
    return Decimal(overdue_amount) / Decimal(outstanding)


def release_amount(principal_repaid, guaranteed_amount, loan_principal,
        quantum=CENT, rounding=ROUND_DOWN):
    """The lien released on a guarantor for principal_repaid: principal
    repaid x guaranteed / loan principal, rounded down so a lien is never
    released ahead of repayment (the rest is released at closure)"""
    if not loan_principal:
        return _round(0, quantum, rounding)
    repaid = min(max(Decimal(principal_repaid), 0), Decimal(loan_principal))
    return _round(repaid * Decimal(guaranteed_amount)
        / Decimal(loan_principal), quantum, rounding)


def accrued_interest(interest, period_start, period_end, as_of,
        quantum=CENT, rounding=ROUND_HALF_UP):
    """The interest of one instalment accrued on as_of, linear in days
    over (period_start, period_end]"""
    if as_of >= period_end:
        return Decimal(interest)
    if as_of <= period_start:
        return _round(0, quantum, rounding)
    days = (as_of - period_start).days
    return _round(Decimal(interest) * days
        / (period_end - period_start).days, quantum, rounding)
