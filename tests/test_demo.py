# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo SACCO that `./run` loads: it loads, its savings agree with
the ledger, and loading it again changes nothing."""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent

CHECK = """
import json
from proteus import Model, Wizard
Account = Model.get('saccos.savings.account')
check = Wizard('saccos.savings.reconciliation')
check.execute('result')
print(json.dumps({
    'accounts': len(Account.find([('state', '=', 'active')])),
    'products': sorted(p.code for p in Model.get(
            'saccos.savings.product').find([])),
    'agrees': [l.agrees for l in check.form.lines],
    'members': len(Model.get('party.party').find(
            [('is_member', '=', True)])),
    'shares': sum(a.shares for a in Model.get(
            'saccos.share.account').find([])),
    'share_capital': '%.2f' % -sum(l.debit - l.credit for l in Model.get(
            'account.move.line').find([
                ('account.code', '=', '3100')])),
    'loans': len(Model.get('saccos.loan').find([('state', '=', 'active')])),
    'principal': '%.2f' % sum(l.principal_outstanding for l in Model.get(
            'saccos.loan').find([('state', '=', 'active')])),
    'portfolio': '%.2f' % sum(l.debit - l.credit for l in Model.get(
            'account.move.line').find([
                ('account.code', '=', '1200')])),
    'runs': len(Model.get('saccos.loan.arrears_run').find([])),
    }))
"""


def test_demo_loads(instance):
    load = f"""
        import sys
        sys.path.insert(0, {str(ROOT / 'tools')!r})
        import demo
        demo.load(config, members=6)
        """
    instance.python(load)
    first = json.loads(instance.python(CHECK))
    assert first['products'] == ['MDP', 'VOL']
    assert first['accounts'] > 0 and first['accounts'] % 2 == 0
    # member deposits (2110) and voluntary savings (2100)
    assert first['agrees'] == [True, True]
    # Every active member holds 20 to 50 shares at 1,000 in share capital.
    assert first['shares'] >= 20 * first['accounts'] // 2
    assert first['share_capital'] == '%.2f' % (first['shares'] * 1000)
    # A third of the members borrowed; the portfolio account holds their
    # principal, and the daily job ran.
    assert first['loans'] >= 1
    assert first['portfolio'] == first['principal'] != '0.00'
    assert first['runs'] == 1
    instance.python(load)
    assert json.loads(instance.python(CHECK)) == first
