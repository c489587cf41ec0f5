"""Checking and reading e-books and PDFs: is the file sound, and what does it say about itself?

:func:`examine` looks inside a stored candidate according to its identified format and returns an
:class:`Extracted` (title, authors, language, publisher, ISBN, pages, cover image, encryption, warnings)
that prefills the catalogue record. A damaged file raises :class:`DamagedPdf` / :class:`DamagedEpub`
with the reason; an encrypted one is accepted with ``is_encrypted`` and a warning. Never a crash:
any unexpected exception of the parsing libraries becomes a "damaged" refusal.
"""

from __future__ import annotations

import logging
import posixpath
import re
import warnings
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from pustaka.catalog.identifiers import try_isbn
from pustaka.core.xml import xml_safe

from .errors_ingest import DamagedArchive, DamagedEpub, DamagedPdf
from .formats import Format

log = logging.getLogger(__name__)

#: ISO 639-1 codes (as e-books give them) to MARC language codes (as records keep them).
LANGUAGES = {
    "id": "ind",
    "in": "ind",
    "en": "eng",
    "fr": "fre",
    "de": "ger",
    "nl": "dut",
    "es": "spa",
    "pt": "por",
    "it": "ita",
    "tr": "tur",
    "ar": "ara",
    "ms": "may",
    "jv": "jav",
    "su": "sun",
    "ja": "jpn",
    "zh": "chi",
    "ko": "kor",
    "ru": "rus",
    "hi": "hin",
    "th": "tha",
    "vi": "vie",
}
JUNK_TITLE_RE = re.compile(r"(\.(pdf|docx?|odt|tex|indd|ps)$)|^(untitled|microsoft word.*|document\d*)$", re.I)
ENCRYPTION_NOT_DRM = {
    "http://www.idpf.org/2008/embedding",  # font obfuscation
    "http://ns.adobe.com/pdf/enc#RC",
}
OPF_NS = "{http://www.idpf.org/2007/opf}"
CONTAINER_NS = "{urn:oasis:names:tc:opendocument:xmlns:container}"
MAX_COVER_BYTES = 10 * 1024 * 1024


@dataclass
class Extracted:
    """What a file says about itself, to prefill a record; ``warnings`` are shown to the cataloguer."""

    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    language: str = ""
    publisher: str = ""
    isbn: str = ""
    year: int | None = None
    subjects: list[str] = field(default_factory=list)
    summary: str = ""
    page_count: int | None = None
    is_encrypted: bool = False
    warnings: list[str] = field(default_factory=list)
    cover: bytes | None = field(default=None, repr=False)
    cover_name: str = ""

    def as_metadata(self) -> dict:
        """The JSON kept on ``StoredFile.metadata`` (no cover bytes)."""
        data = asdict(self)
        data.pop("cover")
        return {k: v for k, v in data.items() if v not in ("", None, [], False)}

    def record_data(self) -> dict:
        """Fields for :func:`pustaka.catalog.actions.create_record` (only what the file told)."""
        data: dict = {}
        if self.title:
            data["title"] = self.title[:1000]
        if self.subtitle:
            data["subtitle"] = self.subtitle[:1000]
        if self.authors:
            data["contributors"] = [{"name": name[:300], "role": "author"} for name in self.authors[:20]]
        if self.language:
            data["language"] = self.language
        if self.publisher:
            data["publisher"] = self.publisher[:500]
        if self.isbn:
            data["isbns"] = [self.isbn]
        if self.year:
            data["year"] = self.year
        if self.subjects:
            data["subjects"] = [s[:300] for s in self.subjects[:20]]
        if self.summary:
            data["summary"] = self.summary[:5000]
        if self.page_count:
            data["extent"] = _("1 online resource (%(pages)s pages)") % {"pages": self.page_count}
        return data


