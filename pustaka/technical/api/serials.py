"""API: serials (``/api/v1/serials``) — subscriptions, their predicted issues, check-in and claims.

Staff only. Reads need ``technical.view_subscription`` / ``view_serialissue``; writes go through
:mod:`pustaka.technical.actions.serials` (``add_subscription``, ``change_subscription``,
``check_in_issue``, ``claim_issue``), which also write the audit trail.
"""

from datetime import date

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.catalog.errors import RecordNotFound
from pustaka.catalog.models import Record
from pustaka.core import lookups
from pustaka.core.api import (
    ERRORS,
    MAX_ID,
    InSchema,
    Pagination,
    QuerySchema,
    api,
    get_or_error,
    staff_endpoint,
)
from pustaka.core.errors import ValidationFailed
from pustaka.core.models import Location
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import ItemType

from ..actions import serials as actions
from ..choices import Frequency, IssueStatus
from ..errors.serials import IssueNotFound, SubscriptionNotFound
from ..queries.serials import issues_with_parts, late_issues, subscriptions_for_list

router = Router(tags=["serials"])


class SubscriptionOut(Schema):
    id: int
    record_id: int
    title: str = Field(..., alias="record.title")
    branch: str = Field(..., alias="branch.code")
    location: str | None = None
    item_type: str = Field(..., alias="item_type.code")
    frequency: str
    starts_on: date
    ends_on: date | None
    grace_days: int
    vendor: str
    numbering: str
    first_number: int
    is_active: bool
    issue_count: int = 0
    received_count: int = 0

    @staticmethod
    def resolve_location(obj):
        return obj.location.code if obj.location_id else None


class SubscriptionIn(InSchema):
    record_id: int = Field(..., ge=1, le=MAX_ID)
    branch: str = Field(..., max_length=16)
    location: str = Field("", max_length=32)
    item_type: str = Field(..., max_length=16)
    frequency: str = Field(..., json_schema_extra={"enum": Frequency.values})
    starts_on: date
    ends_on: date | None = None
    grace_days: int = Field(7, ge=0, le=365)
    vendor: str = Field("", max_length=200)
    numbering: str = Field("No. {n}", max_length=100)
    first_number: int = Field(1, ge=0, le=10**8)


class SubscriptionPatch(InSchema):
    frequency: str | None = Field(None, json_schema_extra={"enum": Frequency.values})
    ends_on: date | None = None
    grace_days: int | None = Field(None, ge=0, le=365)
    vendor: str | None = Field(None, max_length=200)
    numbering: str | None = Field(None, max_length=100)
    is_active: bool | None = None


class IssueOut(Schema):
    id: int
    subscription_id: int
    title: str = Field(..., alias="subscription.record.title")
    number: int
    label: str
    expected_on: date
    status: str
    received_on: date | None
    barcode: str | None = None
    claim_count: int
    claimed_on: date | None

    @staticmethod
    def resolve_barcode(obj):
        return obj.item.barcode if obj.item_id else None


class PredictIn(InSchema):
    months: int = Field(12, ge=1, le=60)


class CheckInIn(InSchema):
    barcode: str = Field(..., max_length=32)
    item_status: str = Field(ItemStatus.AVAILABLE, json_schema_extra={"enum": list(actions.CHECK_IN_STATUSES)})
    received_on: date | None = None


class ClaimIn(InSchema):
    issues: list[int] = Field(..., min_length=1, max_length=500)


class IssueFilters(QuerySchema):
    status: str = Field("", description="An issue status, or `late` for every issue late today (live).")


def _subscription(request, subscription_id: int):
    return get_or_error(subscriptions_for_list(), SubscriptionNotFound, {"id": subscription_id}, pk=subscription_id)


def _issue(request, issue_id: int):
    return get_or_error(issues_with_parts(), IssueNotFound, {"id": issue_id}, pk=issue_id)


class SerialsOverview(Schema):
    """The serials desk at a glance, with where to find each list."""

    active_subscriptions: int
    expected_issues: int
    late_issues: int
    claimed_issues: int
    subscriptions_url: str
    issues_url: str
    late_url: str


@router.get("/serials", response={200: SerialsOverview, **ERRORS})
@staff_endpoint("technical.view_subscription")
def serials_overview(request):
    """Staff with ``technical.view_subscription``: counts of subscriptions and of issues waiting,
    late (computed live, as ``/serials/issues?status=late``) and claimed."""
    from django.db.models import Count, Q

    from ..models import SerialIssue, Subscription

    counts = SerialIssue.objects.aggregate(
        expected=Count("pk", filter=Q(status=IssueStatus.EXPECTED)),
        claimed=Count("pk", filter=Q(status=IssueStatus.CLAIMED)),
    )
    base = "/api/v1/serials"
    return {
        "active_subscriptions": Subscription.objects.filter(is_active=True).count(),
        "expected_issues": counts["expected"],
        "late_issues": len(late_issues()),
        "claimed_issues": counts["claimed"],
        "subscriptions_url": f"{base}/subscriptions",
        "issues_url": f"{base}/issues",
        "late_url": f"{base}/issues?status=late",
    }


