"""Request and response schemas of the catalogue API.

Input schemas only shape and bound the data (lengths, types); the meaning (valid ISBN, known material
type, contributor roles, language codes) is checked by :mod:`pustaka.catalog.actions`, whose
translated messages name the field.
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from pustaka.core.api import InSchema

from .choices import ClassificationScheme, ContributorRole, MaterialType, ThesisKind

RECORD_ORDERINGS = Literal[
    "title", "-title", "year", "-year", "call_number", "-call_number", "created_at", "-created_at", "updated_at",
    "-updated_at",
]  # fmt: skip


def _choices(choices) -> dict:
    return {"json_schema_extra": {"enum": list(choices.values)}}


class ContributorIn(InSchema):
    name: str = Field(..., max_length=500)
    role: str = Field("author", max_length=32, **_choices(ContributorRole))
    dates: str | None = Field(None, max_length=100)


class ContributorOut(Schema):
    name: str
    role: str
    role_label: str
    dates: str | None = None


class RecordPatch(InSchema):
    """Fields of a record; a PATCH sends only those it changes (``null`` only clears ``year``)."""

    material_type: str = Field(None, max_length=16, **_choices(MaterialType))
    title: str = Field(None, max_length=1000)
    subtitle: str = Field(None, max_length=1000)
    responsibility: str = Field(None, max_length=1000, description="Statement of responsibility.")
    contributors: list[ContributorIn] = Field(None, max_length=200, description="In title-page order.")
    publisher: str = Field(None, max_length=500)
    place: str = Field(None, max_length=300)
    year: int | None = Field(None, ge=1, le=2999)
    edition: str = Field(None, max_length=200)
    extent: str = Field(None, max_length=500)
    isbn: str = Field(None, max_length=20, description="One ISBN; becomes the first of `isbns`.")
    isbns: list[str] = Field(None, max_length=50, description="ISBN-10 or ISBN-13; stored as ISBN-13.")
    issn: str = Field(None, max_length=12)
    language: str = Field(None, max_length=3, description="MARC language code, e.g. ind, eng.")
    subjects: list[str] = Field(None, max_length=200)
    series: str = Field(None, max_length=500)
    summary: str = Field(None, max_length=20000)
    notes: str = Field(None, max_length=20000)
    classification_scheme: str = Field(None, max_length=8, **_choices(ClassificationScheme))
    class_number: str = Field(None, max_length=100)
    call_number: str = Field(None, max_length=200, description="Suggested from the class number when empty.")
    is_suppressed: bool = Field(None, description="Hidden from the public catalogue.")
    thesis_kind: str = Field(
        None,
        max_length=10,
        description="A thesis's kind: skripsi (S1), tesis (S2), disertasi (S3); empty for other records.",
        json_schema_extra={"enum": ["", *ThesisKind.values]},
    )
    degree: str = Field(None, max_length=200, description="The degree the thesis was written for (MARC 502 $b).")
    degree_institution: str = Field(None, max_length=300, description="The degree-granting institution (502 $c).")
    degree_year: int | None = Field(None, ge=1, le=2999, description="The year the degree was granted (502 $d).")


class RecordIn(RecordPatch):
    """A new record: a title is required, every other field is optional."""

    title: str = Field(..., max_length=1000)


class RecordListOut(Schema):
    """A record as lists show it (without the long summary and notes)."""

    id: int
    material_type: str
    material_type_label: str
    title: str
    subtitle: str
    full_title: str
    responsibility: str
    contributors: list[ContributorOut]
    publisher: str
    place: str
    year: int | None
    edition: str
    extent: str
    isbn: str
    isbns: list[str]
    issn: str
    language: str
    subjects: list[str]
    series: str
    classification_scheme: str
    class_number: str
    call_number: str
    control_number: str
    control_number_source: str
    source: str
    is_suppressed: bool
    thesis_kind: str
    thesis_kind_label: str
    degree: str
    degree_institution: str
    degree_year: int | None
    supervisors: list[str] = Field([], description="Names of the contributors with the role thesis_advisor.")
    item_count: int = Field(0, description="Number of items (copies).")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_material_type_label(obj) -> str:
        return str(MaterialType(obj.material_type).label) if obj.material_type in MaterialType.values else ""

    @staticmethod
    def resolve_thesis_kind_label(obj) -> str:
        return str(ThesisKind(obj.thesis_kind).label) if obj.thesis_kind in ThesisKind.values else ""

    @staticmethod
    def resolve_contributors(obj) -> list[dict]:
        return [
            {
                "name": c.get("name", ""),
                "role": c.get("role", ""),
                "role_label": str(obj.contributor_role_label(c.get("role", ""))),
                "dates": c.get("dates"),
            }
            for c in obj.contributors or []
            if isinstance(c, dict)
        ]

    @staticmethod
    def resolve_item_count(obj) -> int:
        return getattr(obj, "item_count", 0)


class RecordOut(RecordListOut):
    """A whole record."""

    summary: str
    notes: str


class CallNumberOut(Schema):
    call_number: str
