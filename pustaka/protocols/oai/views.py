"""OAI-PMH 2.0 data provider at ``/oai``: the six verbs, ``oai_dc`` and ``marc21``, sets, persistent deletes.

Who may use it: anyone (a public harvesting endpoint, like the public catalogue). It only ever shows what the
public catalogue shows: suppressed records are reported as deleted, never with their metadata.

Records are sent from the record cache (:mod:`pustaka.recordcache`): a page of 100 is one query for the
records' headers and one for their texts (built once per record, rebuilt after the record changes); the texts
are put into the answer as they are, not parsed again.

Harvest order is ``(datestamp, record id)`` with keyset paging. A resumption token is a signed
(``django.core.signing``) cursor: the last ``(updated_at, id)`` sent, the metadata prefix, set, ``from`` and an
``until`` frozen when the harvest started, so a harvest survives server restarts, a forged or altered token is
refused, and a record edited during a harvest moves past the frozen ``until`` (the next incremental harvest picks
it up) instead of being sent twice or shifting the pages.
"""

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Min, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from pustaka.catalog.choices import MaterialType
from pustaka.catalog.marc import MARCXML_NS
from pustaka.catalog.models import DeletedRecord, Record
from pustaka.core.queries import library_name
from pustaka.core.xml import has_illegal, xml_safe
from pustaka.recordcache import cache as recordcache

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
MARC21_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TOKEN_SALT = "pustaka.protocols.oai.resumption"

METADATA_FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    "marc21": (MARC21_SCHEMA, MARCXML_NS),
}

# Arguments each verb accepts: (required, optional). resumptionToken is always exclusive.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_DOMAIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")
_PREFIX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
_SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")


def page_size() -> int:
    """Records (or headers) per page of a list answer: setting ``OAI_PAGE_SIZE``, default 100."""
    return int(getattr(settings, "OAI_PAGE_SIZE", 100))


def token_lifetime() -> timedelta:
    """How long a resumption token stays valid: setting ``OAI_TOKEN_LIFETIME`` (seconds), default 7 days."""
    return timedelta(seconds=int(getattr(settings, "OAI_TOKEN_LIFETIME", 7 * 24 * 3600)))


def admin_email() -> str:
    """Setting ``OAI_ADMIN_EMAIL`` or env ``PUSTAKA_OAI_ADMIN_EMAIL``; a reserved example address by default."""
    return (
        getattr(settings, "OAI_ADMIN_EMAIL", None) or os.environ.get("PUSTAKA_OAI_ADMIN_EMAIL") or "admin@example.org"
    )


def repository_id(request) -> str:
    """The namespace part of identifiers: setting ``OAI_REPOSITORY_ID`` / env, else the request's host name."""
    configured = getattr(settings, "OAI_REPOSITORY_ID", None) or os.environ.get("PUSTAKA_OAI_REPOSITORY_ID")
    return configured or request.get_host().rsplit(":", 1)[0].strip("[]") or "localhost"


class OaiError(Exception):
    """A protocol error: answered as ``<error code=...>`` (HTTP 200, as the protocol wants)."""

    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message


# --- Sets: an extension point ---------------------------------------------------------------------


class MaterialTypeSets:
    """Sets by material type: ``type`` (every record) and ``type:<material type>``."""

    prefix = "type"

    def list_sets(self) -> list[tuple[str, str]]:
        sets = [(self.prefix, str(_("Records by material type")))]
        sets += [(f"{self.prefix}:{value}", str(label)) for value, label in MaterialType.choices]
        return sets

    def handles(self, spec: str) -> bool:
        return spec == self.prefix or spec.startswith(self.prefix + ":")

    def known(self, spec: str) -> bool:
        return spec == self.prefix or spec[len(self.prefix) + 1 :] in MaterialType.values

    def record_filter(self, spec: str) -> Q:
        return Q() if spec == self.prefix else Q(material_type=spec[len(self.prefix) + 1 :])

    def deleted_filter(self, spec: str) -> Q:
        return self.record_filter(spec)

    def set_specs(self, entries) -> dict[int, list[str]]:
        """The setSpecs of a page of entries, by record id (one call per page: no query per record)."""
        return {entry.record_id: [f"{self.prefix}:{entry.material_type}"] for entry in entries}


