"""Stocktake in a real browser (Debian's Chromium through Playwright): start, scan with the keyboard
(one item out of order, one withdrawn), finish, see the report."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_technician_scans_a_shelf_with_the_keyboard_and_sees_the_report(page, live_server, make_staff, make_item):
    make_staff("technician", username="teknisi")
    for n in range(1, 5):
        make_item(f"S{n}00", call_number=f"{n}00 ABC a")
    make_item("GONE", status="withdrawn", call_number="250 X")

    page.goto(f"{live_server.url}/staff/technical/stocktakes/")
    page.keyboard.type("teknisi")
    page.keyboard.press("Tab")
    page.keyboard.type("test-password-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/technical/stocktakes/")

    page.get_by_label("Location").select_option(label="Rak umum")
    page.get_by_role("button", name="Start scanning").click()
    page.wait_for_url("**/stocktakes/*/")

    for barcode in ["S100", "S300", "S200", "GONE"]:
        assert page.evaluate("document.activeElement.id") == "id_barcode"
        page.keyboard.type(barcode)
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        page.locator("#last-scans").get_by_text(barcode, exact=True).wait_for()

    last = page.locator("#last-scans tbody tr")
    assert last.nth(0).locator(".badge").first.inner_text() == "Should not be on the shelf"
    assert last.nth(1).locator(".badge").first.inner_text() == "Out of order"
    assert last.nth(3).locator(".badge").first.inner_text() == "In place"

    page.get_by_role("button", name="Finish scanning").click()
    page.wait_for_url("**/report/")
    missing = page.locator("#missing")
    assert missing.get_by_text("S400").is_visible()
    assert missing.get_by_text("S100").count() == 0
    assert page.locator("#out_of_order").get_by_text("S200").is_visible()
    assert page.locator("#should_not_be_here").get_by_text("GONE").is_visible()
    assert page.get_by_text("Confirm and mark missing").count() == 0  # only a librarian confirms
