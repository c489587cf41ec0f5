"""The pull list in a real browser (Debian's Chromium through Playwright): scan items in shelf order with
the keyboard, an unknown barcode shows the message, close the list and see the not-found flags."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_technician_scans_a_pull_list_with_the_keyboard_and_closes_it(page, live_server, make_staff, branch, make_item):
    from pustaka.technical import actions

    librarian = make_staff("librarian")
    make_staff("technician", username="teknisi")
    make_item("B3", call_number="10 XYZ x")
    make_item("B1", call_number="9 ABC a")
    make_item("B2", call_number="9.5 ABC a")
    pull_list = actions.create_pull_list(name="Rusak", reason="repair", branch=branch, actor=librarian)
    actions.add_to_pull_list(pull_list=pull_list, barcodes=["B3", "B2", "B1"], actor=librarian)

    page.goto(f"{live_server.url}/staff/")
    page.keyboard.type("teknisi")
    page.keyboard.press("Tab")
    page.keyboard.type("test-password-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.goto(f"{live_server.url}/staff/technical/pull-lists/{pull_list.pk}/")
    rows = page.locator("table.pull-entries tbody tr")
    assert [rows.nth(n).get_attribute("id") for n in range(3)] == ["entry-B1", "entry-B2", "entry-B3"]

    for barcode in ("B1", "B2"):
        assert page.evaluate("document.activeElement.id") == "scan-barcode"
        page.keyboard.type(barcode)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(".messages").inner_text().startswith(f"Pulled {barcode}")
        assert page.locator(f"#entry-{barcode}").get_attribute("data-state") == "pulled"

    page.keyboard.type("NOPE")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "No item has the barcode “NOPE”." in page.locator(".messages").inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="Close the list").click()
    assert page.locator("#entry-B3").get_attribute("data-state") == "not_found"
    assert page.locator("#entry-B3 .badge").inner_text() == "Not found"
    assert page.locator("#scan-barcode").count() == 0
