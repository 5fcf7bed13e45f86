# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Deposits due on a savings account.

A deposit falls due at the end of each period from the account's
activation: the last day of each month, every seventh day for weekly
deposits, every meeting for groups.  For mandatory products an unpaid
amount is carried to the next due date: deposits pay the oldest due
first.  For voluntary products each period stands alone and nothing is
carried over."""
import calendar
import datetime as dt
from decimal import Decimal

__all__ = ['due_dates', 'Schedule']


def due_dates(start, date, frequency, interval=None):
    """Due dates from start up to and including the first one on or
    after date"""
    dates = []
    if frequency == 'monthly':
        year, month = start.year, start.month
        while True:
            due = dt.date(year, month, calendar.monthrange(year, month)[1])
            dates.append(due)
            if due >= date:
                break
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        step = 7 if frequency == 'weekly' else (interval or 14)
        due = start + dt.timedelta(days=step - 1)
        while True:
            dates.append(due)
            if due >= date:
                break
            due += dt.timedelta(days=step)
    return dates


class Schedule:
    """Deposits due and paid as of a date.

    dates: due dates (ascending); amount: the deposit due at each;
    paid: (date, amount) deposits; waived: (due date, amount) waivers."""

    def __init__(self, dates, amount, paid, waived, date, carry_over=True):
        self.date = date
        self.carry_over = carry_over
        due = {d: amount for d in dates}
        for due_date, waived_amount in waived:
            if due_date in due:
                due[due_date] = max(due[due_date] - waived_amount, 0)
        self.due = due
        remaining = dict(due)
        if carry_over:
            # Oldest due first, whenever the money came in.
            credit = sum((a for _, a in paid), Decimal(0))
            for due_date in dates:
                used = min(credit, remaining[due_date])
                remaining[due_date] -= used
                credit -= used
            self.credit = credit
        else:
            previous = None
            for due_date in dates:
                credit = sum((a for d, a in paid
                        if (previous is None or d > previous)
                        and d <= due_date), Decimal(0))
                remaining[due_date] = max(remaining[due_date] - credit, 0)
                previous = due_date
            self.credit = Decimal(0)
        self.remaining = remaining
        self.missed = [(d, remaining[d]) for d in dates
            if d < date and remaining[d] > 0]
        upcoming = [d for d in dates if d >= date]
        self.next_date = upcoming[0] if upcoming else None
        self.next_amount = due.get(self.next_date, Decimal(0)) \
            if self.next_date else Decimal(0)

    @property
    def past_due(self):
        if not self.carry_over:
            return Decimal(0)
        return sum((a for _, a in self.missed), Decimal(0))

    @property
    def total_due(self):
        next_remaining = self.remaining.get(self.next_date, Decimal(0)) \
            if self.next_date else Decimal(0)
        return self.past_due + next_remaining

    def expected(self, start, end):
        "What fell due between start and end"
        return sum((a for d, a in self.due.items() if start <= d <= end),
            Decimal(0))

    def missed_between(self, start, end):
        return [(d, a) for d, a in self.missed if start <= d <= end]
