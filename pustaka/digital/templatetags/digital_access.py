"""``{% digital_offers record as offers %}``: what the reader in front of the page may do with each of
a record's digital resources (read online, download, follow the link) or why not.

Uses :func:`pustaka.digital.access.decide` (reads only: showing buttons is not an access; opening
one is, and is checked and logged again by the view it leads to).
"""

from dataclasses import dataclass, field

from django import template
from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from ..access import client_ip, decide, pages_only
from ..choices import AccessAction, FileRole, RefusalReason, ResourceKind
from ..models import DigitalResource, ResourceFile
from ..views.reader import READABLE
from ..views.serve import HELP_ASK, inline_safe, login_url

register = template.Library()


@dataclass
class FileOffer:
    name: str
    format: str
    size: int
    read_url: str = ""
    open_url: str = ""
    download_url: str = ""
    pages_only: bool = False


@dataclass
class Offer:
    resource: DigitalResource
    kind_label: str
    files: list = field(default_factory=list)
    link_url: str = ""
    refused_reason: str = ""
    refused_label: str = ""
    download_refused: bool = False
    login_url: str = ""
    help_url: str = ""
    open_access: bool = False
    seats_free: int | None = None


def resources_of(record):
    """A record's active resources with licence, categories and content files (three or four queries)."""
    files = ResourceFile.objects.filter(role__in=[FileRole.CONTENT, FileRole.SUPPLEMENT]).select_related("file")
    return (
        DigitalResource.objects.filter(record=record, is_active=True)
        .select_related("licence")
        .prefetch_related("licence__patron_categories", Prefetch("files", queryset=files, to_attr="content_files"))
        .annotate(free_seats=Count("seats", filter=Q(seats__patron__isnull=True)))
        .order_by("id")
    )


def offers_for(record, request) -> list[Offer]:
    user = getattr(request, "user", None)
    ip = client_ip(request)
    offers = []
    for resource in resources_of(record):
        offer = Offer(
            resource=resource,
            kind_label=str(ResourceKind(resource.kind).label),
            open_access=bool(resource.licence and resource.licence.is_open_access),
            help_url=f"{HELP_ASK}?record={record.pk}",
        )
        if resource.kind == ResourceKind.SOFTWARE:
            offer.seats_free = resource.free_seats
        view = decide(resource=resource, user=user, action=AccessAction.VIEW, ip=ip)
        if not view.granted:
            offer.refused_reason, offer.refused_label = view.reason, view.reason_label
            if view.reason == RefusalReason.LOGIN_REQUIRED:
                offer.login_url = login_url(request)
            offers.append(offer)
            continue
        download = decide(resource=resource, user=user, action=AccessAction.DOWNLOAD, ip=ip)
        offer.download_refused = not download.granted
        if resource.remote_url:
            offer.link_url = reverse("digital_public:follow_link", args=[resource.pk])
        for link in resource.content_files:
            stored = link.file
            if stored.state != "ok":
                continue
            args = [resource.pk, link.pk]
            item = FileOffer(
                name=link.label or stored.original_name or record.title,
                format=stored.format_name or stored.mime_type,
                size=stored.size,
            )
            item.pages_only = pages_only(resource, stored)
            if stored.mime_type in READABLE:
                item.read_url = reverse("digital_public:read", args=args)
            elif inline_safe(stored.mime_type):
                item.open_url = reverse("digital_public:read_file", args=args)
            if download.granted:
                item.download_url = reverse("digital_public:download_file", args=args)
            offer.files.append(item)
        offers.append(offer)
    return offers


@register.simple_tag(takes_context=True)
def digital_offers(context, record):
    """The offers of ``record``'s digital resources for the request in ``context``."""
    request = context.get("request")
    if request is None:
        return []
    return offers_for(record, request)


@register.filter
def available_period(resource) -> str:
    """What of ``resource``'s coverage may be used today, its embargo walls applied, in words
    ("Available 2010 – 6 months ago (until 30 June 2026)"); ``""`` for a resource without coverage."""
    from django.utils import timezone

    from ..embargo import describe

    return describe(resource, today=timezone.localdate())


@register.simple_tag
def usage_last_months(months: int = 12) -> dict:
    """Usage of the last ``months`` months with its chart (the IT manager's dashboard)."""
    from django.utils import timezone

    from .. import queries_usage
    from ..views.usage import usage_context

    last = timezone.localdate().replace(day=1)
    return usage_context(queries_usage.add_months(last, -(int(months) - 1)), last)
