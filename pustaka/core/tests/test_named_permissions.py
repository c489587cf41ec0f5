"""Permissions are named for what people do; renaming them keeps what every group and user could do."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from pustaka.core.choices import Role
from pustaka.core.roles import ROLE_PERMISSIONS, replace_permissions, sync_roles


def _perm(label: str) -> Permission:
    app_label, codename = label.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.mark.parametrize("role", sorted(ROLE_PERMISSIONS))
def test_every_permission_a_role_lists_exists(db, role):
    """sync_roles skips a permission not declared yet during the migrations; after them, none is missing."""
    missing = []
    for label in ROLE_PERMISSIONS[role]:
        app_label, codename = label.split(".", 1)
        if not Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists():
            missing.append(label)
    assert missing == []
    group = Group.objects.get(name=role)
    assert group.permissions.count() == len(set(ROLE_PERMISSIONS[role]))


def test_roles_hold_the_named_permissions_and_not_the_generic_ones(db):
    desk = set(ROLE_PERMISSIONS[Role.CIRCULATION])
    assert {"circulation.checkout", "circulation.checkin", "circulation.renew", "patrons.register"} <= desk
    assert not {"circulation.add_loan", "circulation.change_loan", "patrons.add_patron"} & desk
    librarian = set(ROLE_PERMISSIONS[Role.LIBRARIAN])
    assert {"catalog.catalogue", "holdings.add_copy", "patrons.block", "circulation.override"} <= librarian
    assert not {"catalog.add_record", "catalog.change_record", "holdings.add_item"} & librarian


def test_a_custom_group_that_could_lend_still_can_after_the_rename(db, make_staff):
    """A library's own group holding Django's generic ``add_loan`` gets ``circulation.checkout``."""
    volunteers = Group.objects.create(name="relawan-meja")
    volunteers.permissions.add(_perm("circulation.add_loan"))
    user = make_staff("technician", "relawan")
    user.groups.add(volunteers)
    replace_permissions({"circulation.checkout": ("circulation.add_loan",)})(apps)
    assert volunteers.permissions.filter(codename="checkout", content_type__app_label="circulation").exists()
    assert volunteers.permissions.filter(codename="add_loan").exists()  # Django's own stays


def test_an_old_custom_permission_is_replaced_and_removed(db, make_staff):
    """A user given the old ``override_circulation`` directly holds ``circulation.override`` instead."""
    from pustaka.circulation.models import Loan

    old = Permission.objects.create(
        codename="override_circulation",
        name="Can override circulation refusals",
        content_type=ContentType.objects.get_for_model(Loan),
    )
    user = make_staff("technician", "pengawas")
    user.user_permissions.add(old)
    replace_permissions({"circulation.override": ("circulation.override_circulation",)})(apps)
    assert not Permission.objects.filter(codename="override_circulation").exists()
    user = type(user).objects.get(pk=user.pk)  # a fresh permission cache
    assert user.has_perm("circulation.override")


def test_sync_roles_refuses_a_permission_that_is_declared_but_missing(db, monkeypatch):
    """A typo is caught by the existence test above; a declared permission missing from the database
    (a broken install) stops the migration instead of leaving a role without it."""
    _perm("circulation.checkout").delete()
    monkeypatch.setattr("django.contrib.auth.management.create_permissions", lambda *a, **k: None)
    with pytest.raises(LookupError, match="circulation.checkout"):
        sync_roles(apps)
