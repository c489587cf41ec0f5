"""File format identification by signature (PRONOM id and MIME type), never by the file's name.

Two identifiers work together:

- FIDO (PyPI ``opf-fido``), the digital-preservation tool built on the UK National Archives' PRONOM
  signatures, is asked first (signature and container matches only; its extension guesses are ignored).
  It knows over a thousand formats and takes about 25 ms a file once its signatures are loaded (0.3 s,
  once per process).
- Our own table of the formats a library meets (PDF, EPUB, ZIP, Office, images, audio, video,
  archives, installers, plain text) answers when FIDO has no match (plain text, Debian packages, disk
  images) or only a generic one (an OLE2 file that is really a Windows installer), and is the whole
  answer when FIDO is not installed.

:func:`identify` returns a :class:`Format` with a ``category``; :func:`allowed_for` decides whether a
kind of resource may hold that category (programs and unknown types only for software).
"""

from __future__ import annotations

import logging
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

HEAD_BYTES = 64 * 1024
TAIL_BYTES = 1024

# Categories
DOCUMENT, EBOOK, IMAGE, AUDIO, VIDEO, ARCHIVE, TEXT, DATA, EXECUTABLE, UNKNOWN_CATEGORY = (
    "document",
    "ebook",
    "image",
    "audio",
    "video",
    "archive",
    "text",
    "data",
    "executable",
    "unknown",
)
#: Categories any resource may hold; executables, markup that runs scripts (HTML, SVG) and unknown
#: types only go into software resources.
SAFE_CATEGORIES = {DOCUMENT, EBOOK, IMAGE, AUDIO, VIDEO, ARCHIVE, TEXT, DATA}


@dataclass(frozen=True)
class Format:
    """What a file is: PRONOM id (may be empty), a name, a MIME type, a category and how it was found."""

    pronom_id: str
    name: str
    mime_type: str
    category: str
    method: str = "signature"

    @property
    def is_known(self) -> bool:
        return self.category != UNKNOWN_CATEGORY

    @property
    def is_pdf(self) -> bool:
        return self.mime_type == "application/pdf"

    @property
    def is_epub(self) -> bool:
        return self.mime_type == "application/epub+zip"


UNKNOWN = Format("", "Unknown format", "application/octet-stream", UNKNOWN_CATEGORY, "none")

PDF_VERSIONS = {
    "1.0": "fmt/14",
    "1.1": "fmt/15",
    "1.2": "fmt/16",
    "1.3": "fmt/17",
    "1.4": "fmt/18",
    "1.5": "fmt/19",
    "1.6": "fmt/20",
    "1.7": "fmt/276",
    "2.0": "fmt/1129",
}

