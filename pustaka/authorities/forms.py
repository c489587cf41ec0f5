"""Forms of the authority pages: the search, an authority with its forms, linking a record, merging,
and importing a file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AuthorityKind, LinkField, Relation

RELATION_CODES = {"BT": Relation.BROADER, "NT": Relation.NARROWER, "RT": Relation.RELATED, "SA": Relation.RELATED}
CODE_OF = {Relation.BROADER: "BT", Relation.NARROWER: "NT", Relation.RELATED: "RT"}
MAX_UPLOAD = 20 * 1024 * 1024


class SearchForm(forms.Form):
    """Find authorities by their heading or a see-from form."""

    q = forms.CharField(label=_("Heading or variant"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Every kind")), *AuthorityKind.choices], required=False)


class AuthorityForm(forms.Form):
    """An authority record: heading, kind, details, one see-from form per line, one see-also term per line."""

    kind = forms.ChoiceField(label=_("Kind"), choices=AuthorityKind.choices)
    heading = forms.CharField(
        label=_("Authorised heading"),
        max_length=500,
        help_text=_(
            "Names inverted (Toer, Pramoedya Ananta); subdivisions of a subject after -- (Indonesia -- Sejarah)."
        ),
    )
    dates = forms.CharField(
        label=_("Dates"), max_length=100, required=False, help_text=_("A person's dates, e.g. 1925-2006.")
    )
    variants = forms.CharField(
        label=_("See from (used for)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Other forms of the heading, one per line: searching any of them finds the linked records."),
    )
    see_also = forms.CharField(
        label=_("See also"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One term per line, starting with BT (broader), NT (narrower) or RT (related), e.g. “BT Ilmu sosial”."
        ),
    )
    source = forms.CharField(label=_("Source"), max_length=60, required=False, help_text=_("E.g. DTSPN, LCSH, local."))
    control_number = forms.CharField(label=_("Control number (001)"), max_length=64, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["heading"].widget.attrs["autofocus"] = True

    def clean_variants(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["variants"].splitlines() if line.strip()]

    def clean_see_also(self) -> list[tuple[str, str]]:
        terms = []
        for line in self.cleaned_data["see_also"].splitlines():
            line = line.strip()
            if not line:
                continue
            code, _space, term = line.partition(" ")
            if code.upper() not in RELATION_CODES or not term.strip():
                raise forms.ValidationError(
                    _("“%(line)s”: start the line with BT, NT or RT and then the term.") % {"line": line[:100]}
                )
            terms.append((RELATION_CODES[code.upper()], term.strip()))
        return terms

    @staticmethod
    def initial_of(authority) -> dict:
        """The form's values for an existing authority."""
        return {
            "kind": authority.kind,
            "heading": authority.heading,
            "dates": authority.dates,
            "variants": "\n".join(v.heading for v in authority.variants.all()),
            "see_also": "\n".join(f"{CODE_OF[t.relation]} {t.heading}" for t in authority.see_also.all()),
            "source": authority.source,
            "control_number": authority.control_number,
            "notes": authority.notes,
        }


class LinkForm(forms.Form):
    """Link a record to the authority by hand: the record's number and, optionally, its heading."""

    record = forms.IntegerField(label=_("Record number"), min_value=1, max_value=2**62)
    heading = forms.CharField(
        label=_("Heading as the record writes it"),
        max_length=1000,
        required=False,
        help_text=_("Leave empty to take the record's heading that matches this authority."),
    )
    field = forms.ChoiceField(label=_("Record field"), choices=[("", _("Either")), *LinkField.choices], required=False)


class MergeForm(forms.Form):
    """Choose the authority to merge into this one."""

    other = forms.IntegerField(
        label=_("Authority number to merge into this one"),
        min_value=1,
        max_value=2**62,
        help_text=_("Its records are relinked here and its heading becomes a see-from form of this one."),
    )


class ImportForm(forms.Form):
    """A MARC 21 authority file, or a subject heading list (CSV/TSV or thesaurus text)."""

    FORMATS = [
        ("marc", _("MARC 21 authority records (ISO 2709 .mrc or MARCXML)")),
        ("subjects", _("Subject heading list (CSV/TSV or UF/BT/NT/RT text)")),
    ]
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, widget=forms.RadioSelect, initial="marc")
    file = forms.FileField(label=_("File"))
    source = forms.CharField(
        label=_("Source of a subject list"), max_length=60, required=False, initial="DTSPN", help_text=_("E.g. DTSPN.")
    )
    link = forms.BooleanField(
        label=_("Link the catalogue's records to the imported headings"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
