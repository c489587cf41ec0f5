"""Ingest: files into the content-addressed store, and from there onto records.

``store_file`` is the one way bytes enter the store: streamed while hashed, size-checked, identified by
signature (never by name), type-checked for the kind of resource, opened and checked (a damaged PDF or
EPUB is refused with the reason; an encrypted one accepted with a warning), metadata and cover
extracted. A file whose SHA-256 is already stored is a *duplicate*: nothing new is written and the
existing ``StoredFile`` is returned, except when its stored copy is missing or damaged: then the
upload (the same bytes) restores it through ``restore_file``.

``ingest_file`` (command, API) goes on to attach the file: to a given resource, to a new resource of
a given record, or to a new record created from the file's own metadata; ``catalogue_file`` (the
upload page) creates the record from the form the cataloguer confirmed.
"""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pustaka.catalog import actions as catalog_actions
from pustaka.catalog.models import Record
from pustaka.core.audit import audit
from pustaka.core.permissions import has
from pustaka.core.registry import action

from .. import formats, metadata, storage
from ..choices import FileRole, FileState, ResourceKind
from ..errors_ingest import FileTypeNotAllowed
from ..models import DigitalResource, ResourceFile, StoredFile
from .resources import MATERIAL_TYPE_FOR_KIND, attach_file, create_resource

log = logging.getLogger(__name__)

#: The kind of resource a file becomes when nobody says (by format category).
KIND_FOR_CATEGORY = {
    formats.EBOOK: ResourceKind.EBOOK,
    formats.DOCUMENT: ResourceKind.EBOOK,
    formats.TEXT: ResourceKind.EBOOK,
    formats.AUDIO: ResourceKind.AUDIO,
    formats.VIDEO: ResourceKind.VIDEO,
    formats.IMAGE: ResourceKind.OTHER,
    formats.ARCHIVE: ResourceKind.DATASET,
    formats.DATA: ResourceKind.DATASET,
    formats.EXECUTABLE: ResourceKind.SOFTWARE,
}


@dataclass
class StoreResult:
    """A stored file, whether it is new (``created``) or was already there (duplicate), and warnings."""

    file: StoredFile
    created: bool
    warnings: list[str] = field(default_factory=list)
    cover: StoredFile | None = None

    @property
    def duplicate(self) -> bool:
        return not self.created


@dataclass
class IngestResult:
    """The outcome of ingesting one file: ``created`` or ``duplicate``, and where it went."""

    file: StoredFile
    created: bool
    warnings: list[str] = field(default_factory=list)
    record: Record | None = None
    resource: DigitalResource | None = None
    cover: StoredFile | None = None

    @property
    def outcome(self) -> str:
        return "created" if self.created else "duplicate"


def kind_for(file: StoredFile) -> str:
    """The resource kind a file suggests (an EPUB or PDF is an e-book, an installer software...)."""
    category = formats.category_of(file.pronom_id, file.mime_type)
    return KIND_FOR_CATEGORY.get(category, ResourceKind.OTHER)


def _store_cover(extracted: metadata.Extracted, actor) -> StoredFile | None:
    """Keep an e-book's cover image as a stored file of its own (only if it really is an image)."""
    if not extracted.cover:
        return None
    with tempfile.SpooledTemporaryFile(max_size=storage.CHUNK_SIZE) as buffer:
        buffer.write(extracted.cover)
        buffer.seek(0)
        spooled = storage.spool(buffer)
    fmt = formats.identify_with_table(spooled.path)
    if fmt.category != formats.IMAGE:
        spooled.discard()
        return None
    existing = StoredFile.objects.filter(sha256=spooled.sha256).first()
    if existing is not None:
        spooled.discard()
        return existing
    storage.get_store().put(spooled)
    return StoredFile.objects.create(
        sha256=spooled.sha256,
        size=spooled.size,
        mime_type=fmt.mime_type,
        pronom_id=fmt.pronom_id,
        format_name=fmt.name,
        original_name=storage.clean_name(extracted.cover_name),
        metadata={"cover_of_ingest": True},
        created_by=actor if actor is not None and actor.pk else None,
    )


