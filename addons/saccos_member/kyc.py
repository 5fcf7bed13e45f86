# STUB: owned by the KYC helper
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import PoolMeta


class DocumentType(ModelSQL, ModelView):
    __name__ = 'saccos.kyc.document.type'
    name = fields.Char("Name", required=True)


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'


class Identifier(metaclass=PoolMeta):
    __name__ = 'party.identifier'


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
