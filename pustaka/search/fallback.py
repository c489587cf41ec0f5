"""The one fallback of ``pustaka.search.search()``: the database answers while no index exists yet.

A fresh install has no index until the indexer's first pass (seconds after ``pustaka init``; a big
import may take minutes). Meanwhile every caller (the public catalogue, the staff record list, OPDS)
gets its answer from here, through the same ``search()`` and the same ``SearchQuery``, marked
``SearchResult.fallback`` so a page can say it is a simpler search.

Simpler than the engine, and slow on a big catalogue (it scans the records table): each word must
appear, letter case ignored, in the title, subtitle, statement of responsibility, contributors,
subjects, series, call number, ISBN, ISSN or control number; field prefixes (``title:``,
``isbn:``, ``callno:``, ``year:`` ...) narrow it, ``-word`` and OR work. No stemming, no typo
tolerance, no facet counts, no "did you mean". Relevance puts titles holding the whole query first.
"""

import json
import re
import time

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, TextField, Value, When, Window
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from pustaka.catalog.choices import ContributorRole

from .query import SORTS, BoolNode, Clause, Node, QuerySyntaxError, SearchQuery, SearchResult
from .textquery import parse, parse_year, words_of

#: Text every contributor list holds as JSON keys and role names: a word found only there (or inside
#: it: "aut") would match every record, so such words are not looked for in the contributors.
_JSON_NOISE = " ".join(["name", "role", "dates", *ContributorRole.values])
_PUNCTUATION = "\"'“”‘’()[]{},;:!?"
ORDER = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "year": ("year", "id"),
    "-year": ("-year", "id"),
    "callno": ("call_number", "id"),
    "-callno": ("-call_number", "-id"),
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
}


def words(text: str) -> list[str]:
    """The words of ``text`` with quotes and stray punctuation dropped (a lone dash is no word)."""
    found = [w.strip(_PUNCTUATION) for w in (text or "").split()]
    return [w for w in found if any(ch.isalnum() for ch in w)]


def _json_forms(word: str) -> set[str]:
    """``word`` and how JSON text spells it (SQLite keeps non-ASCII letters as ``\\u`` escapes)."""
    return {word, json.dumps(word)[1:-1]}


def _identifier(value: str) -> Q:
    """An ISBN (10 or 13, with or without hyphens), an ISSN or a control number."""
    from pustaka.catalog.identifiers import try_isbn

    compact = re.sub(r"[\s-]", "", value).upper()
    condition = Q(control_number__iexact=value) | Q(control_number__iexact=compact)
    if re.fullmatch(r"[0-9X]{4,13}", compact):
        condition |= Q(isbn__icontains=compact) | Q(isbns_text__icontains=compact)
        isbn13 = try_isbn(compact)
        if isbn13:
            condition |= Q(isbn=isbn13) | Q(isbns_text__icontains=isbn13)
    if re.fullmatch(r"\d{4}-?\d{3}[\dX]", compact):
        condition |= Q(issn=f"{compact[:4]}-{compact[-4:]}")
    return condition


def _in_field(field: str | None, text: str) -> Q:
    """Where ``text`` (a word, or a phrase kept together) may be found for a clause on ``field``."""
    if field == "title":
        return Q(title__icontains=text) | Q(subtitle__icontains=text)
    if field == "contributor":
        condition = Q(responsibility__icontains=text)
        for form in _json_forms(text):
            condition |= Q(contributors_text__icontains=form)
        return condition
    if field == "subject":
        return _any(Q(subjects_text__icontains=form) for form in _json_forms(text))
    if field == "series":
        return Q(series__icontains=text)
    if field == "publisher":
        return Q(publisher__icontains=text)
    if field in ("isbn", "issn", "identifier", "control_number"):
        return _identifier(text)
    condition = (
        Q(title__icontains=text)
        | Q(subtitle__icontains=text)
        | Q(responsibility__icontains=text)
        | Q(series__icontains=text)
        | Q(call_number__icontains=text)
        | _identifier(text)
    )
    for form in _json_forms(text):
        condition |= Q(subjects_text__icontains=form)
        if text.lower() not in _JSON_NOISE:
            condition |= Q(contributors_text__icontains=form)
    return condition


def _any(conditions) -> Q:
    result = Q(pk__in=[])
    for condition in conditions:
        result |= condition
    return result


