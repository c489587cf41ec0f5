"""The SRU server at ``/sru``: SRU 1.2 and 2.0 over GET and POST (form-encoded), public, no login.

Operations: ``explain`` (a ZeeRex record listing the indexes and record schemas), ``searchRetrieve``
(CQL, see ``cql.py``; records as MARCXML or Dublin Core) and ``scan`` (browse the terms of title,
creator and subject as whole headings, or the words of ``cql.serverChoice``, with record counts;
``responsePosition`` and ``maximumTerms`` as the standard defines them).

Version: the ``version`` parameter picks the response: ``1.1``/``1.2`` answer in the SRU 1.2 namespace
(``http://www.loc.gov/zing/srw/``), ``2.0`` in the OASIS namespace
(``http://docs.oasis-open.org/ns/search-ws/sruResponse``). Without ``version`` the server answers SRU
1.2, the version every library client in use speaks; SRU 2.0 clients say ``version=2.0``. Without
``operation``, a request with ``query`` is a searchRetrieve and one without is an explain (SRU 2.0's rule,
which 1.2 clients never trip over because they always send ``operation``).

Paging: ``startRecord`` (from 1) and ``maximumRecords`` (default 10, at most 100: more is answered with
100, as SRU allows); ``recordSchema`` ``marcxml`` (the default) or ``dc``. Only records the public may
see are searched (``SearchQuery.public_only``) and a suppressed record is never sent, even if the index
has not caught up yet.

Diagnostics use the SRU list (``info:srw/diagnostic/1/N``); their messages are the standard's English
texts, not translated, since they are protocol values read by software.
"""

from dataclasses import dataclass, replace
from xml.sax.saxutils import quoteattr

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from pustaka.catalog.marc import MARCXML_NS
from pustaka.core.queries import library_name
from pustaka.core.xml import xml_text
from pustaka.recordcache import cache as recordcache
from pustaka.search.query import Clause, QuerySyntaxError, SearchQuery, SearchResult

from . import cql

VERSIONS = ("1.1", "1.2", "2.0")
DEFAULT_VERSION = "1.2"
DEFAULT_RECORDS = 10
MAX_RECORDS = 100
DEEP_START = 10_000  # from here on the count is checked before a page is asked for
ZEEREX_NS = "http://explain.z3950.org/dtd/2.0/"
CONTENT_TYPE = "text/xml; charset=utf-8"


@dataclass(frozen=True)
class Schema:
    """A record schema offered: short name, identifier URI, title, and other names clients use for it."""

    name: str
    uri: str
    title: str
    aliases: tuple[str, ...] = ()


SCHEMAS = (
    Schema("marcxml", "info:srw/schema/1/marcxml-v1.1", "MARC 21 XML", ("marc21", "marc", "marcxml-v1.1")),
    Schema("dc", "info:srw/schema/1/dc-v1.1", "Dublin Core", ("oai_dc", "dc-v1.1", "info:srw/schema/1/dc-schema")),
)


def _schema(value: str) -> Schema | None:
    wanted = value.strip().lower()
    for schema in SCHEMAS:
        if wanted in (schema.name, schema.uri.lower(), *schema.aliases):
            return schema
    return None


@dataclass(frozen=True)
class Flavour:
    """How one SRU version spells its response."""

    ns: str
    prefix: str
    diag_ns: str
    escaping: str  # the record-level element (and request parameter) saying xml or string


SRU12 = Flavour("http://www.loc.gov/zing/srw/", "srw", "http://www.loc.gov/zing/srw/diagnostic/", "recordPacking")
SRU20 = Flavour(
    "http://docs.oasis-open.org/ns/search-ws/sruResponse",
    "sruResponse",
    "http://docs.oasis-open.org/ns/search-ws/diagnostic",
    "recordXMLEscaping",
)


class Diagnostic(Exception):
    """A fatal SRU diagnostic: the response carries it and no records."""

    def __init__(self, code: int, message: str, details: str = ""):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details


