"""Reads of the public catalogue: search, availability, the record page, the home page.

:func:`catalogue_search` asks ``pustaka.search.search()`` for the ids of a page (the engine, or the
database while no index exists yet: ``result.fallback``) and loads those records and their
availability in two queries. Everything here hides what the public must not see: suppressed records, and
withdrawn, for-sale, sold and discarded copies (``ItemStatus.public_hidden()``).
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from pustaka.catalog.choices import MaterialType
from pustaka.catalog.models import Record
from pustaka.catalog.queries import language_name
from pustaka.core.choices import Weekday
from pustaka.core.models import Branch
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
NEWEST_COUNT = 8


def public_records() -> QuerySet:
    """Records the public may see (not suppressed), without the heavy MARC column."""
    return Record.objects.filter(is_suppressed=False).defer("marc")


def public_items() -> QuerySet:
    """Copies the public may see (not withdrawn, for sale, sold or discarded)."""
    return Item.objects.exclude(status__in=ItemStatus.public_hidden())


# --- Search ---------------------------------------------------------------------------------------


@dataclass
class BranchAvailability:
    """How many public copies of a record one branch has, and how many are on the shelf or on loan."""

    code: str
    name: str
    total: int = 0
    available: int = 0
    on_loan: int = 0
    on_hold_shelf: int = 0
    due: object = None  # the earliest due date of the copies on loan here (an aware datetime)

    @property
    def state(self) -> str:
        """``available``, ``on_loan``, ``on_hold_shelf`` or ``unavailable`` (being processed, missing...)."""
        if self.available:
            return "available"
        if self.on_loan:
            return "on_loan"
        if self.on_hold_shelf:
            return "on_hold_shelf"
        return "unavailable"


@dataclass
class SearchPage:
    """One page of records (a collection's): ``hits`` are records with ``availability`` set on each."""

    q: str
    words: list[str]
    page: Page | None
    hits: list[Record] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.page is not None else 0


SORT_CHOICES = (
    ("relevance", _("Relevance")),
    ("title", _("Title A–Z")),
    ("-year", _("Year, newest first")),
    ("year", _("Year, oldest first")),
    ("newest", _("New in the catalogue")),
)
FACET_TITLES = {
    "availability": _("Availability"),
    "branch": _("Branch"),
    "material_type": _("Material type"),
    "language": _("Language"),
    "year": _("Year"),
    "subject": _("Subject"),
}


@dataclass
class FacetValue:
    """One value of a facet with its count, its label in the page's language and whether it is selected."""

    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    """A facet of the result list (material type, language...) and its values."""

    name: str
    title: str
    values: list[FacetValue]

    @property
    def has_selection(self) -> bool:
        return any(v.selected for v in self.values)


@dataclass
class CatalogueSearch:
    """One page of a catalogue search through the engine (or the database fallback).

    ``hits`` are records with ``availability`` set; ``error`` is the message for a query the engine
    cannot understand; ``fallback`` says the index does not exist yet and the simple search answered.
    """

    q: str
    filters: dict[str, list[str]]
    sort: str
    page: Page | None = None
    hits: list[Record] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    suggestion: str | None = None
    error: str = ""
    fallback: bool = False
    searched: bool = False

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.page is not None else 0

    @property
    def selected(self) -> list[tuple[str, str, str]]:
        """(facet, value, label) of every selected filter, for the "remove" links."""
        return [(f.name, v.value, v.label) for f in self.facets for v in f.values if v.selected]


def facet_label(name: str, value: str, branch_names: dict[str, str]) -> str:
    """The label of a facet value in the page's language."""
    if name == "material_type":
        return str(MaterialType(value).label) if value in MaterialType.values else value
    if name == "language":
        return language_name(value)
    if name == "branch":
        return branch_names.get(value, value)
    if name == "availability":
        return str(_("Available now")) if value == "available" else str(_("Not available"))
    if name == "year":
        return value.replace("-", "–")
    return value


def _facets(raw: dict[str, list[tuple[str, int]]], filters: dict[str, list[str]]) -> list[Facet]:
    names = {}
    if raw.get("branch") or filters.get("branch"):
        names = dict(Branch.objects.values_list("code", "name"))
    facets = []
    for name in FACET_TITLES:
        chosen = filters.get(name, [])
        pairs = list(raw.get(name, []))
        seen = {value for value, _count in pairs}
        pairs += [(value, 0) for value in chosen if value not in seen]  # a selected value always shows
        values = [FacetValue(v, facet_label(name, v, names), n, v in chosen) for v, n in pairs if v]
        if values:
            facets.append(Facet(name=name, title=str(FACET_TITLES[name]), values=values))
    return facets


def catalogue_search(q: str, page, *, filters: dict[str, list[str]] | None = None, sort: str = "relevance"):
    """Page ``page`` of the public records matching ``q`` and the facet ``filters``, 20 a page.

    The engine gives the ids in order, the total, the facet counts and a "did you mean"; the page's
    records and their availability per branch take two queries (three with branch names for the
    branch facet). A query the engine cannot understand gives ``error``, never an exception.
    """
    from pustaka.search import search
    from pustaka.search.query import FACETS, QuerySyntaxError, SearchQuery
    from pustaka.search.textquery import parse

    q = (q or "").strip()[:MAX_QUERY_LENGTH]
    filters = {name: values for name, values in (filters or {}).items() if name in FACETS and values}
    sort = sort if sort in dict(SORT_CHOICES) else "relevance"
    result = CatalogueSearch(q=q, filters=filters, sort=sort)
    if not q and not filters:
        return result
    result.searched = True
    number = _page_number(page)
    try:
        if parse(q) is None and not filters:  # only punctuation: nothing to look for
            result.searched = False
            return result

        def page_of(number: int):
            offset = (number - 1) * PAGE_SIZE
            return search(SearchQuery(text=q, filters=filters, sort=sort, offset=offset, limit=PAGE_SIZE))

        found = page_of(number)
        if found.total and not found.ids and number > 1:  # past the end: show the last page
            number = (found.total - 1) // PAGE_SIZE + 1
            found = page_of(number)
    except QuerySyntaxError as error:
        result.error = str(error)
        return result
    result.fallback = found.fallback
    result.page = Paginator(range(found.total), PAGE_SIZE).get_page(number)
    by_id = public_records().in_bulk(found.ids)
    result.hits = [by_id[pk] for pk in found.ids if pk in by_id]
    attach_availability(result.hits)
    attach_online(result.hits)
    result.facets = _facets(found.facets, filters)
    result.suggestion = found.suggestion if found.suggestion and found.suggestion != q else None
    return result


def _page_number(page) -> int:
    try:
        return min(max(1, int(page)), 50_000)  # past the end shows the last page
    except (TypeError, ValueError):
        return 1


def availability(record_ids) -> dict[int, list[BranchAvailability]]:
    """Public copies per branch of each record, in one aggregate query, and the earliest due date of
    the copies on loan per record and branch in a second one (only when some copy is on loan)."""
    record_ids = list(record_ids)
    rows = (
        public_items()
        .filter(record_id__in=record_ids)
        .values("record_id", "branch__code", "branch__name", "status")
        .annotate(n=Count("id"))
        .order_by("record_id", "branch__code", "status")
    )
    result: dict[int, dict[str, BranchAvailability]] = {}
    for row in rows:
        per_record = result.setdefault(row["record_id"], {})
        branch = per_record.setdefault(
            row["branch__code"], BranchAvailability(code=row["branch__code"], name=row["branch__name"])
        )
        branch.total += row["n"]
        if row["status"] == ItemStatus.AVAILABLE:
            branch.available += row["n"]
        elif row["status"] == ItemStatus.ON_LOAN:
            branch.on_loan += row["n"]
        elif row["status"] == ItemStatus.ON_HOLD_SHELF:
            branch.on_hold_shelf += row["n"]
    if any(b.on_loan for branches in result.values() for b in branches.values()):
        for record_id, code, due in _earliest_due(Q(item__record_id__in=record_ids)):
            branch = result.get(record_id, {}).get(code)
            if branch is not None:
                branch.due = due
    return {record_id: list(branches.values()) for record_id, branches in result.items()}


def _earliest_due(condition: Q) -> list[tuple[int, str, object]]:
    """(record id, branch code, earliest due date) of the open loans matching ``condition``. One query."""
    from django.db.models import Min

    from pustaka.circulation.models import Loan

    return list(
        Loan.objects.filter(condition, returned_at__isnull=True, item__status=ItemStatus.ON_LOAN)
        .values("item__record_id", "item__branch__code")
        .annotate(first=Min("due_at"))
        .order_by()
        .values_list("item__record_id", "item__branch__code", "first")
    )


def attach_availability(records: list[Record]) -> None:
    """Set ``record.availability`` (a list of :class:`BranchAvailability`) on each record."""
    by_record = availability(r.pk for r in records)
    for record in records:
        record.availability = by_record.get(record.pk, [])


def attach_online(records: list[Record]) -> None:
    """Set ``record.online`` (it has an active digital resource: an e-book, an e-journal, ...) and
    ``record.cover_url`` (a cover image among those resources, else the record's ``cover_link``, or "")
    on each record. One query for
    the whole page."""
    from django.db.models import OuterRef, Subquery
    from django.urls import reverse

    from pustaka.digital.models import DigitalResource, ResourceFile

    covers: dict[int, str] = {}
    online: set[int] = set()
    if records:
        first_cover = ResourceFile.objects.filter(resource=OuterRef("pk"), role="cover").order_by("id").values("id")
        rows = (
            DigitalResource.objects.filter(record_id__in=[r.pk for r in records], is_active=True)
            .annotate(cover_id=Subquery(first_cover[:1]))
            .order_by("record_id", "pk")
            .values_list("record_id", "pk", "cover_id")
        )
        for record_id, resource_id, cover_id in rows:
            online.add(record_id)
            if cover_id is not None:
                covers.setdefault(record_id, reverse("digital_public:cover", args=[resource_id, cover_id]))
    for record in records:
        # A cover of the library's own comes first; else the one another catalogue gave (copy cataloguing).
        record.cover_url = covers.get(record.pk) or record.cover_link
        record.online = record.pk in online


# --- Record page ----------------------------------------------------------------------------------


def public_record(pk: int) -> Record:
    """The record with this id, or 404 when there is none or it is hidden from the public."""
    record = public_records().filter(pk=pk).first()
    if record is None:
        raise Http404("No such record")
    return record


def record_copies(record: Record) -> list[Item]:
    """The public copies of a record, by branch and shelving location (one query)."""
    items = list(
        public_items()
        .filter(record=record)
        .select_related("branch", "location", "item_type")
        .order_by("branch__code", "location__sort_order", "copy_number", "barcode")
    )
    for item in items:
        item.record = record  # the call number falls back to the record's: no query per copy
    return items


def summarise_copies(items: list[Item]) -> list[BranchAvailability]:
    """The per-branch availability of already loaded copies; when some are on loan, one query sets
    ``due_at`` on each of those copies and the earliest due date per branch."""
    branches: dict[str, BranchAvailability] = {}
    on_loan = [item for item in items if item.status == ItemStatus.ON_LOAN]
    due_by_item = {}
    if on_loan:
        from pustaka.circulation.models import Loan

        due_by_item = dict(
            Loan.objects.filter(item_id__in=[i.pk for i in on_loan], returned_at__isnull=True).values_list(
                "item_id", "due_at"
            )
        )
    for item in items:
        branch = branches.setdefault(item.branch.code, BranchAvailability(code=item.branch.code, name=item.branch.name))
        branch.total += 1
        branch.available += item.status == ItemStatus.AVAILABLE
        branch.on_loan += item.status == ItemStatus.ON_LOAN
        branch.on_hold_shelf += item.status == ItemStatus.ON_HOLD_SHELF
        item.due_at = due_by_item.get(item.pk)
        if item.due_at is not None and (branch.due is None or item.due_at < branch.due):
            branch.due = item.due_at
    return list(branches.values())


# --- Home page ------------------------------------------------------------------------------------


def newest_records(limit: int = NEWEST_COUNT, *, with_covers: bool = False) -> list[Record]:
    """The records most recently added to the catalogue (with ``cover_url`` when asked: one query more)."""
    records = list(public_records().order_by("-created_at", "-id")[:limit])
    if with_covers:
        attach_online(records)
    return records


def public_collections(code: str | None = None):
    """Curated collections shown to the public (or the one with ``code``), with how many titles each
    holds (one query)."""
    from django.db.models import Count, Q

    from pustaka.digital.models import Collection

    collections = Collection.objects.filter(is_public=True)
    if code is not None:
        collections = collections.filter(code=code)
    return list(
        collections.annotate(
            titles=Count(
                "resources__record",
                distinct=True,
                filter=Q(resources__is_active=True, resources__record__is_suppressed=False),
            )
        ).order_by("name")
    )


def collection_page(collection, page) -> SearchPage:
    """Page ``page`` of the public records in ``collection``, by title, 20 a page, with availability
    and covers: four queries whatever the page holds."""
    records = (
        public_records()
        .filter(digital_resources__collections=collection, digital_resources__is_active=True)
        .distinct()
        .order_by("title", "pk")
    )
    result_page = Paginator(records, PAGE_SIZE).get_page(page)
    hits = list(result_page.object_list)
    attach_availability(hits)
    attach_online(hits)
    return SearchPage(q="", words=[], page=result_page, hits=hits)


def catalogue_counts() -> dict[str, int]:
    """Titles, copies and branches the public can find."""
    return {
        "records": public_records().count(),
        "copies": public_items().filter(record__is_suppressed=False).count(),
        "branches": Branch.objects.filter(is_active=True).count(),
    }


def active_branches() -> list[Branch]:
    """Branches open to the public, with their opening hours grouped for display."""
    branches = list(Branch.objects.filter(is_active=True).order_by("code"))
    for branch in branches:
        branch.hours_rows = opening_hours_rows(branch.opening_hours)
    return branches


def opening_hours_rows(hours: dict) -> list[tuple[str, list[str]]]:
    """Group consecutive weekdays with the same hours: ``[("Monday – Friday", ["08:00–16:00"]), ...]``.

    An empty list of periods means closed that day.
    """
    days = []
    for day in Weekday:
        periods = [f"{start}–{end}" for start, end in (hours or {}).get(str(day.value), [])]
        days.append((day, periods))
    rows: list[tuple[str, list[str]]] = []
    start = 0
    while start < len(days):
        end = start
        while end + 1 < len(days) and days[end + 1][1] == days[start][1]:
            end += 1
        first, last = days[start][0], days[end][0]
        label = str(first.label) if first == last else f"{first.label} – {last.label}"
        rows.append((label, days[start][1]))
        start = end + 1
    return rows
