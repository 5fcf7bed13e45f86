# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Interest posting: one run per product and posting period.

A run computes the interest of every open account of the product for
the period from the account's balances (interest.py), rounds it once per
account, and posts it in one move: the interest expense against each
owner's savings line, then the withholding tax from each owner's
savings line to the tax payable account.  The run is keyed by product
and period end, so running the job again for a period posts nothing, and
two jobs started together cannot both post it (the second fails on the
key and rolls back).

The run is set-based: balances are read with one grouped query, the
move goes through saccos_member's bulk ledger path and the transactions
are inserted set-wise, which is what makes month-end over 100,000
accounts possible (see bench/)."""
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from sql.aggregate import Sum
from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import AccessError
from trytond.modules.saccos_member.ledger import (
    bulk_post_moves, clear_cache, insert_rows, lock_move_sequences, to_date)
from trytond.modules.saccos_member.money import rounder, to_decimal
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .interest import compute_interest, period_ends, period_start

OPEN_STATES = ['active', 'inactive']


class InterestRun(ModelSQL, ModelView):
    "Savings Interest Run"
    __name__ = 'saccos.savings.interest.run'
    company = fields.Many2One('company.company', "Company", required=True,
        readonly=True)
    product = fields.Many2One(
        'saccos.savings.product', "Product", required=True, readonly=True,
        ondelete='RESTRICT')
    period_start = fields.Date("Period Start", required=True, readonly=True)
    period_end = fields.Date("Period End", required=True, readonly=True)
    move = fields.Many2One('account.move', "Move", readonly=True,
        ondelete='RESTRICT')
    account_count = fields.Integer("Accounts Credited", readonly=True)
    interest_amount = fields.Numeric(
        "Interest", digits='currency', readonly=True)
    tax_amount = fields.Numeric(
        "Withholding Tax", digits='currency', readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('period_unique', Unique(t, t.product, t.period_end),
                'saccos_savings.msg_interest_run_unique'),
            ]
        cls._order = [('period_end', 'DESC'), ('id', 'DESC')]

    def get_currency(self, name):
        return self.company.currency.id

    def get_rec_name(self, name):
        return '%s %s' % (self.product.code, self.period_end)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if external and mode in {'write', 'delete', 'create'}:
            raise AccessError(gettext(
                    'saccos_savings.msg_interest_run_readonly'))

    @classmethod
    def post_interest_cron(cls):
        "Scheduled: post every posting period that ended before today"
        pool = Pool()
        Date = pool.get('ir.date')
        return cls.post_interest(Date.today() - dt.timedelta(days=1))

    @classmethod
    def post_interest(cls, date, products=None):
        """Post each period of products that ended on or before date and
        has not been posted; returns the new runs"""
        pool = Pool()
        Product = pool.get('saccos.savings.product')
        Account = pool.get('saccos.savings.account')
        if products is None:
            products = Product.search([])
        runs = []
        for product in products:
            accounts = Account.search([
                    ('product', '=', product.id),
                    ('state', 'in', OPEN_STATES),
                    ('activation_date', '!=', None),
                    ], order=[('activation_date', 'ASC')], limit=1)
            if not accounts:
                continue
            first = accounts[0].activation_date
            posted = {r.period_end for r in cls.search([
                        ('product', '=', product.id),
                        ])}
            for end in period_ends(first, date, product.interest_posting):
                if end not in posted:
                    runs.append(cls.post_period(product, end))
        return runs

    @classmethod
    def post_period(cls, product, end):
        "Post the interest of product's accounts for the period ending end"
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        Line = pool.get('saccos.savings.transaction')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        company = product.company
        currency = company.currency
        start = period_start(end, product.interest_posting)

        lock_move_sequences(company, [end])
        # The key first: a second job for this period waits on it and then
        # fails instead of posting twice.
        run = cls(company=company, product=product, period_start=start,
            period_end=end)
        run.save()

        account = Account.__table__()
        line = Line.__table__()
        eligible = ((account.product == product.id)
            & account.state.in_(OPEN_STATES)
            & (account.activation_date <= end)
            & ((account.interest_posted_until == None)  # noqa: E711
                | (account.interest_posted_until < end)))
        cursor.execute(*account.select(
                account.id, account.owner, account.activation_date,
                account.interest_posted_until, account.interest_rate,
                where=eligible, order_by=[account.id]))
        accounts = cursor.fetchall()
        movements = defaultdict(list)
        cursor.execute(*line.join(account,
                condition=line.account == account.id).select(
                line.account, line.date, Sum(line.signed_amount),
                where=eligible & (line.date <= end),
                group_by=[line.account, line.date]))
        for account_id, date, amount in cursor:
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            movements[account_id].append((date, to_decimal(amount)))

        credits = []
        terms = cls.interest_terms(product)
        mode = product.rounding_mode
        round_ = rounder(currency)
        one_day = dt.timedelta(days=1)
        for account_id, owner, activated, posted_until, rate in accounts:
            activated = to_date(activated)
            posted_until = to_date(posted_until)
            first = max(d for d in [start, activated,
                    posted_until and posted_until + one_day] if d)
            interest = cls.account_interest(
                terms, to_decimal(rate), first, end,
                movements.get(account_id, []), activated)
            interest = round_(interest, mode)
            if interest > 0:
                credits.append((account_id, owner, interest))

        tax_rate = (product.withholding_tax_rate or 0) / Decimal(100)
        taxes = [(a, o, round_(i * tax_rate, ROUND_HALF_UP))
            for a, o, i in credits] if tax_rate else []
        taxes = [t for t in taxes if t[2] > 0]
        total = sum((i for _, _, i in credits), Decimal(0))
        total_tax = sum((t for _, _, t in taxes), Decimal(0))
        description = gettext('saccos_savings.msg_description_interest',
            product=product.code, date=end)
        savings_account = product.savings_account.id
        if credits:
            lines = [{
                    'account': product.interest_expense_account.id,
                    'debit': total,
                    'description': description,
                    }]
            lines.extend({
                    'account': savings_account,
                    'party': owner,
                    'credit': interest,
                    } for _, owner, interest in credits)
            if taxes:
                lines.extend({
                        'account': savings_account,
                        'party': owner,
                        'debit': tax,
                        } for _, owner, tax in taxes)
                lines.append({
                        'account': product.withholding_tax_account.id,
                        'credit': total_tax,
                        'description': description,
                        })
            move_id, = bulk_post_moves(company, product.journal, [{
                        'date': end,
                        'description': description,
                        'origin': str(run),
                        'lines': lines,
                        }])
            expense = product.interest_expense_account.id
            rows = [(a, o, 'interest', i, i, expense)
                for a, o, i in credits]
            if taxes:
                tax_account = product.withholding_tax_account.id
                rows += [(a, o, 'withholding_tax', t, -t, tax_account)
                    for a, o, t in taxes]
            cls._insert_transactions(company, end, move_id, description,
                rows)
        else:
            move_id = None
        if accounts:
            # Stamped as the ORM would: auditors see who ran the interest.
            cursor.execute(*account.update(
                    [account.interest_posted_until, account.write_uid,
                        account.write_date],
                    [end, transaction.user, CurrentTimestamp()],
                    where=eligible))
        cls.write([run], {
                'move': move_id,
                'account_count': len(credits),
                'interest_amount': total,
                'tax_amount': total_tax,
                })
        clear_cache(Account.__name__, Line.__name__)
        return run

    @staticmethod
    def interest_terms(product):
        "The product's interest terms, read once for a run"
        return {
            'method': product.interest_method,
            'days_in_year': int(product.days_in_year),
            'compounding': product.interest_compounding,
            'minimum_balance': product.minimum_balance_interest,
            }

    @classmethod
    def account_interest(cls, terms, rate, first, end, movements,
            activated):
        "Unrounded interest of one account from first to end"
        opening = sum((a for d, a in movements if d < first), Decimal(0))
        return compute_interest(
            terms['method'], rate / 100, first, end,
            opening=opening,
            movements=[(d, a) for d, a in movements if d >= first],
            days_in_year=terms['days_in_year'],
            compounding=terms['compounding'],
            minimum_balance=terms['minimum_balance'],
            opened=activated)

    @classmethod
    def _insert_transactions(cls, company, date, move_id, description,
            rows):
        pool = Pool()
        Line = pool.get('saccos.savings.transaction')
        user = Transaction().user
        now = dt.datetime.now()
        insert_rows(Line._table, [
                'company', 'account', 'party', 'kind', 'date', 'amount',
                'signed_amount', 'counter_account', 'move', 'period_end',
                'description', 'create_uid', 'create_date'],
            ([company.id, account, owner, kind, date, amount, signed,
                    counter, move_id, date, description, user, now]
                for account, owner, kind, amount, signed, counter in rows))

    @classmethod
    def post_account_interest(cls, account, date):
        """Post one account's interest from its last posting to date
        (closure); returns the interest and tax transactions"""
        pool = Pool()
        Line = pool.get('saccos.savings.transaction')
        Account = pool.get('saccos.savings.account')
        product = account.product
        currency = account.company.currency
        # From the last posting, even if a period run was missed.
        first = max(d for d in [
                account.activation_date,
                account.interest_posted_until
                and account.interest_posted_until + dt.timedelta(days=1)]
            if d)
        if first > date:
            return []
        movements = [(t.date, t.signed_amount) for t in Line.search([
                    ('account', '=', account.id),
                    ('date', '<=', date),
                    ])]
        interest = currency.round(cls.account_interest(
                cls.interest_terms(product), account.interest_rate, first,
                date, movements, account.activation_date),
            product.rounding_mode)
        result = []
        if interest > 0:
            description = gettext(
                'saccos_savings.msg_description_interest',
                product=product.code, date=date)
            records = [Line._new_line(
                    account, 'interest', interest, date,
                    product.interest_expense_account,
                    description=description, period_end=date)]
            tax_rate = (product.withholding_tax_rate or 0) / Decimal(100)
            tax = currency.round(interest * tax_rate, ROUND_HALF_UP)
            if tax > 0:
                records.append(Line._new_line(
                        account, 'withholding_tax', tax, date,
                        product.withholding_tax_account,
                        description=description, period_end=date))
            result = Line._post(records, description=description)
        Account.write([account], {'interest_posted_until': date})
        return result


class PostInterestStart(ModelView):
    "Post Savings Interest"
    __name__ = 'saccos.savings.interest.post.start'
    date = fields.Date("As of", required=True,
        help="Every posting period that ended on or before this date and "
        "is not posted yet is posted.")
    products = fields.Many2Many(
        'saccos.savings.product', None, None, "Products",
        help="Leave empty for all products.")

    @classmethod
    def default_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        # The month that ended last: what a month-end run posts.
        return today.replace(day=1) - dt.timedelta(days=1)


class PostInterestResult(ModelView):
    "Post Savings Interest"
    __name__ = 'saccos.savings.interest.post.result'
    runs = fields.Many2Many(
        'saccos.savings.interest.run', None, None, "Runs Posted",
        readonly=True)


class PostInterest(Wizard):
    "Post Savings Interest"
    __name__ = 'saccos.savings.interest.post'
    start = StateView('saccos.savings.interest.post.start',
        'saccos_savings.interest_post_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Post", 'post', 'tryton-ok', default=True),
            ])
    post = StateTransition()
    result = StateView('saccos.savings.interest.post.result',
        'saccos_savings.interest_post_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_post(self):
        pool = Pool()
        InterestRun = pool.get('saccos.savings.interest.run')
        runs = InterestRun.post_interest(
            self.start.date, list(self.start.products) or None)
        self.result.runs = runs
        return 'result'

    def default_result(self, fields):
        return {
            'runs': [r.id for r in self.result.runs],
            }
