"""Forms of the accession register pages: the year chosen, a copy's acquisition, the number pattern."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from pustaka.core.forms import AmountField

from .choices import AcquisitionSource
from .pattern import MAX_LENGTH


class YearForm(forms.Form):
    """The register of one year."""

    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200, required=False)

    def year_or(self, default: int) -> int:
        return (self.cleaned_data.get("year") if self.is_valid() else None) or default


class AcquisitionForm(forms.Form):
    """Where a copy came from, who supplied or gave it, and what it cost."""

    source = forms.ChoiceField(label=_("Source of acquisition"), choices=AcquisitionSource.choices)
    supplier = forms.CharField(
        label=_("Supplier or donor"), max_length=200, required=False, help_text=_("The bookshop, publisher or giver.")
    )
    price = AmountField(label=_("Price"), min_value=0, required=False, help_text=_("In Rupiah, e.g. 85.000."))


class PatternForm(forms.Form):
    """The pattern new accession numbers follow."""

    pattern = forms.CharField(
        label=_("Accession number pattern"),
        max_length=MAX_LENGTH,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("For example {seq:05}/{source}/{year}. The placeholders are listed below."),
    )


def this_year() -> int:
    return datetime.date.today().year
