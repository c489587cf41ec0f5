"""Staff pages of programs (list, detail with registrations and statistics, forms, attendance) and
of the help-request queue. Every page states its permission with ``staff_view``."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .. import actions, queries
from ..forms import CardForm, ProgramForm, SessionForm
from ..models import Program, ProgramSession, Registration


@staff_view("programs.view_program")
def program_list(request):
    """Every program with places, registered, waiting and its next session; upcoming ones first."""
    show = request.GET.get("show", "upcoming")
    rows = queries.upcoming_programs() if show == "upcoming" else queries.programs().order_by("title", "id")
    return render(request, "programs/staff/program_list.html", {"programs": rows[:500], "show": show})


def _program_data(form) -> dict:
    data = dict(form.cleaned_data)
    return data


@staff_view("programs.manage_programs")
def program_create(request):
    """A new program; then its sessions."""
    form = ProgramForm(request.POST or None, initial={"branch": request.user.home_branch})
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            program = actions.create_program(actor=request.user, **_program_data(form))
            messages.success(request, _("Program created; now add its sessions."))
            return redirect("programs:session_create", pk=program.pk)
    return render(request, "programs/staff/program_form.html", {"form": focus_first_error(form)})


@staff_view("programs.manage_programs")
def program_edit(request, pk: int):
    """Change a program; more places move the waiting list up."""
    program = get_object_or_404(Program, pk=pk)
    initial = {f: getattr(program, f) for f in actions.PROGRAM_FIELDS}
    form = ProgramForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.update_program(program=program, actor=request.user, **_program_data(form))
            messages.success(request, _("Program saved."))
            return redirect("programs:program_detail", pk=program.pk)
    return render(request, "programs/staff/program_form.html", {"form": focus_first_error(form), "program": program})


@staff_view("programs.view_program")
def program_detail(request, pk: int):
    """A program: its sessions with attendance, the registered patrons, the waiting list, statistics."""
    program = get_object_or_404(queries.programs(), pk=pk)
    stats = queries.program_stats(program)
    registered = (
        Registration.objects.filter(program=program, status="registered")
        .select_related("patron", "registered_by")
        .order_by("patron__last_name", "patron__first_name")
    )
    return render(
        request,
        "programs/staff/program_detail.html",
        {
            "program": program,
            "stats": stats,
            "registered": registered,
            "waiting": queries.waiting_list(program),
            "card_form": CardForm(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@staff_view("programs.register_patrons")
def program_register(request, pk: int):
    """Register a patron by card (the waiting list when full)."""
    program = get_object_or_404(Program, pk=pk)
    form = CardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type or scan a patron card number."))
        return redirect("programs:program_detail", pk=pk)
    with action_messages(request):
        patron = actions.find_patron_by_card(form.cleaned_data["card"])
        registration = actions.register(program=program, patron=patron, actor=request.user)
        if registration.status == "waiting":
            messages.warning(request, _("%(patron)s is on the waiting list.") % {"patron": patron.full_name})
        else:
            messages.success(request, _("%(patron)s is registered.") % {"patron": patron.full_name})
    return redirect("programs:program_detail", pk=pk)


@require_POST
@staff_view("programs.register_patrons")
def registration_cancel(request, pk: int):
    """Cancel a registration; the first on the waiting list moves up."""
    registration = get_object_or_404(Registration.objects.select_related("patron"), pk=pk)
    with action_messages(request):
        actions.cancel_registration(registration=registration, actor=request.user)
        messages.success(
            request, _("Registration of %(patron)s cancelled.") % {"patron": registration.patron.full_name}
        )
    return redirect("programs:program_detail", pk=registration.program_id)


@staff_view("programs.manage_programs")
def session_create(request, pk: int):
    """Add a session to a program (the form stays open to add the next one)."""
    program = get_object_or_404(Program, pk=pk)
    last = program.sessions.order_by("-date").first()
    initial = {"branch": program.branch, "leader": program.leader}
    if last is not None:
        initial |= {
            "date": last.date + datetime.timedelta(days=7),
            "start_time": last.start_time,
            "end_time": last.end_time,
            "room": last.room,
            "branch": last.branch,
        }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            session = actions.add_session(program=program, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Session on %(date)s added.") % {"date": session.date.isoformat()})
            if "another" in request.POST:
                return redirect("programs:session_create", pk=program.pk)
            return redirect("programs:program_detail", pk=program.pk)
    return render(
        request,
        "programs/staff/session_form.html",
        {"form": focus_first_error(form), "program": program, "sessions": program.sessions.all()},
    )


@staff_view("programs.manage_programs")
def session_edit(request, pk: int):
    """Move a session or change its room, branch or leader."""
    session = get_object_or_404(ProgramSession.objects.select_related("program"), pk=pk)
    form = SessionForm(request.POST or None, initial={f: getattr(session, f) for f in actions.SESSION_FIELDS})
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.update_session(session=session, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Session saved."))
            return redirect("programs:program_detail", pk=session.program_id)
    return render(
        request,
        "programs/staff/session_form.html",
        {"form": focus_first_error(form), "program": session.program, "session": session},
    )


@staff_view("programs.take_attendance")
def attendance(request, pk: int):
    """Take attendance: tick who is here (Space toggles, Tab moves) or scan a card; save."""
    session = get_object_or_404(ProgramSession.objects.select_related("program", "branch"), pk=pk)
    if request.method == "POST":
        with action_messages(request):
            added, removed = actions.set_attendance(
                session=session, present=request.POST.getlist("present"), actor=request.user
            )
            messages.success(
                request,
                _("Attendance saved: %(added)s marked present, %(removed)s unmarked.")
                % {"added": added, "removed": removed},
            )
        return redirect("programs:attendance", pk=pk)
    roster = list(queries.roster(session))
    present = sum(1 for r in roster if r.present)
    return render(
        request,
        "programs/staff/attendance.html",
        {"session": session, "roster": roster, "present": present, "card_form": CardForm()},
    )


@require_POST
@staff_view("programs.take_attendance")
def attendance_scan(request, pk: int):
    """A scanned patron card marks that patron present at once."""
    session = get_object_or_404(ProgramSession.objects.select_related("program"), pk=pk)
    card = request.POST.get("card", "")
    with action_messages(request):
        registration = actions.mark_present(session=session, card=card, actor=request.user)
        messages.success(request, _("%(patron)s is present.") % {"patron": registration.patron.full_name})
    return redirect("programs:attendance", pk=pk)
