"""Building OPDS 1.2 (Atom) feeds with lxml, so every document is well-formed and namespaced.

Entries are digital resources (one publication each, titled by its record); a resource's content
files are its acquisition links (open-access or restricted by its licence), its cover file the image
and thumbnail links.
"""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from lxml import etree

from pustaka.core.xml import xml_safe
from pustaka.digital.access import seat_guarded

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
NSMAP = {None: ATOM, "dc": DC, "opds": OPDS, "opensearch": OPENSEARCH}

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
REL_ACQUISITION = "http://opds-spec.org/acquisition"
REL_OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
REL_IMAGE = "http://opds-spec.org/image"
REL_THUMBNAIL = "http://opds-spec.org/image/thumbnail"
REL_NEW = "http://opds-spec.org/sort/new"


def _sub(parent, tag, text=None, ns=ATOM, **attrs):
    """A child element; every attribute value and the text are cleaned of what XML cannot hold."""
    cleaned = {k: xml_safe(str(v)) for k, v in attrs.items() if v is not None}
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", cleaned)
    if text is not None:
        element.text = xml_safe(str(text))
    return element


def _when(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")


class Feed:
    """One feed: ``Feed(request, id, title, kind)``, then links and entries, then :meth:`render`."""

    def __init__(self, request, *, feed_id: str, title: str, kind: str, updated=None):
        self.request = request
        self.kind = kind
        self.root = etree.Element(f"{{{ATOM}}}feed", nsmap=NSMAP)
        _sub(self.root, "id", feed_id)
        _sub(self.root, "title", title)
        _sub(self.root, "updated", _when(updated))
        author = _sub(self.root, "author")
        _sub(author, "name", "Pustaka")
        _sub(author, "uri", request.build_absolute_uri("/"))
        self.link("self", request.get_full_path(), kind)
        self.link("start", reverse("opds:root"), NAVIGATION)
        self.link("search", reverse("opds:search_description"), OPENSEARCH_TYPE)

    @property
    def content_type(self) -> str:
        return ACQUISITION if self.kind == "acquisition" else NAVIGATION

    def link(self, rel, href, type_, parent=None, **attrs):
        if type_ in ("acquisition", "navigation"):
            type_ = ACQUISITION if type_ == "acquisition" else NAVIGATION
        return _sub(parent if parent is not None else self.root, "link", rel=rel, href=href, type=type_, **attrs)

    def paging(self, *, page: int, pages: int, total: int, per_page: int, base: str, params: dict) -> None:
        """first/previous/next/last links and the OpenSearch counts."""

        def href(number):
            query = {**params, "page": number} if number > 1 else dict(params)
            return base + ("?" + urlencode(query) if query else "")

        self.link("first", href(1), ACQUISITION)
        if page > 1:
            self.link("previous", href(min(page - 1, pages)), ACQUISITION)
        if page < pages:
            self.link("next", href(page + 1), ACQUISITION)
        self.link("last", href(pages), ACQUISITION)
        _sub(self.root, "totalResults", total, ns=OPENSEARCH)
        _sub(self.root, "itemsPerPage", per_page, ns=OPENSEARCH)
        _sub(self.root, "startIndex", (page - 1) * per_page + 1, ns=OPENSEARCH)

    def navigation_entry(self, *, entry_id: str, title: str, href: str, content: str = "", kind="acquisition"):
        entry = _sub(self.root, "entry")
        _sub(entry, "title", title)
        _sub(entry, "id", entry_id)
        _sub(entry, "updated", _when(None))
        if content:
            _sub(entry, "content", content, type="text")
        self.link("subsection", href, kind, parent=entry)
        return entry

    def resource_entry(self, resource) -> None:
        """One publication: title, authors, language, subjects, summary, covers and acquisition links."""
        record = resource.record
        entry = _sub(self.root, "entry")
        _sub(entry, "title", record.title + (f" : {record.subtitle}" if record.subtitle else ""))
        _sub(entry, "id", f"urn:pustaka:resource:{resource.pk}")
        _sub(entry, "updated", _when(resource.updated_at))
        for person in (record.contributors or [])[:10]:
            if isinstance(person, dict) and person.get("name"):
                author = _sub(entry, "author")
                _sub(author, "name", person["name"])
        if record.language:
            _sub(entry, "language", record.language, ns=DC)
        if record.publisher:
            _sub(entry, "publisher", record.publisher, ns=DC)
        if record.year:
            _sub(entry, "issued", record.year, ns=DC)
        for isbn in (record.isbns or ([record.isbn] if record.isbn else []))[:3]:
            _sub(entry, "identifier", f"urn:isbn:{isbn}", ns=DC)
        for subject in (record.subjects or [])[:10]:
            _sub(entry, "category", term=xml_safe(str(subject)), label=xml_safe(str(subject)))
        if record.summary:
            _sub(entry, "summary", record.summary[:2000], type="text")
        licence = resource.licence
        # open-access only for a link anyone may follow: no login, no on-site range, no seat to borrow
        open_access = bool(
            licence
            and licence.is_open_access
            and not licence.ip_ranges.strip()
            and not seat_guarded(resource, "download")
        )
        downloadable = licence is not None and licence.download_allowed
        for link in resource.opds_files:
            stored = link.file
            args = [resource.pk, link.pk]
            if link.role == "cover":
                href = reverse("digital_public:cover", args=args)
                self.link(REL_IMAGE, href, stored.mime_type, parent=entry)
                self.link(REL_THUMBNAIL, href, stored.mime_type, parent=entry)
            elif downloadable and stored.state == "ok":
                rel = REL_OPEN_ACCESS if open_access else REL_ACQUISITION
                href = reverse("opds:download", args=args)
                self.link(rel, href, stored.mime_type, parent=entry, length=stored.size)
        self.link(
            "alternate", reverse("opac:record", args=[record.pk]), "text/html", parent=entry, title=record.title[:200]
        )

    def render(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=False)


def opensearch_description(request) -> bytes:
    """The OpenSearch description document pointing at ``/opds/search?q={searchTerms}``."""
    root = etree.Element(f"{{{OPENSEARCH}}}OpenSearchDescription", nsmap={None: OPENSEARCH})
    _sub(root, "ShortName", "Pustaka", ns=OPENSEARCH)
    _sub(root, "Description", gettext("Search the digital library"), ns=OPENSEARCH)
    _sub(root, "InputEncoding", "UTF-8", ns=OPENSEARCH)
    _sub(root, "OutputEncoding", "UTF-8", ns=OPENSEARCH)
    template = request.build_absolute_uri(reverse("opds:search")) + "?q={searchTerms}&page={startPage?}"
    _sub(root, "Url", ns=OPENSEARCH, type=ACQUISITION, template=template)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
