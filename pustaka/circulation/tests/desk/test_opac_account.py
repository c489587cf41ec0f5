"""The patron's own account pages: loans and renewals (with the refusal reason), holds (place from the
record page, cancel), fines, reading history; only their own data; availability with due dates."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pustaka.circulation import actions
from pustaka.circulation.choices import FeeKind, HoldStatus
from pustaka.circulation.models import Hold
from pustaka.core.tests.pages import without_tokens

ACCOUNT_PAGES = ["/account/loans/", "/account/holds/", "/account/fines/", "/account/history/"]
ACCOUNT_POSTS = ["/account/loans/renew/", "/account/holds/place/", "/account/holds/1/cancel/"]


@pytest.mark.parametrize("url", ACCOUNT_PAGES + ACCOUNT_POSTS)
def test_anonymous_visitors_go_to_the_catalogue_login(client, url):
    response = client.post(url) if url in ACCOUNT_POSTS else client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")


@pytest.mark.parametrize("url", ACCOUNT_PAGES)
def test_a_login_without_a_library_card_is_refused(staff_client, circulation, url):
    assert staff_client(circulation).get(url).status_code == 403


def test_my_loans_show_due_dates_and_renew_one(patron_client, patron, make_item, lend_now):
    loan = lend_now(make_item("B1"), patron, when=timezone.now() - datetime.timedelta(days=20))
    html = patron_client.get("/account/loans/").content.decode()
    assert "Pemrograman Python" in html and "overdue" in html
    response = patron_client.post("/account/loans/renew/", {"loan": loan.pk}, follow=True)
    loan.refresh_from_db()
    assert loan.renewals == 1
    assert "Renewed “Pemrograman Python”: now due" in response.content.decode()


def test_a_refused_renewal_shows_the_reason(patron_client, patron, make_item, lend_now, make_patron, record, branch):
    loan = lend_now(make_item("B1"), patron)
    other = make_patron("P0002")
    actions.place_hold(patron=other, record=record, pickup_branch=branch, actor=None)
    html = patron_client.post("/account/loans/renew/", {"all": "1"}, follow=True).content.decode()
    assert "was not renewed: Item B1 cannot be renewed" in html
    loan.refresh_from_db()
    assert loan.renewals == 0


def test_another_patrons_loan_cannot_be_renewed(patron_client, make_patron, make_item, lend_now):
    loan = lend_now(make_item("B1"), make_patron("P0002"))
    assert patron_client.post("/account/loans/renew/", {"loan": loan.pk}).status_code == 404
    loan.refresh_from_db()
    assert loan.renewals == 0
    assert "B1" not in without_tokens(patron_client.get("/account/loans/").content.decode())


def test_place_a_hold_from_the_record_page_and_cancel_it(
    patron_client, patron, make_item, lend_now, make_patron, record, branch
):
    lend_now(make_item("B1"), make_patron("P0002"))
    page = patron_client.get(f"/record/{record.pk}/").content.decode()
    assert "Place hold" in page and 'name="pickup_branch"' in page
    response = patron_client.post(
        "/account/holds/place/", {"record": record.pk, "pickup_branch": branch.pk}, follow=True
    )
    hold = Hold.objects.get(patron=patron)
    assert hold.status == HoldStatus.WAITING and hold.pickup_branch == branch
    html = response.content.decode()
    assert "Hold placed on “Pemrograman Python”" in html and "Number 1 in the queue" in html

    patron_client.post(f"/account/holds/{hold.pk}/cancel/")
    hold.refresh_from_db()
    assert hold.status == HoldStatus.CANCELLED


def test_a_refused_hold_says_why_on_the_record_page(patron_client, patron, item, record, branch):
    response = patron_client.post(
        "/account/holds/place/", {"record": record.pk, "pickup_branch": branch.pk}, follow=True
    )
    assert "The hold cannot be placed: a copy is on the shelf" in response.content.decode()
    assert not Hold.objects.exists()


def test_anonymous_visitors_see_a_login_link_instead_of_the_hold_form(client, item, record):
    html = client.get(f"/record/{record.pk}/").content.decode()
    assert "Log in to place a hold" in html and 'name="pickup_branch"' not in html


def test_another_patrons_hold_cannot_be_cancelled(patron_client, make_patron, make_item, lend_now, record, branch):
    lend_now(make_item("B1"), make_patron("P0003"))
    hold = actions.place_hold(patron=make_patron("P0002"), record=record, pickup_branch=branch, actor=None)
    assert patron_client.post(f"/account/holds/{hold.pk}/cancel/").status_code == 404
    hold.refresh_from_db()
    assert hold.status == HoldStatus.WAITING


def test_a_patron_moves_a_waiting_hold_to_another_branch(
    patron_client, patron, make_patron, make_item, lend_now, record, branch, other_branch
):
    lend_now(make_item("B1"), make_patron("P0003"))
    mine = actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=None)
    theirs = actions.place_hold(patron=make_patron("P0002"), record=record, pickup_branch=branch, actor=None)
    page = patron_client.get("/account/holds/").content.decode()
    assert f'action="/account/holds/{mine.pk}/pickup/"' in page
    response = patron_client.post(f"/account/holds/{mine.pk}/pickup/", {"pickup_branch": other_branch.pk}, follow=True)
    assert "You will collect “Pemrograman Python” at Cabang Utara." in response.content.decode()
    mine.refresh_from_db()
    assert mine.pickup_branch == other_branch and mine.status == HoldStatus.WAITING
    assert (
        patron_client.post(f"/account/holds/{theirs.pk}/pickup/", {"pickup_branch": other_branch.pk}).status_code == 404
    )
    bad = patron_client.post(f"/account/holds/{mine.pk}/pickup/", {"pickup_branch": "²"}, follow=True)
    assert "Choose the branch where you will collect it." in bad.content.decode()
    theirs.refresh_from_db()
    assert theirs.pickup_branch == branch


def test_my_fines_show_the_ledger_and_balance(patron_client, patron, administrator, make_patron):
    actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=Decimal("8000"), actor=administrator, note="Kartu")
    actions.pay(patron=patron, amount=Decimal("3000"), method="cash", actor=administrator)
    actions.charge(patron=make_patron("P0002"), kind=FeeKind.MANUAL, amount=Decimal("999"), actor=administrator)
    html = patron_client.get("/account/fines/").content.decode()
    assert "Rp 5,000" in html and "Rp 8,000" in html and "Rp 3,000" in html
    assert "Rp 999" not in html


def test_reading_history_only_when_kept(patron_client, patron, make_item, lend_now, circulation, branch):
    copy = make_item("B1")
    lend_now(copy, patron)
    actions.checkin(item=copy, branch=branch, actor=circulation)
    html = patron_client.get("/account/history/").content.decode()
    assert 'id="history-off"' in html and "Pemrograman Python" not in html
    patron.keep_history = True
    patron.save()
    html = patron_client.get("/account/history/").content.decode()
    assert "Pemrograman Python" not in html  # borrowed before the patron chose to keep a history

    from pustaka.catalog.models import Record

    later = make_item("B2", record=Record.objects.create(title="Laskar pelangi"))
    lend_now(later, patron)
    actions.checkin(item=later, branch=branch, actor=circulation)
    html = patron_client.get("/account/history/").content.decode()
    assert "Laskar pelangi" in html and "Pemrograman Python" not in html

    patron.keep_history = False  # stopping forgets: starting again shows only what follows
    patron.save()
    patron.keep_history = True
    patron.save()
    assert "Laskar pelangi" not in patron_client.get("/account/history/").content.decode()


def test_account_lists_take_a_fixed_number_of_queries(
    patron_client, patron, make_item, lend_now, loan_rule, branch, circulation, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pustaka.catalog.models import Record

    loan_rule.max_items = 30
    loan_rule.save()
    patron.keep_history = True
    patron.save()

    def add(n):
        copy = make_item(f"B{n}")
        lend_now(copy, patron)
        returned = make_item(f"R{n}")
        lend_now(returned, patron)
        actions.checkin(item=returned, branch=branch, actor=circulation)
        title = Record.objects.create(title=f"Judul {n}")
        make_item(f"H{n}", record=title, status="on_loan")
        actions.place_hold(patron=patron, record=title, pickup_branch=branch, actor=None)
        actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=Decimal("100"), actor=None)

    def counts():
        found = {}
        for url in ACCOUNT_PAGES:
            with CaptureQueriesContext(connection) as queries:
                assert patron_client.get(url).status_code == 200
            found[url] = len(queries)
        return found

    add(0)
    few = counts()
    for n in range(1, 10):
        add(n)
    assert counts() == few
    for url in ACCOUNT_PAGES:
        with django_assert_max_num_queries(20):
            patron_client.get(url)


def test_availability_shows_on_loan_until_and_hold_shelf(
    client, patron, make_item, lend_now, record, branch, other_branch
):
    loan = lend_now(make_item("B1"), patron)
    html = client.get(f"/record/{record.pk}/").content.decode()
    assert "Perpustakaan Pusat: on loan until" in html
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("en"):
        assert date_format(timezone.localtime(loan.due_at), "DATE_FORMAT") in html


def test_search_results_show_the_due_date_in_one_extra_query(
    client, patron, make_item, lend_now, record, django_assert_max_num_queries, loan_rule
):
    from pustaka.catalog.models import Record
    from pustaka.opac.queries import attach_availability

    loan_rule.max_items = 50
    loan_rule.save()
    records = [record] + [Record.objects.create(title=f"Buku {n}") for n in range(19)]
    for n, rec in enumerate(records):
        lend_now(make_item(f"B{n:02d}", record=rec), patron)
        make_item(f"C{n:02d}", record=rec, status="on_hold_shelf")
    with django_assert_max_num_queries(2):
        attach_availability(records)
    assert all(r.availability[0].due is not None for r in records)
    assert all(r.availability[0].state == "on_loan" for r in records)


def test_a_result_page_of_twenty_titles_on_loan_stays_small(client, patron, make_item, lend_now, loan_rule):
    from pustaka.catalog.models import Record

    loan_rule.max_items = 50
    loan_rule.save()
    for n in range(25):
        title = Record.objects.create(title=f"Sejarah Nusantara jilid {n}", language="ind")
        lend_now(make_item(f"B{n:02d}", record=title), patron)
        make_item(f"C{n:02d}", record=title, status="on_hold_shelf")
    response = client.get("/search/", {"q": "Sejarah Nusantara"})
    html = response.content.decode()
    assert html.count("on loan until") == 20
    assert len(response.content) < 100_000