class CollectionSets:
    """Sets by curated collection (``collection:<code>``, e.g. ``collection:jurnal-teknik``): the
    records with a digital resource in a public collection. A deleted record keeps no memberships,
    so a collection set reports no deletions (harvest ``type`` for those)."""

    prefix = "collection"

    def _collections(self):
        from pustaka.digital.models import Collection

        return Collection.objects.filter(is_public=True)

    def list_sets(self) -> list[tuple[str, str]]:
        return [(f"{self.prefix}:{code}", name) for code, name in self._collections().values_list("code", "name")]

    def handles(self, spec: str) -> bool:
        return spec.startswith(self.prefix + ":")

    def known(self, spec: str) -> bool:
        return self._collections().filter(code=spec[len(self.prefix) + 1 :]).exists()

    def record_filter(self, spec: str) -> Q:
        code = spec[len(self.prefix) + 1 :]
        from pustaka.digital.models import DigitalResource

        members = DigitalResource.objects.filter(collections__code=code, collections__is_public=True)
        return Q(pk__in=members.values("record_id"))

    def deleted_filter(self, spec: str) -> Q:
        return Q(pk__in=[])

    def set_specs(self, entries) -> dict[int, list[str]]:
        """The collection setSpecs of a page of entries, in one query."""
        from pustaka.digital.models import DigitalResource

        ids = [entry.record_id for entry in entries if not entry.deleted]
        rows = (
            DigitalResource.collections.through.objects.filter(
                digitalresource__record_id__in=ids, collection__is_public=True
            )
            .values_list("digitalresource__record_id", "collection__code")
            .distinct()
            .order_by("digitalresource__record_id", "collection__code")
        )
        specs: dict[int, list[str]] = {}
        for record_id, code in rows:
            specs.setdefault(record_id, []).append(f"{self.prefix}:{code}")
        return specs


SET_PROVIDERS: list = [MaterialTypeSets(), CollectionSets()]


def _provider_for(spec: str):
    for provider in SET_PROVIDERS:
        if provider.handles(spec) and provider.known(spec):
            return provider
    return None


# --- Dates ----------------------------------------------------------------------------------------


def _parse_date(value: str, *, upper: bool) -> tuple[datetime, str]:
    """A from/until argument as an aware UTC bound; ``until`` becomes exclusive (end of its second or day)."""
    try:
        if _SECONDS.match(value):
            moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return (moment + timedelta(seconds=1) if upper else moment), "seconds"
        if _DAY.match(value):
            moment = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
            return (moment + timedelta(days=1) if upper else moment), "day"
    except ValueError:
        pass
    raise OaiError("badArgument", _("The date %(value)s is not YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.") % {"value": value})


