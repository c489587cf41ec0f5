"""Lending software seats at the desk (staff): scan a card, choose the software, lend; return a seat.

Who: ``digital.lend_seat`` (desk roles, librarians, IT managers, administrators). Writes go through
:mod:`pustaka.digital.actions.seats`; a refusal (no seat free, seat already held, licence refuses
the patron) is shown on the page with its reason.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pustaka.core.errors import PustakaError
from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.patrons.models import Patron

from .. import queries_usage
from ..actions.seats import lend_seat, return_seat
from ..forms import LendForm
from ..models import SoftwareSeat


@staff_view("digital.lend_seat")
def seat_desk(request):
    """Software with free and lent seats, the lending form and the seats lent now (with a return button)."""
    form = LendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        card = form.cleaned_data["card_number"].strip()
        patron = Patron.objects.filter(card_number__iexact=card).first()
        if patron is None:
            form.add_error("card_number", _("No patron has the card number “%(card)s”.") % {"card": card})
        else:
            try:
                seat = lend_seat(
                    resource=form.cleaned_data["resource"], patron=patron, actor=request.user,
                    days=form.cleaned_data["days"],
                )  # fmt: skip
            except PustakaError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Seat #%(seat)s (key %(key)s) lent to %(patron)s.")
                    % {"seat": seat.pk, "key": seat.licence_key or "—", "patron": patron},
                )
                return redirect("digital:seat_desk")
    lent = SoftwareSeat.objects.filter(patron__isnull=False).select_related("patron", "resource__record")
    return render(
        request,
        "digital/licences/seat_desk.html",
        {
            "form": focus_first_error(form),
            "software": queries_usage.software_resources(),
            "lent": lent.order_by("due_at", "id")[:500],
        },
    )


@require_POST
@staff_view("digital.lend_seat")
def seat_return(request, seat_id: int):
    """Take a seat back."""
    seat = get_object_or_404(SoftwareSeat.objects.select_related("patron"), pk=seat_id)
    with action_messages(request):
        return_seat(seat=seat, actor=request.user)
        messages.success(request, _("Seat #%(seat)s returned.") % {"seat": seat.pk})
    return redirect("digital:seat_desk")
