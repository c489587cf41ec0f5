"""Report exports hold any title: characters a workbook (XML inside) cannot carry are dropped."""

import io

from openpyxl import load_workbook

from pustaka.reports.exports import to_csv, to_xlsx
from pustaka.reports.tables import Column, Table


def test_a_title_with_a_control_character_exports_to_xlsx_and_csv():
    table = Table(
        columns=[Column("title", "Title", "text"), Column("loans", "Loans", "count")],
        rows=[{"title": "Laskar\x01 pelangi\x0b", "loans": 3}],
    )

    sheet = load_workbook(io.BytesIO(to_xlsx(table, title="Most borrowed"))).active

    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Laskar pelangi"]
    assert rows == [("Laskar pelangi", 3)]
    assert "Laskar pelangi,3" in to_csv(table).decode("utf-8-sig")
