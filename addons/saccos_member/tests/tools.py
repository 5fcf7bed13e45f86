# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Proteus helpers shared by the scenarios of every saccos module"
import datetime as dt
from decimal import Decimal

from proteus import Model, Wizard
from proteus.config import get_config
from trytond.modules.account.tests.tools import create_fiscalyear
from trytond.modules.company.tests.tools import create_company, get_company

__all__ = [
    'setup_saccos', 'get_saccos_accounts', 'create_staff_user',
    'create_member', 'approve_member', 'complete_kyc', 'nida_number',
    'ROLES']

ROLES = {
    'teller': 'group_teller',
    'loan_officer': 'group_loan_officer',
    'committee': 'group_credit_committee',
    'accountant': 'group_accountant',
    'manager': 'group_manager',
    'auditor': 'group_auditor',
    'sacco_admin': 'group_admin',
    }


def _model_data_id(module, fs_id, config):
    ModelData = Model.get('ir.model.data', config=config)
    return ModelData.get_id(module, fs_id, (config or get_config()).context)


def get_tzs(config=None):
    Currency = Model.get('currency.currency', config=config)
    currencies = Currency.find([('code', '=', 'TZS')])
    if currencies:
        currency, = currencies
        return currency
    currency = Currency(
        name="Tanzanian Shilling", code='TZS', symbol='TSh',
        rounding=Decimal('0.01'), digits=2)
    currency.save()
    return currency


def setup_saccos(config=None, today=None):
    """A SACCO company in TZS with its fiscal year, the SACCO chart of
    accounts and the SACCO configuration filled"""
    if config is None:
        config = get_config()
    Party = Model.get('party.party', config=config)
    Country = Model.get('country.country', config=config)
    tanzania = (Country.find([('code', '=', 'TZ')])
        or [Country(name="Tanzania", code='TZ', code3='TZA')])[0]
    tanzania.save()
    party = Party(name="Umoja SACCOS Ltd")
    address, = party.addresses
    address.country = tanzania
    address.city = "Dar es Salaam"
    party.save()
    create_company(party=party, currency=get_tzs(config), config=config)
    company = get_company(config=config)

    fiscalyear = create_fiscalyear(company, today=today, config=config)
    fiscalyear.click('create_period')

    AccountTemplate = Model.get('account.account.template', config=config)
    template = AccountTemplate(_model_data_id(
            'saccos_member', 'account_template_root_saccos', config))
    create_chart = Wizard('account.create_chart', config=config)
    create_chart.execute('account')
    create_chart.form.account_template = template
    create_chart.form.company = company
    create_chart.execute('create_account')
    accounts = get_saccos_accounts(config=config)
    create_chart.form.account_receivable = accounts['other_receivable']
    create_chart.form.account_payable = accounts['other_payable']
    create_chart.execute('create_properties')

    Configuration = Model.get('saccos.configuration', config=config)
    configuration = Configuration(1)
    configuration.cash_account = accounts['cash']
    configuration.bank_account = accounts['bank']
    configuration.mobile_money_account = accounts['mobile_money']
    configuration.fee_receivable_account = accounts['fee_receivable']
    configuration.joining_fee_account = accounts['joining_fee_income']
    configuration.subscription_account = accounts['subscription_income']
    configuration.joining_fee = Decimal('10000.00')
    configuration.annual_subscription = Decimal('12000.00')
    configuration.save()


# The accounts of the SACCO chart template (account_chart.xml), by the
# xml id of their template without its 'account_template_' prefix.
ACCOUNT_KEYS = [
    'cash', 'bank', 'mobile_money', 'loans_to_members', 'loan_loss_provision',
    'interest_receivable', 'fee_receivable', 'other_receivable',
    'member_savings', 'member_deposits', 'share_application_suspense',
    'dividends_payable', 'withholding_tax_payable', 'other_payable',
    'unidentified_receipts', 'share_capital', 'statutory_reserve',
    'retained_earnings', 'loan_interest_income', 'joining_fee_income',
    'subscription_income', 'fee_income', 'penalty_income',
    'savings_interest_expense', 'loan_loss_expense',
    ]


def get_saccos_accounts(company=None, config=None):
    """The company's accounts created from the SACCO template, keyed by
    the template's xml id without its 'account_template_' prefix"""
    Account = Model.get('account.account', config=config)
    if company is None:
        company = get_company(config=config)
    templates = {
        _model_data_id('saccos_member', 'account_template_' + key, config):
        key for key in ACCOUNT_KEYS}
    return {templates[a.template.id]: a
        for a in Account.find([('company', '=', company.id)])
        if a.template and a.template.id in templates}


def create_staff_user(login, role=None, config=None, extra_groups=()):
    "Create a staff user in the SACCO role (a key of ROLES)"
    User = Model.get('res.user', config=config)
    Group = Model.get('res.group', config=config)
    role = role or login
    user = User(name=login.replace('_', ' ').title(), login=login)
    user.groups.append(Group(_model_data_id(
                'saccos_member', ROLES[role], config)))
    for module, fs_id in extra_groups:
        user.groups.append(Group(_model_data_id(module, fs_id, config)))
    company = get_company(config=config)
    user.companies.append(company)
    user.company = company
    user.save()
    return user


def create_member(name, kind='individual', config=None, **values):
    "Register an applicant as a teller would"
    Party = Model.get('party.party', config=config)
    context = {'saccos_member': True}
    with (config or get_config()).set_context(context):
        member = Party(name=name)
    member.member_kind = kind
    for field, value in values.items():
        setattr(member, field, value)
    member.save()
    return member


def approve_member(member, date=None, payment=None, reference=None):
    "Approve an applicant, paying the joining fee by payment (or owed)"
    member.status_date = date or dt.date.today()
    member.joining_fee_payment = payment
    member.joining_fee_reference = reference
    member.save()
    member.click('approve')
    return member


def nida_number(seed, birth_date=dt.date(1990, 1, 1)):
    "A well-formed NIDA number, distinct for each seed"
    return '%s%012d' % (birth_date.strftime('%Y%m%d'), seed)


def complete_kyc(member, today=None, config=None):
    """Fill the particulars, identifier, phone, nominee and the required
    documents of an individual applicant, as a teller would"""
    Attachment = Model.get('ir.attachment', config=config)
    DocumentType = Model.get('saccos.kyc.document.type', config=config)
    today = today or dt.date.today()
    birth_date = dt.date(1990, 1, 1)
    member.birth_date = birth_date
    member.gender = 'female'
    member.region = 'Dar es Salaam'
    member.district = 'Ilala'
    member.ward = 'Kariakoo'
    identifier = member.identifiers.new()
    identifier.type = 'tz_nida'
    identifier.code = nida_number(member.id, birth_date)
    mechanism = member.contact_mechanisms.new()
    mechanism.type = 'mobile'
    mechanism.value = '+255 754 %03d %03d' % divmod(member.id % 1000000, 1000)
    nominee = member.member_nominees.new()
    nominee.name = 'Nominee of %s' % member.name
    nominee.relationship = 'spouse'
    nominee.percentage = Decimal(100)
    member.save()
    for type_ in DocumentType.find([
                ('required_%s' % member.member_kind, '=', True)]):
        document = Attachment(
            resource=member, name='%s.pdf' % type_.code,
            kyc_document_type=type_, kyc_issue_date=today,
            data=b'%PDF-1.4 scan')
        if type_.expires:
            document.kyc_expiry_date = today + dt.timedelta(days=3650)
        document.save()
    member.reload()
