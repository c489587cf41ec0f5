"""Branches, locations, staff accounts, tokens and the audit trail."""

import pytest

from pustaka.core.actions import (
    create_branch,
    create_location,
    create_staff_user,
    issue_api_token,
    revoke_api_token,
    set_roles,
    update_branch,
)
from pustaka.core.audit import history
from pustaka.core.errors import Conflict, ValidationFailed
from pustaka.core.models import ApiToken, AuditEvent, Branch, User


def test_administrator_opens_a_branch_with_opening_hours(administrator):
    branch = create_branch(
        actor=administrator,
        code="south",
        name="Cabang Selatan",
        opening_hours={"0": [["08:00", "12:00"], ["13:00", "16:00"]], "5": [["08:00", "12:00"]]},
    )

    assert branch.code == "SOUTH"
    assert branch.opening_hours["0"] == [["08:00", "12:00"], ["13:00", "16:00"]]
    event = history(branch).get()
    assert event.verb == "core.branch.create"
    assert event.actor == administrator
    assert event.after["code"] == "SOUTH"


@pytest.mark.parametrize(
    "hours", [{"7": [["08:00", "16:00"]]}, {"0": [["16:00", "08:00"]]}, {"0": [["8am", "4pm"]]}, ["08:00"]]
)
def test_bad_opening_hours_are_refused_and_nothing_is_saved(administrator, hours):
    with pytest.raises(ValidationFailed) as refused:
        create_branch(actor=administrator, code="EAST", name="Timur", opening_hours=hours)
    assert refused.value.field == "opening_hours"
    assert not Branch.objects.filter(code="EAST").exists()


def test_branch_codes_are_unique(administrator, branch):
    with pytest.raises(Conflict):
        create_branch(actor=administrator, code="main", name="Duplikat")


def test_update_branch_records_only_what_changed(administrator, branch):
    update_branch(branch=branch, actor=administrator, phone="0274-123456")
    event = AuditEvent.objects.get(verb="core.branch.update")
    assert event.before == {"phone": ""}
    assert event.after == {"phone": "0274-123456"}


def test_a_location_belongs_to_one_branch_and_codes_do_not_repeat_there(administrator, branch, other_branch):
    create_location(actor=administrator, branch=branch, code="ref", name="Referensi")
    create_location(actor=administrator, branch=other_branch, code="REF", name="Referensi")
    with pytest.raises(Conflict):
        create_location(actor=administrator, branch=branch, code="REF", name="Lagi")


def test_administrator_creates_a_technician_with_a_home_branch(administrator, branch):
    user = create_staff_user(
        actor=administrator, username="sari", password="kata-sandi-panjang-9", roles=["technician"], home_branch=branch
    )
    assert user.check_password("kata-sandi-panjang-9")
    assert user.role_names == ["technician"]
    assert user.home_branch == branch
    assert AuditEvent.objects.filter(verb="core.user.create", object_id=str(user.pk)).exists()


def test_weak_passwords_and_unknown_roles_are_refused(administrator, branch):
    with pytest.raises(ValidationFailed) as weak:
        create_staff_user(
            actor=administrator, username="budi", password="123", roles=["technician"], home_branch=branch
        )
    assert weak.value.field == "password"
    with pytest.raises(ValidationFailed) as role:
        create_staff_user(
            actor=administrator, username="budi", password="kata-sandi-panjang-9", roles=["janitor"], home_branch=branch
        )
    assert role.value.field == "roles"
    assert not User.objects.filter(username="budi").exists()


def test_set_roles_replaces_the_roles(administrator, technician):
    set_roles(user=technician, roles=["senior_technician"], actor=administrator)
    technician.refresh_from_db()
    assert technician.role_names == ["senior_technician"]
    assert technician.has_perm("holdings.add_copy")


def test_api_tokens_are_stored_hashed_and_can_be_revoked(librarian):
    key = issue_api_token(user=librarian, actor=librarian)
    token = ApiToken.objects.get(user=librarian)
    assert key not in token.key_hash
    assert token.key_hash == ApiToken.hash(key)
    revoke_api_token(token=token, actor=librarian)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_audit_events_carry_the_request_id(administrator):
    from pustaka.core.context import reset_request_id, set_request_id

    handle = set_request_id("req-12345678")
    try:
        create_branch(actor=administrator, code="WEST", name="Barat")
    finally:
        reset_request_id(handle)
    assert AuditEvent.objects.get(verb="core.branch.create").request_id == "req-12345678"


def test_every_response_has_a_request_id(client, db):
    response = client.get("/health")
    assert len(response["X-Request-ID"]) >= 8


def test_health_reports_database_and_index(client, db):
    response = client.get("/health")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert "applied_sequence" in data["index"]
    assert "path" not in data["index"]  # the server's folders are not the public's business


def test_staff_see_where_the_index_lives_in_health(client, administrator, settings):
    client.force_login(administrator)
    assert client.get("/health").json()["index"]["path"] == str(settings.PUSTAKA_INDEX_DIR)


def test_the_first_administrator_is_created_with_an_audit_event_and_can_log_in(db, client):
    from pustaka.core.actions import bootstrap_administrator

    admin, created = bootstrap_administrator(password="rahasia-sekali-1")
    assert created and admin.is_superuser and admin.groups.filter(name="administrator").exists()
    event = AuditEvent.objects.get(verb="core.user.create")
    assert event.actor is None and event.actor_name == "system"
    assert client.login(username="admin", password="rahasia-sekali-1")

    again, created = bootstrap_administrator(password="kata-sandi-baru-2")
    assert not created and again.pk == admin.pk
    assert AuditEvent.objects.filter(verb="core.user.set_password", object_id=str(admin.pk)).count() == 1
    assert not client.login(username="admin", password="rahasia-sekali-1")
    assert client.login(username="admin", password="kata-sandi-baru-2")
