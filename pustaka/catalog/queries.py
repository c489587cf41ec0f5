"""Reads of the catalogue that staff pages and the API share.

The staff record list searches the database directly (title, contributors, ISBN, control number,
call number; every word must match). The public catalogue uses the search index instead.
"""

import json
import re

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .identifiers import try_isbn
from .models import Record

# Names of the MARC language codes most libraries here use; other codes are shown as they are.
LANGUAGE_NAMES = {
    "ind": _("Indonesian"),
    "eng": _("English"),
    "jav": _("Javanese"),
    "sun": _("Sundanese"),
    "may": _("Malay"),
    "msa": _("Malay"),
    "ara": _("Arabic"),
    "chi": _("Chinese"),
    "zho": _("Chinese"),
    "jpn": _("Japanese"),
    "dut": _("Dutch"),
    "nld": _("Dutch"),
    "fre": _("French"),
    "fra": _("French"),
    "ger": _("German"),
    "deu": _("German"),
}


def language_name(code: str) -> str:
    """``ind`` → Indonesian (in the page's language); unknown codes unchanged."""
    return str(LANGUAGE_NAMES.get(code, code))


def _word_condition(word: str) -> Q:
    condition = (
        Q(title__icontains=word)
        | Q(subtitle__icontains=word)
        | Q(responsibility__icontains=word)
        | Q(contributors__icontains=word)
        | Q(call_number__icontains=word)
        | Q(control_number__iexact=word)
        | Q(isbn__icontains=word)
        | Q(issn__icontains=word)
    )
    escaped = json.dumps(word)[1:-1]  # how the JSON text of the database spells non-ASCII letters
    if escaped != word:
        condition |= Q(contributors__icontains=escaped)
    compact = re.sub(r"[\s-]", "", word)
    if compact != word and compact:
        condition |= Q(isbn__icontains=compact) | Q(control_number__iexact=compact)
    isbn13 = try_isbn(compact) if re.fullmatch(r"[0-9Xx]{10,13}", compact) else None
    if isbn13:
        condition |= Q(isbn=isbn13) | Q(isbns__icontains=isbn13)
    return condition


def search_records(*, q: str = "", material_type: str = "", language: str = "") -> QuerySet:
    """Records whose title, contributors, ISBN, control number or call number contain every word of ``q``."""
    records = Record.objects.annotate(item_count=Count("items")).order_by("title", "id")
    for word in (q or "").split():
        records = records.filter(_word_condition(word))
    if material_type:
        records = records.filter(material_type=material_type)
    if language:
        records = records.filter(language=language.lower())
    return records.defer("marc", "summary", "notes")


def languages_in_use() -> list[tuple[str, str]]:
    """The languages of the catalogue as (code, name), for the language filter."""
    codes = Record.objects.exclude(language="").values_list("language", flat=True).distinct().order_by("language")
    return [(code, language_name(code)) for code in codes]


def record_items(record: Record) -> QuerySet:
    """The items of a record, branch by branch, with what their rows show."""
    return record.items.select_related("branch", "location", "item_type").order_by(
        "branch__code", "copy_number", "barcode"
    )


def recent_records(limit: int = 10) -> QuerySet:
    """The latest catalogued or imported records."""
    return Record.objects.defer("marc", "summary", "notes").order_by("-created_at", "-id")[:limit]
