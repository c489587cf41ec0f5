"""The hold table (circulation/transitions.py), exercised both ways: every listed move is made by the desk
action that owns it and audited with the row's verb; from any other status the action refuses (or, for
the nightly expiry and the desk's follow-on moves, passes the hold over) and writes nothing."""

import datetime

import pytest

from pustaka.circulation import actions
from pustaka.circulation.choices import HoldStatus
from pustaka.circulation.errors import HoldNotOpen, NotYourAccount
from pustaka.circulation.models import Hold
from pustaka.circulation.transitions import HOLDS, OPEN
from pustaka.core.errors import PermissionDenied, TransitionNotAllowed
from pustaka.core.models import AuditEvent
from pustaka.core.permissions import has
from pustaka.core.transitions import machine_for
from pustaka.holdings.choices import ItemStatus

from .conftest import NOW

pytestmark = pytest.mark.django_db

TODAY = NOW.date()
STATUS_OF_COPY = {  # where the copy set aside for a hold stands
    HoldStatus.READY: ItemStatus.ON_HOLD_SHELF,
    HoldStatus.IN_TRANSIT: ItemStatus.IN_TRANSIT,
}


@pytest.fixture
def make_hold(new_item, patron, branch, other_branch, record, rule):
    """``make_hold(status, copy_at=branch)``: a hold of ``patron`` for pickup at ``branch`` (test set-up);
    a hold in transit or on the shelf has its copy set aside, at ``copy_at``."""

    def make(status, copy_at=None, **fields):
        trapped = None
        if status in STATUS_OF_COPY:
            trapped = new_item("H000001", status=STATUS_OF_COPY[status], branch=copy_at or branch)
        return Hold.objects.create(
            patron=patron,
            record=record,
            pickup_branch=branch,
            status=status,
            placed_at=NOW - datetime.timedelta(days=3),
            trapped_item=trapped,
            shelf_until=TODAY + datetime.timedelta(days=5) if status == HoldStatus.READY else None,
            **fields,
        )

    return make


def _events(hold):
    return AuditEvent.objects.filter(object_id=str(hold.pk), verb__startswith="circulation.hold.")


def _status(hold):
    hold.refresh_from_db()
    return hold.status


# Each listed move, from its set-up to the desk action that makes it.


def trap_here(make_hold, ctx):
    hold = make_hold(HoldStatus.WAITING)
    actions.trap_hold(hold=hold, item=ctx.new_item("H000002"), actor=ctx.desk, now=NOW)
    return hold


def trap_there(make_hold, ctx):
    hold = make_hold(HoldStatus.WAITING)
    actions.trap_hold(hold=hold, item=ctx.new_item("H000002", branch=ctx.other_branch), actor=ctx.desk, now=NOW)
    return hold


def arrive(make_hold, ctx):
    hold = make_hold(HoldStatus.IN_TRANSIT, copy_at=ctx.other_branch)
    actions.receive_transit(item=hold.trapped_item, branch=ctx.branch, actor=ctx.desk, now=NOW)
    return hold


def lend_to_another(make_hold, ctx):
    hold = make_hold(HoldStatus.READY)
    other = ctx.make_patron("P0002")
    actions.checkout(item=hold.trapped_item, patron=other, branch=ctx.branch, actor=ctx.administrator, override=True)
    return hold


def lend_waiting(make_hold, ctx):
    hold = make_hold(HoldStatus.WAITING)
    actions.checkout(item=ctx.new_item("H000002"), patron=ctx.patron, branch=ctx.branch, actor=ctx.desk, now=NOW)
    return hold


def lend_ready(make_hold, ctx):
    hold = make_hold(HoldStatus.READY)
    actions.checkout(item=hold.trapped_item, patron=ctx.patron, branch=ctx.branch, actor=ctx.desk, now=NOW)
    return hold


def cancel_from(status):
    def do(make_hold, ctx):
        hold = make_hold(status)
        actions.cancel_hold(hold=hold, actor=ctx.desk, now=NOW)
        return hold

    return do


def expire_waiting(make_hold, ctx):
    hold = make_hold(HoldStatus.WAITING, expires_on=TODAY - datetime.timedelta(days=1))
    actions.expire_holds(actor=ctx.desk, today=TODAY)
    return hold


def expire_ready(make_hold, ctx):
    hold = make_hold(HoldStatus.READY)
    Hold.objects.filter(pk=hold.pk).update(shelf_until=TODAY - datetime.timedelta(days=1))
    actions.expire_holds(actor=ctx.desk, today=TODAY)
    return hold


MAKERS = {
    (HoldStatus.WAITING, HoldStatus.READY): trap_here,
    (HoldStatus.WAITING, HoldStatus.IN_TRANSIT): trap_there,
    (HoldStatus.IN_TRANSIT, HoldStatus.READY): arrive,
    (HoldStatus.READY, HoldStatus.WAITING): lend_to_another,
    (HoldStatus.WAITING, HoldStatus.FULFILLED): lend_waiting,
    (HoldStatus.READY, HoldStatus.FULFILLED): lend_ready,
    (HoldStatus.WAITING, HoldStatus.CANCELLED): cancel_from(HoldStatus.WAITING),
    (HoldStatus.IN_TRANSIT, HoldStatus.CANCELLED): cancel_from(HoldStatus.IN_TRANSIT),
    (HoldStatus.READY, HoldStatus.CANCELLED): cancel_from(HoldStatus.READY),
    (HoldStatus.WAITING, HoldStatus.EXPIRED): expire_waiting,
    (HoldStatus.READY, HoldStatus.EXPIRED): expire_ready,
}


