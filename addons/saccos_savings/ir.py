# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('saccos.savings.interest.run|post_interest_cron',
                    "Post Savings Interest"),
                ('saccos.savings.account|mark_dormant',
                    "Mark Dormant Savings Accounts Inactive"),
                ('saccos.savings.alert|missed_deposits_cron',
                    "Alert on Missed Savings Deposits"),
                ])
