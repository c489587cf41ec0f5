"""SIP2 accounts: the actions (hashed passwords, audit, refusals) and the staff pages, per role."""

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from pustaka.circulation import actions_sip
from pustaka.circulation.models import SipAccount
from pustaka.core.errors import Conflict, PermissionDenied, ValidationFailed
from pustaka.core.models import AuditEvent

from .conftest import SIP_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.library_language("en")]


def test_librarian_creates_an_account_with_a_hashed_password_and_an_audit_event(sip_account):
    assert sip_account.password != SIP_PASSWORD
    assert check_password(SIP_PASSWORD, sip_account.password)
    event = AuditEvent.objects.get(verb="circulation.sip_account.create")
    assert event.object_id == str(sip_account.pk)
    assert "password" not in event.after


@pytest.mark.parametrize("role", ["circulation", "technician", "senior_technician", "it_manager"])
def test_roles_without_the_permission_cannot_create_an_account(make_staff, sip_actor, branch, role):
    with pytest.raises(PermissionDenied):
        actions_sip.create_sip_account(
            actor=make_staff(role),
            login="m2",
            password="long-enough",
            institution="MAIN",
            branch=branch,
            acts_as=sip_actor,
        )
    assert not SipAccount.objects.exists()


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"login": "selfcheck"}, Conflict, "login"),
        ({"login": "SELFCHECK"}, Conflict, "login"),
        ({"login": " "}, ValidationFailed, "login"),
        ({"login": "a|b"}, ValidationFailed, "login"),
        ({"password": "short"}, ValidationFailed, "password"),
        ({"password": "has|pipe-long"}, ValidationFailed, "password"),
        ({"institution": ""}, ValidationFailed, "institution"),
        ({"institution": "X" * 33}, ValidationFailed, "institution"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(sip_account, librarian, sip_actor, branch, changes, error, field):
    data = {
        "login": "machine-2",
        "password": "long-enough",
        "institution": "MAIN",
        "branch": branch,
        "acts_as": sip_actor,
    }
    with pytest.raises(error) as caught:
        actions_sip.create_sip_account(actor=librarian, **(data | changes))
    assert caught.value.field == field
    assert SipAccount.objects.count() == 1


def test_a_machine_cannot_act_as_a_patron_or_an_inactive_user(librarian, patron_user, make_staff, branch):
    gone = make_staff("circulation", "gone")
    gone.is_active = False
    gone.save()
    for user in (patron_user, gone):
        with pytest.raises(ValidationFailed):
            actions_sip.create_sip_account(
                actor=librarian, login="m3", password="long-enough", institution="MAIN", branch=branch, acts_as=user
            )


def test_update_password_deactivate_and_reactivate_are_audited(sip_account, librarian, other_branch):
    actions_sip.update_sip_account(account=sip_account, actor=librarian, branch=other_branch, institution="NORTH")
    actions_sip.set_sip_password(account=sip_account, password="another-secret", actor=librarian)
    actions_sip.deactivate_sip_account(account=sip_account, actor=librarian)
    sip_account.refresh_from_db()
    assert sip_account.branch == other_branch
    assert sip_account.institution == "NORTH"
    assert check_password("another-secret", sip_account.password)
    assert not sip_account.is_active
    actions_sip.reactivate_sip_account(account=sip_account, actor=librarian)
    sip_account.refresh_from_db()
    assert sip_account.is_active
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs[-4:] == [
        "circulation.sip_account.update",
        "circulation.sip_account.password",
        "circulation.sip_account.deactivate",
        "circulation.sip_account.reactivate",
    ]
    assert "another-secret" not in str(list(AuditEvent.objects.values_list("before", "after")))


def test_circulation_staff_cannot_change_or_deactivate_an_account(sip_account, circulation):
    with pytest.raises(PermissionDenied):
        actions_sip.set_sip_password(account=sip_account, password="another-secret", actor=circulation)
    with pytest.raises(PermissionDenied):
        actions_sip.deactivate_sip_account(account=sip_account, actor=circulation)
    sip_account.refresh_from_db()
    assert sip_account.is_active and check_password(SIP_PASSWORD, sip_account.password)


# --- Pages ---------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, sip_account):
    for url in (reverse("sip2:list"), reverse("sip2:create"), reverse("sip2:edit", args=[sip_account.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize("role", ["circulation", "technician", "senior_technician", "it_manager"])
def test_staff_without_the_permission_get_403(client, make_staff, sip_account, role):
    client.force_login(make_staff(role))
    assert client.get(reverse("sip2:list")).status_code == 403
    assert client.get(reverse("sip2:create")).status_code == 403
    assert client.post(reverse("sip2:set_active", args=[sip_account.pk]), {"active": "0"}).status_code == 403
    sip_account.refresh_from_db()
    assert sip_account.is_active


def test_a_patron_gets_403(client, patron_user, sip_account):
    client.force_login(patron_user)
    assert client.get(reverse("sip2:list")).status_code == 403


@pytest.mark.parametrize("role", ["librarian", "administrator"])
def test_librarians_and_administrators_see_the_list(
    client, make_staff, sip_account, role, django_assert_max_num_queries
):
    client.force_login(make_staff(role, f"page-{role}"))
    for n in range(5):
        SipAccount.objects.create(
            login=f"m{n}", password="x", institution="MAIN", branch=sip_account.branch, actor=sip_account.actor
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("sip2:list"))
    assert response.status_code == 200
    assert b"selfcheck" in response.content and b"m4" in response.content
    assert SIP_PASSWORD.encode() not in response.content


def test_librarian_creates_an_account_on_the_page(client, librarian, sip_actor, branch):
    client.force_login(librarian)
    response = client.post(
        reverse("sip2:create"),
        {
            "login": "kiosk-1",
            "institution": "MAIN",
            "branch": branch.pk,
            "acts_as": sip_actor.pk,
            "password": "kiosk-secret",
        },
    )
    assert response.status_code == 302
    account = SipAccount.objects.get(login="kiosk-1")
    assert check_password("kiosk-secret", account.password)
    assert account.actor == sip_actor


def test_the_page_shows_what_is_wrong_and_creates_nothing(client, librarian, sip_actor, branch):
    client.force_login(librarian)
    response = client.post(
        reverse("sip2:create"),
        {"login": "kiosk-1", "institution": "MAIN", "branch": branch.pk, "acts_as": sip_actor.pk, "password": "short"},
    )
    assert response.status_code == 200
    assert b"at least 8 characters" in response.content
    assert not SipAccount.objects.filter(login="kiosk-1").exists()


def test_librarian_edits_keeps_or_changes_the_password_and_deactivates(client, librarian, sip_account, other_branch):
    client.force_login(librarian)
    url = reverse("sip2:edit", args=[sip_account.pk])
    assert client.get(url).status_code == 200
    data = {"login": "selfcheck", "institution": "NORTH", "branch": other_branch.pk, "acts_as": sip_account.actor.pk}
    assert client.post(url, data | {"password": ""}).status_code == 302
    sip_account.refresh_from_db()
    assert sip_account.institution == "NORTH"
    assert check_password(SIP_PASSWORD, sip_account.password)
    # A refused password leaves the other changes unsaved as well.
    assert client.post(url, data | {"institution": "EAST", "password": "short"}).status_code == 200
    sip_account.refresh_from_db()
    assert sip_account.institution == "NORTH"
    assert client.post(url, data | {"password": "brand-new-secret"}).status_code == 302
    sip_account.refresh_from_db()
    assert check_password("brand-new-secret", sip_account.password)
    assert client.post(reverse("sip2:set_active", args=[sip_account.pk]), {"active": "0"}).status_code == 302
    sip_account.refresh_from_db()
    assert not sip_account.is_active
    assert client.get(reverse("sip2:set_active", args=[sip_account.pk])).status_code == 405
