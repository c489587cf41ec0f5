"""Every technical-services status table (technical/transitions/), exercised both ways through the actions:
each listed move is made by the action that owns it and audited with the row's verb; from every other
status the action refuses (or, for the nightly and bulk actions, leaves the object alone) and writes
nothing; a role without the row's permission is refused."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from pustaka.catalog.models import Record
from pustaka.core.errors import PermissionDenied, PustakaError
from pustaka.core.models import AuditEvent
from pustaka.core.permissions import has
from pustaka.core.transitions import MACHINES as ALL_MACHINES
from pustaka.holdings.choices import Condition, ItemStatus, PullReason
from pustaka.technical import actions
from pustaka.technical.choices import (
    DamageType,
    PullEntryState,
    RepairStatus,
    ShipmentStatus,
    WeedingDecision,
)
from pustaka.technical.models import (
    BinderyShipment,
    BinderyShipmentItem,
    BinderyVendor,
    PullListEntry,
    RepairTicket,
    SerialIssue,
    WeedingCandidate,
)
from pustaka.technical.transitions import (
    ISSUES,
    MACHINES,
    PULL_ENTRIES,
    PULL_LISTS,
    REPAIRS,
    SHIPMENTS,
    STOCKTAKES,
    WEEDING_DECISIONS,
)

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "it_manager", "librarian", "senior_technician", "technician", "circulation"]


@dataclass
class World:
    """What the set-ups need: the conftest's branch, location, item type and item maker."""

    branch: object
    location: object
    item_type: object
    make_item: object
    librarian: object
    count: int = 0

    def item(self, status=ItemStatus.AVAILABLE, reason=""):
        self.count += 1
        return self.make_item(f"T{self.count:05d}", status=status, pulled_reason=reason)


@pytest.fixture
def world(branch, location, item_type, make_item, librarian):
    return World(branch, location, item_type, make_item, librarian)


# --- set-ups: an object in ``source``, ready for the action that moves it to ``target`` ---------------


def make_shipment(world, source, target):
    shipment = BinderyShipment.objects.create(
        vendor=BinderyVendor.objects.get_or_create(name="Jilid Jaya")[0], branch=world.branch, status=source
    )
    out = source in (ShipmentStatus.SENT, ShipmentStatus.PARTLY_RETURNED)
    waiting = 2 if target == ShipmentStatus.PARTLY_RETURNED else 1
    for _n in range(waiting):
        item = world.item(ItemStatus.AT_BINDERY) if out else world.item(ItemStatus.PULLED, PullReason.BIND)
        BinderyShipmentItem.objects.create(shipment=shipment, item=item)
    if source in (ShipmentStatus.PARTLY_RETURNED, ShipmentStatus.RETURNED):
        back = world.item(ItemStatus.READY_FOR_SHELVING)
        BinderyShipmentItem.objects.create(shipment=shipment, item=back, returned_on=timezone.localdate())
    if source == ShipmentStatus.RETURNED:
        shipment.lines.update(returned_on=timezone.localdate())
    return shipment


def make_ticket(world, source, target):
    item = world.item(ItemStatus.IN_REPAIR if source == RepairStatus.OPEN else ItemStatus.READY_FOR_SHELVING)
    return RepairTicket.objects.create(item=item, damage_type=DamageType.LOOSE_PAGES, status=source)


def make_issue(world, source, target):
    magazine = Record.objects.create(title="Majalah Bobo", material_type="magazine", issn="0215-6792")
    subscription = actions.create_subscription(
        actor=world.librarian,
        record=magazine,
        branch=world.branch,
        location=world.location,
        item_type=world.item_type,
        frequency="monthly",
        starts_on=timezone.localdate() - dt.timedelta(days=90),
        predict_months=1,
    )
    issue = subscription.issues.order_by("expected_on").first()
    subscription.issues.exclude(pk=issue.pk).delete()
    SerialIssue.objects.filter(pk=issue.pk).update(status=source)
    AuditEvent.objects.all().delete()  # the set-up's own events
    issue.refresh_from_db()
    return issue


