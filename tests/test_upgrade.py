# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""`trytond-admin -u` on a database holding a SACCO's data keeps it."""
import json

SNAPSHOT = """
import json
from proteus import Model
Party = Model.get('party.party')
Fee = Model.get('saccos.member.fee')
Move = Model.get('account.move')
History = Model.get('saccos.member.status.history')
Nominee = Model.get('saccos.member.nominee')
members = Party.find([('is_member', '=', True)], order=[('id', 'ASC')])
print(json.dumps({
    'members': [(m.name, m.member_number, m.member_state, m.kyc_state,
            str(m.fees_owed), str(m.fees_paid)) for m in members],
    'fees': [(f.kind, f.state, str(f.amount), f.move.number)
        for f in Fee.find([], order=[('id', 'ASC')])],
    'moves': [(m.number, m.state, str(sum(l.debit for l in m.lines)))
        for m in Move.find([], order=[('id', 'ASC')])],
    'history': len(History.find([])),
    'nominees': len(Nominee.find([])),
    }))
"""


def test_upgrade_keeps_data(instance):
    """Members, fees, shares, dividends and loans survive the upgrade of
    every module"""
    instance.python("""
        from proteus import Model
        from trytond.modules.saccos_member.tests.tools import (
            setup_saccos, create_member, complete_kyc, approve_member)
        setup_saccos(config=config)
        amina = create_member('Amina Juma', config=config)
        complete_kyc(amina, config=config)
        approve_member(amina, payment='cash', reference='RCT-1')
        baraka = create_member('Baraka Mollel', config=config)
        complete_kyc(baraka, config=config)
        approve_member(baraka)
        create_member('Chausiku Said', config=config)
        """)
    before = json.loads(instance.python(SNAPSHOT))
    assert [m[:3] for m in before['members']] == [
        ['Amina Juma', 'M-000001', 'active'],
        ['Baraka Mollel', 'M-000002', 'active'],
        ['Chausiku Said', None, 'applicant'],
        ]
    assert len(before['fees']) == 2
    assert before['history'] == 2 and before['nominees'] == 2

    _load_shares(instance)
    _load_loans(instance)
    before = json.loads(instance.python(SNAPSHOT))
    shares_before = json.loads(instance.python(SHARES_SNAPSHOT))
    loans_before = json.loads(instance.python(LOANS_SNAPSHOT))
    assert loans_before['loans'] == [
        ['LN-0000001', 'active', 12, '92115.12']]
    assert loans_before['transactions'] == [
        ['disbursement', '100000.00'], ['repayment', '8884.88']]
    assert [a[:3] for a in shares_before['accounts']] == [
        ['SH-0000001', 'active', 30], ['SH-0000002', 'active', 10]]
    # 1,000 over 30 and 10 share-days
    assert shares_before['dividends'] == ['250.00', '750.00']

    instance.admin('-u', 'saccos_member', 'saccos_savings', 'saccos_share',
        'saccos_dividend', 'saccos_loan')

    assert json.loads(instance.python(SNAPSHOT)) == before
    assert json.loads(instance.python(SHARES_SNAPSHOT)) == shares_before
    assert json.loads(instance.python(LOANS_SNAPSHOT)) == loans_before
    # and the upgraded database still works: the next number follows
    numbers = instance.python("""
        from trytond.modules.saccos_member.tests.tools import (
            complete_kyc, approve_member)
        from proteus import Model
        chausiku, = Model.get('party.party').find(
            [('name', '=', 'Chausiku Said')])
        complete_kyc(chausiku, config=config)
        print(approve_member(chausiku).member_number)
        """)
    # after the two members of _load_shares and the borrower of _load_loans
    assert numbers.strip() == 'M-000006'
    # and so do the share references
    number = instance.python("""
        import datetime as dt
        from proteus import Model, Wizard
        account, = Model.get('saccos.share.account').find(
            [('number', '=', 'SH-0000002')])
        buy = Wizard('saccos.share.buy', [account])
        buy.form.shares = 5
        buy.form.payment_mode = 'cash'
        buy.execute('post')
        line, = Model.get('saccos.share.transaction').find(
            [('state', '=', 'pending')])
        print(line.number)
        """)
    assert number.strip() == 'ST-00000003'


