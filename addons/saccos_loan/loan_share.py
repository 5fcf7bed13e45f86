# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The share module's answer to the compulsory-shares rule.

saccos_loan asks ``Loan.compulsory_shares_held(date)`` and works without
a share module (the rule then fails: it cannot be shown to be met).
These classes are registered only when saccos_share is installed
(tryton.cfg, ``[register saccos_share]``): the product names the share
product whose approved shares count, and the loan reads them through
``saccos.share.account.approved_shares``, the share module's interface
for it."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval


class Product(metaclass=PoolMeta):
    __name__ = 'saccos.loan.product'
    share_product = fields.Many2One(
        'saccos.share.product', "Compulsory Shares Of",
        domain=[('company', '=', Eval('company', -1))],
        help="The share product whose approved shares count for the "
        "compulsory shares of the bands.  Empty: every share product.")


class Loan(metaclass=PoolMeta):
    __name__ = 'saccos.loan'

    def compulsory_shares_held(self, date):
        pool = Pool()
        Account = pool.get('saccos.share.account')
        return Account.approved_shares(
            self.member, date, product=self.product.share_product)