def datestamp(moment: datetime) -> str:
    """A datestamp at seconds granularity, UTC with Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- Items of a harvest ---------------------------------------------------------------------------


@dataclass
class Entry:
    """One record of the harvest stream: a live record, or a deleted/suppressed one (header only)."""

    moment: datetime
    record_id: int
    material_type: str
    record: Record | None  # None for a tombstone
    deleted: bool


def _record_entry(record: Record) -> Entry:
    return Entry(record.updated_at, record.pk, record.material_type, record, record.is_suppressed)


def _tombstone_entry(tomb: DeletedRecord) -> Entry:
    return Entry(tomb.deleted_at, tomb.record_id, tomb.material_type, None, True)


# --- XML ------------------------------------------------------------------------------------------


def _q(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


def _sub(parent, name: str, text=None, **attrs):
    """A child element; the text and attribute values are cleaned of what XML cannot hold."""
    element = etree.SubElement(parent, _q(name), {k: xml_safe(str(v)) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_safe(str(text))
    return element


class Responder:
    """Builds one OAI-PMH answer for one request."""

    def __init__(self, request, params: dict[str, str]):
        self.request = request
        self.params = params
        self.base_url = request.build_absolute_uri(request.path)
        self.repo = repository_id(request)
        self.root = etree.Element(_q("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
        self.root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
        _sub(self.root, "responseDate", datestamp(timezone.now()))
        self.request_element = _sub(self.root, "request", self.base_url)
        self.specs: dict[int, list[str]] = {}
        self.texts: dict[int, str] = {}
        self.metadata_parts: list[bytes] = []

    def render(self, *, echo: bool) -> HttpResponse:
        if echo:
            for key, value in self.params.items():
                if key == "identifier" and re.search(r"\s", value):
                    continue  # not a URI: leave it out rather than echo something the schema refuses
                self.request_element.set(key, value)
        body = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")
        if self.metadata_parts:  # each record's ready-made XML in place of its marker
            parts = self.metadata_parts
            body = _MARKER.sub(lambda m: b"<metadata>" + parts[int(m.group(1))] + b"</metadata>", body)
        return HttpResponse(body, content_type="text/xml; charset=utf-8")

    def error(self, error: OaiError, *, echo: bool) -> HttpResponse:
        for child in list(self.root)[2:]:
            self.root.remove(child)
        self.metadata_parts = []
        _sub(self.root, "error", str(error.message), code=error.code)
        return self.render(echo=echo)

    # identifiers

    def identifier(self, record_id: int) -> str:
        return f"oai:{self.repo}:{record_id}"

    def record_id(self, identifier: str) -> int:
        prefix = f"oai:{self.repo}:"
        rest = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
        if not rest.isdigit() or len(rest) > 18:
            raise OaiError("idDoesNotExist", _("No record has the identifier %(id)s.") % {"id": identifier})
        return int(rest)

    def entry(self, identifier: str) -> Entry:
        record_id = self.record_id(identifier)
        record = Record.objects.filter(pk=record_id).only(*HEADER_FIELDS).first()
        if record is not None:
            return _record_entry(record)
        tomb = DeletedRecord.objects.filter(record_id=record_id).first()
        if tomb is not None:
            return _tombstone_entry(tomb)
        raise OaiError("idDoesNotExist", _("No record has the identifier %(id)s.") % {"id": identifier})

    # parts

    def load_sets(self, entries) -> None:
        """Fetch the set memberships of the entries about to be shown, provider by provider."""
        self.specs = {}
        for provider in SET_PROVIDERS:
            for record_id, specs in provider.set_specs(entries).items():
                self.specs.setdefault(record_id, []).extend(specs)

    def header(self, parent, entry: Entry):
        attrs = {"status": "deleted"} if entry.deleted else {}
        header = _sub(parent, "header", **attrs)
        _sub(header, "identifier", self.identifier(entry.record_id))
        _sub(header, "datestamp", datestamp(entry.moment))
        for spec in self.specs.get(entry.record_id, []):
            _sub(header, "setSpec", spec)
        return header

    def load_texts(self, entries, prefix: str) -> None:
        """The metadata of the live entries about to be shown, from the record cache in one go."""
        ids = [entry.record_id for entry in entries if not entry.deleted]
        form = recordcache.Form.DC if prefix == "oai_dc" else recordcache.Form.MARCXML
        self.texts = recordcache.texts(ids, form, context=recordcache.request_context(self.request), public_only=False)

    def metadata(self, record_id: int, prefix: str) -> bytes:
        text = self.texts[record_id]
        if prefix == "oai_dc":
            return text.encode("utf-8")
        return (MARC_OPENING + text[len("<record>") :]).encode("utf-8")

    def record(self, parent, entry: Entry, prefix: str):
        element = _sub(parent, "record")
        self.header(element, entry)
        if not entry.deleted and entry.record_id in self.texts:
            # a marker now, the record's XML when the answer is written (see render)
            etree.SubElement(element, _q("metadata")).text = f"{_MARK}{len(self.metadata_parts)}{_MARK}"
            self.metadata_parts.append(self.metadata(entry.record_id, prefix))


MARC_OPENING = (
    f'<record xmlns="{MARCXML_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{MARCXML_NS} {MARC21_SCHEMA}"'
    ' type="Bibliographic">'
)
#: The columns a harvest reads from each record (its text comes from the record cache).
HEADER_FIELDS = ("pk", "updated_at", "material_type", "is_suppressed")
_MARK = "\ue000"  # a private-use character: no header (identifier, datestamp, setSpec) holds one
_MARKER = re.compile(b"<metadata>" + _MARK.encode() + b"(\\d+)" + _MARK.encode() + b"</metadata>")


# --- Verbs ----------------------------------------------------------------------------------------


def _check_prefix(prefix: str) -> None:
    if prefix not in METADATA_FORMATS:
        raise OaiError("cannotDisseminateFormat", _("The metadata format %(p)s is not offered.") % {"p": prefix})


def identify(r: Responder) -> None:
    """Identify: the repository's name, base URL, earliest datestamp and policies."""
    earliest = [
        Record.objects.aggregate(m=Min("updated_at"))["m"],
        DeletedRecord.objects.aggregate(m=Min("deleted_at"))["m"],
    ]
    earliest = [m for m in earliest if m is not None]
    element = _sub(r.root, "Identify")
    _sub(element, "repositoryName", library_name())
    _sub(element, "baseURL", r.base_url)
    _sub(element, "protocolVersion", "2.0")
    _sub(element, "adminEmail", admin_email())
    _sub(element, "earliestDatestamp", datestamp(min(earliest) if earliest else timezone.now()))
    _sub(element, "deletedRecord", "persistent")
    _sub(element, "granularity", GRANULARITY)
    if _DOMAIN.match(r.repo):  # the oai-identifier scheme needs a domain name (not "localhost")
        description = _sub(element, "description")
        scheme = etree.SubElement(
            description, f"{{{OAI_IDENTIFIER_NS}}}oai-identifier", nsmap={None: OAI_IDENTIFIER_NS}
        )
        scheme.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_NS}.xsd")
        for name, text in (
            ("scheme", "oai"),
            ("repositoryIdentifier", r.repo),
            ("delimiter", ":"),
            ("sampleIdentifier", r.identifier(1)),
        ):
            etree.SubElement(scheme, f"{{{OAI_IDENTIFIER_NS}}}{name}").text = text


