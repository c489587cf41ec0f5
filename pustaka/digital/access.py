"""The one place that decides whether someone may use a digital resource (the licence rules).

:func:`decide` is pure (it reads, never writes); the action
:func:`pustaka.digital.actions.access.check_access` calls it and logs an ``AccessEvent`` for every
attempt. File serving, reader pages, OPDS downloads and the "follow link" redirect all go through that
action; the OPAC record page calls :func:`decide` only to choose which buttons to show.

The rules, in the order they are checked (the first that fails is the one reason logged):

1. The resource is inactive, or the file asked for is not intact → ``file_unavailable``.
2. Staff who manage digital resources (``digital.manage_resources``: IT managers, administrators)
   may always use it (granted, no reason). Other staff (the desk, librarians) go through the licence
   like patrons: a staff login without a patron record is refused ``membership`` where a login counts.
3. No licence on the resource → ``no_licence``.
4. Licence dates: before ``starts_on`` → ``not_started``; after ``ends_on`` → ``expired``.
5. On-site ranges: when the licence lists CIDR ranges, the address must fall in one → ``off_site``
   (this applies to open-access licences too: "walk-in use only" licences exist).
6. Open access stops here for the person: anyone, even anonymous, may use it.
7. Otherwise a login is needed (``login_required``), the login must belong to an active patron whose
   membership has not expired (``membership``) and who is not blocked (``blocked``: the desk's own rule,
   :func:`pustaka.patrons.queries.blocks`, so a lost card, a staff block, too many overdues or fines
   over the limit stop digital lending as they stop lending at the desk), of a licensed category when
   the licence names categories (``category``). Wherever a login is needed (seats too), the same.
8. Embargo: a moving wall on the coverage (:mod:`pustaka.digital.embargo`: the resource's own KBART
   embargo, e.g. ``P1Y`` or ``R6M``, and the licence's ``embargo_months`` for e-journals). It narrows
   the period a reader may use (shown on the resource's pages); access is refused → ``embargo`` only
   when nothing of the coverage is left today, never the whole title for an embargo on its last months.
9. Download asked but the licence is read-online only → ``no_download``.
9a. Software: every file of a software resource, whatever its role (installer, "content", supplement),
    goes only to a patron who holds a lent seat of that resource now → ``seat_required`` (a login is
    needed for it even under an open-access licence). Only following its remote link (a vendor's page)
    needs no seat. ``needs_seat`` asks the same of any other file.
10. Concurrent users (not for open access): the readers of a resource are the distinct patrons with a
    granted view or download of *that resource* in the last ``PUSTAKA_CONCURRENCY_MINUTES`` minutes
    (default 15). When ``concurrent_users`` other patrons are already reading, a new patron is refused
    → ``concurrency``; a patron already counted is never refused by their own earlier reading.
    The limit is per resource (per title), as e-book platforms count it.
"""

import datetime
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .choices import AccessAction, FileState, RefusalReason, ResourceKind

#: The permission that lets staff use every resource whatever its licence says (those who manage the
#: digital library: IT managers and administrators). Merely seeing resources (the desk, librarians) is not
#: enough: they go through the licence like patrons.
STAFF_PERMISSION = "digital.manage_resources"


@dataclass(frozen=True)
class AccessDecision:
    """The answer: ``granted`` and, when refused, the one :class:`RefusalReason` value (else ``""``)."""

    granted: bool
    reason: str = ""

    @property
    def reason_label(self) -> str:
        return str(RefusalReason(self.reason).label) if self.reason else ""

    def __bool__(self) -> bool:
        return self.granted


GRANTED = AccessDecision(True)


def refused(reason: str) -> AccessDecision:
    return AccessDecision(False, reason)


