"""Technical services: bindery pages.

Shipments (overdue ones flagged), a shipment page that is scan-first (scan to add while it is being
prepared, scan to receive once it is sent), a print-friendly packing slip, and the list of binderies.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from pustaka.core.audit import history
from pustaka.core.forms import AmountField, focus_first_error
from pustaka.core.models import Branch
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.core.queries import library_name
from pustaka.holdings.choices import Condition
from pustaka.holdings.errors import ItemNotFound
from pustaka.holdings.queries import find_by_barcode

from .. import actions
from ..choices import ShipmentStatus
from ..models import BinderyShipment, BinderyShipmentItem, BinderyVendor
from ..queries import bindery as bindery_queries

PAGE_SIZE = 50
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ShipmentForm(forms.Form):
    """A new shipment: to which bindery, from which branch, when expected back, general instructions."""

    vendor = forms.ModelChoiceField(
        label=pgettext_lazy("the firm that binds", "Bindery"), queryset=BinderyVendor.objects.all()
    )
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.all())
    expected_on = forms.DateField(label=_("Expected back"), required=False, widget=DATE_INPUT)
    cost = AmountField(label=_("Cost"), min_value=0, max_digits=12, decimal_places=2, required=False)
    instructions = forms.CharField(
        label=_("General instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class UpdateForm(forms.Form):
    """What may change after the shipment is made: cost, expected date, general instructions."""

    expected_on = forms.DateField(label=_("Expected back"), required=False, widget=DATE_INPUT)
    cost = AmountField(label=_("Cost"), min_value=0, max_digits=12, decimal_places=2)
    instructions = forms.CharField(
        label=_("General instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddForm(forms.Form):
    """Scan an item into a draft shipment."""

    barcode = forms.CharField(
        label=_("Scan an item pulled for binding"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}),
    )
    instructions = forms.CharField(label=_("Instructions for this item"), required=False, max_length=500)


class ReceiveForm(forms.Form):
    """Scan an item back from the bindery, with its new binding."""

    barcode = forms.CharField(
        label=_("Scan an item back from the bindery"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}),
    )
    binding_note = forms.CharField(
        label=_("New binding"), required=False, max_length=300, help_text=_("For example: buckram, red, gold title.")
    )
    condition = forms.ChoiceField(
        label=_("Condition now"),
        choices=Condition.choices,
        initial=Condition.GOOD,
        required=False,  # a scan posted without it: good, as after most rebinding
        help_text=_("Rebound books are usually in good condition again."),
    )


class InstructionsForm(forms.Form):
    instructions = forms.CharField(label=_("Instructions"), required=False, max_length=500)


class SendForm(forms.Form):
    """Sending the shipment: the date it leaves and when it should come back."""

    sent_on = forms.DateField(label=_("Sent"), required=False, widget=DATE_INPUT)
    expected_on = forms.DateField(label=_("Expected back"), required=False, widget=DATE_INPUT)


class VendorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    contact = forms.CharField(label=_("Contact"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ShipmentFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ShipmentStatus.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


def _shipment(pk: int) -> BinderyShipment:
    return get_object_or_404(BinderyShipment.objects.select_related("vendor", "branch", "created_by"), pk=pk)


def _errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@staff_view("technical.view_binderyshipment")
def bindery_home(request):
    """Shipments, newest first, overdue ones flagged; the items pulled for binding still waiting."""
    form = ShipmentFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = bindery_queries.shipments(filters.get("status", ""), overdue=filters.get("overdue", False))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    shipments = list(page.object_list)
    for shipment in shipments:
        shipment.overdue = bindery_queries.is_overdue(shipment)
    overdue_count = bindery_queries.shipments(overdue=True).count()
    return render(
        request,
        "technical/bindery/home.html",
        {
            "filter_form": form,
            "page": page,
            "shipments": shipments,
            "overdue_count": overdue_count,
            "waiting": bindery_queries.items_waiting_for_a_shipment()[:200],
            "today": timezone.localdate(),
        },
    )


@staff_view("technical.prepare_bindery_shipments")
def bindery_create(request):
    """Start a draft shipment to a bindery."""
    form = ShipmentForm(request.POST or None, initial={"branch": request.user.home_branch_id})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["cost"] = data.get("cost") or 0
        with action_messages(request, form=form):
            shipment = actions.create_shipment(actor=request.user, **data)
            messages.success(request, _("Shipment #%(n)s started; scan its items.") % {"n": shipment.pk})
            return redirect("technical:bindery_shipment", pk=shipment.pk)
    return render(request, "technical/bindery/create.html", {"form": focus_first_error(form)})


@staff_view("technical.view_binderyshipment")
def bindery_shipment(request, pk: int):
    """One shipment: its items and instructions; scan to add (draft) or to receive (sent)."""
    shipment = _shipment(pk)
    lines = list(bindery_queries.lines(shipment))
    return render(
        request,
        "technical/bindery/shipment.html",
        {
            "shipment": shipment,
            "lines": lines,
            "is_draft": shipment.status == ShipmentStatus.DRAFT,
            "is_out": shipment.status in bindery_queries.OUT_STATUSES,
            "overdue": bindery_queries.is_overdue(shipment),
            "returned_count": sum(1 for line in lines if line.returned_on),
            "add_form": AddForm(),
            "receive_form": ReceiveForm(),
            "send_form": SendForm(initial={"sent_on": timezone.localdate(), "expected_on": shipment.expected_on}),
            "update_form": UpdateForm(
                initial={
                    "expected_on": shipment.expected_on,
                    "cost": shipment.cost,
                    "instructions": shipment.instructions,
                }
            ),
            "events": history(shipment)[:50],
        },
    )


def _scanned(request, shipment, barcode):
    item = find_by_barcode(barcode)
    if item is None:
        messages.error(request, str(ItemNotFound(barcode=barcode.strip())))
    return item


@require_POST
@staff_view("technical.send_to_bindery")
def bindery_add(request, pk: int):
    """Scan an item pulled for binding into a draft shipment."""
    shipment = _shipment(pk)
    form = AddForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    elif item := _scanned(request, shipment, form.cleaned_data["barcode"]):
        with action_messages(request):
            actions.add_to_shipment(
                shipment=shipment, item=item, actor=request.user, instructions=form.cleaned_data["instructions"]
            )
            messages.success(request, _("Item %(barcode)s added to the shipment.") % {"barcode": item.barcode})
    return redirect("technical:bindery_shipment", pk=shipment.pk)


def _line(shipment, line_pk: int) -> BinderyShipmentItem:
    return get_object_or_404(
        BinderyShipmentItem.objects.select_related("item", "shipment"), pk=line_pk, shipment=shipment
    )


@require_POST
@staff_view("technical.send_to_bindery")
def bindery_instructions(request, pk: int, line_pk: int):
    """Write one item's binding instructions (draft shipments only)."""
    shipment = _shipment(pk)
    line = _line(shipment, line_pk)
    form = InstructionsForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        with action_messages(request):
            actions.set_line_instructions(line=line, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Instructions for %(barcode)s saved.") % {"barcode": line.item.barcode})
    return redirect("technical:bindery_shipment", pk=shipment.pk)


@require_POST
@staff_view("technical.send_to_bindery")
def bindery_remove(request, pk: int, line_pk: int):
    """Take an item out of a draft shipment."""
    shipment = _shipment(pk)
    line = _line(shipment, line_pk)
    with action_messages(request):
        actions.remove_from_shipment(shipment=shipment, item=line.item, actor=request.user)
        messages.success(request, _("Item %(barcode)s taken out of the shipment.") % {"barcode": line.item.barcode})
    return redirect("technical:bindery_shipment", pk=shipment.pk)


@require_POST
@staff_view("technical.send_to_bindery")
def bindery_send(request, pk: int):
    """Send the shipment: every item goes to the bindery."""
    shipment = _shipment(pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        with action_messages(request):
            actions.send_shipment(shipment=shipment, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Shipment #%(n)s sent; print its packing slip.") % {"n": shipment.pk})
    return redirect("technical:bindery_shipment", pk=shipment.pk)


@require_POST
@staff_view("technical.receive_from_bindery")
def bindery_receive(request, pk: int):
    """Scan an item back from the bindery; it goes to the shelving queue."""
    shipment = _shipment(pk)
    form = ReceiveForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    elif item := _scanned(request, shipment, form.cleaned_data["barcode"]):
        with action_messages(request):
            actions.receive_from_bindery(
                shipment=shipment,
                item=item,
                actor=request.user,
                binding_note=form.cleaned_data["binding_note"],
                condition=form.cleaned_data["condition"] or Condition.GOOD,
            )
            messages.success(
                request,
                _("Item %(barcode)s is back from the bindery and goes to the shelving queue.")
                % {"barcode": item.barcode},
            )
    return redirect("technical:bindery_shipment", pk=shipment.pk)


@require_POST
@staff_view("technical.send_to_bindery")
def bindery_update(request, pk: int):
    """Change the cost, expected date or general instructions of a shipment."""
    shipment = _shipment(pk)
    form = UpdateForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        with action_messages(request):
            actions.update_shipment(shipment=shipment, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Shipment #%(n)s saved.") % {"n": shipment.pk})
    return redirect("technical:bindery_shipment", pk=shipment.pk)


@staff_view("technical.view_binderyshipment")
def bindery_slip(request, pk: int):
    """The packing slip to print and put in the box: library, bindery, items with instructions, signatures."""
    shipment = _shipment(pk)
    return render(
        request,
        "technical/bindery/slip.html",
        {
            "shipment": shipment,
            "lines": bindery_queries.lines(shipment),
            "library_name": library_name(),
            "today": timezone.localdate(),
        },
    )


@staff_view("technical.view_binderyvendor")
def bindery_vendors(request):
    """The binderies the library works with, and a form to add one."""
    form = VendorForm()
    return render(
        request,
        "technical/bindery/vendors.html",
        {"vendors": BinderyVendor.objects.order_by("name"), "form": form},
    )


@require_POST
@staff_view("technical.manage_binderies")
def bindery_vendor_create(request):
    """Add a bindery."""
    form = VendorForm(request.POST)
    if form.is_valid():
        with action_messages(request, form=form):
            vendor = actions.create_bindery_vendor(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Bindery “%(name)s” added.") % {"name": vendor.name})
            return redirect("technical:bindery_vendors")
    return render(
        request,
        "technical/bindery/vendors.html",
        {"vendors": BinderyVendor.objects.order_by("name"), "form": focus_first_error(form)},
        status=400,
    )
