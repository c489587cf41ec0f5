"""Public catalogue pages: home, search results, the record page and its citations. Anyone may use them, no login."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from pustaka.catalog.identifiers import format_isbn
from pustaka.catalog.queries import language_name
from pustaka.core.queries import library_name
from pustaka.search.query import FACETS

from .. import citations, queries


def _context(request, **extra) -> dict:
    return {"library_name": library_name(), **extra}


@require_GET
def home(request):
    """Public: a search box, what the catalogue holds, the newest titles and the branches' opening hours."""
    return render(
        request,
        "opac/home.html",
        _context(
            request,
            counts=queries.catalogue_counts(),
            newest=queries.newest_records(with_covers=True),
            branches=queries.active_branches(),
            collections=queries.public_collections(),
        ),
    )


@require_GET
def collection(request, code: str):
    """Public: the titles of one curated collection (e.g. "Koleksi Jurnal Teknik"), 20 a page."""
    from django.http import Http404

    found = next(iter(queries.public_collections(code)), None)
    if found is None:
        raise Http404
    return render(
        request,
        "opac/collection.html",
        _context(request, collection=found, result=queries.collection_page(found, request.GET.get("page", 1))),
    )


def _selected_filters(request) -> dict[str, list[str]]:
    """Facet filters from the query string: ``?language=eng&branch=MAIN&branch=NORTH``."""
    filters = {}
    for name in FACETS:
        values = [v.strip()[:200] for v in request.GET.getlist(name) if v.strip()][:20]
        if values:
            filters[name] = list(dict.fromkeys(values))
    return filters


@require_GET
def search(request):
    """Public: records matching ``q`` (the search-box language) and the chosen facets, 20 a page.

    With facets to narrow the list, sorting, availability per branch and "did you mean"; a query the
    engine cannot understand is answered with a message on the page.
    """
    q = request.GET.get("q", "").strip()
    result = queries.catalogue_search(
        q, request.GET.get("page", 1), filters=_selected_filters(request), sort=request.GET.get("sort", "relevance")
    )
    for facet in result.facets:
        for value in facet.values:
            value.url = _facet_url(request, facet.name, value.value, add=not value.selected)
    return render(
        request,
        "opac/search.html",
        _context(
            request,
            q=result.q,
            result=result,
            sort_choices=queries.SORT_CHOICES,
            selected=[(label, _facet_url(request, name, value, add=False)) for name, value, label in result.selected],
            suggestion_url=_suggestion_url(request, result.suggestion) if result.suggestion else "",
        ),
    )


def _facet_url(request, name: str, value: str, *, add: bool) -> str:
    """This search with one facet value added to (or removed from) the filters, back on page 1."""
    params = request.GET.copy()
    params.pop("page", None)
    values = [v for v in params.getlist(name) if v != value]
    params.setlist(name, [*values, value] if add else values)
    return "?" + params.urlencode()


def _suggestion_url(request, suggestion: str) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params["q"] = suggestion
    return "?" + params.urlencode()


def _permalink(request, pk: int) -> str:
    return request.build_absolute_uri(reverse("opac:record", args=[pk]))


@require_GET
def record(request, pk: int):
    """Public: one record in full with its copies; suppressed records are not found (404)."""
    found = queries.public_record(pk)
    queries.attach_online([found])
    copies = queries.record_copies(found)
    return render(
        request,
        "opac/record.html",
        _context(
            request,
            record=found,
            contributors=[
                {**person, "role_label": found.contributor_role_label(person.get("role") or "author")}
                for person in found.contributors or []
            ],
            copies=copies,
            availability=queries.summarise_copies(copies),
            isbns=[format_isbn(isbn) for isbn in found.isbns or ([found.isbn] if found.isbn else [])],
            language=language_name(found.language) if found.language else "",
            permalink=_permalink(request, found.pk),
        ),
    )


def _download(text: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def cite_ris(request, pk: int):
    """Public: the record as a RIS citation (for Zotero, EndNote, Mendeley); suppressed records 404."""
    found = queries.public_record(pk)
    return _download(
        citations.ris(found, _permalink(request, pk)), "application/x-research-info-systems", f"record-{pk}.ris"
    )


@require_GET
def cite_bibtex(request, pk: int):
    """Public: the record as a BibTeX entry; suppressed records 404."""
    found = queries.public_record(pk)
    return _download(citations.bibtex(found, _permalink(request, pk)), "application/x-bibtex", f"record-{pk}.bib")
