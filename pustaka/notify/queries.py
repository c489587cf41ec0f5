"""Reads of notice deliveries shared by the staff pages, the patron's account and the API."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from pustaka.core.audit import history

from .models import Delivery


def deliveries() -> QuerySet:
    """Every delivery with its notice and patron (one query for a page of them)."""
    return Delivery.objects.select_related("notice__patron")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered(rows: QuerySet, *, channel="", state="", kind="", card="", since=None, until=None) -> QuerySet:
    """``rows`` of a channel, a state, a notice kind, a patron (card number) and queued between two days
    (both included, in the library's time zone); an empty filter keeps every row."""
    if channel:
        rows = rows.filter(channel=channel)
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(notice__kind=kind)
    if card:
        rows = rows.filter(notice__patron__card_number__iexact=card.strip())
    if since:
        rows = rows.filter(created_at__gte=_day_start(since))
    if until:
        rows = rows.filter(created_at__lt=_day_start(until + datetime.timedelta(days=1)))
    return rows


def attempts(delivery: Delivery) -> list:
    """The delivery's history, oldest first: each attempt's outcome and error, retries and a cancel."""
    return list(history(delivery).order_by("occurred_at", "id"))


def notices_of(patron) -> QuerySet:
    """The patron's own notices, newest first, each with its WhatsApp/SMS deliveries (two queries)."""
    from pustaka.circulation.models import Notice

    return Notice.objects.filter(patron=patron).prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.order_by("channel"))
    )
