"""The demo library: what ``pustaka init --demo`` promises (ARCHITECTURE, "The demo library")."""

import io

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import override_settings

from pustaka.catalog.models import Record
from pustaka.core.choices import Role
from pustaka.core.models import AuditEvent, Branch, Library, Location, User
from pustaka.demo.loader import DEMO_PASSWORD, STAFF, load_demo
from pustaka.holdings.choices import Condition, ItemStatus, PullReason
from pustaka.holdings.models import Item, ItemType
from pustaka.search.models import ChangeLog

pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _has_marc_import() -> bool:
    try:
        from pustaka.catalog.actions import import_marc  # noqa: F401
    except ImportError:
        return False
    return True


needs_marc_import = pytest.mark.skipif(not _has_marc_import(), reason="the MARC import action is not there yet")


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo once for this module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        admin = User.objects.create_superuser("admin", "", "admin-password-1")
        admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
        out = io.StringIO()
        assert load_demo(stdout=out) is True
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    """The demo library (each test runs in its own savepoint)."""
    return demo_output


@pytest.fixture
def admin(demo):
    return User.objects.get(username="admin")


def test_demo_has_the_two_branches_with_locations_and_opening_hours(demo):
    main, north = Branch.objects.get(code="MAIN"), Branch.objects.get(code="NORTH")
    assert main.name == "Perpustakaan Pusat" and north.name == "Perpustakaan Cabang Utara"
    assert main.opening_hours["0"] == [["08:00", "16:00"]]
    assert main.opening_hours["5"] == [["08:00", "12:00"]]
    assert "6" not in main.opening_hours  # closed on Sunday
    assert "Bandung" in main.address and main.phone
    for branch in (main, north):
        codes = set(Location.objects.filter(branch=branch).values_list("code", flat=True))
        assert codes == {"STACKS", "REF", "CHILD", "PERIODICALS", "STORE"}
        assert not Location.objects.get(branch=branch, code="STORE").is_public


def test_demo_has_the_item_types_and_reference_is_not_for_loan(demo):
    assert dict(ItemType.objects.values_list("code", "is_loanable")) == {
        "BOOK": True,
        "REF": False,
        "MAG": True,
        "AV": True,
    }


def test_barcode_B000001_is_an_available_indonesian_book_at_main(demo):
    item = Item.objects.select_related("record", "branch").get(barcode="B000001")
    assert item.status == ItemStatus.AVAILABLE
    assert item.branch.code == "MAIN"
    assert item.record.language == "ind"
    assert item.record.title == "Laskar pelangi"


def test_barcodes_are_sequential_from_B000001(demo):
    barcodes = sorted(Item.objects.values_list("barcode", flat=True))
    assert barcodes == [f"B{n:06d}" for n in range(1, len(barcodes) + 1)]


def test_every_item_status_occurs_in_the_demo(demo):
    present = set(Item.objects.values_list("status", flat=True))
    assert set(ItemStatus.values) - present == set()


def test_every_technician_queue_has_work_at_both_branches_together(demo):
    for status in (ItemStatus.RECEIVED, ItemStatus.IN_PROCESSING, ItemStatus.READY_FOR_SHELVING):
        assert Item.objects.filter(status=status).count() >= 3, status
    for reason in PullReason.values:
        assert Item.objects.filter(status=ItemStatus.PULLED, pulled_reason=reason).exists(), reason
    assert Item.objects.filter(branch__code="NORTH", status=ItemStatus.RECEIVED).exists()


def test_every_status_was_reached_by_legal_moves_that_the_audit_trail_shows(demo):
    sold = Item.objects.filter(status=ItemStatus.SOLD).first()
    verbs = list(
        AuditEvent.objects.filter(object_id=str(sold.pk), verb__startswith="holdings.item.")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs[0] == "holdings.item.create"
    assert [v for v in verbs if v != "holdings.item.condition"][1:] == [
        "holdings.item.pull",
        "holdings.item.withdraw",
        "holdings.item.offer_for_sale",
        "holdings.item.sell",
    ]


def test_some_items_are_worn_or_damaged_with_a_condition_history(demo):
    assert Item.objects.filter(condition=Condition.WORN).exists()
    damaged = Item.objects.filter(condition=Condition.DAMAGED).first()
    assert damaged is not None
    assert damaged.condition_history.filter(to_condition=Condition.DAMAGED).exists()


@pytest.mark.parametrize("role", Role.values)
def test_each_role_has_a_demo_user_who_can_log_in_with_the_documented_password(demo, client, role):
    user = User.objects.filter(groups__name=role).exclude(username="admin").first()
    assert user is not None, role
    assert user.home_branch is not None
    assert client.login(username=user.username, password=DEMO_PASSWORD)
    assert client.get("/staff/").status_code == 200


def test_there_is_a_technician_at_north_and_the_loader_prints_the_credentials(demo):
    assert User.objects.filter(groups__name=Role.TECHNICIAN, home_branch__code="NORTH").exists()
    assert DEMO_PASSWORD in demo
    for username, *_ in STAFF:
        assert username in demo


def test_indonesian_records_are_written_for_the_demo_with_indonesian_call_numbers(demo):
    indonesian = Record.objects.filter(language="ind")
    assert indonesian.count() >= 30
    laskar = indonesian.get(title="Laskar pelangi", material_type="book")
    assert laskar.call_number == "899.2213 HIR l"
    assert "Fiksi Indonesia" in laskar.subjects
    assert set(indonesian.values_list("material_type", flat=True)) >= {
        "book",
        "magazine",
        "newspaper",
        "ebook",
        "video",
    }
    assert not indonesian.exclude(isbn="").exists()  # no invented ISBNs


@needs_marc_import
def test_demo_holds_the_library_of_congress_records_shipped_in_the_package(demo):
    assert Record.objects.count() >= 250
    assert Record.objects.filter(language="ind").count() >= 30
    assert Record.objects.filter(source="marc").count() >= 290
    assert Record.objects.filter(contributors__icontains="Copp").exists()  # a record with accents survived
    assert Item.objects.filter(record__source="marc").count() >= 250


def test_the_library_settings_use_the_indonesian_call_number_rule(demo):
    library = Library.objects.get()
    assert library.name == "Perpustakaan Demo Pustaka"
    assert library.call_number_rule == "indonesian"


def test_the_audit_trail_shows_the_admin_built_the_library(demo, admin):
    for verb in (
        "core.library.update",
        "core.branch.create",
        "core.location.create",
        "core.user.create",
        "holdings.item_type.create",
        "catalog.record.create",
        "holdings.item.create",
        "holdings.item.condition",
    ):
        assert AuditEvent.objects.filter(verb=verb, actor=admin).exists(), verb
    assert AuditEvent.objects.filter(verb="holdings.item.create").count() == Item.objects.count()
    assert ChangeLog.objects.filter(kind=ChangeLog.Kind.ITEM).exists()


def test_loading_the_demo_twice_adds_nothing(demo):
    counts = [m.objects.count() for m in (Branch, Location, User, ItemType, Record, Item, AuditEvent, ChangeLog)]
    out = io.StringIO()
    assert load_demo(stdout=out) is False
    assert "already" in out.getvalue()
    assert counts == [
        m.objects.count() for m in (Branch, Location, User, ItemType, Record, Item, AuditEvent, ChangeLog)
    ]


def test_the_public_catalogue_shows_the_demo(demo, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = client.get("/search/", {"q": "laskar pelangi"}).content.decode()
    assert "Available at Perpustakaan Pusat" in html
