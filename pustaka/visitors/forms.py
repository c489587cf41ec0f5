"""Forms of the visitor book: the kiosk's card and visitor forms, the desk form, purposes, opening a kiosk,
and the period filter of the staff summary."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.forms import CountField
from pustaka.core.models import Branch

from .choices import VisitorCategory
from .models import VisitPurpose
from .queries import active_purposes


class PurposeChoiceField(forms.ModelChoiceField):
    """The purposes on offer, named in the reader's language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Purpose of visit"))
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset=active_purposes(), **kwargs)

    def label_from_instance(self, obj: VisitPurpose) -> str:
        return obj.name


class KioskCardForm(forms.Form):
    """A member scans (or types) their card; the purpose stays as last chosen on that screen."""

    card = forms.CharField(
        label=_("Scan your member card"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text"}),
    )
    purpose = PurposeChoiceField(widget=forms.RadioSelect)


class VisitorForm(forms.Form):
    """A visitor who is not a member (or a group): name, institution, who they are, why, how many."""

    name = forms.CharField(label=_("Name (or the group's name)"), max_length=150)
    institution = forms.CharField(label=_("Institution, school or address"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("I am"), choices=VisitorCategory.for_non_members)
    purpose = PurposeChoiceField()
    count = CountField(label=_("Number of people"), min_value=1, max_value=10_000, initial=1)


class DeskVisitForm(VisitorForm):
    """The desk records a visit: a member by card, or a visitor by name."""

    card = forms.CharField(label=_("Member card"), max_length=64, required=False)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.filter(is_active=True), empty_label=None)
    field_order = ["card", "name", "institution", "category", "purpose", "count", "branch"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("card") and not data.get("name"):
            self.add_error("name", _("Give a member card or the visitor's name."))
        return data


class OpenKioskForm(forms.Form):
    """Staff open a kiosk screen for a branch."""

    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.filter(is_active=True), empty_label=None)
    label = forms.CharField(
        label=_("Screen name"), max_length=100, required=False, help_text=_("For example “Tablet at the entrance”.")
    )


class PurposeForm(forms.Form):
    """A purpose of visit, named in both languages."""

    code = forms.CharField(label=_("Code"), max_length=32, help_text=_("Small letters, digits, - or _."))
    name_id = forms.CharField(label=_("Name (Indonesian)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    sort_order = CountField(label=_("Sort order"), min_value=0, max_value=100_000, initial=0, required=False)
    is_active = forms.BooleanField(label=_("Offered on the kiosk and the desk"), required=False, initial=True)


class PeriodForm(forms.Form):
    """The period (and branch) of the visitor summary; this month by default."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"), queryset=Branch.objects.all(), required=False, empty_label=_("All branches")
    )

    def period(self) -> tuple[datetime.date, datetime.date, Branch | None]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(day=1)
        end = data.get("end") or today
        if end < start:
            start, end = end, start
        return start, end, data.get("branch")