class Desk:
    """The fixtures the moves need, in one place."""

    def __init__(self, request):
        for name in ("desk", "administrator", "branch", "other_branch", "patron", "new_item", "make_patron"):
            setattr(self, name, request.getfixturevalue(name))


@pytest.fixture
def ctx(request):
    return Desk(request)


def test_the_table_lists_each_move_once_with_a_desk_action_and_is_registered():
    assert set(MAKERS) == {(t.source, t.target) for t in HOLDS.transitions}
    assert machine_for(Hold()) is HOLDS
    assert set(OPEN) == HoldStatus.open()
    assert set(HOLDS.final) == {HoldStatus.FULFILLED, HoldStatus.CANCELLED, HoldStatus.EXPIRED}


@pytest.mark.parametrize("rule", HOLDS.transitions, ids=lambda t: f"{t.source}->{t.target}")
def test_every_listed_move_is_made_by_the_desk_action_that_owns_it(rule, make_hold, ctx):
    hold = MAKERS[(rule.source, rule.target)](make_hold, ctx)

    assert _status(hold) == rule.target
    event = _events(hold).get(verb=rule.verb)
    assert event.after["status"] == rule.target


@pytest.mark.parametrize("status", [HoldStatus.FULFILLED, HoldStatus.CANCELLED, HoldStatus.EXPIRED])
def test_a_closed_hold_is_not_cancelled_changed_or_set_aside_and_nothing_is_written(status, make_hold, ctx):
    hold = make_hold(status)

    with pytest.raises(HoldNotOpen):
        actions.cancel_hold(hold=hold, actor=ctx.desk, now=NOW)
    with pytest.raises(HoldNotOpen):
        actions.change_hold(hold=hold, actor=ctx.desk, expires_on=TODAY + datetime.timedelta(days=9))
    with pytest.raises(HoldNotOpen):
        actions.trap_hold(hold=hold, item=ctx.new_item("H000003"), actor=ctx.desk, now=NOW)

    assert _status(hold) == status
    assert not _events(hold).exists()
    assert Hold.objects.get(pk=hold.pk).expires_on is None


@pytest.mark.parametrize("status", [HoldStatus.IN_TRANSIT, HoldStatus.READY])
def test_a_copy_is_set_aside_only_for_a_hold_still_in_the_queue(status, make_hold, ctx):
    hold = make_hold(status, copy_at=ctx.other_branch)
    copy = ctx.new_item("H000004")

    with pytest.raises(HoldNotOpen):
        actions.trap_hold(hold=hold, item=copy, actor=ctx.desk, now=NOW)

    assert _status(hold) == status
    copy.refresh_from_db()
    assert copy.status == ItemStatus.AVAILABLE
    assert not _events(hold).exists()


@pytest.mark.parametrize("status", [s for s in HoldStatus.values if s not in HOLDS.sources("circulation.hold.expire")])
def test_the_nightly_expiry_passes_over_a_hold_it_cannot_expire(status, make_hold, ctx):
    hold = make_hold(status, expires_on=TODAY - datetime.timedelta(days=1))
    Hold.objects.filter(pk=hold.pk).update(shelf_until=TODAY - datetime.timedelta(days=1))

    actions.expire_holds(actor=ctx.desk, today=TODAY)

    assert _status(hold) == status
    assert not _events(hold).exists()


def test_a_patron_cancels_their_own_hold_but_not_another_patrons(make_hold, ctx, patron_user, make_patron, record):
    own = make_hold(HoldStatus.WAITING)
    actions.cancel_hold(hold=own, actor=patron_user, now=NOW)
    assert _status(own) == HoldStatus.CANCELLED

    someone_else = Hold.objects.create(
        patron=make_patron("P0003"), record=record, pickup_branch=ctx.branch, placed_at=NOW
    )
    with pytest.raises(NotYourAccount):
        actions.cancel_hold(hold=someone_else, actor=patron_user, now=NOW)
    assert _status(someone_else) == HoldStatus.WAITING
    assert not _events(someone_else).exists()


@pytest.mark.parametrize(
    "role", ["administrator", "it_manager", "librarian", "senior_technician", "technician", "circulation"]
)
def test_staff_cancel_a_hold_only_with_the_permission_its_row_names(role, request, make_hold, ctx):
    actor = request.getfixturevalue(role)
    hold = make_hold(HoldStatus.WAITING)
    rule = HOLDS.find(HoldStatus.WAITING, HoldStatus.CANCELLED)

    if has(actor, rule.permission):
        actions.cancel_hold(hold=hold, actor=actor, now=NOW)
        assert _status(hold) == HoldStatus.CANCELLED
    else:
        with pytest.raises(PermissionDenied):
            actions.cancel_hold(hold=hold, actor=actor, now=NOW)
        assert _status(hold) == HoldStatus.WAITING
        assert not _events(hold).exists()


UNLISTED = [(s, t) for s in HoldStatus.values for t in HoldStatus.values if HOLDS.find(s, t) is None]


@pytest.mark.parametrize(("source", "target"), UNLISTED, ids=lambda v: v)
def test_a_hold_move_missing_from_the_table_is_refused_in_words(source, target, make_hold, ctx):
    hold = make_hold(source)

    with pytest.raises(TransitionNotAllowed) as refused:
        HOLDS.move(hold, to=target, actor=ctx.administrator)

    said = str(refused.value)
    assert f"“{HoldStatus(source).label}”" in said and f"“{HoldStatus(target).label}”" in said
    assert _status(hold) == source
