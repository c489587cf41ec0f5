"""Link checking: is a remote link (e-journal, database) still working? Standard library only.

For each link: ``HEAD``, or ``GET`` (streamed; at most :data:`READ_LIMIT` bytes read) when the server
refuses ``HEAD`` (405, 403 or 501). Redirects are followed by hand (at most :data:`MAX_REDIRECTS`) so
every hop is recorded. Outcomes:

- ``ok``: a 2xx answer (temporary redirects on the way are fine: login pages, load balancers);
- ``redirected``: a 2xx answer reached through a permanent redirect (301/308) to another address, so
  the record's link should be updated;
- ``broken``: the server answered that the link does not work (4xx, 5xx, a redirect without a target);
- ``error``: no answer (timeout, refused connection, unknown host, TLS failure, too many redirects).

``LinkResult.error`` is a code of :mod:`pustaka.digital.check_messages` (English, stored as it is and
translated when shown) or, for an unusual failure, the error's own technical text.

Checks run on a pool of :data:`CONCURRENCY` threads with at most :data:`PER_HOST` requests to one host
at once, and announce themselves with an honest User-Agent.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from . import check_messages as messages
from .choices import CheckOutcome

USER_AGENT = "Pustaka-LinkChecker/0.1 (+{contact})"
TIMEOUT = 10.0
CONCURRENCY = 8
PER_HOST = 2
MAX_REDIRECTS = 10
READ_LIMIT = 1024
HEAD_REFUSED = {403, 405, 501}
REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}


def user_agent() -> str:
    """``Pustaka-LinkChecker/0.1 (+contact)``: the library's contact address, so a site can reach us."""
    contact = getattr(settings, "OAI_ADMIN_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    return USER_AGENT.format(contact=contact)


@dataclass
class LinkResult:
    """What checking one link found."""

    url: str
    outcome: str
    status_code: int | None = None
    final_url: str = ""
    elapsed_ms: int = 0
    error: str = ""
    method: str = "HEAD"
    redirects: list[list] = field(default_factory=list)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to us (as an HTTPError) so each hop is seen and recorded."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect(), urllib.request.HTTPSHandler(context=ssl.create_default_context()))


def _request(opener, url: str, method: str, timeout: float, agent: str) -> tuple[int, object]:
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": agent, "Accept": "*/*", "Accept-Encoding": "identity"}
    )
    try:
        response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as answer:  # 3xx, 4xx, 5xx: still an answer
        headers = answer.headers
        answer.close()
        return answer.code, headers
    try:
        if method == "GET":
            response.read(READ_LIMIT)
        return response.status, response.headers
    finally:
        response.close()


def _describe(error: BaseException) -> str:
    """The stored error of a link that got no answer: a code of :mod:`.check_messages` (translated when
    shown), else the error's own (technical) text."""
    reason = getattr(error, "reason", None)
    if isinstance(reason, BaseException):
        error = reason
    if isinstance(error, TimeoutError | socket.timeout):
        return messages.TIMED_OUT
    if isinstance(error, socket.gaierror):
        return messages.UNKNOWN_HOST
    if isinstance(error, ConnectionRefusedError):
        return messages.CONNECTION_REFUSED
    if isinstance(error, ConnectionResetError):
        return messages.CONNECTION_RESET
    if isinstance(error, ssl.SSLCertVerificationError):
        return messages.CERTIFICATE_INVALID
    if isinstance(error, ssl.SSLError):
        return messages.TLS_FAILED
    if isinstance(error, http.client.HTTPException):
        return messages.BAD_ANSWER
    text = str(error) or error.__class__.__name__
    return text[:300]


def check_url(url: str, *, timeout: float = TIMEOUT, agent: str | None = None, opener=None) -> LinkResult:
    """Check one link: HEAD (GET when HEAD is refused), following and recording redirects."""
    agent = agent or user_agent()
    opener = opener or _opener()
    started = time.perf_counter()
    result = LinkResult(url=url, outcome=CheckOutcome.ERROR)
    current, method = url, "HEAD"

    def done(outcome: str, **fields) -> LinkResult:
        result.outcome = outcome
        result.final_url = current
        result.method = method
        result.elapsed_ms = int((time.perf_counter() - started) * 1000)
        for key, value in fields.items():
            setattr(result, key, value)
        return result

    if urlsplit(url).scheme not in {"http", "https"}:
        return done(CheckOutcome.ERROR, error=messages.NOT_HTTP)
    while True:
        try:
            status, headers = _request(opener, current, method, timeout, agent)
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
            return done(CheckOutcome.ERROR, error=_describe(error))
        result.status_code = status
        if method == "HEAD" and status in HEAD_REFUSED:
            method = "GET"  # the server refuses HEAD: ask again with a streamed GET
            continue
        if status in REDIRECTS:
            location = headers.get("Location") if headers is not None else None
            if not location:
                return done(CheckOutcome.BROKEN, error=messages.NO_LOCATION)
            if len(result.redirects) >= MAX_REDIRECTS:
                return done(CheckOutcome.ERROR, error=messages.TOO_MANY_REDIRECTS)
            current = urljoin(current, location)
            result.redirects.append([status, current])
            if urlsplit(current).scheme not in {"http", "https"}:
                return done(CheckOutcome.ERROR, error=messages.REDIRECTED_NOT_HTTP)
            continue
        if 200 <= status < 300:
            permanent = any(hop[0] in PERMANENT for hop in result.redirects)
            moved = permanent and current != url
            return done(CheckOutcome.REDIRECTED if moved else CheckOutcome.OK)
        return done(CheckOutcome.BROKEN, error=messages.http_status(status))


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or ''}:{parts.port or ''}".lower()


def _round_robin(urls: list[str]) -> list[str]:
    """Interleave hosts so the pool's threads seldom wait on one host's limit."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[_host(url)].append(url)
    queues = list(by_host.values())
    ordered = []
    while queues:
        for queue in list(queues):
            ordered.append(queue.pop(0))
            if not queue:
                queues.remove(queue)
    return ordered


def check_urls(
    urls: Iterable[str],
    *,
    timeout: float = TIMEOUT,
    concurrency: int = CONCURRENCY,
    per_host: int = PER_HOST,
) -> dict[str, LinkResult]:
    """Check many links at once (``concurrency`` threads, at most ``per_host`` per host); url → result."""
    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    agent = user_agent()
    limits: dict[str, threading.Semaphore] = {h: threading.Semaphore(per_host) for h in map(_host, unique)}

    def one(url: str) -> LinkResult:
        with limits[_host(url)]:
            return check_url(url, timeout=timeout, agent=agent)

    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(unique))), thread_name_prefix="linkcheck") as pool:
        ordered = _round_robin(unique)
        return dict(zip(ordered, pool.map(one, ordered), strict=True))
