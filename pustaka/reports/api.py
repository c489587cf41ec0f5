"""API: every report as JSON under ``/api/v1/reports/<slug>`` (the same figures as the staff page).

``GET /api/v1/reports`` lists the reports the caller may read; ``GET /api/v1/reports/<slug>`` takes
the page's filters as query parameters (``start``, ``end`` as ``YYYY-MM-DD``, ``grain``, ``year``,
``branch``, ``category``, ``item_type`` as codes, ``by``, ``limit``) and answers the columns, rows
and totals. Each report declares its permission (see :mod:`pustaka.reports.specs`); a filter that
cannot be read answers 400 naming the field.
"""

import datetime

from ninja import Query, Router, Schema

from pustaka.core.api import ERRORS, QuerySchema, api, staff_endpoint

from . import specs
from .errors import ReportFilterInvalid
from .forms import ReportForm

router = Router(tags=["reports"])


class ReportIn(QuerySchema):
    start: str | None = None
    end: str | None = None
    grain: str | None = None
    year: str | None = None
    branch: str | None = None
    category: str | None = None
    item_type: str | None = None
    by: str | None = None
    limit: str | None = None


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class ReportOut(Schema):
    slug: str
    title: str
    start: datetime.date
    end: datetime.date
    grain: str
    columns: list[ColumnOut]
    rows: list[dict]
    totals: dict | None
    total_rows: int | None
    notes: list[str]


class ReportListOut(Schema):
    slug: str
    title: str
    section: str
    description: str
    permission: str


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, int | float | bool):
        return value
    return str(value)


def answer(spec, params: ReportIn) -> dict:
    """Compute ``spec`` from the query parameters, as the page would (every row of list reports)."""
    data = {k: v for k, v in params.dict().items() if v not in (None, "")}
    form = ReportForm(spec, data or None)
    if form.is_bound and not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        label = form.fields[name].label if name in form.fields else name
        raise ReportFilterInvalid(field=name, label=label, reason=" ".join(str(e) for e in errors))
    filters = form.filters(full=True)
    table = spec.function(filters)
    keys = [c.key for c in table.columns]
    return {
        "slug": spec.slug,
        "title": str(spec.title),
        "start": filters.period.start,
        "end": filters.period.end,
        "grain": filters.period.grain,
        "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns],
        "rows": [{k: _json(row.get(k)) for k in keys} for row in table.rows],
        "totals": {k: _json(v) for k, v in table.totals.items()} if table.totals else None,
        "total_rows": table.total_rows,
        "notes": [str(n) for n in table.notes],
    }


@router.get("/reports", response=list[ReportListOut])
@staff_endpoint(specs.CIRCULATION)
def list_reports(request):
    """The reports the caller may read."""
    return [
        {"slug": s.slug, "title": str(s.title), "section": str(s.section), "description": str(s.description),
         "permission": s.permission}
        for s in specs.visible_to(request.user)
    ]  # fmt: skip


def _endpoint(spec):
    @staff_endpoint(spec.permission)
    def endpoint(request, params: Query[ReportIn]):
        return answer(spec, params)

    endpoint.__name__ = f"report_{spec.slug.replace('-', '_')}"
    endpoint.__doc__ = str(spec.description)
    return endpoint


for _spec in specs.REPORTS:
    router.get(f"/reports/{_spec.slug}", response={200: ReportOut, **ERRORS}, summary=str(_spec.title))(
        _endpoint(_spec)
    )

api.add_router("/", router)
