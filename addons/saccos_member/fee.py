# STUB: owned by the fee helper
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import PoolMeta
from trytond.wizard import StateView, Wizard


class Fee(ModelSQL, ModelView):
    __name__ = 'saccos.member.fee'
    member = fields.Many2One('party.party', "Member", required=True)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def charge_annual_subscriptions(cls, date=None):
        pass


class ChargeSubscriptionsStart(ModelView):
    __name__ = 'saccos.member.fee.charge_subscriptions.start'


class ChargeSubscriptions(Wizard):
    __name__ = 'saccos.member.fee.charge_subscriptions'


class PayFeeStart(ModelView):
    __name__ = 'saccos.member.fee.pay.start'


class PayFee(Wizard):
    __name__ = 'saccos.member.fee.pay'
