"""OPDS 1.2 catalogue at ``/opds`` for e-book reader apps.

Who may use it: anyone may browse the feeds (like the public catalogue). Downloads go through the same
licence check as the catalogue's file views; a restricted file needs a login: HTTP Basic with a
patron's catalogue login (the card number or the patron's own username, and the catalogue password)
or a browser session. Staff logins are never accepted over Basic (a staff password has no business in
an e-reader app). A download that a login could unlock is answered ``401`` with
``WWW-Authenticate: Basic``; wrong credentials are always 401; other refusals are 403 with the reason.
Failed Basic logins are counted by the same limiter as the web logins (django-axes,
:mod:`pustaka.core.login_limits`): per account, so after five wrong passwords that account is locked
for 15 minutes (``429`` with ``Retry-After``, whatever the password) while other patrons behind the
same address still log in; an address with many failures is only slowed down.

Feeds: ``/opds`` (navigation: new, by collection, by subject), ``/opds/new``,
``/opds/collections`` → ``/opds/collections/<code>``, ``/opds/subjects`` → ``/opds/subject?s=``,
``/opds/search?q=`` (described by ``/opds/search.xml``); acquisition feeds are paged (``?page=``,
25 entries) with first/previous/next/last links. Acquisition feeds list only what a reader app can
fetch (:func:`feed_resources`), so every entry has an acquisition link: ``.../open-access`` when
anyone may follow it (open access, no on-site range, no software seat), else the generic one.
"""

import base64
import binascii
import json
from collections import Counter

from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from pustaka.core import login_limits
from pustaka.core.models import User
from pustaka.core.permissions import is_staff_member
from pustaka.digital.choices import FileRole, FileState
from pustaka.digital.models import Collection, DigitalResource, ResourceFile
from pustaka.digital.views.serve import serve
from pustaka.patrons.models import Patron

from .feeds import ACQUISITION, NAVIGATION, OPENSEARCH_TYPE, REL_NEW, Feed, opensearch_description

PER_PAGE = 25
MAX_PAGE = 100_000
MAX_QUERY = 200
SEARCH_LIMIT = 2000
SUBJECTS_SHOWN = 100
REALM = 'Basic realm="Pustaka", charset="UTF-8"'


def public_resources():
    """Resources the public may see: active, of records shown in the catalogue."""
    return DigitalResource.objects.filter(is_active=True, record__is_suppressed=False)


def feed_resources():
    """The resources acquisition feeds list: public ones with something a reader app can fetch, i.e. an
    intact content file under a licence that allows downloads. Every entry of an acquisition feed then
    has an acquisition link; an e-journal or database that is only a remote link, or a read-online-only
    title, is left out (reader apps cannot open it; the catalogue's record page offers it)."""
    fetchable = ResourceFile.objects.filter(resource=OuterRef("pk"), role=FileRole.CONTENT, file__state=FileState.OK)
    return public_resources().filter(licence__download_allowed=True).filter(Exists(fetchable))


def _with_files(queryset):
    files = ResourceFile.objects.filter(role__in=["content", "cover"]).select_related("file").order_by("role", "id")
    return (
        queryset.select_related("record", "licence")
        .defer("record__marc")
        .prefetch_related(Prefetch("files", queryset=files, to_attr="opds_files"))
    )


