"""The few figures each role acts on, for the staff home page (one panel per kind of work).

- the desk (``circulation.checkout``): loans and returns today, loans overdue now, holds waiting for
  a copy and holds ready on the shelf, at the user's branch;
- technicians (``holdings.process_item``): their queues at the branch (received, in processing,
  ready for shelving, pulled, in repair, at the bindery), each linked to its queue;
- librarians (``holdings.withdraw_item``): copies added and withdrawn, loans and new members this
  month;
- IT managers (``digital.run_fixity``): digital requests and refusals this month (the damaged files
  and broken links are in the digital panel beside it).

Each figure links to the page or report where the work is done, when the user may open it.
"""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pustaka.circulation.models import Hold, Loan
from pustaka.holdings.choices import ItemStatus
from pustaka.patrons.models import Patron

from . import queries
from .periods import Period

QUEUES = [
    (ItemStatus.RECEIVED, "technical:processing_queue", "holdings.process_item"),
    (ItemStatus.IN_PROCESSING, "technical:processing_queue", "holdings.process_item"),
    (ItemStatus.READY_FOR_SHELVING, "technical:shelving_queue", "holdings.shelve_item"),
    (ItemStatus.PULLED, "technical:pulling_list", "technical.view_pulllist"),
    (ItemStatus.IN_REPAIR, "technical:repair_queue", "technical.view_repairticket"),
    (ItemStatus.AT_BINDERY, "technical:bindery_home", "technical.view_binderyshipment"),
]


def _link(user, name: str, perm: str, query: str = "") -> str:
    return reverse(name) + query if user.has_perm(perm) else ""


def desk(user, branch, *, today: datetime.date | None = None) -> list[dict]:
    """Loans and returns today, overdue loans now, holds waiting and ready (two queries)."""
    today = today or timezone.localdate()
    day = Period(today, today, "day")
    now = timezone.now()
    here = Q(branch=branch) if branch else Q()
    back_here = Q(return_branch=branch) if branch else Q()
    lent_today = Q(checked_out_at__gte=day.since, checked_out_at__lt=day.until) & here
    back_today = Q(returned_at__gte=day.since, returned_at__lt=day.until) & back_here
    late = Q(returned_at__isnull=True, due_at__lt=now) & here
    loans = (
        Loan.objects.order_by()
        .filter(lent_today | back_today | late)
        .aggregate(
            lent=Count("id", filter=lent_today), back=Count("id", filter=back_today), late=Count("id", filter=late)
        )
    )
    holds = Hold.objects.order_by().filter(status__in=("waiting", "ready"))
    if branch:
        holds = holds.filter(pickup_branch=branch)
    waiting = holds.aggregate(
        waiting=Count("id", filter=Q(status="waiting")), ready=Count("id", filter=Q(status="ready"))
    )
    report = "reports.view_circulation_reports"
    return [
        {"label": _("Loans today"), "value": loans["lent"],
         "url": _link(user, "circulation:desk", "circulation.checkout")},
        {"label": _("Returns today"), "value": loans["back"], "url": ""},
        {"label": _("Overdue now"), "value": loans["late"], "url": _link(user, "reports:overdue", report), "bad": True},
        {"label": _("Holds waiting for a copy"), "value": waiting["waiting"], "url": ""},
        {"label": _("Holds ready on the shelf"), "value": waiting["ready"], "url": ""},
    ]  # fmt: skip


def technician(user, counts: dict) -> list[dict]:
    """The technician's queues at the branch, from the item counts the home page already has."""
    return [
        {"label": str(ItemStatus(status).label), "value": counts.get(status, 0), "url": _link(user, name, perm)}
        for status, name, perm in QUEUES
    ]


def librarian(user, branch, *, today: datetime.date | None = None) -> list[dict]:
    """Copies added and withdrawn, loans and new members this month (four queries)."""
    today = today or timezone.localdate()
    month = Period(today.replace(day=1), today, "month")
    f = queries.Filters(month)
    new = Patron.objects.filter(created_at__gte=month.since, created_at__lt=month.until).count()
    loans = Loan.objects.filter(checked_out_at__gte=month.since, checked_out_at__lt=month.until).count()
    can_read = user.has_perm("reports.view_reports")
    return [
        {"label": _("Copies added this month"), "value": queries._added(f).count(),
         "url": _link(user, "reports:collection-changes", "reports.view_reports")},
        {"label": _("Copies withdrawn this month"), "value": queries._withdrawn(f).count(),
         "url": _link(user, "reports:collection-changes", "reports.view_reports")},
        {"label": _("Loans this month"), "value": loans,
         "url": _link(user, "reports:circulation", "reports.view_circulation_reports")},
        {"label": _("New members this month"), "value": new, "url": reverse("reports:members") if can_read else ""},
    ]  # fmt: skip


def it_manager(user, *, today: datetime.date | None = None) -> list[dict]:
    """Digital requests (read online, downloads, links) and refusals this month (one grouped query)."""
    from pustaka.digital.models import AccessEvent

    today = today or timezone.localdate()
    month = Period(today.replace(day=1), today, "month")
    used = AccessEvent.objects.order_by().filter(occurred_at__gte=month.since, occurred_at__lt=month.until)
    figures = used.aggregate(used=Count("id", filter=Q(granted=True)), refused=Count("id", filter=Q(granted=False)))
    url = _link(user, "reports:digital", "reports.view_reports")
    return [
        {"label": _("Digital requests this month"), "value": figures["used"], "url": url},
        {"label": _("Refusals this month"), "value": figures["refused"], "url": url, "bad": True},
    ]


def panels(user, branch, counts: dict | None = None) -> list[dict]:
    """The panels ``user``'s roles act on, in the order desk, technician, librarian, IT manager."""
    found = []
    if user.has_perm("circulation.checkout"):
        found.append({"key": "desk", "title": _("Loan desk"), "figures": desk(user, branch)})
    if user.has_perm("holdings.process_item") and counts is not None:
        found.append({"key": "queues", "title": _("Technician queues"), "figures": technician(user, counts)})
    if user.has_perm("holdings.withdraw_item"):
        found.append({"key": "collection", "title": _("This month"), "figures": librarian(user, branch)})
    if user.has_perm("digital.run_fixity"):
        found.append({"key": "digital", "title": _("Digital use this month"), "figures": it_manager(user)})
    return found
