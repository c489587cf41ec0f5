"""The acquisitions reports in the reports app: spending by fund and by vendor, on the page and as CSV
and XLSX; technicians do not read them."""

import io

import pytest
from openpyxl import load_workbook

from pustaka.acquisitions import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def spent(technician, sent, line):
    actions.receive_delivery(actor=technician, order=sent, counts={line.pk: 1})
    return sent


def test_spending_by_fund_on_the_page_and_in_csv(client, librarian, spent, fund):
    client.force_login(librarian)
    page = client.get("/staff/reports/acquisitions-funds/").content.decode()
    assert "BOOKS" in page and "Rp 170,000" in page and "Rp 85,000" in page and "Rp 745,000" in page
    csv = client.get("/staff/reports/acquisitions-funds/?format=csv").content.decode("utf-8-sig")
    assert "BOOKS,Buku umum" in csv and "1000000" in csv.replace(",00", "").replace(".00", "")


def test_spending_by_vendor_in_xlsx(client, librarian, spent, vendor):
    client.force_login(librarian)
    body = client.get("/staff/reports/acquisitions-vendors/?format=xlsx").content
    rows = [r for r in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True) if r and r[0] == vendor.name]
    assert rows and rows[0][1:4] == (1, 255000, 1)


def test_the_reports_are_not_for_technicians(client, technician):
    client.force_login(technician)
    assert client.get("/staff/reports/acquisitions-funds/").status_code == 403
