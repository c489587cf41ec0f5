"""Request and response schemas of the core API (also used by the other apps' APIs)."""

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import field_validator

from .api import InSchema
from .registry import verb_label

OpeningHours = dict[str, list[list[str]]]


class BranchRef(Schema):
    code: str
    name: str


class MeOut(Schema):
    username: str
    name: str
    email: str
    language: str
    is_staff_member: bool
    roles: list[str]
    home_branch: BranchRef | None
    permissions: list[str]


class BranchOut(Schema):
    code: str
    name: str
    address: str
    phone: str
    email: str
    opening_hours: OpeningHours = Field(description="Weekday (0 = Monday) to opening periods [start, end].")
    is_active: bool


class _BranchFields(InSchema):
    address: str = Field(None, max_length=2000)
    phone: str = Field(None, max_length=50)
    email: str = Field(None, max_length=254)
    opening_hours: OpeningHours | None = Field(
        None, description='Weekday (0 = Monday) to periods, e.g. {"0": [["08:00", "16:00"]]}.'
    )

    @field_validator("email")
    @classmethod
    def _email(cls, value):
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("not an email address") from None
        return value


class BranchIn(_BranchFields):
    code: str = Field(..., max_length=16, description="1 to 16 capital letters, digits, dashes or underscores.")
    name: str = Field(..., max_length=200)


class BranchPatch(_BranchFields):
    name: str = Field(None, max_length=200)
    is_active: bool = None


class LocationOut(Schema):
    code: str
    name: str
    is_public: bool
    sort_order: int


class LocationIn(InSchema):
    code: str = Field(..., max_length=32)
    name: str = Field(..., max_length=200)
    is_public: bool = True
    sort_order: int = Field(0, ge=0, le=2_000_000_000)


class AuditEventOut(Schema):
    """One entry of an object's history: who did what, when, and what changed."""

    id: int
    occurred_at: datetime
    actor: str
    verb: str
    verb_label: str
    before: dict | list | None
    after: dict | list | None
    request_id: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_name

    @staticmethod
    def resolve_verb_label(obj) -> str:
        return verb_label(obj.verb)
