"""The patron's own account in the catalogue: login, "My details", PIN; only their own data."""

from django.urls import reverse

from pustaka.patrons.models import PatronBlock

PASSWORD = "test-password-123"


def test_the_account_sends_anonymous_visitors_to_the_catalogue_login(client, db):
    response = client.get(reverse("account:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))
    assert client.get(reverse("account:login")).status_code == 200


def test_a_patron_logs_in_and_sees_their_own_details(client, patron, make_patron):
    make_patron("P0002", first_name="Joko", last_name="Widodo", email="joko@example.org")
    response = client.post(reverse("account:login"), {"username": "reader", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("account:home")
    body = client.get(reverse("account:home")).content.decode()
    assert "P0001" in body and "Siti Rahmawati" in body and "siti@example.org" in body
    assert "P0002" not in body and "joko@example.org" not in body
    assert "My details" in body and reverse("account:pin") in body


def test_a_wrong_password_is_refused(client, patron):
    response = client.post(reverse("account:login"), {"username": "reader", "password": "nope"})
    assert response.status_code == 200 and "correct" in response.content.decode()


def test_a_patron_changes_contact_language_and_history_choice(client, patron, patron_user):
    client.force_login(patron_user)
    data = {"email": "siti.baru@example.org", "phone": "0813", "address": "Jl. Braga 2", "language": "en"}
    response = client.post(reverse("account:home"), {**data, "keep_history": "on"})
    assert response.status_code == 302
    patron.refresh_from_db()
    assert (patron.email, patron.phone, patron.language, patron.keep_history) == (
        "siti.baru@example.org",
        "0813",
        "en",
        True,
    )
    response = client.post(reverse("account:home"), {**data, "email": "bad@"})
    assert "is not a valid email address" in response.content.decode()


def test_the_form_cannot_change_the_card_name_or_category(client, patron, patron_user):
    client.force_login(patron_user)
    client.post(
        reverse("account:home"),
        {"email": "", "language": "id", "card_number": "HACK", "last_name": "X", "category": "STAFF", "user": 1},
    )
    patron.refresh_from_db()
    assert patron.card_number == "P0001" and patron.last_name == "Rahmawati"


def test_a_patron_changes_their_pin_with_their_password(client, patron, patron_user):
    client.force_login(patron_user)
    response = client.post(reverse("account:pin"), {"password": "wrong", "pin": "2468", "pin_again": "2468"})
    assert "password is not correct" in response.content.decode()
    client.post(reverse("account:pin"), {"password": PASSWORD, "pin": "2468", "pin_again": "2468"})
    patron.refresh_from_db()
    assert patron.check_pin("2468")


def test_a_blocked_patron_sees_that_they_cannot_borrow_but_not_the_staff_note(client, patron, patron_user, librarian):
    PatronBlock.objects.create(patron=patron, note="Catatan internal staf", created_by=librarian)
    client.force_login(patron_user)
    body = client.get(reverse("account:home")).content.decode()
    assert "You cannot borrow at the moment" in body and "Blocked by staff" in body
    assert "Catatan internal staf" not in body


def test_staff_without_a_patron_record_get_a_polite_page(client, librarian):
    client.force_login(librarian)
    response = client.get(reverse("account:home"))
    assert response.status_code == 200
    assert "No library card on this account" in response.content.decode()
    assert client.get(reverse("account:pin")).status_code == 200


def test_logout_needs_a_post_and_ends_the_session(client, patron, patron_user):
    client.force_login(patron_user)
    client.post(reverse("account:logout"))
    assert client.get(reverse("account:home")).status_code == 302
