"""Reads of the catalogue that staff pages and the API share.

The staff record list and the API's record list search through ``pustaka.search.search()``, as the
public catalogue does (every word must match), over every record, suppressed ones included.
"""

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from pustaka.search import Hits, SearchQuery

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


#: The staff lists' orderings (API ``ordering``) and the search's sort orders they are.
ORDERINGS = {
    "title": "title",
    "-title": "-title",
    "year": "year",
    "-year": "-year",
    "call_number": "callno",
    "-call_number": "-callno",
    "created_at": "oldest",
    "-created_at": "newest",
    "updated_at": "updated",
    "-updated_at": "-updated",
}


def find_records(
    *,
    q: str = "",
    material_type: str = "",
    language: str = "",
    year_from: int | None = None,
    year_to: int | None = None,
    ordering: str = "title",
) -> Hits:
    """Every record (suppressed ones too) matching every word of ``q``, through ``pustaka.search.search()``.

    The same search as the public catalogue (title, contributors, subjects, ISBN, control number; a
    call number typed in the box), narrowed by material type, language and years, in ``ordering``
    (a key of :data:`ORDERINGS`). The result pages like a queryset: each page is one search and one
    query for its records, with their item counts.
    """
    filters = {
        "material_type": [material_type] if material_type else [],
        "language": [language.lower()] if language else [],
    }
    query = SearchQuery(
        text=(q or "").strip(),
        filters={name: values for name, values in filters.items() if values},
        year_from=year_from,
        year_to=year_to,
        sort=ORDERINGS[ordering],
        public_only=False,
    )
    records = Record.objects.annotate(item_count=Count("items")).defer("marc", "summary", "notes")
    return Hits(query, records)


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
