"""Accession register pages: the register of a year (printable, CSV and XLSX), a copy's acquisition,
and the pattern new numbers follow."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.core.queries import library_name
from pustaka.holdings.lookups import find_item
from pustaka.holdings.models import Item

from .. import actions, exports, queries
from ..errors import AccessionNotFound, PatternNotValid
from ..forms import AcquisitionForm, PatternForm, YearForm, this_year
from ..pattern import parse

PAGE_SIZE = 200


@staff_view("accessions.view_accession")
def register(request):
    """The register (buku induk) of one year in number order; ``?print=1`` gives the whole year to print."""
    form = YearForm(request.GET or None)
    year = form.year_or(this_year())
    lines = queries.register(year)
    printing = request.GET.get("print") == "1"
    page = None if printing else Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accessions/register_print.html" if printing else "accessions/register.html",
        {
            "library_name": library_name(),
            "form": form,
            "year": year,
            "years": queries.years(),
            "page": page,
            "lines": lines if printing else page.object_list,
            "printing": printing,
            "pattern": queries.current_pattern(),
        },
    )


@staff_view("accessions.view_accession")
def register_export(request, fmt: str):
    """The register of a year as a CSV or XLSX file."""
    year = YearForm(request.GET or None).year_or(this_year())
    lines = queries.register(year)
    name = f"buku-induk-{year}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(lines), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.as_xlsx(lines, title=_("Accessions %(year)s") % {"year": year}),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@staff_view(actions.update_acquisition.permission)
def acquisition_edit(request, barcode: str):
    """Correct a copy's source of acquisition, supplier or donor and price."""
    item = find_item(barcode, queryset=Item.objects.select_related("record"))
    if item is None:
        raise Http404
    accession = queries.accession_of(item)
    if accession is None:
        messages.error(request, str(AccessionNotFound(barcode=item.barcode)))
        return redirect("holdings:item_detail", barcode=item.barcode)
    initial = {"source": accession.source, "supplier": accession.supplier, "price": accession.price}
    form = AcquisitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.update_acquisition(accession=accession, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Acquisition of %(number)s saved.") % {"number": accession.number})
            return redirect("holdings:item_detail", barcode=item.barcode)
    return render(
        request,
        "accessions/acquisition_form.html",
        {"form": focus_first_error(form), "item": item, "accession": accession},
    )


@staff_view(actions.set_pattern.permission)
def pattern_edit(request):
    """Set the pattern of new accession numbers, with the next number shown before it is saved."""
    form = PatternForm(request.POST or None, initial={"pattern": queries.current_pattern()})
    example = None
    if form.is_valid():
        try:
            parse(form.cleaned_data["pattern"])
            example = queries.preview(form.cleaned_data["pattern"])
        except PatternNotValid as error:
            form.add_error("pattern", str(error))
    if request.method == "POST" and form.is_valid() and "save" in request.POST:
        with action_messages(request, form=form):
            actions.set_pattern(actor=request.user, pattern=form.cleaned_data["pattern"])
            messages.success(request, _("New copies will be numbered like %(example)s.") % {"example": example})
            return redirect("accessions:register")
    if example is None and not form.is_bound:
        example = queries.preview(queries.current_pattern())
    return render(request, "accessions/pattern_form.html", {"form": focus_first_error(form), "example": example})