def _page(request) -> int:
    try:
        return min(max(1, int(request.GET.get("page", 1))), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def _respond(feed: Feed) -> HttpResponse:
    return HttpResponse(feed.render(), content_type=feed.content_type)


def _acquisition(request, *, feed_id, title, queryset=None, ids=None, base, params=None):
    """A paged acquisition feed of ``queryset`` (already ordered) or of resource ``ids`` in order."""
    page = _page(request)
    total = len(ids) if ids is not None else queryset.count()
    pages = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    page = min(page, pages)
    start = (page - 1) * PER_PAGE
    if ids is not None:
        wanted = ids[start : start + PER_PAGE]
    else:  # the page's ids first (a narrow sort), then the 25 rows in full
        wanted = list(queryset.values_list("pk", flat=True)[start : start + PER_PAGE])
    by_id = _with_files(feed_resources()).in_bulk(wanted)
    resources = [by_id[pk] for pk in wanted if pk in by_id]
    feed = Feed(request, feed_id=feed_id, title=title, kind="acquisition")
    feed.link("up", reverse("opds:root"), NAVIGATION)
    feed.paging(page=page, pages=pages, total=total, per_page=PER_PAGE, base=base, params=params or {})
    for resource in resources:
        feed.resource_entry(resource)
    return _respond(feed)


@require_GET
def root(request):
    """The start of the catalogue: new titles, by collection, by subject, and search."""
    feed = Feed(request, feed_id="urn:pustaka:opds:root", title=_("Digital library"), kind="navigation")
    feed.link(REL_NEW, reverse("opds:new"), ACQUISITION, title=_("New titles"))
    feed.navigation_entry(
        entry_id="urn:pustaka:opds:new", title=_("New titles"), href=reverse("opds:new"),
        content=_("The latest additions to the digital library."),
    )  # fmt: skip
    feed.navigation_entry(
        entry_id="urn:pustaka:opds:collections", title=_("By collection"), href=reverse("opds:collections"),
        content=_("Curated collections."), kind="navigation",
    )  # fmt: skip
    feed.navigation_entry(
        entry_id="urn:pustaka:opds:subjects", title=_("By subject"), href=reverse("opds:subjects"),
        content=_("Browse by subject."), kind="navigation",
    )  # fmt: skip
    return _respond(feed)


@require_GET
def new(request):
    """Acquisition feed: every resource, newest first."""
    return _acquisition(
        request,
        feed_id="urn:pustaka:opds:new",
        title=_("New titles"),
        queryset=feed_resources().order_by("-created_at", "-id"),
        base=reverse("opds:new"),
    )


@require_GET
def collections(request):
    """Navigation feed: the public collections."""
    feed = Feed(request, feed_id="urn:pustaka:opds:collections", title=_("By collection"), kind="navigation")
    feed.link("up", reverse("opds:root"), NAVIGATION)
    for collection in Collection.objects.filter(is_public=True).order_by("name"):
        feed.navigation_entry(
            entry_id=f"urn:pustaka:opds:collection:{collection.code}",
            title=collection.name,
            href=reverse("opds:collection", args=[collection.code]),
            content=collection.description,
        )
    return _respond(feed)


@require_GET
def collection(request, code: str):
    """Acquisition feed: one public collection's resources, newest first."""
    found = Collection.objects.filter(code=code, is_public=True).first()
    if found is None:
        raise Http404
    return _acquisition(
        request,
        feed_id=f"urn:pustaka:opds:collection:{found.code}",
        title=found.name,
        queryset=feed_resources().filter(collections=found).order_by("-created_at", "-id"),
        base=reverse("opds:collection", args=[found.code]),
    )


def _subject_counts() -> list[tuple[str, int]]:
    """The most frequent subjects of records with digital resources (cached for five minutes)."""
    cached = cache.get("opds:subjects")
    if cached is not None:
        return cached
    counts = Counter()
    for subjects in feed_resources().values_list("record__subjects", flat=True).distinct():
        for subject in subjects or []:
            if isinstance(subject, str) and subject.strip():
                counts[subject.strip()] += 1
    result = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:SUBJECTS_SHOWN]
    cache.set("opds:subjects", result, 300)
    return result


@require_GET
def subjects(request):
    """Navigation feed: the most frequent subjects, each an acquisition feed."""
    feed = Feed(request, feed_id="urn:pustaka:opds:subjects", title=_("By subject"), kind="navigation")
    feed.link("up", reverse("opds:root"), NAVIGATION)
    for subject, count in _subject_counts():
        feed.navigation_entry(
            entry_id="urn:pustaka:opds:subject:" + _query({"s": subject})[2:],
            title=subject,
            href=reverse("opds:subject") + "?" + _query({"s": subject}),
            content=ngettext("%(count)s title", "%(count)s titles", count) % {"count": count},
        )
    return _respond(feed)


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


@require_GET
def subject(request):
    """Acquisition feed: resources whose record has the subject ``s``."""
    name = request.GET.get("s", "").strip()[:MAX_QUERY]
    if not name or "\x00" in name:
        raise Http404
    forms = {json.dumps(name), json.dumps(name, ensure_ascii=False)}
    from django.db.models import Q, TextField
    from django.db.models.functions import Cast

    condition = Q()
    for form in forms:
        condition |= Q(subjects_text__contains=form)
    queryset = (
        feed_resources()
        .annotate(subjects_text=Cast("record__subjects", TextField()))
        .filter(condition)
        .order_by("-created_at", "-id")
    )
    return _acquisition(
        request,
        feed_id="urn:pustaka:opds:subject:" + _query({"s": name})[2:],
        title=name,
        queryset=queryset,
        base=reverse("opds:subject"),
        params={"s": name},
    )


@require_GET
def search_description(request):
    """The OpenSearch description document."""
    return HttpResponse(opensearch_description(request), content_type=OPENSEARCH_TYPE)


