"""Public pages of clearance letters: the verification page a letter's QR code opens (number, name,
date and whether it is valid; nothing more personal), and the patron's own page in the account, where
they ask for a letter (issued at once when nothing blocks it) and download it."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from pustaka.core.page_errors import action_messages
from pustaka.core.queries import library_name
from pustaka.patrons.views.account import patron_view

from .. import actions, queries
from ..forms import RequestForm
from ..pdf import render_letter


@never_cache
def verify(request, code: str):
    """Is this letter genuine and valid? The number, the name on it, the date, the validity."""
    letter = queries.by_code(code)
    context = {"letter": letter, "library_name": library_name(), "code": code[:32]}
    return render(request, "clearance/verify.html", context, status=200 if letter else 404)


@patron_view
def mine(request):
    """The patron's clearance: what still blocks it, or the form to ask for the letter; their letters."""
    patron = request.patron
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_messages(request) as outcome:
            letter = actions.request_own_clearance(actor=request.user, **form.cleaned_data)
            messages.success(
                request, _("Your clearance letter %(number)s is ready: download it below.") % {"number": letter.number}
            )
            return redirect("clearance_account:mine")
        if outcome.refused:
            return redirect("clearance_account:mine")
    return render(
        request,
        "clearance/opac/mine.html",
        {
            "patron": patron,
            "section": "clearance",
            "library_name": library_name(),
            "blockers": queries.blockers(patron),
            "letters": list(queries.letters_of(patron)[:20]),
            "form": form,
        },
    )


@patron_view
def my_letter_pdf(request, pk: int):
    """The patron's own letter as PDF (another patron's letter is not found)."""
    letter = queries.letters_of(request.patron).filter(pk=pk).first()
    if letter is None:
        raise Http404
    verify_url = request.build_absolute_uri(reverse("clearance_public:verify", args=[letter.code]))
    response = HttpResponse(render_letter(letter, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bebas-pustaka-{letter.year}-{letter.sequence:03d}.pdf"'
    return response
