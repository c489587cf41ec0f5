"""Reading an EPUB in the browser, chapter by chapter, as sanitised HTML rendered on the server.

Only the parts needed are read from the ZIP (the container, the package document, one chapter or
one image), each capped in size, so a large or hostile EPUB cannot exhaust memory. Chapters are the
spine's items, addressed by their position; images by their position among the manifest's images:
no name from the book ever becomes a URL or a path. The chapter's markup is rebuilt from an allowlist
of tags and attributes: scripts, styles, forms, frames, event handlers and foreign links are dropped,
so nothing from the book runs on this site.
"""

import contextlib
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

MAX_MEMBER_BYTES = 8 * 1024 * 1024
OPF_NS = "http://www.idpf.org/2007/opf"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
DC_NS = "http://purl.org/dc/elements/1.1/"
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}

KEEP = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "i", "b", "u", "s", "a", "ul", "ol", "li",
    "blockquote", "pre", "code", "br", "hr", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "caption", "div", "span", "section", "article", "aside", "header", "footer", "figure", "figcaption",
    "sup", "sub", "dl", "dt", "dd", "small", "cite", "q", "abbr", "mark", "nav",
}  # fmt: skip
DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "select", "textarea",
    "link", "meta", "base", "svg", "math", "noscript", "template", "audio", "video", "source", "canvas", "head",
    "title", "frame", "frameset", "applet",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"colspan", "rowspan"}}
ATTRIBUTES |= {"th": {"colspan", "rowspan", "scope"}, "abbr": {"title"}, "q": {"cite"}}
COMMON_ATTRIBUTES = {"lang", "id"}


class EpubError(Exception):
    """The file is not an EPUB this reader can open."""


#: What damaged bytes raise while a member is read or parsed: a broken ZIP, a broken deflate stream, a
#: bad CRC, markup lxml cannot make sense of, a read error.
BROKEN = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted member
    etree.LxmlError,
    ValueError,
    OSError,
)


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True)


@dataclass
class Chapter:
    index: int
    href: str
    title: str


