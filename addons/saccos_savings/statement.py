# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Account statements and transaction receipts, on screen, as XLSX and
as PDF."""
import datetime as dt
import io

from trytond.model import ModelView, fields
from trytond.modules.saccos_member.document import (
    PdfDocument, PdfReport, format_amount)
from trytond.modules.saccos_member.money import amount_in_words
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.wizard import (
    Button, StateReport, StateView, Wizard)


def statement(account, start, end):
    """Opening balance, the transactions of start..end with the running
    balance, and the closing balance"""
    pool = Pool()
    Account = pool.get('saccos.savings.account')
    Line = pool.get('saccos.savings.transaction')
    opening = Account.balances_at(
        [account], start - dt.timedelta(days=1))[account.id]
    round_ = account.currency.round
    balance = opening
    lines = []
    for line in Line.search([
                ('account', '=', account.id),
                ('date', '>=', start),
                ('date', '<=', end),
                ], order=[('date', 'ASC'), ('id', 'ASC')]):
        amount = round_(line.signed_amount)
        balance += amount
        lines.append({
                'date': line.date,
                'kind': line.kind,
                'receipt_number': line.receipt_number,
                'reference': line.reference,
                'description': line.description,
                'debit': -amount if amount < 0 else round_(0),
                'credit': amount if amount > 0 else round_(0),
                'balance': balance,
                'transaction': line,
                })
    return opening, lines, balance


class StatementStart(ModelView):
    "Savings Statement"
    __name__ = 'saccos.savings.statement.start'
    account = fields.Many2One(
        'saccos.savings.account', "Account", required=True,
        domain=[('state', 'not in', ['draft', 'pending', 'cancelled'])])
    start_date = fields.Date("From", required=True)
    end_date = fields.Date("To", required=True,
        domain=[('end_date', '>=', Eval('start_date'))])


class StatementLine(ModelView):
    "Savings Statement Line"
    __name__ = 'saccos.savings.statement.line'
    date = fields.Date("Date", readonly=True)
    transaction = fields.Many2One(
        'saccos.savings.transaction', "Transaction", readonly=True)
    description = fields.Char("Description", readonly=True)
    debit = fields.Numeric("Withdrawn", digits=(16, 2), readonly=True)
    credit = fields.Numeric("Deposited", digits=(16, 2), readonly=True)
    balance = fields.Numeric("Balance", digits=(16, 2), readonly=True)


class StatementResult(ModelView):
    "Savings Statement"
    __name__ = 'saccos.savings.statement.result'
    account = fields.Many2One(
        'saccos.savings.account', "Account", readonly=True)
    start_date = fields.Date("From", readonly=True)
    end_date = fields.Date("To", readonly=True)
    opening_balance = fields.Numeric(
        "Opening Balance", digits=(16, 2), readonly=True)
    lines = fields.One2Many(
        'saccos.savings.statement.line', None, "Transactions",
        readonly=True)
    closing_balance = fields.Numeric(
        "Closing Balance", digits=(16, 2), readonly=True)
    file = fields.Binary("Spreadsheet", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)


class Statement(Wizard):
    "Savings Statement"
    __name__ = 'saccos.savings.statement'
    start = StateView('saccos.savings.statement.start',
        'saccos_savings.statement_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Show", 'result', 'tryton-ok', default=True),
            ])
    result = StateView('saccos.savings.statement.result',
        'saccos_savings.statement_result_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('saccos.savings.statement.report')

    def default_start(self, fields):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        values = {
            'start_date': today.replace(day=1),
            'end_date': today,
            }
        if self.model and self.model.__name__ == 'saccos.savings.account':
            values['account'] = self.record.id
        return values

    def default_result(self, fields):
        account = self.start.account
        start, end = self.start.start_date, self.start.end_date
        opening, lines, closing = statement(account, start, end)
        return {
            'account': account.id,
            'start_date': start,
            'end_date': end,
            'opening_balance': opening,
            'closing_balance': closing,
            'lines': [{
                    'date': l['date'],
                    'transaction': l['transaction'].id,
                    'description': l['description'],
                    'debit': l['debit'],
                    'credit': l['credit'],
                    'balance': l['balance'],
                    } for l in lines],
            'file': statement_xlsx(account, start, end),
            'filename': 'statement-%s-%s-%s.xlsx' % (
                account.number, start, end),
            }

    def do_print_(self, action):
        return action, {
            'account': self.start.account.id,
            'start_date': self.start.start_date.isoformat(),
            'end_date': self.start.end_date.isoformat(),
            }


def statement_xlsx(account, start, end):
    import xlsxwriter
    opening, lines, closing = statement(account, start, end)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {'in_memory': True})
    sheet = book.add_worksheet('Statement')
    bold = book.add_format({'bold': True})
    money = book.add_format({'num_format': '#,##0.00'})
    day = book.add_format({'num_format': 'yyyy-mm-dd'})
    sheet.write(0, 0, account.company.rec_name, bold)
    sheet.write(1, 0, 'Statement of %s' % account.rec_name, bold)
    sheet.write(2, 0, 'From %s to %s' % (start, end))
    sheet.write(4, 0, 'Opening balance', bold)
    sheet.write_number(4, 5, opening, money)
    headers = ['Date', 'Receipt', 'Reference', 'Description', 'Withdrawn',
        'Deposited', 'Balance']
    for col, header in enumerate(headers):
        sheet.write(5, col, header, bold)
    row = 6
    for line in lines:
        sheet.write_datetime(row, 0, dt.datetime.combine(
                line['date'], dt.time()), day)
        sheet.write(row, 1, line['receipt_number'] or '')
        sheet.write(row, 2, line['reference'] or '')
        sheet.write(row, 3, line['description'] or '')
        sheet.write_number(row, 4, line['debit'], money)
        sheet.write_number(row, 5, line['credit'], money)
        sheet.write_number(row, 6, line['balance'], money)
        row += 1
    sheet.write(row, 0, 'Closing balance', bold)
    sheet.write_number(row, 6, closing, money)
    book.close()
    return output.getvalue()


class StatementReport(PdfReport):
    __name__ = 'saccos.savings.statement.report'

    @classmethod
    def render_pdf(cls, records, data):
        pool = Pool()
        Account = pool.get('saccos.savings.account')
        account = Account(data['account'])
        start = dt.date.fromisoformat(data['start_date'])
        end = dt.date.fromisoformat(data['end_date'])
        opening, lines, closing = statement(account, start, end)
        document = PdfDocument(account.company.rec_name, "Account Statement")
        document.fields([
                ("Account", account.number or ''),
                ("Product", account.product.rec_name),
                ("Owner", '%s (%s)' % (account.owner.name,
                        account.owner.member_number or '')),
                ("Period", '%s to %s' % (start, end)),
                ("Opening balance", format_amount(opening)),
                ])
        document.table(
            ["Date", "Receipt", "Description", "Withdrawn", "Deposited",
                "Balance"],
            [[str(l['date']), l['receipt_number'] or '',
                    (l['description'] or '')[:40],
                    format_amount(l['debit']) if l['debit'] else '',
                    format_amount(l['credit']) if l['credit'] else '',
                    format_amount(l['balance'])] for l in lines],
            [22, 28, 62, 26, 26, 26], ['L', 'L', 'L', 'R', 'R', 'R'])
        document.line("Closing balance: %s" % format_amount(closing),
            bold=True)
        return document.output()


def _plural(name):
    "Tanzanian Shilling -> tanzanian shillings, for amounts in words"
    name = name.lower()
    return name if name.endswith('s') else name + 's'


class ReceiptReport(PdfReport):
    __name__ = 'saccos.savings.receipt'

    @classmethod
    def render_pdf(cls, records, data):
        document = None
        for transaction in records:
            if document is None:
                document = PdfDocument(
                    transaction.company.rec_name, "Receipt")
            else:
                document.pdf.add_page()
            account = transaction.account
            kind = dict(transaction.fields_get(['kind'])['kind'][
                    'selection'])[transaction.kind]
            document.fields([
                    ("Receipt number", transaction.receipt_number or ''),
                    ("Date", str(transaction.date)),
                    ("Transaction", kind
                        + (' (reversal)' if transaction.reversal_of else '')),
                    ("Account", account.number or ''),
                    ("Member", '%s (%s)' % (transaction.party.name,
                            transaction.party.member_number or '')),
                    ("Transacted by", transaction.transacted_by.name
                        if transaction.transacted_by else ''),
                    ("Payment mode", transaction.payment_mode or ''),
                    ("Reference", transaction.reference or ''),
                    ("Amount", '%s %s' % (
                            transaction.company.currency.code,
                            format_amount(transaction.amount))),
                    ("Amount in words", amount_in_words(
                            transaction.amount,
                            _plural(transaction.company.currency.name))),
                    ])
        if document is None:
            document = PdfDocument('', "Receipt")
        return document.output()
