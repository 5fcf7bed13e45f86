# STUB
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import PoolMeta


class GroupMembership(ModelSQL, ModelView):
    __name__ = 'saccos.member.group.membership'
    group = fields.Many2One('party.party', "Group", required=True)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
