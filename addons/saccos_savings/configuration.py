# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Numbering of savings accounts and receipts, per company."
from trytond.model import ModelSQL, fields
from trytond.modules.company.model import CompanyValueMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, Id

SEQUENCES = {
    'savings_account_sequence': 'sequence_savings_account',
    'savings_receipt_sequence': 'sequence_savings_receipt',
    }


def _sequence(string, type_id, help, company=None):
    kwargs = {'help': help} if help else {}
    return fields.Many2One(
        'ir.sequence.strict', string, required=True,
        domain=[
            ('company', 'in',
                [company if company is not None
                else Eval('context', {}).get('company', -1), None]),
            ('sequence_type', '=', Id('saccos_savings', type_id)),
            ],
        **kwargs)


class Configuration(metaclass=PoolMeta):
    __name__ = 'saccos.configuration'
    # Strict sequences: account numbers are printed on passbooks and
    # receipts are audited for gaps; neither may skip a number when a
    # transaction is rolled back.
    savings_account_sequence = fields.MultiValue(_sequence(
            "Savings Account Sequence", 'sequence_type_savings_account',
            "Numbers savings accounts when they are approved."))
    savings_receipt_sequence = fields.MultiValue(_sequence(
            "Savings Receipt Sequence", 'sequence_type_savings_receipt',
            "Numbers the receipts of deposits, withdrawals and "
            "transfers."))

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in SEQUENCES:
            return pool.get('saccos.configuration.savings_sequence')
        return super().multivalue_model(field)

    @classmethod
    def default_savings_account_sequence(cls, **pattern):
        return cls.multivalue_model(
            'savings_account_sequence').default_savings_account_sequence()

    @classmethod
    def default_savings_receipt_sequence(cls, **pattern):
        return cls.multivalue_model(
            'savings_receipt_sequence').default_savings_receipt_sequence()


def _default(fs_id):
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    try:
        return ModelData.get_id('saccos_savings', fs_id)
    except KeyError:
        return None


class ConfigurationSavingsSequence(ModelSQL, CompanyValueMixin):
    "SACCO Configuration Savings Sequence"
    __name__ = 'saccos.configuration.savings_sequence'
    savings_account_sequence = _sequence(
        "Savings Account Sequence", 'sequence_type_savings_account', None,
        company=Eval('company', -1))
    savings_receipt_sequence = _sequence(
        "Savings Receipt Sequence", 'sequence_type_savings_receipt', None,
        company=Eval('company', -1))

    @classmethod
    def default_savings_account_sequence(cls):
        return _default(SEQUENCES['savings_account_sequence'])

    @classmethod
    def default_savings_receipt_sequence(cls):
        return _default(SEQUENCES['savings_receipt_sequence'])


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'saccos.savings.interest.run', 'saccos.savings.transaction']
