"""Software seats: lend a seat to a patron and take it back, like items.

A software resource has one :class:`SoftwareSeat` per licence key (added by
``actions.resources.add_seats``). Lending
takes the first free seat (locked, so two desks cannot lend the same one) and refuses when none is
free, when the patron already holds one, when the patron is blocked (the desk's own rule), or when the
licence would refuse the patron (dates, membership, category).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from pustaka.core.audit import audit
from pustaka.core.registry import action
from pustaka.patrons.queries import blocks

from ..access import is_blocked
from ..choices import RefusalReason, ResourceKind
from ..errors_access import NoSeatFree, NotSoftware, SeatAlreadyHeld, SeatNotLent, SeatRefused
from ..models import DigitalResource, SoftwareSeat

__all__ = ["lend_seat", "return_seat", "seat_refusal"]

DEFAULT_LOAN_DAYS = 14
_BLOCKED = gettext_lazy("the patron is blocked: %(reasons)s")


def seat_refusal(resource: DigitalResource, patron, *, today=None) -> str:
    """Why the licence refuses ``patron`` a seat of ``resource`` (a RefusalReason value), or ``""``."""
    today = today or timezone.localdate()
    licence = resource.licence
    if licence is None:
        return RefusalReason.NO_LICENCE
    if licence.starts_on and today < licence.starts_on:
        return RefusalReason.NOT_STARTED
    if licence.ends_on and today > licence.ends_on:
        return RefusalReason.EXPIRED
    if not patron.is_active or patron.expires_on < today:
        return RefusalReason.MEMBERSHIP
    if is_blocked(patron, today=today):
        return RefusalReason.BLOCKED
    categories = {c.pk for c in licence.patron_categories.all()}
    if categories and patron.category_id not in categories:
        return RefusalReason.CATEGORY
    return ""


def _software(resource: DigitalResource) -> DigitalResource:
    locked = (
        DigitalResource.objects.select_for_update(of=("self",)).select_related("licence", "record").get(pk=resource.pk)
    )
    if locked.kind != ResourceKind.SOFTWARE:
        raise NotSoftware(resource=str(locked))
    return locked


@action("digital.seat.lend", permission="digital.lend_seat", label=gettext_lazy("Software seat lent"))
def lend_seat(*, resource: DigitalResource, patron, actor, days: int = DEFAULT_LOAN_DAYS, now=None) -> SoftwareSeat:
    """Lend the first free seat of a software resource to ``patron`` for ``days`` days (``digital.lend_seat``)."""
    now = now or timezone.now()
    locked = _software(resource)
    reason = seat_refusal(locked, patron, today=timezone.localdate(now))
    if reason == RefusalReason.BLOCKED:  # the desk's words: which kinds of block
        kinds = "; ".join(dict.fromkeys(str(kind.label) for kind, _text in blocks(patron, now=now)))
        raise SeatRefused(patron=str(patron), resource=str(locked), reason=_BLOCKED % {"reasons": kinds})
    if reason:
        raise SeatRefused(patron=str(patron), resource=str(locked), reason=RefusalReason(reason).label)
    if SoftwareSeat.objects.filter(resource=locked, patron=patron).exists():
        raise SeatAlreadyHeld(patron=str(patron), resource=str(locked))
    seat = SoftwareSeat.objects.select_for_update().filter(resource=locked, patron__isnull=True).order_by("id").first()
    if seat is None:
        raise NoSeatFree(resource=str(locked), seats=SoftwareSeat.objects.filter(resource=locked).count())
    seat.patron = patron
    seat.lent_at = now
    seat.due_at = now + datetime.timedelta(days=max(1, min(int(days), 3650)))
    seat.save(update_fields=["patron", "lent_at", "due_at"])
    audit(actor, "digital.seat.lend", seat, after={"patron": patron.card_number, "due_at": seat.due_at.isoformat()})
    return seat


@action("digital.seat.return", permission="digital.lend_seat", label=gettext_lazy("Software seat returned"))
def return_seat(*, seat: SoftwareSeat, actor) -> SoftwareSeat:
    """Take a lent seat back (``digital.lend_seat``); it is free for the next patron at once."""
    locked = SoftwareSeat.objects.select_for_update(of=("self",)).select_related("patron").get(pk=seat.pk)
    if locked.patron_id is None:
        raise SeatNotLent(seat=locked.pk)
    before = {"patron": locked.patron.card_number, "lent_at": locked.lent_at.isoformat()}
    locked.patron = None
    locked.lent_at = None
    locked.due_at = None
    locked.save(update_fields=["patron", "lent_at", "due_at"])
    audit(actor, "digital.seat.return", locked, before=before, after={"patron": None})
    return locked