class _Response:
    """Builds one SRU response document as text (records arrive as ready-made XML)."""

    def __init__(self, flavour: Flavour, version: str, root: str):
        self.f, self.version, self.root = flavour, version, root
        self.parts: list[str] = []

    def el(self, name: str, text="") -> None:
        p = self.f.prefix
        self.parts.append(f"<{p}:{name}>{xml_text(str(text))}</{p}:{name}>")

    def open(self, name: str) -> None:
        self.parts.append(f"<{self.f.prefix}:{name}>")

    def close(self, name: str) -> None:
        self.parts.append(f"</{self.f.prefix}:{name}>")

    def raw(self, text: str) -> None:
        self.parts.append(text)

    def record(self, *, schema_uri: str, escaping: str, data: str, position: int | None) -> None:
        self.open("record")
        self.el("recordSchema", schema_uri)
        self.el(self.f.escaping, escaping)
        self.open("recordData")
        self.raw(xml_text(data) if escaping == "string" else data)
        self.close("recordData")
        if position is not None:
            self.el("recordPosition", position)
        self.close("record")

    def diagnostics(self, diagnostics: list[Diagnostic]) -> None:
        if not diagnostics:
            return
        self.open("diagnostics")
        for d in diagnostics:
            self.raw(f"<diag:diagnostic xmlns:diag={quoteattr(self.f.diag_ns)}>")
            self.raw(f"<diag:uri>{cql.DIAGNOSTIC_PREFIX}{d.code}</diag:uri>")
            if d.details:
                self.raw(f"<diag:details>{xml_text(d.details)}</diag:details>")
            self.raw(f"<diag:message>{xml_text(d.message)}</diag:message></diag:diagnostic>")
        self.close("diagnostics")

    def http(self) -> HttpResponse:
        p = self.f.prefix
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<{p}:{self.root} xmlns:{p}={quoteattr(self.f.ns)}>"
            f"<{p}:version>{xml_text(self.version)}</{p}:version>" + "".join(self.parts) + f"</{p}:{self.root}>\n"
        )
        return HttpResponse(body.encode("utf-8"), content_type=CONTENT_TYPE)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def sru(request):
    """Public: SRU explain and searchRetrieve for anyone (no login); only non-suppressed records are shown."""
    params = request.POST if request.method == "POST" else request.GET
    version = (params.get("version") or DEFAULT_VERSION).strip()
    operation = (params.get("operation") or "").strip()
    if not operation:
        operation = "searchRetrieve" if "query" in params else "scan" if "scanClause" in params else "explain"
    flavour = SRU20 if _major(version) >= 2 else SRU12
    if version not in VERSIONS:
        response = _Response(flavour, "2.0" if flavour is SRU20 else DEFAULT_VERSION, _root(operation))
        # details: the highest version this server speaks in the namespace the client asked for
        response.diagnostics([Diagnostic(5, "Unsupported version", "2.0" if flavour is SRU20 else DEFAULT_VERSION)])
        return response.http()
    if operation == "explain":
        return _explain(request, params, flavour, version)
    if operation == "searchRetrieve":
        return _search_retrieve(params, flavour, version, recordcache.request_context(request))
    if operation == "scan":
        return _scan(params, flavour, version)
    response = _Response(flavour, version, _root(operation))
    response.diagnostics([Diagnostic(4, "Unsupported operation", operation)])
    return response.http()


def _major(version: str) -> int:
    """The major version number asked for (1 when it cannot be read)."""
    head = version.split(".", 1)[0]
    return int(head) if head.isascii() and head.isdigit() else 1


def _root(operation: str) -> str:
    return {"explain": "explainResponse", "scan": "scanResponse"}.get(operation, "searchRetrieveResponse")


def _escaping(params, flavour: Flavour) -> str:
    value = (params.get(flavour.escaping) or "xml").strip().lower()
    if value not in ("xml", "string"):
        raise Diagnostic(71, "Unsupported record packing", value)
    return value


