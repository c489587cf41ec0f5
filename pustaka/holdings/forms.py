"""Forms of the item pages: attach and edit an item, move it, record its condition, filter the list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pustaka.accessions.choices import AcquisitionSource
from pustaka.core.forms import AmountField, CountField
from pustaka.core.models import Branch, Location

from . import transitions
from .choices import Condition, ItemStatus, PullReason
from .models import ItemType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def location_choices(blank_label) -> list:
    """Locations grouped by branch (one query), for a select with optgroups."""
    groups: dict[str, list] = {}
    for location in Location.objects.select_related("branch").order_by("branch__code", "sort_order", "code"):
        groups.setdefault(f"{location.branch.code} · {location.branch.name}", []).append((location.pk, location.name))
    return [("", blank_label), *groups.items()]


class LocationField(forms.TypedChoiceField):
    """A shelving location chosen from a list grouped by branch; cleans to a Location (or None)."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        if pk is None:
            return None
        location = Location.objects.select_related("branch").filter(pk=pk).first()
        if location is None:
            raise forms.ValidationError(_("Choose a location from the list."))
        return location


class ItemFieldsMixin(forms.Form):
    """Fields an item has when it is attached and when it is edited."""

    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.filter(is_active=True))
    location = LocationField(label=_("Location"), required=False)
    item_type = forms.ModelChoiceField(
        label=_("Item type"), queryset=ItemType.objects.all(), empty_label=_("— choose —")
    )
    call_number = forms.CharField(
        label=_("Call number"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the record's call number."),
    )
    copy_number = CountField(
        label=_("Copy number"), min_value=1, max_value=32767, required=False, help_text=_("Empty: the next number.")
    )
    price = AmountField(label=_("Price"), max_digits=12, decimal_places=2, min_value=0, required=False)
    acquired_on = forms.DateField(label=_("Acquisition date"), required=False, widget=DATE)
    public_note = forms.CharField(label=_("Public note"), max_length=300, required=False)
    staff_note = forms.CharField(label=_("Staff note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = location_choices(_("— none —"))

    def clean(self):
        cleaned = super().clean()
        branch, location = cleaned.get("branch"), cleaned.get("location")
        if branch is not None and location is not None and location.branch_id != branch.pk:
            self.add_error(
                "location",
                _("The location %(location)s is not in branch %(branch)s.")
                % {"location": location.name, "branch": branch.code},
            )
        return cleaned


class ItemForm(ItemFieldsMixin):
    """A new copy of a record: scanned barcode first, then where it goes and in which state."""

    barcode = forms.CharField(
        label=_("Barcode"),
        max_length=32,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "class": "scan-input"}),
        help_text=_("Scan the label or type it."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in transitions.INITIAL_STATUSES],
        initial=ItemStatus.AVAILABLE,
    )
    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices, initial=Condition.GOOD)
    acquisition_source = forms.ChoiceField(
        label=_("Source of acquisition"),
        choices=AcquisitionSource.choices,
        initial=AcquisitionSource.PURCHASE,
        required=False,
        help_text=_("Written in the accession number the copy gets."),
    )
    supplier = forms.CharField(
        label=_("Supplier or donor"),
        max_length=200,
        required=False,
        help_text=_("The bookshop, publisher or giver."),
    )

    field_order = [
        "barcode",
        "branch",
        "location",
        "item_type",
        "status",
        "condition",
        "acquisition_source",
        "supplier",
        "price",
        "acquired_on",
        "call_number",
        "copy_number",
    ]


class ItemEditForm(ItemFieldsMixin):
    """An item's descriptive fields (status and condition have their own forms)."""

    copy_number = CountField(label=_("Copy number"), min_value=1, max_value=32767)

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            # An item may stay at a branch that has since closed.
            self.fields["branch"].queryset = Branch.objects.filter(is_active=True) | Branch.objects.filter(
                pk=item.branch_id
            )

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "branch": item.branch_id,
            "location": item.location_id or "",
            "item_type": item.item_type_id,
            "call_number": item.call_number,
            "copy_number": item.copy_number,
            "price": item.price,
            "acquired_on": item.acquired_on,
            "public_note": item.public_note,
            "staff_note": item.staff_note,
        }


class MoveForm(forms.Form):
    """A status change chosen by button, with the pull reason (when pulling) and a note."""

    to = forms.ChoiceField(choices=ItemStatus.choices)
    reason = forms.ChoiceField(
        label=_("Pull reason"), required=False, choices=[("", _("— choose —")), *PullReason.choices]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ConditionForm(forms.Form):
    """A new physical condition and why."""

    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. spine torn")}),
    )


class ItemFilterForm(forms.Form):
    """Filters of the item list."""

    q = forms.CharField(
        label=_("Barcode, title or call number"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ItemStatus.choices]
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"), required=False, queryset=Branch.objects.all(), empty_label=_("All branches")
    )
    location = LocationField(label=_("Location"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = location_choices(_("All locations"))


class ScanForm(forms.Form):
    """The barcode box: a scanner types the barcode and presses Enter."""

    barcode = forms.CharField(label=_("Scan a barcode"), max_length=64)