class EpubBook:
    """An EPUB opened for reading (a ZIP file object that the caller closes with :meth:`close`)."""

    def __init__(self, source):
        try:
            self.zip = zipfile.ZipFile(source)
            container = self._xml("META-INF/container.xml")
            rootfile = container.find(f".//{{{CONTAINER_NS}}}rootfile")
            if rootfile is None:
                raise EpubError("no rootfile")
            self.opf_path = rootfile.get("full-path", "")
            opf = self._xml(self.opf_path)
        except (*BROKEN, KeyError) as error:
            raise EpubError(str(error)) from error
        base = posixpath.dirname(self.opf_path)
        self.manifest = {}
        for item in opf.iterfind(f".//{{{OPF_NS}}}manifest/{{{OPF_NS}}}item"):
            href = posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
            self.manifest[item.get("id")] = (href, item.get("media-type", ""))
        spine = [
            ref.get("idref")
            for ref in opf.iterfind(f".//{{{OPF_NS}}}spine/{{{OPF_NS}}}itemref")
            if ref.get("linear", "yes") != "no"
        ]
        self.chapters = []
        for idref in spine:
            if idref in self.manifest:
                href, media_type = self.manifest[idref]
                if "html" in media_type:
                    self.chapters.append(Chapter(len(self.chapters), href, ""))
        self.images = sorted(href for href, media_type in self.manifest.values() if media_type in IMAGE_TYPES)
        title = opf.find(f".//{{{DC_NS}}}title")
        self.title = (title.text or "").strip() if title is not None else ""
        if not self.chapters:
            raise EpubError("no chapters")

    def close(self) -> None:
        self.zip.close()

    def _read(self, name: str) -> bytes:
        info = self.zip.getinfo(name)
        if info.file_size > MAX_MEMBER_BYTES:
            raise EpubError(f"{name} is too large")
        try:
            return self.zip.read(info)
        except BROKEN as error:
            raise EpubError(f"{name}: {error}") from error

    def _xml(self, name: str):
        return etree.fromstring(self._read(name), _parser())

    def chapter_titles(self) -> list[Chapter]:
        """Chapters with a title (the first heading of each, else none)."""
        for chapter in self.chapters:
            if not chapter.title:
                try:
                    tree = self._tree(chapter.href)
                    heading = next((el for el in tree.iter() if _local(el) in {"h1", "h2", "h3"}), None)
                    if heading is None:
                        heading = next((el for el in tree.iter() if _local(el) == "title"), None)
                    chapter.title = " ".join("".join(heading.itertext()).split())[:120] if heading is not None else ""
                except (EpubError, KeyError, *BROKEN):
                    chapter.title = ""
        return self.chapters

    def _tree(self, href: str):
        data = self._read(href)
        try:
            root = etree.fromstring(data, _parser())
            if root is None:
                raise etree.XMLSyntaxError("empty", None, 0, 0)
            return root
        except etree.XMLSyntaxError:
            pass
        try:
            return lxml_html.fromstring(data)
        except (etree.LxmlError, ValueError) as error:  # e.g. "Document is empty"
            raise EpubError(f"{href}: {error}") from error

    def chapter_html(self, index: int, *, chapter_url, image_url) -> str:
        """Chapter ``index`` as safe HTML; links to other chapters and images go through the given URL makers."""
        chapter = self.chapters[index]
        try:
            tree = self._tree(chapter.href)
        except KeyError as error:
            raise EpubError(str(error)) from error
        try:
            return self._chapter_html(chapter, tree, chapter_url=chapter_url, image_url=image_url)
        except BROKEN as error:
            raise EpubError(f"{chapter.href}: {error}") from error

    def _chapter_html(self, chapter, tree, *, chapter_url, image_url) -> str:
        body = next((el for el in tree.iter() if _local(el) == "body"), tree)
        by_href = {c.href: c.index for c in self.chapters}
        images = {href: number for number, href in enumerate(self.images)}
        base = posixpath.dirname(chapter.href)

        def resolve(target: str) -> tuple[str, str]:
            parts = urlsplit(target)
            path = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else chapter.href
            return path, parts.fragment

        def rewrite(tag: str, name: str, value: str) -> str | None:
            try:
                return _rewrite(tag, name, value.strip())
            except ValueError:  # a link urlsplit cannot parse (e.g. "http://[")
                return None

        def _rewrite(tag: str, name: str, value: str) -> str | None:
            if tag == "a" and name == "href":
                scheme = urlsplit(value).scheme.lower()
                if scheme in {"http", "https", "mailto"}:
                    return value
                if scheme:
                    return None
                path, fragment = resolve(value)
                if path in by_href:
                    return chapter_url(by_href[path]) + (f"#{fragment}" if fragment else "")
                return None
            if tag == "img" and name == "src":
                if urlsplit(value).scheme:
                    return None  # no remote images: they would tell a third party who reads what
                path, _fragment = resolve(value)
                return image_url(images[path]) if path in images else None
            return value

        out = lxml_html.Element("div")
        out.set("class", "epub-chapter")
        _copy_children(body, out, rewrite)
        return lxml_html.tostring(out, encoding="unicode", method="html")

    def image(self, number: int) -> tuple[bytes, str]:
        """Image ``number``'s bytes and its media type, always one of :data:`IMAGE_TYPES` (a manifest may
        list the same file twice, once as an image and once as HTML: only the image entry counts)."""
        href = self.images[number]
        media_type = next(mt for h, mt in self.manifest.values() if h == href and mt in IMAGE_TYPES)
        return self._read(href), media_type


def _local(element) -> str:
    if not isinstance(element.tag, str):
        return ""
    return etree.QName(element).localname.lower()


def _copy_children(source, target, rewrite) -> None:
    """Copy ``source``'s text and allowed children into ``target`` (unknown tags are unwrapped)."""
    _append_text(target, source.text)
    for child in source:
        tag = _local(child)
        if tag in DROP_WITH_CONTENT or not tag:
            _append_text(target, child.tail)
            continue
        if tag in KEEP:
            new = lxml_html.Element(tag)
            for name, value in child.attrib.items():
                name = etree.QName(name).localname.lower() if name.startswith("{") else name.lower()
                if name in ATTRIBUTES.get(tag, set()) | COMMON_ATTRIBUTES:
                    kept = rewrite(tag, name, value)
                    if kept is not None:
                        with contextlib.suppress(ValueError):  # characters XML cannot hold: left out
                            new.set(name, kept)
            if tag == "img" and not new.get("src"):
                _append_text(target, child.tail)  # an image from elsewhere, or missing: left out
                continue
            if tag == "a" and new.get("href", "").startswith(("http", "mailto")):
                new.set("rel", "noopener noreferrer nofollow")
            target.append(new)
            _copy_children(child, new, rewrite)
            new.tail = None
            _append_text(target, child.tail)
        else:  # unknown: keep its content, not the tag
            _copy_children(child, target, rewrite)
            _append_text(target, child.tail)


def _append_text(element, text) -> None:
    if not text:
        return
    children = list(element)
    if children:
        children[-1].tail = (children[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text
