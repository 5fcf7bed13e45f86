# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The check an auditor makes first: do the savings accounts add up to
the ledger?  For each ledger account that holds savings, the sum of the
balances of the savings accounts of its products must equal the ledger
balance of that account, owner by owner.  Any difference (a manual
journal entry on a savings account, a lost transaction) is flagged with
the owners it concerns."""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond.model import ModelView, fields
from trytond.modules.saccos_member.money import to_decimal
from trytond.pool import Pool
from trytond.wizard import Button, StateView, Wizard


def savings_reconciliation(company, date=None):
    """[{ledger_account, products, savings, ledger, difference,
    parties}] for every ledger account of the company's savings
    products; parties lists (party id, savings, ledger) where they
    differ"""
    pool = Pool()
    Product = pool.get('saccos.savings.product')
    Account = pool.get('saccos.savings.account')
    Transaction_ = pool.get('saccos.savings.transaction')
    Move = pool.get('account.move')
    MoveLine = pool.get('account.move.line')
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    currency = company.currency

    products = Product.search([
            ('company', '=', company.id),
            ], order=[('code', 'ASC')])
    products += Product.search([
            ('company', '=', company.id),
            ('active', '=', False),
            ], order=[('code', 'ASC')])
    by_ledger = defaultdict(list)
    for product in products:
        by_ledger[product.savings_account].append(product)

    line = Transaction_.__table__()
    account = Account.__table__()
    product = Product.__table__()
    where = line.company == company.id
    if date:
        where &= line.date <= date
    savings = defaultdict(Decimal)
    cursor.execute(*line.join(account, condition=line.account == account.id
            ).join(product, condition=account.product == product.id
            ).select(product.savings_account, line.party,
            Sum(line.signed_amount), where=where,
            group_by=[product.savings_account, line.party]))
    for ledger_account, party, amount in cursor:
        savings[(ledger_account, party)] += to_decimal(amount)

    move = Move.__table__()
    move_line = MoveLine.__table__()
    ledger = defaultdict(Decimal)
    where = (move.company == company.id) & move_line.account.in_(
        [a.id for a in by_ledger] or [-1])
    if date:
        where &= move.date <= date
    cursor.execute(*move_line.join(move,
            condition=move_line.move == move.id).select(
            move_line.account, move_line.party,
            Sum(move_line.credit - move_line.debit), where=where,
            group_by=[move_line.account, move_line.party]))
    for ledger_account, party, amount in cursor:
        ledger[(ledger_account, party)] += to_decimal(amount)

    result = []
    for ledger_account, ledger_products in by_ledger.items():
        keys = {k for k in list(savings) + list(ledger)
            if k[0] == ledger_account.id}
        parties = []
        total_savings = total_ledger = Decimal(0)
        for key in sorted(keys, key=lambda k: k[1] or 0):
            s = currency.round(savings.get(key, Decimal(0)))
            g = currency.round(ledger.get(key, Decimal(0)))
            total_savings += s
            total_ledger += g
            if s != g:
                parties.append((key[1], s, g))
        result.append({
                'ledger_account': ledger_account,
                'products': ledger_products,
                'savings': total_savings,
                'ledger': total_ledger,
                'difference': total_ledger - total_savings,
                'parties': parties,
                })
    return result


class ReconciliationStart(ModelView):
    "Savings Reconciliation"
    __name__ = 'saccos.savings.reconciliation.start'
    date = fields.Date("As of", required=True)

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class ReconciliationLine(ModelView):
    "Savings Reconciliation Line"
    __name__ = 'saccos.savings.reconciliation.line'
    ledger_account = fields.Many2One(
        'account.account', "Ledger Account", readonly=True)
    products = fields.Char("Products", readonly=True)
    savings = fields.Numeric("Savings Accounts", digits=(16, 2),
        readonly=True)
    ledger = fields.Numeric("Ledger", digits=(16, 2), readonly=True)
    difference = fields.Numeric("Difference", digits=(16, 2),
        readonly=True)
    owners_different = fields.Integer("Owners Different", readonly=True)
    agrees = fields.Boolean("Agrees", readonly=True)


class ReconciliationResult(ModelView):
    "Savings Reconciliation"
    __name__ = 'saccos.savings.reconciliation.result'
    date = fields.Date("As of", readonly=True)
    lines = fields.One2Many(
        'saccos.savings.reconciliation.line', None, "Ledger Accounts",
        readonly=True)
    details = fields.Text("Differences by Owner", readonly=True)


class Reconciliation(Wizard):
    "Savings Reconciliation"
    __name__ = 'saccos.savings.reconciliation'
    start = StateView('saccos.savings.reconciliation.start',
        'saccos_savings.reconciliation_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Check", 'result', 'tryton-ok', default=True),
            ])
    result = StateView('saccos.savings.reconciliation.result',
        'saccos_savings.reconciliation_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_result(self, fields):
        pool = Pool()
        Company = pool.get('company.company')
        Party = pool.get('party.party')
        from trytond.transaction import Transaction
        company = Company(Transaction().context['company'])
        rows = savings_reconciliation(company, self.start.date)
        details = []
        for row in rows:
            for party_id, saved, ledger in row['parties']:
                name = Party(party_id).rec_name if party_id else '-'
                details.append('%s %s: %s / %s' % (
                        row['ledger_account'].code, name, saved, ledger))
        return {
            'date': self.start.date,
            'lines': [{
                    'ledger_account': r['ledger_account'].id,
                    'products': ', '.join(p.code for p in r['products']),
                    'savings': r['savings'],
                    'ledger': r['ledger'],
                    'difference': r['difference'],
                    'owners_different': len(r['parties']),
                    'agrees': not r['difference'] and not r['parties'],
                    } for r in rows],
            'details': '\n'.join(details) or None,
            }
