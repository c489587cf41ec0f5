"""Schemas shared by the digital API modules."""

from datetime import date, datetime

from ninja import Schema

from ..choices import FileRole, ResourceKind


class FileOut(Schema):
    """A stored file: hash, size, identified format, pages, encryption and extracted metadata."""

    id: int
    sha256: str
    size: int
    mime_type: str
    pronom_id: str
    format_name: str
    original_name: str
    page_count: int | None
    is_encrypted: bool
    state: str
    metadata: dict
    created_at: datetime


class AttachedFileOut(Schema):
    role: str
    role_label: str
    label: str
    file: FileOut

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(FileRole(obj.role).label)


class CollectionRef(Schema):
    code: str
    name: str


class ResourceRecordOut(Schema):
    id: int
    title: str
    material_type: str
    classification_scheme: str
    class_number: str
    call_number: str
    subjects: list
    series: str


class ResourceOut(Schema):
    """A digital resource with its record (classification, subjects, series), collections and files."""

    id: int
    record: ResourceRecordOut
    kind: str
    kind_label: str
    label: str
    remote_url: str
    coverage_start: date | None
    coverage_end: date | None
    coverage_note: str
    embargo: str
    version: str
    platform: str
    licence_id: int | None
    is_active: bool
    collections: list[CollectionRef]
    files: list[AttachedFileOut]
    seat_count: int = 0
    seats_lent: int = 0
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(ResourceKind(obj.kind).label)

    @staticmethod
    def resolve_collections(obj):
        return list(obj.collections.all())

    @staticmethod
    def resolve_files(obj):
        return list(obj.files.all())
