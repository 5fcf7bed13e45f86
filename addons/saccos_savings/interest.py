# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Savings interest, computed in Decimal from the account's movements.

The functions here know nothing of the database: the posting job, the
closure and the tests give them an opening balance and the dated
movements of a period and get back the unrounded interest, which the
caller rounds once with the product's rounding policy
(calculations.md section 2).

Balances are end-of-day balances: a deposit earns from the day it is
made, a withdrawal stops earning the day it is made."""
import calendar
import datetime as dt
from decimal import Decimal

__all__ = [
    'period_start', 'period_end', 'period_ends', 'balance_segments',
    'compute_interest']

PERIOD_MONTHS = {
    'monthly': 1,
    'quarterly': 3,
    'semi_annual': 6,
    'annual': 12,
    }


def _month_end(year, month):
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_start(date, period):
    "First day of the calendar period of date (periods follow the year)"
    months = PERIOD_MONTHS[period]
    month = (date.month - 1) // months * months + 1
    return dt.date(date.year, month, 1)


def period_end(date, period):
    "Last day of the calendar period of date"
    months = PERIOD_MONTHS[period]
    month = (date.month - 1) // months * months + months
    return _month_end(date.year, month)


def period_ends(start, end, period):
    "The ends of the periods that end inside [start, end], in order"
    result = []
    date = period_end(start, period)
    while date <= end:
        result.append(date)
        date = period_end(date + dt.timedelta(days=1), period)
    return result


def balance_segments(opening, movements, start, end):
    """[(first day, days, end-of-day balance)] covering start..end.

    movements are (date, signed amount) of the period in any order;
    opening is the balance at the end of the day before start."""
    by_date = {}
    for date, amount in movements:
        if start <= date <= end:
            by_date[date] = by_date.get(date, Decimal(0)) + amount
    segments = []
    balance = opening
    current = start
    for date in sorted(by_date):
        if date > current:
            segments.append((current, (date - current).days, balance))
            current = date
        balance += by_date[date]
    segments.append((current, (end - current).days + 1, balance))
    return [s for s in segments if s[1] > 0]


def _split(segments, boundaries):
    "Cut segments at the boundaries (last days of compounding periods)"
    result = []
    for first, days, balance in segments:
        last = first + dt.timedelta(days=days - 1)
        for boundary in boundaries:
            if first <= boundary < last:
                head = (boundary - first).days + 1
                result.append((first, head, balance))
                first = boundary + dt.timedelta(days=1)
                days -= head
        result.append((first, days, balance))
    return result


def _groups(segments, start, end, compounding):
    """Segments grouped by compounding period; one group when interest
    is compounded no more often than it is posted"""
    if compounding in PERIOD_MONTHS:
        boundaries = period_ends(start, end, compounding)
    else:
        boundaries = []
    segments = _split(segments, boundaries)
    groups = [[]]
    for segment in segments:
        groups[-1].append(segment)
        last = segment[0] + dt.timedelta(days=segment[1] - 1)
        if last in boundaries and last != end:
            groups.append([])
    return [g for g in groups if g]


def compute_interest(method, rate, start, end, opening=Decimal(0),
        movements=(), days_in_year=365, compounding='monthly',
        minimum_balance=None, opened=None):
    """Unrounded interest earned over start..end (both included).

    rate is the nominal annual rate as a fraction (0.10 for 10%);
    compounding is 'daily' or a period of PERIOD_MONTHS: interest of a
    finished compounding period earns interest for the rest of the
    posting period (C in calculations.md); opened is the activation date,
    which the minimum monthly balance method needs."""
    rate = Decimal(rate)
    year = Decimal(days_in_year)
    floor = Decimal(minimum_balance or 0)
    segments = balance_segments(opening, movements, start, end)
    if method == 'minimum_monthly_balance':
        return _minimum_monthly(rate, segments, start, end, floor, opened)
    compounded = Decimal(0)
    for group in _groups(segments, start, end, compounding):
        if method == 'daily_balance':
            earned = Decimal(0)
            for _, days, balance in group:
                if balance <= 0 or balance < floor:
                    continue
                base = balance + compounded + earned * (
                    compounding == 'daily')
                if compounding == 'daily':
                    earned += base * ((1 + rate / year) ** days - 1)
                else:
                    earned += base * rate * days / year
        elif method == 'average_daily_balance':
            days = sum(d for _, d, _ in group)
            average = sum(b * d for _, d, b in group) / days
            if average <= 0 or average < floor:
                earned = Decimal(0)
            elif compounding == 'daily':
                earned = (average + compounded) * (
                    (1 + rate / year) ** days - 1)
            else:
                earned = (average + compounded) * rate / year * days
        else:
            raise ValueError("unknown interest method %r" % method)
        compounded += earned
    return compounded


def _minimum_monthly(rate, segments, start, end, floor, opened):
    "Lowest end-of-day balance of each whole month times R / 12"
    total = Decimal(0)
    lowest = {}
    for first, days, balance in segments:
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            key = (day.year, day.month)
            lowest[key] = min(lowest.get(key, balance), balance)
    for (year, month), balance in sorted(lowest.items()):
        month_start = dt.date(year, month, 1)
        month_end = _month_end(year, month)
        # A month the account did not hold from its first to its last day
        # (opened or closed inside it) earns nothing.
        if (opened and opened > month_start) or month_start < start \
                or month_end > end:
            continue
        if balance <= 0 or balance < floor:
            continue
        total += balance * rate / 12
    return total
