"""The index's fields and files: the schema, where the index lives, and the constants every part shares."""

from pathlib import Path

import tantivy
from django.conf import settings

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
ANALYSIS_VERSION = "3"  # 3: sort fields for call number and last change (staff lists)
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
    sb.add_text_field("s_callno", tokenizer_name="raw", fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field("s_year", fast=True)
    sb.add_unsigned_field("created", fast=True)
    sb.add_unsigned_field("updated", fast=True)
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


Q = tantivy.Query
MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


def _term(field: str, value: str):
    return Q.term_query(SCHEMA, field, value)


def _read_sequence(index: tantivy.Index) -> int:
    searcher = index.searcher()
    result = searcher.search(tantivy.Query.term_query(SCHEMA, "scope", "meta"), 1)
    if not result.hits:
        return 0
    return int(searcher.fast_field_values("seq", [result.hits[0][1]])[0] or 0)


def index_size_bytes(path: Path | None = None) -> int:
    path = Path(path or index_dir())
    return sum(p.stat().st_size for p in path.glob("*") if p.is_file()) if path.exists() else 0
