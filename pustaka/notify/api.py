"""API of notice deliveries (``/api/v1/notices/deliveries``): the WhatsApp and SMS messages sent to
patrons, with filters, one delivery with its attempts, sending a failed one again, cancelling one.

Reading needs ``notify.view_delivery``; retrying and cancelling ``notify.manage_deliveries`` (staff
see the deliveries of the patrons they may see). A move the delivery's state does not allow answers
409 (``delivery_not_retryable``, ``delivery_not_cancellable``, ``delivery_being_sent``). Writes go
through :mod:`pustaka.notify.actions`.
"""

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from pustaka.circulation.choices import NoticeKind
from pustaka.core.api import ERRORS, InSchema, Pagination, QuerySchema, api, get_or_error, staff_endpoint
from pustaka.patrons.queries import patrons_for

from . import actions, queries
from .choices import DeliveryState
from .errors import DeliveryNotFound, PeriodBackwards

router = Router(tags=["notices"])
VIEW = "notify.view_delivery"


class DeliveryOut(Schema):
    id: int
    card_number: str
    patron_name: str
    kind: str
    channel: str
    to: str
    state: str
    attempts: int
    last_error: str
    created_at: datetime.datetime
    next_attempt_at: datetime.datetime | None
    sent_at: datetime.datetime | None

    @staticmethod
    def resolve_card_number(obj) -> str:
        return obj.notice.patron.card_number

    @staticmethod
    def resolve_patron_name(obj) -> str:
        return obj.notice.patron.full_name

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.notice.kind


class AttemptOut(Schema):
    at: datetime.datetime
    verb: str
    attempt: int | None
    error: str
    reason: str
    by: str


class DeliveryDetailOut(DeliveryOut):
    text: str
    history: list[AttemptOut]

    @staticmethod
    def resolve_history(obj) -> list[dict]:
        return [
            {
                "at": event.occurred_at,
                "verb": event.verb,
                "attempt": (event.after or {}).get("attempt"),
                "error": (event.after or {}).get("error", "") or "",
                "reason": (event.after or {}).get("reason", "") or "",
                "by": event.actor_name,
            }
            for event in queries.attempts(obj)
        ]


class DeliveryFilters(QuerySchema):
    channel: Literal["whatsapp", "sms"] | None = None
    state: DeliveryState | None = None
    kind: NoticeKind | None = None
    card: str = Field("", max_length=32, description="The patron's card number.")
    since: datetime.date | None = Field(None, description="Queued on or after this day.")
    until: datetime.date | None = Field(None, description="Queued on or before this day.")


class ReasonIn(InSchema):
    reason: str = Field("", max_length=300)


def _visible(request):
    return queries.deliveries().filter(notice__patron__in=patrons_for(request.user))


def _delivery(request, delivery_id: int):
    return get_or_error(_visible(request), DeliveryNotFound, {"delivery": delivery_id}, pk=delivery_id)


@router.get("/notices/deliveries", response={200: list[DeliveryOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint(VIEW)
def list_deliveries(request, filters: Query[DeliveryFilters]):
    """Staff with ``notify.view_delivery``: deliveries, newest first, by channel, state, kind, card, days."""
    if filters.since and filters.until and filters.since > filters.until:
        raise PeriodBackwards(field="until")
    return queries.filtered(
        _visible(request),
        channel=filters.channel or "",
        state=filters.state or "",
        kind=filters.kind or "",
        card=filters.card,
        since=filters.since,
        until=filters.until,
    )


@router.get("/notices/deliveries/{delivery_id}", response={200: DeliveryDetailOut, **ERRORS})
@staff_endpoint(VIEW)
def get_delivery(request, delivery_id: int):
    """Staff with ``notify.view_delivery``: one delivery, its message and every attempt."""
    return _delivery(request, delivery_id)


@router.post("/notices/deliveries/{delivery_id}/retry", response={200: DeliveryDetailOut, **ERRORS})
@staff_endpoint(actions.retry_delivery.permission)
def retry(request, delivery_id: int, payload: ReasonIn):
    """Staff with ``notify.manage_deliveries`` (``notify.delivery.retry``): send a failed one again now."""
    actions.retry_delivery(delivery=_delivery(request, delivery_id), actor=request.user, reason=payload.reason)
    return _delivery(request, delivery_id)


@router.post("/notices/deliveries/{delivery_id}/cancel", response={200: DeliveryDetailOut, **ERRORS})
@staff_endpoint(actions.cancel_delivery.permission)
def cancel(request, delivery_id: int, payload: ReasonIn):
    """Staff with ``notify.manage_deliveries`` (``notify.delivery.cancel``): never send a queued one."""
    actions.cancel_delivery(delivery=_delivery(request, delivery_id), actor=request.user, reason=payload.reason)
    return _delivery(request, delivery_id)


api.add_router("/", router)
