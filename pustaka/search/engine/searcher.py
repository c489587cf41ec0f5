"""Queries: the search tree to tantivy queries, ranking, facets, "did you mean", and term browsing."""

import bisect
import time
from pathlib import Path

import tantivy
from django.utils.translation import gettext as _

from .. import analysis
from ..query import FIELDS, SORTS, Clause, Node, QuerySyntaxError, SearchQuery, SearchResult
from ..textquery import parse, parse_year, words_of
from .readers import _reader
from .schema import BOOSTS, FACET_FIELDS, FACET_SIZES, FUZZY_BELOW, MAX_OFFSET, MUST, MUST_NOT, SCHEMA, SHOULD, Q, _term


def _joined(queries, occur):
    """The queries that are not None joined by ``occur`` (one alone as it is; none: None)."""
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    if len(queries) == 1:
        return queries[0]
    return Q.boolean_query([(occur, q) for q in queries])


def _any_of(queries):
    return _joined(queries, SHOULD)


def _all_of(queries):
    return _joined(queries, MUST)


def _word(token: str, field: str, *, fuzzy: bool = True):
    """One folded token in a folded field and its stemmed twin (plus typo tolerance on long words)."""
    options = [Q.boost_query(_term(field, token), 2.0)]
    options += [_term(f"{field}_s", s) for s in analysis.query_stems(token)]
    distance = analysis.fuzzy_distance(token) if fuzzy else 0
    if distance and token.isalpha():
        options.append(Q.boost_query(Q.fuzzy_term_query(SCHEMA, field, token, distance), 0.3))
    return _any_of(options)


def _phrase(tokens: list[str], field: str):
    """The tokens adjacent in ``field`` (folded, boosted) or in its stemmed twin."""
    if len(tokens) == 1:
        return _word(tokens[0], field, fuzzy=False)
    options = [Q.boost_query(Q.phrase_query(SCHEMA, field, tokens), 2.0)]
    for stems in {tuple(analysis.stem_english(t) for t in tokens), tuple(analysis.stem_indonesian(t) for t in tokens)}:
        options.append(Q.phrase_query(SCHEMA, f"{field}_s", list(stems)))
    return _any_of(options)


def _year_query(text: str):
    low, high = parse_year(text)
    return Q.range_query(SCHEMA, "year", tantivy.FieldType.Integer, low, high)


TEXT_FIELD = {
    "title": "title",
    "contributor": "contributor",
    "subject": "subject",
    "series": "series",
    "publisher": "publisher",
    None: "all",
}


def _clause(clause: Clause, fuzzy: bool = True):
    if clause.field not in (None, *FIELDS):
        raise QuerySyntaxError(_("There is no search field called %(field)s.") % {"field": clause.field})
    field = clause.field
    if field == "year":
        return _year_query(clause.text)
    if field in ("isbn", "issn", "identifier", "control_number"):
        terms = []
        for value in clause.text.split():
            forms = {analysis.normalise_identifier(value).lower()}
            if field in ("identifier", "control_number"):
                forms.add(analysis.fold(value))
            terms.append(_any_of([_term("ident", form) for form in sorted(forms) if form]))
        if not any(terms):
            raise QuerySyntaxError(_("Write the number to look for, e.g. isbn:9786020332956."))
        return _any_of(terms) if clause.mode == "any" else _all_of(terms)
    if field == "callno":
        # Call numbers are searched as librarians browse a shelf: by their beginning (``callno:899``
        # finds 899.2213 TAR l; ``callno:"005.133 SUT"`` finds 005.133 SUT p).
        tokens = analysis.normalise_callno(clause.text).split()
        return Q.phrase_prefix_query(SCHEMA, "callno", tokens) if tokens else None
    if field == "language":
        return _any_of([_term("lang", analysis.fold(v)) for v in clause.text.split()])
    if field == "material_type":
        return _any_of([_term("type", v.lower()) for v in clause.text.split()])
    text_field = TEXT_FIELD[field]
    tokens = analysis.fold_tokens(clause.text)
    if not tokens:
        return None
    if clause.mode == "exact":
        if field in ("title", "contributor", "subject"):
            return _term(f"{field}_x", " ".join(tokens))
        return _phrase(tokens, text_field)
    if clause.mode == "phrase":
        return _phrase(tokens, text_field)
    words = [_word(t, text_field, fuzzy=fuzzy) for t in tokens]
    if clause.mode == "any":
        return _any_of(words)
    return _all_of(words)


def _node(node: Node, fuzzy: bool = True):
    if isinstance(node, Clause):
        return _clause(node, fuzzy)
    left, right = _node(node.left, fuzzy), _node(node.right, fuzzy)
    if node.op == "or":
        return _any_of([left, right])
    if node.op == "not":
        if left is None:
            raise QuerySyntaxError(_("Say what to look for, not only what to leave out."))
        return left if right is None else Q.boolean_query([(MUST, left), (MUST_NOT, right)])
    return _all_of([left, right])