@router.get("/serials/subscriptions", response={200: list[SubscriptionOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_subscription")
def list_subscriptions(request):
    """Staff with ``technical.view_subscription``: subscriptions by title, with issue counts."""
    return subscriptions_for_list()


@router.post("/serials/subscriptions", response={201: SubscriptionOut, **ERRORS})
@staff_endpoint("technical.manage_subscriptions")
def create_subscription(request, payload: SubscriptionIn):
    """Staff with ``technical.manage_subscriptions`` subscribe to a serial (only magazines, newspapers, e-journals)."""
    data = payload.model_dump()
    record = get_or_error(Record.objects.defer("marc"), RecordNotFound, {"id": data["record_id"]}, pk=data["record_id"])
    branch = lookups.get_branch(data["branch"], field="branch")
    item_type = ItemType.objects.filter(code=data["item_type"].upper()).first()
    if item_type is None:
        raise ValidationFailed(field="item_type")
    location = None
    if data["location"]:
        location = Location.objects.filter(branch=branch, code=data["location"].upper()).first()
        if location is None:
            raise ValidationFailed(field="location")
    for key in ("record_id", "branch", "location", "item_type"):
        data.pop(key)
    subscription = actions.create_subscription(
        actor=request.user, record=record, branch=branch, location=location, item_type=item_type, **data
    )
    return Status(201, _subscription(request, subscription.pk))


@router.get("/serials/subscriptions/{subscription_id}", response={200: SubscriptionOut, **ERRORS})
@staff_endpoint("technical.view_subscription")
def get_subscription(request, subscription_id: int):
    """Staff with ``technical.view_subscription``."""
    return _subscription(request, subscription_id)


@router.patch("/serials/subscriptions/{subscription_id}", response={200: SubscriptionOut, **ERRORS})
@staff_endpoint(("technical.view_subscription", "technical.manage_subscriptions"))
def update_subscription(request, subscription_id: int, payload: SubscriptionPatch):
    """Staff with ``technical.manage_subscriptions`` change the fields sent."""
    subscription = _subscription(request, subscription_id)
    actions.update_subscription(subscription=subscription, actor=request.user, **payload.model_dump(exclude_unset=True))
    return _subscription(request, subscription_id)


@router.get("/serials/subscriptions/{subscription_id}/issues", response={200: list[IssueOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_subscription")
def list_subscription_issues(request, subscription_id: int):
    """Staff with ``technical.view_subscription``: the subscription's issues by expected date."""
    subscription = _subscription(request, subscription_id)
    return issues_with_parts().filter(subscription=subscription).order_by("expected_on", "number")


@router.post("/serials/subscriptions/{subscription_id}/predict", response={200: list[IssueOut], **ERRORS})
@staff_endpoint(("technical.view_subscription", "technical.manage_subscriptions"))
def predict(request, subscription_id: int, payload: PredictIn):
    """Staff with ``technical.manage_subscriptions`` or ``check_in_issue``: predict more issues (idempotent)."""
    subscription = _subscription(request, subscription_id)
    new = actions.predict_issues(subscription=subscription, actor=request.user, months=payload.months)
    return list(issues_with_parts().filter(pk__in=[i.pk for i in new]).order_by("expected_on"))


@router.get("/serials/issues", response={200: list[IssueOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_serialissue")
def list_issues(request, filters: Query[IssueFilters]):
    """Staff with ``technical.view_serialissue``: issues, by status; ``status=late`` is computed live."""
    if filters.status == "late":
        return late_issues()
    issues = issues_with_parts().order_by("expected_on", "pk")
    if filters.status:
        if filters.status not in IssueStatus.values:
            raise ValidationFailed(field="status")
        issues = issues.filter(status=filters.status)
    return issues


@router.post("/serials/issues/{issue_id}/check-in", response={200: IssueOut, **ERRORS})
@staff_endpoint(("technical.view_serialissue", "technical.check_in_issue"))
def check_in(request, issue_id: int, payload: CheckInIn):
    """Staff with ``technical.check_in_issue``: the issue arrived; its item is created (409 when already in)."""
    issue = _issue(request, issue_id)
    actions.check_in_issue(issue=issue, actor=request.user, **payload.model_dump())
    return _issue(request, issue_id)


@router.post("/serials/issues/{issue_id}/claim", response={200: IssueOut, **ERRORS})
@staff_endpoint(("technical.view_serialissue", "technical.claim_issue"))
def claim(request, issue_id: int):
    """Staff with ``technical.claim_issue`` claim one late issue (409 when received or not late yet)."""
    actions.claim_issues(issues=[_issue(request, issue_id)], actor=request.user)
    return _issue(request, issue_id)


@router.post("/serials/claims", response={200: list[IssueOut], **ERRORS})
@staff_endpoint(("technical.view_serialissue", "technical.claim_issue"))
def claim_many(request, payload: ClaimIn):
    """Staff with ``technical.claim_issue`` claim several late issues at once (all or none)."""
    issues = list(issues_with_parts().filter(pk__in=payload.issues))
    if len(issues) != len(set(payload.issues)):
        raise IssueNotFound(id=", ".join(str(i) for i in sorted(set(payload.issues) - {i.pk for i in issues})))
    claimed = actions.claim_issues(issues=issues, actor=request.user)
    return list(issues_with_parts().filter(pk__in=[i.pk for i in claimed]).order_by("expected_on"))


api.add_router("/", router)
