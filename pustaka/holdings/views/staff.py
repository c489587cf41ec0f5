"""Item pages: the item list and barcode scan, an item with its lifecycle buttons and condition
history, attaching a new copy to a record and editing an item."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pustaka.catalog.models import Record
from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.holdings.lookups import find_item

from .. import actions, queries
from ..choices import ItemStatus, PullReason
from ..errors import ItemNotFound
from ..forms import ConditionForm, ItemEditForm, ItemFilterForm, ItemForm, MoveForm, ScanForm
from ..models import Item, ItemType

PAGE_SIZE = 50


def _item(barcode: str) -> Item:
    item = find_item(barcode, queryset=Item.objects.select_related("record", "branch", "location", "item_type"))
    if item is None:
        raise Http404
    return item


@staff_view("holdings.view_item")
def item_list(request):
    """Items filtered by status, branch, location or text, with a barcode box that jumps to an item."""
    form = ItemFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = queries.items(
        q=filters.get("q", ""),
        status=filters.get("status", ""),
        branch=filters.get("branch"),
        location=filters.get("location"),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "holdings/item_list.html",
        {
            "form": form,
            "page": page,
            "items": page.object_list,
            "scan_form": ScanForm(),
            "filtering": any(filters.values()) if filters else False,
        },
    )


@staff_view("holdings.view_item")
def item_scan(request):
    """Jump to the item with the scanned barcode; an unknown barcode gives a message on the same page."""
    barcode = request.GET.get("barcode", "").strip()
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = ""
    item = queries.find_by_barcode(barcode)
    if item is not None:
        return redirect("holdings:item_detail", barcode=item.barcode)
    if barcode:
        messages.error(request, str(ItemNotFound(barcode=barcode)))
    return redirect(back or reverse("holdings:item_list"))


@staff_view("holdings.view_item")
def item_detail(request, barcode: str):
    """One item: its record, call number, status, condition and counts; the moves the user may make."""
    item = _item(barcode)
    moves = queries.allowed_moves(item, request.user)
    history = item.condition_history.select_related("recorded_by")[:50]
    return render(
        request,
        "holdings/item_detail.html",
        {
            "item": item,
            "moves": moves,
            "workflow_links": queries.workflow_links(item, request.user),
            "needs_reason": any(m.target == ItemStatus.PULLED for m in moves),
            "move_form": MoveForm(),
            "pull_reasons": PullReason.choices,
            "condition_form": ConditionForm(initial={"condition": item.condition}),
            "condition_history": history,
            "scan_form": ScanForm(),
        },
    )


@require_POST
@staff_view("holdings.view_item")
def item_move(request, barcode: str):
    """Move an item to another status through the lifecycle table; refusals say why and change nothing."""
    item = _item(barcode)
    form = MoveForm(request.POST)
    to = request.POST.get("to", "")
    if not form.is_valid():
        messages.error(request, _("Choose a status and, when pulling, a reason."))
        return redirect("holdings:item_detail", barcode=item.barcode)
    with action_messages(request):
        actions.change_item_status(
            item=item,
            to=to,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            _("Item %(barcode)s is now “%(status)s”.") % {"barcode": item.barcode, "status": ItemStatus(to).label},
        )
    return redirect("holdings:item_detail", barcode=item.barcode)


@require_POST
@staff_view(actions.change_condition.permission)
def item_condition(request, barcode: str):
    """Record an item's new physical condition (kept in its condition history)."""
    item = _item(barcode)
    form = ConditionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a condition from the list."))
        return redirect("holdings:item_detail", barcode=item.barcode)
    with action_messages(request):
        before = item.condition
        actions.change_condition(item=item, actor=request.user, **form.cleaned_data)
        if before == form.cleaned_data["condition"]:
            messages.info(request, _("The condition was already recorded as that."))
        else:
            messages.success(request, _("Condition of %(barcode)s recorded.") % {"barcode": item.barcode})
    return redirect("holdings:item_detail", barcode=item.barcode)


@staff_view(actions.create_item.permission)
def item_create(request, record_pk: int):
    """Attach a new copy to a record: scan its barcode, say where it goes and its first status."""
    record = get_object_or_404(Record.objects.defer("marc"), pk=record_pk)
    initial = {"branch": request.user.home_branch_id}
    item_types = list(ItemType.objects.values_list("pk", flat=True)[:2])
    if len(item_types) == 1:
        initial["item_type"] = item_types[0]
    batch = request.method == "GET" and "status" in request.GET
    if request.method == "GET":
        for key in ("branch", "location", "item_type", "status", "condition"):
            if key in request.GET:  # "save and attach another" keeps the choices of the last copy
                initial[key] = request.GET[key]
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with action_messages(request, form=form):
            item = actions.create_item(record=record, actor=request.user, **data)
            messages.success(
                request,
                _("Item %(barcode)s attached, copy %(copy)s.") % {"barcode": item.barcode, "copy": item.copy_number},
            )
            if "another" in request.POST:
                keep = {
                    "branch": item.branch_id,
                    "location": item.location_id or "",
                    "item_type": item.item_type_id,
                    "status": item.status,
                    "condition": item.condition,
                }
                return redirect(f"{reverse('holdings:item_create', args=[record.pk])}?{urlencode(keep)}")
            return redirect("holdings:item_detail", barcode=item.barcode)
    batch = batch or "another" in request.POST
    return render(
        request, "holdings/item_form.html", {"form": focus_first_error(form), "record": record, "batch": batch}
    )


@staff_view(actions.update_item.permission)
def item_edit(request, barcode: str):
    """Change an item's branch, location, type, call number, copy number, price, date or notes."""
    item = _item(barcode)
    form = ItemEditForm(request.POST or None, initial=ItemEditForm.initial_for(item), item=item)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.update_item(item=item, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Item %(barcode)s saved.") % {"barcode": item.barcode})
            return redirect("holdings:item_detail", barcode=item.barcode)
    return render(request, "holdings/item_edit.html", {"form": focus_first_error(form), "item": item})
