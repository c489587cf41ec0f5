"""In a real browser: a patron logs in on a phone with their card number and changes their details."""

import pytest

from pustaka.core.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patron_logs_in_on_a_phone_and_saves_their_phone_number(live_server, new_page, make_patron):
    user = User.objects.create_user(username="D0001", password="pustaka-demo")
    patron = make_patron("D0001", first_name="Dewi", last_name="Lestari", user=user)
    page = new_page(width=375)
    page.goto(live_server.url + "/account/", timeout=120_000)  # the first request loads every URLconf
    page.fill("#id_username", "d0001")  # any case
    page.fill("#id_password", "pustaka-demo")
    page.click(".account-login button[type=submit]")
    page.wait_for_selector("h1:has-text('My details')")
    assert page.is_visible("nav.account-nav >> text=Change PIN")
    page.fill("#id_phone", "0812-0000-1111")
    page.click(".account-main button[type=submit]")
    page.wait_for_selector("text=Your details are saved.")
    patron.refresh_from_db()
    assert patron.phone == "0812-0000-1111"
