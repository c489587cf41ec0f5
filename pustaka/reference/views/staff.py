"""Staff pages of questions to the librarians: the queue, a question, assign, answer and close."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .. import actions, queries
from ..choices import HelpStatus
from ..forms import AnswerForm, AssignForm
from ..models import HelpRequest


@staff_view("reference.view_helprequest")
def help_queue(request):
    """The questions: open, assigned to me, answered, closed; counts, age of the oldest open one and
    the response time per month."""
    tab = request.GET.get("tab", "open")
    if tab not in queries.HELP_TABS:
        tab = "open"
    counts = queries.help_counts(request.user)
    now = timezone.now()
    rows = list(queries.help_queue(tab, request.user)[:200])
    for row in rows:
        row.age = now - row.asked_at
    return render(
        request,
        "reference/staff/help_queue.html",
        {
            "tab": tab,
            "tabs": [
                ("open", pgettext_lazy("status", "Open"), counts["open"]),
                ("mine", _("Assigned to me"), counts["mine"]),
                ("answered", _("Answered"), counts["answered"]),
                ("closed", pgettext_lazy("status", "Closed"), counts["closed"]),
            ],
            "rows": rows,
            "oldest_age": now - counts["oldest_open"] if counts["oldest_open"] else None,
            "months": queries.response_times(),
        },
    )


@staff_view("reference.view_helprequest")
def help_detail(request, pk: int):
    """One question, its answers and (for those who may) assign, answer and close."""
    help_request = get_object_or_404(queries.help_requests(), pk=pk)
    return render(
        request,
        "reference/staff/help_detail.html",
        {
            "help_request": help_request,
            "answers": help_request.answers.select_related("answered_by"),
            "assign_form": AssignForm(initial={"assignee": help_request.assigned_to}),
            "answer_form": AnswerForm(),
            "closed": help_request.status == HelpStatus.CLOSED,
        },
    )


@require_POST
@staff_view("reference.answer_questions")
def help_assign(request, pk: int):
    help_request = get_object_or_404(HelpRequest, pk=pk)
    if "self" in request.POST:
        assignee = request.user
    else:
        form = AssignForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a staff member from the list."))
            return redirect("reference:help_detail", pk=pk)
        assignee = form.cleaned_data["assignee"]
    with action_messages(request):
        actions.assign_helprequest(help_request=help_request, assignee=assignee, actor=request.user)
        messages.success(request, _("Question assigned."))
    return redirect("reference:help_detail", pk=pk)


@staff_view("reference.answer_questions")
def help_answer(request, pk: int):
    """Answer a question (e-mailed to the asker)."""
    help_request = get_object_or_404(queries.help_requests(), pk=pk)
    if request.method != "POST":
        return redirect("reference:help_detail", pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        with action_messages(request, form=form):
            actions.answer_helprequest(help_request=help_request, body=form.cleaned_data["body"], actor=request.user)
            messages.success(request, _("Answer sent to %(email)s.") % {"email": help_request.email or "—"})
            return redirect("reference:help_detail", pk=pk)
    return render(
        request,
        "reference/staff/help_detail.html",
        {
            "help_request": help_request,
            "answers": help_request.answers.select_related("answered_by"),
            "assign_form": AssignForm(initial={"assignee": help_request.assigned_to}),
            "answer_form": focus_first_error(form),
            "closed": help_request.status == HelpStatus.CLOSED,
        },
    )


@require_POST
@staff_view("reference.answer_questions")
def help_close(request, pk: int):
    help_request = get_object_or_404(HelpRequest, pk=pk)
    with action_messages(request):
        actions.close_helprequest(help_request=help_request, actor=request.user)
        messages.success(request, _("Question closed."))
    return redirect("reference:help_queue")
