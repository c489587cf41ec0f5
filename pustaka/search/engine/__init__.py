"""The tantivy search engine: ``search(SearchQuery) -> SearchResult``, ``apply_changes()``, ``rebuild()``.

The database is the source of truth. The change log (``ChangeLog``) drives the index: one ``Indexer``
(holding a file lock in the index folder) applies rows in order and stores the last sequence it
applied inside the index, in a special "meta" document committed with the changes. Readers reopen
the index when its ``meta.json`` changes. Text is analysed in Python (``analysis.py``) and handed to
tantivy's whitespace tokenizer: each text field exists folded (exact words) and stemmed.

The parts, each in its own module:

- ``schema``: the fields, the index folder, the constants all parts share;
- ``documents``: a record's document, built from the database;
- ``indexer``: the one writer (``Indexer``, ``apply_changes``, ``rebuild``, ``follow``);
- ``readers``: the per-folder readers and the fork safety the servers rely on;
- ``searcher``: queries, ranking, facets, suggestions (``search``) and term browsing (``scan``).
"""

from .documents import record_documents
from .indexer import HOLE_PATIENCE, LOCK_FILES, MAX_HOLES, Indexer, _without_recent_gap, apply_changes, follow, rebuild
from .readers import _reader, applied_sequence
from .schema import (
    ANALYSIS_FILE,
    ANALYSIS_VERSION,
    FACET_FIELDS,
    LOCK_NAME,
    SCHEMA,
    IndexBusy,
    _read_sequence,
    build_schema,
    index_dir,
    index_size_bytes,
    open_index,
)
from .searcher import scan, search

__all__ = [
    "ANALYSIS_FILE",
    "ANALYSIS_VERSION",
    "FACET_FIELDS",
    "HOLE_PATIENCE",
    "LOCK_FILES",
    "LOCK_NAME",
    "MAX_HOLES",
    "SCHEMA",
    "IndexBusy",
    "Indexer",
    "_read_sequence",
    "_reader",
    "_without_recent_gap",
    "applied_sequence",
    "apply_changes",
    "build_schema",
    "follow",
    "index_dir",
    "index_size_bytes",
    "open_index",
    "rebuild",
    "record_documents",
    "scan",
    "search",
]
