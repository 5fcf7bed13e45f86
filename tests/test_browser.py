# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A teller logs into the sao web client, registers a member and finds it
in the Members list.  Screenshots of each step go to artifacts/browser/."""

from .browser import ACTIVE, Steps, needs_browser

TELLER_PASSWORD = 'Teller-Test-2026'
pytestmark = needs_browser


def test_teller_registers_member(instance, browser):
    instance.python(f"""
        from proteus import Model
        from trytond.modules.saccos_member.tests.tools import (
            setup_saccos, create_staff_user)
        setup_saccos(config=config)
        teller = create_staff_user('teller', config=config)
        User = Model.get('res.user')
        teller = User(teller.id)
        teller.password = {TELLER_PASSWORD!r}
        teller.save()
        """)
    url = instance.start()
    steps = Steps(browser, 'teller-registers-member')
    from selenium.webdriver.common.keys import Keys
    try:
        browser.get(url + '#' + instance.name)
        login = steps.visible('input#login')
        steps.shot('login')
        login.send_keys('teller', Keys.ENTER)
        password = steps.visible('input[type=password]')
        password.send_keys(TELLER_PASSWORD, Keys.ENTER)

        from selenium.webdriver.common.action_chains import ActionChains
        saccos = steps.clickable_xpath(
            "//div[@id='menu']//div[@title='SACCO']")
        steps.shot('logged-in')
        saccos.find_element('xpath', './ancestor::tr//span[@class="expander"]'
            ).click()
        members = steps.clickable_xpath(
            "//div[@id='menu']//div[@title='Members']")
        ActionChains(browser).double_click(members).perform()
        steps.visible('.tab-content .screen-container')
        steps.shot('members-list')

        steps.clickable_xpath(
            "//div[contains(@class,'tab-pane') and contains(@class,'active')]"
            "//button[@title='New' or .//*[normalize-space(text())='New']]"
            ).click()
        # The form is read-only until its defaults have arrived.
        steps.wait.until(lambda d: d.find_element('css selector',
                "div.tab-pane.active .form select[name='member_kind']"
                ).get_attribute('value') == '"individual"')
        name = steps.clickable_xpath(
            "//div[contains(@class,'tab-pane') and contains(@class,'active')]"
            "//div[contains(@class,'form')]//input[@name='name']")
        name.click()
        name.send_keys('Amina Juma Browser')
        steps.shot('member-form')
        name.send_keys(Keys.CONTROL, 's')
        steps.wait.until(lambda d: 'Record saved.' in d.find_element(
                'css selector', 'div.tab-pane.active').text)
        steps.shot('member-saved')
        # Back to the list: the new member is there
        switch = steps.clickable_xpath(
            "//div[contains(@class,'tab-pane') and contains(@class,'active')]"
            "//button[@title='Switch' or contains(@title,'Switch')]")
        # the "Record saved." bar lies over the toolbar for a while
        browser.execute_script("arguments[0].click();", switch)
        steps.wait.until(lambda d: 'Amina Juma Browser' in d.find_element(
                'css selector', 'div.tab-pane.active').text)
        steps.shot('member-in-list')
    except Exception:
        steps.keep_failure()
        raise

    # and the server agrees
    names = instance.python("""
        from proteus import Model
        print([(p.name, p.member_state) for p in Model.get('party.party').find(
            [('is_member', '=', True)])])
        """)
    assert "('Amina Juma Browser', 'applicant')" in names


def test_teller_sees_savings(instance, browser):
    """The savings screens render in sao for a teller: the accounts list,
    an account's form with its balance, its transactions"""
    instance.python(f"""
        import datetime as dt
        from decimal import Decimal
        from proteus import Model, Wizard
        from trytond.modules.saccos_member.tests.tools import (
            setup_saccos, create_staff_user)
        from trytond.modules.saccos_savings.tests.tools import (
            open_last_year, create_savings_product, active_member,
            open_account)
        setup_saccos(config=config)
        year = open_last_year(config=config)
        product = create_savings_product('VOL', "Voluntary Savings",
            config=config, interest_rate=Decimal('5'))
        member = active_member('Rehema Browser', dt.date(year, 1, 2),
            config=config)
        account = open_account(member, product, dt.date(year, 2, 1),
            config=config)
        deposit = Wizard('saccos.savings.deposit', [account])
        deposit.form.date = dt.date(year, 2, 1)
        deposit.form.amount = Decimal('123456.78')
        deposit.execute('post')
        teller = create_staff_user('teller', config=config)
        User = Model.get('res.user')
        teller = User(teller.id)
        teller.password = {TELLER_PASSWORD!r}
        teller.save()
        """)
    url = instance.start()
    steps = Steps(browser, 'teller-sees-savings')
    from selenium.webdriver.common.action_chains import ActionChains
    active = ACTIVE
    try:
        steps.login(url + '#' + instance.name, 'teller', TELLER_PASSWORD)
        steps.open_menu('SACCO', 'Savings', 'Savings Accounts')
        # the default tab lists the accounts pending approval: show all
        steps.clickable_xpath(
            active + "//a[normalize-space(text())='All' or "
            ".//*[normalize-space(text())='All']]").click()
        row = steps.clickable_xpath(
            active + "//td[.//text()[contains(., 'SA-0000001')]]")
        steps.shot('savings-accounts')
        ActionChains(browser).double_click(row).perform()
        steps.wait.until(lambda d: '123,456.78' in (d.find_element(
                    'css selector',
                    "div.tab-pane.active .form input[name='balance']"
                    ).get_attribute('value') or ''))
        steps.shot('savings-account-form')
        steps.clickable_xpath(
            active + "//a[@role='tab' and normalize-space(.)='Transactions']"
            ).click()
        steps.wait.until(lambda d: 'SR-00000001' in d.find_element(
                'css selector', 'div.tab-pane.active').text)
        steps.shot('savings-transactions')
    except Exception:
        steps.keep_failure()
        raise


