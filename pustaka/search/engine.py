"""The tantivy search engine: ``search(SearchQuery) -> SearchResult``, ``apply_changes()``, ``rebuild()``.

The database is the source of truth. The change log (``ChangeLog``) drives the index: one ``Indexer``
(holding a file lock in the index folder) applies rows in order and stores the last sequence it
applied inside the index, in a special "meta" document committed with the changes. Readers reopen
the index when its ``meta.json`` changes. Text is analysed in Python (``analysis.py``) and handed to
tantivy's whitespace tokenizer: each text field exists folded (exact words) and stemmed.
"""

import bisect
import contextlib
import datetime as dt
import fcntl
import logging
import os
import threading
import time
from pathlib import Path

import tantivy
from django.conf import settings
from django.utils.translation import gettext as _

from . import analysis
from .query import FIELDS, Clause, Node, QuerySyntaxError, SearchQuery, SearchResult
from .textquery import parse, parse_year, words_of

log = logging.getLogger(__name__)

GROUPS = ("title", "contributor", "subject", "series", "publisher", "summary")
BOOSTS = {"title": 3.0, "contributor": 2.0, "subject": 1.5, "series": 1.2, "publisher": 1.0, "summary": 0.5}
FACET_FIELDS = {
    "material_type": "f_type",
    "language": "f_lang",
    "year": "f_decade",
    "branch": "f_branch",
    "availability": "f_avail",
    "subject": "f_subject",
}
FACET_SIZES = {"subject": 20}
#: Raised whenever the documents the index holds would be analysed differently (fields, folding,
#: tokens): an index built under another version is rebuilt by the indexer before it applies changes.
ANALYSIS_VERSION = "2"
ANALYSIS_FILE = "pustaka-analysis-version"
LOCK_NAME = ".pustaka-writer.lock"
CHUNK = 2000
FUZZY_BELOW = 3  # with fewer hits than this, words of 5+ letters also match with a typo


MAX_OFFSET = 100_000


class IndexBusy(RuntimeError):
    """Another process holds the index writer."""


