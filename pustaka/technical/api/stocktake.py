"""API: stocktakes (``/api/v1/stocktakes``) — start, scan one barcode or a handheld's batch, the report,
finish, confirm, cancel.

Staff only. Reads need ``technical.view_stocktake``; writes go through
:mod:`pustaka.technical.actions.stocktake`, which checks ``add_stocktake`` / ``change_stocktake`` /
``confirm_stocktake`` and writes the audit trail. Branches and locations are named by code.
"""

from datetime import datetime

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core import lookups
from pustaka.core.api import (
    ERRORS,
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

from ..actions import stocktake as actions
from ..choices import ScanResult, StocktakeStatus
from ..errors.stocktake import StocktakeNotFound
from ..models import Stocktake, StocktakeEntry
from ..queries.stocktake import (
    expected_entries,
    frozen_counts,
    marked_missing,
    missing_entries,
    missing_items,
    result_counts,
    scans,
    stocktakes_for_list,
)

router = Router(tags=["stocktakes"])


class StocktakeOut(Schema):
    id: int
    branch: str = Field(..., alias="branch.code")
    location: str | None = None
    call_number_from: str
    call_number_to: str
    status: str
    status_label: str
    started_by: str | None = None
    confirmed_by: str | None = None
    confirmed_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_location(obj):
        return obj.location.code if obj.location_id else None

    @staticmethod
    def resolve_status_label(obj):
        return str(StocktakeStatus(obj.status).label)

    @staticmethod
    def resolve_started_by(obj):
        return obj.started_by.username if obj.started_by_id else None

    @staticmethod
    def resolve_confirmed_by(obj):
        return obj.confirmed_by.username if obj.confirmed_by_id else None


class StocktakeIn(InSchema):
    branch: str = Field(..., max_length=16, description="Branch code.")
    location: str = Field("", max_length=32, description="Location code; empty: every location of the branch.")
    call_number_from: str = Field("", max_length=100)
    call_number_to: str = Field("", max_length=100)


class StocktakeScanIn(InSchema):
    barcodes: list[str] = Field(
        ...,
        min_length=1,
        max_length=actions.MAX_BATCH,
        description=f"Barcodes in shelf order: one scan, or a handheld's memory (at most {actions.MAX_BATCH}).",
    )


class ScanOut(Schema):
    position: int
    barcode: str
    result: str
    result_label: str
    item_status: str | None = Field(None, description="The item's status when it was scanned.")

    @staticmethod
    def resolve_result_label(obj):
        return str(ScanResult(obj.result).label)

    @staticmethod
    def resolve_item_status(obj):
        if not obj.item_id:
            return None
        return obj.item_status or obj.item.status  # scans recorded before the status was kept: today's


class ScanBatchOut(Schema):
    recorded: int
    counts: dict[str, int]
    scans: list[ScanOut]


class MissingItemOut(Schema):
    """A copy the report lists as missing: live while the stocktake waits for confirmation (an Item),
    frozen once confirmed (a StocktakeEntry marked missing: the copy as it was when it was marked)."""

    barcode: str
    call_number: str
    title: str
    location: str | None = None
    status: str
    last_seen_at: datetime | None

    @staticmethod
    def resolve_call_number(obj):
        return obj.call_number if isinstance(obj, StocktakeEntry) else obj.effective_call_number

    @staticmethod
    def resolve_title(obj):
        return obj.title if isinstance(obj, StocktakeEntry) else obj.record.title

    @staticmethod
    def resolve_location(obj):
        if isinstance(obj, StocktakeEntry):
            return obj.location_code or None
        return obj.location.code if obj.location_id else None

    @staticmethod
    def resolve_status(obj):
        return ItemStatus.MISSING if isinstance(obj, StocktakeEntry) else obj.status


class StocktakeReportOut(Schema):
    stocktake: StocktakeOut
    scans: dict[str, int]
    missing: int
    expected: int | None = Field(None, description="Copies expected on the shelf (standing there when it started).")
    seen: int | None = Field(None, description="Confirmed stocktakes: of those, how many were scanned.")
    gone: int | None = Field(
        None,
        description="Confirmed stocktakes: of those, how many left the shelf meanwhile (lent, moved), not counted.",
    )


class ConfirmOut(Schema):
    stocktake: StocktakeOut
    marked_missing: list[str]


class ScanFilters(QuerySchema):
    result: list[str] = Field(None, description="Only these results: `?result=wrong_shelf&result=out_of_order`.")


def _stocktake(request, stocktake_id: int) -> Stocktake:
    return get_or_error(
        Stocktake.objects.select_related("branch", "location", "started_by", "confirmed_by"),
        StocktakeNotFound,
        {"id": stocktake_id},
        pk=stocktake_id,
    )


@router.get("/stocktakes", response={200: list[StocktakeOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_stocktake")
def list_stocktakes(request):
    """Staff with ``technical.view_stocktake``: stocktakes, newest first."""
    return stocktakes_for_list()


@router.post("/stocktakes", response={201: StocktakeOut, **ERRORS})
@staff_endpoint("technical.take_stock")
def create_stocktake(request, payload: StocktakeIn):
    """Staff with ``technical.take_stock`` start a stocktake of a branch, location and call-number range."""
    branch = lookups.get_branch(payload.branch, field="branch")
    location = None
    if payload.location:
        location = Location.objects.filter(branch=branch, code=payload.location.strip().upper()).first()
        if location is None:
            raise ValidationFailed(field="location")
    stocktake = actions.start_stocktake(
        branch=branch,
        location=location,
        call_number_from=payload.call_number_from,
        call_number_to=payload.call_number_to,
        actor=request.user,
    )
    return Status(201, _stocktake(request, stocktake.pk))


@router.get("/stocktakes/{stocktake_id}", response={200: StocktakeOut, **ERRORS})
@staff_endpoint("technical.view_stocktake")
def get_stocktake(request, stocktake_id: int):
    """Staff with ``technical.view_stocktake``."""
    return _stocktake(request, stocktake_id)


@router.post("/stocktakes/{stocktake_id}/scans", response={201: ScanBatchOut, **ERRORS})
@staff_endpoint(("technical.view_stocktake", "technical.take_stock"))
def scan(request, stocktake_id: int, payload: StocktakeScanIn):
    """Staff with ``technical.take_stock`` record barcodes in shelf order (409 once scanning is closed)."""
    stocktake = _stocktake(request, stocktake_id)
    rows = actions.scan_barcodes(stocktake=stocktake, barcodes=payload.barcodes, actor=request.user)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.result] = counts.get(row.result, 0) + 1
    return Status(201, {"recorded": len(rows), "counts": counts, "scans": rows})


@router.get("/stocktakes/{stocktake_id}/scans", response={200: list[ScanOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_stocktake")
def list_scans(request, stocktake_id: int, filters: Query[ScanFilters]) -> QuerySet:
    """Staff with ``technical.view_stocktake``: the scans in order, optionally only some results."""
    stocktake = _stocktake(request, stocktake_id)
    if filters.result and set(filters.result) - set(ScanResult.values):
        raise ValidationFailed(field="result")
    return scans(stocktake, filters.result)


@router.get("/stocktakes/{stocktake_id}/report", response={200: StocktakeReportOut, **ERRORS})
@staff_endpoint("technical.view_stocktake")
def report(request, stocktake_id: int):
    """Staff with ``technical.view_stocktake``: counts of each scan result and of missing items."""
    stocktake = _stocktake(request, stocktake_id)
    if stocktake.status == StocktakeStatus.CONFIRMED:  # the frozen record
        counts = frozen_counts(stocktake)
        return {
            "stocktake": stocktake,
            "scans": result_counts(stocktake),
            "missing": counts["marked"],
            "expected": counts["expected"],
            "seen": counts["seen"],
            "gone": counts["gone"],
        }
    return {
        "stocktake": stocktake,
        "scans": result_counts(stocktake),
        "missing": missing_entries(stocktake).count(),
        "expected": expected_entries(stocktake).count(),
    }


@router.get("/stocktakes/{stocktake_id}/missing", response={200: list[MissingItemOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("technical.view_stocktake")
def missing(request, stocktake_id: int):
    """Staff with ``technical.view_stocktake``: copies expected on the shelf that were not scanned;
    once confirmed, the copies it marked missing, as they were then."""
    stocktake = _stocktake(request, stocktake_id)
    if stocktake.status == StocktakeStatus.CONFIRMED:
        return marked_missing(stocktake)
    return missing_items(stocktake)


@router.post("/stocktakes/{stocktake_id}/finish", response={200: StocktakeOut, **ERRORS})
@staff_endpoint(("technical.view_stocktake", "technical.take_stock"))
def finish(request, stocktake_id: int):
    """Staff with ``technical.take_stock`` stop scanning; the report waits for confirmation."""
    actions.finish_stocktake(stocktake=_stocktake(request, stocktake_id), actor=request.user)
    return _stocktake(request, stocktake_id)


@router.post("/stocktakes/{stocktake_id}/confirm", response={200: ConfirmOut, **ERRORS})
@staff_endpoint(("technical.view_stocktake", "technical.confirm_stocktake"))
def confirm(request, stocktake_id: int):
    """Staff with ``technical.confirm_stocktake`` mark the missing items ``missing`` (409 unless finished)."""
    marked = actions.confirm_stocktake(stocktake=_stocktake(request, stocktake_id), actor=request.user)
    return {"stocktake": _stocktake(request, stocktake_id), "marked_missing": [i.barcode for i in marked]}


@router.post("/stocktakes/{stocktake_id}/cancel", response={200: StocktakeOut, **ERRORS})
@staff_endpoint(("technical.view_stocktake", "technical.take_stock"))
def cancel(request, stocktake_id: int):
    """Staff with ``technical.take_stock`` abandon a stocktake before confirmation."""
    actions.cancel_stocktake(stocktake=_stocktake(request, stocktake_id), actor=request.user)
    return _stocktake(request, stocktake_id)


api.add_router("/", router)
