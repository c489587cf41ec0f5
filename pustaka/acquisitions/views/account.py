"""The patron's purchase suggestions in their account: suggest a title, see what became of each
(accepted and ordered, or not accepted with the librarian's reason)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pustaka.core.page_errors import action_messages
from pustaka.patrons.views.account import patron_view

from .. import actions, queries
from ..forms import SuggestionForm


@patron_view
def mine(request):
    """The form to suggest a title, and the patron's suggestions with their answers."""
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.suggest_purchase(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you: the librarians will review your suggestion."))
            return redirect("acquisitions_account:mine")
    return render(
        request,
        "acquisitions/opac/mine.html",
        {
            "patron": request.patron,
            "section": "suggestions",
            "form": form,
            "suggestions": list(queries.suggestions_of(request.patron)[:50]),
        },
        status=400 if request.method == "POST" else 200,
    )
