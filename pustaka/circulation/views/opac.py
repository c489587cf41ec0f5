"""The patron's own account pages in the public catalogue (/account/...): loans (renew one or all),
holds (place from the record page, cancel), fines (the ledger with the balance) and the reading history.

Who may use them: a logged-in patron, for their own account only. Anonymous visitors go to the OPAC
login; a login without a patron record gets 403; another patron's loan or hold is not found (404).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pustaka.catalog.models import Record
from pustaka.core.errors import PustakaError
from pustaka.core.models import Branch
from pustaka.core.page_errors import action_messages
from pustaka.core.params import parse_id
from pustaka.core.queries import library_name
from pustaka.patrons.models import Patron

from .. import actions, queries
from ..choices import HoldStatus
from ..forms import PlaceHoldForm
from ..models import Hold, Loan
from ..queries_desk import holds_with_position, ledger, open_loans, outstanding_charges, reading_history

HISTORY_PAGE = 50


def patron_view(view):
    """Decorate an account page: anonymous → the OPAC login; a login without a patron record gets the
    patrons app's "no library card" page (403); an inactive patron gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=reverse("account:login"))
        patron = Patron.objects.select_related("category", "home_branch").filter(user=request.user).first()
        if patron is None:
            return render(request, "opac/account/no_patron.html", {"library_name": library_name()}, status=403)
        if not patron.is_active:
            raise PermissionDenied
        request.patron = patron
        return view(request, *args, **kwargs)

    return wrapper


def _render(request, template: str, section: str, **context):
    return render(
        request,
        template,
        {"patron": request.patron, "section": section, "library_name": library_name(), **context},
    )


@require_GET
@patron_view
def loans(request):
    """The patron's current loans with due dates (overdue ones marked), each renewable, or all at once."""
    current = open_loans(request.patron)
    return _render(
        request, "opac/account/loans.html", "loans", loans=current, overdue=sum(1 for x in current if x.is_overdue)
    )


@require_POST
@patron_view
def renew(request):
    """Renew one loan (``loan``) or every loan (``all``); each refusal is shown with its reason."""
    patron = request.patron
    if "all" in request.POST:
        results = actions.renew_all(patron=patron, actor=request.user)
        for loan, error in results:
            _renew_message(request, loan, error)
        if not results:
            messages.info(request, _("You have nothing on loan to renew."))
        return redirect("opac_circulation:loans")
    loan_id = parse_id(request.POST.get("loan"))
    if loan_id is None:
        raise Http404
    loan = get_object_or_404(Loan.objects.select_related("item__record"), pk=loan_id, patron=patron)
    try:
        loan = actions.renew(loan=loan, actor=request.user)
    except PustakaError as error:
        _renew_message(request, loan, error)
    else:
        _renew_message(request, loan, None)
    return redirect("opac_circulation:loans")


def _renew_message(request, loan: Loan, error) -> None:
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    title = loan.item.record.title
    if error is None:
        messages.success(
            request,
            _("Renewed “%(title)s”: now due %(date)s.")
            % {"title": title, "date": date_format(localtime(loan.due_at), "DATE_FORMAT")},
        )
    else:
        messages.error(request, _("“%(title)s” was not renewed: %(reason)s") % {"title": title, "reason": error})


@require_GET
@patron_view
def holds(request):
    """The patron's open holds (with their place in the queue) and the last closed ones."""
    current = list(holds_with_position(request.patron))
    closed = list(
        Hold.objects.filter(patron=request.patron)
        .exclude(status__in=HoldStatus.open())
        .select_related("record", "pickup_branch")
        .order_by("-closed_at", "-id")[:10]
    )
    branches = list(Branch.objects.filter(is_active=True).order_by("name")) if current else []
    return _render(request, "opac/account/holds.html", "holds", holds=current, closed=closed, branches=branches)


@require_POST
@patron_view
def place_hold(request):
    """Place a hold on a title from its record page, choosing where to collect it."""
    form = PlaceHoldForm(request.POST)
    record_id = parse_id(request.POST.get("record"))
    if record_id is None:
        messages.error(request, _("Place a hold from the title's page in the catalogue."))
        return redirect("opac_circulation:holds")
    if not form.is_valid():
        messages.error(request, _("Choose the branch where you will collect it."))
        return redirect("opac:record", pk=record_id)
    record = get_object_or_404(Record, pk=form.cleaned_data["record"], is_suppressed=False)
    with action_messages(request) as outcome:
        actions.place_hold(
            patron=request.patron,
            record=record,
            pickup_branch=form.cleaned_data["pickup_branch"],
            actor=request.user,
        )
    if outcome.refused:
        return redirect("opac:record", pk=record.pk)
    messages.success(
        request,
        _("Hold placed on “%(title)s”. We will email you when it is ready at %(branch)s.")
        % {"title": record.title, "branch": form.cleaned_data["pickup_branch"].name},
    )
    return redirect("opac_circulation:holds")


@require_POST
@patron_view
def cancel_hold(request, pk: int):
    """Cancel one of the patron's own open holds."""
    hold = get_object_or_404(Hold.objects.select_related("record"), pk=pk, patron=request.patron)
    with action_messages(request):
        actions.cancel_hold(hold=hold, actor=request.user)
        messages.success(request, _("Hold on “%(title)s” cancelled.") % {"title": hold.record.title})
    return redirect("opac_circulation:holds")


@require_POST
@patron_view
def change_pickup(request, pk: int):
    """Collect one of the patron's own waiting holds at another branch (its queue place stays)."""
    hold = get_object_or_404(Hold.objects.select_related("record"), pk=pk, patron=request.patron)
    branch_id = parse_id(request.POST.get("pickup_branch"))
    branch = Branch.objects.filter(pk=branch_id, is_active=True).first() if branch_id else None
    if branch is None:
        messages.error(request, _("Choose the branch where you will collect it."))
        return redirect("opac_circulation:holds")
    with action_messages(request):
        actions.change_hold(hold=hold, actor=request.user, pickup_branch=branch)
        messages.success(
            request,
            _("You will collect “%(title)s” at %(branch)s.") % {"title": hold.record.title, "branch": branch.name},
        )
    return redirect("opac_circulation:holds")


@require_GET
@patron_view
def fines(request):
    """The patron's ledger (charges, payments, waivers) with the balance and what is still owed."""
    return _render(
        request,
        "opac/account/fines.html",
        "fines",
        balance=queries.balance(request.patron),
        entries=ledger(request.patron, limit=200),
        charges=outstanding_charges(request.patron),
    )


@require_GET
@patron_view
def history(request):
    """The patron's reading history: only when the patron chose to keep it (else how to turn it on)."""
    page = None
    if request.patron.keep_history:
        page = Paginator(reading_history(request.patron), HISTORY_PAGE).get_page(request.GET.get("page"))
    return _render(request, "opac/account/history.html", "history", page=page)
