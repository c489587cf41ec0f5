"""Request and response schemas of the accession register API."""

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from pustaka.core.api import AmountIn, InSchema, QuerySchema

from .choices import AcquisitionSource

SourceValue = Literal[tuple(AcquisitionSource.values)]


class AccessionOut(Schema):
    """One line of the register; ``barcode`` and ``title`` keep what a deleted copy was."""

    number: str
    year: int
    sequence: int
    acquired_on: date
    barcode: str
    title: str
    item_exists: bool = Field(..., description="False once the copy was deleted (its number is never reused).")
    source: str
    source_label: str
    supplier: str
    price: Decimal | None

    @staticmethod
    def resolve_item_exists(obj) -> bool:
        return obj.item_id is not None

    @staticmethod
    def resolve_source_label(obj) -> str:
        return str(AcquisitionSource(obj.source).label)


class RegisterFilters(QuerySchema):
    year: int | None = Field(None, ge=1900, le=2200, description="Year of acquisition.")
    source: SourceValue | None = None


class AcquisitionIn(InSchema):
    """A copy's acquisition, corrected (the number stays)."""

    source: SourceValue
    supplier: str = Field("", max_length=200)
    price: AmountIn | None = Field(None, ge=0, max_digits=12, decimal_places=2)


class PatternIn(InSchema):
    pattern: str = Field(..., max_length=60, description="For example `{seq:05}/{source}/{year}`.")


class PatternOut(Schema):
    pattern: str
    next_number: str = Field(..., description="What the next copy bought for MAIN this year would be numbered.")
