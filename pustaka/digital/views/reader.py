"""Reader pages of the public catalogue: a PDF in the browser's own viewer, or page by page as images
under a read-online-only licence; an EPUB chapter by chapter.

Who may use them: anyone the licence lets read online (checked by ``check_access``, as for files);
a refusal shows its reason and the "ask for help" link. The PDF page frames the checked file view
(which logs the reading). Under a read-online-only licence the PDF never leaves the server: each page
is a reader page with its image rendered here (:mod:`pustaka.digital.pdf_pages`); opening the reader
is one logged "read online", turning its pages is checked but not logged again. An EPUB chapter is one
logged "read online" (COUNTER counts chapter
requests as item requests too); its images are checked, not logged. A chapter page runs no script
(``script-src 'none'``); an image is only ever sent with an image type, sandboxed. A damaged EPUB
shows a friendly page (with "ask for help"), never a server error.
"""

from urllib.parse import urlsplit

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import pdf_pages
from ..access import client_ip, pages_only
from ..actions.access import check_access
from ..choices import AccessAction, FileRole
from ..epub_reader import IMAGE_TYPES, EpubBook, EpubError
from ..storage import get_store
from .serve import HELP_ASK, find_file, refusal_response, session_key

EPUB = "application/epub+zip"
PDF = "application/pdf"
READABLE = {EPUB, PDF}
MAX_TOC = 300
#: The PDF reader page runs no script from the book; this header makes sure of it.
READER_CSP = "script-src 'self'; object-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
#: An EPUB chapter page carries markup from the book (sanitised): no script runs there at all.
CHAPTER_CSP = "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
#: An image from a book is only ever an image: sandboxed, nothing loads or runs even if it were not.
IMAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _check(request, link, *, log: bool):
    return check_access(
        resource=link.resource,
        user=request.user,
        action=AccessAction.VIEW,
        ip=client_ip(request),
        file=link.file,
        session_key=session_key(request),
        log=log,
    )


def _readable(resource_id: int, file_id: int):
    link = find_file(resource_id, file_id)
    if link.role not in (FileRole.CONTENT, FileRole.SUPPLEMENT) or link.file.mime_type not in READABLE:
        raise Http404
    return link


def _open_book(link) -> EpubBook:
    """The EPUB of ``link`` opened; :class:`EpubError` when it is damaged, 404 when it is gone."""
    store = get_store()
    local = store.local_path(link.file.relative_path)
    try:
        source = str(local) if local is not None else store.open(link.file.relative_path)
    except (OSError, ValueError) as error:
        raise Http404 from error
    if local is not None and not local.is_file():
        raise Http404
    return EpubBook(source)