def _repair(existing: StoredFile, spooled: storage.Spooled, actor) -> list[str]:
    """A re-upload of a file whose stored copy is missing or damaged: the upload has the very bytes the
    file is named by (same SHA-256), so it restores the stored copy through the preservation action
    (``restore_file``: a fixity check and an audit event). Without ``digital.run_fixity`` the upload
    is only a duplicate and a warning says so."""
    from .preservation import restore_file

    if existing.state not in (FileState.MISSING, FileState.CHANGED):
        return []
    if not has(actor, "digital.run_fixity"):
        return [
            _(
                "The stored copy of this file is missing or damaged; someone who may run fixity checks can "
                "restore it by uploading this file again."
            )
        ]
    with open(spooled.path, "rb") as upload:
        restore_file(stored_file=existing, upload=upload, actor=actor)
    existing.refresh_from_db(fields=["state", "last_checked_at"])
    return [_("The stored copy of this file was missing or damaged; this upload has restored it.")]


@action(
    "digital.file.ingest",
    permission="digital.ingest_file",
    label=gettext_lazy("File ingested"),
    labels={"digital.file.duplicate": gettext_lazy("File already stored")},
)
def store_file(*, source, original_name: str, actor, kind: str | None = None) -> StoreResult:
    """Put one file into the store (or find it there), checked and identified, with its metadata.

    ``source`` is a path or a readable binary stream; ``original_name`` is only kept for display.
    Refusals raise a :class:`FileRefused` subclass (too large, empty, type not allowed, damaged).
    """
    name = storage.clean_name(original_name)
    spooled = storage.spool(source)
    try:
        existing = StoredFile.objects.filter(sha256=spooled.sha256).first()
        if existing is not None:
            fmt = formats.Format(
                existing.pronom_id,
                existing.format_name,
                existing.mime_type,
                formats.category_of(existing.pronom_id, existing.mime_type),
            )
            if not formats.allowed_for(fmt, kind):
                raise FileTypeNotAllowed(format=fmt.name or fmt.mime_type)
            warnings = [_("This file is already in the store (“%(name)s”).") % {"name": existing}]
            warnings += _repair(existing, spooled, actor)
            spooled.discard()
            audit(actor, "digital.file.duplicate", existing, after={"name": name})
            cover_id = existing.metadata.get("cover_file_id") if isinstance(existing.metadata, dict) else None
            cover = StoredFile.objects.filter(pk=cover_id).first() if cover_id else None
            return StoreResult(existing, created=False, warnings=warnings, cover=cover)
        fmt = formats.identify(spooled.path)
        if not formats.allowed_for(fmt, kind):
            raise FileTypeNotAllowed(format=fmt.name if fmt.is_known else _("unknown"))
        extracted = metadata.examine(spooled.path, fmt)
        cover = _store_cover(extracted, actor)
        data = extracted.as_metadata()
        if cover is not None:
            data["cover_file_id"] = cover.pk
        stored = StoredFile(
            sha256=spooled.sha256,
            size=spooled.size,
            mime_type=fmt.mime_type[:100],
            pronom_id=fmt.pronom_id[:20],
            format_name=fmt.name[:100],
            original_name=name,
            page_count=extracted.page_count,
            is_encrypted=extracted.is_encrypted,
            metadata=data,
            created_by=actor if actor is not None and actor.pk else None,
        )
        try:
            with transaction.atomic():
                stored.save()
        except IntegrityError:  # the same bytes arrived at the same instant from another upload
            spooled.discard()
            return StoreResult(StoredFile.objects.get(sha256=spooled.sha256), created=False, cover=cover)
        storage.get_store().put(spooled)
    except BaseException:
        spooled.discard()
        raise
    audit(
        actor,
        "digital.file.ingest",
        stored,
        after={
            "sha256": stored.sha256,
            "size": stored.size,
            "format": stored.pronom_id,
            "mime_type": stored.mime_type,
            "name": name,
            "encrypted": stored.is_encrypted,
        },
    )
    return StoreResult(stored, created=True, warnings=list(extracted.warnings), cover=cover)


