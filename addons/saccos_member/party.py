# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Membership of a party: number, kind, dates and the status workflow."
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .exceptions import MemberStatusError

MEMBER_KINDS = [
    (None, ''),
    ('individual', "Individual"),
    ('group', "Group (Chama)"),
    ('company', "Company"),
    ]

MEMBER_STATES = [
    (None, ''),
    ('applicant', "Applicant"),
    ('active', "Active"),
    ('inactive', "Inactive"),
    ('suspended', "Suspended"),
    ('exited', "Exited"),
    ('deceased', "Deceased"),
    ('rejected', "Rejected"),
    ]

# A member leaves for good by exit, death or rejection: nothing reopens it.
CLOSED_STATES = {'exited', 'deceased', 'rejected'}

_member = Bool(Eval('is_member'))


class Party(Workflow, metaclass=PoolMeta):
    __name__ = 'party.party'
    _transition_state = 'member_state'

    is_member = fields.Boolean(
        "Member",
        states={
            'readonly': Bool(Eval('member_state'))
            & (Eval('member_state') != 'applicant'),
            },
        help="The party applied for membership of the SACCO.")
    member_number = fields.Char(
        "Member Number", readonly=True,
        states={
            'invisible': ~_member,
            },
        help="Assigned from the member sequence when the membership is "
        "approved.")
    member_kind = fields.Selection(
        MEMBER_KINDS, "Membership Kind",
        states={
            'required': _member,
            'invisible': ~_member,
            'readonly': Eval('member_state') != 'applicant',
            })
    member_state = fields.Selection(
        MEMBER_STATES, "Member Status", readonly=True,
        states={
            'invisible': ~_member,
            })
    application_date = fields.Date(
        "Application Date",
        states={
            'required': _member,
            'invisible': ~_member,
            'readonly': Eval('member_state') != 'applicant',
            })
    joining_date = fields.Date(
        "Joining Date", readonly=True,
        states={
            'invisible': ~_member,
            })
    exit_date = fields.Date(
        "Exit Date", readonly=True,
        states={
            'invisible': ~Eval('member_state').in_(list(CLOSED_STATES)),
            })
    branch = fields.Many2One(
        'saccos.branch', "Branch", ondelete='RESTRICT',
        states={
            'invisible': ~_member,
            })
    field_officer = fields.Many2One(
        'company.employee', "Field Officer", ondelete='RESTRICT',
        states={
            'invisible': ~_member,
            },
        help="The staff member who follows up this member in the field.")
    status_reason = fields.Text(
        "Reason for Status Change",
        states={
            'invisible': ~_member | Eval('member_state').in_(
                list(CLOSED_STATES)),
            },
        help="Enter the reason before you change the member status; "
        "it is kept in the status history.")
    status_date = fields.Date(
        "Effective Date",
        states={
            'invisible': ~_member | Eval('member_state').in_(
                list(CLOSED_STATES)),
            },
        help="The date the next status change takes effect "
        "(today when empty).")
    member_status_history = fields.One2Many(
        'saccos.member.status.history', 'member', "Status History",
        readonly=True,
        states={
            'invisible': ~_member,
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('member_number_unique', Unique(t, t.member_number),
                'saccos_member.msg_member_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.member_state, Index.Equality()),
                    where=t.member_state != None),  # noqa: E711
                Index(t, (t.member_number, Index.Equality())),
                })
        cls._transitions |= {
            ('applicant', 'active'),
            ('applicant', 'rejected'),
            ('active', 'inactive'),
            ('inactive', 'active'),
            ('suspended', 'active'),
            ('active', 'suspended'),
            ('inactive', 'suspended'),
            ('active', 'exited'),
            ('inactive', 'exited'),
            ('suspended', 'exited'),
            ('active', 'deceased'),
            ('inactive', 'deceased'),
            ('suspended', 'deceased'),
            }
        cls._buttons.update({
                'approve': {
                    'invisible': Eval('member_state') != 'applicant',
                    'icon': 'tryton-ok',
                    'depends': ['member_state'],
                    },
                'reject': {
                    'invisible': Eval('member_state') != 'applicant',
                    'icon': 'tryton-cancel',
                    'depends': ['member_state'],
                    },
                'activate': {
                    'invisible': ~Eval('member_state').in_(
                        ['inactive', 'suspended']),
                    'icon': 'tryton-ok',
                    'depends': ['member_state'],
                    },
                'deactivate': {
                    'invisible': Eval('member_state') != 'active',
                    'icon': 'tryton-clear',
                    'depends': ['member_state'],
                    },
                'suspend': {
                    'invisible': ~Eval('member_state').in_(
                        ['active', 'inactive']),
                    'icon': 'tryton-cancel',
                    'depends': ['member_state'],
                    },
                'withdraw': {
                    'invisible': ~Eval('member_state').in_(
                        ['active', 'inactive', 'suspended']),
                    'icon': 'tryton-launch',
                    'depends': ['member_state'],
                    },
                'record_death': {
                    'invisible': ~Eval('member_state').in_(
                        ['active', 'inactive', 'suspended']),
                    'icon': 'tryton-delete',
                    'depends': ['member_state'],
                    },
                })

    @classmethod
    def default_is_member(cls):
        return bool(Transaction().context.get('saccos_member'))

    @classmethod
    def default_member_kind(cls):
        if Transaction().context.get('saccos_member'):
            return 'individual'

    @classmethod
    def default_member_state(cls):
        if Transaction().context.get('saccos_member'):
            return 'applicant'

    @classmethod
    def default_application_date(cls):
        if Transaction().context.get('saccos_member'):
            return Pool().get('ir.date').today()

    @fields.depends('is_member', 'member_state', 'member_kind',
        'application_date')
    def on_change_is_member(self):
        if self.is_member:
            if not self.member_state:
                self.member_state = 'applicant'
            if not self.member_kind:
                self.member_kind = 'individual'
            if not self.application_date:
                self.application_date = Pool().get('ir.date').today()
        elif self.member_state == 'applicant':
            self.member_state = None

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('is_member'):
            values.setdefault('member_state', 'applicant')
            values.setdefault('member_kind', 'individual')
            if not values.get('application_date'):
                values['application_date'] = Pool().get('ir.date').today()
        return values

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('member_number', None)
        default.setdefault('joining_date', None)
        default.setdefault('exit_date', None)
        default.setdefault('member_status_history', None)
        default.setdefault('status_reason', None)
        default.setdefault('status_date', None)
        return super().copy(parties, default=default)

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        if field_names & {'is_member', 'member_state'}:
            for party in parties:
                if (party.is_member and party.member_state
                        and party.member_state not in {
                            'applicant', 'rejected'}
                        and not party.member_number):
                    # Only approval gives a number; a member without one
                    # was put in a state by hand.
                    raise MemberStatusError(gettext(
                            'saccos_member.msg_member_number_missing',
                            party=party.rec_name))

    @classmethod
    def check_modification(cls, mode, parties, values=None, external=False):
        super().check_modification(
            mode, parties, values=values, external=external)
        if mode == 'delete':
            for party in parties:
                if party.member_number:
                    raise AccessError(gettext(
                            'saccos_member.msg_member_delete',
                            party=party.rec_name))

    # The transitions.  Each records who, when and why in the history;
    # subclasses add their checks in _check_member_transition and their
    # consequences (numbers, fees) in _member_transitioned.

    @classmethod
    def _change_member_state(cls, parties, state, reason_required=True):
        pool = Pool()
        History = pool.get('saccos.member.status.history')
        Date = pool.get('ir.date')
        today = Date.today()
        history = []
        for party in parties:
            reason = (party.status_reason or '').strip()
            if reason_required and not reason:
                raise MemberStatusError(gettext(
                        'saccos_member.msg_member_status_reason_required',
                        party=party.rec_name,
                        state=dict(MEMBER_STATES)[state]))
            date = party.status_date or today
            if date > today:
                raise MemberStatusError(gettext(
                        'saccos_member.msg_member_status_date_future',
                        party=party.rec_name))
            history.append(History(
                    member=party,
                    date=date,
                    from_state=party.member_state,
                    to_state=state,
                    reason=reason or None,
                    user=Transaction().user))
        cls._check_member_transition(parties, state)
        History.save(history)
        cls._member_transitioned(parties, state)
        cls.write(list(parties), {
                'status_reason': None,
                'status_date': None,
                })

    @classmethod
    def _check_member_transition(cls, parties, state):
        "Raise an error when a party may not move to state"
        pass

    @classmethod
    def _member_transitioned(cls, parties, state):
        """Apply what follows a status change; called before the
        new state is written, with status_date still set"""
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        to_write = []
        if state == 'active':
            for party in parties:
                if party.member_state == 'applicant':
                    to_write.extend([[party], {
                                'member_number': cls._new_member_number(),
                                'joining_date': party.status_date or today,
                                }])
        elif state in CLOSED_STATES:
            for party in parties:
                to_write.extend([[party], {
                            'exit_date': party.status_date or today,
                            }])
        if to_write:
            cls.write(*to_write)

    @classmethod
    def _new_member_number(cls):
        pool = Pool()
        Configuration = pool.get('saccos.configuration')
        config = Configuration(1)
        sequence = config.get_multivalue('member_sequence')
        if not sequence:
            raise MemberStatusError(gettext(
                    'saccos_member.msg_member_sequence_missing'))
        return sequence.get()

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def approve(cls, parties):
        cls._change_member_state(parties, 'active', reason_required=False)

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, parties):
        cls._change_member_state(parties, 'rejected')

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def activate(cls, parties):
        cls._change_member_state(parties, 'active')

    @classmethod
    @ModelView.button
    @Workflow.transition('inactive')
    def deactivate(cls, parties):
        cls._change_member_state(parties, 'inactive')

    @classmethod
    @ModelView.button
    @Workflow.transition('suspended')
    def suspend(cls, parties):
        cls._change_member_state(parties, 'suspended')

    @classmethod
    @ModelView.button
    @Workflow.transition('exited')
    def withdraw(cls, parties):
        cls._change_member_state(parties, 'exited')

    @classmethod
    @ModelView.button
    @Workflow.transition('deceased')
    def record_death(cls, parties):
        cls._change_member_state(parties, 'deceased')


class MemberStatusHistory(ModelSQL, ModelView):
    "Member Status Change"
    __name__ = 'saccos.member.status.history'

    member = fields.Many2One(
        'party.party', "Member", required=True, ondelete='CASCADE')
    date = fields.Date("Effective Date", required=True)
    from_state = fields.Selection(MEMBER_STATES, "From")
    to_state = fields.Selection(MEMBER_STATES, "To", required=True)
    reason = fields.Text("Reason")
    user = fields.Many2One('res.user', "Changed By", ondelete='RESTRICT')
    changed_at = fields.Function(
        fields.Timestamp("Changed At"), 'get_changed_at')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.member, Index.Range())))
        # A log of decisions: the latest decision first, whatever date
        # it took effect.
        cls._order = [('id', 'DESC')]
        cls.__access__.add('member')

    def get_changed_at(self, name):
        return self.create_date

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode in {'write', 'delete'}:
            # The history is evidence for auditors.
            raise AccessError(gettext(
                    'saccos_member.msg_member_status_history_readonly'))
