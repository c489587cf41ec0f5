"""Reads that staff pages and the API share: the audit trail, readable field changes, branches, the library's name."""

import json
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Branch, Library
from .numbers import format_amount
from .registry import verb_label  # noqa: F401  (the labels live beside the actions)


def audit_events(
    *,
    verb: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet:
    """The audit trail, newest first, filtered by verb prefix, actor username and local dates."""
    events = AuditEvent.objects.select_related("content_type").order_by("-occurred_at", "-id")
    if verb:
        events = events.filter(verb__startswith=verb.strip())
    if actor:
        events = events.filter(actor_name__iexact=actor.strip())
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events


def object_events(content_type: ContentType, object_id: str) -> QuerySet:
    """Every audit event about one object (even one deleted since), newest first."""
    return AuditEvent.objects.filter(content_type=content_type, object_id=str(object_id)).order_by(
        "-occurred_at", "-id"
    )


# Fields a person never needs to see in a list of changes.
HIDDEN_IN_CHANGES = {"id", "created_at", "updated_at", "marc", "marc_edited", "password"}


def _field(model, key: str):
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        field = None
    if field is not None and not field.is_relation or field is not None and not field.auto_created:
        return field  # a reverse relation (``seats``, ``steps``) is no field of this model: shown by its key
    if field is None:
        for field in model._meta.concrete_fields:
            if field.attname == key:
                return field
    return None


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _display(field, value, names: dict) -> str:
    if _empty(value):
        return "—"
    if field is not None and field.is_relation and field.related_model is not None:
        pk = _as_pk(field.related_model, value)
        return names.get((field.related_model, str(pk)), f"#{value}" if pk is not None else str(value))
    if field is not None and getattr(field, "choices", None):
        labels = {str(k): v for k, v in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return date_format(
                timezone.localtime(moment) if timezone.is_aware(moment) else moment, "SHORT_DATETIME_FORMAT"
            )
    if isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(field, models.DecimalField) and isinstance(value, str | int | float | Decimal):
        return format_amount(value)  # every decimal field of Pustaka is an amount of Rupiah: Rp 35.000
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, list) and all(isinstance(v, dict) and "name" in v for v in value):
        return "; ".join(f"{v['name']} ({v.get('role', '')})" if v.get("role") else v["name"] for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _keys(event: AuditEvent) -> list[str]:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = []
    for key in dict.fromkeys([*before, *after]):
        if key in HIDDEN_IN_CHANGES:
            continue
        if _empty(before.get(key)) and _empty(after.get(key)):
            continue  # e.g. the empty fields of a newly created object
        keys.append(key)
    return keys


def _as_pk(model, value):
    """``value`` as a primary key of ``model``, or None when it is something else (e.g. a branch code)."""
    if isinstance(value, dict | list | bool):
        return None
    try:
        return model._meta.pk.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None


def _related_names(events) -> dict:
    """``{(model, "pk"): "name"}`` for every foreign key value in ``events``: one query per related model."""
    wanted: dict = {}
    for event in events:
        model = event.content_type.model_class() if event.content_type_id else None
        for key in _keys(event):
            field = _field(model, key)
            if field is None or not field.is_relation or field.related_model is None:
                continue
            for side in (event.before, event.after):
                if isinstance(side, dict) and not _empty(side.get(key)):
                    pk = _as_pk(field.related_model, side[key])
                    if pk is not None:
                        wanted.setdefault(field.related_model, set()).add(pk)
    names = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model, str(obj.pk))] = str(obj)
    return names


def describe_events(events) -> list[AuditEvent]:
    """Give each event ``change_rows``: its before/after as rows ``{"field", "before", "after"}`` a person
    can read (choices by label, related objects by name, times localised); a fixed number of queries."""
    events = list(events)
    names = _related_names(events)
    for event in events:
        before = event.before if isinstance(event.before, dict) else {}
        after = event.after if isinstance(event.after, dict) else {}
        model = event.content_type.model_class() if event.content_type_id else None
        rows = []
        for key in _keys(event):
            field = _field(model, key)
            label = str(field.verbose_name) if field is not None else str(_("note") if key == "note" else key)
            label = label.replace("_", " ")
            rows.append(
                {
                    "field": label[:1].upper() + label[1:],
                    "before": _display(field, before.get(key), names) if key in before else "",
                    "after": _display(field, after.get(key), names) if key in after else "",
                }
            )
        event.change_rows = rows
    return events


def describe_changes(event: AuditEvent) -> list[dict]:
    """One event's readable change rows (see :func:`describe_events`)."""
    return describe_events([event])[0].change_rows


def branches() -> QuerySet:
    """Every branch with the number of its locations and items."""
    return Branch.objects.annotate(
        location_count=Count("locations", distinct=True), item_count=Count("items", distinct=True)
    ).order_by("code")


def library_name() -> str:
    """The library's name, as pages, notices, printed labels and slips, and the protocols say it.

    A read only (never creates the settings row, so a public page or a feed writes nothing); "Pustaka"
    before the library has been set up."""
    return Library.objects.values_list("name", flat=True).first() or "Pustaka"