def reader_error(request, link, *, status=404):
    """The friendly page of a book the reader cannot open (damaged or not really an EPUB)."""
    response = render(
        request,
        "digital/access/reader_error.html",
        {
            "resource": link.resource,
            "record": link.resource.record,
            "help_url": f"{HELP_ASK}?record={link.resource.record_id}",
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = CHAPTER_CSP
    return response


@require_GET
def read(request, resource_id: int, file_id: int):
    """The reader page: a PDF framed in the browser's viewer, or the first chapter of an EPUB."""
    link = _readable(resource_id, file_id)
    if link.file.mime_type == EPUB:
        return chapter(request, resource_id, file_id, 0)
    if pages_only(link.resource, link.file):
        return pdf_page(request, resource_id, file_id, 1)
    decision = _check(request, link, log=False)  # the framed file logs the reading itself
    if not decision.granted:
        return refusal_response(request, link.resource, decision)
    response = render(
        request,
        "digital/access/reader_pdf.html",
        {
            "link": link,
            "resource": link.resource,
            "record": link.resource.record,
            "file_url": reverse("digital_public:read_file", args=[resource_id, file_id]),
            "download_allowed": _download_allowed(link.resource),
            "download_url": reverse("digital_public:download_file", args=[resource_id, file_id]),
        },
    )
    response["Content-Security-Policy"] = READER_CSP
    return response


def _download_allowed(resource) -> bool:
    return bool(resource.licence is None or resource.licence.download_allowed)


@require_GET
def chapter(request, resource_id: int, file_id: int, number: int):
    """One EPUB chapter as sanitised HTML, with the table of contents and previous/next links."""
    link = _readable(resource_id, file_id)
    if link.file.mime_type != EPUB:
        raise Http404
    try:
        book = _open_book(link)
    except EpubError:
        return reader_error(request, link)
    try:
        if not 0 <= number < len(book.chapters):
            raise Http404
        decision = _check(request, link, log=True)
        if not decision.granted:
            return refusal_response(request, link.resource, decision)
        body = book.chapter_html(
            number,
            chapter_url=lambda n: reverse("digital_public:epub_chapter", args=[resource_id, file_id, n]),
            image_url=lambda n: reverse("digital_public:epub_image", args=[resource_id, file_id, n]),
        )
        chapters = book.chapter_titles()[:MAX_TOC]
        title = book.title
    except EpubError:
        return reader_error(request, link)
    finally:
        book.close()
    response = render(
        request,
        "digital/access/reader_epub.html",
        {
            "link": link,
            "resource": link.resource,
            "record": link.resource.record,
            "book_title": title or link.resource.record.title,
            "chapters": chapters,
            "number": number,
            "body": body,
            "previous": number - 1 if number > 0 else None,
            "next": number + 1 if number + 1 < len(book.chapters) else None,
            "download_allowed": _download_allowed(link.resource),
            "download_url": reverse("digital_public:download_file", args=[resource_id, file_id]),
        },
    )
    response["Content-Security-Policy"] = CHAPTER_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def image(request, resource_id: int, file_id: int, number: int):
    """An image of an EPUB chapter (checked like the chapter, not logged)."""
    link = _readable(resource_id, file_id)
    if link.file.mime_type != EPUB:
        raise Http404
    decision = _check(request, link, log=False)
    if not decision.granted:
        return HttpResponse(status=403)
    try:
        book = _open_book(link)
    except EpubError as error:
        raise Http404 from error
    try:
        if not 0 <= number < len(book.images):
            raise Http404
        data, media_type = book.image(number)
    except (EpubError, KeyError, StopIteration) as error:
        raise Http404 from error
    finally:
        book.close()
    if media_type not in IMAGE_TYPES:  # never anything a browser would run
        raise Http404
    response = HttpResponse(data, content_type=media_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = IMAGE_CSP
    response["Content-Disposition"] = "inline"
    return response


# A PDF page by page (read-online-only licences) ----------------------------------------------------


def _turning_pages(request, resource_id: int, file_id: int) -> bool:
    """A page reached from another page of the same reader (the reading is already logged)."""
    referer = urlsplit(request.headers.get("Referer", "")).path
    return referer.startswith(reverse("digital_public:read", args=[resource_id, file_id]))


def _pdf(resource_id: int, file_id: int):
    link = _readable(resource_id, file_id)
    if link.file.mime_type != PDF:
        raise Http404
    return link


@require_GET
def pdf_page(request, resource_id: int, file_id: int, number: int):
    """One page of a PDF as an image with previous/next links (arrow keys turn the pages)."""
    link = _pdf(resource_id, file_id)
    try:
        pages = pdf_pages.page_count(link.file)
    except pdf_pages.PageUnavailable:
        pages = None
    if pages is not None and not 1 <= number <= pages:
        raise Http404
    decision = _check(request, link, log=not _turning_pages(request, resource_id, file_id))
    if not decision.granted:
        return refusal_response(request, link.resource, decision)
    if pages is None:
        return reader_error(request, link)

    def page_url(n):
        return reverse("digital_public:pdf_page", args=[resource_id, file_id, n])

    def image_url(n):
        return reverse("digital_public:pdf_page_image", args=[resource_id, file_id, n])

    response = render(
        request,
        "digital/access/reader_pdf_pages.html",
        {
            "link": link,
            "resource": link.resource,
            "record": link.resource.record,
            "number": number,
            "pages": pages,
            "image_url": image_url(number),
            "previous_url": page_url(number - 1) if number > 1 else "",
            "next_url": page_url(number + 1) if number < pages else "",
            "next_image_url": image_url(number + 1) if number < pages else "",
        },
    )
    response["Content-Security-Policy"] = READER_CSP
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def pdf_page_image(request, resource_id: int, file_id: int, number: int):
    """The image of one PDF page (checked like the reader page, not logged)."""
    link = _pdf(resource_id, file_id)
    decision = _check(request, link, log=False)
    if not decision.granted:
        return HttpResponse(status=403)
    try:
        if not 1 <= number <= pdf_pages.page_count(link.file):
            raise Http404
        data = pdf_pages.page_png(link.file, number)
    except pdf_pages.PageUnavailable as error:
        raise Http404 from error
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = IMAGE_CSP
    response["Content-Disposition"] = "inline"
    return response
