"""Check-in (pengembalian), receiving items in transit, the hold shelf, and the check-in receipt.

Each scanned item gets a line saying where it must go next: the shelving cart, the hold shelf (for
whom, at which branch) or into a transit box (to which branch), with any fine charged; refusals
(unknown barcode, not on loan) say so.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pustaka.core import lookups
from pustaka.core.errors import PustakaError
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.holdings.errors import ItemNotFound
from pustaka.holdings.queries import find_by_barcode

from .. import actions
from ..forms import BarcodeForm
from ..queries_desk import hold_shelf, in_transit_to
from .common import active_branches, add_line, desk_branch, lines_for_display

SESSIONS = {"checkin": "circulation_checkin", "transit": "circulation_transit"}


def _result_line(request, key: str, result) -> None:
    item = result.item
    hold = result.hold
    loan = result.loan
    add_line(
        request,
        key,
        ok=True,
        barcode=item.barcode,
        title=item.record.title,
        destination=result.destination,
        hold_patron=f"{hold.patron.full_name} ({hold.patron.card_number})" if hold else "",
        hold_branch=hold.pickup_branch.name if hold else "",
        transit_to=result.transit_to.name if result.transit_to else "",
        transit_code=result.transit_to.code if result.transit_to else "",
        fine=str(result.fine.amount) if result.fine else "",
        patron=f"{loan.patron.full_name} ({loan.patron.card_number})" if loan else "",
        loan=loan.pk if loan else None,
    )


def _scan_page(request, mode: str):
    key = SESSIONS[mode]
    branch = desk_branch(request)
    if request.method == "POST":
        form = BarcodeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Scan or type the item's barcode."))
            return redirect(f"circulation:{mode}")
        barcode = form.cleaned_data["barcode"].strip()
        item = find_by_barcode(barcode)
        try:
            if item is None:
                raise ItemNotFound(barcode=barcode)
            if mode == "checkin":
                result = actions.checkin(item=item, branch=branch, actor=request.user)
            else:
                result = actions.receive_transit(item=item, branch=branch, actor=request.user)
        except PustakaError as error:
            add_line(
                request,
                key,
                ok=False,
                barcode=item.barcode if item else barcode,
                title=item.record.title if item else "",
                message=str(error),
                code=error.code,
            )
        else:
            _result_line(request, key, result)
        return redirect(f"circulation:{mode}")
    return render(
        request,
        "circulation/checkin.html",
        {
            "mode": mode,
            "next_name": f"circulation:{mode}",
            "form": BarcodeForm(),
            "branch": branch,
            "branches": active_branches(),
            "lines": lines_for_display(request, key),
        },
    )


@staff_view(actions.checkin.permission)
def checkin(request):
    """Check-in: scan returned items one after another; each line says where the item goes next."""
    return _scan_page(request, "checkin")


@staff_view(actions.checkin.permission)
def transit(request):
    """Receive transit: scan items arriving from another branch; each line says where they go now."""
    return _scan_page(request, "transit")


@require_POST
@staff_view(actions.checkin.permission)
def checkin_clear(request):
    """Start a new batch (the last one stays printable as a receipt)."""
    mode = request.POST.get("mode") if request.POST.get("mode") in SESSIONS else "checkin"
    state = request.session.pop(SESSIONS[mode], None)
    if state:
        request.session[SESSIONS[mode] + "_receipt"] = state
    return redirect(f"circulation:{mode}")


@staff_view("circulation.view_loan")
def checkin_receipt(request):
    """A print-friendly list of the current (or last) batch of returns: item, patron, fine, destination."""
    mode = request.GET.get("mode") if request.GET.get("mode") in SESSIONS else "checkin"
    key = SESSIONS[mode] if SESSIONS[mode] in request.session else SESSIONS[mode] + "_receipt"
    lines = list(reversed(lines_for_display(request, key)))
    return render(
        request,
        "circulation/receipt.html",
        {"lines": [line for line in lines if line.get("ok")], "branch": desk_branch(request), "kind": mode},
    )


@staff_view("circulation.view_hold")
def hold_shelf_list(request):
    """The hold shelf of a branch: items waiting to be collected (whose shelf time is over first, to
    clear), and items on their way here for a hold."""
    branch = lookups.find_branch(request.GET.get("branch"), active_only=True) or desk_branch(request)
    holds = hold_shelf(branch) if branch else []
    return render(
        request,
        "circulation/hold_shelf.html",
        {
            "branch": branch,
            "branches": active_branches(),
            "holds": holds,
            "expired_count": sum(1 for h in holds if h.is_expired),
            "incoming": list(in_transit_to(branch)) if branch else [],
            "today": timezone.localdate(),
        },
    )


@require_POST
@staff_view(actions.expire_holds.permission)
def hold_shelf_expire(request):
    """Close the holds whose shelf time is over (and waiting holds past their date); their copies go to
    the next hold, home, or to be shelved again."""
    with action_messages(request):
        count = actions.expire_holds(actor=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)s hold expired. Take its copy off the hold shelf.",
                "%(count)s holds expired. Take their copies off the hold shelf.",
                count,
            )
            % {"count": count},
        )
    branch = request.POST.get("branch", "")
    response = redirect("circulation:hold_shelf")
    if branch:
        response["Location"] += "?" + urlencode({"branch": branch[:16]})
    return response
