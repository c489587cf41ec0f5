"""The SIP2 account pages in a real browser: a librarian creates a machine's login and deactivates it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.library_language("en")]


def test_librarian_creates_and_deactivates_a_self_check_login(new_page, live_server, make_staff, sip_actor):
    from pustaka.circulation.models import SipAccount

    make_staff("librarian", username="pustakawan")
    page = new_page(width=1280)
    page.goto(f"{live_server.url}/staff/sip2/")
    page.fill("#id_username", "pustakawan")
    page.fill("#id_password", "test-password-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/sip2/")
    page.get_by_role("link", name="New SIP2 account").click()
    page.get_by_label("Login").fill("kiosk-lantai-1")
    page.get_by_label("Institution id").fill("MAIN")
    page.get_by_label("Acts as staff user").select_option(label=sip_actor.username)
    page.get_by_label("Password").fill("kiosk-secret")
    page.screenshot(path="/tmp/sip2-form.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/staff/sip2/")
    assert page.get_by_text("SIP2 account kiosk-lantai-1 created.").is_visible()
    page.screenshot(path="/tmp/sip2-list.png", full_page=True)
    page.get_by_role("button", name="Deactivate").click()
    page.wait_for_url(f"{live_server.url}/staff/sip2/")
    assert not SipAccount.objects.get(login="kiosk-lantai-1").is_active
    narrow = new_page(width=375)
    narrow.context.add_cookies(page.context.cookies())
    narrow.goto(f"{live_server.url}/staff/sip2/")
    narrow.screenshot(path="/tmp/sip2-list-phone.png", full_page=True)
