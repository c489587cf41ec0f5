"""What each staff role may and may not do, checked through the actions themselves."""

import pytest

from pustaka.catalog.actions import create_record, update_record
from pustaka.core.actions import create_branch, create_location, update_library_settings
from pustaka.core.choices import Role
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent, Branch
from pustaka.holdings.actions import change_condition, create_item, move_item
from pustaka.holdings.choices import Condition, ItemStatus, PullReason

ROLES = [r.value for r in Role]


def _create_record(actor, **ctx):
    return create_record(actor=actor, title="Sejarah Nusantara")


def _edit_record(actor, record, **ctx):
    return update_record(record=record, actor=actor, title="Judul baru")


def _create_item(actor, record, branch, item_type, **ctx):
    return create_item(record=record, barcode="B555001", branch=branch, item_type=item_type, actor=actor)


def _pull_for_repair(actor, item, **ctx):
    return move_item(item=item, to=ItemStatus.PULLED, actor=actor, workflow="pulling", reason=PullReason.REPAIR)


def _withdraw(actor, make_item, **ctx):
    weeded = make_item("B555002", status=ItemStatus.PULLED, pulled_reason=PullReason.WEED)
    return move_item(item=weeded, to=ItemStatus.WITHDRAWN, actor=actor, workflow="weeding")


def _lend(actor, item, **ctx):
    return move_item(item=item, to=ItemStatus.ON_LOAN, actor=actor, workflow="desk")


def _condition(actor, item, **ctx):
    return change_condition(item=item, condition=Condition.WORN, actor=actor)


def _create_branch(actor, **ctx):
    return create_branch(actor=actor, code="SOUTH", name="Cabang Selatan")


def _create_location(actor, branch, **ctx):
    return create_location(actor=actor, branch=branch, code="REF", name="Referensi")


def _library_settings(actor, **ctx):
    return update_library_settings(actor=actor, name="Perpustakaan Desa Sukamaju")


# action → the roles that may do it (everyone else must be refused)
MATRIX = {
    _create_record: {"administrator", "librarian", "it_manager"},  # the IT manager catalogues digital resources
    _edit_record: {"administrator", "librarian", "it_manager"},
    _create_item: {"administrator", "librarian", "senior_technician"},
    _pull_for_repair: {"administrator", "librarian", "senior_technician", "technician"},
    _withdraw: {"administrator", "librarian"},
    # In small libraries technicians work the circulation desk too; the IT manager does not.
    _lend: {"administrator", "librarian", "circulation", "senior_technician", "technician"},
    _condition: {"administrator", "librarian", "senior_technician", "technician"},
    _create_branch: {"administrator", "it_manager"},
    _create_location: {"administrator", "it_manager", "librarian"},
    _library_settings: {"administrator", "it_manager"},
}
CASES = [(action, role, role in allowed) for action, allowed in MATRIX.items() for role in ROLES]


@pytest.mark.parametrize(
    ("action", "role", "allowed"),
    CASES,
    ids=[f"{a.__name__[1:]}-{r}-{'may' if ok else 'may-not'}" for a, r, ok in CASES],
)
def test_each_role_may_do_only_its_own_work(
    action, role, allowed, make_staff, record, branch, item_type, item, make_item
):
    actor = make_staff(role)
    events_before = AuditEvent.objects.count()
    ctx = {"record": record, "branch": branch, "item_type": item_type, "item": item, "make_item": make_item}

    if allowed:
        action(actor, **ctx)
        assert AuditEvent.objects.filter(actor=actor).exists()
    else:
        with pytest.raises(PermissionDenied):
            action(actor, **ctx)
        assert AuditEvent.objects.count() == events_before
        assert not Branch.objects.filter(code="SOUTH").exists()


def test_a_patron_account_cannot_do_staff_work(patron_user, record):
    with pytest.raises(PermissionDenied):
        update_record(record=record, actor=patron_user, title="Dirusak")
    record.refresh_from_db()
    assert record.title == "Pemrograman Python"


def test_a_deactivated_librarian_can_no_longer_catalogue(librarian):
    librarian.is_active = False
    librarian.save()
    with pytest.raises(PermissionDenied):
        create_record(actor=librarian, title="Tidak boleh")


def test_roles_exist_as_groups_after_migration(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)
    assert (
        Group.objects.get(name="administrator").permissions.count()
        > Group.objects.get(name="librarian").permissions.count()
    )
