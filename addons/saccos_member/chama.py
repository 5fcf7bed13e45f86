# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Groups (chama): a group member is a party of membership kind group
whose own members are parties too, each with a role.  The officials
(chair, secretary, treasurer) are one each at a time; signatories sign
for the group under its signing rule."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import PoolMeta
from trytond.pyson import Bool, Eval, If

from .exceptions import GroupMembershipError

GROUP_ROLES = [
    ('chair', "Chairperson"),
    ('secretary', "Secretary"),
    ('treasurer', "Treasurer"),
    ('member', "Member"),
    ]
OFFICIAL_ROLES = {'chair', 'secretary', 'treasurer'}


class GroupMembership(ModelSQL, ModelView):
    "Group Membership"
    __name__ = 'saccos.member.group.membership'
    group = fields.Many2One(
        'party.party', "Group", required=True, ondelete='CASCADE',
        domain=[
            ('is_member', '=', True),
            ('member_kind', '=', 'group'),
            ])
    member = fields.Many2One(
        'party.party', "Member", required=True, ondelete='RESTRICT',
        domain=[
            ('id', '!=', Eval('group', -1)),
            ])
    role = fields.Selection(GROUP_ROLES, "Role", required=True)
    signatory = fields.Boolean(
        "Signatory", help="Signs for the group under its signing rule.")
    start_date = fields.Date("Start Date")
    end_date = fields.Date(
        "End Date",
        domain=[
            If(Bool(Eval('start_date')) & Bool(Eval('end_date')),
                ('end_date', '>=', Eval('start_date')),
                ()),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('group')
        cls._order.insert(0, ('group', 'ASC'))

    @classmethod
    def default_role(cls):
        return 'member'

    def get_rec_name(self, name):
        return f'{self.member.rec_name} ({self.group.rec_name})'

    @classmethod
    def validate_fields(cls, memberships, field_names):
        super().validate_fields(memberships, field_names)
        cls.check_unique(memberships)

    @classmethod
    def check_unique(cls, memberships):
        """A person belongs once to a group and an office has one
        holder at a time"""
        for membership in memberships:
            if membership.end_date:
                continue
            current = [m for m in cls.search([
                        ('group', '=', membership.group.id),
                        ('id', '!=', membership.id),
                        ('end_date', '=', None),
                        ])]
            if any(m.member == membership.member for m in current):
                raise GroupMembershipError(gettext(
                        'saccos_member.msg_group_member_duplicate',
                        member=membership.member.rec_name,
                        group=membership.group.rec_name))
            if membership.role in OFFICIAL_ROLES and any(
                    m.role == membership.role for m in current):
                raise GroupMembershipError(gettext(
                        'saccos_member.msg_group_role_taken',
                        role=dict(GROUP_ROLES)[membership.role],
                        group=membership.group.rec_name))


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    group_members = fields.One2Many(
        'saccos.member.group.membership', 'group', "Group Members",
        states={
            'invisible': Eval('member_kind') != 'group',
            })
    group_memberships = fields.One2Many(
        'saccos.member.group.membership', 'member', "Groups",
        readonly=True,
        states={
            'invisible': ~Bool(Eval('is_member')),
            })

    @classmethod
    def _kyc_missing_particulars(cls, party):
        missing = super()._kyc_missing_particulars(party)
        if party.member_kind == 'group':
            current = [m for m in party.group_members if not m.end_date]
            roles = {m.role for m in current}
            for role in sorted(OFFICIAL_ROLES - roles):
                missing.append(dict(GROUP_ROLES)[role])
            if not any(m.signatory for m in current):
                missing.append(gettext(
                        'saccos_member.msg_kyc_missing_signatory'))
        return missing
