"""API: usage statistics per resource and month (``/api/v1/usage``).

Staff with ``digital.view_usage`` (IT managers, librarians, administrators); a patron or a desk role
gets 403. Counted from access events; see :mod:`pustaka.digital.queries_usage`.
"""

from datetime import date

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from pustaka.core.api import ERRORS, QuerySchema, api, staff_endpoint

from .. import queries_usage

router = Router(tags=["usage"])
MAX_MONTHS = 36


class MonthOut(Schema):
    month: str = Field(..., description="YYYY-MM")
    views: int
    downloads: int
    links: int
    total_item_requests: int
    unique_item_requests: int
    refusals: dict[str, int]
    no_license: int
    limit_exceeded: int


class ResourceUsageOut(Schema):
    resource_id: int
    record_id: int
    title: str
    kind: str
    months: list[MonthOut]


class UsageOut(Schema):
    first: str
    last: str
    resources: list[ResourceUsageOut]


class UsageFilters(QuerySchema):
    first: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="First month, YYYY-MM (default: 11 months ago).")
    last: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="Last month, YYYY-MM (default: this month).")
    resource_id: int | None = Field(None, ge=1, le=2**63 - 1)

    @model_validator(mode="after")
    def _order(self):
        first, last = period(self.first, self.last)
        if last < first:
            raise ValueError("last must not be before first")
        return self


def _month(text: str) -> date | None:
    if not text:
        return None
    month = queries_usage.parse_month(text)
    if month is None:
        raise ValueError(f"not a month between {queries_usage.MIN_YEAR}-01 and {queries_usage.MAX_YEAR}-12")
    return month


def period(first_text: str, last_text: str) -> tuple[date, date]:
    """The months asked for (at most :data:`MAX_MONTHS`), by default the last twelve."""
    last = _month(last_text) or timezone.localdate().replace(day=1)
    first = _month(first_text) or queries_usage.add_months(last, -11)
    if queries_usage.add_months(first, MAX_MONTHS - 1) < last:
        first = queries_usage.add_months(last, -(MAX_MONTHS - 1))
    return first, last


def month_out(usage) -> dict:
    return {
        "month": usage.month.strftime("%Y-%m"),
        "views": usage.views,
        "downloads": usage.downloads,
        "links": usage.links,
        "total_item_requests": usage.total,
        "unique_item_requests": usage.unique,
        "refusals": usage.refusals,
        "no_license": usage.no_license,
        "limit_exceeded": usage.limit_exceeded,
    }


@router.get("/usage", response={200: UsageOut, **ERRORS})
@staff_endpoint("digital.view_usage")
def get_usage(request, filters: Query[UsageFilters]):
    """Staff with ``digital.view_usage``: views, downloads, unique requests and refusals per resource per month."""
    first, last = period(filters.first, filters.last)
    rows = queries_usage.usage(
        first=first, last=last, resource_ids=[filters.resource_id] if filters.resource_id else None
    )
    return {
        "first": first.strftime("%Y-%m"),
        "last": last.strftime("%Y-%m"),
        "resources": [
            {
                "resource_id": row.resource.pk,
                "record_id": row.resource.record_id,
                "title": row.resource.record.title,
                "kind": row.resource.kind,
                "months": [month_out(m) for m in row.months],
            }
            for row in rows
        ],
    }


api.add_router("/", router)