def list_metadata_formats(r: Responder) -> None:
    """ListMetadataFormats: oai_dc and marc21 (for one item when ``identifier`` is given)."""
    formats = dict(METADATA_FORMATS)
    if "identifier" in r.params:
        formats = formats_for(r.entry(r.params["identifier"]))
        if not formats:
            raise OaiError("noMetadataFormats", _("No metadata formats are available for this item."))
    element = _sub(r.root, "ListMetadataFormats")
    for prefix, (schema, namespace) in formats.items():
        fmt = _sub(element, "metadataFormat")
        _sub(fmt, "metadataPrefix", prefix)
        _sub(fmt, "schema", schema)
        _sub(fmt, "metadataNamespace", namespace)


def formats_for(entry: Entry) -> dict:
    """The formats one item can be disseminated in (every record, deleted ones included, has both)."""
    return dict(METADATA_FORMATS)


def list_sets(r: Responder) -> None:
    """ListSets: every set of every provider (a short list: no resumption token is ever issued)."""
    if "resumptionToken" in r.params:
        raise OaiError("badResumptionToken", _("This resumption token is not valid."))
    sets = [s for provider in SET_PROVIDERS for s in provider.list_sets()]
    if not sets:
        raise OaiError("noSetHierarchy", _("This repository does not support sets."))
    element = _sub(r.root, "ListSets")
    for spec, name in sets:
        item = _sub(element, "set")
        _sub(item, "setSpec", spec)
        _sub(item, "setName", name)


