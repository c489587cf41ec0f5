"""Forms of the digital-resource staff pages (resources, uploads, collections, seats, KBART)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pustaka.core.forms import CountField

from .choices import FileRole, ResourceKind
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
