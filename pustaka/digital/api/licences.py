"""API: licences (``/api/v1/licences``).

Staff only. Reads need ``digital.view_licence`` (IT managers, librarians, administrators); creating and
changing need ``digital.manage_licences`` (IT managers, administrators).
A patron gets 403. Writes go through :mod:`pustaka.digital.actions.licences`.
"""

from datetime import date

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import field_validator, model_validator

from pustaka.core.api import ERRORS, InSchema, Pagination, QuerySchema, api, get_or_error, staff_endpoint

from .. import queries_usage
from ..actions import licences as actions
from ..errors_access import LicenceNotFound
from ..models import Licence

router = Router(tags=["licences"])


class LicenceOut(Schema):
    """A licence: dates, who (categories, open access), where (CIDR ranges), how many, how."""

    id: int
    name: str
    vendor: str
    terms: str
    starts_on: date | None
    ends_on: date | None
    is_open_access: bool
    patron_categories: list[str]
    ip_ranges: list[str]
    concurrent_users: int | None
    download_allowed: bool
    embargo_months: int
    seats: int | None
    resource_count: int

    @staticmethod
    def resolve_patron_categories(obj: Licence) -> list[str]:
        return sorted(c.code for c in obj.patron_categories.all())

    @staticmethod
    def resolve_ip_ranges(obj: Licence) -> list[str]:
        return [line for line in obj.ip_ranges.split("\n") if line]

    @staticmethod
    def resolve_resource_count(obj: Licence) -> int:
        return getattr(obj, "resource_count", 0)


class LicenceFilters(QuerySchema):
    expiring_within_days: int | None = Field(
        None, ge=0, le=3650, description="Only licences ending between today and this many days ahead."
    )
    vendor: str = Field("", max_length=200)


class LicenceIn(InSchema):
    name: str = Field(..., min_length=1, max_length=200)
    vendor: str = Field("", max_length=200)
    terms: str = Field("", max_length=20_000)
    starts_on: date | None = None
    ends_on: date | None = None
    is_open_access: bool = False
    patron_categories: list[str] = Field(default_factory=list, max_length=100, description="Category codes.")
    ip_ranges: list[str] = Field(default_factory=list, max_length=500, description="CIDR ranges, e.g. 10.0.0.0/8.")
    concurrent_users: int | None = Field(None, ge=1, le=1_000_000)
    download_allowed: bool = True
    embargo_months: int = Field(0, ge=0, le=1200)
    seats: int | None = Field(None, ge=0, le=1_000_000)


#: Fields of a licence that cannot be empty (``null``) in a PATCH; the others (dates, limits) can.
NOT_NULL = (
    "name",
    "vendor",
    "terms",
    "is_open_access",
    "patron_categories",
    "ip_ranges",
    "download_allowed",
    "embargo_months",
)


class LicencePatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    vendor: str | None = Field(None, max_length=200)
    terms: str | None = Field(None, max_length=20_000)
    starts_on: date | None = None
    ends_on: date | None = None
    is_open_access: bool | None = None
    patron_categories: list[str] | None = Field(None, max_length=100)
    ip_ranges: list[str] | None = Field(None, max_length=500)
    concurrent_users: int | None = Field(None, ge=1, le=1_000_000)
    download_allowed: bool | None = None
    embargo_months: int | None = Field(None, ge=0, le=1200)
    seats: int | None = Field(None, ge=0, le=1_000_000)

    @field_validator(*NOT_NULL)
    @classmethod
    def _not_null(cls, value):
        """Only the dates and the limits may be cleared with ``null``; any other field sent as ``null`` is a
        400 naming it (it would otherwise reach the database as a NULL it cannot hold)."""
        if value is None:
            raise ValueError("may not be null; leave the field out to keep its value")
        return value

    @model_validator(mode="after")
    def _something(self):
        if not self.model_fields_set:
            raise ValueError("send at least one field to change")
        return self


def _licence(licence_id: int) -> Licence:
    return get_or_error(queries_usage.licences(), LicenceNotFound, {"licence": licence_id}, pk=licence_id)


def _fields(data: dict) -> dict:
    if "ip_ranges" in data and data["ip_ranges"] is not None:
        data["ip_ranges"] = "\n".join(data["ip_ranges"])
    return data


@router.get("/licences", response={200: list[LicenceOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("digital.view_licence")
def list_licences(request, filters: Query[LicenceFilters]):
    """Staff with ``digital.view_licence``: licences by name (or soonest ending with ``expiring_within_days``)."""
    if filters.expiring_within_days is not None:
        licences = queries_usage.expiring_licences(filters.expiring_within_days)
    else:
        licences = queries_usage.licences().order_by("name", "id")
    if filters.vendor:
        licences = licences.filter(vendor__icontains=filters.vendor.strip())
    return licences


@router.get("/licences/{licence_id}", response={200: LicenceOut, **ERRORS})
@staff_endpoint("digital.view_licence")
def get_licence(request, licence_id: int):
    """Staff with ``digital.view_licence``: one licence."""
    return _licence(licence_id)


@router.post("/licences", response={201: LicenceOut, **ERRORS})
@staff_endpoint("digital.manage_licences")
def create_licence(request, payload: LicenceIn):
    """Staff with ``digital.manage_licences`` (IT managers): a new licence."""
    licence = actions.create_licence(actor=request.user, **_fields(payload.dict()))
    return Status(201, _licence(licence.pk))


@router.patch("/licences/{licence_id}", response={200: LicenceOut, **ERRORS})
@staff_endpoint("digital.manage_licences")
def update_licence(request, licence_id: int, payload: LicencePatch):
    """Staff with ``digital.manage_licences`` (IT managers): change the fields sent."""
    licence = _licence(licence_id)
    changes = _fields(payload.dict(exclude_unset=True))
    categories = changes.pop("patron_categories", None)
    actions.update_licence(licence=licence, actor=request.user, patron_categories=categories, **changes)
    return _licence(licence_id)


api.add_router("/", router)