# Categories of formats FIDO names, by PRONOM id where the MIME type does not tell.
EXECUTABLE_PUIDS = {
    "x-fmt/411",
    "fmt/899",
    "fmt/900",
    "fmt/688",
    "fmt/689",
    "fmt/690",
    "fmt/691",
    "fmt/692",
    "fmt/693",
    "fmt/625",
    "fmt/1071",
    "fmt/468",
    "fmt/726",
}
SCRIPTED_MIMES = {"text/html", "application/xhtml+xml", "image/svg+xml", "application/javascript", "text/javascript"}
DOCUMENT_MIMES = {
    "application/pdf",
    "application/rtf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
EBOOK_MIMES = {"application/epub+zip", "application/x-mobipocket-ebook", "image/vnd.djvu"}
ARCHIVE_MIMES = {
    "application/zip",
    "application/x-tar",
    "application/gzip",
    "application/x-gzip",
    "application/x-bzip2",
    "application/x-7z-compressed",
    "application/x-xz",
}
DATA_MIMES = {"application/json", "application/xml", "text/xml", "text/csv", "application/geo+json"}
TEXT_MIMES = {"text/plain"}
AV_CONTAINER_MIMES = {"application/mp4": VIDEO, "application/ogg": AUDIO}


def category_of(pronom_id: str, mime_type: str) -> str:
    """The category of a format FIDO found (by PRONOM id for programs, else by MIME type)."""
    mime = (mime_type or "").lower()
    if pronom_id in EXECUTABLE_PUIDS or mime in SCRIPTED_MIMES:
        return EXECUTABLE
    if mime in EBOOK_MIMES:
        return EBOOK
    if mime in DOCUMENT_MIMES:
        return DOCUMENT
    if mime in ARCHIVE_MIMES:
        return ARCHIVE
    if mime in DATA_MIMES:
        return DATA
    if mime in TEXT_MIMES:
        return TEXT
    if mime in AV_CONTAINER_MIMES:
        return AV_CONTAINER_MIMES[mime]
    for prefix, category in (("image/", IMAGE), ("audio/", AUDIO), ("video/", VIDEO)):
        if mime.startswith(prefix):
            return category
    return UNKNOWN_CATEGORY


def allowed_for(fmt: Format, kind: str | None) -> bool:
    """May a resource of ``kind`` hold a file of this format? Software may hold anything."""
    if kind == "software":
        return True
    return fmt.category in SAFE_CATEGORIES


# --- our own table --------------------------------------------------------------------------------


def _read_ends(path: Path) -> tuple[bytes, bytes, int]:
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(max(0, size - TAIL_BYTES))
        tail = stream.read(TAIL_BYTES)
    return head, tail, size


def _zip_format(path: Path) -> Format:
    """EPUB, Office Open XML, OpenDocument or plain ZIP, from the archive's members."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = ""
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return Format("x-fmt/263", "ZIP Format", "application/zip", ARCHIVE, "table")
    if mimetype == "application/epub+zip":
        return Format("fmt/483", "ePub format", "application/epub+zip", EBOOK, "table")
    if mimetype == "application/vnd.oasis.opendocument.text":
        return Format("fmt/291", "OpenDocument Text", mimetype, DOCUMENT, "table")
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return Format(
                "fmt/412",
                "Microsoft Word for Windows (2007 onwards)",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                DOCUMENT,
                "table",
            )
        if "xl/workbook.xml" in names:
            return Format(
                "fmt/214",
                "Microsoft Excel for Windows (2007 onwards)",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                DOCUMENT,
                "table",
            )
        if "ppt/presentation.xml" in names:
            return Format(
                "fmt/215",
                "Microsoft PowerPoint for Windows (2007 onwards)",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                DOCUMENT,
                "table",
            )
    return Format("x-fmt/263", "ZIP Format", "application/zip", ARCHIVE, "table")


MSI_CLSID = bytes.fromhex("84100C0000000000C000000000000046")


def _ole_format(head: bytes) -> Format:
    """An OLE2 compound file: a Windows installer when its root storage has the MSI class id."""
    try:
        sector_size = 1 << int.from_bytes(head[30:32], "little")
        first_dir = int.from_bytes(head[48:52], "little")
        offset = (first_dir + 1) * sector_size + 0x50
        if head[offset : offset + 16] == MSI_CLSID:
            return Format("fmt/111", "Windows Installer package (OLE2)", "application/x-msi", EXECUTABLE, "table")
    except (ValueError, IndexError, OverflowError):
        pass
    return Format("fmt/111", "OLE2 Compound Document Format", "application/x-ole-storage", DOCUMENT, "table")


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    sample = head[:8192]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # a character cut at the end of the sample is fine
            return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls <= len(sample) // 100


def identify_with_table(path: Path) -> Format:
    """Identify a file with Pustaka's own signature table (magic numbers, container members)."""
    head, tail, size = _read_ends(Path(path))
    if size == 0:
        return UNKNOWN
    pdf = re.search(rb"%PDF-(\d\.\d)", head[:1024])
    if pdf:
        version = pdf.group(1).decode()
        return Format(
            PDF_VERSIONS.get(version, ""),
            f"Acrobat PDF {version} - Portable Document Format",
            "application/pdf",
            DOCUMENT,
            "table",
        )
    if head.startswith(b"PK\x03\x04") and head[30:58] == b"mimetypeapplication/epub+zip":
        return Format("fmt/483", "ePub format", "application/epub+zip", EBOOK, "table")  # even if damaged
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_format(Path(path))
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Format("fmt/13", "Portable Network Graphics", "image/png", IMAGE, "table")
    if head.startswith(b"\xff\xd8\xff"):
        if head[6:11] == b"JFIF\x00":
            puid = {b"\x01\x00": "fmt/42", b"\x01\x01": "fmt/43", b"\x01\x02": "fmt/44"}.get(head[11:13], "fmt/43")
            return Format(puid, "JPEG File Interchange Format", "image/jpeg", IMAGE, "table")
        if head[6:10] == b"Exif":
            return Format("fmt/645", "Exchangeable Image File Format (Compressed)", "image/jpeg", IMAGE, "table")
        return Format("fmt/41", "Raw JPEG Stream", "image/jpeg", IMAGE, "table")
    if head.startswith((b"GIF87a", b"GIF89a")):
        puid = "fmt/3" if head[:6] == b"GIF87a" else "fmt/4"
        return Format(puid, "Graphics Interchange Format", "image/gif", IMAGE, "table")
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] in (0xFB, 0xF3, 0xF2)):
        return Format("fmt/134", "MPEG 1/2 Audio Layer 3", "audio/mpeg", AUDIO, "table")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return Format("fmt/199", "MPEG-4 Media File", "audio/mp4", AUDIO, "table")
        return Format("fmt/199", "MPEG-4 Media File", "video/mp4", VIDEO, "table")
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return Format("fmt/6", "Waveform Audio", "audio/x-wav", AUDIO, "table")
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return Format("fmt/5", "Audio/Video Interleaved Format", "video/x-msvideo", VIDEO, "table")
    if head.startswith(b"OggS"):
        if b"theora" in head[:512]:
            return Format("fmt/945", "Ogg Theora Video", "video/ogg", VIDEO, "table")
        if b"OpusHead" in head[:512]:
            return Format("fmt/946", "Ogg Opus Codec Compressed Multimedia File", "audio/ogg", AUDIO, "table")
        return Format("fmt/203", "Ogg Vorbis Codec Compressed Multimedia File", "audio/ogg", AUDIO, "table")
    if head.startswith(b"fLaC"):
        return Format("fmt/279", "FLAC (Free Lossless Audio Codec)", "audio/flac", AUDIO, "table")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in head[:64]:
            return Format("fmt/573", "WebM", "video/webm", VIDEO, "table")
        return Format("fmt/569", "Matroska", "video/x-matroska", VIDEO, "table")
    if head.startswith(b"MZ"):
        return Format(
            "x-fmt/411", "Windows Portable Executable", "application/vnd.microsoft.portable-executable", EXECUTABLE
        )
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_format(head)
    if head.startswith(b"\x7fELF"):
        return Format("fmt/690", "Executable and Linkable Format", "application/x-executable", EXECUTABLE, "table")
    if head[:4] in (b"\xfe\xed\xfa\xce", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe"):
        return Format("fmt/693", "Mach-O", "application/x-mach-binary", EXECUTABLE, "table")
    if head.startswith(b"!<arch>\ndebian-binary"):
        return Format("", "Debian binary package", "application/vnd.debian.binary-package", EXECUTABLE, "table")
    if len(tail) >= 512 and tail[-512:-508] == b"koly":
        return Format("fmt/1071", "Apple Disk Image", "application/x-apple-diskimage", EXECUTABLE, "table")
    if head[257:262] == b"ustar":
        return Format("x-fmt/265", "Tape Archive Format", "application/x-tar", ARCHIVE, "table")
    if head.startswith(b"\x1f\x8b"):
        return Format("x-fmt/266", "GZIP Format", "application/gzip", ARCHIVE, "table")
    if head.startswith(b"BZh"):
        return Format("x-fmt/268", "BZIP2 Compressed Archive", "application/x-bzip2", ARCHIVE, "table")
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return Format("fmt/484", "7Zip format", "application/x-7z-compressed", ARCHIVE, "table")
    if head.startswith(b"{\\rtf"):
        return Format("fmt/355", "Rich Text Format", "application/rtf", DOCUMENT, "table")
    if _looks_like_text(head):
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
        if stripped.startswith(b"#!"):
            return Format("", "Script", "text/x-script", EXECUTABLE, "table")
        if stripped.startswith((b"<!doctype html", b"<html")) or b"<script" in stripped:
            return Format("fmt/96", "Hypertext Markup Language", "text/html", EXECUTABLE, "table")
        if b"<svg" in stripped:
            return Format("fmt/92", "Scalable Vector Graphics", "image/svg+xml", EXECUTABLE, "table")
        if stripped.startswith(b"<?xml"):
            return Format("fmt/101", "Extensible Markup Language", "application/xml", DATA, "table")
        return Format("x-fmt/111", "Plain Text File", "text/plain", TEXT, "table")
    return UNKNOWN


# --- FIDO -----------------------------------------------------------------------------------------

_fido_lock = threading.Lock()
_fido_state: dict = {}


def _fido():
    """The process's FIDO identifier (loaded once), or None when opf-fido is not installed."""
    if "fido" not in _fido_state:
        try:
            from fido.fido import Fido
            from fido.versions import get_local_versions

            versions = get_local_versions()
            found: list = []

            def handle(filename, matches, delta_t, matchtype=""):
                found.append((matches, matchtype))

            instance = Fido(
                quiet=True,
                handle_matches=handle,
                format_files=[versions.pronom_signature, versions.fido_extension_signature],
                containersignature_file=versions.pronom_container_signature,
            )
            _fido_state["fido"] = (instance, found)
        except Exception:  # not installed, or its signature files are missing: the table answers
            log.info("FIDO is not available; identifying files with Pustaka's own table", exc_info=True)
            _fido_state["fido"] = None
    return _fido_state["fido"]


def identify_with_fido(path: Path) -> Format | None:
    """FIDO's signature or container match, or None (no match, only an extension guess, or no FIDO)."""
    loaded = _fido()
    if loaded is None:
        return None
    instance, found = loaded
    with _fido_lock:
        found.clear()
        try:
            instance.identify_file(str(path), extension=False)
        except Exception:  # FIDO trips over some damaged files; the table still answers
            log.warning("FIDO could not read %s", path, exc_info=True)
            return None
        results = list(found)
    for matches, matchtype in results:
        if matchtype not in ("signature", "container") or not matches:
            continue
        fmt_element = matches[0][0]
        puid = fmt_element.findtext("puid") or ""
        name = fmt_element.findtext("name") or ""
        version = fmt_element.findtext("version") or ""
        mime = fmt_element.findtext("mime") or ""
        full_name = f"{name} {version}".strip() if version and version not in name else name
        return Format(puid, full_name, mime, category_of(puid, mime), "fido")
    return None


GENERIC_PUIDS = {"fmt/111"}  # OLE2: the table knows whether it is an installer


def identify(path: Path | str) -> Format:
    """Identify a file by its content: FIDO first, then Pustaka's table; never the file name."""
    path = Path(path)
    found = identify_with_fido(path)
    if found is not None and found.pronom_id not in GENERIC_PUIDS and found.mime_type:
        return found
    table = identify_with_table(path)
    if found is None:
        return table
    if table.is_known and (found.pronom_id in GENERIC_PUIDS or not found.mime_type):
        if table.pronom_id == found.pronom_id or not found.mime_type:
            return Format(found.pronom_id or table.pronom_id, table.name, table.mime_type, table.category, "fido")
        return table
    return Format(found.pronom_id, found.name, "application/octet-stream", category_of(found.pronom_id, ""), "fido")
