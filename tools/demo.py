#!/usr/bin/env python3
# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Load a demo SACCO into a Tryton database.

Deterministic: the same seed gives the same members, numbers and
ledger.  Used by ./run (first start) and by the benchmarks.

    python -O tools/demo.py --config config/trytond.conf --database saccos
    python tools/demo.py --logins
"""
import argparse
import datetime as dt
import random
import sys
from decimal import Decimal

# Staff users of the demo, one per SACCO role: login -> (role, password)
DEMO_USERS = {
    'teller': ('teller', 'Teller-Demo-2026'),
    'loan_officer': ('loan_officer', 'Loans-Demo-2026'),
    'committee': ('committee', 'Committee-Demo-2026'),
    'accountant': ('accountant', 'Accounts-Demo-2026'),
    'manager': ('manager', 'Manager-Demo-2026'),
    'auditor': ('auditor', 'Auditor-Demo-2026'),
    'sacco_admin': ('sacco_admin', 'Sacco-Admin-Demo-2026'),
    }
ADMIN_PASSWORD = 'Saccos-Admin-2026'

FIRST_NAMES_F = [
    'Amina', 'Rehema', 'Neema', 'Zawadi', 'Upendo', 'Halima', 'Mwanaisha',
    'Faraja', 'Grace', 'Esther', 'Happiness', 'Agnes', 'Zuhura', 'Saida',
    'Tumaini', 'Joyce', 'Mariam', 'Devota', 'Scholastica', 'Winfrida']
FIRST_NAMES_M = [
    'Baraka', 'Juma', 'Hamisi', 'Emmanuel', 'Godfrey', 'Joseph', 'Salum',
    'Abdallah', 'Daudi', 'Elia', 'Frank', 'Hassani', 'Innocent', 'Kelvin',
    'Mussa', 'Omari', 'Peter', 'Rashidi', 'Yusufu', 'Wilbard']
SURNAMES = [
    'Mushi', 'Mollel', 'Kimaro', 'Massawe', 'Mrema', 'Swai', 'Lyimo',
    'Mwakyusa', 'Mwansasu', 'Kileo', 'Shayo', 'Temba', 'Urassa', 'Mbwambo',
    'Komba', 'Ngowi', 'Nyerere', 'Mfinanga', 'Chande', 'Said', 'Juma',
    'Makame', 'Haji', 'Mwinyi', 'Kombo']
PLACES = [
    ('Dar es Salaam', 'Ilala', ['Kariakoo', 'Buguruni', 'Tabata']),
    ('Dar es Salaam', 'Kinondoni', ['Mwananyamala', 'Magomeni', 'Sinza']),
    ('Arusha', 'Arusha City', ['Kaloleni', 'Sekei', 'Themi']),
    ('Kilimanjaro', 'Moshi Municipal', ['Mawenzi', 'Kiboriloni', 'Soweto']),
    ('Mwanza', 'Nyamagana', ['Igogo', 'Mirongo', 'Pamba']),
    ('Dodoma', 'Dodoma City', ['Chamwino', 'Kikuyu', 'Makole']),
    ]
EMPLOYERS = [
    'Tanzania Ports Authority', 'Muhimbili National Hospital',
    'Ministry of Education', 'TANESCO', 'Kariakoo Traders',
    'University of Dar es Salaam', 'Self-employed']


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', help="trytond configuration file")
    parser.add_argument('-d', '--database', help="database name")
    parser.add_argument('--members', type=int, default=60,
        help="individual members to register (default 60)")
    parser.add_argument('--seed', type=int, default=2026)
    parser.add_argument('--logins', action='store_true',
        help="print the demo logins and exit")
    return parser.parse_args(argv)


def print_logins(file=sys.stdout):
    print("Demo logins (user / password):", file=file)
    print(f"  {'admin':<14} {ADMIN_PASSWORD}  (system administrator)",
        file=file)
    for login, (role, password) in DEMO_USERS.items():
        print(f"  {login:<14} {password}", file=file)


def member_particulars(rng, index, today):
    "Name, sex, birth date, NIDA number, phone and address of a person"
    female = rng.random() < 0.55
    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    middle = rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)
    surname = rng.choice(SURNAMES)
    birth_date = today - dt.timedelta(days=rng.randint(19 * 365, 65 * 365))
    region, district, wards = rng.choice(PLACES)
    return {
        'name': f'{first} {middle} {surname}',
        'gender': 'female' if female else 'male',
        'birth_date': birth_date,
        'nida': '%s%012d' % (birth_date.strftime('%Y%m%d'), 100000 + index),
        'phone': '+255 7%d%d %03d %03d' % (
            rng.choice([1, 5, 6, 8]), rng.randint(0, 9),
            rng.randint(0, 999), rng.randint(0, 999)),
        'region': region,
        'district': district,
        'ward': rng.choice(wards),
        'employer': rng.choice(EMPLOYERS),
        'monthly_income': Decimal(rng.randrange(300_000, 3_000_000, 50_000)),
        }


def load(config, members=60, seed=2026, today=None):
    from proteus import Model
    from trytond.modules.saccos_member.tests.tools import (
        create_member, create_staff_user, setup_saccos)

    rng = random.Random(seed)
    today = today or dt.date.today()
    Company = Model.get('company.company')
    if Company.find([]):
        print("The demo SACCO is already loaded.")
        load_savings(config, rng, today)
        load_shares(config, rng, today)
        load_loans(config, rng, today)
        return False
    setup_saccos(config=config, today=today)

    User = Model.get('res.user')
    for login, (role, password) in DEMO_USERS.items():
        user = create_staff_user(login, role, config=config)
        user = User(user.id)
        user.password = password
        user.save()

    Branch = Model.get('saccos.branch')
    branches = [Branch(code=c, name=n) for c, n in [
            ('HQ', "Head Office, Kariakoo"), ('ARU', "Arusha Branch")]]
    Branch.save(branches)

    Attachment = Model.get('ir.attachment')
    DocumentType = Model.get('saccos.kyc.document.type')
    required = {k: DocumentType.find([('required_%s' % k, '=', True)])
        for k in ['individual', 'group', 'company']}
    Party = Model.get('party.party')

    def attach_documents(member, kind, skip=()):
        for type_ in required[kind]:
            if type_.code in skip:
                continue
            document = Attachment(
                resource=member, name='%s.pdf' % type_.code,
                kyc_document_type=type_,
                kyc_issue_date=today - dt.timedelta(days=400),
                data=b'%PDF-1.4 demo scan')
            if type_.expires:
                document.kyc_expiry_date = today + dt.timedelta(
                    days=rng.choice([20, 700, 1500, 2500]))
            document.save()

    people = []
    for index in range(members):
        p = member_particulars(rng, index, today)
        member = create_member(p['name'], config=config,
            application_date=today - dt.timedelta(days=rng.randint(0, 300)),
            branch=rng.choice(branches), birth_date=p['birth_date'],
            gender=p['gender'], region=p['region'], district=p['district'],
            ward=p['ward'], employer=p['employer'],
            monthly_income=p['monthly_income'],
            marital_status=rng.choice(['single', 'married', 'married']))
        identifier = member.identifiers.new()
        identifier.type = 'tz_nida'
        identifier.code = p['nida']
        mechanism = member.contact_mechanisms.new()
        mechanism.type = 'mobile'
        mechanism.value = p['phone']
        nominees = rng.choice([[100], [50, 50], [60, 40]])
        for percentage in nominees:
            nominee = member.member_nominees.new()
            nominee.name = '%s %s' % (
                rng.choice(FIRST_NAMES_F + FIRST_NAMES_M),
                p['name'].split()[-1])
            nominee.relationship = rng.choice(['spouse', 'child', 'parent'])
            nominee.percentage = Decimal(percentage)
        member.save()
        # One in ten applicants has not brought the introduction letter yet.
        incomplete = index % 10 == 9
        attach_documents(member, 'individual',
            skip={'introduction_letter'} if incomplete else ())
        people.append((member, incomplete))

    # Approvals: most applicants, paying their joining fee at the counter,
    # by mobile money, or owing it.
    for index, (member, incomplete) in enumerate(people):
        if incomplete or index % 7 == 6:
            continue
        member = Party(member.id)
        member.status_date = max(member.application_date, today
            - dt.timedelta(days=rng.randint(0, 30)))
        member.joining_fee_payment = rng.choice(
            ['cash', 'cash', 'mobile_money', 'bank', None])
        if member.joining_fee_payment:
            member.joining_fee_reference = 'RCT-%05d' % (index + 1)
        member.save()
        member.click('approve')

    # A chama with its officials, and a company member.
    chama = create_member("Tumaini Women Group", kind='group', config=config,
        region='Dar es Salaam', district='Ilala', ward='Buguruni',
        signing_rule="Chairperson and treasurer")
    identifier = chama.identifiers.new()
    identifier.type = 'registration'
    identifier.code = 'ILA/CBO/2019/0142'
    mechanism = chama.contact_mechanisms.new()
    mechanism.type = 'mobile'
    mechanism.value = '+255 754 100 200'
    for (member, _), role, signatory in zip(
            people[:5], ['chair', 'secretary', 'treasurer', 'member',
                'member'], [True, False, True, False, False]):
        membership = chama.group_members.new()
        membership.member = member
        membership.role = role
        membership.signatory = signatory
    chama.save()
    attach_documents(chama, 'group')
    chama = Party(chama.id)
    chama.status_date = today
    chama.joining_fee_payment = 'bank'
    chama.joining_fee_reference = 'BNK-TWG-01'
    chama.save()
    chama.click('approve')
    load_savings(config, rng, today)
    load_shares(config, rng, today)
    load_loans(config, rng, today)
    print(f"Demo SACCO loaded: {members} members, 1 group.")
    return True


def load_savings(config, rng, today):
    """Savings products, an account of each for the active members and
    some deposits and withdrawals over the last weeks; skipped when the
    products exist"""
    from proteus import Model, Wizard
    from trytond.modules.saccos_member.tests.tools import (
        get_saccos_accounts)
    from trytond.modules.saccos_savings.tests.tools import (
        create_savings_product, open_account)
    Product = Model.get('saccos.savings.product')
    if Product.find([]):
        return
    ledger = get_saccos_accounts(config=config)
    deposits = create_savings_product(
        'MDP', "Member Deposits", config=config,
        savings_account=ledger['member_deposits'], deposit_type='mandatory',
        deposit_amount=Decimal('20000'), deposit_frequency='monthly',
        non_withdrawable=True, interest_rate=Decimal('6'),
        interest_posting='annual', missed_deposit_penalty=Decimal('500'),
        withholding_tax_rate=Decimal('5'))
    voluntary = create_savings_product(
        'VOL', "Voluntary Savings", config=config,
        interest_rate=Decimal('4'), minimum_opening_balance=Decimal('5000'),
        minimum_balance=Decimal('2000'), enforce_minimum_balance=True,
        maximum_withdrawal=Decimal('1000000'),
        withdrawal_fee=Decimal('500'), dormancy_days=180,
        withholding_tax_rate=Decimal('5'))
    Party = Model.get('party.party')
    # Inside the fiscal year the demo opened.
    opened = max(today.replace(month=1, day=1),
        today - dt.timedelta(days=rng.randint(10, 20)))
    for member in Party.find([('member_state', '=', 'active'),
                ('member_kind', '=', 'individual')]):
        for product in [deposits, voluntary]:
            account = open_account(member, product, opened, config=config)
            deposit = Wizard('saccos.savings.deposit', [account])
            deposit.form.date = opened
            deposit.form.amount = Decimal(rng.choice([20000, 40000, 60000]))
            deposit.form.payment_mode = rng.choice(
                ['cash', 'mobile_money', 'bank'])
            deposit.execute('post')
            if product == voluntary and rng.random() < 0.3:
                withdraw = Wizard('saccos.savings.withdraw', [account])
                withdraw.form.date = today
                withdraw.form.amount = Decimal('10000')
                withdraw.form.payment_mode = 'cash'
                withdraw.execute('post')


def load_shares(config, rng, today):
    """Ordinary shares at 1,000 and a share account of 20 to 50 shares,
    bought in cash, for each active member; skipped when the product
    exists"""
    from proteus import Model
    from trytond.modules.saccos_share.tests.tools import (
        create_share_product, open_share_account)
    Product = Model.get('saccos.share.product')
    if Product.find([]):
        return
    product = create_share_product(
        'ORD', "Ordinary Shares", config=config, total_shares=1000000,
        shares_to_issue=500000, unit_price=Decimal('1000'),
        decimal_places=0, multiples_of=Decimal('1000'), minimum_shares=10,
        default_shares=20, maximum_shares=50000,
        maximum_holding=Decimal('20'), purchase_charge_kind='fixed',
        purchase_charge=Decimal('500'), redeem_charge_kind='percentage',
        redeem_charge=Decimal('1'), lock_in_period=1, lock_in_unit='years',
        minimum_active_period=3, minimum_active_unit='months')
    Party = Model.get('party.party')
    opened = max(today.replace(month=1, day=1),
        today - dt.timedelta(days=rng.randint(10, 20)))
    for member in Party.find([('member_state', '=', 'active'),
                ('member_kind', '=', 'individual')]):
        savings = [a for a in member.savings_accounts
            if a.product.code == 'VOL']
        open_share_account(member, product, rng.randint(20, 50), opened,
            config=config,
            savings_account=savings[0] if savings else None)


def load_loans(config, rng, today):
    """A development loan product and, for a third of the active
    members, a loan applied for by the loan officer, approved by the
    credit committee and paid into the member's savings, with the daily
    job run as of today; skipped when the product exists"""
    from proteus import Model, Wizard
    from trytond.modules.saccos_loan.tests.tools import (
        apply_for_loan, create_loan_product)
    from trytond.tests.tools import set_user
    Product = Model.get('saccos.loan.product')
    User = Model.get('res.user')
    if Product.find([]):
        return
    admin = config.user
    users = {u.login: u for u in User.find([('login', 'in', [
                    'loan_officer', 'committee', 'teller', 'accountant'])])}
    shares, = Model.get('saccos.share.product').find([('code', '=', 'ORD')])
    product = create_loan_product(
        'DEV', "Development Loan", config=config,
        minimum_amount=Decimal('50000'), default_amount=Decimal('200000'),
        maximum_amount=Decimal('5000000'), minimum_term=3, default_term=12,
        maximum_term=36, minimum_rate=Decimal('10'),
        default_rate=Decimal('14'), maximum_rate=Decimal('18'),
        penalty_method='overdue_principal', penalty_rate=Decimal('2'),
        penalty_frequency='monthly', penalty_grace_days=5,
        share_product=shares)
    product.fees.new(name="Processing fee", timing='disbursement',
        basis='principal', amount=Decimal('1'), collection='deduct')
    product.compulsory_bands.new(amount_from=Decimal('0'), shares=10,
        savings_rate=Decimal('10'))
    product.save()
    Party = Model.get('party.party')
    Loan = Model.get('saccos.loan')
    members = Party.find([('member_state', '=', 'active'),
            ('member_kind', '=', 'individual')])
    opened = max(today.replace(month=1, day=1),
        today - dt.timedelta(days=rng.randint(10, 20)))
    for member in members[::3]:
        savings = [a for a in member.savings_accounts
            if a.product.code == 'VOL']
        # Within three times the member's deposits, the product's rule.
        deposits = sum(a.balance for a in member.savings_accounts)
        amounts = [a for a in [50000, 100000, 150000] if a <= 3 * deposits]
        if not amounts:
            continue
        set_user(users['loan_officer'], config=config)
        loan = apply_for_loan(member, product, Decimal(rng.choice(amounts)),
            rng.choice([6, 12, 24]), Decimal('14'), opened, config=config,
            expected_disbursement_date=opened,
            disbursement_mode='savings', savings_account=savings[0],
            purpose=rng.choice(["School fees", "Stock for the shop",
                    "Dairy cows", "Roofing"]))
        loan.click('submit')
        loan.status_date = opened
        loan.save()
        loan.click('appraise')
        set_user(users['committee'], config=config)
        loan = Loan(loan.id)
        loan.status_date = opened
        loan.save()
        loan.click('approve')
        set_user(users['teller'], config=config)
        disburse = Wizard('saccos.loan.disburse', [loan])
        disburse.form.date = opened
        disburse.execute('post')
    set_user(users['accountant'], config=config)
    daily = Wizard('saccos.loan.arrears_run.run')
    daily.form.date = today
    daily.execute('run')
    set_user(admin, config=config)


def main(argv=None):
    args = parse_args(argv)
    if args.logins:
        print_logins()
        return 0
    if not args.database:
        print("--database is required", file=sys.stderr)
        return 2
    from proteus import config as pconfig
    config = pconfig.set_trytond(args.database, config_file=args.config)
    load(config, members=args.members, seed=args.seed)
    print_logins()
    return 0


if __name__ == '__main__':
    sys.exit(main())
