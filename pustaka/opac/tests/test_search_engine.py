"""The public catalogue searches the tantivy index: facets, sorting, "did you mean", bad queries, citations."""

import re

import pytest
from django.urls import reverse

from pustaka.catalog.models import Record
from pustaka.core.models import Location
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item
from pustaka.search import engine

pytestmark = pytest.mark.django_db

# title, author, subjects, year, language, material type, copies [(branch code, status)]
SHELF = [
    (
        "Pemrograman Python untuk pemula",
        "Sutanto, Budi",
        ["Python (Bahasa pemrograman)"],
        2021,
        "ind",
        "book",
        [("MAIN", "available")],
    ),
    (
        "Python programming : an introduction",
        "Zelle, John M.",
        ["Python (Computer program language)"],
        2017,
        "eng",
        "book",
        [("MAIN", "on_loan"), ("NORTH", "available")],
    ),
    (
        "Learning Python",
        "Lutz, Mark",
        ["Python (Computer program language)"],
        2013,
        "eng",
        "book",
        [("NORTH", "on_loan")],
    ),
    (
        "Python data science handbook",
        "VanderPlas, Jake",
        ["Python (Computer program language)", "Data mining"],
        2016,
        "eng",
        "ebook",
        [],
    ),
    (
        "Sejarah Indonesia modern",
        "Ricklefs, M. C.",
        ["Indonesia -- Sejarah"],
        2008,
        "ind",
        "book",
        [("MAIN", "on_hold_shelf")],
    ),
    ("Laskar pelangi", "Hirata, Andrea", ["Novel Indonesia"], 2005, "ind", "book", [("MAIN", "available")]),
    ("Rahasia negara python", "Anonim", ["Politik"], 2000, "ind", "book", [("MAIN", "available")]),  # suppressed
    ("Buku usang python", "Anonim", ["Politik"], 1970, "ind", "book", [("MAIN", "withdrawn")]),
]


@pytest.fixture
def shelf(db, branch, other_branch, location, item_type):
    """A small catalogue in the database and in a freshly built index; returns title → record."""
    places = {
        "MAIN": (branch, location),
        "NORTH": (other_branch, Location.objects.create(branch=other_branch, code="STACKS", name="Rak umum")),
    }
    records = {}
    for n, (title, author, subjects, year, language, material_type, copies) in enumerate(SHELF):
        record = Record.objects.create(
            title=title,
            contributors=[{"name": author, "role": "author"}],
            subjects=subjects,
            year=year,
            language=language,
            material_type=material_type,
            publisher="Penerbit",
            place="Jakarta",
            is_suppressed=title.startswith("Rahasia"),
        )
        for m, (code, status) in enumerate(copies):
            where, shelf_location = places[code]
            Item.objects.create(
                record=record,
                barcode=f"S{n}{m}",
                branch=where,
                location=shelf_location,
                item_type=item_type,
                status=status,
                call_number=f"005.{n} X",
            )
        records[title] = record
    engine.rebuild()
    return records


def search(client, **params):
    return client.get(reverse("opac:search"), params)


def titles(response) -> list[str]:
    return [r.title for r in response.context["result"].hits]


def facet(response, name) -> dict[str, tuple[str, int]]:
    """value → (label, count) of one facet on the page."""
    for f in response.context["result"].facets:
        if f.name == name:
            return {v.value: (v.label, v.count) for v in f.values}
    return {}


def facet_url(response, name, value) -> str:
    for f in response.context["result"].facets:
        for v in f.values:
            if f.name == name and v.value == value:
                return v.url
    raise AssertionError(f"no facet value {name}={value}")


def test_search_finds_records_through_the_index(client, shelf):
    response = search(client, q="python")
    assert response.status_code == 200
    assert set(titles(response)) == {
        "Pemrograman Python untuk pemula",
        "Python programming : an introduction",
        "Learning Python",
        "Python data science handbook",
    }
    assert not response.context["result"].fallback


