"""Searching one remote catalogue: SRU (CQL over HTTP, MARCXML records) or Z39.50 (PQF, ISO 2709).

:func:`search_target` asks ``target`` for what :class:`Terms` describe and returns a
:class:`TargetAnswer`: the hit count and the records, or the translated reason the catalogue could
not be searched (timed out, not reachable, answered with an error or with something that is not
SRU). Nothing here touches the database, so :mod:`pustaka.copycat.queries` runs one call per
catalogue in its own thread.
"""

import contextlib
import time
from dataclasses import dataclass, field

import requests
from django.utils.translation import gettext as _
from lxml import etree

from . import errors, records, z3950
from .choices import Protocol

USER_AGENT = "Pustaka copy cataloguing (SRU client)"
MAX_RESPONSE = 20 * 1024 * 1024
MARCXML_NS = "http://www.loc.gov/MARC21/slim"


@dataclass(frozen=True)
class Terms:
    """What to look for: an ISBN, a title and/or an author, or keywords (empty ones are left out)."""

    isbn: str = ""
    title: str = ""
    author: str = ""
    keywords: str = ""

    def cleaned(self) -> "Terms":
        """The terms with spaces tidied; the ISBN as given (checked by :func:`queries.check_terms`)."""
        tidy = lambda value: " ".join(str(value or "").split())[:200]  # noqa: E731
        return Terms(tidy(self.isbn).replace(" ", ""), tidy(self.title), tidy(self.author), tidy(self.keywords))

    @property
    def empty(self) -> bool:
        return not (self.isbn or self.title or self.author or self.keywords)


@dataclass
class TargetAnswer:
    """One catalogue's answer: ``hits`` and ``records`` (each readable or with its reason), or ``error``."""

    target: object
    hits: int = 0
    records: list = field(default_factory=list)
    error: errors.TargetFailed | None = None
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return str(self.target)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cql(terms: Terms) -> str:
    """The CQL query (bath.isbn, dc.title, dc.creator, cql.serverChoice) for ``terms``."""
    parts = []
    if terms.isbn:
        forms = records.isbn_forms(terms.isbn) or [terms.isbn]
        parts.append("(" + " or ".join(f"bath.isbn = {_quote(f)}" for f in forms) + ")")
    if terms.title:
        parts.append(f"dc.title all {_quote(terms.title)}")
    if terms.author:
        parts.append(f"dc.creator all {_quote(terms.author)}")
    if terms.keywords:
        parts.append(f"cql.serverChoice all {_quote(terms.keywords)}")
    return " and ".join(parts)


def pqf(terms: Terms) -> str:
    """The PQF query (Bib-1 use attributes: 7 ISBN, 4 title, 1003 author, 1016 any) for ``terms``."""
    clauses = []
    if terms.isbn:
        forms = records.isbn_forms(terms.isbn) or [terms.isbn]
        isbn = [f"@attr 1=7 {z3950.pqf_term(f)}" for f in forms]
        clauses.append(_join("@or", isbn))
    for use, text in (("4", terms.title), ("1003", terms.author), ("1016", terms.keywords)):
        clauses.extend(f"@attr 1={use} {z3950.pqf_term(word)}" for word in text.split())
    return _join("@and", clauses)


def _join(operator: str, clauses: list[str]) -> str:
    if len(clauses) == 1:
        return clauses[0]
    return f"{operator} {clauses[0]} {_join(operator, clauses[1:])}"


def search_target(target, terms: Terms, *, limit: int = 10, call_number_rule: str | None = None) -> TargetAnswer:
    """Search one catalogue; never raises for a catalogue's failure (it is the answer's ``error``).

    With ``call_number_rule`` given (the library's), nothing here reads the database."""
    started = time.monotonic()
    try:
        if target.protocol == Protocol.Z3950:
            answer = _search_z3950(target, terms, limit, call_number_rule)
        else:
            answer = _search_sru(target, terms, limit, call_number_rule)
    except errors.TargetFailed as exc:
        answer = TargetAnswer(target=target, error=exc)
    answer.seconds = time.monotonic() - started
    return answer


# --- Z39.50 -------------------------------------------------------------------------------------


def _search_z3950(target, terms: Terms, limit: int, rule: str | None) -> TargetAnswer:
    try:
        found = z3950.search(
            host=target.host,
            port=target.port or 210,
            database=target.database,
            query=pqf(terms),
            limit=limit,
            timeout=target.timeout,
            record_syntax=target.record_syntax,
        )
    except z3950.ZoomUnavailable as exc:
        raise errors.TargetFailed(target=str(target), detail=str(exc)) from None
    except z3950.ZoomError as exc:
        if exc.code == z3950.ERROR_TIMEOUT:
            raise errors.TargetTimeout(target=str(target), seconds=target.timeout) from None
        reasons = {
            z3950.ERROR_CONNECT: _("the connection failed"),
            z3950.ERROR_CONNECTION_LOST: _("the connection was lost"),
            z3950.ERROR_INIT: _("it refused to open a Z39.50 session"),
        }
        if exc.code in reasons:
            raise errors.TargetUnreachable(target=str(target), detail=reasons[exc.code]) from None
        raise errors.TargetRefused(target=str(target), detail=f"{exc} [{exc.code}]") from None
    found_records = [
        records.from_iso2709(chunk, target=target, position=position, call_number_rule=rule)
        for position, chunk in enumerate(found.records, start=1)
    ]
    return TargetAnswer(target=target, hits=found.hits, records=found_records)


