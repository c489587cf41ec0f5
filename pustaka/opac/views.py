"""Public catalogue pages: home, search results and the record page. Anyone may use them, no login."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from pustaka.catalog.identifiers import format_isbn
from pustaka.catalog.queries import language_name

from . import queries


def _context(request, **extra) -> dict:
    return {"library_name": queries.library_name(), **extra}


@require_GET
def home(request):
    """Public: a search box, what the catalogue holds, the newest titles and the branches' opening hours."""
    return render(
        request,
        "opac/home.html",
        _context(
            request,
            counts=queries.catalogue_counts(),
            newest=queries.newest_records(),
            branches=queries.active_branches(),
        ),
    )


@require_GET
def search(request):
    """Public: records matching every word of ``q``, 20 a page, with availability per branch."""
    q = request.GET.get("q", "").strip()
    result = queries.search_records(q, request.GET.get("page", 1))
    return render(request, "opac/search.html", _context(request, q=q, result=result))


@require_GET
def record(request, pk: int):
    """Public: one record in full with its copies; suppressed records are not found (404)."""
    found = queries.public_record(pk)
    copies = queries.record_copies(found)
    permalink = request.build_absolute_uri(reverse("opac:record", args=[found.pk]))
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
            permalink=permalink,
        ),
    )
