"""Public pages of programs and help: /programs/ (upcoming programs with places left), a program's
page with register/cancel, /help/ask/ ("tanya pustakawan"), and the patron's /account/programs/ and
/account/questions/.

Who may use them: anyone reads the program pages and may ask a question (anonymous questions pass a
honeypot and a per-address limit); registering, cancelling and the account pages need a logged-in
patron, who acts only for themselves and the children they are guardian of.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pustaka.core.page_errors import action_messages
from pustaka.core.queries import library_name
from pustaka.patrons.models import Patron
from pustaka.patrons.queries import patron_of
from pustaka.patrons.views.account import patron_view

from .. import actions, queries
from ..choices import RegistrationMode, RegistrationStatus
from ..forms import RegisterForm
from ..models import Program, Registration


def _family(patron) -> list:
    """The patron and the active children they are guardian of."""
    return [patron, *Patron.objects.filter(guardian=patron, is_active=True).order_by("first_name", "last_name")]


def _account_render(request, template: str, section: str, **context):
    return render(
        request,
        template,
        {
            "patron": request.patron,
            "section": section,
            "library_name": library_name(),
            **context,
        },
    )


def program_list(request):
    """Upcoming programs, soonest first, with places left (phone-friendly cards)."""
    rows = list(queries.upcoming_programs()[:200])
    return render(request, "programs/opac/program_list.html", {"programs": rows, "library_name": library_name()})


def program_detail(request, pk: int):
    """A program: description, sessions to come, places left; register (a logged-in patron, for
    themselves or a child) or cancel."""
    program = get_object_or_404(queries.programs(), pk=pk)
    patron = patron_of(request.user)
    family = _family(patron) if patron else []
    mine = list(
        queries.registrations()
        .filter(program=program, patron__in=family, status__in=RegistrationStatus.active())
        .order_by("queued_at")
    )
    registered_ids = {r.patron_id for r in mine}
    can_register = [p for p in family if p.pk not in registered_ids]
    return render(
        request,
        "programs/opac/program_detail.html",
        {
            "program": program,
            "sessions": queries.upcoming_sessions(program),
            "patron": patron,
            "mine": mine,
            "form": RegisterForm(family=can_register) if can_register else None,
            "self_service": program.registration_mode == RegistrationMode.PUBLIC,
            "login_url": f"{reverse('account:login')}?next={request.get_full_path()}",
            "library_name": library_name(),
        },
    )


@require_POST
@patron_view
def program_register(request, pk: int):
    """Register the patron (or one of their children); full → the waiting list."""
    program = get_object_or_404(Program, pk=pk)
    family = _family(request.patron)
    form = RegisterForm(request.POST, family=family)
    if not form.is_valid():
        messages.error(request, _("Choose whom to register."))
        return redirect("programs_opac:program_detail", pk=pk)
    who = next(p for p in family if p.pk == form.cleaned_data["patron"])
    with action_messages(request):
        registration = actions.register(program=program, patron=who, actor=request.user)
        if registration.status == RegistrationStatus.WAITING:
            position = queries.registrations().get(pk=registration.pk).position
            messages.warning(
                request,
                _(
                    "The program is full: %(patron)s is number %(position)s on the waiting list. "
                    "We will e-mail you if a place frees up."
                )
                % {"patron": who.full_name, "position": position},
            )
        else:
            messages.success(request, _("%(patron)s is registered.") % {"patron": who.full_name})
    return redirect("programs_opac:program_detail", pk=pk)


@require_POST
@patron_view
def registration_cancel(request, pk: int):
    """Cancel one's own (or a child's) registration; anyone else's is not found."""
    registration = get_object_or_404(
        Registration.objects.select_related("patron"), pk=pk, patron__in=_family(request.patron)
    )
    with action_messages(request):
        actions.cancel_registration(registration=registration, actor=request.user)
        messages.success(request, _("Registration cancelled."))
    target = request.POST.get("next", "")
    if target == "account":
        return redirect("programs_opac:my_programs")
    return redirect("programs_opac:program_detail", pk=registration.program_id)


@patron_view
def my_programs(request):
    """The patron's (and their children's) registrations, with waiting-list positions."""
    rows = list(queries.registrations_of(_family(request.patron)).exclude(status=RegistrationStatus.CANCELLED))
    past = list(queries.registrations_of(_family(request.patron)).filter(status=RegistrationStatus.CANCELLED)[:20])
    return _account_render(request, "programs/opac/my_programs.html", "programs", registrations=rows, cancelled=past)
