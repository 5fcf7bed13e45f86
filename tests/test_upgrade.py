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

    instance.admin('-u', 'saccos_member')

    after = json.loads(instance.python(SNAPSHOT))
    assert after == before
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
    assert numbers.strip() == 'M-000003'