def test_manager_sees_shares_and_dividends(instance, browser):
    """The share and dividend screens render in sao for a manager: the
    share accounts list, an account's form with its shares, and the
    dividend runs"""
    instance.python(f"""
        import datetime as dt
        from decimal import Decimal
        from proteus import Model
        from trytond.modules.saccos_member.tests.tools import (
            setup_saccos, create_staff_user, get_saccos_accounts)
        from trytond.modules.saccos_savings.tests.tools import (
            open_last_year, active_member)
        from trytond.modules.saccos_share.tests.tools import (
            create_share_product, open_share_account)
        setup_saccos(config=config)
        year = open_last_year(config=config)
        product = create_share_product('ORD', "Ordinary Shares",
            config=config, total_shares=1000, shares_to_issue=1000,
            unit_price=Decimal('2500'))
        member = active_member('Rehema Browser', dt.date(year, 1, 2),
            config=config)
        open_share_account(member, product, 42, dt.date(year, 2, 1),
            config=config)
        ledger = get_saccos_accounts(config=config)
        Run = Model.get('saccos.dividend.run')
        Journal = Model.get('account.journal')
        journal, = Journal.find([('code', '=', 'DIV')])
        run = Run(name='Browser Dividend', product=product,
            start_date=dt.date(year, 1, 1), end_date=dt.date(year, 10, 31),
            amount=Decimal('50000'), journal=journal,
            appropriation_account=ledger['retained_earnings'],
            payable_account=ledger['dividends_payable'])
        run.save()
        run.click('compute')
        manager = create_staff_user('manager', config=config)
        User = Model.get('res.user')
        manager = User(manager.id)
        manager.password = {TELLER_PASSWORD!r}
        manager.save()
        """)
    url = instance.start()
    steps = Steps(browser, 'manager-sees-shares-and-dividends')
    from selenium.webdriver.common.action_chains import ActionChains
    active = ACTIVE
    try:
        steps.login(url + '#' + instance.name, 'manager', TELLER_PASSWORD)
        steps.open_menu('SACCO', 'Shares', 'Share Accounts')
        row = steps.clickable_xpath(
            active + "//td[.//text()[contains(., 'SH-0000001')]]")
        steps.shot('share-accounts')
        ActionChains(browser).double_click(row).perform()
        steps.wait.until(lambda d: '42' == (d.find_element(
                    'css selector',
                    "div.tab-pane.active .form input[name='shares']"
                    ).get_attribute('value') or '').strip())
        steps.shot('share-account-form')
        steps.open_menu('Dividends', 'Dividend Runs')
        steps.clickable_xpath(
            active + "//td[.//text()[contains(., 'Browser Dividend')]]")
        steps.shot('dividend-runs')
    except Exception:
        steps.keep_failure()
        raise


def test_loan_officer_sees_loans(instance, browser):
    """The loan screens render in sao for a loan officer: the loans list
    and a disbursed loan's form with its instalment"""
    instance.python(f"""
        import datetime as dt
        from decimal import Decimal
        from proteus import Model, Wizard
        from trytond.modules.saccos_member.tests.tools import (
            setup_saccos, create_staff_user)
        from trytond.modules.saccos_savings.tests.tools import (
            open_last_year, active_member)
        from trytond.modules.saccos_loan.tests.tools import (
            apply_for_loan, create_loan_product)
        from trytond.tests.tools import set_user
        setup_saccos(config=config)
        year = open_last_year(config=config)
        start = dt.date(year - 1, 12, 1)
        product = create_loan_product('DEV', "Development Loan",
            config=config, deposit_multiplier=None)
        member = active_member('Rehema Browser', start, config=config)
        officer = create_staff_user('loan_officer', config=config)
        committee = create_staff_user('committee', config=config)
        set_user(officer, config=config)
        loan = apply_for_loan(member, product, Decimal('100000'), 12,
            Decimal('12'), start, config=config, disbursement_mode='cash',
            expected_disbursement_date=start)
        loan.click('submit')
        loan.click('appraise')
        set_user(committee, config=config)
        loan = Model.get('saccos.loan')(loan.id)
        loan.status_date = start
        loan.save()
        loan.click('approve')
        set_user(1, config=config)
        disburse = Wizard('saccos.loan.disburse', [loan])
        disburse.form.date = start
        disburse.form.payment_mode = 'cash'
        disburse.execute('post')
        User = Model.get('res.user')
        officer = User(officer.id)
        officer.password = {TELLER_PASSWORD!r}
        officer.save()
        """)
    url = instance.start()
    steps = Steps(browser, 'loan-officer-sees-loans')
    from selenium.webdriver.common.action_chains import ActionChains
    active = ACTIVE
    try:
        steps.login(url + '#' + instance.name, 'loan_officer',
            TELLER_PASSWORD)
        steps.open_menu('SACCO', 'Loans', 'All Loans')
        row = steps.clickable_xpath(
            active + "//td[.//text()[contains(., 'LN-0000001')]]")
        steps.shot('loans')
        ActionChains(browser).double_click(row).perform()
        steps.wait.until(lambda d: '100,000.00' in (d.find_element(
                    'css selector',
                    "div.tab-pane.active .form input[name='amount']"
                    ).get_attribute('value') or ''))
        steps.shot('loan-form')
    except Exception:
        steps.keep_failure()
        raise