def marc_language(value: str) -> str:
    """``en`` / ``en-US`` / ``eng`` → ``eng``; empty when unknown."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    if len(code) == 3 and code.isalpha():
        return code
    return LANGUAGES.get(code, "")


def _year(value: str) -> int | None:
    match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", value or "")
    return int(match.group(1)) if match else None


def _clean(value) -> str:
    """Metadata text on one line, without characters XML (and so every feed of the record) cannot hold."""
    if value is None:
        return ""
    return xml_safe(re.sub(r"\s+", " ", str(value))).strip()


def examine(path: Path, fmt: Format) -> Extracted:
    """Check and read a file of a format we know inside; other formats give an empty result."""
    if fmt.is_pdf:
        return examine_pdf(path)
    if fmt.is_epub:
        return examine_epub(path)
    if fmt.pronom_id in ZIP_BASED_PUIDS or fmt.mime_type == "application/zip":
        check_zip(path)
    return Extracted()


ZIP_BASED_PUIDS = {"x-fmt/263", "fmt/412", "fmt/214", "fmt/215", "fmt/290", "fmt/291"}


def check_zip(path: Path) -> None:
    """A ZIP-based file must open and every member must pass its CRC check."""
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise DamagedArchive(reason=_clean(exc)[:200] or type(exc).__name__) from None
    if broken is not None:
        raise DamagedArchive(reason=_("the part “%(name)s” is corrupt") % {"name": broken})


# --- PDF ------------------------------------------------------------------------------------------


def examine_pdf(path: Path) -> Extracted:
    """Pages, Info and XMP metadata of a PDF; a truncated or unreadable PDF is refused."""
    import pypdf
    from pypdf.errors import PdfReadError

    with open(path, "rb") as stream:
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(max(0, size - 2048))
        tail = stream.read()
    if b"%%EOF" not in tail:
        raise DamagedPdf(reason=_("the end of the file is missing (it was cut short)"))
    found = Extracted()
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(str(path), strict=False)
            if reader.is_encrypted:
                found.is_encrypted = True
                try:
                    opened = bool(reader.decrypt(""))
                except Exception:  # unsupported algorithm
                    opened = False
                if not opened:
                    found.warnings.append(
                        _(
                            "The PDF is encrypted with a password: its pages and metadata could not be read, "
                            "and readers will need the password to open it."
                        )
                    )
                    return found
                found.warnings.append(
                    _("The PDF is encrypted (with restrictions on printing or copying) but opens without a password.")
                )
            found.page_count = len(reader.pages)
            if found.page_count == 0:
                raise DamagedPdf(reason=_("it has no pages"))
            info = reader.metadata or {}
            _pdf_info(found, info)
            try:
                xmp = reader.xmp_metadata
            except Exception:
                xmp = None
            if xmp is not None:
                _pdf_xmp(found, xmp)
    except DamagedPdf:
        raise
    except (PdfReadError, Exception) as exc:  # pypdf raises many kinds on damaged files
        raise DamagedPdf(reason=_clean(exc)[:200] or type(exc).__name__) from None
    return found


def _pdf_info(found: Extracted, info) -> None:
    title = _clean(info.get("/Title"))
    if title and not JUNK_TITLE_RE.search(title):
        found.title = title
    author = _clean(info.get("/Author"))
    if author:
        found.authors = [a.strip() for a in re.split(r";|\band\b|&", author) if a.strip()]
    subject = _clean(info.get("/Subject"))
    if subject:
        found.summary = subject
    created = _clean(info.get("/CreationDate"))
    if created.startswith("D:"):
        found.year = _year(created[2:6])


def _pdf_xmp(found: Extracted, xmp) -> None:
    def first(value):
        if isinstance(value, dict):
            return _clean(value.get("x-default") or next(iter(value.values()), ""))
        if isinstance(value, list | tuple):
            return _clean(value[0]) if value else ""
        return _clean(value)

    if not found.title:
        title = first(xmp.dc_title)
        if title and not JUNK_TITLE_RE.search(title):
            found.title = title
    if not found.authors and xmp.dc_creator:
        found.authors = [_clean(a) for a in xmp.dc_creator if _clean(a)]
    if not found.language:
        found.language = marc_language(first(xmp.dc_language))
    if not found.publisher:
        found.publisher = first(xmp.dc_publisher)
    if not found.summary:
        found.summary = first(xmp.dc_description)
    identifier = first(xmp.dc_identifier)
    if identifier and not found.isbn:
        found.isbn = try_isbn(re.sub(r"^(urn:)?isbn:", "", identifier, flags=re.I)) or ""


# --- EPUB -----------------------------------------------------------------------------------------


def examine_epub(path: Path) -> Extracted:
    """Check an EPUB's structure (ZIP, mimetype, container, manifest, spine), then read it with ebooklib."""
    found = Extracted()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise DamagedEpub(reason=_("it is not a valid ZIP archive")) from None
    with archive:
        opf_path = _check_epub_structure(archive, found)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _read_with_ebooklib(path, found)
    except DamagedEpub:
        raise
    except Exception as exc:  # ebooklib raises many kinds on damaged files
        raise DamagedEpub(reason=_clean(exc)[:200] or type(exc).__name__) from None
    log.debug("EPUB %s read (package %s)", path, opf_path)
    return found


