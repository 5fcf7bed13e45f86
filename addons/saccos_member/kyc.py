# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Know-your-customer: the particulars and documents a SACCO must hold
before a membership is active.

Documents are Tryton attachments of the member typed by a configurable
document type; each type says for which membership kinds it is required
and whether it expires.  A member's KYC is complete when the required
particulars are filled and every required document is attached and not
expired."""
import datetime as dt
import re
from collections import defaultdict

from sql import Literal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import IdentifierError, KYCError, KYCIncompleteError

GENDERS = [
    (None, ''),
    ('female', "Female"),
    ('male', "Male"),
    ]
MARITAL_STATUSES = [
    (None, ''),
    ('single', "Single"),
    ('married', "Married"),
    ('divorced', "Divorced"),
    ('widowed', "Widowed"),
    ]
KYC_STATES = [
    (None, ''),
    ('complete', "Complete"),
    ('expiring', "Expiring"),
    ('incomplete', "Incomplete"),
    ('expired', "Expired"),
    ]

# Identifier types a SACCO in East Africa meets, with their shape.  The
# personal ones identify one person: the same number on two parties is
# a duplicate registration.
SACCOS_IDENTIFIER_TYPES = [
    ('tz_nida', "Tanzanian National ID (NIDA)"),
    ('tz_tin', "Tanzanian Taxpayer Identification Number"),
    ('ke_id', "Kenyan National ID"),
    ('passport', "Passport"),
    ('registration', "Registration Number (Group or Company)"),
    ]
PERSONAL_IDENTIFIER_TYPES = {'tz_nida', 'ke_id', 'passport'}
UNIQUE_IDENTIFIER_TYPES = PERSONAL_IDENTIFIER_TYPES | {
    'tz_tin', 'ke_pin', 'registration'}
_SHAPES = {
    'tz_nida': re.compile(r'^\d{20}$'),
    'tz_tin': re.compile(r'^\d{9}$'),
    'ke_id': re.compile(r'^\d{7,8}$'),
    'passport': re.compile(r'^[A-Z0-9]{6,9}$'),
    'registration': re.compile(r'^[A-Z0-9/.\-]{3,30}$'),
    }


def compact_identifier(type_, code):
    code = (code or '').strip().upper()
    if type_ in {'tz_nida', 'tz_tin', 'ke_id', 'passport'}:
        code = re.sub(r'[\s\-]', '', code)
    return code


def format_identifier(type_, code):
    code = compact_identifier(type_, code)
    if type_ == 'tz_nida' and len(code) == 20:
        return '-'.join([code[:8], code[8:13], code[13:18], code[18:]])
    if type_ == 'tz_tin' and len(code) == 9:
        return '-'.join([code[:3], code[3:6], code[6:]])
    return code


def is_valid_identifier(type_, code):
    code = compact_identifier(type_, code)
    shape = _SHAPES.get(type_)
    if not shape or not shape.match(code):
        return False
    if type_ == 'tz_nida':
        # NIDA numbers start with the holder's date of birth.
        try:
            dt.datetime.strptime(code[:8], '%Y%m%d')
        except ValueError:
            return False
    return True


class DocumentType(DeactivableMixin, sequence_ordered(), ModelSQL,
        ModelView):
    "KYC Document Type"
    __name__ = 'saccos.kyc.document.type'
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True)
    required_individual = fields.Boolean(
        "Required for Individuals")
    required_group = fields.Boolean("Required for Groups")
    required_company = fields.Boolean("Required for Companies")
    expires = fields.Boolean(
        "Expires", help="Documents of this type carry an expiry date.")
    description = fields.Text("Description", translate=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'saccos_member.msg_kyc_document_type_code_unique'),
            ]

    def required_for(self, kind):
        return bool(getattr(self, 'required_%s' % kind, False))


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'
    kyc_document_type = fields.Many2One(
        'saccos.kyc.document.type', "KYC Document Type",
        ondelete='RESTRICT')
    kyc_issue_date = fields.Date(
        "Issue Date",
        states={
            'invisible': ~Eval('kyc_document_type'),
            })
    kyc_expiry_date = fields.Date(
        "Expiry Date",
        domain=['OR',
            ('kyc_expiry_date', '=', None),
            ('kyc_expiry_date', '>=', Eval('kyc_issue_date', None)),
            ('kyc_issue_date', '=', None),
            ],
        states={
            'invisible': ~Eval('kyc_document_type'),
            'required': Bool(Eval('kyc_document_expires')),
            })
    kyc_document_expires = fields.Function(
        fields.Boolean("Document Expires"),
        'on_change_with_kyc_document_expires')

    @fields.depends('kyc_document_type')
    def on_change_with_kyc_document_expires(self, name=None):
        return bool(self.kyc_document_type
            and self.kyc_document_type.expires)

    @classmethod
    def validate_fields(cls, attachments, field_names):
        super().validate_fields(attachments, field_names)
        for attachment in attachments:
            if (attachment.kyc_document_type
                    and not str(attachment.resource or '').startswith(
                        'party.party,')):
                raise KYCError(gettext(
                        'saccos_member.msg_kyc_attachment_party',
                        attachment=attachment.rec_name))


class Configuration(metaclass=PoolMeta):
    __name__ = 'party.configuration'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        known = {k for k, _ in cls.identifier_types.selection}
        cls.identifier_types.selection.extend(
            t for t in SACCOS_IDENTIFIER_TYPES if t[0] not in known)


class Identifier(metaclass=PoolMeta):
    __name__ = 'party.identifier'

    @fields.depends('type', 'code')
    def on_change_with_code(self):
        if self.type in _SHAPES:
            if is_valid_identifier(self.type, self.code):
                return format_identifier(self.type, self.code)
            return self.code
        return super().on_change_with_code()

    @fields.depends('type', 'party', 'code')
    def check_code(self):
        if self.type in _SHAPES:
            if not is_valid_identifier(self.type, self.code):
                raise IdentifierError(gettext(
                        'saccos_member.msg_identifier_invalid',
                        type=self.type_string, code=self.code,
                        party=self.party.rec_name
                        if self.party and self.party.id > 0 else ''))
        else:
            super().check_code()

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        type_ = getattr(self, 'type', None)
        code = getattr(self, 'code', None)
        if (type_ in _SHAPES and code
                and (field_names is None or {'type', 'code'} & field_names)
                and is_valid_identifier(type_, code)):
            # Stored in the printed layout, compared without it.
            formatted = format_identifier(type_, code)
            compact = compact_identifier(type_, code)
            if formatted != code:
                values['code'] = formatted
            if compact != getattr(self, 'code_compact', None):
                values['code_compact'] = compact
            else:
                values.pop('code_compact', None)
        return values

    @classmethod
    def validate_fields(cls, identifiers, field_names):
        super().validate_fields(identifiers, field_names)
        cls.check_duplicate(identifiers, field_names)

    @classmethod
    def check_duplicate(cls, identifiers, field_names=None):
        "One national ID, passport or registration number, one party"
        if field_names and not (field_names & {'type', 'code', 'party'}):
            return
        for identifier in identifiers:
            if identifier.type not in UNIQUE_IDENTIFIER_TYPES:
                continue
            code = compact_identifier(identifier.type, identifier.code)
            others = cls.search([
                    ('id', '!=', identifier.id),
                    ('type', '=', identifier.type),
                    ('code_compact', '=', code),
                    ('party', '!=', identifier.party.id),
                    ], limit=1)
            if others:
                other, = others
                raise IdentifierError(gettext(
                        'saccos_member.msg_identifier_duplicate',
                        type=identifier.type_string,
                        code=identifier.code,
                        party=identifier.party.rec_name,
                        other=other.party.rec_name))


_member = Bool(Eval('is_member'))
_individual = _member & (Eval('member_kind') == 'individual')
_organisation = _member & Eval('member_kind').in_(['group', 'company'])


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    birth_date = fields.Date(
        "Date of Birth",
        states={'invisible': ~_individual})
    gender = fields.Selection(
        GENDERS, "Gender", states={'invisible': ~_individual})
    marital_status = fields.Selection(
        MARITAL_STATUSES, "Marital Status",
        states={'invisible': ~_individual})
    nationality = fields.Many2One(
        'country.country', "Nationality", ondelete='RESTRICT',
        states={'invisible': ~_individual})
    region = fields.Char("Region", states={'invisible': ~_member})
    district = fields.Char("District", states={'invisible': ~_member})
    ward = fields.Char(
        "Ward / Village", states={'invisible': ~_member})
    employer = fields.Char("Employer", states={'invisible': ~_individual})
    payroll_number = fields.Char(
        "Payroll Number", states={'invisible': ~_individual})
    monthly_income = fields.Numeric(
        "Monthly Income", digits=(16, 2),
        domain=['OR',
            ('monthly_income', '=', None),
            ('monthly_income', '>=', 0),
            ],
        states={'invisible': ~_individual})
    bank_name = fields.Char("Bank", states={'invisible': ~_member})
    bank_account_number = fields.Char(
        "Bank Account Number", states={'invisible': ~_member})
    signing_rule = fields.Char(
        "Signing Rule", states={'invisible': ~_organisation},
        help="Who must sign for the group or company, "
        "e.g. \"chair and treasurer\" or \"any two signatories\".")
    kyc_documents = fields.One2Many(
        'ir.attachment', 'resource', "KYC Documents",
        filter=[('kyc_document_type', '!=', None)],
        states={'invisible': ~_member})
    kyc_state = fields.Function(fields.Selection(
            KYC_STATES, "KYC Status",
            states={'invisible': ~_member}),
        'get_kyc', searcher='search_kyc_state')
    kyc_missing = fields.Function(fields.Text(
            "KYC Missing", states={'invisible': ~_member}),
        'get_kyc')
    kyc_expiry_date = fields.Function(fields.Date(
            "KYC Next Expiry", states={'invisible': ~_member}),
        'get_kyc')

    @classmethod
    def _kyc_required_fields(cls, kind):
        "Particulars without which a membership of kind stays incomplete"
        if kind == 'individual':
            return ['birth_date', 'gender', 'region', 'district']
        return ['region', 'district']

    @classmethod
    def _kyc_required_identifiers(cls, kind):
        "One identifier of any of these types must be recorded"
        if kind == 'individual':
            return sorted(PERSONAL_IDENTIFIER_TYPES)
        return ['registration']

    @classmethod
    def _kyc_missing_particulars(cls, party):
        "The names of the required particulars party lacks"
        return [cls._fields[f].string
            for f in cls._kyc_required_fields(party.member_kind)
            if not getattr(party, f)]

    @classmethod
    def get_kyc(cls, parties, names, date=None):
        """Compute the KYC of parties as of date (today): the particulars
        and documents missing and the earliest expiry"""
        pool = Pool()
        DocumentType = pool.get('saccos.kyc.document.type')
        Attachment = pool.get('ir.attachment')
        Identifier = pool.get('party.identifier')
        ContactMechanism = pool.get('party.contact_mechanism')
        Configuration = pool.get('saccos.configuration')
        Date = pool.get('ir.date')
        if date is None:
            date = Date.today()
        warning_days = Configuration(1).kyc_expiry_warning_days or 0
        warning_date = date + dt.timedelta(days=warning_days)
        cursor = Transaction().connection.cursor()
        attachment = Attachment.__table__()
        identifier = Identifier.__table__()
        mechanism = ContactMechanism.__table__()

        types = DocumentType.search([])
        ids = [p.id for p in parties]
        documents = defaultdict(dict)
        identifiers = defaultdict(set)
        phones = set()
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS // 2):
            sub_ids = list(sub_ids)
            resources = ['party.party,%s' % i for i in sub_ids]
            cursor.execute(*attachment.select(
                    attachment.resource, attachment.kyc_document_type,
                    attachment.kyc_expiry_date,
                    where=attachment.resource.in_(resources)
                    & (attachment.kyc_document_type != None)))  # noqa: E711
            for resource, type_id, expiry in cursor:
                party_id = int(resource.split(',')[1])
                if isinstance(expiry, str):
                    expiry = dt.date.fromisoformat(expiry)
                # The latest copy of a document type counts.
                current = documents[party_id].get(type_id, dt.date.min)
                if current is not None and (
                        expiry is None or expiry > current):
                    documents[party_id][type_id] = expiry
            cursor.execute(*identifier.select(
                    identifier.party, identifier.type,
                    where=fields.SQL_OPERATORS['in'](identifier.party, sub_ids)))
            for party_id, type_ in cursor:
                identifiers[party_id].add(type_)
            cursor.execute(*mechanism.select(
                    mechanism.party,
                    where=fields.SQL_OPERATORS['in'](mechanism.party, sub_ids)
                    & mechanism.type.in_(['phone', 'mobile'])
                    & (mechanism.active == Literal(True))))
            phones.update(p for p, in cursor)

        result = {n: {} for n in names}
        for party in parties:
            missing, expired, expiring, expiries = [], [], [], []
            kind = party.member_kind
            if not party.is_member or not kind:
                for name in names:
                    result[name][party.id] = None
                continue
            missing.extend(cls._kyc_missing_particulars(party))
            required_ids = cls._kyc_required_identifiers(kind)
            if not identifiers[party.id] & set(required_ids):
                missing.append(gettext(
                        'saccos_member.msg_kyc_missing_identifier'))
            if party.id not in phones:
                missing.append(gettext(
                        'saccos_member.msg_kyc_missing_phone'))
            held = documents[party.id]
            for type_ in types:
                if type_.id in held:
                    expiry = held[type_.id]
                    if expiry is not None:
                        expiries.append(expiry)
                        if type_.required_for(kind) and expiry < date:
                            expired.append(type_.name)
                        elif (type_.required_for(kind)
                                and expiry <= warning_date):
                            expiring.append(type_.name)
                elif type_.required_for(kind):
                    missing.append(type_.name)
            if missing:
                state = 'incomplete'
            elif expired:
                state = 'expired'
            elif expiring:
                state = 'expiring'
            else:
                state = 'complete'
            lines = []
            if missing:
                lines.append(gettext(
                        'saccos_member.msg_kyc_missing_list',
                        items=', '.join(missing)))
            if expired:
                lines.append(gettext(
                        'saccos_member.msg_kyc_expired_list',
                        items=', '.join(expired)))
            if expiring:
                lines.append(gettext(
                        'saccos_member.msg_kyc_expiring_list',
                        items=', '.join(expiring)))
            values = {
                'kyc_state': state,
                'kyc_missing': '\n'.join(lines) or None,
                'kyc_expiry_date': min(expiries) if expiries else None,
                }
            for name in names:
                result[name][party.id] = values[name]
        return result

    @classmethod
    def search_kyc_state(cls, name, clause):
        _, operator, value = clause[:3]
        members = cls.search([('is_member', '=', True)], order=[])
        states = cls.get_kyc(members, ['kyc_state'])['kyc_state']
        if operator in {'=', '!='}:
            wanted = {value}
        elif operator in {'in', 'not in'}:
            wanted = set(value or [])
        else:
            return [('id', '=', -1)]
        ids = [i for i, s in states.items() if s in wanted]
        if operator in {'!=', 'not in'}:
            return [('id', 'not in', ids)]
        return [('id', 'in', ids)]

    @classmethod
    def _check_member_transition(cls, parties, state):
        super()._check_member_transition(parties, state)
        if state != 'active':
            return
        kyc = cls.get_kyc(parties, ['kyc_state', 'kyc_missing'])
        for party in parties:
            if kyc['kyc_state'][party.id] in {'incomplete', 'expired'}:
                raise KYCIncompleteError(gettext(
                        'saccos_member.msg_kyc_incomplete_activation',
                        party=party.rec_name,
                        missing=kyc['kyc_missing'][party.id]))

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        cls.check_birth_date(parties, field_names)

    @classmethod
    def check_birth_date(cls, parties, field_names=None):
        pool = Pool()
        Date = pool.get('ir.date')
        if field_names and 'birth_date' not in field_names:
            return
        today = Date.today()
        for party in parties:
            if party.birth_date and party.birth_date > today:
                raise KYCError(gettext(
                        'saccos_member.msg_kyc_birth_date_future',
                        party=party.rec_name))
