"""Technical services: the home page (every queue at a glance) and the supervision pages.

- ``technical:home``: per queue its count, the age of the oldest item, assigned and unassigned
  counts and who is working on what (staff who may see pull lists or process items).
- ``technical:supervision_my_work``: the user's open assignments, sent-back work first; take work.
- ``technical:supervision_assign``: scan-first assignment of items to a technician.
- ``technical:supervision_review``: recent processing work, approve or send back with a note.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pustaka.core import lookups
from pustaka.core.models import Branch
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.holdings.errors import ItemNotFound
from pustaka.holdings.queries import find_by_barcode

from .. import actions, queries
from ..choices import Queue, ReviewOutcome
from ..errors.supervision import NothingScanned, TechnicianNotFound
from ..models import Assignment

HOME_PERMISSIONS = ("technical.view_pulllist", "holdings.process_item")

# Each queue's own page, when the helper building it has added it (tried in order), else the item list.
QUEUE_PAGES = {
    Queue.CATALOGUING: ("technical:processing_cataloguing_queue",),
    Queue.PROCESSING: ("technical:processing_queue",),
    Queue.SHELVING: ("technical:shelving_queue",),
    Queue.PULLING: ("technical:pulling_list",),
    Queue.REPAIR: ("technical:repair_queue",),
    Queue.BINDERY: ("technical:bindery_home",),
    Queue.WITHDRAWAL: ("technical:sale_withdrawals",),
    Queue.SALE: ("technical:sale_home",),
}
QUEUE_STATUS = {
    Queue.CATALOGUING: "received",
    Queue.PROCESSING: "in_processing",
    Queue.SHELVING: "ready_for_shelving",
    Queue.PULLING: "available",
    Queue.REPAIR: "in_repair",
    Queue.BINDERY: "at_bindery",
    Queue.WITHDRAWAL: "pulled",
    Queue.SALE: "for_sale",
}


#: The technical services' workflow pages the home links to (each shown to those who may open it).
WORKFLOW_PAGES = [
    ("technical:stocktake_list", _("Stocktakes")),
    ("technical:serial_list", _("Serials")),
    ("technical:serial_late", _("Late issues")),
    ("technical:pulling_list", _("Pull lists")),
    ("technical:pulling_followup", _("Not found: to look for")),
    ("technical:weeding_list", _("Weeding")),
    ("technical:repair_queue", _("Repair")),
    ("technical:bindery_home", _("Bindery")),
    ("technical:sale_home", _("Book sale")),
]


def may_open(user, url: str) -> bool:
    """True when ``user`` holds the permission the staff page at ``url`` requires (``staff_view``)."""
    path = url.split("?", 1)[0]
    try:
        view = resolve(path).func
    except Resolver404:
        return False
    required = getattr(view, "required_permission", None)
    return not required or user.has_perm(required)


def queue_page(queue: str, user=None) -> str | None:
    """The page of a queue: its own page when it exists, else the item list filtered by status; None
    when ``user`` may not open it (the home then shows the queue without a link)."""
    url = None
    for name in QUEUE_PAGES.get(queue, ()):
        try:
            url = reverse(name)
            break
        except NoReverseMatch:
            continue
    if url is None:
        url = f"{reverse('holdings:item_list')}?{urlencode({'status': QUEUE_STATUS[queue]})}"
    if user is not None and not may_open(user, url):
        return None
    return url


def workflow_links(user) -> list[tuple[str, str]]:
    """(url, label) of the workflow pages ``user`` may open."""
    links = []
    for name, label in WORKFLOW_PAGES:
        url = reverse(name)
        if may_open(user, url):
            links.append((url, label))
    return links


def _branch(request) -> Branch | None:
    code = request.GET.get("branch", "").strip()
    if not code:
        return None
    return lookups.find_branch(code)


@staff_view(any_of=HOME_PERMISSIONS)
def home(request):
    """Every technician queue with its count, oldest item, assigned counts and who works on what."""
    branch = _branch(request)
    show_workers = request.user.has_perm("technical.view_assignment")
    summaries = queries.queue_overview(branch, with_workers=show_workers)
    for summary in summaries:
        summary.url = queue_page(summary.queue, request.user)
    return render(
        request,
        "technical/home.html",
        {
            "summaries": summaries,
            "branch": branch,
            "branches": Branch.objects.filter(is_active=True).order_by("code"),
            "show_workers": show_workers,
            "total": sum(s.count for s in summaries),
            "workflows": workflow_links(request.user),
        },
    )


def _items_for(barcodes: str) -> list:
    """The items of whitespace-separated scanned barcodes; an unknown one is an error naming it."""
    found = []
    for barcode in barcodes.split():
        item = find_by_barcode(barcode)
        if item is None:
            raise ItemNotFound(field="barcode", barcode=barcode)
        found.append(item)
    if not found:
        raise NothingScanned(field="barcode")
    return found


def _done_message(assignments, who: str, queue: str) -> str:
    barcodes = ", ".join(a.item.barcode for a in assignments)
    return _("%(barcodes)s: %(who)s, “%(queue)s” queue.") % {
        "barcodes": barcodes,
        "who": who,
        "queue": Queue(queue).label,
    }


@staff_view("technical.view_assignment")
def my_work(request):
    """The user's open assignments: work sent back with the reviewer's note on top; take more by scanning."""
    work = queries.my_work(request.user)
    queue = request.GET.get("queue", "") if request.GET.get("queue") in Queue.values else Queue.PROCESSING
    return render(
        request,
        "technical/supervision/my_work.html",
        {
            "sent_back": [a for a in work if a.sent_back],
            "work": [a for a in work if not a.sent_back],
            "queues": Queue.choices,
            "queue": queue,
            "can_take": queries.is_worker(request.user),
        },
    )


@require_POST
@staff_view("technical.view_assignment")
def take(request):
    """Take scanned items in a queue for oneself (technicians); the result shows on "my work"."""
    queue = request.POST.get("queue", "")
    with action_messages(request):
        items = _items_for(request.POST.get("barcode", ""))
        taken = actions.take_work(items=items, queue=queue, actor=request.user)
        messages.success(request, _done_message(taken, _("taken by you"), queue))
    suffix = f"?{urlencode({'queue': queue})}" if queue in Queue.values else ""
    return redirect(reverse("technical:supervision_my_work") + suffix)


@require_POST
@staff_view("technical.view_assignment")
def finish(request, pk: int):
    """Finish one of one's assignments (or, for a supervisor, anyone's)."""
    assignment = get_object_or_404(Assignment.objects.select_related("item"), pk=pk)
    with action_messages(request):
        actions.finish_assignment(assignment=assignment, actor=request.user)
        messages.success(request, _("Work on %(barcode)s finished.") % {"barcode": assignment.item.barcode})
    back = request.POST.get("next", "")
    if back == "assign":
        return redirect("technical:supervision_assign")
    return redirect("technical:supervision_my_work")


@staff_view("technical.assign_work")
def assign(request):
    """Scan-first assignment: choose the technician and the queue, then scan; Enter assigns each item."""
    workers = list(queries.workers())
    chosen = request.POST.get("technician") or request.GET.get("technician", "")
    queue = request.POST.get("queue") or request.GET.get("queue", "")
    queue = queue if queue in Queue.values else Queue.PROCESSING
    technician = next((w for w in workers if str(w.pk) == str(chosen)), None)
    if request.method == "POST":
        with action_messages(request):
            if technician is None:
                other = get_user_model().objects.filter(pk=chosen).first() if str(chosen).isdigit() else None
                if other is None:
                    raise TechnicianNotFound(field="technician", username=chosen)
                technician = other  # not a technician: the action says so
            items = _items_for(request.POST.get("barcode", ""))
            done = actions.assign_work(items=items, queue=queue, technician=technician, actor=request.user)
            messages.success(request, _done_message(done, technician.get_full_name() or technician.username, queue))
        keep = {"technician": technician.pk if technician else "", "queue": queue}
        return redirect(f"{reverse('technical:supervision_assign')}?{urlencode(keep)}")
    current = []
    if technician is not None:
        current = list(
            queries.open_assignments()
            .filter(assigned_to=technician, queue=queue)
            .annotate(in_queue=queries.in_queue_expression())
            .order_by("-assigned_at", "-id")[:100]
        )
    return render(
        request,
        "technical/supervision/assign.html",
        {"workers": workers, "technician": technician, "queue": queue, "queues": Queue.choices, "current": current},
    )


def _days(request) -> int:
    try:
        return min(max(int(request.GET.get("days", 7)), 1), 90)
    except ValueError:
        return 7


@staff_view("technical.review_work")
def review(request):
    """Recent processing work (items that became ready for shelving), to approve or send back with a note."""
    days = _days(request)
    items = list(queries.recent_work_to_review(days=days, branch=_branch(request))[:200])
    return render(request, "technical/supervision/review.html", {"items": items, "days": days})


@require_POST
@staff_view("technical.review_work")
def review_item(request, barcode: str):
    """Approve or send back (with a note) the work on one item."""
    item = find_by_barcode(barcode)
    if item is None:
        messages.error(request, str(ItemNotFound(barcode=barcode)))
        return redirect("technical:supervision_review")
    outcome = request.POST.get("outcome", "")
    queue = request.POST.get("queue", Queue.PROCESSING)
    with action_messages(request):
        actions.review_work(
            item=item, queue=queue, outcome=outcome, note=request.POST.get("note", ""), actor=request.user
        )
        if outcome == ReviewOutcome.APPROVED:
            messages.success(request, _("Work on %(barcode)s approved.") % {"barcode": item.barcode})
        else:
            messages.success(request, _("Work on %(barcode)s sent back.") % {"barcode": item.barcode})
    days = request.POST.get("days", "")
    suffix = f"?{urlencode({'days': days})}" if days.isdigit() else ""
    return redirect(reverse("technical:supervision_review") + suffix)