def test_facets_show_counts_with_labels_in_the_page_language(client, shelf):
    response = search(client, q="python")
    assert facet(response, "language") == {"eng": ("English", 3), "ind": ("Indonesian", 1)}
    assert facet(response, "material_type") == {"book": ("Book", 3), "ebook": ("E-book", 1)}
    assert facet(response, "branch") == {"MAIN": ("Perpustakaan Pusat", 2), "NORTH": ("Cabang Utara", 2)}
    assert facet(response, "availability") == {"available": ("Available now", 2), "unavailable": ("Not available", 1)}
    assert facet(response, "year")["2010-2019"] == ("2010–2019", 3)
    html = response.content.decode()
    assert "Narrow the results" in html and "Cabang Utara" in html and "E-book" in html


def test_clicking_a_facet_narrows_the_results_and_the_filter_can_be_removed(client, shelf):
    url = facet_url(search(client, q="python"), "language", "eng")
    assert "language=eng" in url
    narrowed = client.get(reverse("opac:search") + url)
    assert set(titles(narrowed)) == {
        "Python programming : an introduction",
        "Learning Python",
        "Python data science handbook",
    }
    assert facet(narrowed, "language") == {"eng": ("English", 3)}
    on_shelf = client.get(reverse("opac:search") + facet_url(narrowed, "availability", "available"))
    assert titles(on_shelf) == ["Python programming : an introduction"]
    # The chosen filters are listed, each with a link that removes it.
    (label, remove_url), *rest = [s for s in on_shelf.context["selected"] if s[0] == "English"]
    assert not rest
    widened = client.get(reverse("opac:search") + remove_url)
    assert set(titles(widened)) == {"Pemrograman Python untuk pemula", "Python programming : an introduction"}


def test_facets_alone_browse_the_catalogue(client, shelf):
    response = search(client, material_type="ebook")
    assert titles(response) == ["Python data science handbook"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "title",
            [
                "Learning Python",
                "Pemrograman Python untuk pemula",
                "Python data science handbook",
                "Python programming : an introduction",
            ],
        ),
        (
            "-year",
            [
                "Pemrograman Python untuk pemula",
                "Python programming : an introduction",
                "Python data science handbook",
                "Learning Python",
            ],
        ),
        (
            "year",
            [
                "Learning Python",
                "Python data science handbook",
                "Python programming : an introduction",
                "Pemrograman Python untuk pemula",
            ],
        ),
        (
            "newest",
            [
                "Python data science handbook",
                "Learning Python",
                "Python programming : an introduction",
                "Pemrograman Python untuk pemula",
            ],
        ),
    ],
)
def test_results_can_be_sorted(client, shelf, sort, expected):
    response = search(client, q="python", sort=sort)
    assert titles(response) == expected
    assert f'<option value="{sort}" selected>' in response.content.decode()


def test_an_unknown_sort_order_falls_back_to_relevance(client, shelf):
    response = search(client, q="python", sort="colour")
    assert response.status_code == 200
    assert response.context["result"].sort == "relevance"


def test_a_misspelt_word_offers_a_did_you_mean_link(client, shelf):
    response = search(client, q="pemrogaman", language="ind")
    assert response.context["result"].suggestion == "pemrograman"
    html = response.content.decode()
    assert "Did you mean:" in html
    assert re.search(r'href="\?q=pemrograman&amp;language=ind"', html)


@pytest.mark.parametrize("q", ['"laskar pelangi', "title:", "kucing OR", "year:abc", "-python"])
def test_a_query_the_engine_cannot_understand_gets_a_helpful_message(client, shelf, q):
    response = search(client, q=q)
    assert response.status_code == 200
    assert response.context["result"].error
    html = response.content.decode()
    assert 'role="alert"' in html and "The search could not be understood." in html
    assert response.context["result"].hits == []


