"""Technical services: repair pages.

The repair queue is scan-first: scanning an item opens its ticket, or the form to open one; the
reason an item cannot be repaired (unknown barcode, wrong state) shows at once on the same page.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pustaka.core.audit import history
from pustaka.core.errors import PustakaError
from pustaka.core.forms import AmountField, CountField, focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.holdings.choices import Condition
from pustaka.holdings.errors import ItemNotFound
from pustaka.holdings.queries import find_by_barcode

from .. import actions
from ..choices import DamageType, RepairStatus
from ..models import RepairTicket
from ..queries import repair as repair_queries

PAGE_SIZE = 50


class ScanForm(forms.Form):
    """The barcode box of the repair queue."""

    barcode = forms.CharField(
        label=_("Scan a barcode"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}),
    )


class OpenRepairForm(forms.Form):
    """What is wrong with the item."""

    damage_type = forms.ChoiceField(label=_("Damage"), choices=DamageType.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WorkForm(forms.Form):
    """Work done on a ticket: time, materials and a note."""

    minutes = CountField(label=_("Minutes spent"), min_value=0, max_value=100_000, initial=0)
    materials_cost = AmountField(label=_("Materials cost"), min_value=0, max_digits=12, decimal_places=2, initial=0)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)


class FinishForm(forms.Form):
    """Closing a repair done in-house."""

    condition_after = forms.ChoiceField(label=_("Condition after the repair"), choices=Condition.choices)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)


class CloseForm(forms.Form):
    """Sending the item to the bindery or declaring it beyond repair."""

    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)


def _ticket(pk: int) -> RepairTicket:
    return get_object_or_404(repair_queries.tickets(), pk=pk)


@staff_view("technical.view_repairticket")
def repair_queue(request):
    """The repair queue: scan an item, open tickets with their age and who works on them, items waiting."""
    now = timezone.now()
    tickets = list(repair_queries.open_tickets()[:200])
    for ticket in tickets:
        ticket.age_days = (now - ticket.created_at).days
    return render(
        request,
        "technical/repair/queue.html",
        {
            "scan_form": ScanForm(),
            "tickets": tickets,
            "waiting": repair_queries.items_waiting_for_a_ticket()[:200],
        },
    )


@require_POST
@staff_view("technical.view_repairticket")
def repair_scan(request):
    """A scanned barcode: its open ticket, or the form to open one, or the reason it cannot be repaired."""
    form = ScanForm(request.POST)
    barcode = request.POST.get("barcode", "").strip()
    item = find_by_barcode(barcode) if form.is_valid() else None
    if item is None:
        messages.error(request, str(ItemNotFound(barcode=barcode)))
        return redirect("technical:repair_queue")
    ticket = repair_queries.open_ticket_for(item)
    if ticket is not None:
        return redirect("technical:repair_ticket", pk=ticket.pk)
    with action_messages(request) as outcome:
        actions.check_repair_can_open(item)
    if outcome.refused:
        return redirect("technical:repair_queue")
    return redirect("technical:repair_open", barcode=item.barcode)


@staff_view("technical.handle_repairs")
def repair_open(request, barcode: str):
    """Open a repair ticket for an item pulled for repair: the damage and first notes."""
    item = find_by_barcode(barcode)
    if item is None:
        messages.error(request, str(ItemNotFound(barcode=barcode)))
        return redirect("technical:repair_queue")
    form = OpenRepairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            ticket = actions.open_repair(item=item, actor=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Repair ticket #%(ticket)s opened; item %(barcode)s is in repair.")
                % {"ticket": ticket.pk, "barcode": item.barcode},
            )
            return redirect("technical:repair_ticket", pk=ticket.pk)
    try:
        actions.check_repair_can_open(item)
        refusal = None
    except PustakaError as error:
        refusal = str(error)
    return render(
        request,
        "technical/repair/open.html",
        {"item": item, "form": focus_first_error(form), "refusal": refusal},
    )


@staff_view("technical.view_repairticket")
def repair_ticket(request, pk: int):
    """One ticket: the item, the damage, the work so far and what can be done next; its audit trail."""
    ticket = _ticket(pk)
    earlier = repair_queries.tickets().filter(item=ticket.item_id).exclude(pk=ticket.pk).order_by("-created_at")
    return render(
        request,
        "technical/repair/ticket.html",
        {
            "ticket": ticket,
            "is_open": ticket.status == RepairStatus.OPEN,
            "work_form": WorkForm(),
            "finish_form": FinishForm(initial={"condition_after": ticket.item.condition}),
            "close_form": CloseForm(),
            "earlier": earlier,
            "events": history(ticket)[:50],
        },
    )


def _post_ticket_action(request, pk: int, form_class, action, success):
    ticket = _ticket(pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("technical:repair_ticket", pk=ticket.pk)
    with action_messages(request) as outcome:
        action(ticket=ticket, actor=request.user, **form.cleaned_data)
    if outcome.refused:
        return redirect("technical:repair_ticket", pk=ticket.pk)
    messages.success(request, success % {"ticket": ticket.pk, "barcode": ticket.item.barcode})
    if action is actions.record_repair_work:
        return redirect("technical:repair_ticket", pk=ticket.pk)
    return redirect("technical:repair_queue")  # the ticket is closed: on to the next scan


@require_POST
@staff_view("technical.handle_repairs")
def repair_work(request, pk: int):
    """Record minutes, materials cost and a note on an open ticket."""
    return _post_ticket_action(
        request, pk, WorkForm, actions.record_repair_work, _("Work recorded on repair ticket #%(ticket)s.")
    )


@require_POST
@staff_view("technical.handle_repairs")
def repair_finish(request, pk: int):
    """Finish a repair: new condition, item to the shelving queue."""
    return _post_ticket_action(
        request,
        pk,
        FinishForm,
        actions.finish_repair,
        _("Repair #%(ticket)s finished; item %(barcode)s goes to the shelving queue."),
    )


@require_POST
@staff_view("technical.handle_repairs")
def repair_to_bindery(request, pk: int):
    """Close the ticket and pull the item for binding (it waits for a bindery shipment)."""
    return _post_ticket_action(
        request,
        pk,
        CloseForm,
        actions.send_repair_to_bindery,
        _("Item %(barcode)s is pulled for binding; add it to a bindery shipment."),
    )


@require_POST
@staff_view("technical.handle_repairs")
def repair_beyond(request, pk: int):
    """Close the ticket as beyond repair; the item is pulled for weeding."""
    return _post_ticket_action(
        request,
        pk,
        CloseForm,
        actions.declare_beyond_repair,
        _("Item %(barcode)s is beyond repair and pulled for weeding; a librarian decides on its withdrawal."),
    )


class HistoryFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All")), *[c for c in RepairStatus.choices if c[0] != RepairStatus.OPEN]],
    )


@staff_view("technical.view_repairticket")
def repair_history(request):
    """Closed repair tickets, most recent first, by outcome."""
    form = HistoryFilter(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(repair_queries.closed_tickets(status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "technical/repair/history.html", {"form": form, "page": page, "tickets": page.object_list})
