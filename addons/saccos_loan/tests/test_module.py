# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class SaccosLoanTestCase(CompanyTestMixin, ModuleTestCase):
    "Test saccos_loan module"
    module = 'saccos_loan'
    extras = ['saccos_share']


del ModuleTestCase