def test_an_unknown_facet_value_finds_nothing_instead_of_failing(client, shelf):
    response = search(client, q="python", branch="NOWHERE")
    assert response.status_code == 200
    assert titles(response) == []
    assert ("NOWHERE", 0) in [(v, n) for v, (_label, n) in facet(response, "branch").items()]


def test_suppressed_records_and_withdrawn_copies_never_show(client, shelf):
    response = search(client, q="python")
    html = response.content.decode()
    assert "Rahasia negara" not in html and "Buku usang" not in html
    assert response.context["result"].total == 4
    assert "Politik" not in str(facet(search(client, q="anonim"), "subject"))
    suppressed = shelf["Rahasia negara python"]
    assert client.get(reverse("opac:record", args=[suppressed.pk])).status_code == 404
    assert client.get(reverse("opac:cite_ris", args=[suppressed.pk])).status_code == 404
    assert client.get(reverse("opac:cite_bibtex", args=[suppressed.pk])).status_code == 404


def test_a_copy_on_the_hold_shelf_says_so(client, shelf):
    html = search(client, q="sejarah").content.decode()
    assert "Perpustakaan Pusat: on the hold shelf" in html


def test_results_show_availability_per_branch(client, shelf):
    html = search(client, q="zelle").content.decode()
    assert "Available at Cabang Utara: 1" in html
    assert "Perpustakaan Pusat: on loan" in html


@pytest.fixture
def many(db, branch, other_branch, location, item_type):
    """Forty-five records about "dongeng", each with a copy in both branches, indexed."""
    north = Location.objects.create(branch=other_branch, code="STACKS", name="Rak umum")

    def make(count):
        start = Record.objects.count()
        for n in range(start, start + count):
            record = Record.objects.create(
                title=f"Kumpulan dongeng nusantara jilid {n:02d}",
                subtitle="cerita rakyat dari Sabang sampai Merauke untuk anak-anak",
                contributors=[
                    {"name": f"Pengarang {n}, Nama Panjang", "role": "author"},
                    {"name": "Ilustrator, Contoh", "role": "illustrator"},
                ],
                subjects=["Dongeng -- Indonesia", "Cerita rakyat -- Indonesia", f"Topik {n % 7}"],
                year=1980 + n,
                language="ind",
                call_number=f"398.2 PEN k{n}",
            )
            Item.objects.create(record=record, barcode=f"D{n}A", branch=branch, location=location, item_type=item_type)
            Item.objects.create(
                record=record,
                barcode=f"D{n}B",
                branch=other_branch,
                location=north,
                item_type=item_type,
                status=ItemStatus.ON_LOAN,
            )
        engine.rebuild()

    return make


def test_a_twenty_hit_page_is_under_100_kb_of_html(client, many):
    many(45)
    response = search(client, q="dongeng")
    assert len(titles(response)) == 20
    assert response.context["result"].total == 45
    assert len(response.content) < 100 * 1024
    assert "page=2" in response.content.decode()


def test_pages_follow_the_engine_order(client, many):
    many(45)
    third = search(client, q="dongeng", sort="year", page=3)
    assert titles(third) == [f"Kumpulan dongeng nusantara jilid {n}" for n in range(40, 45)]
    past_the_end = search(client, q="dongeng", sort="year", page=99)
    assert titles(past_the_end) == titles(third)


def test_the_result_page_takes_the_same_few_queries_for_one_hit_or_twenty(client, many, django_assert_max_num_queries):
    many(1)
    with django_assert_max_num_queries(6):  # library name, records, availability, covers, due dates, branch names
        assert len(titles(search(client, q="dongeng"))) == 1
    many(30)
    with django_assert_max_num_queries(6):
        response = search(client, q="dongeng", language="ind")
    assert len(titles(response)) == 20
    assert all(len(r.availability) == 2 for r in response.context["result"].hits)