def record_data_from_file(file: StoredFile, *, kind: str | None = None) -> dict:
    """The record fields a stored file suggests (from its metadata; the file name as a last-resort title)."""
    found = metadata.Extracted(
        **{
            k: v
            for k, v in (file.metadata or {}).items()
            if k in metadata.Extracted.__dataclass_fields__ and k not in {"cover", "warnings"}
        }
    )
    data = found.record_data()
    if not data.get("title"):
        stem = re.sub(r"[_]+", " ", Path(file.original_name or "").stem).strip()
        data["title"] = stem or _("Untitled file %(hash)s") % {"hash": file.sha256[:12]}
    data["material_type"] = MATERIAL_TYPE_FOR_KIND.get(kind or kind_for(file), "other")
    return data


def default_role(kind: str | None) -> str:
    """The role a file takes when none is named: a software resource's file is its installer (guarded by
    seats), any other resource's its content."""
    return FileRole.INSTALLER if kind == ResourceKind.SOFTWARE else FileRole.CONTENT


def _attach_all(resource: DigitalResource, file: StoredFile, cover: StoredFile | None, role: str | None, actor) -> None:
    role = role or default_role(resource.kind)
    if not ResourceFile.objects.filter(resource=resource, file=file, role=role).exists():
        attach_file(resource=resource, file=file, role=role, actor=actor)
    if cover is not None and not ResourceFile.objects.filter(resource=resource, file=cover).exists():
        attach_file(resource=resource, file=cover, role=FileRole.COVER, actor=actor)


@action(
    "digital.resource.create", permission="digital.manage_resources", label=gettext_lazy("Digital resource created")
)
def catalogue_file(
    *,
    file: StoredFile,
    actor,
    record_data: dict,
    kind: str,
    collections=(),
    role: str | None = None,
    **resource_data,
) -> DigitalResource:
    """Create the record the cataloguer confirmed for an uploaded file, and its resource with the file."""
    record = catalog_actions.create_record(
        actor=actor, **{"material_type": MATERIAL_TYPE_FOR_KIND.get(kind, "other"), **record_data}
    )
    resource = create_resource(record=record, kind=kind, actor=actor, collections=collections, **resource_data)
    cover_id = (file.metadata or {}).get("cover_file_id")
    cover = StoredFile.objects.filter(pk=cover_id).first() if cover_id else None
    _attach_all(resource, file, cover, role, actor)
    return resource


@action("digital.file.ingest", permission="digital.ingest_file", label=gettext_lazy("File ingested"))
def ingest_file(
    *,
    source,
    original_name: str,
    actor,
    record: Record | None = None,
    resource: DigitalResource | None = None,
    kind: str | None = None,
    role: str | None = None,
    collections=(),
    licence=None,
) -> IngestResult:
    """Store a file and attach it: to ``resource``; else to a new resource of ``record``; else, for a new
    file, to a new record made from the file's metadata. A duplicate without a record or resource is
    only reported (with where it already is), nothing else is created. A resource created here is put
    under ``licence`` when one is given (through ``assign_licence``)."""
    if resource is not None:
        kind = resource.kind
    stored = store_file(source=source, original_name=original_name, actor=actor, kind=kind)
    result = IngestResult(stored.file, stored.created, list(stored.warnings), cover=stored.cover)
    file = stored.file
    if resource is None and record is None:
        if stored.duplicate:
            link = ResourceFile.objects.filter(file=file).select_related("resource__record").first()
            if link is not None:
                result.resource, result.record = link.resource, link.resource.record
            return result
        kind = kind or kind_for(file)
        record = catalog_actions.create_record(actor=actor, **record_data_from_file(file, kind=kind))
    if resource is None:
        kind = kind or kind_for(file)
        resource = create_resource(record=record, kind=kind, actor=actor, collections=collections, licence=licence)
    _attach_all(resource, file, stored.cover, role, actor)
    result.resource, result.record = resource, resource.record
    return result
