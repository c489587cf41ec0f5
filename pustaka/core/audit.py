"""Writing the audit trail. Actions call :func:`audit` inside their transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .context import get_request_id
from .models import AuditEvent

IGNORED_IN_DIFF = {"updated_at", "created_at", "shelf_key"}  # kept by Django or derived


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """A JSON-able dict of an object's concrete field values (foreign keys by id)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if isinstance(field, models.BinaryField):
            continue
        data[field.attname] = field.value_from_object(obj)
    return data


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the keys whose values changed (timestamps kept by Django itself do not count)."""
    keys = [k for k in after if k not in IGNORED_IN_DIFF and before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def build(actor, verb: str, obj=None, *, before=None, after=None) -> AuditEvent:
    """An unsaved AuditEvent (for bulk writers such as the MARC importer)."""
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None else "system",
        verb=verb,
        before=before,
        after=after,
        request_id=get_request_id(),
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:300]
    return event


def audit(actor, verb: str, obj=None, *, before=None, after=None) -> AuditEvent:
    """Record that ``actor`` did ``verb`` to ``obj``. Call inside the action's transaction."""
    event = build(actor, verb, obj, before=before, after=after)
    event.save()
    return event


def history(obj) -> models.QuerySet:
    """Every audit event about ``obj``, newest first."""
    ct = ContentType.objects.get_for_model(obj)
    return AuditEvent.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")
