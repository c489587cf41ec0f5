"""The desk, check-in and the patron's account in a real browser (Debian's Chromium through Playwright),
with the keyboard only: scan a card, scan two items (one refused), renew, finish; check an item in to
the hold shelf; renew from the OPAC account."""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser

SHOTS = "/tmp/desk-shots"


def _login_staff(page, live_server, username):
    page.goto(f"{live_server.url}/staff/")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("test-password-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def _scan(page, text):
    page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.django_db(transaction=True)
def test_desk_walk_through_with_the_keyboard_only(
    page, live_server, make_staff, branch, make_patron, make_item, record
):
    import os

    from pustaka.circulation import actions
    from pustaka.circulation.models import Loan, LoanRule

    os.makedirs(SHOTS, exist_ok=True)
    LoanRule.objects.create(loan_days=14, renewals=2, max_items=5)
    desk = make_staff("circulation", username="meja")
    patron = make_patron("P0001", first_name="Siti", last_name="Rahmawati")
    earlier = make_item("B0")
    actions.checkout(
        item=earlier, patron=patron, branch=branch, actor=desk, now=timezone.now() - datetime.timedelta(days=10)
    )
    make_item("B1")
    make_item("B2", status="in_repair")

    _login_staff(page, live_server, "meja")
    page.goto(f"{live_server.url}/staff/circulation/desk/")
    assert _focused(page) == "id_card"
    _scan(page, "p0001")
    assert "Siti Rahmawati" in page.locator("#patron-title").inner_text()
    assert _focused(page) == "id_barcode"

    _scan(page, "B1")
    assert _focused(page) == "id_barcode"
    first = page.locator("#desk-lines li").first
    assert first.get_attribute("data-barcode") == "B1" and "Lent" in first.inner_text()

    _scan(page, "B2")
    assert _focused(page) == "id_barcode"
    refused = page.locator("#desk-lines li").first
    assert refused.get_attribute("class") == "refused"
    assert "Item B2 is “In repair” and cannot be lent." in refused.inner_text()
    page.screenshot(path=f"{SHOTS}/desk.png", full_page=True)

    with page.expect_navigation():
        page.keyboard.press("Alt+r")  # Renew all
    renewed = page.locator("#desk-lines li[data-kind=renew]")
    assert renewed.count() == 2
    assert Loan.objects.get(item=earlier).renewals == 1

    with page.expect_navigation():
        page.keyboard.press("Alt+s")  # Selesai
    assert _focused(page) == "id_card"
    assert page.locator("#patron-title").count() == 0
    assert Loan.objects.filter(patron=patron, returned_at__isnull=True).count() == 2


@pytest.mark.django_db(transaction=True)
def test_check_in_sends_the_item_to_the_hold_shelf(
    page, live_server, make_staff, branch, make_patron, make_item, record
):
    from pustaka.circulation import actions
    from pustaka.circulation.models import Hold, LoanRule

    LoanRule.objects.create(loan_days=14)
    desk = make_staff("circulation", username="meja")
    copy = make_item("B1")
    actions.checkout(item=copy, patron=make_patron("P0002"), branch=branch, actor=desk)
    waiting = make_patron("P0001", first_name="Siti", last_name="Rahmawati")
    actions.place_hold(patron=waiting, record=record, pickup_branch=branch, actor=desk)

    _login_staff(page, live_server, "meja")
    page.goto(f"{live_server.url}/staff/circulation/checkin/")
    assert _focused(page) == "id_barcode"
    _scan(page, "B1")
    line = page.locator("#checkin-lines li").first
    assert line.get_attribute("data-destination") == "hold_shelf"
    assert "Put it on the hold shelf for Siti Rahmawati (P0001) at Perpustakaan Pusat." in line.inner_text()
    assert _focused(page) == "id_barcode"
    _scan(page, "NOPE")
    assert "No item has the barcode “NOPE”." in page.locator("#checkin-lines li").first.inner_text()
    page.screenshot(path=f"{SHOTS}/checkin.png", full_page=True)
    assert Hold.objects.get(patron=waiting).status == "ready"

    page.goto(f"{live_server.url}/staff/circulation/hold-shelf/")
    assert "Siti Rahmawati" in page.locator("table.hold-shelf").inner_text()
    page.screenshot(path=f"{SHOTS}/hold-shelf.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_patron_renews_from_the_opac_account(new_page, live_server, make_staff, branch, make_patron, make_item, record):
    from pustaka.circulation import actions
    from pustaka.circulation.models import LoanRule
    from pustaka.core.models import User

    LoanRule.objects.create(loan_days=14, renewals=2)
    desk = make_staff("circulation", username="meja")
    user = User.objects.create_user(username="siti", password="test-password-123")
    patron = make_patron("P0001", first_name="Siti", last_name="Rahmawati", user=user)
    loan = actions.checkout(
        item=make_item("B1"), patron=patron, branch=branch, actor=desk, now=timezone.now() - datetime.timedelta(days=20)
    )

    page = new_page(width=390)  # a phone
    page.goto(f"{live_server.url}/account/loans/")
    assert "/account/login/" in page.url
    page.keyboard.type("siti")
    page.keyboard.press("Tab")
    page.keyboard.type("test-password-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/account/loans/")
    assert "overdue" in page.locator(f"#loan-{loan.pk}").inner_text()
    page.screenshot(path=f"{SHOTS}/account-loans.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Renew Pemrograman Python").click()
    assert "Renewed “Pemrograman Python”: now due" in page.locator(".messages").inner_text()
    loan.refresh_from_db()
    assert loan.renewals == 1
    page.screenshot(path=f"{SHOTS}/account-renewed.png", full_page=True)