def parse_ranges(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The CIDR ranges of a licence (one per line, or separated by commas/spaces); bad lines raise ValueError."""
    networks = []
    for part in (text or "").replace(",", "\n").split():
        part = part.strip()
        if part:
            networks.append(ipaddress.ip_network(part, strict=False))
    return networks


def ip_allowed(licence, ip: str | None) -> bool:
    """Whether ``ip`` lies in the licence's on-site ranges (always true when it has none)."""
    if not (licence.ip_ranges or "").strip():
        return True
    if not ip:
        return False
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    try:
        networks = parse_ranges(licence.ip_ranges)
    except ValueError:
        return False  # a damaged range never opens the door
    return any(address.version == net.version and address in net for net in networks)


def concurrency_minutes() -> int:
    return int(getattr(settings, "PUSTAKA_CONCURRENCY_MINUTES", 15))


def patron_of(user):
    """The patron behind a login, or None (anonymous users and staff without a patron record)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.patron
    except Exception:  # RelatedObjectDoesNotExist
        return None


def is_privileged(user) -> bool:
    """Staff who may always use resources (logged as granted with no reason)."""
    from pustaka.core.permissions import is_staff_member

    return bool(
        user is not None and user.is_authenticated and is_staff_member(user) and user.has_perm(STAFF_PERMISSION)
    )


def holds_seat(patron, resource) -> bool:
    """Whether ``patron`` holds a lent seat of ``resource`` now."""
    from .models import SoftwareSeat

    return SoftwareSeat.objects.filter(resource=resource, patron=patron, lent_at__isnull=False).exists()


def seat_guarded(resource, action: str) -> bool:
    """Whether using ``resource`` this way needs a lent seat: reading or downloading any file of software."""
    return resource.kind == ResourceKind.SOFTWARE and action != AccessAction.LINK


def pages_only(resource, stored) -> bool:
    """Whether ``stored`` (a file of ``resource``) may be read only as page images: a PDF under a
    read-online-only licence. A browser given the PDF could save and print it, so its bytes never go
    out for such a licence (:mod:`pustaka.digital.pdf_pages` renders the pages instead)."""
    licence = resource.licence
    return bool(licence is not None and not licence.download_allowed and stored.mime_type == "application/pdf")


def is_blocked(patron, *, today=None, now=None) -> bool:
    """Whether the desk would refuse ``patron`` a loan because of a block (the same rule as checkout:
    :func:`pustaka.patrons.queries.blocks`, i.e. a staff block such as a lost card, an expired
    membership, too many overdue items, fines over the limit)."""
    from pustaka.patrons.queries import blocks

    return bool(blocks(patron, today=today, now=now))


def _member(user, today, now=None):
    """The active, unblocked patron behind ``user`` with an unexpired membership, else the refusal."""
    if user is None or not user.is_authenticated:
        return None, refused(RefusalReason.LOGIN_REQUIRED)
    patron = patron_of(user)
    if patron is None or not patron.is_active or not user.is_active or patron.expires_on < today:
        return None, refused(RefusalReason.MEMBERSHIP)
    if is_blocked(patron, today=today, now=now):
        return None, refused(RefusalReason.BLOCKED)
    return patron, None


def months_before(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved back ``months`` calendar months (the last day of a shorter month when needed)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    import calendar

    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def under_embargo(resource, licence, today: datetime.date) -> bool:
    """Whether the embargo walls leave nothing of the resource's coverage available today."""
    from .embargo import accessible_period, walls_of

    if not walls_of(resource, licence):
        return False
    return accessible_period(resource, licence, today=today).empty


def active_readers(resource, *, now, exclude_patron=None) -> int:
    """Distinct patrons with a granted view or download of ``resource`` in the concurrency window."""
    from .models import AccessEvent

    since = now - datetime.timedelta(minutes=concurrency_minutes())
    events = AccessEvent.objects.filter(
        resource=resource,
        granted=True,
        action__in=[AccessAction.VIEW, AccessAction.DOWNLOAD],
        occurred_at__gt=since,
        occurred_at__lte=now,
        patron__isnull=False,
    )
    if exclude_patron is not None:
        events = events.exclude(patron=exclude_patron)
    return events.values("patron").distinct().count()


def decide(
    *, resource, user, action: str, ip: str | None, file=None, now=None, needs_seat: bool = False
) -> AccessDecision:
    """Whether ``user`` (None or anonymous allowed) may ``action`` ``resource`` (optionally ``file``, a
    StoredFile of it) from address ``ip`` at ``now``; ``needs_seat`` for a software installer (only for
    a patron holding a seat). Reads only; see the module docstring for the rules."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if action not in AccessAction.values:
        raise ValueError(f"unknown access action {action!r}")
    needs_seat = needs_seat or seat_guarded(resource, action)
    if not resource.is_active or (file is not None and file.state != FileState.OK):
        return refused(RefusalReason.FILE_UNAVAILABLE)
    if is_privileged(user):
        return GRANTED
    licence = resource.licence
    if licence is None:
        return refused(RefusalReason.NO_LICENCE)
    if licence.starts_on and today < licence.starts_on:
        return refused(RefusalReason.NOT_STARTED)
    if licence.ends_on and today > licence.ends_on:
        return refused(RefusalReason.EXPIRED)
    if not ip_allowed(licence, ip):
        return refused(RefusalReason.OFF_SITE)
    if licence.is_open_access:
        if under_embargo(resource, licence, today):
            return refused(RefusalReason.EMBARGO)
        if action == AccessAction.DOWNLOAD and not licence.download_allowed:
            return refused(RefusalReason.NO_DOWNLOAD)
        if needs_seat:
            patron, refusal = _member(user, today, now)
            if refusal is not None:
                return refusal
            if not holds_seat(patron, resource):
                return refused(RefusalReason.SEAT_REQUIRED)
        return GRANTED
    patron, refusal = _member(user, today, now)
    if refusal is not None:
        return refusal
    category_ids = {category.pk for category in licence.patron_categories.all()}
    if category_ids and patron.category_id not in category_ids:
        return refused(RefusalReason.CATEGORY)
    if under_embargo(resource, licence, today):
        return refused(RefusalReason.EMBARGO)
    if action == AccessAction.DOWNLOAD and not licence.download_allowed:
        return refused(RefusalReason.NO_DOWNLOAD)
    if needs_seat and not holds_seat(patron, resource):
        return refused(RefusalReason.SEAT_REQUIRED)
    if (
        licence.concurrent_users
        and action != AccessAction.LINK
        and active_readers(resource, now=now, exclude_patron=patron) >= licence.concurrent_users
    ):
        return refused(RefusalReason.CONCURRENCY)
    return GRANTED


def client_ip(request) -> str | None:
    """The address a request came from: ``REMOTE_ADDR`` (a front proxy must set it to the real client,
    e.g. nginx ``real_ip``); forwarded headers are never trusted here since anyone can send them."""
    return request.META.get("REMOTE_ADDR") or None
