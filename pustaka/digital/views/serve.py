"""Serving digital files, only ever through the licence check.

A file is addressed by its resource id and its ResourceFile id (never by a path or a hash): a file of
another resource, an inactive resource, a suppressed record, anything unknown is 404. Every request is
checked by :func:`pustaka.digital.actions.access.check_access`; the first request of a reading is
logged (later byte ranges of the same file are checked but only logged when refused).

The bytes: with ``settings.PUSTAKA_SENDFILE`` = ``nginx`` the answer is an ``X-Accel-Redirect`` to
``PUSTAKA_SENDFILE_PREFIX`` + the store path (an ``internal`` location in nginx; nginx then handles
Range itself); ``apache`` sends ``X-Sendfile`` with the absolute path; otherwise Python streams the
file with single-range support (``206`` + ``Content-Range``; ``416`` when unsatisfiable; several
ranges or a malformed header are answered with the whole file, as RFC 9110 allows).

Who may use these views: anyone; the licence decides (anonymous readers only get open access). A
software installer goes only to a patron who holds a lent seat of it (and to staff who manage the
digital library).
"""

import mimetypes
import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from pustaka.core.params import valid_id

from ..access import client_ip, pages_only
from ..actions.access import check_access
from ..choices import AccessAction, FileRole, RefusalReason
from ..models import DigitalResource, ResourceFile
from ..storage import get_store

CHUNK = 256 * 1024
OPAC_LOGIN = "/account/login/"
HELP_ASK = "/help/ask/"
#: Types a browser may show inline without risk to this site (no scripts): everything else is sent as
#: an attachment even when "read online" is asked.
INLINE_SAFE = re.compile(r"^(application/pdf|image/(png|jpeg|gif|webp)|audio/[\w.+-]+|video/[\w.+-]+|text/plain)$")
SERVED_ROLES = (FileRole.CONTENT, FileRole.SUPPLEMENT, FileRole.INSTALLER, FileRole.COVER)


def inline_safe(content_type: str) -> bool:
    """Whether a browser may show this type inline on this site (no scripts, no installers)."""
    return bool(INLINE_SAFE.match(content_type or ""))


def login_url(request) -> str:
    """The catalogue's login page, coming back to this request afterwards."""
    return f"{OPAC_LOGIN}?{urlencode({'next': request.get_full_path()})}"


def public_resources():
    """Resources the public may address: active, of a record shown in the catalogue."""
    return DigitalResource.objects.filter(is_active=True, record__is_suppressed=False).select_related(
        "licence", "record"
    )


def find_resource(resource_id: int) -> DigitalResource:
    if not valid_id(resource_id):
        raise Http404
    resource = public_resources().filter(pk=resource_id).first()
    if resource is None:
        raise Http404
    return resource


def find_file(resource_id: int, file_id: int) -> ResourceFile:
    """The ResourceFile ``file_id`` *of resource* ``resource_id`` (404 for anyone else's file)."""
    if not valid_id(resource_id, file_id):
        raise Http404
    link = (
        ResourceFile.objects.select_related("file", "resource__licence", "resource__record")
        .filter(
            pk=file_id,
            resource_id=resource_id,
            resource__is_active=True,
            resource__record__is_suppressed=False,
            role__in=SERVED_ROLES,
        )
        .first()
    )
    if link is None:
        raise Http404
    return link


def session_key(request) -> str:
    session = getattr(request, "session", None)
    return (session.session_key or "") if session is not None else ""


def download_name(link: ResourceFile) -> str:
    """The name the reader's browser saves: the original name, or one made from the title."""
    stored = link.file
    if stored.original_name:
        return stored.original_name
    extension = mimetypes.guess_extension(stored.mime_type or "") or ""
    title = re.sub(r"[^\w\s-]", "", link.resource.record.title)[:60].strip() or f"resource-{link.resource_id}"
    return f"{title}{extension}"


