"""The delivery table (notify/transitions.py), both ways: every listed move is made by the code that
owns it (an attempt's outcome by the worker, retry and cancel by staff), every other move is refused
and writes nothing; a sent delivery is never sent again."""

import pytest
from django.utils import timezone

from pustaka.core.errors import PermissionDenied, TransitionNotAllowed
from pustaka.core.models import AuditEvent
from pustaka.core.permissions import has
from pustaka.core.transitions import machine_for
from pustaka.notify import actions, delivery
from pustaka.notify.choices import DeliveryState as S
from pustaka.notify.errors import DeliveryBeingSent, DeliveryNotCancellable, DeliveryNotRetryable
from pustaka.notify.gateways import Result
from pustaka.notify.models import Delivery
from pustaka.notify.transitions import DELIVERIES

from .conftest import NoWrites

pytestmark = pytest.mark.django_db
ROLES = ["administrator", "it_manager", "librarian", "senior_technician", "technician", "circulation"]


class Sender:
    """A gateway that answers ``result`` and counts the messages it was given."""

    def __init__(self, result: Result):
        self.result, self.sent = result, []

    def send(self, **message):
        self.sent.append(message)
        return self.result


OUTCOMES = {
    S.SENT: Result(ok=True, provider_id="msg-1"),
    S.FAILED: Result(ok=False, error="HTTP 503: Service Unavailable", retry=True),
    S.GAVE_UP: Result(ok=False, error="HTTP 400: Bad Request", retry=False),
}


def _name(rule) -> str:
    return f"{rule.source}->{rule.target}"


def _unlisted() -> list[tuple[str, str]]:
    values = S.values
    return [(s, t) for s in values for t in values if DELIVERIES.find(s, t) is None]


def _attempt(target):
    def run(row, actor):
        assert actor is None  # the worker
        delivery.deliver(row.pk, sender=Sender(OUTCOMES[target]), schedule=False)

    return run


OWNERS = {
    "notify.delivery.sent": _attempt(S.SENT),
    "notify.delivery.failed": _attempt(S.FAILED),
    "notify.delivery.gave_up": _attempt(S.GAVE_UP),
    "notify.delivery.retry": lambda row, actor: actions.retry_delivery(delivery=row, actor=actor),
    "notify.delivery.cancel": lambda row, actor: actions.cancel_delivery(delivery=row, actor=actor),
}


def test_every_delivery_move_has_its_owner_and_sent_and_cancelled_are_final():
    assert set(DELIVERIES.verbs) == set(OWNERS)
    assert machine_for(Delivery()) is DELIVERIES
    assert set(DELIVERIES.final) == {S.SENT, S.CANCELLED}
    assert {t.permission for t in DELIVERIES.transitions if t.verb.endswith(("retry", "cancel"))} == {
        "notify.manage_deliveries"
    }


@pytest.mark.parametrize("rule", DELIVERIES.transitions, ids=_name)
def test_every_listed_move_is_made_by_its_owner_and_audited(rule, make_delivery, librarian):
    row = make_delivery(rule.source)
    actor = librarian if rule.permission else None
    OWNERS[rule.verb](row, actor)

    row.refresh_from_db()
    assert row.state == rule.target
    event = AuditEvent.objects.filter(verb=rule.verb, object_id=str(row.pk)).get()
    assert event.actor == actor


@pytest.mark.parametrize(("source", "target"), _unlisted(), ids=[f"{s}->{t}" for s, t in _unlisted()])
def test_every_unlisted_move_is_refused_and_writes_nothing(source, target, make_delivery, librarian):
    row = make_delivery(source)
    with NoWrites(), pytest.raises(TransitionNotAllowed):
        DELIVERIES.move(row, to=target, actor=librarian)
    assert row.state == source

    if target == S.QUEUED:
        with NoWrites(), pytest.raises(DeliveryNotRetryable):
            actions.retry_delivery(delivery=row, actor=librarian)
    elif target == S.CANCELLED:
        with NoWrites(), pytest.raises(DeliveryNotCancellable):
            actions.cancel_delivery(delivery=row, actor=librarian)
    else:  # the worker: a delivery in a final state (or given up) is not tried at all
        sender = Sender(OUTCOMES[target])
        assert delivery.deliver(row.pk, sender=sender, schedule=False) is None
        assert sender.sent == []
        assert not AuditEvent.objects.exists()
    assert Delivery.objects.get(pk=row.pk).state == source


