"""Forms of the core staff pages: branches, locations, library settings, the audit filter."""

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import CallNumberRule, ClassificationScheme, Weekday
from .errors import PustakaError
from .models import User

PERIOD_RE = re.compile(r"^(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})$")


class NumberInput(forms.TextInput):
    """A text box for numbers typed the Indonesian or the English way (``5.000``, ``5.000,50``): the
    browser's own number box refuses ``5.000,50``. Shows the current value in the page's language."""

    def __init__(self, attrs=None, *, decimals: int = 2):
        super().__init__({"inputmode": "decimal" if decimals else "numeric", "autocomplete": "off", **(attrs or {})})
        self.decimals = decimals

    def format_value(self, value):
        from .numbers import format_input

        return format_input(value, self.decimals) or None


class AmountField(forms.DecimalField):
    """A money field (Rupiah) that reads ``5.000``, ``5.000,50``, ``Rp 5.000`` and ``5,000.50``
    (:func:`pustaka.core.numbers.parse_amount`) and says plainly what it cannot read."""

    widget = NumberInput

    def __init__(self, *, max_digits=12, decimal_places=2, **kwargs):
        kwargs.setdefault("widget", NumberInput(decimals=decimal_places))
        kwargs.pop("localize", None)
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def to_python(self, value):
        from .numbers import NumberNotUnderstood, parse_decimal

        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value, decimals=self.decimal_places or 0, allow_negative=True)
        except NumberNotUnderstood as error:
            raise forms.ValidationError(
                _("“%(value)s” is not an amount: %(reason)s"), code="invalid", params={"value": value, "reason": error}
            ) from None


class CountField(forms.IntegerField):
    """A whole number (a count, a capacity, days) that reads ``1.000`` and ``1,000`` as a thousand."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", NumberInput(decimals=0))
        kwargs.pop("localize", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        from .numbers import NumberNotUnderstood, parse_count

        if value in self.empty_values:
            return None
        try:
            return parse_count(value)
        except NumberNotUnderstood as error:
            raise forms.ValidationError(
                _("“%(value)s” is not a whole number: %(reason)s"),
                code="invalid",
                params={"value": value, "reason": error},
            ) from None


def add_error(form: forms.Form, error: PustakaError, aliases: dict[str, str] | None = None) -> None:
    """Show a typed error on the field it names (or above the form when no such field is shown)."""
    field = (aliases or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, str(error))


def focus_first_error(form: forms.Form) -> forms.Form:
    """Put the keyboard focus (autofocus) on the first field with an error, so Enter-and-fix works."""
    if form.is_bound and form.errors:
        names = [name for name in form.fields if name in form.errors]
        if names:
            for field in form.fields.values():
                field.widget.attrs.pop("autofocus", None)
            form.fields[names[0]].widget.attrs["autofocus"] = True
    return form


def parse_periods(text: str) -> list[list[str]]:
    """``"08:00-12:00, 13:00-16:00"`` → ``[["08:00", "12:00"], ["13:00", "16:00"]]``; empty means closed."""
    periods = []
    for part in re.split(r"[,;]", text or ""):
        part = part.strip()
        if not part:
            continue
        match = PERIOD_RE.match(part)
        if not match:
            raise forms.ValidationError(
                _("Write the hours as 08:00-16:00; separate two periods with a comma; leave empty when closed.")
            )
        h1, m1, h2, m2 = match.groups()
        periods.append([f"{int(h1):02d}:{m1}", f"{int(h2):02d}:{m2}"])
    return periods


def format_periods(periods) -> str:
    """The inverse of :func:`parse_periods`."""
    return ", ".join(f"{start}-{end}" for start, end in periods or [])


class BranchForm(forms.Form):
    """A branch: code (new branches only), name, contact and opening hours per weekday."""

    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("Capital letters, digits, dashes or underscores; other systems use it (e.g. MAIN)."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        else:
            del self.fields["is_active"]
        for day in Weekday:
            self.fields[f"hours_{day.value}"] = forms.CharField(
                label=day.label,
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"placeholder": _("closed")}),
            )

    @property
    def hour_fields(self):
        return [self[f"hours_{day.value}"] for day in Weekday]

    @property
    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith("hours_")]

    @staticmethod
    def initial_for(branch) -> dict:
        data = {
            "name": branch.name,
            "address": branch.address,
            "phone": branch.phone,
            "email": branch.email,
            "is_active": branch.is_active,
        }
        for day in Weekday:
            data[f"hours_{day.value}"] = format_periods(branch.opening_hours.get(str(day.value)))
        return data

    def clean(self):
        cleaned = super().clean()
        for day in Weekday:
            name = f"hours_{day.value}"
            if name in cleaned:
                try:
                    cleaned[name] = parse_periods(cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def opening_hours(self) -> dict:
        """The weekday hours in the form ``core.actions.clean_opening_hours`` expects."""
        return {
            str(day.value): self.cleaned_data[f"hours_{day.value}"]
            for day in Weekday
            if self.cleaned_data.get(f"hours_{day.value}")
        }

    def action_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("hours_")}
        data["opening_hours"] = self.opening_hours()
        return data


class LocationForm(forms.Form):
    """A shelving location inside a branch."""

    code = forms.CharField(label=_("Code"), max_length=32, help_text=_("e.g. STACKS, REF, CHILD"))
    name = forms.CharField(label=_("Name"), max_length=200)
    is_public = forms.BooleanField(label=_("Open to the public"), required=False, initial=True)
    sort_order = CountField(label=_("Sort order"), min_value=0, initial=0, required=False)

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class LibrarySettingsForm(forms.Form):
    """The library's name and cataloguing rules."""

    name = forms.CharField(label=_("Library name"), max_length=200)
    call_number_rule = forms.ChoiceField(label=_("Call number rule"), choices=CallNumberRule.choices)
    default_classification_scheme = forms.ChoiceField(
        label=_("Default classification scheme"), choices=ClassificationScheme.choices
    )
    barcode_prefix = forms.CharField(label=_("Barcode prefix"), max_length=8, required=False)


class AuditFilterForm(forms.Form):
    """Filters of the global history list."""

    verb = forms.CharField(
        label=_("Action starts with"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": "holdings.item"}),
    )
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def staff_users():
    """Users who hold a staff role (leaders, assignees)."""
    return (
        User.objects.filter(Q(groups__isnull=False) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


class StaffChoiceField(forms.ModelChoiceField):
    """Choose a member of staff, shown by full name (else user name)."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username
