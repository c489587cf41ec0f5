"""Licence pages (staff): the list with what ends soon, one licence with its resources, create and edit.

Who: reading needs ``digital.view_licence`` (IT managers, librarians, administrators); creating
``digital.manage_licences`` and editing ``digital.manage_licences`` (IT managers, administrators). Writes
go through :mod:`pustaka.digital.actions.licences`.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import history
from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .. import queries_usage
from ..actions import licences as actions
from ..forms import LicenceForm
from ..models import Licence

EXPIRING_DAYS = 60


def _initial(licence: Licence) -> dict:
    data = {name: getattr(licence, name) for name in actions.FIELDS}
    data["patron_categories"] = list(licence.patron_categories.all())
    return data


@staff_view("digital.view_licence")
def licence_list(request):
    """Every licence with its terms at a glance; those ending within 60 days first."""
    today = timezone.localdate()
    licences = list(queries_usage.licences().order_by("name", "id"))
    expiring = list(queries_usage.expiring_licences(EXPIRING_DAYS, today=today))
    for licence in licences:
        licence.days_left = (licence.ends_on - today).days if licence.ends_on else None
    for licence in expiring:
        licence.days_left = (licence.ends_on - today).days
    return render(request, "digital/licences/list.html", {"licences": licences, "expiring": expiring})


@staff_view("digital.view_licence")
def licence_detail(request, pk: int):
    """One licence: its terms, the resources under it and its history."""
    licence = get_object_or_404(queries_usage.licences(), pk=pk)
    resources = licence.resources.select_related("record").order_by("record__title", "id")[:200]
    return render(
        request,
        "digital/licences/detail.html",
        {"licence": licence, "resources": resources, "events": history(licence)[:30],
         "ip_ranges": [r for r in licence.ip_ranges.split("\n") if r]},
    )  # fmt: skip


def _save(request, licence: Licence | None):
    initial = _initial(licence) if licence else {"download_allowed": True, "embargo_months": 0}
    form = LicenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        categories = list(data.pop("patron_categories"))
        with action_messages(request, form=form):
            if licence is None:
                licence = actions.create_licence(actor=request.user, patron_categories=categories, **data)
                messages.success(request, _("Licence “%(name)s” created.") % {"name": licence.name})
            else:
                licence = actions.update_licence(
                    licence=licence, actor=request.user, patron_categories=categories, **data
                )
                messages.success(request, _("Licence “%(name)s” saved.") % {"name": licence.name})
            return redirect("digital:licence_detail", pk=licence.pk)
    return render(request, "digital/licences/form.html", {"form": focus_first_error(form), "licence": licence})


@staff_view("digital.manage_licences")
def licence_create(request):
    """A new licence."""
    return _save(request, None)


@staff_view("digital.manage_licences")
def licence_edit(request, pk: int):
    """Change a licence's terms."""
    return _save(request, get_object_or_404(Licence, pk=pk))
