# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The share register (who holds how many shares at a date, on screen,
as XLSX and PDF) and the printed share certificate."""
import datetime as dt
import io
from decimal import Decimal

from sql.aggregate import Sum

from trytond.model import ModelView, fields
from trytond.modules.saccos_member.document import (
    PdfDocument, PdfReport, format_amount)
from trytond.modules.saccos_member.money import amount_in_words, to_decimal
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard


def register_rows(company, date, product=None):
    """One row per share account holding shares on date: account,
    member, product, shares, nominal value and market value, by number"""
    pool = Pool()
    Line = pool.get('saccos.share.transaction')
    Account = pool.get('saccos.share.account')
    Product = pool.get('saccos.share.product')
    line = Line.__table__()
    cursor = Transaction().connection.cursor()
    where = ((line.company == company.id) & (line.state == 'approved')
        & (line.effective_date <= date))
    if product:
        where &= line.product == product.id
    cursor.execute(*line.select(line.account,
            Sum(line.signed_shares), Sum(line.signed_amount),
            where=where, group_by=[line.account]))
    held = {a: (int(s or 0), to_decimal(v)) for a, s, v in cursor if s}
    accounts = Account.browse(list(held))
    prices = {p.id: p.market_price_at(date)
        for p in Product.browse(list({a.product.id for a in accounts}))}
    rows = []
    for account in sorted(accounts, key=lambda a: (a.number or '', a.id)):
        shares, value = held[account.id]
        price = prices[account.product.id]
        rows.append({
                'account': account,
                'member': account.member,
                'product': account.product,
                'shares': shares,
                'value': company.currency.round(value),
                'market_value': (company.currency.round(price * shares)
                    if price is not None else None),
                })
    return rows


def register_totals(rows):
    "The shares and the nominal value of the register's rows"
    return (sum(r['shares'] for r in rows),
        sum((r['value'] for r in rows), Decimal(0)))


class RegisterStart(ModelView):
    "Share Register"
    __name__ = 'saccos.share.register.start'
    company = fields.Many2One('company.company', "Company", required=True)
    date = fields.Date("As of", required=True)
    product = fields.Many2One('saccos.share.product', "Share Product",
        help="Leave empty for every share product.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class RegisterLine(ModelView):
    "Share Register Line"
    __name__ = 'saccos.share.register.line'
    account = fields.Many2One('saccos.share.account', "Share Account",
        readonly=True)
    member = fields.Many2One('party.party', "Member", readonly=True)
    product = fields.Many2One('saccos.share.product', "Product",
        readonly=True)
    shares = fields.Integer("Shares", readonly=True)
    value = fields.Numeric("Nominal Value", digits=(16, 2), readonly=True)
    market_value = fields.Numeric("Market Value", digits=(16, 2),
        readonly=True)


class RegisterResult(ModelView):
    "Share Register"
    __name__ = 'saccos.share.register.result'
    date = fields.Date("As of", readonly=True)
    lines = fields.One2Many('saccos.share.register.line', None, "Holders",
        readonly=True)
    total_shares = fields.Integer("Total Shares", readonly=True)
    total_value = fields.Numeric("Total Share Capital", digits=(16, 2),
        readonly=True)
    file = fields.Binary("XLSX", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)


class Register(Wizard):
    "Share Register"
    __name__ = 'saccos.share.register'
    start = StateView('saccos.share.register.start',
        'saccos_share.register_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Show", 'result', 'tryton-ok', default=True),
            ])
    result = StateView('saccos.share.register.result',
        'saccos_share.register_result_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('saccos.share.register.report')

    def default_result(self, fields):
        start = self.start
        rows = register_rows(start.company, start.date, start.product)
        shares, value = register_totals(rows)
        return {
            'date': start.date,
            'lines': [{
                    'account': r['account'].id,
                    'member': r['member'].id,
                    'product': r['product'].id,
                    'shares': r['shares'],
                    'value': r['value'],
                    'market_value': r['market_value'],
                    } for r in rows],
            'total_shares': shares,
            'total_value': value,
            'file': register_xlsx(start.company, start.date, rows),
            'filename': 'share-register-%s.xlsx' % start.date,
            }

    def do_print_(self, action):
        return action, {
            'company': self.start.company.id,
            'date': self.start.date.isoformat(),
            'product': self.start.product.id if self.start.product else None,
            }


def register_xlsx(company, date, rows):
    import xlsxwriter
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {'in_memory': True})
    sheet = book.add_worksheet('Share Register')
    bold = book.add_format({'bold': True})
    money = book.add_format({'num_format': '#,##0.00'})
    sheet.write(0, 0, company.rec_name, bold)
    sheet.write(1, 0, 'Share register as of %s' % date, bold)
    headers = ['Account', 'Member Number', 'Member', 'Product', 'Shares',
        'Nominal Value', 'Market Value']
    for col, header in enumerate(headers):
        sheet.write(3, col, header, bold)
    row = 4
    for r in rows:
        sheet.write(row, 0, r['account'].number or '')
        sheet.write(row, 1, r['member'].member_number or '')
        sheet.write(row, 2, r['member'].name)
        sheet.write(row, 3, r['product'].code)
        sheet.write_number(row, 4, r['shares'])
        sheet.write_number(row, 5, r['value'], money)
        if r['market_value'] is not None:
            sheet.write_number(row, 6, r['market_value'], money)
        row += 1
    shares, value = register_totals(rows)
    sheet.write(row, 0, 'Total', bold)
    sheet.write_number(row, 4, shares, bold)
    sheet.write_number(row, 5, value, money)
    book.close()
    return output.getvalue()


class RegisterReport(PdfReport):
    __name__ = 'saccos.share.register.report'

    @classmethod
    def render_pdf(cls, records, data):
        pool = Pool()
        Company = pool.get('company.company')
        Product = pool.get('saccos.share.product')
        company = Company(data['company'])
        date = dt.date.fromisoformat(data['date'])
        product = Product(data['product']) if data.get('product') else None
        rows = register_rows(company, date, product)
        document = PdfDocument(company.rec_name, "Share Register")
        document.fields([("As of", str(date))])
        document.table(
            ["Account", "Member No.", "Member", "Product", "Shares",
                "Nominal Value"],
            [[r['account'].number or '', r['member'].member_number or '',
                    r['member'].name[:30], r['product'].code,
                    str(r['shares']), format_amount(r['value'])]
                for r in rows],
            [26, 26, 58, 20, 20, 40], ['L', 'L', 'L', 'L', 'R', 'R'])
        shares, value = register_totals(rows)
        document.line("Total: %s shares, %s" % (shares, format_amount(value)),
            bold=True)
        return document.output()


class CertificateReport(PdfReport):
    __name__ = 'saccos.share.certificate'

    @classmethod
    def render_pdf(cls, records, data):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        document = None
        for account in records:
            title = "Share Certificate"
            if document is None:
                document = PdfDocument(account.company.rec_name, title)
            else:
                document.pdf.add_page()
                document.line(account.company.rec_name, bold=True)
                document.line(title, bold=True)
            shares = account.shares or 0
            value = account.share_value or Decimal(0)
            document.fields([
                    ("Certificate No.", account.number or ''),
                    ("Member", '%s (%s)' % (account.member.name,
                            account.member.member_number or '')),
                    ("Share product", account.product.rec_name),
                    ("Shares", str(shares)),
                    ("Nominal price", format_amount(
                            account.product.unit_price)),
                    ("Nominal value", format_amount(value)),
                    ("In words", amount_in_words(value)),
                    ("Allotted on", str(account.approval_date or '')),
                    ("Issued on", str(today)),
                    ])
            document.line(
                "This is to certify that the member named above is the "
                "registered holder of %s fully paid shares of %s in %s, "
                "subject to its by-laws." % (shares,
                    account.product.name, account.company.rec_name))
            document.line("")
            document.line("Chairperson: ____________________    "
                "Secretary: ____________________")
        if document is None:
            document = PdfDocument('', "Share Certificate")
        return document.output()