def make_stocktake(world, source, target):
    world.item()
    stocktake = actions.start_stocktake(branch=world.branch, location=world.location, actor=world.librarian)
    type(stocktake).objects.filter(pk=stocktake.pk).update(status=source)
    AuditEvent.objects.all().delete()
    stocktake.refresh_from_db()
    return stocktake


def make_pull_list(world, source, target):
    pull_list = actions.create_pull_list(
        name="Penyiangan 2026", reason=PullReason.WEED, branch=world.branch, actor=world.librarian
    )
    actions.add_to_pull_list(pull_list=pull_list, barcodes=[world.item().barcode], actor=world.librarian)
    type(pull_list).objects.filter(pk=pull_list.pk).update(status=source)
    AuditEvent.objects.all().delete()
    pull_list.refresh_from_db()
    return pull_list


ENTRY_ITEM = {
    PullEntryState.WAITING: (ItemStatus.AVAILABLE, ""),
    PullEntryState.NOT_FOUND: (ItemStatus.MISSING, ""),
    PullEntryState.PULLED: (ItemStatus.PULLED, PullReason.WEED),
}


def make_entry(world, source, target):
    pull_list = actions.create_pull_list(
        name="Penyiangan 2026", reason=PullReason.WEED, branch=world.branch, actor=world.librarian
    )
    AuditEvent.objects.all().delete()
    return PullListEntry.objects.create(pull_list=pull_list, item=world.item(*ENTRY_ITEM[source]), state=source)


def make_candidate(world, source, target):
    criteria = actions.create_weeding_criteria(
        name="Buku lama", branch=world.branch, actor=world.librarian, min_years_since_publication=10
    )
    AuditEvent.objects.all().delete()
    return WeedingCandidate.objects.create(criteria=criteria, item=world.item(), decision=source)


# --- the actions that own each verb -----------------------------------------------------------------


def _first_waiting_item(shipment):
    line = shipment.lines.filter(returned_on__isnull=True).first() or shipment.lines.first()
    return line.item


def _today():
    return timezone.localdate()


@dataclass(frozen=True)
class Table:
    """One status table with the set-up of its objects and, for each verb, the action that makes it."""

    machine: object
    make: object
    do: dict
    skips: tuple = ()  # verbs of bulk or nightly actions, which pass over an object they cannot move

    def __str__(self) -> str:
        return self.machine.model


TABLES = [
    Table(
        SHIPMENTS,
        make_shipment,
        {
            "maintenance.bindery.send": lambda s, actor: actions.send_shipment(shipment=s, actor=actor),
            "maintenance.bindery.receive": lambda s, actor: actions.receive_from_bindery(
                shipment=s, item=_first_waiting_item(s), actor=actor
            ),
        },
    ),
    Table(
        REPAIRS,
        make_ticket,
        {
            "maintenance.repair.finish": lambda t, actor: actions.finish_repair(
                ticket=t, condition_after=Condition.GOOD, actor=actor
            ),
            "maintenance.repair.send_to_bindery": lambda t, actor: actions.send_repair_to_bindery(
                ticket=t, actor=actor
            ),
            "maintenance.repair.beyond_repair": lambda t, actor: actions.declare_beyond_repair(ticket=t, actor=actor),
        },
    ),
    Table(
        ISSUES,
        make_issue,
        {
            "maintenance.serials.check_in": lambda i, actor: actions.check_in_issue(
                issue=i, barcode="M900001", actor=actor
            ),
            "maintenance.serials.mark_late": lambda i, actor: actions.mark_late_issues(actor=actor, today=_today()),
            "maintenance.serials.claim": lambda i, actor: actions.claim_issues(issues=[i], actor=actor, today=_today()),
            "maintenance.serials.missing": lambda i, actor: actions.mark_issue_missing(issue=i, actor=actor),
        },
        skips=("maintenance.serials.mark_late",),
    ),
    Table(
        STOCKTAKES,
        make_stocktake,
        {
            "maintenance.stocktake.finish": lambda s, actor: actions.finish_stocktake(stocktake=s, actor=actor),
            "maintenance.stocktake.confirm": lambda s, actor: actions.confirm_stocktake(stocktake=s, actor=actor),
            "maintenance.stocktake.cancel": lambda s, actor: actions.cancel_stocktake(stocktake=s, actor=actor),
        },
    ),
    Table(
        PULL_LISTS,
        make_pull_list,
        {"maintenance.pulling.close": lambda p, actor: actions.close_pull_list(pull_list=p, actor=actor)},
    ),
    Table(
        PULL_ENTRIES,
        make_entry,
        {
            "maintenance.pulling.scan": lambda e, actor: actions.scan_pulled_item(
                pull_list=e.pull_list, barcode=e.item.barcode, actor=actor
            ),
            "maintenance.pulling.not_found": lambda e, actor: actions.flag_not_found(entry=e, actor=actor),
        },
    ),
    Table(
        WEEDING_DECISIONS,
        make_candidate,
        {
            "maintenance.weeding.approve": lambda c, actor: actions.decide_weeding_candidates(
                candidates=[c], decision=WeedingDecision.APPROVED, actor=actor
            ),
            "maintenance.weeding.reject": lambda c, actor: actions.decide_weeding_candidates(
                candidates=[c], decision=WeedingDecision.REJECTED, actor=actor
            ),
        },
        skips=("maintenance.weeding.approve", "maintenance.weeding.reject"),  # the same decision again changes nothing
    ),
]

