# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import unittest
from decimal import Decimal

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.saccos_share.product import charge_amount
from trytond.tests.test_tryton import ModuleTestCase


class _Currency:
    def round(self, amount, rounding=None):
        return amount.quantize(Decimal('0.01'), rounding=rounding)


class ChargeTestCase(unittest.TestCase):
    "Purchase and redeem charges"

    def test_fixed(self):
        self.assertEqual(charge_amount(
                'fixed', Decimal(500), Decimal(100000), _Currency()),
            Decimal(500))

    def test_percentage_half_up(self):
        "1.5% of 33,333.00 = 499.995 -> 500.00 (half up)"
        self.assertEqual(charge_amount(
                'percentage', Decimal('1.5'), Decimal('33333.00'),
                _Currency()), Decimal('500.00'))

    def test_none(self):
        self.assertEqual(charge_amount(
                None, Decimal(5), Decimal(100), _Currency()), Decimal(0))


class SaccosShareTestCase(CompanyTestMixin, ModuleTestCase):
    "Test saccos_share module"
    module = 'saccos_share'


del ModuleTestCase
