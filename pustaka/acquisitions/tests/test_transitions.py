"""Orders and purchase suggestions move only along their tables (acquisitions/transitions.py), tested
both ways: every listed move through the action that owns it, every unlisted move refused with
nothing written."""

import pytest

from pustaka.acquisitions import actions
from pustaka.acquisitions.choices import OrderStatus, SuggestionStatus
from pustaka.acquisitions.errors import OrderNotOpen
from pustaka.acquisitions.models import Delivery, Order, OrderLine, Suggestion
from pustaka.acquisitions.transitions import ORDERS, SUGGESTIONS
from pustaka.core.errors import PermissionDenied, PustakaError, TransitionNotAllowed
from pustaka.core.models import AuditEvent
from pustaka.core.permissions import has
from pustaka.core.transitions import machine_for
from pustaka.holdings.models import Item

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "it_manager", "librarian", "senior_technician", "technician", "circulation"]


def _name(rule) -> str:
    return f"{rule.source}->{rule.target}"


def _unlisted(machine) -> list[tuple[str, str]]:
    values = machine.choices.values
    return [(s, t) for s in values for t in values if s != t and machine.find(s, t) is None]


# --- orders --------------------------------------------------------------------------------------


def _at(order, status, technician):
    """Bring ``order`` (a draft of 3 copies) to ``status`` through the actions."""
    line = order.lines.get()
    if status in (OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED):
        actions.send_order(actor=None, order=order)
    if status == OrderStatus.PARTLY_RECEIVED:
        actions.receive_delivery(actor=technician, order=order, counts={line.pk: 1})
    order.refresh_from_db()
    assert order.status == status
    return order


def _send(order, librarian, technician):
    actions.send_order(actor=librarian, order=order)


def _receive_some(order, librarian, technician):
    actions.receive_delivery(actor=technician, order=order, counts={order.lines.get().pk: 1})


def _receive_rest(order, librarian, technician):
    line = order.lines.get()
    actions.receive_delivery(actor=technician, order=order, counts={line.pk: line.outstanding})


def _cancel(order, librarian, technician):
    actions.cancel_order(actor=librarian, order=order, reason="Stok habis di pemasok")


#: The action that makes each listed move of an order, keyed by (source, target).
ORDER_MOVES = {
    (OrderStatus.DRAFT, OrderStatus.SENT): _send,
    (OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED): _receive_some,
    (OrderStatus.SENT, OrderStatus.RECEIVED): _receive_rest,
    (OrderStatus.PARTLY_RECEIVED, OrderStatus.RECEIVED): _receive_rest,
    (OrderStatus.DRAFT, OrderStatus.CANCELLED): _cancel,
    (OrderStatus.SENT, OrderStatus.CANCELLED): _cancel,
}


def test_every_order_move_has_an_action():
    assert {(r.source, r.target) for r in ORDERS.transitions} == set(ORDER_MOVES)
    assert machine_for(Order()) is ORDERS
    assert set(ORDERS.final) == {OrderStatus.RECEIVED, OrderStatus.CANCELLED}
    assert ORDERS.initial == (OrderStatus.DRAFT,)


@pytest.mark.parametrize("rule", ORDERS.transitions, ids=_name)
def test_every_order_move_is_made_by_its_action_and_audited(rule, draft, librarian, technician):
    order = _at(draft, rule.source, technician)

    ORDER_MOVES[(rule.source, rule.target)](order, librarian, technician)

    order.refresh_from_db()
    assert order.status == rule.target
    event = AuditEvent.objects.filter(verb=rule.verb, object_id=str(order.pk)).latest("pk")
    assert (event.before["status"], event.after["status"]) == (rule.source, rule.target)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule", ORDERS.transitions, ids=_name)
def test_each_order_move_needs_the_permission_its_row_names(rule, role, request, draft, technician):
    actor = request.getfixturevalue(role)
    order = _at(draft, rule.source, technician)
    events, items = AuditEvent.objects.count(), Item.objects.count()

    if has(actor, rule.permission):
        ORDER_MOVES[(rule.source, rule.target)](order, actor, actor)
        order.refresh_from_db()
        assert order.status == rule.target
    else:
        with pytest.raises(PermissionDenied):
            ORDER_MOVES[(rule.source, rule.target)](order, actor, actor)
        order.refresh_from_db()
        assert order.status == rule.source
        assert (AuditEvent.objects.count(), Item.objects.count()) == (events, items)


