"""Notices to patrons by e-mail, WhatsApp and SMS: due soon, overdue, hold ready, membership expiring.

Who sends: the worker (``tasks.send_notices``, hourly), the command ``pustaka send-notices`` and, for
a hold that becomes ready at check-in, the check-in itself after commit (:func:`hold_ready`). All of
them go through :func:`send_due_notices` / :func:`send_notice`, the actions of this module.

- Each notice has a unique ``key`` (``"overdue:<loan id>:<due date>"``, ``"due_soon:<loan id>:<due
  date>"``, ``"hold_ready:<hold id>:<ready date>"``, ``"expiring:<patron id>:<expiry date>"``): a sent
  notice is never sent twice; a renewed loan (new due date) or a renewed membership gets a new one.
- The email is written in the PATRON's language (``Patron.language``), whatever the worker's.
- A failed send is kept with its error (``Notice.error``, ``sent_at`` empty) and tried again on the
  next run while the reason for it still holds. Patrons without an email address get no notice.
- Audit: one event per notice (``circulation.notice.send`` or ``circulation.notice.fail``), written
  with the outcome.
- Never inside a transaction, never twice: the Notice row (its unique ``key``) is claimed and
  committed first (``claimed_at``); only the run holding the claim sends, outside any database
  transaction, so a slow mail server never holds a lock; then the outcome is recorded and the claim
  cleared. A concurrent run finds the key claimed or sent and does nothing. A claim left by a run that
  died mid-send is taken over after :data:`CLAIM_LEASE` (so a crash between the send and recording
  it may, rarely, send a notice twice; a notice recorded as sent never goes out again).
- The SMTP connection should time out (``EMAIL_TIMEOUT``), so one dead server cannot stall a run.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.queries import library_name
from pustaka.core.registry import action
from pustaka.patrons.choices import NoticeChannel
from pustaka.patrons.models import Patron

from .choices import HoldStatus, NoticeKind
from .models import Hold, Loan, Notice
from .queries import overdue_filter

log = logging.getLogger(__name__)

DUE_SOON_DAYS = getattr(settings, "NOTICE_DUE_SOON_DAYS", 2)
EXPIRING_DAYS = getattr(settings, "NOTICE_EXPIRING_DAYS", 14)
SEND_PERMISSION = "circulation.send_notices"
CLAIM_LEASE = datetime.timedelta(minutes=getattr(settings, "NOTICE_CLAIM_LEASE_MINUTES", 30))


@dataclass
class NoticeRun:
    """What one run did: notices sent and failed per kind (already-sent ones are not counted)."""

    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, ok: bool) -> None:
        bucket = self.sent if ok else self.failed
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())

    @property
    def total_failed(self) -> int:
        return sum(self.failed.values())

    def as_dict(self) -> dict:
        return {"sent": dict(self.sent), "failed": dict(self.failed)}


def _language(patron: Patron) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return patron.language if patron.language in codes else settings.LANGUAGE_CODE


def render_notice(kind: str, patron: Patron, context: dict) -> tuple[str, str]:
    """The subject and body of a notice, in the patron's language (dates in the library's time zone)."""
    context = {"patron": patron, "library_name": library_name(), **context}
    with translation.override(_language(patron)):
        subject = render_to_string(f"circulation/notices/{kind}_subject.txt", context)
        body = render_to_string(f"circulation/notices/{kind}.txt", context)
    return " ".join(subject.split())[:300], body.strip() + "\n"


def _claim(patron: Patron, kind: str, key: str) -> Notice | None:
    """Claim the notice ``key`` for this run and commit the claim; None when it was sent already or
    another run holds a live claim on it."""
    claimed_at = timezone.now()  # the real clock: a lease, whatever ``now`` the run pretends
    try:
        with transaction.atomic():
            return Notice.objects.create(key=key, patron=patron, kind=kind, email=patron.email, claimed_at=claimed_at)
    except IntegrityError:  # the key exists: a failed earlier attempt, sent, or being sent now
        pass
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=claimed_at - CLAIM_LEASE)
    if not Notice.objects.filter(free, key=key, sent_at__isnull=True).update(claimed_at=claimed_at):
        return None
    return Notice.objects.get(key=key)


@action(
    "circulation.notice.send",
    permission=SEND_PERMISSION,
    label=_("Notice sent"),
    labels={"circulation.notice.fail": _("Notice not sent")},
    atomic=False,
)
def send_notice(*, patron: Patron, kind: str, key: str, context: dict, actor=None, now=None, connection=None):
    """Send one notice unless the one with ``key`` was sent already; returns the Notice, or None when
    there was nothing to do (sent before, another run is sending it, or no channel the patron chose
    can reach them).

    Call it outside a transaction (the worker, the command, ``on_commit``): the claim commits before
    the email goes out and the outcome commits after it. The channels are the patron's choice
    (``Patron.notice_channels``): e-mail as below; WhatsApp and SMS are queued as deliveries
    (:mod:`pustaka.notify.delivery`), each sent once and retried on its own.
    """
    from pustaka.notify import delivery as gateway_delivery

    channels = patron.notice_channels or []
    by_email = bool(patron.email) and NoticeChannel.EMAIL in channels
    by_gateway = bool(patron.phone) and any(c in gateway_delivery.GATEWAY_CHANNELS for c in channels)
    if not (by_email or by_gateway):
        return None
    now = now or timezone.now()
    notice = _claim(patron, kind, key)
    if notice is None:
        return None
    subject = body = error = ""
    try:
        subject, body = render_notice(kind, patron, context)
        if by_email:
            EmailMessage(subject, body, to=[patron.email], connection=connection).send()
    except Exception as exc:  # any transport (or template) failure is recorded, never raised into the worker
        error = f"{type(exc).__name__}: {exc}"[:300]
        log.warning("Notice %s to %s failed: %s", key, patron.email, error)
    with transaction.atomic():
        email = patron.email if by_email else ""
        notice.email, notice.language, notice.subject, notice.body = email, _language(patron), subject, body
        notice.sent_at, notice.error, notice.claimed_at = (None if error else now), error, None
        notice.save(update_fields=["email", "language", "subject", "body", "sent_at", "error", "claimed_at"])
        audit(
            actor,
            "circulation.notice.fail" if error else "circulation.notice.send",
            notice,
            after={"kind": kind, "key": key, "email": patron.email if by_email else "", "error": error},
        )
    if by_gateway and body:
        gateway_delivery.deliver_all(gateway_delivery.queue_for(notice, patron), now=now)
    return notice


def _sent_keys(keys: list[str]) -> set[str]:
    """The keys among ``keys`` already sent (one query)."""
    if not keys:
        return set()
    return set(Notice.objects.filter(key__in=keys, sent_at__isnull=False).values_list("key", flat=True))


def _local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


def _reachable(prefix: str = "patron__") -> Q:
    """Active patrons with an e-mail address or a phone (the channels they chose decide the rest)."""
    return (Q(**{f"{prefix}email__gt": ""}) | Q(**{f"{prefix}phone__gt": ""})) & Q(**{f"{prefix}is_active": True})


def due_soon_candidates(now):
    """Open loans due within :data:`DUE_SOON_DAYS` (not yet due, not lost or claimed returned)."""
    loans = Loan.objects.filter(
        _reachable(),
        returned_at__isnull=True,
        is_lost=False,
        claimed_returned_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + datetime.timedelta(days=DUE_SOON_DAYS),
    ).select_related("patron", "item__record")
    return [(f"due_soon:{loan.pk}:{_local_date(loan.due_at)}", loan.patron, {"loan": loan}) for loan in loans]


def overdue_candidates(now):
    """Overdue loans: one notice per loan and due date."""
    loans = Loan.objects.filter(overdue_filter(now), _reachable()).select_related("patron", "item__record")
    return [(f"overdue:{loan.pk}:{_local_date(loan.due_at)}", loan.patron, {"loan": loan}) for loan in loans]


def hold_ready_candidates(now):
    """Holds waiting on the hold shelf."""
    holds = Hold.objects.filter(_reachable(), status=HoldStatus.READY).select_related(
        "patron", "record", "pickup_branch", "trapped_item"
    )
    return [(_hold_key(hold), hold.patron, {"hold": hold}) for hold in holds]


def _hold_key(hold: Hold) -> str:
    return f"hold_ready:{hold.pk}:{_local_date(hold.ready_at) if hold.ready_at else ''}"


def expiring_candidates(now):
    """Active memberships ending within :data:`EXPIRING_DAYS` (today included)."""
    today = timezone.localtime(now).date()
    patrons = Patron.objects.filter(
        _reachable(prefix=""),
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS),
    )
    return [(f"expiring:{p.pk}:{p.expires_on}", p, {"days_left": (p.expires_on - today).days}) for p in patrons]


CANDIDATES = {
    NoticeKind.DUE_SOON: due_soon_candidates,
    NoticeKind.OVERDUE: overdue_candidates,
    NoticeKind.HOLD_READY: hold_ready_candidates,
    NoticeKind.EXPIRING: expiring_candidates,
}


@action("circulation.notice.send", permission=SEND_PERMISSION, label=_("Notice sent"), atomic=False)
def send_due_notices(*, now=None, actor=None, kinds=None) -> NoticeRun:
    """Send every notice that is due now and not sent yet (due soon, overdue, hold ready, expiring).

    ``actor`` None is the system (worker, command); a person needs ``circulation.send_notices``.
    """
    now = now or timezone.now()
    run = NoticeRun()
    connection = get_connection()
    for kind, finder in CANDIDATES.items():
        if kinds is not None and kind not in kinds:
            continue
        candidates = finder(now)
        done = _sent_keys([key for key, _patron, _context in candidates])
        for key, patron, context in candidates:
            if key in done:
                continue
            notice = send_notice(
                patron=patron, kind=kind, key=key, context=context, actor=actor, now=now, connection=connection
            )
            if notice is not None:
                run.count(kind, notice.sent_at is not None)
    return run


def hold_ready(hold_id: int) -> Notice | None:
    """Tell the patron at once that a hold is ready (called after the check-in commits)."""
    hold = (
        Hold.objects.filter(pk=hold_id, status=HoldStatus.READY)
        .select_related("patron", "record", "pickup_branch", "trapped_item")
        .first()
    )
    if hold is None:
        return None
    return send_notice(patron=hold.patron, kind=NoticeKind.HOLD_READY, key=_hold_key(hold), context={"hold": hold})
