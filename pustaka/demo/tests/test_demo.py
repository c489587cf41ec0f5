"""The demo library: what ``pustaka init --demo`` promises (ARCHITECTURE, "The demo library")."""

import io

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from pustaka.catalog.models import Record
from pustaka.core.choices import Role
from pustaka.core.models import AuditEvent, Branch, Library, Location, User
from pustaka.demo.loader import DEMO_PASSWORD, STAFF, load_demo
from pustaka.holdings.choices import Condition, ItemStatus, PullReason
from pustaka.holdings.models import Item, ItemType
from pustaka.search.models import ChangeLog
from pustaka.technical import models as maintenance
from pustaka.technical.choices import (
    IssueStatus,
    PaymentMethod,
    PullEntryState,
    PullListStatus,
    Queue,
    RepairStatus,
    ReviewOutcome,
    ShipmentStatus,
    StepKind,
    StocktakeStatus,
    WeedingDecision,
)
from pustaka.technical.queries import my_work, queue_items
from pustaka.technical.queries.bindery import is_overdue
from pustaka.technical.queries.serials import late_issues

pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    models = (Branch, Location, User, ItemType, Record, Item, AuditEvent, ChangeLog, *TECHNICAL_MODELS)
    counts = [m.objects.count() for m in models]
    out = io.StringIO()
    assert load_demo(stdout=out) is False
    assert "already" in out.getvalue()
    assert counts == [m.objects.count() for m in models]


def test_the_public_catalogue_shows_the_demo(demo, client):
    html = client.get("/search/", {"q": "laskar pelangi"}).content.decode()
    assert "Available at Perpustakaan Pusat" in html


# Technical services: work waiting in every queue ---------------------------------------------------

TECHNICAL_MODELS = (
    maintenance.ProcessingProfile,
    maintenance.ProcessingStepDone,
    maintenance.Assignment,
    maintenance.Review,
    maintenance.PullList,
    maintenance.PullListEntry,
    maintenance.WeedingCriteria,
    maintenance.WeedingCandidate,
    maintenance.RepairTicket,
    maintenance.BinderyVendor,
    maintenance.BinderyShipment,
    maintenance.BinderyShipmentItem,
    maintenance.SaleEvent,
    maintenance.SaleOffer,
    maintenance.Sale,
    maintenance.Stocktake,
    maintenance.StocktakeScan,
    maintenance.Subscription,
    maintenance.SerialIssue,
)


@pytest.mark.parametrize("queue", Queue.values)
def test_every_technical_services_queue_has_work_waiting(demo, queue):
    assert queue_items(queue).exists(), queue


def test_north_follows_its_own_processing_profile_with_the_label_steps_turned_off(demo):
    library = maintenance.ProcessingProfile.objects.get(branch__isnull=True)
    north = maintenance.ProcessingProfile.objects.get(branch__code="NORTH")
    labels = {StepKind.SPINE_LABEL, StepKind.BARCODE_LABEL}
    assert set(north.steps.filter(is_enabled=False).values_list("kind", flat=True)) >= labels
    assert set(library.steps.filter(is_enabled=True).values_list("kind", flat=True)) >= labels


def test_items_in_processing_have_some_steps_ticked_and_none_finished_too_early(demo):
    ticked = Item.objects.filter(status=ItemStatus.IN_PROCESSING, processing_done__isnull=False).distinct()
    assert ticked.filter(branch__code="MAIN").exists() and ticked.filter(branch__code="NORTH").exists()
    assert maintenance.ProcessingStepDone.objects.filter(done_by__username="teknisi").exists()


def test_the_technician_has_work_assigned_and_one_item_sent_back_with_a_note(demo):
    work = my_work(User.objects.get(username="teknisi"))
    assert {a.queue for a in work} >= {Queue.PROCESSING, Queue.SHELVING, Queue.PULLING}
    assert all(a.in_queue for a in work)
    sent_back = work[0]  # work sent back comes first
    assert sent_back.review_outcome == ReviewOutcome.SENT_BACK and sent_back.review_note
    review = maintenance.Review.objects.get(item=sent_back.item, outcome=ReviewOutcome.SENT_BACK)
    assert review.reviewer.username == "teknisi.senior"
    assert sent_back.item.status == ItemStatus.IN_PROCESSING