def _ranking_boosts(tree: Node | None):
    """Should-clauses that lift title matches and whole-phrase matches above the rest."""
    boosts = []
    clauses = words_of(tree)
    # Words typed without quotes are one clause each: their order still matters for ranking, so the
    # whole sequence as a phrase lifts the records that have it ("hukum adat" above "hukum ... adat").
    loose = [t for c in clauses if c.field is None and c.mode == "all" for t in analysis.fold_tokens(c.text)]
    if len(loose) > 1 and all(c.field is None and c.mode == "all" for c in clauses):
        boosts.append(Q.boost_query(Q.phrase_query(SCHEMA, "title", loose), 6.0))
        boosts.append(Q.boost_query(Q.phrase_query(SCHEMA, "all", loose), 3.0))
    for clause in clauses:
        if clause.field not in (None, "title") or clause.mode == "exact":
            continue
        tokens = analysis.fold_tokens(clause.text)
        if not tokens:
            continue
        if len(tokens) > 1:
            boosts.append(Q.boost_query(Q.phrase_query(SCHEMA, "title", tokens), 6.0))
            boosts.append(Q.boost_query(Q.phrase_query(SCHEMA, "all", tokens), 3.0))
        for token in tokens:
            boosts.append(Q.boost_query(_term("title", token), BOOSTS["title"]))
            boosts.append(Q.boost_query(_any_of([_term("title_s", s) for s in analysis.query_stems(token)]), 1.5))
        if clause.field is None:
            for token in tokens:
                boosts.append(Q.boost_query(_term("contributor", token), BOOSTS["contributor"]))
                boosts.append(Q.boost_query(_term("subject", token), 1.0))
    return boosts


def _filters(query: SearchQuery):
    filters = [_term("scope", "public" if query.public_only else "all")]
    for facet, values in (query.filters or {}).items():
        values = [v for v in values if v]
        if not values:
            continue
        if facet not in FACET_FIELDS:
            raise QuerySyntaxError(_("There is no facet called %(facet)s.") % {"facet": facet})
        if facet == "year":
            ranges = []
            for value in values:
                ranges.append(_year_query(value))
            filters.append(_any_of(ranges))
        else:
            filters.append(Q.term_set_query(SCHEMA, FACET_FIELDS[facet], list(values)))
    if query.year_from is not None or query.year_to is not None:
        filters.append(Q.range_query(SCHEMA, "year", tantivy.FieldType.Integer, query.year_from, query.year_to))
    return filters


def _facets(searcher, query) -> dict[str, list[tuple[str, int]]]:
    # shard_size = size: each segment sends only its top values (subject has very many distinct values).
    spec = {
        name: {"terms": {"field": field, "size": FACET_SIZES.get(name, 100), "shard_size": FACET_SIZES.get(name, 100)}}
        for name, field in FACET_FIELDS.items()
    }
    result = searcher.aggregate(query, spec)
    facets = {}
    for name in FACET_FIELDS:
        buckets = result.get(name, {}).get("buckets", [])
        pairs = [(str(b["key"]), int(b["doc_count"])) for b in buckets]
        if name == "year":
            pairs.sort(key=lambda p: p[0], reverse=True)
        facets[name] = pairs
    return facets


def _suggest(searcher, text: str, scope_query) -> str | None:
    """A spelling for the search-box words that the catalogue knows better, or None."""
    tree = parse(text)
    changed = False
    replacements = {}
    for clause in words_of(tree):
        if clause.field not in (None, "title", "contributor", "subject", "series", "publisher"):
            continue
        field = TEXT_FIELD[clause.field]
        for token in analysis.fold_tokens(clause.text):
            if len(token) < 3 or not token.isalpha() or token in replacements:
                continue
            own = searcher.doc_freq(field, token)
            best, best_count = None, own
            for candidate, count in searcher.terms_with_prefix(field, token[:2], filter_query=scope_query):
                if count <= best_count or candidate == token:
                    continue
                limit = 2 if len(token) >= 7 else 1
                if analysis.edit_distance(token, candidate, limit + 1) <= limit:
                    best, best_count = candidate, count
            if best and own == 0:
                replacements[token] = best
                changed = True
    if not changed:
        return None

    def respell(match) -> str:  # each word in place: field prefixes, quotes and signs stay as typed
        folded = analysis.fold_tokens(match.group())
        return replacements.get(folded[0], match.group()) if len(folded) == 1 else match.group()

    return analysis.WORD.sub(respell, text)


#: Sort order → (fast field, direction); relevance is the engine's own score.
SORT_FIELDS = {
    "title": ("s_title", tantivy.Order.Asc),
    "-title": ("s_title", tantivy.Order.Desc),
    "year": ("s_year", tantivy.Order.Asc),
    "-year": ("s_year", tantivy.Order.Desc),
    "callno": ("s_callno", tantivy.Order.Asc),
    "-callno": ("s_callno", tantivy.Order.Desc),
    "newest": ("created", tantivy.Order.Desc),
    "oldest": ("created", tantivy.Order.Asc),
    "updated": ("updated", tantivy.Order.Asc),
    "-updated": ("updated", tantivy.Order.Desc),
}


