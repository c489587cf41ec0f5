"""In a real browser (Debian's Chromium through Playwright): a clerk opens the kiosk and logs out; a
member scans their card (the scanner types and presses Enter into the focused field), is greeted by
name, and the greeting goes while the card field stays ready for the next scan."""

import pytest

from pustaka.visitors.models import Visit

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_scanned_card_is_greeted_and_the_kiosk_is_ready_for_the_next(new_page, live_server, make_staff, patron):
    from pustaka.visitors import actions

    actions.create_purpose(actor=None, code="membaca", name_id="Membaca", name_en="Reading")
    make_staff("circulation", username="sirkulasi")
    page = new_page(width=1024, height=768)
    page.goto(f"{live_server.url}/staff/visitors/kiosk/open/")
    page.keyboard.type("sirkulasi")
    page.keyboard.press("Tab")
    page.keyboard.type("test-password-123")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/visitors/kiosk/open/")
    page.get_by_role("button", name="Open the kiosk on this screen").click()
    page.wait_for_url("**/visitors/kiosk/")
    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/visitors/kiosk/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_card'", timeout=5000)
    page.keyboard.type("P0001")
    page.keyboard.press("Enter")
    page.get_by_text("Welcome, Siti! Enjoy your visit.").wait_for()
    assert Visit.objects.get().patron == patron
    page.wait_for_function("document.getElementById('greeting').hidden === true", timeout=10_000)
    assert "w=" not in page.url
    assert page.evaluate("document.activeElement.id") == "id_card"
    page.keyboard.type("P0001")
    page.keyboard.press("Enter")
    page.get_by_text("Welcome, Siti! Enjoy your visit.").wait_for()
    assert Visit.objects.count() == 2
