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
    _fresh_pool(DB_NAME)
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
    _fresh_pool(DB_NAME)


def _fresh_pool(database):
    """Drop database with its pool and caches, as a scenario's tear-down
    does: the next activation must not see the modules and models an
    earlier test loaded under the same name"""
    from trytond.tests.test_tryton import drop_db
    drop_db(database)


def _in_transaction(database, company, func, hold=None, results=None,
        key=None, ready=None):
    """Run func in its own transaction; hold: an event to wait for before
    committing; results[key] gets the result or the exception.  A lock
    held by the other transaction is retried, as Tryton's dispatcher
    retries a request on DatabaseOperationalError"""
    from trytond import backend
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    retries = 30
    while True:
        try:
            with Transaction().start(database, 0, context={
                        'company': company, 'companies': [company]},
                    **extras) as transaction:
                result = func()
                if ready is not None:
                    # func ran with its locks: the other may start.
                    ready.set()
                if hold is not None:
                    hold.wait(30)
                transaction.commit()
                results[key] = result
                return
        except TransactionError as error:
            error.fix(extras)
        except backend.DatabaseOperationalError as error:
            if not retries:
                results[key] = error
                return
            retries -= 1
            time.sleep(0.2)
        except Exception as error:
            results[key] = error
            return


def _race(database, company, first, second):
    """Run first, keep its transaction open while second starts, then
    commit first; returns both outcomes"""
    results = {}
    release, ready = threading.Event(), threading.Event()
    one = threading.Thread(target=_in_transaction, args=(
            database, company, first, release, results, 'first', ready))
    two = threading.Thread(target=_in_transaction, args=(
            database, company, second, None, results, 'second'))
    one.start()
    # On a busy machine the first may take a while to get its locks.
    ready.wait(60)
    two.start()
    time.sleep(1)
    release.set()
    one.join(60)
    two.join(60)
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
    # The second teller waits for the first and is then refused.
    assert 'insufficient' in str(second) or 'balance' in str(second), second
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


@pytest.fixture
def shares():
    """Two members holding 10 shares each of a product that issues 100,
    and an approved dividend run over them, in last year's books"""
    from proteus import Model
    from trytond.modules.saccos_member.tests.tools import (
        get_saccos_accounts, setup_saccos)
    from trytond.modules.saccos_savings.tests.tools import (
        active_member, create_savings_product, open_account, open_last_year)
    from trytond.modules.saccos_share.tests.tools import (
        create_share_product, open_share_account)
    from trytond.tests.test_tryton import DB_NAME
    from trytond.tests.tools import activate_modules
    _fresh_pool(DB_NAME)
    config = activate_modules('saccos_dividend', setup_saccos)
    open_last_year()
    ledger = get_saccos_accounts()
    start = dt.date(YEAR - 1, 12, 1)
    product = create_share_product('ORD', total_shares=100,
        shares_to_issue=100, unit_price=Decimal('1000'), decimal_places=0)
    vol = create_savings_product('VOL')
    accounts = []
    for name in ["Rehema Mushi", "Juma Said"]:
        member = active_member(name, start)
        accounts.append(open_share_account(member, product, 10, start,
                savings_account=open_account(member, vol, start)).id)
    Run = Model.get('saccos.dividend.run')
    Journal = Model.get('account.journal')
    ModelData = Model.get('ir.model.data')
    run = Run(name="Race", product=product, start_date=start,
        end_date=dt.date(YEAR, 11, 30), amount=Decimal('1000'))
    run.journal = Journal(ModelData.get_id(
            'saccos_dividend', 'journal_dividends', config.context))
    run.appropriation_account = ledger['retained_earnings']
    run.payable_account = ledger['dividends_payable']
    run.save()
    run.click('compute')
    run.click('approve')
    company = Model.get('company.company').find([])[0].id
    yield DB_NAME, accounts, product.id, run.id, company
    from trytond import backend
    backend.Database(DB_NAME).close()
    _fresh_pool(DB_NAME)