def _number(params, name: str, default: int, minimum: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < minimum:
        raise Diagnostic(6, "Unsupported parameter value", name)
    return int(raw)


def _search_retrieve(params, flavour: Flavour, version: str, context: str = "") -> HttpResponse:
    response = _Response(flavour, version, "searchRetrieveResponse")
    try:
        query = (params.get("query") or "").strip()
        if not query:
            raise Diagnostic(7, "Mandatory parameter not supplied", "query")
        if params.get("recordXPath"):
            raise Diagnostic(72, "XPath retrieval unsupported", params.get("recordXPath"))
        schema = _schema(params.get("recordSchema") or "marcxml")
        if schema is None:
            raise Diagnostic(66, "Unknown schema for retrieval", params.get("recordSchema"))
        escaping = _escaping(params, flavour)
        start = _number(params, "startRecord", 1, 1)
        maximum = min(_number(params, "maximumRecords", DEFAULT_RECORDS, 0), MAX_RECORDS)
        try:
            parsed = cql.parse(query)
        except cql.CQLError as error:
            raise Diagnostic(error.code, error.message, error.details) from None
        try:
            search_query = SearchQuery(
                tree=parsed.tree, sort=parsed.sort, offset=start - 1, limit=maximum, facets=False, public_only=True
            )
            result = None
            if start > DEEP_START:
                # Count first: the engine must never be asked for a page far past the end (tantivy
                # sizes its collector by offset + limit, and an absurd offset aborts the process).
                total = run_search(replace(search_query, offset=0, limit=0)).total
                if start > total:
                    result = SearchResult(total=total, ids=[])
            if result is None:
                result = run_search(search_query)
        except QuerySyntaxError as error:
            raise Diagnostic(10, "Query syntax error", str(error)) from None
    except Diagnostic as diagnostic:
        response.el("numberOfRecords", 0)
        _echo(response, params, flavour, version)
        response.diagnostics([diagnostic])
        return response.http()

    response.el("numberOfRecords", result.total)
    diagnostics = []
    ids = list(result.ids)[:maximum]
    if result.total and start > result.total:
        diagnostics.append(Diagnostic(61, "First record position out of range", str(start)))
        ids = []
    if ids:
        response.open("records")
        for position, data in _records(ids, schema, start, context):
            response.record(schema_uri=schema.uri, escaping=escaping, data=data, position=position)
        response.close("records")
        following = start + len(ids)
        if following <= result.total:
            response.el("nextRecordPosition", following)
    _echo(response, params, flavour, version)
    response.diagnostics(diagnostics)
    return response.http()


def run_search(query: SearchQuery):
    """The one search call (``pustaka.search.search``: the engine, or the database while no index exists)."""
    from pustaka.search import search

    return search(query)


def _records(ids: list[int], schema: Schema, start: int, context: str = ""):
    """``(position, xml)`` for the page's records in the engine's order, from the record cache (one query
    when every record's text is cached and current; suppressed or deleted records are never sent)."""
    found = recordcache.texts(ids, schema.name, context=context, public_only=True)
    for offset, pk in enumerate(ids):
        data = found.get(pk)
        if data is None:  # suppressed or deleted since the index saw it: never shown
            continue
        if schema.name == "marcxml":
            data = _MARC_OPENING + data[len("<record>") :]
        yield start + offset, data


_MARC_OPENING = f"<record xmlns={quoteattr(MARCXML_NS)}>"


SCAN_DEFAULT_TERMS = 20
SCAN_MAX_TERMS = 100
SRU20_SCAN = Flavour(
    "http://docs.oasis-open.org/ns/search-ws/scan",
    "scan",
    "http://docs.oasis-open.org/ns/search-ws/diagnostic",
    "recordXMLEscaping",
)


def _scan(params, flavour: Flavour, version: str) -> HttpResponse:
    """SRU scan: the index terms around the scan clause's term, each with its number of records."""
    if flavour is SRU20:
        flavour = SRU20_SCAN
    response = _Response(flavour, version, "scanResponse")
    try:
        clause_text = (params.get("scanClause") or "").strip()
        if not clause_text:
            raise Diagnostic(7, "Mandatory parameter not supplied", "scanClause")
        position = _number(params, "responsePosition", 1, 0)
        maximum = _number(params, "maximumTerms", SCAN_DEFAULT_TERMS, 1)
        maximum = min(maximum, SCAN_MAX_TERMS)
        try:
            parsed = cql.parse(clause_text)
        except cql.CQLError as error:
            raise Diagnostic(error.code, error.message, error.details) from None
        clause = parsed.tree
        if not isinstance(clause, Clause):
            raise Diagnostic(10, "Query syntax error", "a scan clause is one index, relation and term")
        if clause.field not in SCAN_INDEXES:
            raise Diagnostic(16, "Unsupported index", clause_text.split("=", 1)[0].strip())
        terms = run_scan(clause.field, clause.text, count=maximum, position=position)
    except Diagnostic as diagnostic:
        response.diagnostics([diagnostic])
        return response.http()
    if terms:
        response.open("terms")
        for value, count in terms:
            response.open("term")
            response.el("value", value)
            response.el("numberOfRecords", count)
            response.el("displayTerm", value)
            response.close("term")
        response.close("terms")
    response.open("echoedScanRequest")
    response.el("version", version)
    response.el("scanClause", clause_text)
    if params.get("responsePosition"):
        response.el("responsePosition", params.get("responsePosition"))
    response.el("maximumTerms", maximum)
    response.close("echoedScanRequest")
    return response.http()


#: The CQL indexes that can be scanned (by their engine field).
SCAN_INDEXES = {"title", "contributor", "subject", None}


def run_scan(field, text: str, *, count: int, position: int):
    from pustaka.search import engine

    return engine.scan(field, text, count=count, position=position)


_ECHOED = ("query", "startRecord", "maximumRecords", "recordPacking", "recordXMLEscaping", "recordSchema")


def _echo(response: _Response, params, flavour: Flavour, version: str) -> None:
    response.open("echoedSearchRetrieveRequest")
    response.el("version", version)
    for name in _ECHOED:
        if name in ("recordPacking", "recordXMLEscaping") and name != flavour.escaping:
            continue
        value = params.get(name)
        if value:
            response.el(name, value)
    response.close("echoedSearchRetrieveRequest")


def _explain(request, params, flavour: Flavour, version: str) -> HttpResponse:
    response = _Response(flavour, version, "explainResponse")
    try:
        escaping = _escaping(params, flavour)
    except Diagnostic as diagnostic:
        response.diagnostics([diagnostic])
        return response.http()
    response.record(schema_uri=ZEEREX_NS, escaping=escaping, data=_zeerex(request, version), position=None)
    response.open("echoedExplainRequest")
    response.el("version", version)
    if params.get(flavour.escaping):
        response.el(flavour.escaping, params.get(flavour.escaping))
    response.close("echoedExplainRequest")
    return response.http()


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _zeerex(request, version: str) -> str:
    """The ZeeRex explain record: server, database, context sets, indexes, schemas, paging limits."""
    host = request.get_host()
    name, _, port = host.partition(":")
    if not port:
        port = "443" if request.is_secure() else "80"
    title = library_name()
    out = [
        f'<explain xmlns="{ZEEREX_NS}">',
        f'<serverInfo protocol="SRU" version="{xml_text(version)}" transport="{request.scheme}">',
        f"<host>{xml_text(name)}</host><port>{xml_text(port)}</port><database>sru</database></serverInfo>",
        f'<databaseInfo><title lang="en" primary="true">{xml_text(title)}</title></databaseInfo>',
        "<indexInfo>",
    ]
    for prefix, uri in cql.CONTEXT_SETS.items():
        out.append(f"<set name={quoteattr(prefix)} identifier={quoteattr(uri)}/>")
    for prefix, key in cql.INDEXES:
        index_name = cql.INDEX_NAMES.get(key, key)
        title_text = f"{prefix}.{index_name}"
        out.append(
            f'<index search="true" scan="{_flag(cql.INDEXES[(prefix, key)] in SCAN_INDEXES)}"'
            f' sort="{_flag((prefix, key) in cql.SORT_KEYS)}">'
            f"<title>{xml_text(title_text)}</title>"
            f"<map><name set={quoteattr(prefix)}>{xml_text(index_name)}</name></map>"
            "</index>"
        )
    out.append("</indexInfo><schemaInfo>")
    for schema in SCHEMAS:
        out.append(
            f'<schema identifier={quoteattr(schema.uri)} name={quoteattr(schema.name)} retrieve="true">'
            f"<title>{xml_text(schema.title)}</title></schema>"
        )
    out.append(
        "</schemaInfo><configInfo>"
        f'<default type="numberOfRecords">{DEFAULT_RECORDS}</default>'
        f'<default type="retrieveSchema">{SCHEMAS[0].name}</default>'
        f'<default type="contextSet">dc</default>'
        '<default type="relation">=</default>'
        f'<setting type="maximumRecords">{MAX_RECORDS}</setting>'
        '<supports type="relation">=</supports><supports type="relation">==</supports>'
        '<supports type="relation">all</supports><supports type="relation">any</supports>'
        '<supports type="relation">adj</supports>'
        '<supports type="booleanOperator">and</supports><supports type="booleanOperator">or</supports>'
        '<supports type="booleanOperator">not</supports>'
        "</configInfo></explain>"
    )
    return "".join(out)
