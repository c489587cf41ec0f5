"""Forms of the cataloguing pages: the record form, the record search and the MARC upload."""

import re

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pustaka.core.numbers import format_filesize

from .choices import ClassificationScheme, ContributorRole, MaterialType, ThesisKind
from .models import Record

TEXTAREA = {"rows": 4}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def contributor_roles() -> dict[str, str]:
    """Every way a cataloguer may write a role (value, English or Indonesian label) → the value."""
    lookup = {}
    for value, label in ContributorRole.choices:
        lookup[value] = value
        lookup[str(label).lower()] = value
        for language in ("en", "id"):
            with translation.override(language):
                lookup[str(label).lower()] = value
    return lookup


def parse_contributors(text: str) -> list[dict]:
    """Lines ``Name | role`` (or ``Name | role | dates``) → contributor dicts; a missing role is author."""
    roles = contributor_roles()
    contributors = []
    for number, line in enumerate(_lines(text), start=1):
        parts = [p.strip() for p in line.split("|")]
        name = parts[0]
        role_text = parts[1] if len(parts) > 1 and parts[1] else ContributorRole.AUTHOR.value
        if not name:
            raise forms.ValidationError(_("Line %(line)s has no name."), params={"line": number})
        role = roles.get(role_text.lower())
        if role is None:
            raise forms.ValidationError(
                _("Line %(line)s: “%(role)s” is not a known role. Known roles: %(roles)s."),
                params={
                    "line": number,
                    "role": role_text,
                    "roles": ", ".join(str(label).lower() for label in ContributorRole.labels),
                },
            )
        entry = {"name": name, "role": role}
        if len(parts) > 2 and parts[2]:
            entry["dates"] = parts[2]
        contributors.append(entry)
    return contributors


def format_contributors(contributors) -> str:
    """The inverse of :func:`parse_contributors`, with role labels in the page's language."""
    lines = []
    for entry in contributors or []:
        role = entry.get("role") or ContributorRole.AUTHOR.value
        label = str(ContributorRole(role).label).lower() if role in ContributorRole.values else role
        parts = [entry.get("name", ""), label]
        if entry.get("dates"):
            parts.append(entry["dates"])
        lines.append(" | ".join(parts))
    return "\n".join(lines)


