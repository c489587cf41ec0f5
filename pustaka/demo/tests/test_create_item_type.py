"""``holdings.actions.create_item_type`` (added for the demo loader): who may add an item type, and bad input."""

import pytest

from pustaka.core.audit import history
from pustaka.core.errors import Conflict, PermissionDenied, ValidationFailed
from pustaka.holdings.actions import create_item_type
from pustaka.holdings.models import ItemType

pytestmark = pytest.mark.django_db


def test_administrator_can_add_an_item_type_and_it_is_audited(administrator):
    item_type = create_item_type(actor=administrator, code="ref", name=" Referensi ", is_loanable=False)
    assert (item_type.code, item_type.name, item_type.is_loanable) == ("REF", "Referensi", False)
    assert history(item_type).get().verb == "holdings.item_type.create"


@pytest.mark.parametrize("role", ["librarian", "technician", "circulation"])
def test_staff_without_the_permission_cannot_add_an_item_type(make_staff, role):
    with pytest.raises(PermissionDenied):
        create_item_type(actor=make_staff(role), code="DVD", name="DVD")
    assert not ItemType.objects.exists()


def test_an_item_type_code_is_used_once(administrator):
    create_item_type(actor=administrator, code="BOOK", name="Buku")
    with pytest.raises(Conflict):
        create_item_type(actor=administrator, code="book", name="Buku lagi")
    assert ItemType.objects.count() == 1


@pytest.mark.parametrize(("code", "name"), [("", "Buku"), ("BAD CODE", "Buku"), ("X" * 17, "Buku"), ("BOOK", "  ")])
def test_an_item_type_needs_a_proper_code_and_a_name(administrator, code, name):
    with pytest.raises(ValidationFailed):
        create_item_type(actor=administrator, code=code, name=name)
    assert not ItemType.objects.exists()
