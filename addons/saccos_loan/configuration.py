# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loan settings per company: the loan number sequence, how many days
ahead due-date reminders are raised and which jurisdiction's
classification tables apply."""
from trytond.model import ModelSQL, fields
from trytond.modules.company.model import CompanyValueMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, Id

from .classification import JURISDICTIONS

LOAN_FIELDS = ['loan_sequence', 'loan_reminder_days', 'loan_jurisdiction']


def _sequence(company=None):
    return fields.Many2One(
        'ir.sequence.strict', "Loan Sequence", required=True,
        domain=[
            ('company', 'in',
                [company if company is not None
                else Eval('context', {}).get('company', -1), None]),
            ('sequence_type', '=', Id('saccos_loan', 'sequence_type_loan')),
            ],
        help="Numbers loans when they are submitted.")


class Configuration(metaclass=PoolMeta):
    __name__ = 'saccos.configuration'
    # Strict: loan numbers are on agreements and must not skip.
    loan_sequence = fields.MultiValue(_sequence())
    loan_reminder_days = fields.MultiValue(fields.Integer(
            "Reminder Days Before Due",
            domain=['OR', ('loan_reminder_days', '=', None),
                ('loan_reminder_days', '>=', 0)],
            help="The daily job raises a reminder this many days before an "
            "instalment falls due.  Empty: no reminders."))
    loan_jurisdiction = fields.MultiValue(fields.Selection(
            JURISDICTIONS, "Loan Classification Jurisdiction",
            help="Whose classification and provisioning tables apply."))

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in LOAN_FIELDS:
            return pool.get('saccos.configuration.loan')
        return super().multivalue_model(field)

    @classmethod
    def default_loan_sequence(cls, **pattern):
        return cls.multivalue_model('loan_sequence').default_loan_sequence()

    @classmethod
    def default_loan_reminder_days(cls, **pattern):
        return 3

    @classmethod
    def default_loan_jurisdiction(cls, **pattern):
        return 'KE'


class ConfigurationLoan(ModelSQL, CompanyValueMixin):
    "SACCO Configuration Loan"
    __name__ = 'saccos.configuration.loan'
    loan_sequence = _sequence(company=Eval('company', -1))
    loan_reminder_days = fields.Integer("Reminder Days Before Due")
    loan_jurisdiction = fields.Selection(
        JURISDICTIONS, "Loan Classification Jurisdiction")

    @classmethod
    def default_loan_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('saccos_loan', 'sequence_loan')
        except KeyError:
            return None

    @classmethod
    def default_loan_reminder_days(cls):
        return 3

    @classmethod
    def default_loan_jurisdiction(cls):
        return 'KE'


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'saccos.loan.arrears_run', 'saccos.loan.transaction']
