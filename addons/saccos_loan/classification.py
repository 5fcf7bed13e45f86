# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan classification and provisioning tables.

Regulators set the bands (days past due) and the provision rate of each,
and change them over time: a table belongs to a jurisdiction and takes
effect on its start date; the daily job uses, for its date, the latest
table of the company's jurisdiction that has started.  The Kenya SASRA
table is shipped; the Tanzania profile ships with its bands and rates
for the SACCO to confirm."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pyson import Eval

from .arrears import Band, classify
from .exceptions import LoanError

JURISDICTIONS = [
    (None, ""),
    ('KE', "Kenya (SASRA)"),
    ('TZ', "Tanzania (TCDC)"),
    ('other', "Other"),
    ]


class Classification(ModelSQL, ModelView):
    "Loan Classification Table"
    __name__ = 'saccos.loan.classification'
    name = fields.Char("Name", required=True, translate=True)
    jurisdiction = fields.Selection(
        JURISDICTIONS, "Jurisdiction", required=True)
    start_date = fields.Date("Effective From", required=True)
    bands = fields.One2Many(
        'saccos.loan.classification.band', 'table', "Bands")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('jurisdiction', 'ASC'), ('start_date', 'DESC'),
            ('id', 'DESC')]

    @classmethod
    def effective(cls, jurisdiction, date):
        "The table in force on date"
        tables = cls.search([
                ('jurisdiction', '=', jurisdiction),
                ('start_date', '<=', date),
                ], order=[('start_date', 'DESC')], limit=1)
        if not tables:
            raise LoanError(gettext(
                    'saccos_loan.msg_no_classification',
                    jurisdiction=jurisdiction, date=date))
        return tables[0]

    def as_bands(self):
        "The bands as arrears.Band, checked for gaps and overlaps"
        bands = [Band(b.name, b.days_from, b.days_to, b.rate)
            for b in sorted(self.bands, key=lambda b: b.days_from)]
        try:
            for band in bands:
                classify(band.days_from, bands)
        except ValueError as error:
            raise LoanError(gettext(
                    'saccos_loan.msg_classification_invalid',
                    table=self.rec_name, error=str(error))) from error
        return bands

    @classmethod
    def validate_fields(cls, tables, field_names):
        super().validate_fields(tables, field_names)
        for table in tables:
            if table.bands:
                table.as_bands()


class ClassificationBand(ModelSQL, ModelView):
    "Loan Classification Band"
    __name__ = 'saccos.loan.classification.band'
    table = fields.Many2One(
        'saccos.loan.classification', "Table", required=True,
        ondelete='CASCADE')
    name = fields.Char("Class", required=True, translate=True)
    days_from = fields.Integer(
        "Days Past Due From", required=True, domain=[('days_from', '>=', 0)])
    days_to = fields.Integer(
        "Days Past Due To",
        domain=['OR', ('days_to', '=', None),
            ('days_to', '>=', Eval('days_from', 0))],
        help="Empty: no upper bound (the last band).")
    rate = fields.Numeric(
        "Provision Rate (%)", digits=(16, 2), required=True,
        domain=[('rate', '>=', 0), ('rate', '<=', 100)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('table')
        cls._order = [('days_from', 'ASC'), ('id', 'ASC')]
