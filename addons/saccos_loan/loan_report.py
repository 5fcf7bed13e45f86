# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The printed loan documents: the repayment schedule (PDF and XLSX) and
the loan agreement.

A disbursed loan prints its stored instalments; a loan not yet disbursed
prints the schedule its terms give (the preview), so the member can sign
the agreement on the schedule the loan will be disbursed with."""
import datetime as dt
import io
import re
from decimal import Decimal

from trytond.modules.saccos_member.document import (
    PdfDocument, PdfReport, format_amount)
from trytond.modules.saccos_member.kyc import PERSONAL_IDENTIFIER_TYPES
from trytond.modules.saccos_member.money import amount_in_words
from trytond.pool import Pool

# The identifiers printed to identify a borrower: a person's ID or
# passport, a group's or company's registration number.
ID_TYPES = PERSONAL_IDENTIFIER_TYPES | {'registration'}

SCHEDULE_HEADERS = ["No.", "Due Date", "Principal", "Interest", "Fee",
    "Instalment", "Balance After"]
SCHEDULE_WIDTHS = [12, 26, 30, 28, 22, 32, 36]
SCHEDULE_ALIGNS = ['R', 'L', 'R', 'R', 'R', 'R', 'R']


def loan_rows(loan):
    """The stored instalments of a disbursed loan (in order), else the
    schedule its terms give"""
    if loan.installments:
        return sorted(loan.installments, key=lambda i: (i.number, i.id))
    return loan.schedule_rows()


def schedule_rows(loan, rows=None):
    """The schedule of loan as dicts with number, due_date, principal,
    interest, fee, total and balance (the principal outstanding after the
    instalment); rows are loan_rows(loan) when not given"""
    if rows is None:
        rows = loan_rows(loan)
    result = []
    if loan.installments:
        balance = loan.amount
        for installment in rows:
            balance -= installment.principal
            result.append({
                    'number': installment.number,
                    'due_date': installment.due_date,
                    'principal': installment.principal,
                    'interest': installment.interest,
                    'fee': installment.fee,
                    'total': installment.total,
                    'balance': balance,
                    })
    else:
        for row in rows:
            result.append({
                    'number': row.number,
                    'due_date': row.due_date,
                    'principal': row.principal,
                    'interest': row.interest,
                    'fee': row.fee,
                    'total': row.total,
                    'balance': row.balance,
                    })
    return result


def schedule_totals(rows):
    "The principal, interest, fees and total repayable of schedule rows"
    totals = {k: Decimal(0) for k in ['principal', 'interest', 'fee',
            'total']}
    for row in rows:
        for key in totals:
            totals[key] += row[key]
    return totals


def format_rate(rate):
    "12.5000 -> '12.5% a year'"
    if rate is None:
        return ''
    return '{:f}% a year'.format(Decimal(rate).normalize())


def _member(member):
    return '%s (%s)' % (member.name, member.member_number or '')


def member_identifier(member):
    "The first national ID, passport or registration number of member"
    for identifier in getattr(member, 'identifiers', None) or []:
        if identifier.type in ID_TYPES and identifier.code:
            return '%s %s' % (identifier.type_string, identifier.code)
    return ''


def _frequency(loan):
    every = loan.frequency_every or 1
    if every > 1:
        return '%s (every %s)' % (loan.frequency_string, every)
    return loan.frequency_string


def _disbursement(loan):
    if loan.disbursement_date:
        return ("Disbursed on", str(loan.disbursement_date))
    return ("Expected disbursement", str(
            loan.expected_disbursement_date or ''))


def _header(loan):
    "The terms of loan printed above its schedule"
    return [
        ("Loan number", loan.number or ''),
        ("Member", _member(loan.member)),
        ("Product", loan.product.rec_name),
        ("Amount", format_amount(loan.amount)),
        ("Interest rate", format_rate(loan.rate)),
        ("Instalments", str(loan.term)),
        ("Repayment frequency", _frequency(loan)),
        ("Interest method", loan.interest_method_string),
        _disbursement(loan),
        ]


def penalty_policy(product):
    "The product's penalty on late instalments, in words"
    method = product.penalty_method
    text = product.penalty_method_string
    if method == 'none':
        return text
    if method in {'overdue_principal', 'overdue_total'}:
        frequencies = dict(product.fields_get(['penalty_frequency'])[
                'penalty_frequency']['selection'])
        text = '%s: %s%%, %s' % (text,
            '{:f}'.format(Decimal(product.penalty_rate or 0).normalize()),
            frequencies.get(product.penalty_frequency, '').lower())
    elif method == 'flat_per_day':
        text = '%s: %s' % (text, format_amount(product.penalty_amount))
    grace = product.penalty_grace_days or 0
    if grace:
        text += ', after %s days of grace' % grace
    return text


def _table_rows(rows):
    table = [[str(r['number']), str(r['due_date']),
            format_amount(r['principal']), format_amount(r['interest']),
            format_amount(r['fee']), format_amount(r['total']),
            format_amount(r['balance'])] for r in rows]
    totals = schedule_totals(rows)
    table.append(["", "Total", format_amount(totals['principal']),
            format_amount(totals['interest']), format_amount(totals['fee']),
            format_amount(totals['total']), ""])
    return table


def _page(document, company_name, title):
    "A new document, or a new page of document, titled for a loan"
    if document is None:
        return PdfDocument(company_name, title)
    document.pdf.add_page()
    document.line(company_name, bold=True)
    document.line(title, bold=True)
    return document


def _schedule_table(document, rows):
    document.table(SCHEDULE_HEADERS, _table_rows(rows), SCHEDULE_WIDTHS,
        SCHEDULE_ALIGNS)


def _totals_lines(document, totals):
    document.fields([
            ("Total principal", format_amount(totals['principal'])),
            ("Total interest", format_amount(totals['interest'])),
            ("Total fees", format_amount(totals['fee'])),
            ("Total repayable", format_amount(totals['total'])),
            ])


def schedule_pdf(loans):
    "The repayment schedule of each loan, one loan a page"
    title = "Repayment Schedule"
    document = None
    for loan in loans:
        document = _page(document, loan.company.rec_name, title)
        rows = schedule_rows(loan)
        document.fields(_header(loan))
        _schedule_table(document, rows)
        _totals_lines(document, schedule_totals(rows))
    if document is None:
        document = PdfDocument('', title)
    return document.output()


def _sheet_name(loan, used):
    "The loan's number (or id) as a valid and unique worksheet name"
    name = re.sub(r'[\[\]:*?/\\]', '-', loan.number or 'Loan %s' % loan.id)
    name = name.strip("'")[:31] or 'Loan %s' % loan.id
    base, i = name, 1
    while name.lower() in used:
        i += 1
        suffix = ' (%s)' % i
        name = base[:31 - len(suffix)] + suffix
    used.add(name.lower())
    return name


def schedule_xlsx(loans):
    "The repayment schedule of each loan, one loan a worksheet"
    import xlsxwriter
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {'in_memory': True})
    bold = book.add_format({'bold': True})
    money = book.add_format({'num_format': '#,##0.00'})
    money_bold = book.add_format({'num_format': '#,##0.00', 'bold': True})
    day = book.add_format({'num_format': 'yyyy-mm-dd'})
    used = set()
    for loan in loans:
        sheet = book.add_worksheet(_sheet_name(loan, used))
        sheet.write(0, 0, loan.company.rec_name, bold)
        sheet.write(1, 0, 'Repayment schedule', bold)
        row = 2
        for label, value in _header(loan):
            sheet.write(row, 0, label, bold)
            sheet.write(row, 1, value)
            row += 1
        row += 1
        for col, header in enumerate(SCHEDULE_HEADERS):
            sheet.write(row, col, header, bold)
        row += 1
        rows = schedule_rows(loan)
        for r in rows:
            sheet.write_number(row, 0, r['number'])
            sheet.write_datetime(row, 1, dt.datetime.combine(
                    r['due_date'], dt.time()), day)
            for col, key in enumerate(
                    ['principal', 'interest', 'fee', 'total', 'balance'],
                    start=2):
                sheet.write_number(row, col, r[key], money)
            row += 1
        totals = schedule_totals(rows)
        sheet.write(row, 1, 'Total', bold)
        for col, key in enumerate(
                ['principal', 'interest', 'fee', 'total'], start=2):
            sheet.write_number(row, col, totals[key], money_bold)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 6, 16)
    book.close()
    return output.getvalue()


def agreement_pdf(loans, date):
    "The loan agreement of each loan, dated date"
    title = "Loan Agreement"
    document = None
    for loan in loans:
        company = loan.company.rec_name
        member = loan.member
        document = _page(document, company, title)
        source = loan_rows(loan)
        rows = schedule_rows(loan, source)
        totals = schedule_totals(rows)
        fees = loan.disbursement_fees(source)

        document.line("Parties", bold=True)
        document.fields([
                ("Lender", company),
                ("Borrower", member.name),
                ("Member number", member.member_number or ''),
                ("Identification", member_identifier(member)),
                ])
        document.line("Loan", bold=True)
        document.fields([
                ("Loan number", loan.number or ''),
                ("Product", loan.product.rec_name),
                ("Purpose", loan.purpose or ''),
                ("Principal", format_amount(loan.amount)),
                ("In words", amount_in_words(loan.amount)),
                ("Interest rate", '%s (%s)' % (format_rate(loan.rate),
                        loan.interest_method_string)),
                ("Term", '%s instalments' % loan.term),
                ("Repayment frequency", _frequency(loan)),
                ("Instalment", format_amount(loan.instalment_amount)),
                ("Total interest", format_amount(totals['interest'])),
                ("Total repayable", format_amount(totals['total'])),
                _disbursement(loan),
                ])
        if fees:
            document.line("Fees charged at disbursement", bold=True)
            document.table(["Fee", "Amount"],
                [[fee.name, format_amount(amount)] for fee, amount in fees]
                + [["Total", format_amount(sum(
                                (a for _, a in fees), Decimal(0)))]],
                [120, 40], ['L', 'R'])
        guarantees = list(loan.guarantees or [])
        if guarantees:
            document.line("Guarantors", bold=True)
            document.table(["Guarantor", "Amount Guaranteed"],
                [[g.guarantor.rec_name, format_amount(g.amount)]
                    for g in guarantees],
                [120, 40], ['L', 'R'])
        collaterals = list(loan.collaterals or [])
        if collaterals:
            document.line("Collateral", bold=True)
            document.table(["Kind", "Description", "Value", "Valued On"],
                [[c.kind_string, (c.description or '')[:45],
                        format_amount(c.value), str(c.valuation_date or '')]
                    for c in collaterals],
                [40, 80, 36, 28], ['L', 'L', 'R', 'L'])
        document.line("Late payment", bold=True)
        document.line(penalty_policy(loan.product))
        document.line("")
        document.line(
            "The borrower agrees to repay the principal with its interest "
            "and fees in %s %s instalments as set out in the schedule "
            "below, and that instalments not paid when due are charged "
            "the penalty above.  The guarantors guarantee the repayment "
            "of the loan up to the amounts stated against their names, "
            "and the collateral above secures it, subject to the by-laws "
            "of %s." % (loan.term, loan.frequency_string.lower(), company))
        document.line("")
        document.line("Repayment schedule", bold=True)
        _schedule_table(document, rows)

        document.line("Signatures", bold=True)
        document.line("Dated %s" % date)
        document.line("")
        signature = ("Signature: ____________________    "
            "Date: ______________")
        document.line("Borrower: %s" % _member(member))
        document.line(signature)
        document.line("")
        for guarantee in guarantees:
            document.line("Guarantor: %s" % guarantee.guarantor.rec_name)
            document.line(signature)
            document.line("")
        document.line("For %s:" % company, bold=True)
        for official in ["Loan Officer", "Chairperson, Credit Committee",
                "Manager"]:
            document.line("%s: Name: ____________________" % official)
            document.line(signature)
            document.line("")
    if document is None:
        document = PdfDocument('', title)
    return document.output()


class ScheduleReport(PdfReport):
    __name__ = 'saccos.loan.schedule.report'

    @classmethod
    def render_pdf(cls, records, data):
        return schedule_pdf(records)


class ScheduleXlsxReport(PdfReport):
    __name__ = 'saccos.loan.schedule.xlsx'
    extension = 'xlsx'

    @classmethod
    def render(cls, records, data):
        return schedule_xlsx(records)


class AgreementReport(PdfReport):
    __name__ = 'saccos.loan.agreement'

    @classmethod
    def render_pdf(cls, records, data):
        Date = Pool().get('ir.date')
        return agreement_pdf(records, Date.today())