# --- SRU ----------------------------------------------------------------------------------------


def _http_reason(exc: Exception) -> str:
    """Why an HTTP request failed, in words (not the library's text with the whole query in it)."""
    text = str(exc)
    if any(s in text for s in ("Name or service not known", "Failed to resolve", "name resolution", "nodename")):
        return _("the host name is not known")
    if "Connection refused" in text:
        return _("the connection was refused")
    if isinstance(exc, requests.exceptions.SSLError) or "SSL" in text:
        return _("the secure connection failed")
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return _("the address is not a valid URL")
    return _("the connection failed")


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element, name: str):
    for child in element:
        if _local(child) == name:
            return child
    return None


def _children(element, name: str):
    return [child for child in element if _local(child) == name]


def _search_sru(target, terms: Terms, limit: int, rule: str | None) -> TargetAnswer:
    params = {
        "version": "1.1",
        "operation": "searchRetrieve",
        "query": cql(terms),
        "maximumRecords": str(limit),
        "recordSchema": target.schema or "marcxml",
        "recordPacking": "xml",
    }
    try:
        response = requests.get(
            target.base_url,
            params=params,
            timeout=target.timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/xml, text/xml"},
            stream=True,
        )
        body = response.raw.read(MAX_RESPONSE + 1, decode_content=True)
    except requests.Timeout:
        raise errors.TargetTimeout(target=str(target), seconds=target.timeout) from None
    except requests.RequestException as exc:
        raise errors.TargetUnreachable(target=str(target), detail=_http_reason(exc)) from None
    if len(body) > MAX_RESPONSE:
        raise errors.TargetRefused(target=str(target), detail=_("the answer is larger than 20 MB"))
    if response.status_code >= 400 and b"searchRetrieveResponse" not in body:
        detail = _("HTTP status %(status)s") % {"status": response.status_code}
        raise errors.TargetRefused(target=str(target), detail=detail)
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError:
        detail = _("the answer is not XML (is this an SRU address?)")
        raise errors.TargetRefused(target=str(target), detail=detail) from None
    if _local(root) != "searchRetrieveResponse":
        raise errors.TargetRefused(target=str(target), detail=_("the answer is not an SRU searchRetrieve response"))
    diagnostics = _child(root, "diagnostics")
    if diagnostics is not None and len(diagnostics):
        first = diagnostics[0]
        message = " ".join(t for t in (_text(first, "message"), _text(first, "details")) if t)
        raise errors.TargetRefused(target=str(target), detail=message or _text(first, "uri"))
    try:
        hits = int(_text(root, "numberOfRecords") or 0)
    except ValueError:
        hits = 0
    found = []
    container = _child(root, "records")
    for position, record in enumerate(_children(container, "record") if container is not None else [], start=1):
        found.append(_sru_record(target, record, position, rule))
    return TargetAnswer(target=target, hits=hits, records=found)


def _text(element, name: str) -> str:
    child = _child(element, name)
    return " ".join((child.text or "").split()) if child is not None else ""


def _sru_record(target, record, position: int, rule: str | None):
    with contextlib.suppress(ValueError):
        position = int(_text(record, "recordPosition") or position)
    data = _child(record, "recordData")
    marc = None
    if data is not None:
        marcs = (el for el in data.iter() if _local(el) == "record" and etree.QName(el).namespace == MARCXML_NS)
        marc = next(marcs, None)
    if marc is None:
        if data is not None and (data.text or "").strip().startswith("<"):
            reason = _("the record is sent as escaped text; ask for recordPacking xml")
            return records.broken(target=target, position=position, reason=reason)
        return records.broken(
            target=target,
            position=position,
            reason=_("the record is not MARCXML (record schema: %(schema)s)")
            % {"schema": _text(record, "recordSchema") or "?"},
        )
    cover = ""
    extra = _child(record, "extraRecordData")
    if extra is not None:
        for element in extra.iter():
            text = (element.text or "").strip()
            if "cover" in _local(element).lower() and text.startswith(("http://", "https://")):
                cover = text[:500]
                break
    return records.from_marcxml(
        etree.tostring(marc), target=target, position=position, cover_url=cover, call_number_rule=rule
    )
