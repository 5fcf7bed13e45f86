# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The dividend register of a run: every member's basis, gross, tax, net
and where it was paid, as PDF and XLSX (the annual return regulators
ask for)."""
import io

from trytond.modules.saccos_member.document import (
    PdfDocument, PdfReport, format_amount)
from trytond.modules.saccos_member.money import to_decimal
from trytond.pool import Pool
from trytond.transaction import Transaction


def register_rows(run):
    "The run's lines with the member's number and name, in line order"
    pool = Pool()
    Line = pool.get('saccos.dividend.line')
    Party = pool.get('party.party')
    line = Line.__table__()
    party = Party.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*line.join(party, condition=line.member == party.id
            ).select(party.member_number, party.name, line.share_basis,
            line.deposit_basis, line.dividend, line.rebate, line.gross,
            line.tax, line.net, line.paid_to,
            where=line.run == run.id, order_by=[line.id]))
    for row in cursor:
        yield [row[0] or '', row[1] or ''] + [
            to_decimal(v) for v in row[2:9]] + [row[9] or '']


def _header(run):
    return [
        ("Run", run.name),
        ("Share product", run.product.rec_name),
        ("Period", '%s to %s' % (run.start_date, run.end_date)),
        ("State", run.state),
        ("Members", str(run.member_count or 0)),
        ("Gross", format_amount(run.total_gross)),
        ("Withholding tax", format_amount(run.total_tax)),
        ("Net", format_amount(run.total_net)),
        ]


class RegisterReport(PdfReport):
    __name__ = 'saccos.dividend.register'

    @classmethod
    def render_pdf(cls, records, data):
        document = None
        for run in records:
            if document is None:
                document = PdfDocument(run.company.rec_name,
                    "Dividend Register")
            else:
                document.pdf.add_page()
            document.fields(_header(run))
            document.table(
                ["Member No.", "Member", "Basis", "Gross", "Tax", "Net",
                    "Paid to"],
                [[r[0], r[1][:28], format_amount(r[2] + r[3]),
                        format_amount(r[6]), format_amount(r[7]),
                        format_amount(r[8]), r[9]]
                    for r in register_rows(run)],
                [24, 52, 30, 24, 20, 24, 16],
                ['L', 'L', 'R', 'R', 'R', 'R', 'L'])
        if document is None:
            document = PdfDocument('', "Dividend Register")
        return document.output()


class RegisterSpreadsheet(PdfReport):
    __name__ = 'saccos.dividend.register.xlsx'
    extension = 'xlsx'

    @classmethod
    def render(cls, records, data):
        import xlsxwriter
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {'in_memory': True})
        bold = book.add_format({'bold': True})
        money = book.add_format({'num_format': '#,##0.00'})
        for run in records:
            sheet = book.add_worksheet(('Run %s' % run.id)[:31])
            sheet.write(0, 0, run.company.rec_name, bold)
            sheet.write(1, 0, 'Dividend register', bold)
            row = 2
            for label, value in _header(run):
                sheet.write(row, 0, label, bold)
                sheet.write(row, 1, value)
                row += 1
            row += 1
            headers = ['Member Number', 'Member', 'Share Basis',
                'Deposit Basis', 'Dividend', 'Interest Rebate', 'Gross',
                'Withholding Tax', 'Net', 'Paid To']
            for col, header in enumerate(headers):
                sheet.write(row, col, header, bold)
            row += 1
            for values in register_rows(run):
                sheet.write(row, 0, values[0])
                sheet.write(row, 1, values[1])
                for col in range(2, 9):
                    sheet.write_number(row, col, values[col], money)
                sheet.write(row, 9, values[9])
                row += 1
        book.close()
        return output.getvalue()