def test_without_an_index_the_simple_search_answers_and_says_so(client, record, settings, tmp_path):
    settings.PUSTAKA_INDEX_DIR = tmp_path / "not-built-yet"
    response = search(client, q="python")
    assert response.context["result"].fallback
    assert titles(response) == ["Pemrograman Python"]
    assert "The search index is still being built" in response.content.decode()


def test_an_edit_reaches_the_catalogue_through_the_change_log(client, shelf):
    from pustaka.search.changes import record_changed

    laskar = shelf["Laskar pelangi"]
    laskar.title = "Sang pemimpi"
    laskar.save()
    record_changed(laskar.pk)
    engine.apply_changes()
    assert titles(search(client, q="pemimpi")) == ["Sang pemimpi"]


# --- Citations ------------------------------------------------------------------------------------


@pytest.fixture
def cited(record):
    record.contributors = [
        {"name": "Sutanto, Budi", "role": "author"},
        {"name": "Wijaya, Ani", "role": "author"},
        {"name": "Rahman, Eko", "role": "editor"},
    ]
    record.edition = "Cet. 2"
    record.subtitle = "untuk pemula & 100% praktis"
    record.save()
    return record


def test_record_page_links_to_ris_and_bibtex(client, cited):
    html = client.get(reverse("opac:record", args=[cited.pk])).content.decode()
    assert f'href="/record/{cited.pk}/cite.ris"' in html
    assert f'href="/record/{cited.pk}/cite.bib"' in html


def test_ris_export_holds_the_citation(client, cited):
    response = client.get(f"/record/{cited.pk}/cite.ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="record-{cited.pk}.ris"'
    text = response.content.decode()
    lines = text.split("\r\n")
    assert lines[0] == "TY  - BOOK"
    assert lines[-2:] == ["ER  - ", ""]
    for line in (
        "AU  - Sutanto, Budi",
        "AU  - Wijaya, Ani",
        "A2  - Rahman, Eko",
        "TI  - Pemrograman Python : untuk pemula & 100% praktis",
        "PY  - 2021",
        "PB  - Informatika",
        "CY  - Bandung",
        "SN  - 978-602-00-0000-5",
        "ET  - Cet. 2",
        "LA  - ind",
        f"UR  - http://testserver/record/{cited.pk}/",
    ):
        assert line in lines, line


def test_bibtex_export_holds_the_citation(client, cited):
    response = client.get(f"/record/{cited.pk}/cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="record-{cited.pk}.bib"'
    text = response.content.decode()
    assert text.startswith(f"@book{{pustaka{cited.pk},\n")
    assert text.rstrip().endswith("}")
    for line in (
        "  author = {Sutanto, Budi and Wijaya, Ani},",
        r"  title = {{Pemrograman Python : untuk pemula \& 100\% praktis}},",
        "  year = {2021},",
        "  publisher = {Informatika},",
        "  address = {Bandung},",
        "  isbn = {978-602-00-0000-5},",
        f"  url = {{http://testserver/record/{cited.pk}/}}",
    ):
        assert line in text.split("\n"), line
    assert text.count("{") == text.count("}")


def test_citations_only_answer_get(client, record):
    assert client.post(f"/record/{record.pk}/cite.ris").status_code == 405
    assert client.post(f"/record/{record.pk}/cite.bib").status_code == 405


@pytest.mark.parametrize("path", ["/static/pustaka/opac.css", "/static/pustaka/opac.js"])
def test_the_catalogue_static_files_are_cached_by_browsers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "max-age=" in response["Cache-Control"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "python", "year": "9" * 25},
        {"q": "year:" + "9" * 25},
        {"q": "python", "year": "abc"},
        {"q": "python", "availability": "x" * 300},
        {"q": "a" * 199 + '"'},
        {"q": "isbn:" + "9" * 40},
        {"q": "callno:" + "1" * 50},
        {"q": "(python"},
    ],
)
def test_odd_input_gets_a_page_never_an_error(client, shelf, params):
    response = search(client, **params)
    assert response.status_code == 200
