"""The filter form every report page and API call reads: only the fields the report uses."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.forms import CountField
from pustaka.core.models import Branch
from pustaka.holdings.models import ItemType
from pustaka.patrons.models import PatronCategory

from .periods import GRAIN_CHOICES, Period
from .queries import Filters

MAX_DAYS = 366  # a report by day covers at most a year
FIRST_YEAR, LAST_YEAR = 1900, 2999


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportForm(forms.Form):
    """Period (from, to, grouping), branch, patron category, item type, "by" and a row limit; a report
    keeps only the fields its spec names. Unset fields take the defaults (this year, by month)."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    grain = forms.ChoiceField(label=_("Group by"), choices=GRAIN_CHOICES, required=False)
    branch = forms.ModelChoiceField(
        Branch.objects.all(), label=_("Branch"), required=False, to_field_name="code", empty_label=_("All branches")
    )
    category = forms.ModelChoiceField(
        PatronCategory.objects.all(), label=_("Patron category"), required=False, to_field_name="code",
        empty_label=_("All categories"),
    )  # fmt: skip
    item_type = forms.ModelChoiceField(
        ItemType.objects.all(), label=_("Item type"), required=False, to_field_name="code",
        empty_label=_("All item types"),
    )  # fmt: skip
    by = forms.ChoiceField(label=_("Break down by"), required=False)
    limit = CountField(label=_("Rows"), required=False, min_value=1, max_value=1000)

    FIELDS_OF = {"period": ("start", "end"), "grain": ("grain",)}

    def __init__(self, spec, data=None, *, today: datetime.date | None = None):
        super().__init__(data)
        self.spec = spec
        self.today = today or timezone.localdate()
        keep = set()
        for name in spec.filters:
            keep.update(self.FIELDS_OF.get(name, (name,)))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "by" in self.fields:
            self.fields["by"].choices = spec.dimension_choices()
        if "year" in self.fields:
            self.fields["year"].widget.attrs.update({"inputmode": "numeric", "size": 6})

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        elif data.get("grain") == "day" and start and end and (end - start).days >= MAX_DAYS:
            self.add_error("grain", _("A report by day covers at most a year: choose month or year."))
        return data

    def filters(self, *, full: bool = False) -> Filters:
        """The valid form as report filters (call after ``is_valid()``; an unbound form gives the defaults)."""
        data = self.cleaned_data if self.is_bound else {}
        if "year" in self.spec.filters:
            number = data.get("year") or self.today.year
            end = datetime.date(number, 12, 31)
            period = Period(datetime.date(number, 1, 1), min(end, self.today) if number == self.today.year else end)
        else:
            start = data.get("start") or self.today.replace(month=1, day=1)
            end = data.get("end") or max(self.today, start)
            grain = data.get("grain") or "month"
            if grain == "day" and (end - start).days >= MAX_DAYS:
                grain = "month"
            period = Period(start, end, grain)
        dims = [key for key, _label in self.spec.dimensions]
        return Filters(
            period=period,
            branch=data.get("branch"),
            category=data.get("category"),
            item_type=data.get("item_type"),
            by=data.get("by") or (dims[0] if dims else ""),
            limit=data.get("limit") or 50,
            full=full,
        )

    def describe(self, filters: Filters) -> str:
        """The filters in words, for the printed page and the spreadsheet's heading."""
        from django.utils.formats import date_format

        parts = []
        if "period" in self.spec.filters or "year" in self.spec.filters:
            p = filters.period
            parts.append(f"{date_format(p.start, 'j N Y')} – {date_format(p.end, 'j N Y')}")
        for name in ("branch", "category", "item_type"):
            value = getattr(filters, name)
            if value is not None and name in self.fields:
                parts.append(f"{self.fields[name].label}: {value}")
        if "by" in self.fields and filters.by:
            parts.append(f"{self.fields['by'].label}: {dict(self.spec.dimensions).get(filters.by, filters.by)}")
        return " · ".join(str(p) for p in parts)