def get_record(r: Responder) -> None:
    """GetRecord: one record in the requested format (a deleted one as a header with status="deleted")."""
    prefix = r.params["metadataPrefix"]
    entry = r.entry(r.params["identifier"])
    _check_prefix(prefix)
    r.load_sets([entry])
    r.load_texts([entry], prefix)
    r.record(_sub(r.root, "GetRecord"), entry, prefix)


def _harvest_from_args(r: Responder, verb: str) -> dict:
    """The harvest state for a first request (no token): validated arguments and a frozen ``until``."""
    prefix = r.params["metadataPrefix"]
    start = end = None
    grains = set()
    if "from" in r.params:
        start, grain = _parse_date(r.params["from"], upper=False)
        grains.add(grain)
    if "until" in r.params:
        end, grain = _parse_date(r.params["until"], upper=True)
        grains.add(grain)
    if len(grains) > 1:
        raise OaiError("badArgument", _("from and until must have the same granularity."))
    if start and end and start >= end:
        raise OaiError("badArgument", _("from must not be later than until."))
    spec = r.params.get("set")
    if spec is not None and not _SET_SPEC.match(spec):
        raise OaiError("badArgument", _("The set %(s)s is not a valid setSpec.") % {"s": spec})
    _check_prefix(prefix)
    if spec is not None:
        if not SET_PROVIDERS:
            raise OaiError("noSetHierarchy", _("This repository does not support sets."))
        if _provider_for(spec) is None:
            raise OaiError("noRecordsMatch", _("There is no set %(s)s.") % {"s": spec})
    now = timezone.now()
    frozen = min(end, now) if end else now
    return {
        "v": verb,
        "p": prefix,
        "s": spec,
        "f": start.isoformat() if start else None,
        "u": frozen.isoformat(),
        "c": None,
        "n": 0,
    }


def _harvest_from_token(r: Responder, verb: str) -> dict:
    try:
        state = signing.loads(r.params["resumptionToken"], salt=TOKEN_SALT, max_age=token_lifetime().total_seconds())
    except (signing.BadSignature, ValueError, TypeError):
        raise OaiError("badResumptionToken", _("This resumption token is not valid or has expired.")) from None
    if not isinstance(state, dict) or state.get("v") != verb:
        raise OaiError("badResumptionToken", _("This resumption token is not valid or has expired."))
    return state


def _filters(state: dict) -> tuple[Q, Q]:
    records, deleted = Q(updated_at__lt=state["u"]), Q(deleted_at__lt=state["u"])
    if state["f"]:
        records &= Q(updated_at__gte=state["f"])
        deleted &= Q(deleted_at__gte=state["f"])
    if state["s"]:
        provider = _provider_for(state["s"])
        if provider is None:  # the set went away during the harvest (a collection removed, say)
            raise OaiError("badResumptionToken", _("The set of this harvest no longer exists."))
        records &= provider.record_filter(state["s"])
        deleted &= provider.deleted_filter(state["s"])
    return records, deleted