MOVES = [(table, rule) for table in TABLES for rule in table.machine.transitions]
REFUSED = [
    (table, verb, status)
    for table in TABLES
    for verb in table.do
    for status in table.machine.choices.values
    if status not in table.machine.sources(verb)
]
ONE_MOVE_PER_VERB = [
    (table, next(rule for rule in table.machine.transitions if rule.verb == verb))
    for table in TABLES
    for verb in table.do
]


def _status(obj, machine):
    obj.refresh_from_db()
    return getattr(obj, machine.field)


def _events(obj):
    return AuditEvent.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)


def test_every_table_has_an_action_for_each_of_its_verbs_and_is_registered():
    assert {table.machine for table in TABLES} == set(MACHINES)
    for table in TABLES:
        assert set(table.machine.verbs) == set(table.do), table
        assert ALL_MACHINES[table.machine.model.lower()] is table.machine
        assert table.machine.initial, table


@pytest.mark.parametrize(
    ("table", "rule"), MOVES, ids=lambda v: str(v) if isinstance(v, Table) else f"{v.source}->{v.target}"
)
def test_every_listed_move_is_made_by_the_action_that_owns_it(table, rule, world, administrator):
    obj = table.make(world, rule.source, rule.target)

    table.do[rule.verb](obj, administrator)

    assert _status(obj, table.machine) == rule.target
    # A bulk action (the nightly late-issue run) writes one event for the whole run, about no one object.
    event = _events(obj).filter(verb=rule.verb).first() or AuditEvent.objects.get(verb=rule.verb, object_id="")
    assert event.actor == administrator
    if table.machine.field in (event.before or {}):
        assert (event.before[table.machine.field], event.after[table.machine.field]) == (rule.source, rule.target)


@pytest.mark.parametrize(("table", "verb", "status"), REFUSED, ids=lambda v: str(v))
def test_from_any_other_status_the_action_refuses_and_writes_nothing(table, verb, status, world, administrator):
    obj = table.make(world, status, None)

    if verb in table.skips:
        table.do[verb](obj, administrator)
    else:
        with pytest.raises(PustakaError) as refused:
            table.do[verb](obj, administrator)
        assert not isinstance(refused.value, PermissionDenied)

    assert _status(obj, table.machine) == status
    assert not _events(obj).exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("table", "rule"), ONE_MOVE_PER_VERB, ids=lambda v: str(v) if isinstance(v, Table) else v.verb)
def test_a_role_makes_a_move_only_with_the_permission_its_row_names(table, rule, role, request, world):
    actor = request.getfixturevalue(role)
    obj = table.make(world, rule.source, rule.target)

    if has(actor, rule.permission):
        table.do[rule.verb](obj, actor)
        assert _status(obj, table.machine) == rule.target
    else:
        with pytest.raises(PermissionDenied):
            table.do[rule.verb](obj, actor)
        assert _status(obj, table.machine) == rule.source
        assert not _events(obj).exists()
