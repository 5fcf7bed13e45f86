# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Two tellers at once, on PostgreSQL: money is never paid out twice and
an interest period is never posted twice.

Each test sets a savings account up through proteus, then runs two
transactions in two threads: the first holds its lock until the second
has started, so the second must wait for it and then see its result."""
import datetime as dt
import os
import threading
import time
from decimal import Decimal

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get('TRYTOND_DATABASE__URI', '').startswith('postgresql'),
    reason="the concurrency tests need PostgreSQL")

YEAR = dt.date.today().year - 1


@pytest.fixture
def savings():
    "A member's account holding 100,000, in last year's books"
    from proteus import Model, Wizard
    from trytond.modules.saccos_member.tests.tools import setup_saccos
    from trytond.modules.saccos_savings.tests.tools import (
        active_member, create_savings_product, open_account, open_last_year)
    from trytond.tests.test_tryton import DB_NAME
    from trytond.tests.tools import activate_modules
    activate_modules('saccos_savings', setup_saccos)
    open_last_year()
    product = create_savings_product('VOL', interest_rate=Decimal('10'))
    member = active_member('Rehema Mushi', dt.date(YEAR, 1, 2))
    account = open_account(member, product, dt.date(YEAR, 3, 1))
    deposit = Wizard('saccos.savings.deposit', [account])
    deposit.form.date = dt.date(YEAR, 3, 1)
    deposit.form.amount = Decimal('100000')
    deposit.form.payment_mode = 'cash'
    deposit.execute('post')
    company = Model.get('company.company').find([])[0].id
    yield DB_NAME, account.id, product.id, company
    # The threads opened connections of their own: close them so the next
    # test can restore the database.
    from trytond import backend
    backend.Database(DB_NAME).close()


def _in_transaction(database, company, func, hold=None, results=None,
        key=None):
    """Run func in its own transaction; hold: an event to wait for before
    committing; results[key] gets the result or the exception"""
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    while True:
        try:
            with Transaction().start(database, 0, context={
                        'company': company, 'companies': [company]},
                    **extras) as transaction:
                result = func()
                if hold is not None:
                    hold.wait(10)
                transaction.commit()
                results[key] = result
                return
        except TransactionError as error:
            error.fix(extras)
        except Exception as error:
            results[key] = error
            return


def _race(database, company, first, second):
    """Run first, keep its transaction open while second starts, then
    commit first; returns both outcomes"""
    results = {}
    release = threading.Event()
    one = threading.Thread(target=_in_transaction, args=(
            database, company, first, release, results, 'first'))
    two = threading.Thread(target=_in_transaction, args=(
            database, company, second, None, results, 'second'))
    one.start()
    time.sleep(1)
    two.start()
    time.sleep(1)
    release.set()
    one.join(30)
    two.join(30)
    return results['first'], results['second']


def test_two_withdrawals_one_balance(savings):
    """Two tellers pay out 70,000 each from 100,000: one succeeds, the
    other is refused, and the ledger pays once"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    database, account_id, _, company = savings
    pool = Pool(database)

    def withdraw():
        Account = pool.get('saccos.savings.account')
        Line = pool.get('saccos.savings.transaction')
        lines = Line.withdraw(Account(account_id), Decimal('70000'),
            dt.date(YEAR, 3, 5), 'cash')
        return [l.id for l in lines]

    first, second = _race(database, company, withdraw, withdraw)
    assert isinstance(first, list), first
    assert isinstance(second, Exception), second
    with Transaction().start(database, 0, context={'company': company}):
        Account = pool.get('saccos.savings.account')
        Line = pool.get('saccos.savings.transaction')
        account = Account(account_id)
        assert account.balance == Decimal('30000.00')
        assert len(Line.search([('kind', '=', 'withdrawal')])) == 1


def test_interest_posted_once(savings):
    "Two interest jobs for March at once post March once"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    database, account_id, product_id, company = savings
    pool = Pool(database)

    def post():
        Run = pool.get('saccos.savings.interest.run')
        Product = pool.get('saccos.savings.product')
        return [r.id for r in Run.post_interest(
                dt.date(YEAR, 3, 31), [Product(product_id)])]

    first, second = _race(database, company, post, post)
    outcomes = [first, second]
    assert sum(isinstance(o, list) and len(o) == 1 for o in outcomes) == 1, \
        outcomes
    with Transaction().start(database, 0, context={'company': company}):
        Line = pool.get('saccos.savings.transaction')
        interest = Line.search([('kind', '=', 'interest')])
        # 100,000 for the 31 days of March at 10%: 849.32
        assert [l.amount for l in interest] == [Decimal('849.32')]
