"""Processing in a real browser (Debian's Chromium through Playwright): scan, tick steps with the keyboard, shelve."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_technician_scans_a_received_item_ticks_its_steps_with_the_keyboard_and_it_reaches_the_shelving_queue(
    page, live_server, make_staff, make_item
):
    from pustaka.holdings.models import Item
    from pustaka.technical.queries.processing import library_profile

    make_staff("technician", username="teknisi")
    make_item("B100", status="received")
    steps = [s for s in library_profile().steps.all() if s.is_enabled]

    page.goto(f"{live_server.url}/staff/technical/processing/")
    page.fill("#id_username", "teknisi")
    page.fill("#id_password", "test-password-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/technical/processing/")

    assert page.evaluate("document.activeElement.id") == "scan-barcode"
    page.keyboard.type("B100")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("table.batch tr[data-barcode='B100']").is_visible()
    assert Item.objects.get(barcode="B100").status == "in_processing"

    for step in steps:
        page.wait_for_function("document.activeElement && document.activeElement.id === 'scan-barcode'")
        page.keyboard.press("Tab")  # the first step still to do, for every scanned item
        assert page.evaluate("document.activeElement.dataset.step") == step.kind
        with page.expect_navigation():
            page.keyboard.press("Enter")

    assert Item.objects.get(barcode="B100").status == "ready_for_shelving"
    assert page.locator(".message.success").first.is_visible()

    page.goto(f"{live_server.url}/staff/technical/shelving/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'scan-barcode'")
    assert page.get_by_role("link", name="B100").is_visible()
    page.keyboard.type("B100")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Item.objects.get(barcode="B100").status == "available"