def test_donated_books_wait_for_a_call_number(demo):
    waiting = queue_items(Queue.CATALOGUING)
    assert {item.branch.code for item in waiting} == {"MAIN", "NORTH"}
    assert all(item.status == ItemStatus.RECEIVED and not item.effective_call_number for item in waiting)


def test_an_open_weeding_pull_list_at_main_has_items_pulled_one_not_found_and_some_to_pull(demo):
    pull_list = maintenance.PullList.objects.get(reason=PullReason.WEED, status=PullListStatus.OPEN)
    assert pull_list.branch.code == "MAIN"
    states = list(pull_list.entries.values_list("state", flat=True))
    assert states.count(PullEntryState.PULLED) >= 2
    assert states.count(PullEntryState.NOT_FOUND) == 1
    assert states.count(PullEntryState.WAITING) >= 1
    pulled = pull_list.entries.filter(state=PullEntryState.PULLED).values_list("item__status", flat=True)
    assert set(pulled) <= {ItemStatus.PULLED, ItemStatus.WITHDRAWN, ItemStatus.FOR_SALE, ItemStatus.SOLD}


def test_weeding_criteria_have_candidates_approved_rejected_and_waiting(demo):
    criteria = maintenance.WeedingCriteria.objects.get(branch__code="MAIN")
    decisions = set(criteria.candidates.values_list("decision", flat=True))
    assert decisions == {WeedingDecision.PROPOSED, WeedingDecision.APPROVED, WeedingDecision.REJECTED}
    assert not criteria.candidates.filter(decision=WeedingDecision.APPROVED, pull_list__isnull=True).exists()
    assert all(c.reasons for c in criteria.candidates.all())


def test_repair_tickets_are_open_and_one_has_work_recorded(demo):
    tickets = maintenance.RepairTicket.objects.filter(status=RepairStatus.OPEN)
    assert tickets.count() >= 2
    assert all(ticket.item.status == ItemStatus.IN_REPAIR for ticket in tickets)
    assert tickets.filter(minutes_spent__gt=0, materials_cost__gt=0).exists()
    assert Item.objects.filter(status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR).exists()  # no ticket yet


def test_the_bindery_has_one_shipment_overdue_and_one_partly_returned(demo):
    shipments = maintenance.BinderyShipment.objects.all()
    overdue = shipments.get(status=ShipmentStatus.SENT)
    assert is_overdue(overdue)
    assert all(line.item.status == ItemStatus.AT_BINDERY for line in overdue.lines.all())
    partly = shipments.get(status=ShipmentStatus.PARTLY_RETURNED)
    assert not is_overdue(partly)
    back = partly.lines.get(returned_on__isnull=False)
    assert back.binding_note and back.item.status == ItemStatus.READY_FOR_SHELVING
    assert partly.lines.filter(returned_on__isnull=True, item__status=ItemStatus.AT_BINDERY).exists()


def test_the_book_sale_has_sales_in_cash_and_by_qris_and_items_still_for_sale(demo):
    event = maintenance.SaleEvent.objects.get(branch__code="MAIN")
    assert set(event.sales.values_list("payment_method", flat=True)) == {PaymentMethod.CASH, PaymentMethod.QRIS}
    assert Item.objects.filter(status=ItemStatus.WITHDRAWN).exists()
    for_sale = Item.objects.filter(status=ItemStatus.FOR_SALE)
    assert for_sale.count() >= 2
    # Every item for sale has its price and every sold item its line in the sales ledger.
    assert not for_sale.filter(sale_offer__isnull=True).exists()
    assert not Item.objects.filter(status=ItemStatus.SOLD, sale__isnull=True).exists()


def test_a_stocktake_of_one_location_waits_for_the_librarians_confirmation(demo):
    stocktake = maintenance.Stocktake.objects.get(status=StocktakeStatus.REVIEW)
    assert stocktake.location is not None
    results = set(stocktake.scans.values_list("result", flat=True))
    assert {"ok", "out_of_order", "wrong_shelf", "unknown"} <= results


def test_serial_subscriptions_have_issues_received_late_and_one_claimed(demo):
    titles = set(maintenance.Subscription.objects.values_list("record__title", flat=True))
    assert titles == {"Bobo", "Intisari", "Kompas"}
    issues = maintenance.SerialIssue.objects.all()
    assert issues.filter(status=IssueStatus.RECEIVED, item__isnull=False).count() >= 10
    assert issues.filter(status=IssueStatus.EXPECTED).exists()
    assert issues.filter(status=IssueStatus.LATE).exists()
    assert issues.filter(status=IssueStatus.CLAIMED, claim_count=1).count() == 1
    assert len(late_issues()) >= 3


