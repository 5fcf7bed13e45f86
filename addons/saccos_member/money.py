# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Money helpers shared by every saccos module.

Amounts are Decimal and rounded with the currency.  A total split into
parts (dividends, interest, allocations) is split by the largest
remainder method so the parts always sum exactly to the total, which
is what an auditor re-adding the parts expects."""
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

__all__ = ['round_amount', 'rounder', 'allocate', 'amount_in_words',
    'to_decimal']


def to_decimal(value):
    """Decimal of a value read by raw SQL: SQLite returns NUMERIC sums as
    float, which must not leak into money"""
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_amount(amount, currency=None, rounding=ROUND_HALF_EVEN):
    """Round amount with the currency (or to cents without one).
    Half-even is Tryton's own rounding; a product can ask for another."""
    amount = to_decimal(amount)
    if currency is not None:
        return currency.round(amount, rounding=rounding)
    return amount.quantize(Decimal('0.01'), rounding=rounding)


def rounder(currency):
    """A function rounding amounts as currency.round does, for loops over
    many amounts: for a rounding of 1, 0.01, 0.001... it quantizes without
    reading the currency for each amount."""
    quantum = _quantum(currency)
    if quantum.normalize().as_tuple().digits == (1,):
        def round_(amount, rounding=ROUND_HALF_EVEN):
            return amount.quantize(quantum, rounding=rounding)
    else:
        def round_(amount, rounding=ROUND_HALF_EVEN):
            return currency.round(amount, rounding=rounding)
    return round_


def _quantum(currency):
    if currency is None:
        return Decimal('0.01')
    return Decimal(str(currency.rounding))


def allocate(total, weights, currency=None):
    """Split total in proportion to weights into amounts rounded to the
    currency whose sum is exactly total.

    Each part is first rounded down; the units left over go one by one
    to the parts with the largest remainders (ties to the earliest).
    Weights are Decimal or int, non-negative, not all zero."""
    total = to_decimal(total)
    weights = [to_decimal(w) for w in weights]
    if not weights:
        return []
    if any(w < 0 for w in weights):
        raise ValueError("allocation weights must not be negative")
    weight_sum = sum(weights)
    if not weight_sum:
        raise ValueError("allocation weights must not all be zero")
    quantum = _quantum(currency)
    sign = -1 if total < 0 else 1
    total_units = (abs(total) / quantum).to_integral_value(ROUND_HALF_EVEN)
    if total_units * quantum != abs(total):
        raise ValueError("total %s is not a multiple of %s" % (
                total, quantum))
    exact = [total_units * w / weight_sum for w in weights]
    units = [e.to_integral_value(ROUND_DOWN) for e in exact]
    left = int(total_units - sum(units))
    order = sorted(
        range(len(weights)), key=lambda i: (-(exact[i] - units[i]), i))
    for i in order[:left]:
        units[i] += 1
    return [sign * u * quantum for u in units]


def amount_in_words(amount, currency_name="shillings", lang='en'):
    "Amount written out for receipts and cheques"
    from num2words import num2words
    amount = to_decimal(amount).quantize(Decimal('0.01'))
    whole = int(amount)
    cents = int((amount - whole) * 100)
    words = num2words(whole, lang=lang)
    text = f'{words} {currency_name}'
    if cents:
        text += ' and ' + num2words(cents, lang=lang) + ' cents'
    return text[0].upper() + text[1:] + ' only'
