"""Request and response schemas of the holdings API.

Branches, locations and item types are named by their codes. Input schemas only shape and bound the
data; :mod:`pustaka.holdings.actions` checks the rest (barcode form, lifecycle, conditions).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist
from ninja import Field, Schema

from pustaka.accessions.choices import AcquisitionSource
from pustaka.core.api import MAX_ID, AmountIn, InSchema
from pustaka.core.schemas import BranchRef

from . import transitions
from .choices import Condition, ItemStatus, PullReason

StatusValue = Literal[tuple(ItemStatus.values)]
PullReasonValue = Literal[("", *PullReason.values)]


def _choices(choices) -> dict:
    return {"json_schema_extra": {"enum": list(choices.values)}}


class RecordRef(Schema):
    id: int
    title: str
    call_number: str


class LocationRef(Schema):
    code: str
    name: str


class ItemTypeOut(Schema):
    code: str
    name: str
    is_loanable: bool


class ItemOut(Schema):
    """An item (copy) with where it is, its status and the statuses it may move to next."""

    id: int
    barcode: str
    record: RecordRef
    branch: BranchRef
    location: LocationRef | None
    item_type: ItemTypeOut
    call_number: str
    effective_call_number: str
    copy_number: int
    price: Decimal | None
    acquired_on: date | None
    status: str
    status_label: str
    status_colour: str
    status_changed_at: datetime | None
    next_statuses: list[str] = Field(..., description="Statuses the lifecycle allows from here.")
    pulled_reason: str
    condition: str
    condition_label: str
    last_seen_at: datetime | None
    loan_count: int
    last_loan_at: datetime | None
    public_note: str
    staff_note: str
    accession_number: str | None = Field(..., description="The copy's number in the accession register.")
    acquisition_source: str | None = Field(..., description="purchase, gift, deposit or exchange.")
    supplier: str | None = Field(..., description="The supplier or donor.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def _accession(obj):
        try:
            return obj.accession
        except ObjectDoesNotExist:
            return None

    @staticmethod
    def resolve_accession_number(obj) -> str | None:
        accession = ItemOut._accession(obj)
        return accession.number if accession else None

    @staticmethod
    def resolve_acquisition_source(obj) -> str | None:
        accession = ItemOut._accession(obj)
        return accession.source if accession else None

    @staticmethod
    def resolve_supplier(obj) -> str | None:
        accession = ItemOut._accession(obj)
        return accession.supplier if accession else None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(ItemStatus(obj.status).label)

    @staticmethod
    def resolve_condition_label(obj) -> str:
        return str(Condition(obj.condition).label)

    @staticmethod
    def resolve_next_statuses(obj) -> list[str]:
        return [str(s) for s in transitions.targets(obj.status)]


class _ItemFields(InSchema):
    location: str | None = Field(None, max_length=32, description="Location code in the item's branch.")
    call_number: str = Field(None, max_length=200, description="Empty: the record's call number.")
    copy_number: int = Field(None, ge=1, le=32767)
    price: AmountIn | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    acquired_on: date | None = None
    public_note: str = Field(None, max_length=300)
    staff_note: str = Field(None, max_length=5000)


class ItemIn(_ItemFields):
    """A new copy of a record."""

    record_id: int = Field(..., ge=1, le=MAX_ID)
    barcode: str = Field(..., max_length=32)
    branch: str = Field(..., max_length=16, description="Branch code.")
    item_type: str = Field(..., max_length=16, description="Item type code.")
    status: str = Field(
        ItemStatus.AVAILABLE.value,
        max_length=20,
        json_schema_extra={"enum": [str(s) for s in transitions.INITIAL_STATUSES]},
    )
    condition: str = Field(Condition.GOOD.value, max_length=10, **_choices(Condition))
    acquisition_source: str = Field(AcquisitionSource.PURCHASE.value, max_length=10, **_choices(AcquisitionSource))
    supplier: str = Field("", max_length=200, description="The supplier or donor.")


class ItemPatch(_ItemFields):
    """The fields a PATCH changes; status and condition have their own endpoints."""

    branch: str = Field(None, max_length=16, description="Branch code (send `location` too).")
    item_type: str = Field(None, max_length=16, description="Item type code.")


class MoveIn(InSchema):
    to: StatusValue
    reason: PullReasonValue = Field("", description="Why the item is pulled (needed when `to` is `pulled`).")
    note: str = Field("", max_length=500)


class ConditionIn(InSchema):
    condition: str = Field(..., max_length=10, **_choices(Condition))
    note: str = Field("", max_length=500)


class ConditionChangeOut(Schema):
    from_condition: str
    to_condition: str
    to_condition_label: str
    note: str
    recorded_by: str | None
    recorded_at: datetime

    @staticmethod
    def resolve_to_condition_label(obj) -> str:
        return str(Condition(obj.to_condition).label)

    @staticmethod
    def resolve_recorded_by(obj) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by_id else None


class ChoiceOut(Schema):
    value: str
    label: str
    colour: str


class StatusOut(ChoiceOut):
    initial: bool = Field(..., description="A new item may start in this status.")


class TransitionOut(Schema):
    source: str
    target: str
    permission: str
    verb: str
    reason: str = Field(..., description="For moves out of `pulled`: the pull reason the item must have.")
    workflows: list[str] = Field(
        ...,
        description="The workflows whose actions make this move; `item` means `POST /items/{barcode}/status` may.",
    )


class LifecycleOut(Schema):
    """The item statuses, pull reasons and conditions with labels and colours, and every allowed move."""

    statuses: list[StatusOut]
    pull_reasons: list[ChoiceOut]
    conditions: list[ChoiceOut]
    transitions: list[TransitionOut]
