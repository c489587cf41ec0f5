"""Staff account pages: only administrators manage accounts."""

import pytest

from pustaka.core.models import AuditEvent, User


@pytest.mark.parametrize("role", ["it_manager", "librarian", "senior_technician", "technician", "circulation"])
def test_only_administrators_see_staff_accounts(client, make_staff, role):
    client.force_login(make_staff(role))
    assert client.get("/staff/users/").status_code == 403
    assert client.post("/staff/users/new/", {"username": "x"}).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get("/staff/users/")
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]


def test_a_patron_account_is_refused(client, patron_user):
    client.force_login(patron_user)
    assert client.get("/staff/users/").status_code == 403


def test_administrator_creates_a_circulation_account(client, administrator, branch):
    client.force_login(administrator)
    response = client.post(
        "/staff/users/new/",
        {
            "username": "dewi",
            "password": "kata-sandi-panjang-9",
            "home_branch": branch.pk,
            "roles": ["circulation"],
        },
    )
    assert response.status_code == 302
    dewi = User.objects.get(username="dewi")
    assert dewi.role_names == ["circulation"]
    assert AuditEvent.objects.filter(verb="core.user.create", actor=administrator).exists()
    listing = client.get("/staff/users/")
    assert "dewi" in listing.content.decode()


def test_a_weak_password_is_shown_on_the_form_and_nothing_is_created(client, administrator):
    client.force_login(administrator)
    response = client.post("/staff/users/new/", {"username": "dewi", "password": "12345678", "roles": ["circulation"]})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not User.objects.filter(username="dewi").exists()


def test_administrator_changes_roles(client, administrator, technician):
    client.force_login(administrator)
    response = client.post(f"/staff/users/{technician.pk}/roles/", {"roles": ["senior_technician"]})
    assert response.status_code == 302
    technician.refresh_from_db()
    assert technician.role_names == ["senior_technician"]


def test_account_list_does_not_grow_queries_with_accounts(
    client, administrator, make_staff, django_assert_max_num_queries
):
    for i in range(15):
        make_staff("technician", username=f"tech{i}")
    client.force_login(administrator)
    with django_assert_max_num_queries(8):
        assert client.get("/staff/users/").status_code == 200
