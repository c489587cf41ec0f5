"""Report pages (staff): a filter form, a chart where one helps, the table, CSV and XLSX exports and a
print layout. One page per report of :data:`pustaka.reports.specs.REPORTS`, each declaring the
report's permission."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from pustaka.core.permissions import staff_view
from pustaka.core.queries import library_name

from .. import charts, exports, specs
from ..forms import ReportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_view(specs.CIRCULATION)
def index(request):
    """The reports the user may read, by section."""
    sections: dict = {}
    for spec in specs.visible_to(request.user):
        sections.setdefault(str(spec.section), []).append(spec)
    return render(request, "reports/index.html", {"sections": sections})


def compute(spec, data, *, full: bool = False):
    """The bound form, its filters and the computed table (None while the form is invalid)."""
    form = ReportForm(spec, data or None)
    if form.is_bound and not form.is_valid():
        return form, None, None
    filters = form.filters(full=full)
    return form, filters, spec.function(filters)


def report_page(spec):
    """The page of one report (the view function the URL of ``spec`` names)."""

    @staff_view(spec.permission)
    def view(request):
        wanted = request.GET.get("format", "")
        data = request.GET.copy()
        data.pop("format", None)
        data.pop("print", None)
        form, filters, table = compute(spec, data, full=wanted in ("csv", "xlsx"))
        if table is not None and wanted in ("csv", "xlsx"):
            return export(spec, form, filters, table, wanted)
        query = data.urlencode()
        context = {
            "spec": spec,
            "form": form,
            "table": table,
            "chart": charts.bars(table) if table is not None else None,
            "described": form.describe(filters) if filters is not None else "",
            "query": query,
            "library": library_name(),
            "printed_at": timezone.localtime(),
            "print_layout": request.GET.get("print") == "1",
        }
        return render(request, "reports/report.html", context, status=200 if table is not None else 400)

    view.__name__ = view.__qualname__ = f"report_{spec.slug.replace('-', '_')}"
    view.__doc__ = f"The {spec.slug} report page: {spec.function.__doc__ or ''}"
    return view


def export(spec, form, filters, table, wanted: str) -> HttpResponse:
    """The report as a CSV or XLSX download named after the report and its period."""
    p = filters.period
    name = f"{slugify(str(spec.title)) or spec.slug}_{p.start:%Y-%m-%d}_{p.end:%Y-%m-%d}"
    if wanted == "csv":
        response = HttpResponse(exports.to_csv(table), content_type="text/csv; charset=utf-8")
    else:
        body = exports.to_xlsx(table, title=str(spec.title), subtitle=form.describe(filters), library=library_name())
        response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{wanted}"'
    return response


VIEWS = {spec.slug: report_page(spec) for spec in specs.REPORTS}
