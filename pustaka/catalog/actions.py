"""Every write to bibliographic records goes through these functions."""

import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import ValidationFailed
from pustaka.core.models import Library
from pustaka.core.registry import action
from pustaka.search import changes

from . import callnumbers
from .choices import ClassificationScheme, ContributorRole, MaterialType, RecordSource, ThesisKind
from .errors import RecordHasItems
from .identifiers import normalise_isbn, normalise_issn
from .models import DeletedRecord, Record

RECORD_FIELDS = [
    "material_type",
    "title",
    "subtitle",
    "responsibility",
    "contributors",
    "publisher",
    "place",
    "year",
    "edition",
    "extent",
    "isbns",
    "issn",
    "language",
    "subjects",
    "series",
    "summary",
    "notes",
    "classification_scheme",
    "class_number",
    "call_number",
    "is_suppressed",
    "thesis_kind",
    "degree",
    "degree_institution",
    "degree_year",
    "cover_link",
]
LANGUAGE_RE = re.compile(r"^[a-z]{3}$")
CORPORATE_ROLES = {ContributorRole.CORPORATE, ContributorRole.MEETING}


def clean_record_data(data: dict) -> dict:
    """Validate and normalise record fields; raise ValidationFailed naming the first bad field."""
    cleaned = {}
    unknown = set(data) - set(RECORD_FIELDS) - {"isbn"}
    if unknown:
        raise ValidationFailed(_("Unknown field: %(name)s."), field=sorted(unknown)[0], name=sorted(unknown)[0])
    for key, value in data.items():
        cleaned[key] = value.strip() if isinstance(value, str) else value
    if "title" in cleaned and not cleaned["title"]:
        raise ValidationFailed(_("A record needs a title."), field="title")
    if "material_type" in cleaned and cleaned["material_type"] not in MaterialType.values:
        raise ValidationFailed(_("Unknown material type."), field="material_type")
    if "classification_scheme" in cleaned and cleaned["classification_scheme"] not in ClassificationScheme.values:
        raise ValidationFailed(_("Unknown classification scheme."), field="classification_scheme")
    if "isbn" in cleaned:  # a single ISBN from a form: becomes the first of the list
        single = cleaned.pop("isbn")
        listed = list(cleaned.get("isbns") or [])
        cleaned["isbns"] = ([single] if single else []) + listed
    if "isbns" in cleaned:
        isbns = []
        for raw in cleaned["isbns"] or []:
            if raw and str(raw).strip():
                value = normalise_isbn(str(raw))
                if value not in isbns:
                    isbns.append(value)
        cleaned["isbns"] = isbns
        cleaned["isbn"] = isbns[0] if isbns else ""
    if cleaned.get("issn"):
        cleaned["issn"] = normalise_issn(cleaned["issn"])
    if cleaned.get("cover_link") and (
        not str(cleaned["cover_link"]).startswith(("https://", "http://")) or len(cleaned["cover_link"]) > 500
    ):
        raise ValidationFailed(_("The cover link is a web address (http:// or https://)."), field="cover_link")
    if cleaned.get("language"):
        cleaned["language"] = cleaned["language"].lower()
        if not LANGUAGE_RE.match(cleaned["language"]):
            raise ValidationFailed(
                _("Give the language as a three-letter MARC code such as ind or eng."), field="language"
            )
    if "year" in cleaned and cleaned["year"] in ("", None):
        cleaned["year"] = None
    elif "year" in cleaned:
        try:
            cleaned["year"] = int(cleaned["year"])
        except (TypeError, ValueError):
            raise ValidationFailed(_("The year must be a number."), field="year") from None
        if not 0 < cleaned["year"] < 3000:
            raise ValidationFailed(_("The year must be between 1 and 2999."), field="year")
    if cleaned.get("thesis_kind") is None and "thesis_kind" in cleaned:
        cleaned["thesis_kind"] = ""
    if cleaned.get("thesis_kind") and cleaned["thesis_kind"] not in ThesisKind.values:
        raise ValidationFailed(_("Unknown kind of thesis."), field="thesis_kind")
    for name in ("degree", "degree_institution"):
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    if "degree_year" in cleaned and cleaned["degree_year"] in ("", None):
        cleaned["degree_year"] = None
    elif "degree_year" in cleaned:
        try:
            cleaned["degree_year"] = int(cleaned["degree_year"])
        except (TypeError, ValueError):
            raise ValidationFailed(
                _("The year the degree was granted must be a number."), field="degree_year"
            ) from None
        if not 0 < cleaned["degree_year"] < 3000:
            raise ValidationFailed(
                _("The year the degree was granted must be between 1 and 2999."), field="degree_year"
            )
    if "contributors" in cleaned:
        cleaned["contributors"] = _clean_contributors(cleaned["contributors"])
    if "subjects" in cleaned:
        cleaned["subjects"] = [str(s).strip() for s in cleaned["subjects"] or [] if str(s).strip()]
    return cleaned


