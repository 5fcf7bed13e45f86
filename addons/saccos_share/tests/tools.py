# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Proteus helpers for the share and dividend scenarios"
from proteus import Model
from proteus.config import get_config
from trytond.modules.saccos_member.tests.tools import get_saccos_accounts

__all__ = ['create_share_product', 'open_share_account']


def create_share_product(code, name=None, config=None, **values):
    "A share product on the SACCO chart's accounts"
    Product = Model.get('saccos.share.product', config=config)
    Journal = Model.get('account.journal', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    accounts = get_saccos_accounts(config=config)
    product = Product(name=name or code, code=code)
    product.journal = Journal(ModelData.get_id(
            'saccos_share', 'journal_shares',
            (config or get_config()).context))
    product.suspense_account = accounts['share_application_suspense']
    product.equity_account = accounts['share_capital']
    product.fee_income_account = accounts['fee_income']
    for field, value in values.items():
        setattr(product, field, value)
    product.save()
    return product


def open_share_account(member, product, shares, date, payment_mode='cash',
        config=None, approve=True, **values):
    """A share account applied for on date, paid by payment_mode, and
    approved on date"""
    Account = Model.get('saccos.share.account', config=config)
    account = Account(member=member, product=product)
    account.requested_shares = shares
    account.submitted_date = date
    account.payment_mode = payment_mode
    for field, value in values.items():
        setattr(account, field, value)
    account.save()
    account.click('submit')
    if approve:
        account.status_date = date
        account.save()
        account.click('approve')
    return account
