"""The report pages, exports and API: who may read them, what they show, bad filters, query counts."""

import csv
import io

import pytest
from openpyxl import load_workbook

from pustaka.core.models import ApiToken

QUERY = "start=2026-01-01&end=2026-06-30&grain=month"


def test_the_reports_list_shows_what_the_role_may_read(client, library, librarian, circulation):
    client.force_login(librarian)
    html = client.get("/staff/reports/").content.decode()
    assert "/staff/reports/national/" in html and "/staff/reports/overdue/" in html
    client.force_login(circulation)
    html = client.get("/staff/reports/").content.decode()
    assert "/staff/reports/overdue/" in html
    assert "/staff/reports/members/" not in html


@pytest.mark.parametrize("role", ["technician", "circulation", "senior_technician"])
def test_roles_without_the_permission_are_refused_the_collection_report(client, library, make_staff, role):
    client.force_login(make_staff(role))
    assert client.get(f"/staff/reports/collection/?{QUERY}").status_code == 403
    assert client.get(f"/staff/reports/collection/?{QUERY}&format=csv").status_code == 403


def test_a_technician_reads_no_report_and_a_patron_no_staff_page(client, library, technician, patron_user):
    client.force_login(technician)
    assert client.get("/staff/reports/").status_code == 403
    assert client.get(f"/staff/reports/circulation/?{QUERY}").status_code == 403
    client.force_login(patron_user)
    assert client.get("/staff/reports/circulation/").status_code == 403


def test_the_desk_reads_the_circulation_report_with_chart_and_totals(client, library, circulation):
    client.force_login(circulation)
    response = client.get(f"/staff/reports/circulation/?{QUERY}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "Loans and returns" in html
    table = response.context["table"]
    assert table.totals["loans"] == 5
    assert "format=csv" in html and "format=xlsx" in html and "print=1" in html


def test_a_bad_date_is_refused_with_a_message_naming_the_field(client, library, librarian):
    client.force_login(librarian)
    response = client.get("/staff/reports/circulation/?start=2026-13-01")
    assert response.status_code == 400
    assert response.context["form"].errors["start"] == ["Enter a valid date."]
    response = client.get("/staff/reports/circulation/?start=2026-06-01&end=2026-01-01")
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
    response = client.get("/staff/reports/circulation/?start=2024-01-01&end=2026-06-01&grain=day")
    assert "A report by day covers at most a year" in response.content.decode()


def test_the_csv_export_has_the_labels_every_row_and_the_totals(client, library, librarian):
    client.force_login(librarian)
    response = client.get(f"/staff/reports/loans-by/?{QUERY}&by=category&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="loans-by-group_2026-01-01_2026-06-30.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Patron category", "Loans", "Renewals", "Borrowers", "Titles lent", "Share of loans (%)"]
    assert rows[1] == ["Pelajar", "3", "2", "1", "2", "60.0"]
    assert rows[2] == ["Public", "2", "1", "1", "1", "40.0"]
    assert rows[3][:3] == ["Total", "5", "3"]


def test_the_xlsx_export_opens_with_its_heading_and_numbers(client, library, librarian):
    client.force_login(librarian)
    response = client.get("/staff/reports/national/?year=2026&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[1][0] == "Yearly library statistics"
    header = values.index(("No.", "Section", "Indicator", "Value"))
    loans = next(row for row in values[header:] if row[0] == "4.1")
    assert loans == ("4.1", "Use of the collection", "Loans", 5)


def test_a_list_report_shows_the_first_rows_and_exports_all(client, library, librarian, monkeypatch):
    from pustaka.reports import queries

    monkeypatch.setattr(queries, "PAGE_ROWS", 1)
    client.force_login(librarian)
    response = client.get(f"/staff/reports/never-borrowed/?{QUERY}")
    assert len(response.context["table"].rows) == 1
    assert "2 rows; the first 1 are shown here" in response.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/staff/reports/never-borrowed/?{QUERY}&format=csv").content.decode("utf-8-sig"))
        )
    )
    assert [r[0] for r in rows[1:]] == ["I5", "I6"]


def test_report_pages_do_not_grow_queries_with_data(client, library, librarian, make_item, make_patron):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pustaka.circulation.models import Loan

    slugs = ["overdue", "loans-by", "top-titles", "never-borrowed", "circulation", "members", "collection", "national"]
    client.force_login(librarian)

    def counts():
        found = {}
        for slug in slugs:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/staff/reports/{slug}/").status_code == 200, slug
            found[slug] = len(queries)
        return found

    before = counts()
    now = timezone.now()
    for n in range(40):
        item = make_item(f"Q{n:03d}")
        Loan.objects.create(
            item=item, patron=make_patron(f"Q{n:03d}"), branch=item.branch,
            checked_out_at=now - datetime.timedelta(days=30), due_at=now - datetime.timedelta(days=16),
        )  # fmt: skip
    assert counts() == before
    assert max(before.values()) <= 30


def _bearer(user):
    key = ApiToken.generate()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key), prefix=key[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_answers_a_report_as_the_page_computes_it(client, library, librarian):
    response = client.get(f"/api/v1/reports/top-titles?{QUERY}&limit=5", **_bearer(librarian))
    assert response.status_code == 200
    data = response.json()
    assert data["start"] == "2026-01-01" and data["end"] == "2026-06-30"
    assert [c["key"] for c in data["columns"]] == ["rank", "title", "author", "call_number", "loans", "borrowers"]
    assert data["rows"][0]["title"] == "Laskar Pelangi" and data["rows"][0]["loans"] == 4
    overdue = client.get("/api/v1/reports/overdue", **_bearer(librarian)).json()
    assert overdue["total_rows"] == 1 and overdue["rows"][0]["due"] == "2026-04-19"


def test_the_api_refuses_a_role_without_the_permission_and_names_a_bad_field(client, library, circulation):
    headers = _bearer(circulation)
    assert client.get("/api/v1/reports/members", **headers).status_code == 403
    assert client.get("/api/v1/reports/circulation", **headers).status_code == 200
    response = client.get("/api/v1/reports/circulation?branch=NOWHERE", **headers)
    assert response.status_code == 400
    assert response.json()["field"] == "branch"
    assert client.get("/api/v1/reports/circulation").status_code == 401
    listed = [r["slug"] for r in client.get("/api/v1/reports", **headers).json()]
    assert "circulation" in listed and "national" not in listed
