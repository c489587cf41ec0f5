"""Technical services: pull-list pages. The list of pull lists, one list in shelf order with its scan
field (scan-first: focus on the field, Enter pulls the item, the message says what happened), adding
items, flagging an item not found, closing the list, and a print-friendly page."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pustaka.core.models import Branch
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.holdings.choices import PullReason

from .. import actions
from ..choices import PullEntryState, PullListStatus
from ..models import PullList, PullListEntry
from ..queries.pulling import not_found_followup, pull_list_entries, pull_lists

PAGE_SIZE = 50


class PullListForm(forms.Form):
    """A new pull list: its name, reason and branch."""

    name = forms.CharField(label=_("Name"), max_length=200)
    reason = forms.ChoiceField(label=_("Reason"), choices=PullReason.choices)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.order_by("code"), empty_label=None)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _pull_list(pk: int) -> PullList:
    return get_object_or_404(PullList.objects.select_related("branch", "created_by"), pk=pk)


@staff_view("technical.view_pulllist")
def pulling_list(request):
    """Every pull list with its counts; staff who may create lists get the form."""
    status = request.GET.get("status", "")
    if status not in PullListStatus.values:
        status = ""
    form = PullListForm(request.POST or None, initial={"branch": request.user.home_branch_id})
    if request.method == "POST" and form.is_valid():
        with action_messages(request):
            pull_list = actions.create_pull_list(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Pull list “%(name)s” started.") % {"name": pull_list.name})
            return redirect("technical:pulling_detail", pk=pull_list.pk)
    page = Paginator(pull_lists(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "technical/pulling/list.html",
        {"page": page, "lists": page.object_list, "form": form, "status": status, "statuses": PullListStatus.choices},
    )


@staff_view("technical.view_pulllist")
def pulling_detail(request, pk: int):
    """One pull list in shelf order (location, then call number) with the scan field."""
    pull_list = _pull_list(pk)
    entries = list(pull_list_entries(pull_list))
    counts = {state: sum(1 for e in entries if e.state == state) for state in PullEntryState.values}
    return render(
        request,
        "technical/pulling/detail.html",
        {"pull_list": pull_list, "entries": entries, "counts": counts, "is_open": pull_list.status == "open"},
    )


@staff_view("technical.view_pulllist")
def pulling_print(request, pk: int):
    """A print-friendly pull list: shelf order, call numbers large, a box to tick for each item."""
    pull_list = _pull_list(pk)
    return render(
        request, "technical/pulling/print.html", {"pull_list": pull_list, "entries": pull_list_entries(pull_list)}
    )


@require_POST
@staff_view("technical.view_pulllist")
def pulling_scan(request, pk: int):
    """A scanned barcode: the item is pulled, or the message says exactly why not."""
    pull_list = _pull_list(pk)
    barcode = request.POST.get("barcode", "")
    with action_messages(request):
        entry = actions.scan_pulled_item(pull_list=pull_list, barcode=barcode, actor=request.user)
        messages.success(
            request,
            _("Pulled %(barcode)s · %(title)s.")
            % {"barcode": entry.item.barcode, "title": entry.item.record.title[:80]},
        )
    return redirect("technical:pulling_detail", pk=pull_list.pk)


@require_POST
@staff_view("technical.view_pulllist")
def pulling_add(request, pk: int):
    """Add items by barcode (one per line, or separated by spaces or commas): all of them or none."""
    pull_list = _pull_list(pk)
    barcodes = request.POST.get("barcodes", "").replace(",", " ").split()
    with action_messages(request):
        entries = actions.add_to_pull_list(pull_list=pull_list, barcodes=barcodes, actor=request.user)
        messages.success(
            request,
            ngettext("%(count)s item added to the list.", "%(count)s items added to the list.", len(entries))
            % {"count": len(entries)},
        )
    return redirect("technical:pulling_detail", pk=pull_list.pk)


@require_POST
@staff_view("technical.view_pulllist")
def pulling_not_found(request, pk: int, entry_pk: int):
    """Flag one item of the list as not found on the shelf."""
    entry = get_object_or_404(PullListEntry.objects.select_related("pull_list", "item"), pk=entry_pk, pull_list_id=pk)
    with action_messages(request):
        actions.flag_not_found(entry=entry, actor=request.user, note=request.POST.get("note", ""))
        messages.info(
            request,
            _("Item %(barcode)s is not on its shelf: it is now missing and on the list of copies to look for.")
            % {"barcode": entry.item.barcode},
        )
    return redirect("technical:pulling_detail", pk=pk)


@staff_view("technical.view_pulllist")
def pulling_followup(request):
    """Copies not found on a pull list and still missing, to look for again (newest first); a copy
    that is found (checked in, scanned at a stocktake) drops off."""
    rows = not_found_followup()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "technical/pulling/followup.html", {"page": page, "entries": page.object_list})


@require_POST
@staff_view("technical.view_pulllist")
def pulling_close(request, pk: int):
    """Close the list; items still waiting are flagged not found."""
    pull_list = _pull_list(pk)
    with action_messages(request):
        actions.close_pull_list(pull_list=pull_list, actor=request.user)
        messages.success(request, _("Pull list closed."))
    return redirect("technical:pulling_detail", pk=pull_list.pk)
