# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Dividend bases of one holding, pure Decimal (calculations.md section 3).

A holding is a list of (date, change) in date order: shares for the
share-days bases, money for the weighted balances.  A change dated d
counts in the balance at the end of day d.

- share_days: the sum over the days of the period of the shares held at
  the end of each day (the average daily balance times the days);
- share_months: the sum over the months of the period of the shares held
  at the end of each month (the monthly-balances basis);
- weighted_balance: the Kenyan monthly weighting, opening balance plus
  each month's net contribution times its weight, where month m (1 for
  the first month of the period) weighs (N + 1 - m)/12 or (N - m)/12 for
  a period of N months, and the opening balance N/12."""
import calendar
import datetime as dt
from decimal import Decimal

WEIGHTINGS = [
    ('first_month_full', "First Month Full (12/12 ... 1/12)"),
    ('first_month_eleven', "First Month Eleven (11/12 ... 0/12)"),
    ]


def _balances(changes, start):
    "Opening balance before start, then the changes from start on"
    opening = 0
    later = []
    for date, change in changes:
        if date < start:
            opening += change
        else:
            later.append((date, change))
    return opening, later


def share_days(changes, start, end):
    """Sum over the days start..end (inclusive) of the end-of-day
    holding; a holding never counts below zero"""
    balance, later = _balances(changes, start)
    total = 0
    day = start
    for date, change in later:
        if date > end:
            break
        total += max(balance, 0) * (date - day).days
        day = date
        balance += change
    total += max(balance, 0) * ((end - day).days + 1)
    return total


def month_ends(start, end):
    "The last day of each month from start's month to end's"
    result = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        result.append(dt.date(year, month,
                calendar.monthrange(year, month)[1]))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return result


def share_months(changes, start, end):
    """Sum over the months of the period of the holding at month end (at
    end for the last month)"""
    ends = [min(e, end) for e in month_ends(start, end)]
    total = 0
    balance, index = 0, 0
    changes = list(changes)
    for month_end in ends:
        while index < len(changes) and changes[index][0] <= month_end:
            balance += changes[index][1]
            index += 1
        total += max(balance, 0)
    return total


def month_index(start, date):
    "1 for a date in start's month, 2 for the next month..."
    return (date.year - start.year) * 12 + date.month - start.month + 1


def weighted_balance(changes, start, end, weighting='first_month_full'):
    """Opening balance times N/12 plus each month's net change times its
    weight; Decimal"""
    months = month_index(start, end)
    shift = 1 if weighting == 'first_month_full' else 0
    opening, later = _balances(changes, start)
    total = Decimal(opening) * months / 12
    for date, change in later:
        if date > end:
            break
        m = month_index(start, date)
        total += Decimal(change) * (months + shift - m) / 12
    return total
