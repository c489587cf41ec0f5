"""Accession register API: the register's lines, a copy's acquisition, the number pattern.

Reads need ``accessions.view_accession``; a copy's accession also shows on ``GET /items/{barcode}``.
Writes go through :mod:`pustaka.accessions.actions`.
"""

from ninja import Query, Router
from ninja.pagination import paginate

from pustaka.core.api import ERRORS, Pagination, api, staff_endpoint
from pustaka.holdings import lookups as item_lookups

from . import actions, queries
from .errors import AccessionNotFound
from .schemas import AccessionOut, AcquisitionIn, PatternIn, PatternOut, RegisterFilters

router = Router(tags=["accessions"])


@router.get("/accessions", response={200: list[AccessionOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("accessions.view_accession")
def list_accessions(request, filters: Query[RegisterFilters]):
    """Staff with ``accessions.view_accession``: the register in number order, of a year or all years."""
    lines = queries.register(filters.year)
    if filters.source:
        lines = lines.filter(source=filters.source)
    return lines


def _accession(barcode: str):
    item = item_lookups.get_item(barcode)
    accession = queries.accession_of(item)
    if accession is None:
        raise AccessionNotFound(barcode=item.barcode)
    return accession


@router.get("/items/{barcode}/accession", response={200: AccessionOut, **ERRORS})
@staff_endpoint("accessions.view_accession")
def get_accession(request, barcode: str):
    """Staff with ``accessions.view_accession``: a copy's line of the register."""
    return _accession(barcode)


@router.patch("/items/{barcode}/accession", response={200: AccessionOut, **ERRORS})
@staff_endpoint(actions.update_acquisition.permission)
def patch_acquisition(request, barcode: str, payload: AcquisitionIn):
    """Staff with ``accessions.edit_acquisition`` correct a copy's source, supplier and price
    (``accessions.acquisition.update``)."""
    accession = _accession(barcode)
    return actions.update_acquisition(accession=accession, actor=request.user, **payload.model_dump())


@router.get("/accessions/pattern", response={200: PatternOut, **ERRORS})
@staff_endpoint("accessions.view_accession")
def get_pattern(request):
    """Staff with ``accessions.view_accession``: the pattern and the next number it would give."""
    pattern = queries.current_pattern()
    return {"pattern": pattern, "next_number": queries.preview(pattern)}


@router.patch("/accessions/pattern", response={200: PatternOut, **ERRORS})
@staff_endpoint(actions.set_pattern.permission)
def patch_pattern(request, payload: PatternIn):
    """Staff with ``accessions.set_accession_pattern`` set the pattern (``accessions.pattern.set``)."""
    settings = actions.set_pattern(actor=request.user, pattern=payload.pattern)
    return {"pattern": settings.pattern, "next_number": queries.preview(settings.pattern)}


api.add_router("/", router)