class RecordForm(forms.Form):
    """A bibliographic record; lists (contributors, subjects, ISBNs) are written one per line."""

    material_type = forms.ChoiceField(label=_("Material type"), choices=MaterialType.choices)
    title = forms.CharField(label=_("Title"), max_length=1000, widget=forms.TextInput(attrs={"autofocus": True}))
    subtitle = forms.CharField(label=_("Subtitle"), max_length=1000, required=False)
    responsibility = forms.CharField(
        label=_("Statement of responsibility"),
        max_length=1000,
        required=False,
        help_text=_("As on the title page, e.g. “Budi Sutanto; editor, Sri Wahyuni”."),
    )
    contributors = forms.CharField(
        label=_("Contributors"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("One per line: Name | role (author, editor, translator…). The first line is the main entry."),
    )
    publisher = forms.CharField(label=_("Publisher"), max_length=500, required=False)
    place = forms.CharField(label=_("Place of publication"), max_length=300, required=False)
    year = forms.CharField(
        label=_("Year"), max_length=4, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    edition = forms.CharField(label=_("Edition"), max_length=200, required=False)
    extent = forms.CharField(
        label=_("Physical description"),
        max_length=500,
        required=False,
        help_text=_("e.g. xii, 240 pages : illustrations ; 23 cm"),
    )
    isbns = forms.CharField(
        label=_("ISBN"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "inputmode": "numeric"}),
        help_text=_("One per line; ISBN-10 or ISBN-13, with or without dashes."),
    )
    issn = forms.CharField(label=_("ISSN"), max_length=9, required=False)
    language = forms.CharField(
        label=_("Language"),
        max_length=3,
        required=False,
        help_text=_("Three-letter MARC code, e.g. ind, eng."),
    )
    subjects = forms.CharField(
        label=_("Subjects"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("One heading per line, e.g. Python (Bahasa pemrograman) -- Buku ajar"),
    )
    series = forms.CharField(label=_("Series"), max_length=500, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    classification_scheme = forms.ChoiceField(label=_("Classification scheme"), choices=ClassificationScheme.choices)
    class_number = forms.CharField(label=_("Class number"), max_length=100, required=False)
    call_number = forms.CharField(
        label=_("Call number"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to take the suggestion of the library's rule."),
    )
    is_suppressed = forms.BooleanField(label=_("Hide from the public catalogue"), required=False)
    thesis_kind = forms.ChoiceField(
        label=_("Kind of thesis"), required=False, choices=[("", _("Not a thesis")), *ThesisKind.choices]
    )
    degree = forms.CharField(
        label=_("Degree"), max_length=200, required=False, help_text=_("e.g. Sarjana Komputer (S.Kom.)")
    )
    degree_institution = forms.CharField(
        label=_("Degree-granting institution"),
        max_length=300,
        required=False,
        help_text=_("The university and faculty or study programme, e.g. Universitas Gadjah Mada. Fakultas Teknik"),
    )
    degree_year = forms.CharField(
        label=_("Year the degree was granted"),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    supervisors = forms.CharField(
        label=_("Supervisors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, e.g. Wibowo, Agus. Exported as thesis advisors (MARC 700 $4 ths)."),
    )

    # Typed errors of the actions name model fields; the form shows them on its own fields.
    ERROR_FIELDS = {"isbn": "isbns"}
    #: Form fields that are parts of a record field: the supervisors are contributors (thesis advisors).
    PART_OF = {"supervisors": "contributors"}

    @staticmethod
    def initial_for(record: Record) -> dict:
        """The form's values for an existing record."""
        data = {name: getattr(record, name) for name in RecordForm.base_fields if hasattr(record, name)}
        advisor = ContributorRole.THESIS_ADVISOR
        data["contributors"] = format_contributors([c for c in record.contributors or [] if c.get("role") != advisor])
        data["supervisors"] = "\n".join(record.supervisors)
        data["degree_year"] = record.degree_year or ""
        data["subjects"] = "\n".join(record.subjects or [])
        data["isbns"] = "\n".join(record.isbns or ([record.isbn] if record.isbn else []))
        data["year"] = record.year or ""
        return data

    def clean_contributors(self):
        return parse_contributors(self.cleaned_data.get("contributors", ""))

    def clean_degree_year(self):
        value = (self.cleaned_data.get("degree_year") or "").strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("The year the degree was granted must be a number."))
        return value

    def clean(self):
        cleaned = super().clean()
        if "contributors" in cleaned and "supervisors" in cleaned:
            advisor = ContributorRole.THESIS_ADVISOR.value
            advisors = [{"name": name, "role": advisor} for name in _lines(cleaned.pop("supervisors"))]
            cleaned["contributors"] = [
                c for c in cleaned["contributors"] if c["role"] != ContributorRole.THESIS_ADVISOR
            ] + advisors
        return cleaned

    def record_data(self, *, changed_only: bool) -> dict:
        """The record fields to save: every one, or only those whose form fields the cataloguer changed."""
        data = dict(self.cleaned_data)
        data.pop("supervisors", None)
        if not changed_only:
            return data
        names = {self.PART_OF.get(name, name) for name in self.changed_data}
        return {name: data[name] for name in names if name in data}

    def clean_subjects(self):
        return _lines(self.cleaned_data.get("subjects", ""))

    def clean_isbns(self):
        return _lines(self.cleaned_data.get("isbns", ""))

    def clean_year(self):
        value = (self.cleaned_data.get("year") or "").strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("The year must be a number."))
        return value

    @property
    def descriptive_fields(self):
        return [self[name] for name in ("material_type", "title", "subtitle", "responsibility", "contributors")]

    @property
    def publication_fields(self):
        return [self[name] for name in ("publisher", "place", "year", "edition", "extent", "series")]

    @property
    def identifier_fields(self):
        return [self[name] for name in ("isbns", "issn", "language")]

    @property
    def thesis_fields(self):
        return [self[name] for name in ("thesis_kind", "degree", "degree_institution", "degree_year", "supervisors")]

    @property
    def content_fields(self):
        return [self[name] for name in ("subjects", "summary", "notes")]


def main_entry_from_text(contributors_text: str) -> str:
    """The name on the first contributor line (for the call-number helper)."""
    for line in _lines(contributors_text):
        return line.split("|", 1)[0].strip()
    return ""


class RecordSearchForm(forms.Form):
    """The staff record list's search box and filters."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Title, author, ISBN, call number…"), "autofocus": True}
        ),
    )
    material_type = forms.ChoiceField(
        label=_("Material type"), required=False, choices=[("", _("All types")), *MaterialType.choices]
    )
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("All languages"))])

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("All languages")), *languages]


# MARC upload --------------------------------------------------------------------------------------

MARC_FORMATS = [("auto", _("Recognise automatically")), ("iso2709", _("MARC 21 (ISO 2709)")), ("marcxml", "MARCXML")]
ISO2709_RE = re.compile(rb"^\d{5}")
MARCXML_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:record|collection)[\s>/]")


def sniff_marc(head: bytes) -> str:
    """``iso2709`` or ``marcxml`` from the first bytes of a file, or "" when it does not look like MARC."""
    head = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if ISO2709_RE.match(head):
        return "iso2709"
    if MARCXML_RE.search(head[:4096]):
        return "marcxml"
    return ""


class MarcUploadForm(forms.Form):
    """A MARC file from the browser (copy cataloguing); checked by size and by content, not by name."""

    file = forms.FileField(label=_("MARC file"), help_text=_("MARC 21 records in ISO 2709 (.mrc) or MARCXML."))
    format = forms.ChoiceField(label=_("Format"), choices=MARC_FORMATS, initial="auto", required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        limit = settings.PUSTAKA_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            self.add_error(
                "file",
                _("The file is %(size)s; files up to %(limit)s can be uploaded.")
                % {"size": format_filesize(upload.size, exact=False), "limit": format_filesize(limit, exact=False)},
            )
            return cleaned
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        found = sniff_marc(head)
        wanted = cleaned.get("format") or "auto"
        if not found:
            self.add_error(
                "file",
                _(
                    "This file does not look like MARC: an ISO 2709 file starts with five digits"
                    " and a MARCXML file has <record> or <collection> near its start."
                ),
            )
        elif wanted != "auto" and wanted != found:
            self.add_error(
                "format",
                _("You chose %(wanted)s but the file looks like %(found)s.")
                % {"wanted": dict(MARC_FORMATS)[wanted], "found": dict(MARC_FORMATS)[found]},
            )
        else:
            cleaned["detected_format"] = found
        return cleaned
