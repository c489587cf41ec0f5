"""Forms of clearance letters: issuing one (staff), asking for one (the patron), revoking, the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pustaka.core.forms import CountField
from pustaka.core.models import Branch

from .choices import ClearancePurpose
from .models import DEFAULT_PATTERN


class IssueForm(forms.Form):
    """Staff issue a letter: what for, on which branch's letterhead, and whether it blocks loans."""

    purpose = forms.ChoiceField(label=_("Purpose"), choices=ClearancePurpose.choices)
    purpose_note = forms.CharField(
        label=_("Details"), max_length=200, required=False, help_text=_("For example the study programme or school.")
    )
    branch = forms.ModelChoiceField(
        label=_("Letterhead of"), queryset=Branch.objects.filter(is_active=True), empty_label=None
    )
    blocks_loans = forms.BooleanField(label=_("Block further loans (for example a graduating student)"), required=False)

    def __init__(self, *args, can_block: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_block:
            del self.fields["blocks_loans"]


class RequestForm(forms.Form):
    """The patron asks for their own letter in the catalogue."""

    purpose = forms.ChoiceField(label=_("What do you need the letter for?"), choices=ClearancePurpose.choices)
    purpose_note = forms.CharField(
        label=_("Details (optional)"), max_length=200, required=False, help_text=_("For example your study programme.")
    )


class FindPatronForm(forms.Form):
    """Find the patron whose letter to issue, by card."""

    card = forms.CharField(label=_("Member card"), max_length=64, widget=forms.TextInput(attrs={"autofocus": True}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Why is the letter revoked?"), max_length=300)


class SettingsForm(forms.Form):
    """The library's rules for clearance letters."""

    number_pattern = forms.CharField(
        label=_("Number pattern"),
        max_length=60,
        initial=DEFAULT_PATTERN,
        help_text=_(
            "{seq:03} number in the year, {year}, {month}, {roman_month} (XII), {branch}; e.g. {seq:03}/BP/{year}."
        ),
    )
    validity_days = CountField(
        label=_("Valid for (days)"), min_value=1, max_value=3660, required=False, help_text=_("Empty: no time limit.")
    )
    signatory_name = forms.CharField(label=_("Signed by (name)"), max_length=150, required=False)
    signatory_title = forms.CharField(label=_("Signed by (title)"), max_length=150, required=False)
    block_on_request = forms.BooleanField(
        label=_("A letter a patron asks for in the catalogue blocks further loans"), required=False
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    card = forms.CharField(label=_("Member card"), max_length=64, required=False)