def build_schema() -> tantivy.Schema:
    """The fields of a record document (plus the meta document's ``seq``)."""
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("rid", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("seq", stored=True, indexed=False, fast=True)
    sb.add_text_field("scope", tokenizer_name="raw")
    for name in ("all", "all_s", *GROUPS, *(f"{g}_s" for g in GROUPS), "ident", "callno"):
        sb.add_text_field(name, tokenizer_name="whitespace")
    for name in ("title_x", "contributor_x", "subject_x", "lang", "type"):
        sb.add_text_field(name, tokenizer_name="raw")
    for name in FACET_FIELDS.values():
        sb.add_text_field(name, tokenizer_name="raw", fast=True)
    sb.add_text_field("s_title", tokenizer_name="raw", fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field("s_year", fast=True)
    sb.add_unsigned_field("created", fast=True)
    return sb.build()


SCHEMA = build_schema()


def index_dir() -> Path:
    return Path(settings.PUSTAKA_INDEX_DIR)


def open_index(path: Path | None = None) -> tantivy.Index:
    """The index in ``path`` (created empty if missing)."""
    path = path or index_dir()
    path.mkdir(parents=True, exist_ok=True)
    if tantivy.Index.exists(str(path)):
        index = tantivy.Index.open(str(path))
    else:
        index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    return index


# --- documents -------------------------------------------------------------------------------------


def _decade(year: int | None) -> str:
    if not year:
        return ""
    start = year - year % 10
    return f"{start}-{start + 9}"


def record_documents(record_ids) -> dict[int, tantivy.Document]:
    """Index documents for the records that exist among ``record_ids`` (two queries for the lot)."""
    from pustaka.catalog.models import Record
    from pustaka.holdings.choices import ItemStatus
    from pustaka.holdings.models import Item

    ids = list(record_ids)
    hidden = ItemStatus.public_hidden()
    holdings: dict[int, dict] = {}
    rows = (
        Item.objects.filter(record_id__in=ids)
        .values_list("record_id", "branch__code", "status", "call_number")
        .distinct()
        .order_by()
    )
    for rid, branch_code, status, call_number in rows:
        h = holdings.setdefault(rid, {"public": set(), "any": False, "available": False, "callno": set()})
        h["any"] = True
        if status not in hidden:
            h["public"].add(branch_code)
            if status == ItemStatus.AVAILABLE:
                h["available"] = True
        if call_number:
            h["callno"].add(call_number)
    fields = (
        "id",
        "title",
        "subtitle",
        "contributors",
        "subjects",
        "series",
        "publisher",
        "summary",
        "year",
        "isbn",
        "isbns",
        "issn",
        "language",
        "material_type",
        "call_number",
        "control_number",
        "is_suppressed",
        "created_at",
    )
    docs = {}
    for row in Record.objects.filter(id__in=ids).values(*fields).order_by():
        docs[row["id"]] = _document(row, holdings.get(row["id"]))
    return docs


def _document(row: dict, holding: dict | None) -> tantivy.Document:
    lang = row["language"] or ""
    doc = tantivy.Document()
    doc.add_unsigned("rid", row["id"])
    public_copies = holding["public"] if holding else set()
    visible = not row["is_suppressed"] and (holding is None or bool(public_copies))
    doc.add_text("scope", "all")
    if visible:
        doc.add_text("scope", "public")
    title = f"{row['title']} {row['subtitle']}".strip()
    values = {
        "title": [title] if title else [],
        "contributor": [c.get("name", "") for c in row["contributors"] or [] if isinstance(c, dict) and c.get("name")],
        "subject": [s for s in row["subjects"] or [] if isinstance(s, str) and s.strip()],
        "series": [row["series"]] if row["series"] else [],
        "publisher": [row["publisher"]] if row["publisher"] else [],
        "summary": [row["summary"]] if row["summary"] else [],
    }
    for group, texts in values.items():
        for text in texts:
            folded, stemmed = analysis.analysed(text, lang)
            if not folded:
                continue
            doc.add_text(group, folded)
            doc.add_text(f"{group}_s", stemmed)
            doc.add_text("all", folded)
            doc.add_text("all_s", stemmed)
    doc.add_text("title_x", analysis.folded_text(row["title"]))
    if title != row["title"]:
        doc.add_text("title_x", analysis.folded_text(title))
    for name in values["contributor"]:
        doc.add_text("contributor_x", analysis.folded_text(name))
    for subject in values["subject"]:
        doc.add_text("subject_x", analysis.folded_text(subject))
        doc.add_text("f_subject", subject.split(" -- ")[0].strip()[:200])
    identifiers = {analysis.normalise_identifier(v) for v in [row["isbn"], row["issn"], *(row["isbns"] or [])]}
    identifiers.add(analysis.fold(row["control_number"]).replace(" ", ""))
    for ident in sorted(i for i in identifiers if i):
        doc.add_text("ident", ident.lower())
        doc.add_text("all", ident.lower())
    callnos = {row["call_number"], *(holding["callno"] if holding else ())}
    for callno in sorted(c for c in callnos if c):
        doc.add_text("callno", analysis.normalise_callno(callno))
    if lang:
        doc.add_text("lang", lang)
        doc.add_text("f_lang", lang)
    doc.add_text("type", row["material_type"])
    doc.add_text("f_type", row["material_type"])
    if row["year"]:
        doc.add_integer("year", row["year"])
        doc.add_text("f_decade", _decade(row["year"]))
    doc.add_integer("s_year", row["year"] or 0)
    for code in sorted(public_copies):
        doc.add_text("f_branch", code)
    if holding is not None:
        doc.add_text("f_avail", "available" if holding["available"] else "unavailable")
    doc.add_text("s_title", analysis.fold(title)[:200])
    created = row["created_at"]
    doc.add_unsigned("created", int(created.timestamp() * 1_000_000) if created else 0)
    return doc


def _meta_document(seq: int) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("scope", "meta")
    doc.add_unsigned("seq", seq)
    return doc


# --- the writer ------------------------------------------------------------------------------------


_open_indexers: set = set()  # the writers open in this process (see _after_fork_in_child)
LOCK_FILES = (LOCK_NAME, ".tantivy-writer.lock", ".tantivy-meta.lock")


def _close_lock_descriptors(path: Path) -> None:
    """Close this process's descriptors of the lock files in the index folder ``path`` (Linux)."""
    folder = str(Path(path).resolve())
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return
    for entry in list(fds.iterdir()):
        try:
            target = os.readlink(entry)
        except OSError:
            continue
        if os.path.dirname(target) == folder and os.path.basename(target) in LOCK_FILES:
            with contextlib.suppress(OSError):
                os.close(int(entry.name))


class Indexer:
    """The one writer: applies pending change-log rows in batches, or rebuilds from the database.

    Use as a context manager; entering takes an exclusive file lock in the index folder (IndexBusy if
    another process has it), so only one process ever writes.
    """

    def __init__(self, path: Path | None = None, *, batch_size: int = 1000, heap_size: int = 200_000_000):
        self.path = Path(path or index_dir())
        self.batch_size = batch_size
        self.heap_size = heap_size
        self._lock = None
        self.index = None
        self.writer = None
        # Sequence numbers skipped over (a hole in the log): a long transaction on PostgreSQL may
        # still commit them. Looked for again on every pass until HOLE_PATIENCE seconds have gone.
        self.holes: dict[int, float] = {}

    def __enter__(self):
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.path / LOCK_NAME, "a+")  # noqa: SIM115 - released in __exit__
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            self._lock = None
            raise IndexBusy(f"another process is writing the index in {self.path}") from None
        self.index = open_index(self.path)
        self.writer = self.index.writer(self.heap_size, 0)
        _open_indexers.add(self)
        return self

    def _disown(self) -> None:
        """In a forked child: close this process's copy of the lock and never use the writer here."""
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self._lock.close()  # the child's descriptor only: the parent keeps its lock
        _close_lock_descriptors(self.path)  # tantivy's own lock files, opened by the writer
        _inherited.append((self.index, self.writer))  # dropping a writer here would join threads it lacks
        self._lock = self.index = self.writer = None
        _open_indexers.discard(self)

    def __exit__(self, *exc):
        _open_indexers.discard(self)
        if self.writer is not None:
            with contextlib.suppress(Exception):  # nothing pending, or already closed
                self.writer.rollback()
            self.writer = None
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def applied_sequence(self) -> int:
        self.index.reload()
        return _read_sequence(self.index)

    def _commit(self, seq: int) -> None:
        self.writer.delete_documents_by_query(_term("scope", "meta"))
        self.writer.add_document(_meta_document(seq))
        self.writer.commit()

    def apply_pending(self, *, max_batches: int | None = None, stop: threading.Event | None = None) -> int:
        """Apply change-log rows after the stored sequence, in order, one commit per batch; rows applied.

        With ``stop``, returns after the batch during which it was set (each batch is committed, so the
        next run resumes from there)."""
        from .models import ChangeLog

        if self._analysis_outdated():
            log.warning("search index built by another version of the analysis: rebuilding it")
            self.rebuild()
        applied = self.applied_sequence()
        done = self._fill_holes(applied)
        batches = 0
        while (max_batches is None or batches < max_batches) and not (stop is not None and stop.is_set()):
            rows = list(
                ChangeLog.objects.filter(id__gt=applied)
                .order_by("id")
                .values_list("id", "record_id", "logged_at")[: self.batch_size]
            )
            rows = _without_recent_gap(rows, applied)
            if not rows:
                break
            self._apply_records(list(dict.fromkeys(r[1] for r in rows)))
            self._remember_holes(applied, [r[0] for r in rows])
            applied = rows[-1][0]
            self._commit(applied)
            done += len(rows)
            batches += 1
        return done

    def _analysis_outdated(self) -> bool:
        """True for an index with documents analysed by another version; a new index is marked current."""
        marker = self.path / ANALYSIS_FILE
        current = marker.read_text().strip() if marker.exists() else ""
        if current == ANALYSIS_VERSION:
            return False
        self.index.reload()
        if self.index.searcher().num_docs == 0:  # nothing indexed yet: it starts under this version
            marker.write_text(ANALYSIS_VERSION)
            return False
        return True

    def _apply_records(self, record_ids: list[int]) -> None:
        docs = record_documents(record_ids)
        self.writer.delete_documents_by_query(Q.term_set_query(SCHEMA, "rid", record_ids))
        for rid in record_ids:
            if rid in docs:
                self.writer.add_document(docs[rid])

    def _remember_holes(self, applied: int, seqs: list[int]) -> None:
        now = time.monotonic()
        present = set(seqs)
        for seq in range(applied + 1, seqs[-1]):
            if seq not in present and len(self.holes) < MAX_HOLES:
                self.holes.setdefault(seq, now)

    def _fill_holes(self, applied: int) -> int:
        """Apply log rows that appeared in a hole after the indexer passed it; forget old holes."""
        if not self.holes:
            return 0
        from .models import ChangeLog

        now = time.monotonic()
        for seq, seen in list(self.holes.items()):
            if now - seen > HOLE_PATIENCE:
                del self.holes[seq]
        rows = list(ChangeLog.objects.filter(id__in=list(self.holes)).values_list("id", "record_id"))
        if not rows:
            return 0
        for seq, _rid in rows:
            self.holes.pop(seq, None)
        self._apply_records(list(dict.fromkeys(r[1] for r in rows)))
        self._commit(applied)
        return len(rows)

    def rebuild(self, *, progress=None) -> int:
        """Replace the whole index from the database; the stored sequence is the log's end at the start."""
        from pustaka.catalog.models import Record

        from .changes import last_sequence

        start_seq = last_sequence()
        # One writer thread with a large memory budget writes the whole catalogue as one segment (or
        # a few): facet counting visits each segment's term dictionary, so 1 segment instead of 10
        # halves a broad query's facet time (measured: "history", 250,000 records, 15 → 8 ms).
        self.writer.wait_merging_threads()
        self.writer = self.index.writer(_rebuild_heap(), 1)
        self.writer.delete_all_documents()
        count = 0
        last_id = 0
        while True:
            ids = list(Record.objects.filter(id__gt=last_id).order_by("id").values_list("id", flat=True)[:CHUNK])
            if not ids:
                break
            for doc in record_documents(ids).values():
                self.writer.add_document(doc)
            count += len(ids)
            last_id = ids[-1]
            if progress:
                progress(count)
        self._commit(start_seq)
        self.writer.wait_merging_threads()
        self.writer = self.index.writer(self.heap_size, 0)
        (self.path / ANALYSIS_FILE).write_text(ANALYSIS_VERSION)
        return count


def _rebuild_heap() -> int:
    """The rebuild writer's memory budget: a quarter of the free memory, between 200 MB and 1.5 GB."""
    import psutil

    return max(200_000_000, min(1_500_000_000, psutil.virtual_memory().available // 4))


HOLE_PATIENCE = 600.0  # seconds a skipped sequence number is looked for again
MAX_HOLES = 10_000


def _without_recent_gap(rows, applied: int, settle_seconds: float = 5.0):
    """Stop before a hole in the sequence that may still be filled by a transaction not yet committed."""
    from django.utils import timezone

    expected = applied + 1
    for position, (seq, _rid, logged_at) in enumerate(rows):
        recent = logged_at and timezone.now() - logged_at < dt.timedelta(seconds=settle_seconds)
        if seq != expected and applied and recent:
            return rows[:position]
        expected = seq + 1
    return rows


def _read_sequence(index: tantivy.Index) -> int:
    searcher = index.searcher()
    result = searcher.search(tantivy.Query.term_query(SCHEMA, "scope", "meta"), 1)
    if not result.hits:
        return 0
    return int(searcher.fast_field_values("seq", [result.hits[0][1]])[0] or 0)


def apply_changes(path: Path | None = None) -> int:
    """Apply pending change-log rows now (tests, commands); 0 if another process holds the writer."""
    try:
        with Indexer(path) as indexer:
            return indexer.apply_pending()
    except IndexBusy:
        return 0


def rebuild(path: Path | None = None, *, progress=None) -> int:
    """Rebuild the index from the database (``pustaka reindex``); returns the number of records."""
    with Indexer(path) as indexer:
        count = indexer.rebuild(progress=progress)
        indexer.apply_pending()
        return count


def follow(stop: threading.Event, *, interval: float = 0.5, path: Path | None = None) -> None:
    """Keep the index in step until ``stop`` is set (``pustaka reindex --follow``, the indexer program
    that ``pustaka serve`` and ``pustaka worker`` start; never run it in a process that forks)."""
    from django.db import close_old_connections

    while not stop.is_set():
        try:
            with Indexer(path) as indexer:
                while not stop.is_set():
                    close_old_connections()
                    indexer.apply_pending(stop=stop)
                    stop.wait(interval)
        except IndexBusy:
            stop.wait(5)  # another process follows the log; take over if it stops
        except Exception:  # keep following after a database hiccup
            log.exception("search indexer failed; retrying")
            stop.wait(2)


# --- the readers -----------------------------------------------------------------------------------

_readers: dict[str, list] = {}
_readers_lock = threading.Lock()
_inherited: list = []  # a parent's index objects in a forked child: kept, never used, never dropped


def _after_fork_in_child() -> None:
    """A forked child (a web worker of gunicorn, a process pool) starts with no index of its parent's:
    fresh readers, a fresh lock (another thread may have held it at the fork), and every writer it
    inherited closed on its side and refused, so no index lock lives on in two processes."""
    global _readers_lock
    _inherited.extend(entry[0] for entry in _readers.values())
    _readers.clear()
    _readers_lock = threading.Lock()
    for indexer in list(_open_indexers):
        indexer._disown()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _reader(path: Path | None = None) -> tantivy.Index | None:
    """The index of ``path``, reloaded when a commit changed ``meta.json``; None if there is no index yet."""
    path = Path(path or index_dir())
    meta = path / "meta.json"
    try:
        info = meta.stat()  # meta.json is replaced (new inode) on every commit
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
    except FileNotFoundError:
        return None
    key = str(path)
    with _readers_lock:
        entry = _readers.get(key)
        if entry is None:
            entry = _readers[key] = [tantivy.Index.open(key), stamp]
        elif entry[1] != stamp:
            entry[0].reload()
            entry[1] = stamp
        return entry[0]


def applied_sequence(path: Path | None = None) -> int | None:
    """The last change-log sequence stored in the index (None when there is no index)."""
    index = _reader(path)
    return None if index is None else _read_sequence(index)


# --- queries ---------------------------------------------------------------------------------------

Q = tantivy.Query
MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


def _term(field: str, value: str):
    return Q.term_query(SCHEMA, field, value)


def _any_of(queries):
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    if len(queries) == 1:
        return queries[0]
    return Q.boolean_query([(SHOULD, q) for q in queries])


def _all_of(queries):
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    if len(queries) == 1:
        return queries[0]
    return Q.boolean_query([(MUST, q) for q in queries])


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


def search(query: SearchQuery, *, path: Path | None = None) -> SearchResult:
    """Run a query: ids in order, total, facet counts and a "did you mean" when there are few hits."""
    started = time.perf_counter()
    if query.sort not in ("relevance", "title", "year", "-year", "newest"):
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
    if sort == "title":
        kwargs = {"order_by_field": "s_title", "order": tantivy.Order.Asc}
    elif sort == "year":
        kwargs = {"order_by_field": "s_year", "order": tantivy.Order.Asc}
    elif sort == "-year":
        kwargs = {"order_by_field": "s_year", "order": tantivy.Order.Desc}
    elif sort == "newest":
        kwargs = {"order_by_field": "created", "order": tantivy.Order.Desc}
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


def index_size_bytes(path: Path | None = None) -> int:
    path = Path(path or index_dir())
    return sum(p.stat().st_size for p in path.glob("*") if p.is_file()) if path.exists() else 0
