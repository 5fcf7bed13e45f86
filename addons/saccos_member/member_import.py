# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Import of members from the spreadsheet a SACCO arrives with.

Every row is created as the member form would create it, so it meets
the same checks (identifiers, phones, nominees, duplicates, even against
earlier rows of the same file).  Each row runs inside a savepoint: a bad
row is rolled back and reported with its line number, and when any row
is bad the whole file is rolled back, so an import is all or nothing."""
import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import ImportError_

# Spreadsheet column -> how it is read.  Headers are matched without
# case, spaces or punctuation, so "National ID" and "national_id" agree.
COLUMNS = [
    'name', 'kind', 'application_date', 'branch', 'gender', 'birth_date',
    'marital_status', 'nationality', 'id_type', 'id_number', 'tin',
    'phone', 'email', 'region', 'district', 'ward', 'employer',
    'payroll_number', 'monthly_income', 'bank_name', 'bank_account_number',
    'nominee_name', 'nominee_relationship', 'nominee_percentage',
    'nominee_phone',
    ]
KINDS = {
    'individual': 'individual', 'group': 'group', 'chama': 'group',
    'company': 'company',
    }


def _key(header):
    return ''.join(c for c in (header or '').lower() if c.isalnum())


_ALIASES = {_key(c): c for c in COLUMNS}
_ALIASES.update({
        'fullname': 'name', 'membername': 'name',
        'membershipkind': 'kind', 'membertype': 'kind',
        'nationalid': 'id_number', 'nida': 'id_number',
        'idno': 'id_number', 'dateofbirth': 'birth_date', 'dob': 'birth_date',
        'mobile': 'phone', 'phonenumber': 'phone', 'sex': 'gender',
        'village': 'ward', 'wardvillage': 'ward',
        })


def read_rows(data, filename):
    "Rows of a CSV or XLSX file as (line number, dict of known columns)"
    if (filename or '').lower().endswith(('.xlsx', '.xlsm')):
        from openpyxl import load_workbook
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
    else:
        text = data.decode('utf-8-sig')
        rows = csv.reader(io.StringIO(text))
    rows = iter(rows)
    header = next(rows, None)
    if not header:
        return [], []
    columns = [_ALIASES.get(_key(str(h) if h is not None else ''))
        for h in header]
    unknown = [str(h) for h, c in zip(header, columns) if h and not c]
    result = []
    for number, row in enumerate(rows, start=2):
        values = {c: v for c, v in zip(columns, row)
            if c and v not in (None, '')}
        values = {k: v.strip() if isinstance(v, str) else v
            for k, v in values.items()}
        if any(v not in (None, '') for v in values.values()):
            result.append((number, values))
    return result, unknown


class ImportMembersStart(ModelView):
    "Import Members"
    __name__ = 'saccos.member.import.start'
    file = fields.Binary("File", required=True, filename='filename')
    filename = fields.Char("File Name")
    columns = fields.Text("Columns", readonly=True)

    @classmethod
    def default_columns(cls):
        return ', '.join(COLUMNS)


class ImportMembersResult(ModelView):
    "Import Members Result"
    __name__ = 'saccos.member.import.result'
    imported = fields.Integer("Imported", readonly=True)
    rejected = fields.Integer("Rejected Rows", readonly=True)
    report = fields.Text("Report", readonly=True)
    members = fields.Many2Many(
        'party.party', None, None, "Members", readonly=True,
        states={'invisible': ~Eval('members')})


class ImportMembers(Wizard):
    "Import Members"
    __name__ = 'saccos.member.import'
    start = StateView('saccos.member.import.start',
        'saccos_member.member_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('saccos.member.import.result',
        'saccos_member.member_import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        members, errors = import_members(
            self.start.file, self.start.filename)
        self.result.imported = len(members)
        self.result.rejected = len(errors)
        self.result.members = members
        if errors:
            self.result.report = '\n'.join(
                gettext('saccos_member.msg_import_row_error',
                    line=line, error=error)
                for line, error in errors)
            self.result.report = '\n'.join([
                    gettext('saccos_member.msg_import_nothing_written',
                        count=len(errors)),
                    self.result.report])
        else:
            self.result.report = gettext(
                'saccos_member.msg_import_done', count=len(members))
        return 'result'

    def default_result(self, fields):
        return {
            'imported': self.result.imported,
            'rejected': self.result.rejected,
            'report': self.result.report,
            'members': [m.id for m in self.result.members],
            }


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    value = str(value).strip()
    for format_ in ('%Y-%m-%d', '%d/%m/%Y', '%d.%m.%Y', '%d-%m-%Y'):
        try:
            return dt.datetime.strptime(value, format_).date()
        except ValueError:
            pass
    raise ImportError_(gettext(
            'saccos_member.msg_import_bad_date', value=value))


def _decimal(value):
    try:
        return Decimal(str(value).replace(',', '').strip())
    except InvalidOperation:
        raise ImportError_(gettext(
                'saccos_member.msg_import_bad_number', value=value))


def _selection(Model, field, value):
    value = str(value).strip()
    for key, label in Model.fields_get([field])[field]['selection']:
        if key and value.lower() in {key.lower(), str(label).lower()}:
            return key
    raise ImportError_(gettext(
            'saccos_member.msg_import_bad_choice', value=value,
            field=Model._fields[field].string))


def member_values(row, company=None):
    "The values of party.create for one spreadsheet row"
    pool = Pool()
    Party = pool.get('party.party')
    Branch = pool.get('saccos.branch')
    Country = pool.get('country.country')
    Nominee = pool.get('saccos.member.nominee')
    Date = pool.get('ir.date')
    if not row.get('name'):
        raise ImportError_(gettext('saccos_member.msg_import_name_missing'))
    kind = KINDS.get(str(row.get('kind', 'individual')).strip().lower())
    if not kind:
        raise ImportError_(gettext(
                'saccos_member.msg_import_bad_choice', value=row['kind'],
                field=Party.member_kind.string))
    values = {
        'name': str(row['name']),
        'is_member': True,
        'member_kind': kind,
        'member_state': 'applicant',
        'application_date': _date(row['application_date'])
        if row.get('application_date') else Date.today(),
        }
    for field in ['region', 'district', 'ward', 'employer',
            'payroll_number', 'bank_name', 'bank_account_number']:
        if row.get(field) is not None:
            values[field] = str(row[field])
    if row.get('gender'):
        values['gender'] = _selection(Party, 'gender', row['gender'])
    if row.get('marital_status'):
        values['marital_status'] = _selection(
            Party, 'marital_status', row['marital_status'])
    if row.get('birth_date'):
        values['birth_date'] = _date(row['birth_date'])
    if row.get('monthly_income') is not None:
        values['monthly_income'] = _decimal(row['monthly_income'])
    country = company.party.address_get().country if company else None
    if row.get('nationality'):
        countries = Country.search(['OR',
                ('code', '=', str(row['nationality']).upper()),
                ('name', 'ilike', str(row['nationality'])),
                ], limit=1)
        if not countries:
            raise ImportError_(gettext(
                    'saccos_member.msg_import_bad_choice',
                    value=row['nationality'],
                    field=Party.nationality.string))
        values['nationality'] = countries[0].id
    if row.get('branch'):
        branches = Branch.search(['OR',
                ('code', '=', str(row['branch'])),
                ('name', '=', str(row['branch'])),
                ], limit=1)
        if not branches:
            raise ImportError_(gettext(
                    'saccos_member.msg_import_bad_choice',
                    value=row['branch'], field=Party.branch.string))
        values['branch'] = branches[0].id
    # Local numbers ("0754 123 456") are read in the SACCO's country.
    values['addresses'] = [('create', [{
                    'country': country.id if country else None,
                    'city': values.get('district'),
                    }])]
    identifiers = []
    if row.get('id_number'):
        id_type = str(row.get('id_type') or (
                'registration' if kind != 'individual' else 'tz_nida'))
        identifiers.append({
                'type': id_type.strip().lower(),
                'code': str(row['id_number'])})
    if row.get('tin'):
        identifiers.append({'type': 'tz_tin', 'code': str(row['tin'])})
    if identifiers:
        values['identifiers'] = [('create', identifiers)]
    mechanisms = []
    if row.get('phone'):
        mechanisms.append({
                'type': 'mobile',
                'value': international_phone(row['phone'], country),
                })
    if row.get('email'):
        mechanisms.append({'type': 'email', 'value': str(row['email'])})
    if mechanisms:
        values['contact_mechanisms'] = [('create', mechanisms)]
    if row.get('nominee_name'):
        values['member_nominees'] = [('create', [{
                        'name': str(row['nominee_name']),
                        'relationship': _selection(
                            Nominee, 'relationship',
                            row.get('nominee_relationship', 'other')),
                        'percentage': _decimal(
                            row.get('nominee_percentage', 100)),
                        'phone': str(row['nominee_phone'])
                        if row.get('nominee_phone') else None,
                        }])]
    return values


def import_members(data, filename):
    """Create the members of the file as applicants; return them and the
    errors as (line, message).  With any error nothing is kept."""
    pool = Pool()
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    company_id = transaction.context.get('company')
    company = Company(company_id) if company_id else None

    rows, unknown = read_rows(data, filename)
    if not rows:
        raise ImportError_(gettext('saccos_member.msg_import_empty'))
    errors = []
    if unknown:
        errors.append((1, gettext(
                    'saccos_member.msg_import_unknown_columns',
                    columns=', '.join(unknown))))
    members = []
    cursor.execute('SAVEPOINT saccos_import')
    for line, row in rows:
        cursor.execute('SAVEPOINT saccos_import_row')
        try:
            values = member_values(row, company=company)
            with transaction.set_context(saccos_member=True):
                member, = Party.create([values])
        except (UserError, ValidationError) as exception:
            if isinstance(exception, UserWarning):
                raise
            cursor.execute('ROLLBACK TO SAVEPOINT saccos_import_row')
            # The ids of the rolled back row are reused by the next one.
            _clear_caches(transaction)
            errors.append((line, exception.message))
        else:
            cursor.execute('RELEASE SAVEPOINT saccos_import_row')
            members.append(member)
    if errors:
        cursor.execute('ROLLBACK TO SAVEPOINT saccos_import')
        members = []
    cursor.execute('RELEASE SAVEPOINT saccos_import')
    _clear_caches(transaction)
    return members, errors


def _clear_caches(transaction):
    "Forget what was cached of records that were rolled back"
    transaction.counter += 1
    for cache in transaction.cache.values():
        cache.clear()


def international_phone(value, country):
    """A local number ("0754 111 222") in international form for the
    SACCO's country; anything unparsable is left for the form's check"""
    try:
        import phonenumbers
    except ImportError:
        return value
    if not country or str(value).strip().startswith('+'):
        return value
    try:
        number = phonenumbers.parse(str(value), country.code)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
