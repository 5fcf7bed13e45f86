# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Proteus helpers for the loan scenarios"
from decimal import Decimal

from proteus import Model
from proteus.config import get_config
from trytond.modules.company.tests.tools import get_company
from trytond.modules.saccos_member.tests.tools import get_saccos_accounts

__all__ = ['get_loan_accounts', 'create_loan_product', 'apply_for_loan']


def get_loan_accounts(config=None):
    """The SACCO chart's accounts with the two the loan module adds:
    charges_receivable and recoveries"""
    Account = Model.get('account.account', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    context = (config or get_config()).context
    accounts = get_saccos_accounts(config=config)
    company = get_company(config=config)
    for key in ['charges_receivable', 'recoveries']:
        template = ModelData.get_id(
            'saccos_loan', 'account_template_' + key, context)
        accounts[key], = Account.find([
                ('company', '=', company.id),
                ('template', '=', template),
                ])
    return accounts


def create_loan_product(code, name=None, config=None, **values):
    "A loan product on the SACCO chart's accounts, monthly EMI by default"
    Product = Model.get('saccos.loan.product', config=config)
    Journal = Model.get('account.journal', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    accounts = get_loan_accounts(config=config)
    product = Product(name=name or code, code=code)
    product.journal = Journal(ModelData.get_id(
            'saccos_loan', 'journal_loans', (config or get_config()).context))
    product.portfolio_account = accounts['loans_to_members']
    product.interest_receivable_account = accounts['interest_receivable']
    product.charges_receivable_account = accounts['charges_receivable']
    product.interest_income_account = accounts['loan_interest_income']
    product.fee_income_account = accounts['fee_income']
    product.penalty_income_account = accounts['penalty_income']
    product.write_off_account = accounts['loan_loss_provision']
    product.recovery_account = accounts['recoveries']
    product.provision_account = accounts['loan_loss_provision']
    product.provision_expense_account = accounts['loan_loss_expense']
    values.setdefault('minimum_amount', Decimal(1000))
    values.setdefault('maximum_amount', Decimal(10000000))
    values.setdefault('minimum_term', 1)
    values.setdefault('maximum_term', 120)
    values.setdefault('minimum_rate', Decimal(0))
    values.setdefault('maximum_rate', Decimal(36))
    for field, value in values.items():
        setattr(product, field, value)
    product.save()
    return product


def apply_for_loan(member, product, amount, term, rate, date,
        config=None, guarantees=(), **values):
    "A draft loan of member applied for on date"
    Loan = Model.get('saccos.loan', config=config)
    loan = Loan(member=member, product=product)
    loan.amount = amount
    loan.term = term
    loan.rate = rate
    loan.application_date = date
    for field, value in values.items():
        setattr(loan, field, value)
    for guarantor, amount in guarantees:
        loan.guarantees.new(guarantor=guarantor, amount=amount)
    loan.save()
    return loan
