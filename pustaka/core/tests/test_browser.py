"""Pages in a real browser (Debian's Chromium through Playwright): keyboard login and the language switch."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_librarian_logs_in_with_the_keyboard_only_and_switches_language(new_page, live_server, make_staff):
    page = new_page(locale="id-ID")
    make_staff("librarian", username="pustakawan")

    page.goto(f"{live_server.url}/staff/")
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("pustakawan")
    page.keyboard.press("Tab")
    page.keyboard.type("test-password-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/")

    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("link", name="Katalog").first.is_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Catalogue").first.is_visible()


@pytest.mark.django_db(transaction=True)
def test_public_catalogue_fits_a_phone_and_the_search_box_has_focus(new_page, live_server):
    page = new_page(width=375, height=740)
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("document.activeElement.getAttribute('type')") == "search"
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 375
