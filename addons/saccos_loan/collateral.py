# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Collateral pledged for a loan.

Each item keeps its kind, its value and when and by whom it was valued;
the title deed, logbook or valuation report are attached to it as
documents (Tryton's attachments, ir.attachment)."""
from trytond.model import ModelSQL, ModelView, fields

KINDS = [
    ('land', "Land Title"),
    ('vehicle', "Vehicle Logbook"),
    ('chattel', "Chattel / Household Goods"),
    ('equipment', "Equipment"),
    ('deposit', "Fixed Deposit"),
    ('salary', "Salary Assignment"),
    ('other', "Other"),
    ]


class Collateral(ModelSQL, ModelView):
    "Loan Collateral"
    __name__ = 'saccos.loan.collateral'

    loan = fields.Many2One(
        'saccos.loan', "Loan", required=True, ondelete='CASCADE')
    kind = fields.Selection(KINDS, "Kind", required=True)
    kind_string = kind.translated('kind')
    description = fields.Char("Description", required=True)
    reference = fields.Char(
        "Reference", help="Title number, registration plate, serial number.")
    value = fields.Numeric(
        "Value", digits=(16, 2), required=True, domain=[('value', '>=', 0)])
    valuation_date = fields.Date("Valuation Date", required=True)
    valuer = fields.Char("Valued By")
    forced_sale_value = fields.Numeric(
        "Forced Sale Value", digits=(16, 2),
        domain=['OR', ('forced_sale_value', '=', None),
            ('forced_sale_value', '>=', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('loan')