@pytest.mark.parametrize("role", ROLES)
def test_retry_and_cancel_need_the_permission_the_table_names(role, request, make_delivery):
    actor = request.getfixturevalue(role)
    failed, queued = make_delivery(S.FAILED), make_delivery(S.QUEUED)
    if has(actor, "notify.manage_deliveries"):
        actions.retry_delivery(delivery=failed, actor=actor)
        actions.cancel_delivery(delivery=queued, actor=actor)
        assert Delivery.objects.get(pk=failed.pk).state == S.QUEUED
        assert Delivery.objects.get(pk=queued.pk).state == S.CANCELLED
    else:
        for call in (
            lambda: actions.retry_delivery(delivery=failed, actor=actor),
            lambda: actions.cancel_delivery(delivery=queued, actor=actor),
        ):
            with NoWrites(), pytest.raises(PermissionDenied):
                call()
        assert Delivery.objects.get(pk=failed.pk).state == S.FAILED
        assert Delivery.objects.get(pk=queued.pk).state == S.QUEUED
    assert role in ("administrator", "librarian", "circulation") or not has(actor, "notify.manage_deliveries")


def test_a_delivery_being_sent_cannot_be_cancelled_or_retried(make_delivery, librarian):
    row = make_delivery(S.FAILED, claimed_at=timezone.now())
    for call in (actions.retry_delivery, actions.cancel_delivery):
        with NoWrites(), pytest.raises(DeliveryBeingSent):
            call(delivery=row, actor=librarian)


def test_a_retried_delivery_is_sent_after_the_commit_and_a_sent_one_never_again(
    make_delivery, librarian, outbox, django_capture_on_commit_callbacks
):
    row = make_delivery(S.GAVE_UP, attempts=5)
    with django_capture_on_commit_callbacks(execute=True):
        actions.retry_delivery(delivery=row, actor=librarian, reason="Nomor sudah dibetulkan")
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (S.SENT, 6, "")
    assert len(outbox.read_text(encoding="utf-8").splitlines()) == 1
    retry = AuditEvent.objects.get(verb="notify.delivery.retry")
    assert retry.before["state"] == "gave_up" and retry.after["reason"] == "Nomor sudah dibetulkan"

    with NoWrites(), pytest.raises(DeliveryNotRetryable):
        actions.retry_delivery(delivery=row, actor=librarian)
    assert len(outbox.read_text(encoding="utf-8").splitlines()) == 1


def test_a_manual_retry_that_fails_again_gives_up_at_once_after_the_last_attempt(make_delivery, librarian):
    row = make_delivery(S.GAVE_UP, attempts=delivery.MAX_ATTEMPTS)
    actions.retry_delivery(delivery=row, actor=librarian)
    done = delivery.deliver(row.pk, sender=Sender(OUTCOMES[S.FAILED]), schedule=False)
    assert (done.state, done.attempts) == (S.GAVE_UP, delivery.MAX_ATTEMPTS + 1)


def test_a_cancelled_delivery_is_never_sent(make_delivery, librarian, outbox):
    row = make_delivery(S.FAILED)
    actions.cancel_delivery(delivery=row, actor=librarian, reason="Salah nomor")
    assert delivery.retry_due(now=timezone.now() + timezone.timedelta(days=1)) == 0
    assert not outbox.exists()
    assert Delivery.objects.get(pk=row.pk).state == S.CANCELLED
