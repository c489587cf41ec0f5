"""In a real browser (Debian's Chromium through Playwright): the desk finds a failed WhatsApp message
with the keyboard, sends it again and sees it sent; the patron reads their notices in Indonesian on a
phone. Screenshots of every page in both languages go to /tmp/notify-shots."""

import os

import pytest

pytestmark = pytest.mark.browser

SHOTS = "/tmp/notify-shots"


@pytest.mark.django_db(transaction=True)
def test_the_desk_retries_a_failed_message_by_keyboard_and_the_patron_sees_it(
    new_page, live_server, log_in_browser, circulation, patron, make_delivery, make_patron, outbox
):
    os.makedirs(SHOTS, exist_ok=True)
    make_delivery("sent", kind="due_soon", days_ago=3)
    make_delivery("gave_up", channel="sms", kind="overdue", patron=make_patron("P0002", first_name="Budi"))
    failed = make_delivery("failed", kind="hold_ready")

    for locale, lang in (("id-ID", "id"), ("en-US", "en")):
        desk = new_page(locale=locale)
        log_in_browser(desk, circulation)
        desk.goto(f"{live_server.url}/staff/notices/")
        desk.screenshot(path=f"{SHOTS}/list-{lang}.png", full_page=True)
        desk.goto(f"{live_server.url}/staff/notices/{failed.pk}/")
        desk.screenshot(path=f"{SHOTS}/detail-{lang}.png", full_page=True)

    desk = new_page()
    log_in_browser(desk, circulation)
    desk.goto(f"{live_server.url}/staff/notices/")
    desk.get_by_label("State").select_option("failed")
    desk.get_by_label("Card number").press("Enter")  # Enter in a text field submits the filters
    desk.wait_for_url("**/staff/notices/?*state=failed*")
    rows = desk.locator("table tbody tr")
    assert rows.count() == 1
    desk.get_by_role("link", name=f"Delivery {failed.pk}").focus()
    desk.keyboard.press("Enter")
    desk.wait_for_url(f"**/staff/notices/{failed.pk}/")
    desk.get_by_label("Reason (optional)").fill("Gateway hidup lagi")
    desk.get_by_label("Reason (optional)").press("Tab")
    assert desk.evaluate("document.activeElement.textContent") == "Retry now"
    desk.keyboard.press("Enter")
    desk.get_by_text(f"Notice delivery #{failed.pk} is being sent again.").wait_for()
    assert desk.get_by_text("Notice delivered").first.is_visible()
    desk.screenshot(path=f"{SHOTS}/after-retry-en.png", full_page=True)
    failed.refresh_from_db()
    assert failed.state == "sent"

    for locale, lang in (("id-ID", "id"), ("en-US", "en")):
        phone = new_page(locale=locale, width=390, height=844)
        log_in_browser(phone, patron.user)
        phone.goto(f"{live_server.url}/account/notices/")
        heading = "Pemberitahuan saya" if lang == "id" else "My notices"
        assert phone.get_by_role("heading", name=heading).is_visible()
        assert "Budi" not in phone.content()
        phone.screenshot(path=f"{SHOTS}/account-{lang}.png", full_page=True)
