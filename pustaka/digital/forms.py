"""The forms of the digital-library staff pages: resources, uploads, collections, seats, KBART,
licences, usage, preservation."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from pustaka.core.forms import CountField
from pustaka.patrons.models import PatronCategory

from . import queries_usage
from .actions.seats import DEFAULT_LOAN_DAYS
from .choices import CheckOutcome, FileRole, ResourceKind
from .models import Collection, Licence

DATE = forms.DateInput(attrs={"type": "date"})


class ResourceForm(forms.Form):
    """A resource's kind, link, coverage (e-journals), version and platform (software), collections."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    remote_url = forms.URLField(
        label=_("Remote link"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=_("For e-journals and databases: the provider's page of the title."),
    )
    coverage_start = forms.DateField(label=_("Coverage from"), required=False, widget=DATE)
    coverage_end = forms.DateField(label=_("Coverage until"), required=False, widget=DATE)
    coverage_note = forms.CharField(label=_("Coverage note"), max_length=300, required=False)
    embargo = forms.CharField(
        label=_("Embargo"),
        max_length=40,
        required=False,
        help_text=_(
            "A moving wall as in KBART: P1Y = everything but the current year, P6M = everything but the last "
            "6 months, R1Y = only the current year, R10Y;P30D = the last 10 years but the last 30 days."
        ),
    )
    version = forms.CharField(label=_("Version"), max_length=50, required=False)
    platform = forms.CharField(
        label=_("Platform"), max_length=100, required=False, help_text=_("e.g. Windows 10+, Linux")
    )
    collections = forms.ModelMultipleChoiceField(
        label=_("Collections"), queryset=Collection.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    licence = forms.ModelChoiceField(
        label=_("Licence"),
        queryset=Licence.objects.none(),
        required=False,
        empty_label=_("(no licence: only the digital library's managers may use it)"),
        help_text=_("The terms under which patrons may read, download or borrow this resource."),
        error_messages={"invalid_choice": _("There is no such licence; choose one from the list.")},
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collections"].queryset = Collection.objects.order_by("name")
        self.fields["licence"].queryset = Licence.objects.order_by("name", "id")

    @staticmethod
    def initial_for(resource) -> dict:
        data = {
            name: getattr(resource, name) for name in ResourceForm.base_fields if name not in {"collections", "licence"}
        }
        data["collections"] = list(resource.collections.all())
        data["licence"] = resource.licence_id
        return data


class UploadForm(forms.Form):
    """One file to ingest; its kind decides which types are accepted (programs only for software)."""

    file = forms.FileField(label=_("File"))
    kind = forms.ChoiceField(
        label=_("Kind of resource"),
        choices=[("", _("From the file's format")), *ResourceKind.choices],
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = int(settings.PUSTAKA_MAX_FILE_MB) * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than the limit of %(limit)s MB.") % {"limit": settings.PUSTAKA_MAX_FILE_MB}
            )
        return upload


class AttachForm(forms.Form):
    """A file uploaded straight onto an existing resource."""

    file = forms.FileField(label=_("File"))
    role = forms.ChoiceField(label=_("Role"), choices=FileRole.choices, initial=FileRole.CONTENT)


class CollectionForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=50, help_text=_("Lower-case letters, digits and hyphens, e.g. jurnal-teknik.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_public = forms.BooleanField(label=_("Shown to the public"), required=False, initial=True)


class SeatsForm(forms.Form):
    keys = forms.CharField(
        label=_("Licence keys"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}),
        help_text=_("One key per line; each key is one seat."),
    )
    count = CountField(label=_("Seats without a key"), min_value=0, max_value=1000, required=False, initial=0)


class KbartForm(forms.Form):
    file = forms.FileField(label=_("KBART file"), help_text=_("Tab-separated KBART phase II file (.txt or .tsv)."))
    collection = forms.ModelChoiceField(
        label=_("Collection"), queryset=Collection.objects.none(), required=False, empty_label=_("(none)")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = Collection.objects.order_by("name")


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *ResourceKind.choices], required=False)
    collection = forms.ChoiceField(label=_("Collection"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].choices = [("", _("All collections"))] + list(
            Collection.objects.order_by("name").values_list("code", "name")
        )


class MonthField(forms.CharField):
    """A month ``YYYY-MM`` between the years usage can cover; anything else is a bad month."""

    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM between 1900 and 2999.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = queries_usage.parse_month(value)
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class PeriodForm(forms.Form):
    """The months to count (``YYYY-MM``)."""

    first = MonthField(label=_("From month"), required=False)
    last = MonthField(label=_("To month"), required=False)


class LicenceForm(forms.Form):
    """The terms of a licence."""

    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autofocus": True}))
    vendor = forms.CharField(label=_("Vendor"), max_length=200, required=False)
    terms = forms.CharField(label=_("Terms"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    is_open_access = forms.BooleanField(label=_("Open access (anyone, no login needed)"), required=False)
    patron_categories = forms.ModelMultipleChoiceField(
        label=_("Patron categories (none chosen: every patron)"),
        queryset=PatronCategory.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ip_ranges = forms.CharField(
        label=_("On-site IP ranges (CIDR, one per line; empty: anywhere)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "10.0.0.0/8\n192.168.0.0/16"}),
    )
    concurrent_users = CountField(
        label=_("Concurrent users (empty: no limit)"), required=False, min_value=1, max_value=1_000_000
    )
    download_allowed = forms.BooleanField(
        label=_("Download allowed (else read online only)"),
        required=False,
        help_text=_(
            "Read online only: a PDF is shown page by page as images and an EPUB chapter by chapter, never "
            "as the file itself; audio, video and pictures play in the browser, which can keep a copy of them."
        ),
    )
    embargo_months = CountField(
        label=_("Embargo (months, e-journals)"),
        min_value=0,
        max_value=1200,
        initial=0,
        help_text=_(
            "The most recent months the licence holds back (a moving wall, as KBART's P6M); older issues stay "
            "available."
        ),
    )
    seats = CountField(label=_("Software seats"), required=False, min_value=0, max_value=1_000_000)


class RestoreForm(forms.Form):
    """An identical copy of a damaged or missing file."""

    upload = forms.FileField(
        label=gettext_lazy("Identical copy of the file"),
        help_text=gettext_lazy("The original file as it was ingested; its SHA-256 must match."),
    )


class CheckFilterForm(forms.Form):
    """Which fixity checks to list."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        required=False,
        choices=[("", gettext_lazy("Any"))]
        + [(value, label) for value, label in CheckOutcome.choices if value in {"ok", "changed", "missing", "error"}],
    )


class LendForm(forms.Form):
    """Who borrows which software, for how long."""

    card_number = forms.CharField(
        label=_("Card number"), max_length=32, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"})
    )
    resource = forms.ModelChoiceField(label=_("Software"), queryset=queries_usage.software_resources())
    days = CountField(label=_("Days"), min_value=1, max_value=365, initial=DEFAULT_LOAN_DAYS)