def parse_range(header: str, size: int):
    """``(start, end)`` inclusive for one satisfiable range, ``"unsatisfiable"``, or None (serve it all)."""
    header = (header or "").strip()
    if not header.lower().startswith("bytes="):
        return None
    spec = header[6:].strip()
    if "," in spec:
        return None  # several ranges: answered with the whole file
    match = re.fullmatch(r"(\d{0,19})\s*-\s*(\d{0,19})", spec)
    if not match or not (match.group(1) or match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # invalid: ignored
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


def refusal_response(request, resource, decision, *, status=403):
    """The page a refused reader sees: the reason, how to log in when that helps, and "ask for help"."""
    response = render(
        request,
        "digital/access/refused.html",
        {
            "resource": resource,
            "record": resource.record,
            "reason": decision.reason,
            "reason_label": decision.reason_label,
            "login_url": login_url(request) if decision.reason == RefusalReason.LOGIN_REQUIRED else "",
            "help_url": f"{HELP_ASK}?record={resource.record_id}",
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _file_iterator(handle, start: int, length: int):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def file_response(request, link: ResourceFile, *, as_attachment: bool):
    """The bytes of a granted file, with Content-Type, Content-Disposition and Range support."""
    stored = link.file
    content_type = stored.mime_type or "application/octet-stream"
    as_attachment = as_attachment or not inline_safe(content_type)
    headers = {
        "Content-Disposition": content_disposition_header(as_attachment, download_name(link)),
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if content_type != "application/pdf":
        headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    store = get_store()
    sendfile = (getattr(settings, "PUSTAKA_SENDFILE", "") or "").lower()
    local = store.local_path(stored.relative_path)
    if sendfile == "nginx":
        response = HttpResponse(content_type=content_type, headers=headers)
        response["X-Accel-Redirect"] = settings.PUSTAKA_SENDFILE_PREFIX.rstrip("/") + "/" + stored.relative_path
        return response
    if sendfile == "apache" and local is not None:
        response = HttpResponse(content_type=content_type, headers=headers)
        response["X-Sendfile"] = str(local)
        return response
    try:
        size = store.size(stored.relative_path)
    except (FileNotFoundError, OSError):
        raise Http404 from None
    wanted = parse_range(request.headers.get("Range", ""), size)
    if wanted == "unsatisfiable":
        response = HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})
        response.headers.pop("Content-Disposition", None)
        return response
    start, end = wanted if wanted else (0, size - 1)
    length = max(0, end - start + 1)
    if request.method == "HEAD":
        response = HttpResponse(content_type=content_type, headers=headers)
    else:
        response = StreamingHttpResponse(
            _file_iterator(store.open(stored.relative_path), start, length), content_type=content_type, headers=headers
        )
    response["Content-Length"] = str(length)
    if wanted:
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def _continuation(request) -> bool:
    """A later byte range of a reading already logged (checked, but not logged again)."""
    if request.method == "HEAD":
        return True
    match = re.match(r"\s*bytes\s*=\s*(\d+)", request.headers.get("Range", ""))
    return bool(match and int(match.group(1)) > 0)


def serve(request, resource_id: int, file_id: int, *, action: str, user=None, on_refusal=None):
    """Check and serve one file: the shared core of the OPAC and OPDS file views.

    "Read online" of a type a browser cannot show inline (an EPUB, an installer, an archive) would hand
    over the whole file as an attachment, and so would a PDF shown inline (the browser offers to save
    and print it), so under a read-online-only licence a PDF is read as page images
    (``reader.pdf_page``) and its bytes are checked (and logged) as the download they are: the licence
    refuses them. Every file of software goes only to a patron holding a seat of it.
    """
    link = find_file(resource_id, file_id)
    user = user if user is not None else request.user
    if action == AccessAction.VIEW and (not inline_safe(link.file.mime_type) or pages_only(link.resource, link.file)):
        action = AccessAction.DOWNLOAD
    decision = check_access(
        resource=link.resource,
        user=user,
        action=action,
        ip=client_ip(request),
        file=link.file,
        session_key=session_key(request),
        log=not _continuation(request),
        needs_seat=link.role == FileRole.INSTALLER,
    )
    if not decision.granted:
        if on_refusal is not None:
            return on_refusal(decision)
        return refusal_response(request, link.resource, decision)
    return file_response(request, link, as_attachment=action == AccessAction.DOWNLOAD)


@xframe_options_sameorigin
@require_http_methods(["GET", "HEAD"])
def read_file(request, resource_id: int, file_id: int):
    """Anyone the licence lets read online: the file shown inline (the PDF reader page frames it). A type
    that cannot be shown inline needs the licence's download permission (it would arrive as a download)."""
    return serve(request, resource_id, file_id, action=AccessAction.VIEW)


@require_http_methods(["GET", "HEAD"])
def download_file(request, resource_id: int, file_id: int):
    """Anyone the licence lets download: the file as an attachment."""
    return serve(request, resource_id, file_id, action=AccessAction.DOWNLOAD)


@require_http_methods(["GET"])
def follow_link(request, resource_id: int):
    """Anyone the licence lets in: a redirect to the resource's remote link (e-journal, database)."""
    resource = find_resource(resource_id)
    if not resource.remote_url:
        raise Http404
    decision = check_access(
        resource=resource,
        user=request.user,
        action=AccessAction.LINK,
        ip=client_ip(request),
        session_key=session_key(request),
    )
    if not decision.granted:
        return refusal_response(request, resource, decision)
    return HttpResponseRedirect(resource.remote_url)


@require_http_methods(["GET", "HEAD"])
def cover(request, resource_id: int, file_id: int):
    """Public: a resource's cover image (covers are not licensed content, so not checked or logged)."""
    link = find_file(resource_id, file_id)
    if link.role != FileRole.COVER or not (link.file.mime_type or "").startswith("image/"):
        raise Http404
    response = file_response(request, link, as_attachment=False)
    response["Cache-Control"] = "public, max-age=86400"
    return response
