# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Proteus helpers for the savings scenarios"
import datetime as dt

from proteus import Model
from proteus.config import get_config
from trytond.modules.account.tests.tools import create_fiscalyear
from trytond.modules.company.tests.tools import get_company
from trytond.modules.saccos_member.tests.tools import (
    approve_member, complete_kyc, create_member, get_saccos_accounts)

__all__ = ['open_last_year', 'create_savings_product', 'active_member',
    'active_group', 'open_account']


def open_last_year(config=None):
    "Last year's fiscal year with its periods: every date is in the past"
    company = get_company(config=config)
    year = dt.date.today().year - 1
    fiscalyear = create_fiscalyear(
        company, today=dt.date(year, 6, 1), config=config)
    fiscalyear.click('create_period')
    return year


def create_savings_product(code, name=None, config=None, **values):
    "A savings product on the SACCO chart's accounts"
    Product = Model.get('saccos.savings.product', config=config)
    Journal = Model.get('account.journal', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    accounts = get_saccos_accounts(config=config)
    product = Product(name=name or code, code=code)
    product.journal = Journal(ModelData.get_id(
            'saccos_savings', 'journal_savings',
            (config or get_config()).context))
    product.savings_account = accounts['member_savings']
    product.interest_expense_account = accounts['savings_interest_expense']
    product.fee_income_account = accounts['fee_income']
    product.penalty_income_account = accounts['penalty_income']
    product.withholding_tax_account = accounts['withholding_tax_payable']
    for field, value in values.items():
        setattr(product, field, value)
    product.save()
    return product


def active_member(name, date, kind='individual', config=None):
    "A member whose application was approved on date, joining fee paid"
    member = create_member(name, kind=kind, config=config)
    if kind == 'individual':
        complete_kyc(member, today=date, config=config)
    return approve_member(member, date=date, payment='cash')


def open_account(owner, product, date, config=None, **terms):
    "A savings account applied for, submitted and approved on date"
    Account = Model.get('saccos.savings.account', config=config)
    account = Account(owner=owner, product=product)
    for field, value in terms.items():
        setattr(account, field, value)
    account.status_date = date
    account.save()
    account.click('submit')
    account.status_date = date
    account.save()
    account.click('approve')
    return account


def balance(account):
    "The balance of a ledger account (debit - credit)"
    account.reload()
    return account.balance


def active_group(name, members, date, config=None):
    """A chama of members (the first three its officials, the first and
    third signatories) with its documents, approved on date"""
    Attachment = Model.get('ir.attachment', config=config)
    DocumentType = Model.get('saccos.kyc.document.type', config=config)
    group = create_member(name, kind='group', config=config,
        region='Arusha', district='Arusha City')
    identifier = group.identifiers.new(type='registration')
    identifier.code = 'ARU/CBO/%s/%04d' % (date.year, group.id)
    phone = group.contact_mechanisms.new(type='mobile')
    phone.value = '+255 767 %03d %03d' % divmod(group.id % 1000000, 1000)
    roles = ['chair', 'secretary', 'treasurer'] + ['member'] * len(members)
    for index, (member, role) in enumerate(zip(members, roles)):
        group.group_members.new(
            member=member, role=role, signatory=index in {0, 2})
    group.save()
    for type_ in DocumentType.find([('required_group', '=', True)]):
        Attachment(resource=group, name=type_.code, data=b'scan',
            kyc_document_type=type_, kyc_issue_date=date).save()
    group.reload()
    return approve_member(group, date=date, payment='cash')
