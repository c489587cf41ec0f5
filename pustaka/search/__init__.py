"""Search: the one way every page, feed and protocol finds records.

``search(SearchQuery) -> SearchResult`` is the single entry point: the public catalogue, the staff
record list, OPDS and SRU all call it. It reads the search-box text the way people type it (a pasted
ISBN with hyphens is looked up as an ISBN; a call number typed in the box that finds nothing is
looked up as a call number), asks the tantivy engine (``engine/``), and while no index exists yet
(a fresh install before the indexer's first pass) lets the database answer instead
(``fallback.py``, the one documented fallback; its results say ``fallback=True``).

``Hits`` gives a search to Django's ``Paginator``: its length is the total, and each page asks the
engine for that page's ids only.
"""

import re
from dataclasses import replace

from .query import QuerySyntaxError, SearchQuery, SearchResult

__all__ = ["Hits", "QuerySyntaxError", "SearchQuery", "SearchResult", "search"]

_ISBN_TYPED = re.compile(r"[0-9][0-9\s-]{8,}[0-9Xx]")
_ISBN = re.compile(r"\d{9}[\dX]|\d{13}")
_CALL_NUMBER = re.compile(r"\d{3}(\.\d+)?(\s+[A-Za-z]{1,5}(\s+[a-z]{1,3})?)?")


def box_text(text: str) -> str:
    """The search-box text for the engine: a pasted ISBN with hyphens or spaces is looked up as an ISBN."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if _ISBN_TYPED.fullmatch(text) and _ISBN.fullmatch(compact):
        return f"isbn:{compact}"
    return text


def looks_like_call_number(text: str) -> bool:
    """``005.133 SUT p``, ``899.221 HIR l``: a class number, then optionally author and title marks."""
    return bool(_CALL_NUMBER.fullmatch(text))


def search(query: SearchQuery, *, path=None) -> SearchResult:
    """Run ``query`` (raises QuerySyntaxError, with a message for the user, on text it cannot read).

    A search-box ``text`` that finds nothing and looks like a call number, with no filter chosen, is
    run again as ``callno:"..."`` (shelf order: ``005.133 SUT`` finds ``005.133 SUT p``).
    """
    from . import engine, fallback

    if engine.applied_sequence(path) is None:  # no index yet: the database answers
        return fallback.search(query)
    if query.tree is not None or not query.text:
        return engine.search(query, path=path)
    typed = query.text.strip()
    found = engine.search(replace(query, text=box_text(typed)), path=path)
    if not found.total and not query.filters and looks_like_call_number(typed):
        found = engine.search(replace(query, text=f'callno:"{typed}"'), path=path)
    return found


class Hits:
    """A search as a sequence ``Paginator`` can page: ``count()`` is the total, a slice is one page.

    Each slice asks ``search()`` for that page's ids only and loads them from ``records`` (a queryset:
    the caller says which columns and annotations the page needs), in the order the search gave.
    Text the search language cannot read (an unclosed quote) is searched as its plain words instead:
    a list's search box never fails.
    """

    def __init__(self, query: SearchQuery, records):
        self.query = replace(query, facets=False)
        self.records = records
        self._total: int | None = None
        self.fallback = False

    def _run(self, offset: int, limit: int) -> SearchResult:
        query = replace(self.query, offset=offset, limit=limit)
        try:
            found = search(query)
        except QuerySyntaxError:
            plain = " ".join(re.findall(r"\w+", query.text or ""))
            found = search(replace(query, text=plain, tree=None))
        self._total, self.fallback = found.total, found.fallback
        return found

    def count(self) -> int:
        if self._total is None:
            self._run(0, 0)
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start = index.start or 0
        stop = index.stop if index.stop is not None else self.count()
        if stop <= start:
            return []
        ids = self._run(start, stop - start).ids
        by_id = self.records.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]
