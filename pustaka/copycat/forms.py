"""Forms of copy cataloguing: the search (what and where), the import (how many copies, where), a catalogue."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pustaka.core.forms import CountField
from pustaka.core.models import Branch
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.forms import LocationField, location_choices
from pustaka.holdings.models import ItemType
from pustaka.holdings.transitions import INITIAL_STATUSES

from .actions import MAX_COPIES
from .choices import Protocol
from .models import Target


class SearchForm(forms.Form):
    """Search remote catalogues by ISBN (a scanner types it and presses Enter), title and author, or keywords."""

    isbn = forms.CharField(
        label=_("ISBN"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Scan or type the ISBN (10 or 13 digits)."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    author = forms.CharField(label=_("Author"), max_length=200, required=False)
    keywords = forms.CharField(label=_("Keywords"), max_length=200, required=False)
    targets = forms.ModelMultipleChoiceField(
        label=_("Catalogues to search"),
        queryset=Target.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every catalogue that is switched on."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = Target.objects.filter(enabled=True).order_by("priority", "name")

    @property
    def has_terms(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return any(data.get(name) for name in ("isbn", "title", "author", "keywords"))


class ImportForm(forms.Form):
    """Copy one result with its copies: how many, their barcodes (or the next ones), branch, type, status."""

    result = forms.CharField(widget=forms.HiddenInput)
    copies = CountField(label=_("Copies"), min_value=0, max_value=MAX_COPIES, initial=1)
    barcodes = forms.CharField(
        label=_("Barcodes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_("One a line, in scanning order; copies without one get the next B000123 barcode."),
    )
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.filter(is_active=True), empty_label=None)
    location = LocationField(label=_("Location"), required=False)
    item_type = forms.ModelChoiceField(label=_("Item type"), queryset=ItemType.objects.all(), empty_label=None)
    status = forms.ChoiceField(
        label=_("The copies start"),
        choices=[(s, ItemStatus(s).label) for s in INITIAL_STATUSES],
        initial=ItemStatus.IN_PROCESSING,
        help_text=_("In processing: they go to the processing queue. Available: shelf-ready copies."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = location_choices(_("— none —"))

    def clean_barcodes(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("barcodes", "").splitlines() if line.strip()]


class TargetForm(forms.Form):
    """A remote catalogue: SRU needs its base URL; Z39.50 its host, port and database."""

    name = forms.CharField(label=_("Name"), max_length=100)
    protocol = forms.ChoiceField(label=_("Protocol"), choices=Protocol.choices)
    base_url = forms.CharField(
        label=_("Base URL (SRU)"),
        max_length=300,
        required=False,
        help_text=_("For example http://lx2.loc.gov:210/LCDB"),
    )
    host = forms.CharField(label=_("Host (Z39.50)"), max_length=200, required=False)
    port = CountField(label=_("Port (Z39.50)"), min_value=1, max_value=65535, required=False)
    database = forms.CharField(label=_("Database (Z39.50)"), max_length=100, required=False)
    record_syntax = forms.CharField(label=_("Record syntax (Z39.50)"), max_length=20, initial="usmarc")
    schema = forms.CharField(label=_("Record schema (SRU)"), max_length=40, initial="marcxml")
    timeout = CountField(label=_("Timeout (seconds)"), min_value=1, max_value=120, initial=10)
    priority = CountField(
        label=_("Priority"), min_value=0, max_value=999, initial=10, help_text=_("Lower numbers are listed first.")
    )
    enabled = forms.BooleanField(label=_("Searched"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    @classmethod
    def initial_for(cls, target: Target) -> dict:
        return {name: getattr(target, name) for name in cls.base_fields}
