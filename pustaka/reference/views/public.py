"""Public pages of questions to the librarians: ask (anyone) and my questions (a patron's account)."""

from django.shortcuts import redirect, render

from pustaka.catalog.models import Record
from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.params import parse_id
from pustaka.core.queries import library_name
from pustaka.patrons.queries import patron_of
from pustaka.patrons.views.account import patron_view

from .. import actions, queries
from ..forms import AskForm


@patron_view
def my_questions(request):
    """The patron's questions to the librarians with the answers."""
    return render(
        request,
        "reference/opac/my_questions.html",
        {
            "patron": request.patron,
            "section": "questions",
            "library_name": library_name(),
            "questions": queries.questions_of(request.patron),
        },
    )


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ask(request):
    """Ask the librarians. A logged-in patron's name and e-mail come from their account."""
    patron = patron_of(request.user)
    initial = {}
    record = None
    record_id = parse_id(request.GET.get("record") or request.POST.get("record"))
    if record_id is not None:  # a bad id is ignored: the question is then about no title in particular
        record = Record.objects.filter(pk=record_id).first()
        if record is not None:
            initial["record"] = record.pk
    form = AskForm(request.POST or None, patron=patron, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            return redirect("reference_opac:ask_sent")  # a robot: pretend, keep nothing
        with action_messages(request, form=form):
            actions.ask_question(
                question=form.cleaned_data["question"],
                topic=form.cleaned_data["topic"],
                name=form.cleaned_data.get("name", ""),
                email=form.cleaned_data.get("email", ""),
                record=record,
                actor=request.user if patron else None,
                ip=_client_ip(request),
            )
            return redirect("reference_opac:ask_sent")
    return render(
        request,
        "reference/opac/ask.html",
        {"form": focus_first_error(form), "patron": patron, "record": record, "library_name": library_name()},
    )


def ask_sent(request):
    """Thank you: the answer comes by e-mail (and, for patrons, in their account)."""
    return render(
        request, "reference/opac/ask_sent.html", {"patron": patron_of(request.user), "library_name": library_name()}
    )
