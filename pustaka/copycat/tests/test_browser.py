"""In a real browser (Debian's Chromium through Playwright): a librarian scans an ISBN into the new-record
page, sees both local catalogues' results beside the local duplicate, and copies one with its copy by
keyboard. Screenshots of the pages (both languages) go to /tmp/copycat-shots."""

import os

import pytest

from pustaka.catalog import actions as catalog_actions
from pustaka.catalog.models import Record

from .conftest import LOOM, MONK

pytestmark = pytest.mark.browser

SHOTS = "/tmp/copycat-shots"


@pytest.mark.django_db(transaction=True)
def test_a_librarian_scans_an_isbn_and_copies_the_record_with_its_copy(
    new_page, live_server, log_in_browser, make_staff, branch, item_type, sru_target, z3950_target, closed_port
):
    from pustaka.copycat.models import Target

    os.makedirs(SHOTS, exist_ok=True)
    librarian = make_staff("librarian")
    Target.objects.create(name="Perpusnas (down)", protocol="z3950", host="127.0.0.1", port=closed_port, priority=9)
    catalog_actions.create_record(actor=librarian, title="The loom of destiny", isbn=LOOM[0], year=1899)

    for locale, lang in (("id-ID", "id"), ("en-US", "en")):
        shot = new_page(locale=locale, width=1280, height=900)
        log_in_browser(shot, librarian)
        shot.goto(f"{live_server.url}/staff/copycat/?isbn={LOOM[1]}")
        shot.screenshot(path=f"{SHOTS}/search-isbn-{lang}.png", full_page=True)
    shot.goto(f"{live_server.url}/staff/copycat/catalogues/")
    shot.screenshot(path=f"{SHOTS}/catalogues-en.png", full_page=True)
    shot.goto(f"{live_server.url}/staff/copycat/catalogues/new/")
    shot.screenshot(path=f"{SHOTS}/catalogue-form-en.png", full_page=True)

    page = new_page()
    log_in_browser(page, librarian)
    page.goto(f"{live_server.url}/staff/catalog/new/")
    page.screenshot(path=f"{SHOTS}/new-record-en.png", full_page=True)
    scan = page.get_by_label("Copy a record from another catalogue: scan the ISBN")
    scan.fill(MONK[1])
    scan.press("Enter")  # what a scanner does after the digits
    page.wait_for_url(f"**/staff/copycat/?isbn={MONK[1]}")
    results = page.locator(".copycat-target")
    assert results.count() == 3
    assert "Perpusnas (down) cannot be reached" in results.nth(2).inner_text()
    first = page.locator(".copycat-result").first
    assert "The monk and the dancer" in first.inner_text()
    assert "No local record with this ISBN or title." in first.inner_text()
    first.get_by_label("Barcodes").fill("B-900")
    page.screenshot(path=f"{SHOTS}/import-form-en.png", full_page=True)
    first.get_by_role("button", name="Copy into the catalogue").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    record = Record.objects.get(title="The monk and the dancer")
    assert page.url.endswith(f"/staff/catalog/{record.pk}/")
    assert "copied from Remote Pustaka with 1 copy" in page.content()
    page.screenshot(path=f"{SHOTS}/copied-record-en.png", full_page=True)
    assert list(record.items.values_list("barcode", "status")) == [("B-900", "in_processing")]
