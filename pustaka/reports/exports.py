"""A computed report as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Indonesian
letters) or XLSX (openpyxl): the column labels, every row, then the totals row."""

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pustaka.core.xml import xml_safe

from .tables import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    """A cell's value for an export: numbers and dates as they are, everything else as text; text that a
    spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    text = xml_safe(str(value))  # a control character from an imported record would stop the workbook
    return "'" + text if text.startswith(FORMULA_START) else text


def rows_of(table: Table) -> list[list]:
    """The header, the rows and the totals row as lists of plain values."""
    out = [[str(c.label) for c in table.columns]]
    out += [[_plain(v) for v in table.cells(row)] for row in table.rows]
    if table.totals:
        out.append([_plain(table.totals.get(c.key, "")) for c in table.columns])
    return out


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows_of(table):
        writer.writerow([v.isoformat() if isinstance(v, datetime.date) else v for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table, *, title: str, subtitle: str = "", library: str = "") -> bytes:
    """A workbook with one sheet: the library and report names, the filters, then the table."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "Report"
    bold = Font(bold=True)
    sheet.append([library or title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([title if library else ""])
    sheet.append([subtitle])
    sheet.append([])
    rows = rows_of(table)
    header_row = sheet.max_row + 1
    for row in rows:
        sheet.append(row)
    for cell in sheet[header_row]:
        cell.font = bold
    if table.totals:
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        if column.kind == "date":
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
        elif column.kind == "percent":
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
                cell.number_format = "0.0"
        elif column.kind in ("count", "amount"):
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
                cell.number_format = "#,##0" if column.kind == "count" else "#,##0.00"
        widest = max([len(str(r[index - 1])) for r in rows[:200]] + [8])
        sheet.column_dimensions[letter].width = min(60, widest + 2)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
