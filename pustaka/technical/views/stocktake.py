"""Technical services: stocktake pages — the list and start form, the scan-first page (one barcode or a
handheld's pasted memory), the report, and the librarian's confirmation."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pustaka.core.forms import focus_first_error
from pustaka.core.models import Branch
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.holdings.forms import LocationField, location_choices

from .. import actions
from ..choices import ScanResult, StocktakeStatus
from ..models import Stocktake
from ..queries.stocktake import (
    PROBLEMS,
    expected_entries,
    frozen_counts,
    marked_missing,
    missing_items,
    result_counts,
    scans,
    stocktakes_for_list,
)

PAGE_SIZE = 50
LAST_SCANS = 15


class StartForm(forms.Form):
    """Where the stocktake happens: a branch, optionally one location and a call-number range."""

    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.filter(is_active=True))
    location = LocationField(label=_("Location"), required=False, help_text=_("Empty: every location."))
    call_number_from = forms.CharField(label=_("Call number from"), max_length=100, required=False)
    call_number_to = forms.CharField(
        label=_("Call number to"),
        max_length=100,
        required=False,
        help_text=_("Empty on both sides: the whole location. Call numbers that extend the end (005.2 SUT) count."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = location_choices(_("— every location —"))


class ScanForm(forms.Form):
    barcode = forms.CharField(label=_("Scan a barcode"), max_length=32, required=False)
    batch = forms.CharField(
        label=_("Or paste a handheld scanner's barcodes, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    upload = forms.FileField(label=_("Or upload its file"), required=False)

    def barcodes(self) -> list[str]:
        text = self.cleaned_data.get("batch") or ""
        upload = self.cleaned_data.get("upload")
        if upload is not None:
            text += "\n" + upload.read(2_000_000).decode("utf-8", errors="replace")
        codes = [self.cleaned_data.get("barcode") or ""]
        for line in text.splitlines():
            codes.extend(part for part in line.replace(",", " ").replace(";", " ").split())
        return [c for c in codes if c.strip()]


def _stocktake(pk: int) -> Stocktake:
    return get_object_or_404(
        Stocktake.objects.select_related("branch", "location", "started_by", "confirmed_by"), pk=pk
    )


@staff_view("technical.view_stocktake")
def stocktake_list(request):
    """Stocktakes, newest first, with their scope, status and how many scans; a form to start one."""
    form = None
    if request.user.has_perm("technical.take_stock"):
        form = StartForm(request.POST or None, initial={"branch": request.user.home_branch_id})
        if request.method == "POST" and form.is_valid():
            with action_messages(request, form=form):
                stocktake = actions.start_stocktake(actor=request.user, **form.cleaned_data)
                messages.success(
                    request, _("Stocktake #%(id)s started: scan the shelf in order.") % {"id": stocktake.pk}
                )
                return redirect("technical:stocktake_scan", pk=stocktake.pk)
        focus_first_error(form)
    elif request.method == "POST":
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    page = Paginator(stocktakes_for_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "technical/stocktake/list.html", {"page": page, "stocktakes": page.object_list, "form": form}
    )


@staff_view("technical.view_stocktake")
def stocktake_scan(request, pk: int):
    """The scan-first page: the barcode field has the focus, Enter records the scan, the last scans
    show at once with their result. A pasted or uploaded list is recorded as one batch."""
    stocktake = _stocktake(pk)
    form = ScanForm()
    if request.method == "POST":
        form = ScanForm(request.POST, request.FILES)
        if form.is_valid():
            with action_messages(request):
                rows = actions.scan_barcodes(stocktake=stocktake, barcodes=form.barcodes(), actor=request.user)
                if len(rows) == 1:
                    row = rows[0]
                    level = messages.success if row.result == ScanResult.OK else messages.warning
                    level(request, f"{row.barcode}: {ScanResult(row.result).label}")
                else:
                    messages.success(
                        request,
                        ngettext("%(count)s barcode recorded.", "%(count)s barcodes recorded.", len(rows))
                        % {"count": len(rows)},
                    )
            return redirect("technical:stocktake_scan", pk=stocktake.pk)
    last = list(scans(stocktake).order_by("-position")[:LAST_SCANS])
    return render(
        request,
        "technical/stocktake/scan.html",
        {
            "stocktake": stocktake,
            "form": form,
            "last_scans": last,
            "counts": result_counts(stocktake),
            "is_open": stocktake.status == StocktakeStatus.OPEN,
        },
    )


@require_POST
@staff_view("technical.take_stock")
def stocktake_finish(request, pk: int):
    """Stop scanning; the report waits for a librarian's confirmation."""
    stocktake = _stocktake(pk)
    with action_messages(request) as outcome:
        actions.finish_stocktake(stocktake=stocktake, actor=request.user)
    if outcome.refused:
        return redirect("technical:stocktake_scan", pk=pk)
    messages.success(request, _("Scanning finished. Check the report before it is confirmed."))
    return redirect("technical:stocktake_report", pk=pk)


@require_POST
@staff_view("technical.take_stock")
def stocktake_cancel(request, pk: int):
    """Abandon a stocktake before confirmation; no item changes."""
    stocktake = _stocktake(pk)
    with action_messages(request):
        actions.cancel_stocktake(stocktake=stocktake, actor=request.user)
        messages.success(request, _("Stocktake #%(id)s cancelled; no item was changed.") % {"id": pk})
    return redirect("technical:stocktake_list")


@staff_view("technical.view_stocktake")
def stocktake_report(request, pk: int):
    """What the stocktake found: missing items (expected on the shelf, not scanned), items on the wrong
    shelf, out of order and that should not be there, copies found, unknown barcodes. Once confirmed,
    the frozen record: the counts and the copies marked missing as they were, never today's items."""
    stocktake = _stocktake(pk)
    confirmed = stocktake.status == StocktakeStatus.CONFIRMED
    rows = marked_missing(stocktake) if confirmed else missing_items(stocktake)  # confirmed: the frozen record
    missing_page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = (*PROBLEMS, ScanResult.FOUND, ScanResult.UNKNOWN)
    problems = list(scans(stocktake, shown)[:1000])
    groups = [(ScanResult(result), [s for s in problems if s.result == result]) for result in shown]
    return render(
        request,
        "technical/stocktake/report.html",
        {
            "stocktake": stocktake,
            "page": missing_page,
            "missing": missing_page.object_list,
            "confirmed": confirmed,
            "frozen": frozen_counts(stocktake) if confirmed else None,
            "expected": None if confirmed else expected_entries(stocktake).count(),
            "groups": groups,
            "counts": result_counts(stocktake),
            "can_confirm": stocktake.status == StocktakeStatus.REVIEW
            and request.user.has_perm("technical.confirm_stocktake"),
        },
    )


@staff_view("technical.confirm_stocktake")
def stocktake_confirm(request, pk: int):
    """The librarian confirms: every missing item of the report becomes ``missing``, all at once."""
    stocktake = _stocktake(pk)
    if request.method == "POST":
        with action_messages(request):
            missing = actions.confirm_stocktake(stocktake=stocktake, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "Stocktake confirmed: %(count)s item marked missing.",
                    "Stocktake confirmed: %(count)s items marked missing.",
                    len(missing),
                )
                % {"count": len(missing)},
            )
        return redirect("technical:stocktake_report", pk=pk)
    return render(
        request,
        "technical/stocktake/confirm.html",
        {"stocktake": stocktake, "missing_count": missing_items(stocktake).count()},
    )
