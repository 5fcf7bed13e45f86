# STUB
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import PoolMeta


class Nominee(ModelSQL, ModelView):
    __name__ = 'saccos.member.nominee'
    member = fields.Many2One('party.party', "Member", required=True)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