def list_records(r: Responder, verb: str) -> None:
    """ListRecords / ListIdentifiers: one page of the harvest, with a resumption token if more follow."""
    state = _harvest_from_token(r, verb) if "resumptionToken" in r.params else _harvest_from_args(r, verb)
    records_q, deleted_q = _filters(state)
    size = page_size()
    if state["c"]:
        moment, last_id = state["c"]
        # after (moment, last id): the lower bound on the datestamp alone lets the database start the
        # walk of its (datestamp, id) index there instead of at the first record ever harvested
        records_page_q = records_q & Q(updated_at__gte=moment) & (Q(updated_at__gt=moment) | Q(pk__gt=last_id))
        deleted_page_q = deleted_q & Q(deleted_at__gte=moment) & (Q(deleted_at__gt=moment) | Q(record_id__gt=last_id))
    else:
        records_page_q, deleted_page_q = records_q, deleted_q
    records = Record.objects.filter(records_page_q).order_by("updated_at", "pk").only(*HEADER_FIELDS)
    entries = [_record_entry(x) for x in records[: size + 1]]
    tombs = DeletedRecord.objects.filter(deleted_page_q).order_by("deleted_at", "record_id")[: size + 1]
    entries += [_tombstone_entry(t) for t in tombs]
    entries.sort(key=lambda e: (e.moment, e.record_id))
    page, more = entries[:size], len(entries) > size
    if not page:
        raise OaiError("noRecordsMatch", _("No records match this request."))
    r.load_sets(page)
    if verb == "ListRecords":
        r.load_texts(page, state["p"])
    element = _sub(r.root, verb)
    for entry in page:
        if verb == "ListIdentifiers":
            r.header(element, entry)
        else:
            r.record(element, entry, state["p"])
    if more or state["c"]:
        # counted once per harvest, then carried in the token (the protocol allows an estimate)
        total = (
            state.get("t") or Record.objects.filter(records_q).count() + DeletedRecord.objects.filter(deleted_q).count()
        )
        attrs = {"cursor": state["n"]}
        if total > 0:
            attrs["completeListSize"] = total
        token = ""
        if more:
            last = page[-1]
            state = {**state, "c": [last.moment.isoformat(), last.record_id], "n": state["n"] + len(page), "t": total}
            token = signing.dumps(state, salt=TOKEN_SALT, compress=True)
            attrs["expirationDate"] = datestamp(timezone.now() + token_lifetime())
        _sub(element, "resumptionToken", token, **attrs)


# --- The endpoint ---------------------------------------------------------------------------------


def _arguments(request) -> tuple[dict[str, str], set[str]]:
    """The request's arguments and the names of those that are repeated."""
    data = request.POST if request.method == "POST" else request.GET
    params, repeated = {}, set()
    for key, values in data.lists():
        if len(values) > 1:
            repeated.add(key)
        params[key] = values[0]
    return params, repeated


@csrf_exempt
@require_http_methods(["GET", "POST"])
def oai(request):
    """The OAI-PMH endpoint (public: anyone may harvest; GET, or POST as application/x-www-form-urlencoded)."""
    params, repeated = _arguments(request)
    responder = Responder(request, params)
    verb = params.get("verb")
    if any(has_illegal(k) or has_illegal(v) for k, v in params.items()):
        responder.params = {}
        return responder.error(OaiError("badArgument", _("The request holds characters XML cannot carry.")), echo=False)
    if verb not in VERBS or "verb" in repeated:
        return responder.error(
            OaiError("badVerb", _("The verb is missing, repeated or not an OAI-PMH verb.")), echo=False
        )
    required, optional = VERBS[verb]
    given = set(params) - {"verb"}
    if repeated:
        return responder.error(OaiError("badArgument", _("An argument is repeated.")), echo=False)
    if "resumptionToken" in given and given != {"resumptionToken"}:
        return responder.error(
            OaiError("badArgument", _("resumptionToken cannot be combined with other arguments.")), echo=False
        )
    if given - required - optional:
        names = ", ".join(sorted(given - required - optional))
        return responder.error(OaiError("badArgument", _("Illegal argument: %(n)s.") % {"n": names}), echo=False)
    if "resumptionToken" not in given and required - given:
        names = ", ".join(sorted(required - given))
        return responder.error(OaiError("badArgument", _("Missing argument: %(n)s.") % {"n": names}), echo=False)
    if "metadataPrefix" in params and not _PREFIX.match(params["metadataPrefix"]):
        return responder.error(OaiError("badArgument", _("The metadataPrefix is not well formed.")), echo=False)
    try:
        if verb == "Identify":
            identify(responder)
        elif verb == "ListMetadataFormats":
            list_metadata_formats(responder)
        elif verb == "ListSets":
            list_sets(responder)
        elif verb == "GetRecord":
            get_record(responder)
        else:
            list_records(responder, verb)
    except OaiError as error:
        return responder.error(error, echo=error.code != "badArgument")
    return responder.render(echo=True)