def test_shares_not_oversold_and_dividend_posted_once(shares):
    """Two tellers sell 50 shares each when 80 are left: one sale passes,
    the other is refused, and no more than 100 are ever issued.  Then two
    accountants post the same dividend run at once: it pays once.  (One
    test: the set-up is the costly part.)"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    database, accounts, product_id, run_id, company = shares
    pool = Pool(database)

    def buy(account_id):
        def buy_():
            Account = pool.get('saccos.share.account')
            Line = pool.get('saccos.share.transaction')
            return Line.apply_purchase(Account(account_id), 50,
                dt.date(YEAR, 6, 1), 'cash').id
        return buy_

    first, second = _race(database, company, buy(accounts[0]),
        buy(accounts[1]))
    assert isinstance(first, int), first
    # The second waits for the first and then sees 30 shares left.
    assert 'left to issue' in str(second), second
    with Transaction().start(database, 0, context={'company': company}):
        Product = pool.get('saccos.share.product')
        product = Product(product_id)
        assert (product.issued_shares, product.pending_shares) == (20, 50)

    def post():
        Run = pool.get('saccos.dividend.run')
        Run(run_id).post_run()
        return Run(run_id).state

    first, second = _race(database, company, post, post)
    assert first == 'posted', first
    assert second == 'posted', second
    with Transaction().start(database, 0, context={'company': company}):
        Line = pool.get('saccos.savings.transaction')
        credits = Line.search([('kind', '=', 'dividend')])
        # 1,000 over two equal holdings: 500.00 each, once.
        assert sorted(l.amount for l in credits) == [
            Decimal('500.00'), Decimal('500.00')]


@pytest.fixture
def loan():
    """A member's loan of 100,000 over 12 months (calculations.md LA)
    disbursed in cash on 1 December, in last year's books, with a penalty
    of 1.5% of overdue principal"""
    from proteus import Model, Wizard
    from trytond.modules.saccos_member.tests.tools import (
        create_staff_user, setup_saccos)
    from trytond.modules.saccos_loan.tests.tools import (
        apply_for_loan, create_loan_product)
    from trytond.modules.saccos_savings.tests.tools import (
        active_member, open_last_year)
    from trytond.tests.test_tryton import DB_NAME
    from trytond.tests.tools import activate_modules, set_user
    _fresh_pool(DB_NAME)
    activate_modules('saccos_loan', setup_saccos)
    open_last_year()
    start = dt.date(YEAR - 1, 12, 1)
    product = create_loan_product('DEV', deposit_multiplier=None,
        penalty_method='overdue_principal', penalty_rate=Decimal('1.5'))
    member = active_member('Rehema Mushi', start)
    loan = apply_for_loan(member, product, Decimal('100000'), 12,
        Decimal('12'), start, disbursement_mode='cash',
        expected_disbursement_date=start,
        first_due_date=dt.date(YEAR - 1, 12, 31))
    loan.click('submit')
    loan.click('appraise')
    set_user(create_staff_user('committee'))
    loan = Model.get('saccos.loan')(loan.id)
    loan.status_date = start
    loan.save()
    loan.click('approve')
    set_user(1)
    disburse = Wizard('saccos.loan.disburse', [loan])
    disburse.form.date = start
    disburse.form.payment_mode = 'cash'
    disburse.execute('post')
    company = Model.get('company.company').find([])[0].id
    yield DB_NAME, loan.id, company
    from trytond import backend
    backend.Database(DB_NAME).close()
    _fresh_pool(DB_NAME)


def test_loan_paid_off_once_and_penalty_charged_once(loan):
    """Two tellers take the payoff of one loan at once: one closes it, the
    other is refused.  Then two daily jobs for one date (run before, so
    re-run) at once charge a penalty once.  (One test: the set-up is the
    costly part.)"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    database, loan_id, company = loan
    pool = Pool(database)
    date = dt.date(YEAR, 1, 15)

    def daily():
        Run = pool.get('saccos.loan.arrears_run')
        Company = pool.get('company.company')
        return Run.run_company(Company(company), date).id

    # The first run of the date; the race below re-runs it.
    results = {}
    _in_transaction(database, company, daily, results=results, key='run')
    assert isinstance(results['run'], int), results['run']

    first, second = _race(database, company, daily, daily)
    assert first == second == results['run'], (first, second)
    with Transaction().start(database, 0, context={'company': company}):
        Loan = pool.get('saccos.loan')
        Line = pool.get('saccos.loan.transaction')
        # The first instalment (7,884.88 of principal) is 15 days late:
        # 1.5% once, 118.27, charged once.
        assert [l.amount for l in Line.search([('kind', '=', 'penalty')])
            ] == [Decimal('118.27')]
        payoff = Line.payoff(Loan(loan_id), date)

    def pay_off():
        Loan = pool.get('saccos.loan')
        Line = pool.get('saccos.loan.transaction')
        return Line.repay(Loan(loan_id), payoff, date, 'cash').id

    first, second = _race(database, company, pay_off, pay_off)
    assert isinstance(first, int), first
    # The second waits for the first and finds the loan closed.
    assert 'closed' in str(second).lower(), second
    with Transaction().start(database, 0, context={'company': company}):
        Loan = pool.get('saccos.loan')
        Line = pool.get('saccos.loan.transaction')
        assert Loan(loan_id).state == 'closed'
        assert len(Line.search([('kind', '=', 'repayment')])) == 1
