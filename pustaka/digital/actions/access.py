"""The access action: decide (``pustaka.digital.access.decide``) and log the attempt.

Every use of a resource (reading a file online, downloading it, reading an EPUB chapter, following a
remote link, an OPDS download) calls :func:`check_access`. The ``AccessEvent`` it writes is itself the
record of who did what, when, from where, and whether it was granted or refused and why; usage
statistics are counted from it. It is not copied into the audit trail (that is for changes to the
library's data, and reading would drown it).
"""

from django.db import transaction
from django.utils import timezone

from ..access import AccessDecision, decide, patron_of
from ..models import AccessEvent, DigitalResource

__all__ = ["check_access"]


@transaction.atomic
def check_access(
    *,
    resource,
    user,
    action: str,
    ip: str | None,
    file=None,
    now=None,
    session_key: str = "",
    log: bool = True,
    needs_seat: bool = False,
) -> AccessDecision:
    """Whether ``user`` may ``action`` (view, download, link) ``resource`` (and its stored ``file``) from
    ``ip``; logs an AccessEvent (who, what, when, from where, granted or refused and the one reason).

    ``log=False`` is for follow-up requests of an access already logged (the later byte ranges of a
    file being read, the images of an EPUB chapter): they are still checked, and a refusal is always
    logged. The resource row is locked so two readers cannot both take the last concurrent place.
    ``needs_seat``: the file is a software installer (only for a patron holding a seat of it).
    """
    now = now or timezone.now()
    if resource.licence_id:
        DigitalResource.objects.select_for_update().filter(pk=resource.pk).values_list("pk", flat=True).first()
    decision = decide(resource=resource, user=user, action=action, ip=ip, file=file, now=now, needs_seat=needs_seat)
    if log or not decision.granted:
        authenticated = user is not None and user.is_authenticated
        AccessEvent.objects.create(
            resource=resource,
            file=file,
            user=user if authenticated else None,
            patron=patron_of(user),
            action=action,
            ip_address=_valid_ip(ip),
            granted=decision.granted,
            reason=decision.reason,
            session_key=(session_key or "")[:64],
            occurred_at=now,
        )
    return decision


def _valid_ip(ip: str | None) -> str | None:
    import ipaddress

    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return None
