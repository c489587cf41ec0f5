"""Reading MARCXML (checked well-formed first, then streamed record by record), and telling the formats apart."""

import re
import xml.parsers.expat
from collections.abc import Iterator
from typing import BinaryIO
from xml.sax import make_parser
from xml.sax.handler import feature_external_ges, feature_external_pes, feature_namespaces

from django.utils.translation import gettext as _
from pymarc.marcxml import XmlHandler

from .iso2709 import _VALID_TAG, _reason_from_exception
from .parsed import READ_SIZE, Parsed, Rejected

_XML_START = re.compile(rb"<(?:[\w.-]+:)?(?:collection|record)[\s>/]")


class _StreamingHandler(XmlHandler):
    """pymarc's MARCXML handler, collecting records (or the reason one is broken) as they end."""

    def __init__(self):
        super().__init__(strict=False)
        self.ready: list[Parsed] = []
        self.position = 0
        self.error: str | None = None
        self.locator = None
        self.line: int | None = None

    def setDocumentLocator(self, locator):
        self.locator = locator

    def startElementNS(self, name, qname, attrs):
        if name[1] == "record":
            self.position += 1
            self.error = None
            self.line = self.locator.getLineNumber() if self.locator else None
        if self.error:
            return
        try:
            if name[1] == "datafield":
                tag = attrs.get((None, "tag"), "")
                if not _VALID_TAG.match(tag or ""):
                    raise Rejected(_("field tag “%(tag)s” is not valid") % {"tag": tag})
                for ind in ("ind1", "ind2"):
                    if len(attrs.get((None, ind), " ")) != 1:
                        raise Rejected(_("field %(tag)s has an indicator that is not one character") % {"tag": tag})
            elif name[1] == "controlfield":
                tag = attrs.get((None, "tag"), "")
                if not _VALID_TAG.match(tag or ""):
                    raise Rejected(_("field tag “%(tag)s” is not valid") % {"tag": tag})
            elif name[1] == "subfield":
                code = attrs.get((None, "code"), "")
                if len(code) != 1 or not code.isascii() or not code.isprintable():
                    raise Rejected(_("a subfield code is not an ASCII letter or digit"))
            super().startElementNS(name, qname, attrs)
        except Rejected as exc:
            self.error = str(exc)
        except Exception as exc:
            self.error = _reason_from_exception(exc)

    def endElementNS(self, name, qname):
        if self.error:
            if name[1] == "record":
                self.ready.append(Parsed(self.position, error=self.error, line=self.line))
                self.error = None
                self._record = None
                self._field = None
            self._text = []
            return
        try:
            if name[1] == "leader" and len("".join(self._text)) != 24:
                raise Rejected(_("the leader is not 24 characters long"))
            super().endElementNS(name, qname)
        except Rejected as exc:
            self.error = str(exc)
        except Exception as exc:
            self.error = _reason_from_exception(exc)
        if self.error and name[1] == "record":
            self.endElementNS(name, qname)

    def process_record(self, record):
        try:
            raw = record.as_marc()
        except Exception as exc:
            self.ready.append(Parsed(self.position, error=_reason_from_exception(exc), line=self.line))
            return
        if len(raw) > 99999:
            self.ready.append(
                Parsed(self.position, error=_("the record is longer than ISO 2709 allows"), line=self.line)
            )
            return
        self.ready.append(
            Parsed(self.position, leader=str(record.leader), fields=record.fields, raw=raw, line=self.line)
        )


def _xml_problem(stream: BinaryIO) -> str | None:
    """Check that the whole file is well-formed XML before anything is imported from it."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        while data := stream.read(READ_SIZE):
            parser.Parse(data, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        return _("the file is not well-formed XML (line %(line)s, column %(column)s: %(error)s)") % {
            "line": exc.lineno,
            "column": exc.offset,
            "error": xml.parsers.expat.ErrorString(exc.code),
        }
    finally:
        stream.seek(0)
    return None


def iter_marcxml(stream: BinaryIO) -> Iterator[Parsed]:
    """Read MARCXML records one at a time (a streaming SAX parse); a broken file yields one error at position 0."""
    problem = _xml_problem(stream)
    if problem:
        yield Parsed(0, error=problem)
        return
    handler = _StreamingHandler()
    parser = make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    parser.setContentHandler(handler)
    while data := stream.read(READ_SIZE):
        parser.feed(data)
        yield from handler.ready
        handler.ready = []
    parser.close()
    yield from handler.ready
    if handler.position == 0:
        yield Parsed(0, error=_("the file has no MARCXML records"))


def detect_format(stream: BinaryIO) -> str | None:
    """``iso2709`` or ``marcxml`` from the first bytes of the file (never from its name), or None."""
    head = stream.read(65536)
    stream.seek(0)
    start = head.lstrip(b"\xef\xbb\xbf \r\n\t\x00")
    if len(start) >= 5 and start[:5].isdigit():
        return "iso2709"
    if start.startswith(b"<") and _XML_START.search(head):
        return "marcxml"
    return None
