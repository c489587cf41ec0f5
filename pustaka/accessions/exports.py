"""The accession register of a year as CSV and XLSX (what a director opens), one row per line."""

import csv
import io

from django.utils.translation import gettext as _

from .choices import AcquisitionSource


def columns() -> list[str]:
    return [
        _("Accession number"),
        _("Acquisition date"),
        _("Barcode"),
        _("Title"),
        _("Call number"),
        _("Branch"),
        _("Item type"),
        _("Source of acquisition"),
        _("Supplier or donor"),
        _("Price"),
        _("Copy"),
    ]


def rows(lines) -> list[list]:
    """The register's lines as cells (numbers stay numbers, dates stay dates)."""
    out = []
    for line in lines:
        item = line.item
        out.append(
            [
                line.number,
                line.acquired_on,
                line.barcode,
                line.title,
                item.effective_call_number if item else "",
                item.branch.code if item else "",
                item.item_type.code if item else "",
                str(AcquisitionSource(line.source).label),
                line.supplier,
                line.price,
                str(_("deleted")) if item is None else "",
            ]
        )
    return out


def as_csv(lines) -> bytes:
    """UTF-8 with a byte order mark, so a spreadsheet opens the Indonesian letters right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns())
    for row in rows(lines):
        writer.writerow(["" if cell is None else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(lines, *, title: str) -> bytes:
    """One sheet: the heading row in bold and frozen, prices in Rupiah format, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(lines):
        sheet.append(row)
    for cell in sheet["B"][1:]:
        cell.number_format = "yyyy-mm-dd"
    for cell in sheet["J"][1:]:
        cell.number_format = '"Rp" #,##0'
    for letter, width in zip("ABCDEFGHIJK", (18, 12, 12, 48, 18, 8, 8, 14, 28, 14, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
