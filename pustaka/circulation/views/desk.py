"""The loan desk: scan a patron's card, then items one after another; renew, take payments, waive.

Every scan is a plain form post answered by a redirect back to the desk, where the new line shows at
the top and the scan field has the focus again. Refusals say exactly what is wrong; an overridable
refusal gets a "Lend anyway" button for staff holding ``circulation.override``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pustaka.core.errors import PustakaError
from pustaka.core.models import Branch
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.holdings.errors import ItemNotFound
from pustaka.holdings.lookups import find_item
from pustaka.patrons.lookups import get_patron
from pustaka.patrons.models import Patron

from .. import actions
from ..errors import staff_message
from ..forms import BarcodeForm, CardForm, PaymentForm, WaiveForm
from ..models import FeeEntry, Loan
from ..queries_desk import patron_panel
from .common import (
    active_branches,
    add_line,
    desk_branch,
    iso,
    lines_for_display,
    parse_id,
    parse_ids,
    set_desk_branch,
)

SESSION = "circulation_desk"
RECEIPT = "circulation_desk_receipt"
OVERRIDE_PERM = "circulation.override"


def _current_patron(request) -> Patron | None:
    patron_id = (request.session.get(SESSION) or {}).get("patron")
    if not patron_id:
        return None
    return Patron.objects.select_related("category", "home_branch").filter(pk=patron_id).first()


def _start(request, patron: Patron) -> None:
    request.session[SESSION] = {"patron": patron.pk, "lines": []}


def _refusal_line(request, barcode: str, error: PustakaError, *, title: str = "", kind: str = "checkout") -> None:
    overridable = bool(getattr(error, "overridable", False))
    add_line(
        request,
        SESSION,
        kind=kind,
        ok=False,
        barcode=barcode,
        title=title,
        message=staff_message(error),  # the desk may read staff's notes on a block
        code=error.code,
        overridable=overridable and request.user.has_perm(OVERRIDE_PERM),
    )


@staff_view(actions.checkout.permission)
def desk(request):
    """The loan desk. Without a patron: the card field. With one: the item scan field, this session's
    lines (newest first) and the patron panel (blocks, balance, loans, holds ready, ledger)."""
    patron = _current_patron(request)
    branch = desk_branch(request)
    context = {"branch": branch, "branches": active_branches(), "patron": patron}
    if patron is None:
        context["card_form"] = CardForm()
        context["last_receipt"] = bool(request.session.get(RECEIPT))
        return render(request, "circulation/desk.html", context)
    context.update(
        patron_panel(patron),
        scan_form=BarcodeForm(),
        lines=lines_for_display(request, SESSION),
        payment_form=PaymentForm(),
        can_pay=request.user.has_perm("circulation.take_payment"),
        can_waive=request.user.has_perm("circulation.waive_fee"),
        can_renew=request.user.has_perm("circulation.renew"),
        can_declare_lost=request.user.has_perm("circulation.declare_lost")
        and request.user.has_perm("holdings.mark_lost"),
        can_claim_returned=request.user.has_perm("circulation.claim_returned"),
    )
    return render(request, "circulation/desk.html", context)


@require_POST
@staff_view(actions.checkout.permission)
def desk_patron(request):
    """Start serving the patron whose card was scanned; an unknown card says so and keeps the field."""
    form = CardForm(request.POST)
    if form.is_valid():
        with action_messages(request):
            patron = get_patron(form.cleaned_data["card"])
            _start(request, patron)
    else:
        messages.error(request, _("Scan or type the patron's card number."))
    return redirect("circulation:desk")


@require_POST
@staff_view(actions.checkout.permission)
def desk_branch_set(request):
    """Choose the branch this desk lends and takes returns at (kept for the session)."""
    branch_id = parse_id(request.POST.get("branch"))
    branch = Branch.objects.filter(pk=branch_id, is_active=True).first() if branch_id else None
    if branch is not None:
        set_desk_branch(request, branch)
    else:
        messages.error(request, _("Choose one of the branches."))
    back = request.POST.get("next")
    return redirect(
        back if back in {"circulation:desk", "circulation:checkin", "circulation:transit"} else "circulation:desk"
    )


@require_POST
@staff_view(actions.checkout.permission)
def desk_checkout(request):
    """Lend the scanned item to the current patron (or, with ``override``, lend despite a refusal)."""
    patron = _current_patron(request)
    if patron is None:
        return redirect("circulation:desk")
    form = BarcodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scan or type the item's barcode."))
        return redirect("circulation:desk")
    barcode = form.cleaned_data["barcode"].strip()
    override = form.cleaned_data["override"]
    if override and not request.user.has_perm(OVERRIDE_PERM):
        raise PermissionDenied
    item = find_item(barcode)
    if item is None:
        _refusal_line(request, barcode, ItemNotFound(barcode=barcode))
        return redirect("circulation:desk")
    try:
        loan = actions.checkout(
            item=item, patron=patron, branch=desk_branch(request), actor=request.user, override=override
        )
    except PustakaError as error:
        _refusal_line(request, item.barcode, error, title=item.record.title)
    else:
        if override:  # the refused line is answered by this one
            state = request.session[SESSION]
            state["lines"] = [line for line in state["lines"] if line["ok"] or line["barcode"] != item.barcode]
            request.session[SESSION] = state
        add_line(
            request,
            SESSION,
            kind="checkout",
            ok=True,
            barcode=item.barcode,
            title=item.record.title,
            due=iso(loan.due_at),
            loan=loan.pk,
            message=_("Overridden: %(reason)s") % {"reason": loan.overridden} if loan.overridden else "",
        )
    return redirect("circulation:desk")


def _renew_line(request, loan: Loan, result_loan=None, error: PustakaError | None = None) -> None:
    if error is None:
        add_line(
            request,
            SESSION,
            kind="renew",
            ok=True,
            barcode=loan.item.barcode,
            title=loan.item.record.title,
            due=iso(result_loan.due_at),
            loan=loan.pk,
        )
    else:
        _refusal_line(request, loan.item.barcode, error, title=loan.item.record.title, kind="renew")


@require_POST
@staff_view("circulation.renew")
def desk_renew(request):
    """Renew the ticked loans of the current patron, or all of them; each gets its own line."""
    patron = _current_patron(request)
    if patron is None:
        return redirect("circulation:desk")
    if "all" in request.POST:
        with action_messages(request, staff=True) as outcome:
            results = actions.renew_all(patron=patron, actor=request.user)
        if outcome.refused:
            return redirect("circulation:desk")
        for loan, error in results:
            _renew_line(request, loan, loan, error)
        if not results:
            messages.info(request, _("Nothing to renew."))
        return redirect("circulation:desk")
    ids = parse_ids(request.POST.getlist("loan"))
    loans = list(
        Loan.objects.filter(patron=patron, returned_at__isnull=True, pk__in=ids).select_related("item__record")
    )
    if not loans:
        messages.error(request, _("Tick the loans to renew first."))
    for loan in loans:
        try:
            renewed = actions.renew(loan=loan, actor=request.user)
        except PustakaError as error:
            _renew_line(request, loan, error=error)
        else:
            _renew_line(request, loan, renewed)
    return redirect("circulation:desk")


def _loan_change(request, pk: int, *, kind: str, action, done: str):
    """Declare lost or record a claim on one of the current patron's open loans; the line says what
    happened or why not."""
    patron = _current_patron(request)
    if patron is None:
        return redirect("circulation:desk")
    loan = get_object_or_404(
        Loan.objects.select_related("item__record"), pk=pk, patron=patron, returned_at__isnull=True
    )
    try:
        action(loan=loan, actor=request.user)
    except PustakaError as error:
        _refusal_line(request, loan.item.barcode, error, title=loan.item.record.title, kind=kind)
    else:
        add_line(
            request,
            SESSION,
            kind=kind,
            ok=True,
            barcode=loan.item.barcode,
            title=loan.item.record.title,
            loan=loan.pk,
            message=done,
        )
    return redirect("circulation:desk")


@require_POST
@staff_view(actions.declare_lost.permission)
def desk_lost(request, pk: int):
    """The patron lost the copy: the lost-item and processing charges go on the ledger, the copy is
    lost (``circulation.declare_lost`` and ``holdings.mark_lost``)."""
    if not request.user.has_perm("holdings.mark_lost"):
        raise PermissionDenied
    return _loan_change(
        request,
        pk,
        kind="lost",
        action=actions.declare_lost,
        done=_("Declared lost; the replacement charges are on the ledger."),
    )


@require_POST
@staff_view(actions.claim_returned.permission)
def desk_claim_returned(request, pk: int):
    """The patron says the copy was returned: no more fine accrues and it no longer counts as overdue."""
    return _loan_change(
        request,
        pk,
        kind="claim",
        action=actions.claim_returned,
        done=_("Claim recorded: no more fine accrues; check the shelves for the copy."),
    )


def _say_form_errors(request, form) -> None:
    """Each of a refused form's messages at the top of the desk."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
