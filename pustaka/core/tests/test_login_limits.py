"""Login limits (django-axes): the staff and patron web logins and OPDS count wrong passwords per
account, lock that account after five, and leave every other account behind the same address alone."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from pustaka.core.models import User

SCHOOL = "203.0.113.5"  # one NAT address for a whole school


@pytest.fixture
def two_patrons(make_patron):
    first = User.objects.create_user(username="P0101", password="secret-pass-1")
    second = User.objects.create_user(username="P0102", password="secret-pass-2")
    make_patron("P0101", user=first)
    make_patron("P0102", user=second)
    return first, second


def patron_login(client, username, password, **extra):
    return client.post("/account/login/", {"username": username, "password": password}, REMOTE_ADDR=SCHOOL, **extra)


def test_five_wrong_passwords_lock_the_patron_account_but_not_the_next_patron(client, two_patrons):
    for n in range(4):
        response = patron_login(client, "P0101", f"tebakan-{n}")
        assert response.status_code == 200  # the form again, with its error
        assert "_auth_user_id" not in client.session
    locked = patron_login(client, "p0101", "tebakan-4")  # the card number in another case: the same account
    assert locked.status_code == 429
    assert "it is locked for 15 minutes" in locked.content.decode()
    assert 0 < int(locked["Retry-After"]) <= 900
    right = patron_login(client, "P0101", "secret-pass-1")  # even the right password waits now
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    other = patron_login(client, "P0102", "secret-pass-2")  # the next pupil at the same address
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(two_patrons[1].pk)


def test_the_lockout_page_speaks_indonesian_and_english(client, two_patrons, settings):
    settings.AXES_FAILURE_LIMIT = 2
    patron_login(client, "P0101", "salah")
    indonesian = patron_login(client, "P0101", "salah", HTTP_ACCEPT_LANGUAGE="id")
    assert indonesian.status_code == 429
    text = indonesian.content.decode()
    assert "Akun terkunci sementara" in text and "terkunci selama 15 menit" in text
    english = patron_login(client, "P0101", "secret-pass-1", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 429
    assert "Login locked" in english.content.decode()
    assert "/account/login/" in english.content.decode()


def test_the_staff_login_is_limited_too(client, librarian, make_staff):
    other = make_staff("circulation", "desk-2")
    for n in range(4):
        response = client.post("/staff/login/", {"username": librarian.username, "password": f"x-{n}"})
        assert response.status_code == 200
    locked = client.post("/staff/login/", {"username": librarian.username, "password": "x-4"})
    assert locked.status_code == 429
    assert "it is locked for 15 minutes" in locked.content.decode()
    assert "/staff/login/" in locked.content.decode()
    refused = client.post("/staff/login/", {"username": librarian.username, "password": "test-password-123"})
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    ok = client.post("/staff/login/", {"username": other.username, "password": "test-password-123"})
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_web_and_opds_failures_count_together_for_one_account(client, two_patrons, settings):
    import base64

    settings.AXES_FAILURE_LIMIT = 3
    patron_login(client, "P0101", "salah-1")
    patron_login(client, "P0101", "salah-2")
    header = "Basic " + base64.b64encode(b"P0101:salah-3").decode()
    response = client.get("/opds/download/1/1", HTTP_AUTHORIZATION=header, REMOTE_ADDR=SCHOOL)
    assert response.status_code == 429  # the third failure of the account, wherever it was typed
    assert patron_login(client, "P0101", "secret-pass-1").status_code == 429


def test_a_login_without_a_request_is_not_limited(two_patrons):
    """Commands and the test client's login() authenticate without a request: nothing to limit."""
    assert authenticate(username="P0101", password="secret-pass-1") == two_patrons[0]
    request = RequestFactory().post("/account/login/", REMOTE_ADDR=SCHOOL)
    assert authenticate(request=request, username="P0101", password="secret-pass-1") == two_patrons[0]
