"""The register's pages, exports and API: who may see and change them, what they show, no query per line."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pustaka.accessions.models import Accession, RegisterSettings
from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings import actions as holdings


@pytest.fixture
def numbered(record, branch, item_type, librarian):
    """Three copies of 2025 (a purchase, a gift, a deleted one) and one of 2024."""
    made = []
    for barcode, when, source, supplier, price in [
        ("A1", datetime.date(2025, 2, 1), "purchase", "Toko Buku Gramedia", Decimal("85000")),
        ("A2", datetime.date(2025, 6, 1), "gift", "Bapak Hendra Gunawan", None),
        ("A3", datetime.date(2025, 8, 1), "purchase", "", Decimal("1250000.50")),
        ("A4", datetime.date(2024, 12, 31), "deposit", "Perpusnas", None),
    ]:
        made.append(
            holdings.create_item(
                record=record,
                barcode=barcode,
                branch=branch,
                item_type=item_type,
                actor=librarian,
                status="received",
                acquired_on=when,
                acquisition_source=source,
                supplier=supplier,
                price=price,
            )
        )
    holdings.delete_item(item=made[2], actor=librarian)
    return made


def test_the_register_of_a_year_lists_its_lines_in_number_order(client, librarian, numbered):
    client.force_login(librarian)
    response = client.get("/staff/accessions/?year=2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("00001/B/2025") < html.index("00002/H/2025") < html.index("00003/B/2025")
    assert "Bapak Hendra Gunawan" in html
    assert "(deleted)" in html  # the deleted copy keeps its line
    assert "00001/SS/2024" not in html
    assert "3 copies numbered in 2025" in html


def test_the_register_reads_in_indonesian(client, librarian, numbered):
    client.force_login(librarian)
    html = client.get("/staff/accessions/?year=2025", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Buku induk 2025" in html
    assert "Hadiah" in html
    assert "Rp85.000" in html.replace("\xa0", "").replace(" ", "")


def test_the_register_page_asks_the_same_queries_for_many_lines(client, librarian, numbered, record, branch, item_type):
    client.force_login(librarian)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/staff/accessions/?year=2025")
    for n in range(10):
        holdings.create_item(
            record=record,
            barcode=f"M{n}",
            branch=branch,
            item_type=item_type,
            actor=librarian,
            acquired_on=datetime.date(2025, 9, 1),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/staff/accessions/?year=2025")
    assert "13 copies numbered in 2025" in response.content.decode()
    assert len(many) == len(few)


def test_the_printable_register_has_the_whole_year(client, librarian, numbered):
    client.force_login(librarian)
    html = client.get("/staff/accessions/?year=2025&print=1").content.decode()
    assert "window.print()" in html
    assert html.count('<td data-label="Accession number">') == 3


def test_the_register_exports_as_csv_and_xlsx(client, librarian, numbered):
    client.force_login(librarian)
    response = client.get("/staff/accessions/export.csv?year=2025")
    assert response["Content-Disposition"] == 'attachment; filename="buku-induk-2025.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Accession number", "Acquisition date", "Barcode", "Title"]
    assert [r[0] for r in rows[1:]] == ["00001/B/2025", "00002/H/2025", "00003/B/2025"]
    assert rows[1][7:10] == ["Purchase", "Toko Buku Gramedia", "85000.00"]
    assert rows[3][10] == "deleted"

    response = client.get("/staff/accessions/export.xlsx?year=2025")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Accession number"
    assert values[1][0] == "00001/B/2025" and values[1][1].date() == datetime.date(2025, 2, 1)
    assert values[3][9] == Decimal("1250000.50") or float(values[3][9]) == 1250000.5
    assert len(values) == 4
    assert client.get("/staff/accessions/export.pdf?year=2025").status_code == 404


@pytest.mark.parametrize(
    "url, allowed, refused",
    [
        ("/staff/accessions/", "technician", "circulation"),
        ("/staff/accessions/export.csv", "technician", "circulation"),
        ("/staff/accessions/pattern/", "librarian", "senior_technician"),
        ("/staff/accessions/items/A1/acquisition/", "senior_technician", "technician"),
    ],
)
def test_each_register_page_admits_its_roles_and_refuses_the_others(
    client, make_staff, numbered, url, allowed, refused
):
    client.force_login(make_staff(allowed, username=f"{allowed}-page"))
    assert client.get(url).status_code == 200
    client.force_login(make_staff(refused, username=f"{refused}-page"))
    assert client.get(url).status_code == 403


def test_the_item_page_shows_the_number_and_a_correction_keeps_it(client, librarian, numbered):
    client.force_login(librarian)
    html = client.get("/staff/holdings/items/A2/").content.decode()
    assert "00002/H/2025" in html and "Bapak Hendra Gunawan" in html
    response = client.post(
        "/staff/accessions/items/A2/acquisition/",
        {"source": "exchange", "supplier": "Perpustakaan UI", "price": "5.000"},
    )
    assert response.status_code == 302
    line = Accession.objects.get(barcode="A2")
    assert (line.number, line.source, line.supplier, line.price) == (
        "00002/H/2025",
        "exchange",
        "Perpustakaan UI",
        5000,
    )


def test_a_price_that_cannot_be_read_is_refused_on_its_field(client, librarian, numbered):
    client.force_login(librarian)
    response = client.post("/staff/accessions/items/A2/acquisition/", {"source": "gift", "price": "5.00.0"})
    assert response.status_code == 200
    assert "is not an amount" in response.content.decode()
    assert Accession.objects.get(barcode="A2").price is None


def test_the_pattern_page_previews_then_saves(client, librarian, numbered):
    client.force_login(librarian)
    response = client.post("/staff/accessions/pattern/", {"pattern": "INV/{yy}/{seq:04}", "preview": "1"})
    year = datetime.date.today().year
    assert f"INV/{year % 100:02d}/0001" in response.content.decode()
    assert RegisterSettings.current().pattern != "INV/{yy}/{seq:04}"
    response = client.post("/staff/accessions/pattern/", {"pattern": "{seq}/{isbn}", "save": "1"})
    assert "{isbn} is not a placeholder." in response.content.decode()
    client.post("/staff/accessions/pattern/", {"pattern": "INV/{yy}/{seq:04}", "save": "1"})
    assert RegisterSettings.current().pattern == "INV/{yy}/{seq:04}"


def test_a_copy_added_on_the_page_carries_its_acquisition(client, librarian, record, branch, item_type):
    client.force_login(librarian)
    response = client.post(
        f"/staff/holdings/records/{record.pk}/new-item/",
        {
            "barcode": "P1",
            "branch": branch.pk,
            "item_type": item_type.pk,
            "status": "available",
            "condition": "good",
            "acquisition_source": "gift",
            "supplier": "Ibu Ani",
            "price": "45.000",
            "acquired_on": "2025-04-01",
        },
    )
    assert response.status_code == 302, response.content
    line = Accession.objects.get(barcode="P1")
    assert (line.number, line.supplier, line.price) == ("00001/H/2025", "Ibu Ani", 45000)


# --- API -------------------------------------------------------------------------------------------


def test_the_api_lists_the_register_and_shows_a_copys_number(technician, numbered):
    api = ApiClient.as_user(technician)
    body = api.get("/accessions?year=2025").json()
    assert [line["number"] for line in body["items"]] == ["00001/B/2025", "00002/H/2025", "00003/B/2025"]
    assert body["items"][2]["item_exists"] is False
    assert body["items"][1]["source_label"] == "Gift"
    item = api.get("/items/A2").json()
    assert (item["accession_number"], item["acquisition_source"], item["supplier"]) == (
        "00002/H/2025",
        "gift",
        "Bapak Hendra Gunawan",
    )


def test_the_item_list_api_asks_no_query_per_copy(technician, numbered, django_assert_max_num_queries):
    api = ApiClient.as_user(technician)
    with django_assert_max_num_queries(8):
        body = api.get("/items?page_size=100").json()
    assert {i["accession_number"] for i in body["items"]} == {"00001/B/2025", "00002/H/2025", "00001/SS/2024"}


def test_the_api_adds_a_copy_with_its_acquisition_and_corrects_it(librarian, technician, record, item_type):
    api = ApiClient.as_user(librarian)
    response = api.post(
        "/items",
        {
            "record_id": record.pk,
            "barcode": "Q1",
            "branch": "MAIN",
            "item_type": "BOOK",
            "acquired_on": "2025-03-03",
            "acquisition_source": "exchange",
            "supplier": "Perpustakaan Daerah",
            "price": "Rp 70.000",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["accession_number"] == "00001/T/2025"
    refused = ApiClient.as_user(technician).patch("/items/Q1/accession", {"source": "gift"})
    assert refused.status_code == 403
    response = api.patch("/items/Q1/accession", {"source": "gift", "supplier": "Ibu Ani", "price": "5.000,50"})
    assert response.status_code == 200
    assert response.json()["price"] in ("5000.50", 5000.5)
    assert response.json()["number"] == "00001/T/2025"
    bad = api.patch("/items/Q1/accession", {"source": "stolen"})
    assert bad.status_code == 400 and bad.json()["field"] == "source"


def test_the_api_sets_the_pattern_or_says_why_not(librarian, senior_technician):
    api = ApiClient.as_user(librarian)
    assert ApiClient.as_user(senior_technician).patch("/accessions/pattern", {"pattern": "{seq}"}).status_code == 403
    bad = api.patch("/accessions/pattern", {"pattern": "{year}"})
    assert bad.status_code == 400
    assert bad.json() == {
        "code": "accession_pattern_not_valid",
        "message": "The accession number pattern is not valid: it needs {seq} exactly once.",
        "field": "pattern",
    }
    ok = api.patch("/accessions/pattern", {"pattern": "{seq:03}-{source}"})
    assert ok.json() == {"pattern": "{seq:03}-{source}", "next_number": "001-B"}
