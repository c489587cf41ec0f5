"""API of the visitor book (``/api/v1/visits``): record a visit (a gate counter, another desk program),
list visits and count them per day, hour, weekday, month, branch, purpose or category.

Recording needs ``visitors.record_visit`` (a gate counter logs in with an API token of a staff account
holding it); reading needs ``visitors.view_visit``. Writes go through :mod:`pustaka.visitors.actions`.
"""

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core import lookups
from pustaka.core.api import ERRORS, InSchema, Pagination, QuerySchema, api, staff_endpoint

from . import actions, queries
from .choices import VisitorCategory, VisitSource

router = Router(tags=["visitors"])


class VisitOut(Schema):
    id: int
    branch: str
    visited_at: datetime.datetime
    card_number: str | None
    name: str
    institution: str
    category: str
    patron_category: str | None
    purpose: str
    count: int
    source: str

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.code

    @staticmethod
    def resolve_card_number(obj) -> str | None:
        return obj.patron.card_number if obj.patron_id else None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.patron.full_name if obj.patron_id else obj.name

    @staticmethod
    def resolve_patron_category(obj) -> str | None:
        return obj.patron_category.code if obj.patron_category_id else None

    @staticmethod
    def resolve_purpose(obj) -> str:
        return obj.purpose.code


class VisitIn(InSchema):
    branch: str = Field(..., max_length=16, description="Branch code, e.g. MAIN.")
    purpose: str = Field(..., max_length=32, description="Purpose code, e.g. membaca.")
    card: str = Field("", max_length=64, description="A member's card number (then name is not needed).")
    name: str = Field("", max_length=150, description="A visitor who is not a member, or a group's name.")
    institution: str = Field("", max_length=200)
    category: VisitorCategory = VisitorCategory.PUBLIC
    count: int = Field(1, ge=1, le=actions.MAX_GROUP, description="How many people came in.")
    visited_at: datetime.datetime | None = Field(None, description="When (default: now).")
    source: Literal["gate", "desk"] = "gate"


class VisitFilters(QuerySchema):
    start: datetime.date | None = None
    end: datetime.date | None = None
    branch: str = Field("", max_length=16)
    purpose: str = Field("", max_length=32)
    category: VisitorCategory | None = None


class CountOut(Schema):
    key: str
    label: str
    people: int
    visits: int


class SummaryOut(Schema):
    start: datetime.date | None
    end: datetime.date | None
    people: int
    visits: int
    by: str
    rows: list[CountOut]


class PurposeOut(Schema):
    id: int
    code: str
    name: str
    name_id: str
    name_en: str
    is_active: bool
    sort_order: int


def _rows(filters: VisitFilters):
    branch = lookups.get_branch(filters.branch, field="branch") if filters.branch else None
    purpose = actions._purpose(filters.purpose, offered=False) if filters.purpose else None
    return queries.visits(filters.start, filters.end, branch=branch, purpose=purpose, category=filters.category)


@router.post("/visits", response={201: VisitOut, **ERRORS})
@staff_endpoint(actions.record_visit.permission)
def record_visit(request, payload: VisitIn):
    """Staff with ``visitors.record_visit`` (``visitors.visit.record``): count people coming in."""
    visit = actions.record_visit(
        actor=request.user,
        branch=lookups.get_branch(payload.branch, field="branch"),
        purpose=payload.purpose,
        card=payload.card,
        name=payload.name,
        institution=payload.institution,
        category=payload.category,
        count=payload.count,
        at=payload.visited_at,
        source=VisitSource.GATE if payload.source == "gate" else VisitSource.DESK,
    )
    return Status(201, queries.recent(queries.visits().filter(pk=visit.pk), 1)[0])


@router.get("/visits", response={200: list[VisitOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("visitors.view_visit")
def list_visits(request, filters: Query[VisitFilters]):
    """Staff with ``visitors.view_visit``: visits, newest first."""
    return _rows(filters).select_related("branch", "purpose", "patron", "patron_category")


BY = Literal["day", "hour", "weekday", "month", "branch", "purpose", "category"]


@router.get("/visits/summary", response={200: SummaryOut, **ERRORS})
@staff_endpoint("visitors.view_visit")
def summary(request, filters: Query[VisitFilters], by: BY = "day"):
    """Staff with ``visitors.view_visit``: people and visits in the period, counted ``by`` one key."""
    rows = _rows(filters)
    if by == "branch":
        counts = [
            {"key": r["branch__code"], "label": r["branch__name"], "people": r["people"], "visits": r["visits"]}
            for r in queries.by_branch(rows)
        ]
    elif by == "purpose":
        counts = [
            {"key": r["purpose"].code, "label": r["purpose"].name, "people": r["people"], "visits": r["visits"]}
            for r in queries.by_purpose(rows)
        ]
    elif by == "category":
        counts = [
            {
                "key": r["category"] + (f":{r['patron_category__code']}" if r["patron_category__code"] else ""),
                "label": r["label"],
                "people": r["people"],
                "visits": r["visits"],
            }
            for r in queries.by_category(rows)
        ]
    else:
        grouped = {
            "day": queries.by_day,
            "hour": queries.by_hour,
            "weekday": queries.by_weekday,
            "month": queries.by_month,
        }[by](rows)
        counts = [
            {"key": str(r[by]), "label": str(r[by]), "people": r["people"], "visits": r["visits"]} for r in grouped
        ]
    total = queries.totals(rows)
    return {"start": filters.start, "end": filters.end, "by": by, "rows": counts, **total}


@router.get("/visit-purposes", response={200: list[PurposeOut], **ERRORS})
@staff_endpoint("visitors.view_visit")
def list_purposes(request, offered: bool = False):
    """Staff with ``visitors.view_visit``: the purposes of visits (only those offered with ``offered``)."""
    rows = queries.active_purposes() if offered else queries.VisitPurpose.objects.all()
    return list(rows)


api.add_router("/", router)
