"""Staff pages of clearance letters: the list (by year), issuing a letter for a patron (or seeing what
blocks it), a letter with its PDF and the revoke form, and the library's rules. Every page states its
permission with ``staff_view``."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.patrons.lookups import find_patron
from pustaka.patrons.queries import patrons_for

from .. import actions, queries
from ..forms import FindPatronForm, IssueForm, RevokeForm, SettingsForm, YearForm
from ..models import ClearanceSettings
from ..pdf import render_letter


@staff_view("clearance.view_clearanceletter")
def letter_list(request):
    """The letters of a year (this one by default), newest first, and a card field to issue one."""
    form = YearForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    rows = queries.letters().filter(year=year)
    if data.get("card"):
        rows = rows.filter(patron__card_number__iexact=data["card"].strip())
    page = Paginator(rows.order_by("-sequence"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "clearance/letter_list.html",
        {"form": form, "year": year, "page": page, "find_form": FindPatronForm()},
    )


@staff_view("clearance.issue_clearance")
def find(request):
    """Go from a scanned card to that patron's clearance page."""
    form = FindPatronForm(request.GET or None)
    if form.is_valid():
        patron = find_patron(form.cleaned_data["card"], among=patrons_for(request.user))
        if patron is not None:
            return redirect("clearance:issue", pk=patron.pk)
        form.add_error("card", _("No patron has the card number “%(card)s”.") % {"card": form.cleaned_data["card"]})
    return render(request, "clearance/find.html", {"form": focus_first_error(form)})


@staff_view("clearance.issue_clearance")
def issue(request, pk: int):
    """A patron's clearance: what still blocks it (loans, charges, holds, each listed), or the form that
    issues the letter; and the patron's earlier letters."""
    patron = get_object_or_404(patrons_for(request.user).select_related("category", "home_branch"), pk=pk)
    can_block = request.user.has_perm("patrons.block")
    form = IssueForm(
        request.POST or None, can_block=can_block, initial={"branch": patron.home_branch, "purpose": "graduation"}
    )
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            letter = actions.issue_clearance(actor=request.user, patron=patron, **form.cleaned_data)
            messages.success(request, _("Clearance letter %(number)s issued.") % {"number": letter.number})
            return redirect("clearance:detail", pk=letter.pk)
    return render(
        request,
        "clearance/issue.html",
        {
            "patron": patron,
            "blockers": queries.blockers(patron),
            "form": focus_first_error(form),
            "letters": list(queries.letters_of(patron)[:20]),
        },
    )


def _letter(request, pk: int):
    return get_object_or_404(queries.letters().filter(patron__in=patrons_for(request.user)), pk=pk)


@staff_view("clearance.view_clearanceletter")
def detail(request, pk: int):
    """One letter: number, patron, purpose, validity, the loan block it set, and the revoke form."""
    letter = _letter(request, pk)
    verify = request.build_absolute_uri(reverse("clearance_public:verify", args=[letter.code]))
    return render(
        request, "clearance/detail.html", {"letter": letter, "verify_url": verify, "revoke_form": RevokeForm()}
    )


@staff_view("clearance.view_clearanceletter")
def letter_pdf(request, pk: int):
    """The letter to print: A4, letterhead, number, QR code of the verification page."""
    letter = _letter(request, pk)
    verify = request.build_absolute_uri(reverse("clearance_public:verify", args=[letter.code]))
    response = HttpResponse(render_letter(letter, verify_url=verify), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bebas-pustaka-{letter.year}-{letter.sequence:03d}.pdf"'
    return response


@staff_view("clearance.revoke_clearance")
def revoke(request, pk: int):
    """Revoke a letter issued in error (POST, with the reason)."""
    letter = _letter(request, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.revoke_clearance(actor=request.user, letter=letter, reason=form.cleaned_data["reason"])
            messages.success(request, _("Clearance letter %(number)s revoked.") % {"number": letter.number})
            return redirect("clearance:detail", pk=letter.pk)
    verify = request.build_absolute_uri(reverse("clearance_public:verify", args=[letter.code]))
    return render(
        request,
        "clearance/detail.html",
        {"letter": letter, "verify_url": verify, "revoke_form": focus_first_error(form)},
        status=400 if request.method == "POST" else 200,
    )


@staff_view("clearance.configure_clearance")
def settings_page(request):
    """The number pattern, validity, who signs, and whether a patron's own request blocks loans."""
    rules = ClearanceSettings.current()
    initial = {
        "number_pattern": rules.number_pattern,
        "validity_days": rules.validity_days,
        "signatory_name": rules.signatory_name,
        "signatory_title": rules.signatory_title,
        "block_on_request": rules.block_on_request,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.update_clearance_settings(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Clearance letter settings saved."))
            return redirect("clearance:settings")
    example = actions.format_number(rules.number_pattern, seq=1, day=timezone.localdate(), branch="MAIN")
    return render(request, "clearance/settings.html", {"form": focus_first_error(form), "example": example})