def _clean_contributors(value) -> list[dict]:
    result = []
    for entry in value or []:
        if isinstance(entry, str):
            entry = {"name": entry, "role": ContributorRole.AUTHOR}
        if not isinstance(entry, dict):
            raise ValidationFailed(_("Each contributor needs a name and a role."), field="contributors")
        name = str(entry.get("name", "")).strip()
        role = str(entry.get("role") or ContributorRole.AUTHOR).strip()
        if not name:
            continue
        if role not in ContributorRole.values:
            raise ValidationFailed(_("Unknown contributor role: %(role)s."), field="contributors", role=role)
        clean = {"name": name, "role": role}
        if entry.get("dates"):
            clean["dates"] = str(entry["dates"]).strip()
        result.append(clean)
    return result


def suggest_call_number(*, class_number: str, main_entry: str, title: str, corporate: bool = False) -> str:
    """The call number the library's rule gives for these parts (the librarian may change it)."""
    return callnumbers.suggest(
        class_number=class_number,
        main_entry=main_entry,
        title=title,
        rule=Library.current().call_number_rule,
        corporate=corporate,
    )


@action("catalog.record.create", permission="catalog.catalogue", label=_("Record catalogued"))
def create_record(*, actor, marc: bytes | None = None, **data) -> Record:
    """Catalogue a new title. The call number is suggested by the library's rule when left empty.

    ``marc`` (UTF-8 ISO 2709, e.g. a record copied from another catalogue) is kept as the record's
    original MARC, so exports carry every field it has; its 001 and 003 become the control number."""
    cleaned = clean_record_data(data)
    if not cleaned.get("title"):
        raise ValidationFailed(_("A record needs a title."), field="title")
    record = Record(source=RecordSource.MARC if marc else RecordSource.MANUAL, **cleaned)
    if marc:
        from .marc.text import clean_text, fit
        from .marc.writing import parse_stored

        original = parse_stored(marc)
        record.marc, record.marc_edited = bytes(marc), False
        for tag, column, size in (("001", "control_number", 64), ("003", "control_number_source", 32)):
            found = original.get_fields(tag)
            setattr(record, column, fit(clean_text(found[0].data), size) if found and found[0].data else "")
    if not record.call_number and record.class_number:
        record.call_number = suggest_call_number(
            class_number=record.class_number,
            main_entry=record.main_contributor,
            title=record.title,
            corporate=bool(record.contributors) and record.contributors[0]["role"] in CORPORATE_ROLES,
        )
    record.save()
    audit(actor, "catalog.record.create", record, after=snapshot(record))
    changes.record_changed(record.pk)
    return record


@action("catalog.record.update", permission="catalog.catalogue", label=_("Record edited"))
def update_record(*, record: Record, actor, **data) -> Record:
    """Change a record's fields; a record that came with MARC is marked so export rewrites those fields."""
    cleaned = clean_record_data(data)
    record = Record.objects.select_for_update(of=("self",)).get(pk=record.pk)
    before = snapshot(record)
    for name, value in cleaned.items():
        setattr(record, name, value)
    old, new = diff(before, snapshot(record))
    if not new:
        return record
    if record.marc:
        record.marc_edited = True
    record.save()
    if "call_number" in new:
        _refresh_shelf_keys(record)
    audit(actor, "catalog.record.update", record, before=old, after=new)
    changes.record_changed(record.pk)
    return record


def _refresh_shelf_keys(record: Record) -> None:
    """Items that follow the record's call number take its new shelf position."""
    from pustaka.holdings.models import Item

    items = list(record.items.filter(call_number=""))
    for item in items:
        item.record = record
        item.shelf_key = callnumbers.shelf_key(item.effective_call_number)
    Item.objects.bulk_update(items, ["shelf_key"], batch_size=500)


@action("catalog.record.delete", permission="catalog.delete_record", label=_("Record deleted"))
def delete_record(*, record: Record, actor) -> None:
    """Delete a record that has no items left."""
    count = record.items.count()
    if count:
        raise RecordHasItems(title=record.title, count=count)
    audit(actor, "catalog.record.delete", record, before=snapshot(record))
    changes.record_changed(record.pk, deleted=True)
    DeletedRecord.objects.update_or_create(
        record_id=record.pk, defaults={"material_type": record.material_type, "deleted_at": timezone.now()}
    )
    record.delete()


from .importer import ImportResult, import_marc  # noqa: E402, F401  (MARC import lives in importer.py)