def search_ids(q: str) -> list[int]:
    """Resource ids matching ``q``, best first, through ``pustaka.search.search()`` (as the catalogue)."""
    from pustaka.search import QuerySyntaxError, SearchQuery, search
    from pustaka.search.textquery import parse

    try:
        if parse(q) is None:
            return []  # only punctuation: nothing to look for (an empty query would list everything)
        found = search(SearchQuery(text=q, limit=SEARCH_LIMIT, facets=False))
    except QuerySyntaxError:
        return []
    rank = {pk: n for n, pk in enumerate(found.ids)}
    rows = feed_resources().filter(record_id__in=found.ids).values_list("pk", "record_id")
    return [pk for pk, record_id in sorted(rows, key=lambda row: (rank[row[1]], -row[0]))]


@require_GET
def search(request):
    """Acquisition feed: resources whose record matches ``q`` (the catalogue's search language)."""
    q = request.GET.get("q", "").strip()[:MAX_QUERY].replace("\x00", "")
    ids = search_ids(q) if q else []
    return _acquisition(
        request,
        feed_id="urn:pustaka:opds:search:" + _query({"q": q})[2:],
        title=_("Search: %(q)s") % {"q": q},
        ids=ids,
        base=reverse("opds:search"),
        params={"q": q},
    )


# Downloads with HTTP Basic ------------------------------------------------------------------------


MAX_USERNAME = 150


class BadCredentials(Exception):
    """Wrong or malformed credentials; ``username`` is the login name sent (when one could be read)."""

    def __init__(self, username: str = ""):
        super().__init__(username)
        self.username = username


class LockedOut(Exception):
    """Too many failed logins for this account: wait ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _credentials(header: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCredentials from None
    username, sep, password = decoded.partition(":")
    username = username.strip()
    if not sep or not username or "\x00" in decoded or len(username) > MAX_USERNAME:
        raise BadCredentials(username[:MAX_USERNAME])
    return username, password


def patron_login(username: str):
    """The login of the patron named by ``username``: their card number (not case-sensitive) or their
    own catalogue username. Staff logins (any role, superusers) are never patron logins."""
    patron = (
        Patron.objects.select_related("user").filter(card_number__iexact=username, user__isnull=False).first()
        or Patron.objects.select_related("user").filter(user__username=username).first()
    )
    user = patron.user if patron is not None else None
    if user is None or not user.is_active or is_staff_member(user):
        return None
    return user


def basic_user(request):
    """The patron login named by ``Authorization: Basic`` (card number or the patron's username +
    password), None when no Basic header is sent; raises :class:`BadCredentials` when it is sent but
    wrong (or names a staff login), :class:`LockedOut` while that account is locked.

    The password is checked by ``authenticate(request=...)``, so django-axes counts the failures per
    account exactly as it does for the web logins (:mod:`pustaka.core.login_limits`)."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        username, password = _credentials(header)
    except BadCredentials as error:
        if error.username and login_limits.is_locked(request, error.username):
            raise LockedOut(login_limits.retry_after()) from None
        login_limits.count_failure(request, error.username)
        raise
    target = patron_login(username)
    if target is None:  # no such patron, or a staff login: never checked over Basic, but counted
        if login_limits.is_locked(request, username):
            raise LockedOut(login_limits.retry_after())
        User().set_password(password)  # the same work as a real check, so timing tells nothing
        login_limits.count_failure(request, username)
        if getattr(request, "axes_locked_out", False):
            raise LockedOut(login_limits.retry_after())
        raise BadCredentials(username)
    user = authenticate(request=request, username=target.username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LockedOut(login_limits.retry_after())
    if user is None or user.pk != target.pk:
        raise BadCredentials(username)
    login_limits.forget_failures(target.username)
    return user


def _challenge(message: str) -> HttpResponse:
    response = HttpResponse(message, status=401, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = REALM
    return response


def _locked(request) -> HttpResponse:
    return login_limits.lockout_response(request)


@require_http_methods(["GET", "HEAD"])
def download(request, resource_id: int, file_id: int):
    """A file for a reader app: checked and logged like the catalogue's download view."""
    try:
        user = basic_user(request)
    except LockedOut:
        return _locked(request)
    except BadCredentials:
        return _challenge(_("The card number or password is wrong."))
    if user is None:
        user = request.user

    def refused(decision):
        if decision.reason == "login_required":
            return _challenge(_("Log in with your library card number and password."))
        return HttpResponse(
            _("Access refused: %(reason)s") % {"reason": decision.reason_label},
            status=403,
            content_type="text/plain; charset=utf-8",
        )

    return serve(request, resource_id, file_id, action="download", user=user, on_refusal=refused)
