"""The search interface shared by the public catalogue, the staff pages, the API and SRU.

``pustaka.search.search(SearchQuery) -> SearchResult`` (the engine, or its database fallback while
no index exists) answers either the search-box language (``SearchQuery.text``: words, "phrases",
-exclusions, OR, field prefixes, year ranges) or a structured tree (``SearchQuery.tree``, built by
the SRU CQL parser). Both end in the same engine.
"""

from dataclasses import dataclass, field
from typing import Literal

# Fields a clause may target; None means anywhere (all text fields).
FIELDS = (
    "title",
    "contributor",
    "subject",
    "series",
    "isbn",
    "issn",
    "callno",
    "publisher",
    "year",
    "language",
    "material_type",
    "control_number",
    "identifier",
)
FACETS = ("material_type", "language", "year", "branch", "availability", "subject")
#: Orders a search can give: by relevance, or by a column (a minus sign: descending). The staff lists
#: use them all; the public catalogue offers the first five.
SORTS = (
    *("relevance", "title", "year", "-year", "newest"),
    *("-title", "callno", "-callno", "oldest", "updated", "-updated"),
)


@dataclass(frozen=True)
class Clause:
    """Words to find in one field (or anywhere).

    ``mode``: ``all`` (every word), ``any`` (at least one word), ``phrase`` (the words in this order,
    adjacent), ``exact`` (the whole field value equals the text, after normalisation).
    """

    text: str
    field: str | None = None
    mode: Literal["all", "any", "phrase", "exact"] = "all"


@dataclass(frozen=True)
class BoolNode:
    """``left op right``; ``not`` means ``left AND NOT right`` (as in CQL)."""

    op: Literal["and", "or", "not"]
    left: "Node"
    right: "Node"


Node = Clause | BoolNode


@dataclass
class SearchQuery:
    """What to look for, how to filter, sort and page it."""

    text: str = ""
    tree: Node | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet name → selected values
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    facets: bool = True
    public_only: bool = True  # hide suppressed records (and withdrawn-only records) from the public


@dataclass
class SearchResult:
    """Record ids in order, the total, facet counts (value, count) per facet, a spelling suggestion."""

    total: int
    ids: list[int]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    took_ms: float = 0.0
    fallback: bool = False  # answered by the database because no index exists yet (see search/fallback.py)


class QuerySyntaxError(ValueError):
    """The search-box text cannot be understood; ``message`` says why, for the user."""