@staff_view(actions.pay.permission)
def desk_pay(request):
    """Take a payment from the current patron (it lowers the balance)."""
    patron = _current_patron(request)
    if patron is None:
        return redirect("circulation:desk")
    form = PaymentForm(request.POST)
    if not form.is_valid():
        _say_form_errors(request, form)
        return redirect("circulation:desk")
    with action_messages(request):
        entry = actions.pay(
            patron=patron,
            amount=form.cleaned_data["amount"],
            method=form.cleaned_data["method"],
            note=form.cleaned_data["note"],
            actor=request.user,
            branch=desk_branch(request),
        )
        add_line(request, SESSION, kind="payment", ok=True, amount=str(entry.amount), fee=entry.pk, barcode="")
    return redirect("circulation:desk")


@require_POST
@staff_view(actions.waive.permission)
def desk_waive(request):
    """Waive (part of) one of the current patron's charges, with the reason."""
    patron = _current_patron(request)
    if patron is None:
        return redirect("circulation:desk")
    form = WaiveForm(request.POST)
    if not form.is_valid():
        _say_form_errors(request, form)
        return redirect("circulation:desk")
    fee = get_object_or_404(FeeEntry, pk=form.cleaned_data["fee"], patron=patron)
    with action_messages(request):
        entry = actions.waive(
            fee=fee, amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"], actor=request.user
        )
        add_line(request, SESSION, kind="waiver", ok=True, amount=str(entry.amount), fee=entry.pk, barcode="")
    return redirect("circulation:desk")


@require_POST
@staff_view(actions.checkout.permission)
def desk_finish(request):
    """Selesai: the patron is served. The session's lines are kept for the receipt; the card field is next."""
    state = request.session.pop(SESSION, None)
    if state and state.get("lines"):
        request.session[RECEIPT] = state
    return redirect("circulation:desk")


@staff_view("circulation.view_loan")
def desk_receipt(request):
    """A print-friendly receipt of the current (or the last finished) desk session: what was lent and
    renewed with the due dates, and payments."""
    state = request.session.get(SESSION) or request.session.get(RECEIPT) or {}
    patron = Patron.objects.filter(pk=state.get("patron")).first() if state else None
    lines = [line for line in reversed(lines_for_display(request, SESSION if SESSION in request.session else RECEIPT))]
    return render(
        request,
        "circulation/receipt.html",
        {
            "patron": patron,
            "lines": [line for line in lines if line.get("ok")],
            "branch": desk_branch(request),
            "kind": "desk",
        },
    )