@pytest.mark.parametrize(("source", "target"), _unlisted(ORDERS), ids=lambda v: v)
def test_an_order_move_missing_from_the_table_is_refused_even_for_an_administrator(
    source, target, draft, administrator
):
    Order.objects.filter(pk=draft.pk).update(status=source)
    draft.refresh_from_db()

    with pytest.raises(TransitionNotAllowed):
        ORDERS.move(draft, to=target, actor=administrator)

    assert draft.status == source
    assert Order.objects.get(pk=draft.pk).status == source


@pytest.mark.parametrize("status", [OrderStatus.RECEIVED, OrderStatus.CANCELLED])
def test_a_closed_order_is_not_sent_received_cancelled_or_claimed_again_and_nothing_is_written(
    status, draft, administrator
):
    Order.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()
    line = draft.lines.get()
    events = AuditEvent.objects.count()

    calls = [
        lambda: actions.send_order(actor=administrator, order=draft),
        lambda: actions.receive_delivery(actor=administrator, order=draft, counts={line.pk: 1}),
        lambda: actions.cancel_order(actor=administrator, order=draft, reason="Tutup"),
        lambda: actions.cancel_order_line(actor=administrator, line=line, reason="Tutup"),
        lambda: actions.claim_order(actor=administrator, order=draft),
    ]
    for call in calls:
        with pytest.raises((TransitionNotAllowed, OrderNotOpen, PustakaError)):
            call()

    assert Order.objects.get(pk=draft.pk).status == status
    assert OrderLine.objects.filter(pk=line.pk, received=0, cancelled=0).exists()
    assert not Delivery.objects.exists() and not Item.objects.exists()
    assert AuditEvent.objects.count() == events


# --- suggestions ---------------------------------------------------------------------------------


@pytest.fixture
def suggestion(patron):
    return actions.suggest_purchase(actor=patron.user, title="Laut Bercerita", author="Leila S. Chudori")


def _accept(suggestion, actor, draft, fund, branch, item_type):
    actions.accept_suggestion(
        actor=actor, suggestion=suggestion, order=draft, fund=fund, price="90.000", branch=branch, item_type=item_type
    )


def _reject(suggestion, actor, *args):
    actions.reject_suggestion(actor=actor, suggestion=suggestion, reason="Sudah ada di perpustakaan")


SUGGESTION_ACTIONS = {"acquisitions.suggestion.accept": _accept, "acquisitions.suggestion.reject": _reject}


def test_every_suggestion_move_has_an_action():
    assert set(SUGGESTIONS.verbs) == set(SUGGESTION_ACTIONS)
    assert machine_for(Suggestion()) is SUGGESTIONS
    assert set(SUGGESTIONS.final) == {SuggestionStatus.ACCEPTED, SuggestionStatus.REJECTED}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule", SUGGESTIONS.transitions, ids=_name)
def test_each_suggestion_move_is_made_by_its_action_for_the_roles_that_review(
    rule, role, request, suggestion, draft, fund, branch, item_type
):
    actor = request.getfixturevalue(role)
    events, lines = AuditEvent.objects.count(), OrderLine.objects.count()

    if has(actor, rule.permission):
        SUGGESTION_ACTIONS[rule.verb](suggestion, actor, draft, fund, branch, item_type)
        suggestion.refresh_from_db()
        assert suggestion.status == rule.target
        event = AuditEvent.objects.get(verb=rule.verb, object_id=str(suggestion.pk))
        assert (event.before["status"], event.after["status"]) == (rule.source, rule.target)
    else:
        with pytest.raises(PermissionDenied):
            SUGGESTION_ACTIONS[rule.verb](suggestion, actor, draft, fund, branch, item_type)
        suggestion.refresh_from_db()
        assert suggestion.status == SuggestionStatus.PENDING
        assert (AuditEvent.objects.count(), OrderLine.objects.count()) == (events, lines)


@pytest.mark.parametrize(("source", "target"), _unlisted(SUGGESTIONS), ids=lambda v: v)
def test_a_suggestion_move_missing_from_the_table_is_refused_even_for_an_administrator(
    source, target, suggestion, administrator
):
    Suggestion.objects.filter(pk=suggestion.pk).update(status=source, rejection_reason="x")
    suggestion.refresh_from_db()

    with pytest.raises(TransitionNotAllowed):
        SUGGESTIONS.move(suggestion, to=target, actor=administrator)

    assert Suggestion.objects.get(pk=suggestion.pk).status == source
