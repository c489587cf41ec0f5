"""Digital resources of catalogue records: create, change, attach files, software seats.

A record may have physical items and digital resources at once. Every change to a resource appends
its record to the search change log, so the public catalogue finds records with digital resources.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pustaka.catalog.models import Record
from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.registry import action
from pustaka.search import changes

from .. import embargo
from ..choices import FileRole, ResourceKind
from ..errors_ingest import FileAlreadyAttached, FileTypeNotAllowed, InvalidResource, SeatInUse, TooManySeats
from ..formats import IMAGE, Format, allowed_for, category_of
from ..models import Collection, DigitalResource, ResourceFile, SoftwareSeat, StoredFile

RESOURCE_FIELDS = [
    "kind",
    "label",
    "remote_url",
    "coverage_start",
    "coverage_end",
    "coverage_note",
    "embargo",
    "version",
    "platform",
    "is_active",
]
MAX_LENGTHS = {"label": 200, "remote_url": 1000, "coverage_note": 300, "version": 50, "platform": 100}
MAX_SEATS_AT_ONCE = 1000

#: The material type a record created for a resource of each kind gets.
MATERIAL_TYPE_FOR_KIND = {
    ResourceKind.EBOOK: "ebook",
    ResourceKind.EJOURNAL: "ejournal",
    ResourceKind.DATABASE: "database",
    ResourceKind.SOFTWARE: "software",
    ResourceKind.AUDIO: "audio",
    ResourceKind.VIDEO: "video",
    ResourceKind.DATASET: "other",
    ResourceKind.OTHER: "other",
}


def file_format(file: StoredFile) -> Format:
    """The identified format of a stored file, as kept on its row."""
    return Format(file.pronom_id, file.format_name, file.mime_type, category_of(file.pronom_id, file.mime_type))


def _date(value, field: str):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidResource(
            field=field, reason=_("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": value}
        ) from None


def clean_resource_data(data: dict) -> dict:
    """Validate and normalise resource fields; raise InvalidResource naming the first bad field."""
    unknown = set(data) - set(RESOURCE_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidResource(field=name, reason=_("unknown field “%(name)s”") % {"name": name})
    cleaned = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = value.strip()
            if "\x00" in value:
                raise InvalidResource(field=key, reason=_("the text contains a NUL character"))
            if key in MAX_LENGTHS and len(value) > MAX_LENGTHS[key]:
                raise InvalidResource(
                    field=key, reason=_("at most %(max)s characters are allowed") % {"max": MAX_LENGTHS[key]}
                )
        cleaned[key] = value
    if "kind" in cleaned and cleaned["kind"] not in ResourceKind.values:
        raise InvalidResource(field="kind", reason=_("unknown kind “%(kind)s”") % {"kind": cleaned["kind"]})
    if cleaned.get("remote_url"):
        parts = urlsplit(cleaned["remote_url"])
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidResource(field="remote_url", reason=_("the link must start with http:// or https://"))
    for name in ("coverage_start", "coverage_end"):
        if name in cleaned:
            cleaned[name] = _date(cleaned[name], name)
    if "embargo" in cleaned:
        try:
            cleaned["embargo"] = embargo.normalise(cleaned["embargo"] or "")
        except ValueError:
            raise InvalidResource(
                field="embargo",
                reason=_("the embargo “%(value)s” is not like P1Y, R6M or R10Y;P30D (KBART)")
                % {"value": cleaned["embargo"]},
            ) from None
    if "is_active" in cleaned:
        cleaned["is_active"] = bool(cleaned["is_active"])
    return cleaned


def _check_coverage(resource: DigitalResource) -> None:
    if resource.coverage_start and resource.coverage_end and resource.coverage_start > resource.coverage_end:
        raise InvalidResource(field="coverage_end", reason=_("the coverage ends before it starts"))


def _collection_codes(resource: DigitalResource) -> list[str]:
    return sorted(resource.collections.values_list("code", flat=True))


def _set_collections(resource: DigitalResource, collections) -> None:
    rows = list(collections)
    if any(not isinstance(c, Collection) for c in rows):
        raise InvalidResource(field="collections", reason=_("collections must be given as collections"))
    resource.collections.set(rows)


#: ``licence=KEEP`` (the default of :func:`update_resource`): leave the resource's licence as it is.
KEEP = object()


def _put_under_licence(resource: DigitalResource, licence, actor) -> DigitalResource:
    """Put ``resource`` under ``licence`` (a Licence or None) through the licence action, when it changes."""
    from ..models import Licence
    from .licences import assign_licence

    if licence is KEEP:
        return resource
    if licence is not None and not isinstance(licence, Licence):
        raise InvalidResource(field="licence", reason=_("the licence must be given as a licence"))
    if (licence.pk if licence is not None else None) == resource.licence_id:
        return resource
    locked = assign_licence(resource=resource, licence=licence, actor=actor)
    resource.licence = locked.licence
    return resource


@action(
    "digital.resource.create", permission="digital.manage_resources", label=gettext_lazy("Digital resource created")
)
def create_resource(*, record: Record, kind: str, actor, collections=(), licence=None, **data) -> DigitalResource:
    """Attach a new digital resource of ``kind`` (e-book, e-journal, software...) to a catalogue record,
    optionally under ``licence`` (through :func:`~pustaka.digital.actions.licences.assign_licence`, which
    needs ``digital.manage_licences``)."""
    cleaned = clean_resource_data({"kind": kind, **data})
    resource = DigitalResource(record=record, **cleaned)
    _check_coverage(resource)
    resource.save()
    if collections:
        _set_collections(resource, collections)
    audit(
        actor,
        "digital.resource.create",
        resource,
        after={**snapshot(resource), "collections": _collection_codes(resource)},
    )
    _put_under_licence(resource, licence, actor)
    changes.record_changed(record.pk)
    return resource


@action(
    "digital.resource.update",
    permission="digital.manage_resources",
    label=gettext_lazy("Digital resource changed"),
)
def update_resource(*, resource: DigitalResource, actor, collections=None, licence=KEEP, **data) -> DigitalResource:
    """Change a resource's kind, label, link, coverage, version, platform, activity or collections, and
    its licence (``licence``: a Licence, or None for none; by default left as it is) through
    :func:`~pustaka.digital.actions.licences.assign_licence`."""
    cleaned = clean_resource_data(data)
    locked = DigitalResource.objects.select_for_update(of=("self",)).get(pk=resource.pk)
    before = {**snapshot(locked), "collections": _collection_codes(locked)}
    for name, value in cleaned.items():
        setattr(locked, name, value)
    _check_coverage(locked)
    locked.save()
    if collections is not None:
        _set_collections(locked, collections)
    old, new = diff(before, {**snapshot(locked), "collections": _collection_codes(locked)})
    if new:
        audit(actor, "digital.resource.update", locked, before=old, after=new)
        changes.record_changed(locked.record_id)
    return _put_under_licence(locked, licence, actor)


@action("digital.resource.attach_file", permission="digital.manage_resources", label=gettext_lazy("File attached"))
def attach_file(*, resource: DigitalResource, file: StoredFile, actor, role: str = FileRole.CONTENT, label: str = ""):
    """Attach a stored file to a resource as its content, cover, installer or supplement.

    Programs and unknown types only go into software resources; a cover must be an image.
    """
    if role not in FileRole.values:
        raise InvalidResource(field="role", reason=_("unknown file role “%(role)s”") % {"role": role})
    fmt = file_format(file)
    if not allowed_for(fmt, resource.kind) or (role == FileRole.COVER and fmt.category != IMAGE):
        raise FileTypeNotAllowed(format=fmt.name or fmt.mime_type)
    existing = ResourceFile.objects.filter(resource=resource, file=file, role=role).first()
    if existing is not None:
        raise FileAlreadyAttached(role=FileRole(role).label)
    link = ResourceFile.objects.create(resource=resource, file=file, role=role, label=(label or "").strip()[:200])
    audit(actor, "digital.resource.attach_file", resource, after={"file": file.sha256, "role": role})
    changes.record_changed(resource.record_id)
    return link


@action("digital.resource.detach_file", permission="digital.manage_resources", label=gettext_lazy("File detached"))
def detach_file(*, link: ResourceFile, actor) -> None:
    """Take a file off a resource (the stored bytes stay in the store for preservation)."""
    resource = link.resource
    audit(actor, "digital.resource.detach_file", resource, before={"file": link.file.sha256, "role": link.role})
    link.delete()
    changes.record_changed(resource.record_id)


@action("digital.seats.add", permission="digital.manage_seats", label=gettext_lazy("Software seats added"))
def add_seats(*, resource: DigitalResource, actor, keys=(), count: int = 0) -> list[SoftwareSeat]:
    """Add seats to a software resource: one per licence key given, plus ``count`` seats without a key.

    When the resource's licence sets a number of seats, the resource never gets more than that
    (:class:`TooManySeats`).
    """
    resource = DigitalResource.objects.select_for_update(of=("self",)).select_related("licence").get(pk=resource.pk)
    if resource.kind != ResourceKind.SOFTWARE:
        raise InvalidResource(field="kind", reason=_("only software resources have seats"))
    clean_keys = []
    for key in keys or []:
        key = str(key).strip()
        if not key:
            continue
        if len(key) > 200 or "\x00" in key:
            raise InvalidResource(field="keys", reason=_("a licence key has at most 200 characters"))
        if key not in clean_keys:
            clean_keys.append(key)
    try:
        count = int(count or 0)
    except (TypeError, ValueError):
        raise InvalidResource(field="count", reason=_("the number of seats must be a number")) from None
    if count < 0 or count + len(clean_keys) > MAX_SEATS_AT_ONCE:
        raise InvalidResource(field="count", reason=_("add between 1 and 1000 seats at a time"))
    taken = set(resource.seats.filter(licence_key__in=clean_keys).values_list("licence_key", flat=True))
    if taken:
        raise InvalidResource(
            field="keys", reason=_("the key “%(key)s” is already a seat of this resource") % {"key": sorted(taken)[0]}
        )
    if not clean_keys and not count:
        raise InvalidResource(field="keys", reason=_("give at least one licence key or a number of seats"))
    licence = resource.licence
    if licence is not None and licence.seats is not None:
        existing = resource.seats.count()
        asked = count + len(clean_keys)
        if existing + asked > licence.seats:
            raise TooManySeats(
                field="count" if count else "keys",
                licence=licence.name,
                allowed=licence.seats,
                existing=existing,
                asked=asked,
            )
    seats = [SoftwareSeat(resource=resource, licence_key=key) for key in clean_keys]
    seats += [SoftwareSeat(resource=resource) for _ in range(count)]
    for seat in seats:
        seat.save()
    audit(actor, "digital.seats.add", resource, after={"seats": len(seats), "keys": len(clean_keys)})
    return seats


@action("digital.seats.remove", permission="digital.manage_seats", label=gettext_lazy("Software seats removed"))
def remove_seat(*, seat: SoftwareSeat, actor) -> None:
    """Remove a seat that is not lent out."""
    locked = SoftwareSeat.objects.select_for_update(of=("self",)).get(pk=seat.pk)
    if locked.patron_id is not None:
        raise SeatInUse(seat=locked.pk)
    audit(actor, "digital.seats.remove", locked.resource, before={"seat": locked.pk})
    locked.delete()
