# This file is part of saccos.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Printed documents (receipts, statements, certificates) as PDF.

Tryton's own reports render OpenDocument templates and need LibreOffice
to give PDF, which a SACCO's server seldom has; these documents are
drawn directly with fpdf2 so every installation prints the same PDF.
A document is a title, header fields, tables and free lines."""
from decimal import Decimal

from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction

__all__ = ['PdfReport', 'PdfDocument', 'format_amount']


def format_amount(amount, digits=2):
    if amount is None:
        return ''
    return '{:,.{}f}'.format(Decimal(amount), digits)


class PdfDocument:
    "A simple A4 document: heading, key/value block and tables"

    def __init__(self, company_name, title):
        from fpdf import FPDF
        self.pdf = FPDF(orientation='P', unit='mm', format='A4')
        self.pdf.set_auto_page_break(True, margin=15)
        # Uncompressed: a few kilobytes more, and auditors' tools (and the
        # tests) can search the text.
        self.pdf.set_compression(False)
        self.pdf.add_page()
        self.pdf.set_font('Helvetica', 'B', 14)
        self.pdf.cell(0, 8, self._text(company_name), new_x='LMARGIN',
            new_y='NEXT')
        self.pdf.set_font('Helvetica', 'B', 12)
        self.pdf.cell(0, 8, self._text(title), new_x='LMARGIN',
            new_y='NEXT')
        self.pdf.ln(2)

    @staticmethod
    def _text(value):
        # The core fonts are Latin-1: replace what they cannot draw.
        return str(value if value is not None else '').encode(
            'latin-1', 'replace').decode('latin-1')

    def fields(self, pairs):
        self.pdf.set_font('Helvetica', '', 10)
        for label, value in pairs:
            self.pdf.set_font('Helvetica', 'B', 10)
            self.pdf.cell(50, 6, self._text(label))
            self.pdf.set_font('Helvetica', '', 10)
            self.pdf.multi_cell(0, 6, self._text(value), new_x='LMARGIN',
                new_y='NEXT')
        self.pdf.ln(2)

    def table(self, headers, rows, widths, aligns=None):
        aligns = aligns or ['L'] * len(headers)
        self.pdf.set_font('Helvetica', 'B', 9)
        for header, width, align in zip(headers, widths, aligns):
            self.pdf.cell(width, 6, self._text(header), border=1,
                align=align)
        self.pdf.ln()
        self.pdf.set_font('Helvetica', '', 9)
        for row in rows:
            for value, width, align in zip(row, widths, aligns):
                self.pdf.cell(width, 6, self._text(value), border=1,
                    align=align)
            self.pdf.ln()
        self.pdf.ln(2)

    def line(self, text, bold=False):
        self.pdf.set_font('Helvetica', 'B' if bold else '', 10)
        self.pdf.multi_cell(0, 6, self._text(text), new_x='LMARGIN',
            new_y='NEXT')

    def output(self):
        return bytes(self.pdf.output())


class PdfReport(Report):
    """A report whose content is drawn by render_pdf(records, data)
    instead of a template; a subclass with another extension (xlsx)
    overrides render"""
    extension = 'pdf'

    @classmethod
    def execute(cls, ids, data):
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        action_id = data.get('action_id')
        if action_id is None:
            action_report, = ActionReport.search([
                    ('report_name', '=', cls.__name__),
                    ], limit=1)
        else:
            action_report = ActionReport(action_id)
        model = action_report.model or data.get('model')
        ids = list(map(int, ids))
        cls.check_access(action_report, model, ids)
        records = []
        if model:
            records = pool.get(model).browse(ids)
        with Transaction().set_context(
                language=Transaction().context.get('language')):
            content = cls.render(records, data)
        name = action_report.name
        if len(records) == 1:
            name = '%s-%s' % (name, records[0].rec_name)
        return (cls.extension, content, action_report.direct_print, name)

    @classmethod
    def render(cls, records, data):
        return cls.render_pdf(records, data)

    @classmethod
    def render_pdf(cls, records, data):
        raise NotImplementedError