def search(query: SearchQuery, *, path: Path | None = None) -> SearchResult:
    """Run a query: ids in order, total, facet counts and a "did you mean" when there are few hits."""
    started = time.perf_counter()
    if query.sort not in SORTS:
        raise QuerySyntaxError(_("Unknown sort order %(sort)s.") % {"sort": query.sort})
    tree = query.tree if query.tree is not None else parse(query.text or "")
    index = _reader(path)
    if index is None:
        return SearchResult(total=0, ids=[], facets={}, took_ms=(time.perf_counter() - started) * 1000)
    searcher = index.searcher()
    filters = _filters(query)
    boosts = _ranking_boosts(tree)

    def build(fuzzy: bool, *, ranked: bool = True):
        main = _node(tree, fuzzy) if tree is not None else None
        if tree is not None and main is None:
            main = Q.empty_query()
        parts = [(MUST, f) for f in filters]
        if main is not None:
            parts.append((MUST, main))
            if ranked:  # the boosts order the hits; they never change which records match
                parts += [(SHOULD, b) for b in boosts]
        return Q.boolean_query(parts)

    limit = max(1, min(int(query.limit), 1000))
    offset = max(0, int(query.offset))
    # tantivy collects offset + limit hits in memory (a huge offset aborts the process): past
    # MAX_OFFSET only the count is computed and the page is empty.
    beyond = offset > MAX_OFFSET
    if beyond:
        offset, limit = 0, 1
    sort = query.sort
    if sort == "relevance" and tree is None:
        sort = "newest"
    kwargs = {}
    if sort in SORT_FIELDS:
        name, order = SORT_FIELDS[sort]
        kwargs = {"order_by_field": name, "order": order}
    fuzzy = False
    full = build(fuzzy=False)
    result = searcher.search(full, limit, count=True, offset=offset, **kwargs)
    # Typo tolerance only when the words as written find little: cheaper, and exact words rank first.
    if tree is not None and result.count < FUZZY_BELOW:
        fuzzy = True
        full = build(fuzzy=True)
        result = searcher.search(full, limit, count=True, offset=offset, **kwargs)
    hits = result.hits if query.limit > 0 and not beyond else []
    ids = [int(v) for v in searcher.fast_field_values("rid", [a for _, a in hits])] if hits else []
    facets = _facets(searcher, build(fuzzy, ranked=False)) if query.facets else {}  # counting needs no scores
    suggestion = None
    if query.tree is None and query.text and result.count < FUZZY_BELOW:
        suggestion = _suggest(searcher, query.text, filters[0])
    return SearchResult(
        total=result.count,
        ids=ids,
        facets=facets,
        suggestion=suggestion,
        took_ms=(time.perf_counter() - started) * 1000,
    )


#: Browsable term lists for ``scan``: whole values for title, contributor and subject; words elsewhere.
SCAN_FIELDS = {"title": "title_x", "contributor": "contributor_x", "subject": "subject_x", None: "all"}
_SCAN_WINDOW = 2000  # terms fetched around the start term per prefix step


def scan(field: str | None, start: str, *, count: int = 20, position: int = 1, public_only: bool = True, path=None):
    """Browse the index's terms of ``field`` in alphabetical order around ``start``.

    Returns up to ``count`` ``(term, number_of_records)`` pairs such that the first term equal to or
    after ``start`` is at ``position`` (1-based; 0 or less, or more than ``count``, lets the start term
    fall before or after the window, as SRU's responsePosition does). Counts cover public records only
    unless ``public_only`` is false.
    """
    index = _reader(path)
    if index is None or field not in SCAN_FIELDS:
        return []
    name = SCAN_FIELDS[field]
    searcher = index.searcher()
    scope = _term("scope", "public" if public_only else "all")
    start = analysis.folded_text(start) if field in ("title", "contributor", "subject") else analysis.fold(start)
    first = start[:1]
    terms = searcher.terms_with_prefix(name, first, filter_query=scope)
    before_needed = max(0, position - 1)
    terms = sorted((t, c) for t, c in terms if c > 0)
    # Terms beginning with other characters: fill from the neighbouring prefixes when the window runs over.
    keys = [t for t, _ in terms]
    at = bisect.bisect_left(keys, start)
    if at < before_needed or len(terms) - at < count - before_needed:
        terms = sorted((t, c) for t, c in searcher.terms_with_prefix(name, "", filter_query=scope) if c > 0)
        keys = [t for t, _ in terms]
        at = bisect.bisect_left(keys, start)
    begin = at - before_needed
    window = []
    for i in range(begin, begin + count):
        if 0 <= i < len(terms):
            window.append(terms[i])
    return window