def _clause(clause: Clause) -> Q:
    field = clause.field
    if field == "year":
        low, high = parse_year(clause.text)
        condition = Q()
        if low is not None:
            condition &= Q(year__gte=low)
        if high is not None:
            condition &= Q(year__lte=high)
        return condition
    if field == "callno":
        return Q(call_number__istartswith=clause.text.strip())
    if field == "language":
        return Q(language__in=[v.lower() for v in clause.text.split()])
    if field == "material_type":
        return Q(material_type__in=[v.lower() for v in clause.text.split()])
    if clause.mode in ("phrase", "exact"):
        phrase = " ".join(clause.text.split())
        return _in_field(field, phrase) if phrase else Q()
    conditions = [_in_field(field, word) for word in words(clause.text)]
    if not conditions:
        return Q()
    if clause.mode == "any":
        return _any(conditions)
    result = Q()
    for condition in conditions:
        result &= condition
    return result


def _node(node: Node) -> Q:
    if isinstance(node, Clause):
        return _clause(node)
    assert isinstance(node, BoolNode)
    left, right = _node(node.left), _node(node.right)
    if node.op == "or":
        return left | right
    if node.op == "not":
        return left & ~right
    return left & right


def _visible_to_the_public(records: QuerySet) -> QuerySet:
    """Not suppressed, and with no copies at all or at least one the public may see (as the index)."""
    from pustaka.holdings.choices import ItemStatus
    from pustaka.holdings.models import Item

    copies = Item.objects.filter(record=OuterRef("pk"))
    public = copies.exclude(status__in=ItemStatus.public_hidden())
    return records.filter(is_suppressed=False).filter(~Exists(copies) | Exists(public))


def _filters(records: QuerySet, query: SearchQuery) -> QuerySet:
    from pustaka.holdings.choices import ItemStatus
    from pustaka.holdings.models import Item

    for facet, values in (query.filters or {}).items():
        values = [v for v in values if v]
        if not values:
            continue
        if facet == "material_type":
            records = records.filter(material_type__in=values)
        elif facet == "language":
            records = records.filter(language__in=values)
        elif facet == "year":
            records = records.filter(_any(_clause(Clause(v, field="year")) for v in values))
        elif facet == "subject":
            records = records.filter(_any(Q(subjects_text__icontains=f) for v in values for f in _json_forms(v)))
        elif facet in ("branch", "availability"):
            copies = Item.objects.filter(record=OuterRef("pk")).exclude(status__in=ItemStatus.public_hidden())
            if facet == "branch":
                records = records.filter(Exists(copies.filter(branch__code__in=values)))
            else:
                available = Exists(copies.filter(status=ItemStatus.AVAILABLE))
                wanted = Q(pk__in=[])
                if "available" in values:
                    wanted |= available
                if "unavailable" in values:
                    wanted |= Exists(Item.objects.filter(record=OuterRef("pk"))) & ~available
                records = records.filter(wanted)
        else:
            raise QuerySyntaxError(_("There is no facet called %(facet)s.") % {"facet": facet})
    if query.year_from is not None:
        records = records.filter(year__gte=query.year_from)
    if query.year_to is not None:
        records = records.filter(year__lte=query.year_to)
    return records


def search(query: SearchQuery) -> SearchResult:
    """Answer ``query`` from the database: ids in order and the total (no facets, no suggestion)."""
    from pustaka.catalog.models import Record

    started = time.perf_counter()
    tree = query.tree if query.tree is not None else parse(query.text or "")
    records = Record.objects.annotate(
        contributors_text=Cast("contributors", TextField()),
        subjects_text=Cast("subjects", TextField()),
        isbns_text=Cast("isbns", TextField()),
    )
    if query.public_only:
        records = _visible_to_the_public(records)
    if tree is not None:
        records = records.filter(_node(tree))
    records = _filters(records, query)
    sort = query.sort
    if sort not in SORTS:
        raise QuerySyntaxError(_("Unknown sort order %(sort)s.") % {"sort": sort})
    if sort == "relevance" and tree is None:
        sort = "newest"
    if sort == "relevance":
        phrase = " ".join(w for c in words_of(tree) if c.field in (None, "title") for w in words(c.text))
        records = records.annotate(
            rank=Case(
                When(title__iexact=phrase, then=Value(0)),
                When(title__istartswith=phrase, then=Value(1)),
                When(title__icontains=phrase, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        ).order_by("rank", "title", "id")
    else:
        records = records.order_by(*ORDER.get(sort, ("title", "id")))
    offset, limit = max(0, int(query.offset)), max(0, min(int(query.limit), 1000))
    # The page and the total in one query (a window count); a count alone for no page or past the end.
    rows = list(records.annotate(full=Window(Count("id"))).values_list("id", "full")[offset : offset + limit])
    ids = [pk for pk, _full in rows] if limit else []
    total = rows[0][1] if rows else 0
    if not rows and (offset or not limit):
        total = records.count()
    return SearchResult(total=total, ids=ids, facets={}, fallback=True, took_ms=(time.perf_counter() - started) * 1000)