def _parse_xml(archive: zipfile.ZipFile, name: str, what: str):
    try:
        return ElementTree.fromstring(archive.read(name))
    except KeyError:
        raise DamagedEpub(reason=_("%(what)s “%(name)s” is missing") % {"what": what, "name": name}) from None
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise DamagedEpub(
            reason=_("%(what)s “%(name)s” cannot be read (%(error)s)") % {"what": what, "name": name, "error": exc}
        ) from None


def _check_epub_structure(archive: zipfile.ZipFile, found: Extracted) -> str:
    names = set(archive.namelist())
    try:
        broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise DamagedEpub(reason=_("the archive cannot be read (%(error)s)") % {"error": exc}) from None
    if broken is not None:
        raise DamagedEpub(reason=_("the part “%(name)s” is corrupt") % {"name": broken})
    if "mimetype" not in names:
        raise DamagedEpub(reason=_("the “mimetype” file is missing"))
    if archive.read("mimetype").strip() != b"application/epub+zip":
        raise DamagedEpub(reason=_("the “mimetype” file does not say application/epub+zip"))
    container = _parse_xml(archive, "META-INF/container.xml", _("the container file"))
    rootfile = container.find(f".//{CONTAINER_NS}rootfile")
    opf_path = rootfile.get("full-path", "") if rootfile is not None else ""
    if not opf_path:
        raise DamagedEpub(reason=_("the container file does not name the package document"))
    package = _parse_xml(archive, opf_path, _("the package document"))
    base = posixpath.dirname(opf_path)
    manifest_ids = set()
    for item in package.iter(f"{OPF_NS}item"):
        manifest_ids.add(item.get("id"))
        href = item.get("href", "")
        if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            continue  # remote resources are allowed by EPUB 3
        member = posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0])))
        if member not in names:
            raise DamagedEpub(reason=_("the manifest lists “%(href)s”, which is not in the file") % {"href": href})
    spine = package.find(f"{OPF_NS}spine")
    if spine is None or not len(spine):
        raise DamagedEpub(reason=_("it has no reading order (spine)"))
    for itemref in spine.iter(f"{OPF_NS}itemref"):
        if itemref.get("idref") not in manifest_ids:
            raise DamagedEpub(
                reason=_("the reading order (spine) refers to “%(id)s”, which is not in the manifest")
                % {"id": itemref.get("idref")}
            )
    if "META-INF/encryption.xml" in names:
        encryption = _parse_xml(archive, "META-INF/encryption.xml", _("the encryption file"))
        algorithms = {m.get("Algorithm") for m in encryption.iter() if m.tag.endswith("EncryptionMethod")}
        if algorithms - ENCRYPTION_NOT_DRM:
            found.is_encrypted = True
            found.warnings.append(
                _("The EPUB is protected by DRM (encrypted content); readers need the publisher's software.")
            )
    return opf_path


def _read_with_ebooklib(path: Path, found: Extracted) -> None:
    import ebooklib
    from ebooklib import epub

    book = epub.read_epub(str(path), options={"ignore_ncx": True})

    def values(name: str) -> list[str]:
        return [_clean(v[0]) for v in book.get_metadata("DC", name) if v and _clean(v[0])]

    titles = book.get_metadata("DC", "title")
    if titles:
        found.title = _clean(titles[0][0])
        for value, _attrs in titles[1:2]:
            found.subtitle = _clean(value)
    found.authors = values("creator")
    languages = values("language")
    if languages:
        found.language = marc_language(languages[0])
    publishers = values("publisher")
    if publishers:
        found.publisher = publishers[0]
    for identifier in values("identifier"):
        isbn = try_isbn(re.sub(r"^(urn:)?isbn:", "", identifier, flags=re.I))
        if isbn:
            found.isbn = isbn
            break
    dates = values("date")
    if dates:
        found.year = _year(dates[0])
    found.subjects = values("subject")
    descriptions = values("description")
    if descriptions:
        found.summary = re.sub(r"<[^>]+>", " ", descriptions[0]).strip()
    cover = _cover_item(book, ebooklib)
    if cover is not None:
        content = cover.get_content()
        if content and len(content) <= MAX_COVER_BYTES:
            found.cover = content
            found.cover_name = posixpath.basename(cover.get_name())


def _cover_item(book, ebooklib):
    covers = list(book.get_items_of_type(ebooklib.ITEM_COVER))
    if covers:
        return covers[0]
    meta = book.get_metadata("OPF", "cover")
    for _value, attrs in meta:
        item = book.get_item_with_id(attrs.get("content", "")) if attrs else None
        if item is not None:
            return item
    images = list(book.get_items_of_type(ebooklib.ITEM_IMAGE))
    for image in images:
        if "cover" in image.get_name().lower():
            return image
    return None