SHARES_SNAPSHOT = """
import json
from proteus import Model
Account = Model.get('saccos.share.account')
Line = Model.get('saccos.share.transaction')
Run = Model.get('saccos.dividend.run')
Savings = Model.get('saccos.savings.transaction')
print(json.dumps({
    'accounts': [(a.number, a.state, a.shares, str(a.share_value))
        for a in Account.find([], order=[('id', 'ASC')])],
    'transactions': [(t.number, t.kind, t.state, t.shares, str(t.amount))
        for t in Line.find([], order=[('id', 'ASC')])],
    'runs': [(r.name, r.state, str(r.total_gross), str(r.total_net),
            len(r.lines), r.post_move.number)
        for r in Run.find([], order=[('id', 'ASC')])],
    'dividends': sorted(str(t.amount) for t in Savings.find(
            [('kind', '=', 'dividend')])),
    }))
"""


def _load_shares(instance):
    "Two members' shares and a posted dividend run"
    instance.python("""
        import datetime as dt
        from decimal import Decimal
        from proteus import Model
        from trytond.modules.saccos_member.tests.tools import (
            get_saccos_accounts)
        from trytond.modules.saccos_savings.tests.tools import (
            active_member, create_savings_product, open_account)
        from trytond.modules.saccos_share.tests.tools import (
            create_share_product, open_share_account)
        today = dt.date.today()
        product = create_share_product('ORD', config=config,
            total_shares=1000, shares_to_issue=1000,
            unit_price=Decimal('1000'))
        vol = create_savings_product('VOL', config=config)
        for name, shares in [('Rehema Shares', 30), ('Juma Shares', 10)]:
            member = active_member(name, today, config=config)
            open_share_account(member, product, shares, today,
                config=config,
                savings_account=open_account(member, vol, today,
                    config=config))
        ledger = get_saccos_accounts(config=config)
        Run = Model.get('saccos.dividend.run')
        journal, = Model.get('account.journal').find([('code', '=', 'DIV')])
        run = Run(name='Upgrade', product=product, start_date=today,
            end_date=today, amount=Decimal('1000'), journal=journal,
            appropriation_account=ledger['retained_earnings'],
            payable_account=ledger['dividends_payable'])
        run.save()
        run.click('compute')
        run.click('approve')
        run.click('post')
        """)


LOANS_SNAPSHOT = """
import json
from proteus import Model
Loan = Model.get('saccos.loan')
Transaction = Model.get('saccos.loan.transaction')
print(json.dumps({
    'loans': [(l.number, l.state, len(l.installments),
            '%.2f' % l.principal_outstanding)
        for l in Loan.find([], order=[('id', 'ASC')])],
    'transactions': [(t.kind, '%.2f' % t.amount)
        for t in Transaction.find([], order=[('id', 'ASC')])],
    }))
"""


def _load_loans(instance):
    "A loan disbursed a month ago and its first instalment paid (LA)"
    instance.python("""
        import datetime as dt
        from decimal import Decimal
        from proteus import Model, Wizard
        from trytond.modules.saccos_loan.tests.tools import (
            apply_for_loan, create_loan_product)
        from trytond.modules.saccos_savings.tests.tools import active_member
        today = dt.date.today()
        start = today - dt.timedelta(days=30)
        product = create_loan_product('DEV', config=config,
            deposit_multiplier=None)
        member = active_member('Zuberi Loans', start, config=config)
        loan = apply_for_loan(member, product, Decimal('100000'), 12,
            Decimal('12'), start, config=config, disbursement_mode='cash',
            expected_disbursement_date=start, first_due_date=today)
        loan.click('submit')
        loan.status_date = start
        loan.save()
        loan.click('appraise')
        # The approver may not be who entered the loan.
        from trytond.modules.saccos_member.tests.tools import (
            create_staff_user)
        from trytond.tests.tools import set_user
        committee = create_staff_user('committee', config=config)
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
        repay = Wizard('saccos.loan.repay', [loan])
        repay.form.date = today
        repay.form.amount = Decimal('8884.88')
        repay.form.payment_mode = 'cash'
        repay.execute('post')
        """)
