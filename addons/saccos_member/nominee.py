# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Next of kin and nominees: who receives a member's savings, shares and
dividends at death, in what proportion.  The allocations of a member
total 100%; the check runs once the whole list is saved with the member
form, so a teller can move shares between nominees."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields, sequence_ordered
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .exceptions import NomineeError

RELATIONSHIPS = [
    ('spouse', "Spouse"),
    ('child', "Child"),
    ('parent', "Parent"),
    ('sibling', "Brother or Sister"),
    ('relative', "Other Relative"),
    ('other', "Other"),
    ]

_DEFERRED = '_saccos_nominees_checked_by_member'


class Nominee(sequence_ordered(), ModelSQL, ModelView):
    "Member Nominee"
    __name__ = 'saccos.member.nominee'
    member = fields.Many2One(
        'party.party', "Member", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    party = fields.Many2One(
        'party.party', "Party", ondelete='RESTRICT',
        help="The nominee's own party record, when there is one.")
    relationship = fields.Selection(
        RELATIONSHIPS, "Relationship", required=True)
    percentage = fields.Numeric(
        "Allocation (%)", digits=(5, 2), required=True,
        domain=[
            ('percentage', '>=', 0),
            ('percentage', '<=', 100),
            ],
        help="Share of the member's benefits the nominee receives.")
    next_of_kin = fields.Boolean(
        "Next of Kin", help="Contact this person in an emergency.")
    phone = fields.Char("Phone")
    identifier = fields.Char("ID Number")
    birth_date = fields.Date("Date of Birth")
    guardian = fields.Char(
        "Guardian",
        states={
            'invisible': ~Bool(Eval('birth_date')),
            },
        help="Who receives on behalf of a nominee who is a minor.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('member')

    @classmethod
    def default_percentage(cls):
        return Decimal(0)

    @fields.depends('party', 'name')
    def on_change_party(self):
        if self.party and not self.name:
            self.name = self.party.name

    @classmethod
    def create(cls, vlist):
        nominees = super().create(vlist)
        cls._check_members({n.member for n in nominees})
        return nominees

    @classmethod
    def write(cls, *args):
        members = {n.member for n in sum(args[::2], [])}
        super().write(*args)
        members |= {n.member for n in sum(args[::2], [])}
        cls._check_members(members)

    @classmethod
    def delete(cls, nominees):
        members = {n.member for n in nominees}
        super().delete(nominees)
        cls._check_members(members)

    @classmethod
    def _check_members(cls, members):
        # Saved with the member form, the member's own validation checks
        # the complete list once.
        if Transaction().context.get(_DEFERRED):
            return
        Party = Pool().get('party.party')
        Party.check_nominee_allocation(Party.browse([m.id for m in members]))


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    member_nominees = fields.One2Many(
        'saccos.member.nominee', 'member', "Nominees",
        states={
            'invisible': ~Bool(Eval('is_member')),
            })
    nominee_allocation = fields.Function(fields.Numeric(
            "Allocated (%)", digits=(5, 2),
            states={
                'invisible': ~Bool(Eval('is_member')),
                }),
        'on_change_with_nominee_allocation')

    @fields.depends('member_nominees')
    def on_change_with_nominee_allocation(self, name=None):
        return sum((n.percentage or Decimal(0)
                for n in self.member_nominees or []), Decimal(0))

    @classmethod
    def create(cls, vlist):
        with Transaction().set_context(**{_DEFERRED: True}):
            return super().create(vlist)

    @classmethod
    def write(cls, *args):
        with Transaction().set_context(**{_DEFERRED: True}):
            super().write(*args)

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        if 'member_nominees' in field_names:
            cls.check_nominee_allocation(parties)

    @classmethod
    def check_nominee_allocation(cls, parties):
        "The allocations of a member with nominees total exactly 100%"
        for party in parties:
            if not party.member_nominees:
                continue
            total = sum(
                (n.percentage for n in party.member_nominees), Decimal(0))
            if total != 100:
                raise NomineeError(gettext(
                        'saccos_member.msg_nominee_allocation',
                        party=party.rec_name, total=total))

    @classmethod
    def _kyc_missing_particulars(cls, party):
        missing = super()._kyc_missing_particulars(party)
        if party.member_kind == 'individual' and not party.member_nominees:
            missing.append(gettext('saccos_member.msg_kyc_missing_nominee'))
        return missing