def test_the_audit_trail_names_who_did_the_technical_work(demo):
    for username, verb in (
        ("teknisi", "maintenance.processing.tick"),
        ("teknisi.senior", "maintenance.supervision.send_back"),
        ("teknisi", "maintenance.pulling.scan"),
        ("pustakawan", "maintenance.weeding.approve"),
        ("teknisi.utara", "maintenance.stocktake.finish"),
        ("admin", "maintenance.sale.sell"),
    ):
        assert AuditEvent.objects.filter(verb=verb, actor__username=username).exists(), verb


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "supervision_my_work",
        "supervision_review",
        "processing_queue",
        "processing_cataloguing_queue",
        "shelving_queue",
        "pulling_list",
        "weeding_list",
        "repair_queue",
        "bindery_home",
        "sale_withdrawals",
        "sale_home",
        "sale_ledger",
        "stocktake_list",
        "serial_list",
        "serial_late",
    ],
)
def test_the_technical_services_pages_show_the_demo_work(demo, client, page):
    assert client.login(username="pustakawan", password=DEMO_PASSWORD)
    assert client.get(reverse(f"technical:{page}")).status_code == 200


def test_every_copy_the_desk_is_holding_has_its_loan_or_hold_and_no_lend_without_a_loan(demo):
    """The loader lends through the desk: each copy on loan or lost has its one open loan, each copy on
    the hold shelf its ready hold, and the audit trail shows no lending move that made no loan."""
    from pustaka.circulation.choices import HoldStatus
    from pustaka.circulation.models import Hold, Loan

    open_loans = dict(Loan.objects.filter(returned_at__isnull=True).values_list("item_id", "is_lost"))
    held = set(Item.objects.filter(status__in=[ItemStatus.ON_LOAN, ItemStatus.LOST]).values_list("pk", flat=True))
    assert held and set(open_loans) == held
    lost = set(Item.objects.filter(status=ItemStatus.LOST).values_list("pk", flat=True))
    assert lost and {pk for pk, is_lost in open_loans.items() if is_lost} == lost
    on_shelf = set(Item.objects.filter(status=ItemStatus.ON_HOLD_SHELF).values_list("pk", flat=True))
    ready = set(Hold.objects.filter(status=HoldStatus.READY).values_list("trapped_item_id", flat=True))
    assert on_shelf and on_shelf == ready
    lends = AuditEvent.objects.filter(verb="holdings.item.lend").count()
    assert lends == Loan.objects.count() > 0
    assert Item.objects.filter(status=ItemStatus.IN_TRANSIT).exists()
    found = AuditEvent.objects.filter(verb="holdings.item.found").values_list("object_id", flat=True)
    assert found and Loan.objects.filter(item_id__in=[int(pk) for pk in found], is_lost=True).exists()


def test_every_copy_in_a_technical_workflow_has_the_record_that_workflow_keeps(demo):
    """The loader makes technical-services moves through their workflows too: a pulled copy was scanned
    off a pull list, a copy in repair has its open ticket, a copy at the bindery its open shipment line,
    a missing copy was not found by a pull list."""
    pulled = Item.objects.filter(status=ItemStatus.PULLED)
    assert pulled.exists()
    assert not pulled.exclude(pull_entries__state=PullEntryState.PULLED).exists()
    in_repair = Item.objects.filter(status=ItemStatus.IN_REPAIR)
    assert in_repair.exists()
    assert not in_repair.exclude(repairs__status=RepairStatus.OPEN).exists()
    at_bindery = Item.objects.filter(status=ItemStatus.AT_BINDERY)
    open_lines = maintenance.BinderyShipmentItem.objects.filter(returned_on__isnull=True).values("item_id")
    assert at_bindery.exists() and not at_bindery.exclude(pk__in=open_lines).exists()
    missing = Item.objects.filter(status=ItemStatus.MISSING)
    assert missing.exists()
    assert not missing.exclude(pull_entries__state=PullEntryState.NOT_FOUND).exists()
    assert (
        not AuditEvent.objects.filter(verb="holdings.item.pull")
        .exclude(object_id__in=[str(pk) for pk in maintenance.PullListEntry.objects.values_list("item_id", flat=True)])
        .exists()
    )
