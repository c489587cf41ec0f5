"""/sru end to end through the real search engine (a tantivy index built in a temporary folder)."""

import unicodedata
import xml.etree.ElementTree as ET

import pytest

from pustaka.catalog.models import Record
from pustaka.search import engine

SRW = "http://www.loc.gov/zing/srw/"
DC = "http://purl.org/dc/elements/1.1/"


@pytest.fixture
def catalogue(db, settings, tmp_path):
    settings.PUSTAKA_INDEX_DIR = tmp_path / "index"
    records = {
        "comedie": Record.objects.create(
            title=unicodedata.normalize("NFD", "La Comédie humaine"),
            contributors=[{"name": "Balzac, Honoré de", "role": "author"}],
            subjects=["Fiksi Prancis"],
            year=1842,
            language="fre",
        ),
        "python": Record.objects.create(
            title="Pemrograman Python",
            subtitle="untuk pemula",
            contributors=[{"name": "Sutanto, Budi", "role": "author"}],
            subjects=["Python (Bahasa pemrograman)"],
            year=2021,
            isbn="9786020332956",
            isbns=["9786020332956"],
            language="ind",
        ),
        "java": Record.objects.create(
            title="Pemrograman Java",
            contributors=[{"name": "Wibowo, Sari", "role": "author"}],
            subjects=["Java (Bahasa pemrograman)"],
            year=2019,
            language="ind",
        ),
        "hidden": Record.objects.create(title="Pemrograman Rahasia", year=2020, is_suppressed=True),
    }
    engine.rebuild()
    return records


def titles(client, query, **params):
    response = client.get(
        "/sru", {"operation": "searchRetrieve", "version": "1.2", "query": query, **params, "recordSchema": "dc"}
    )
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.find(f"{{{SRW}}}diagnostics") is None, response.content
    found = [unicodedata.normalize("NFC", t.text) for t in root.iter(f"{{{DC}}}title")]
    assert int(root.findtext(f"{{{SRW}}}numberOfRecords")) == len(found)
    return sorted(found)


def test_a_query_with_composed_accents_finds_a_title_stored_decomposed(client, catalogue):
    composed = unicodedata.normalize("NFC", "Comédie")
    assert composed != unicodedata.normalize("NFD", "Comédie")
    assert titles(client, f"dc.title = {composed}") == ["La Comédie humaine"]
    assert titles(client, unicodedata.normalize("NFD", "honoré")) == ["La Comédie humaine"]


def test_title_creator_subject_date_and_isbn_indexes_find_their_records(client, catalogue):
    assert titles(client, "dc.title all pemrograman") == ["Pemrograman Java", "Pemrograman Python : untuk pemula"]
    assert titles(client, "dc.creator = sutanto") == ["Pemrograman Python : untuk pemula"]
    assert titles(client, 'dc.subject adj "java bahasa"') == ["Pemrograman Java"]
    assert titles(client, "dc.date = 2019") == ["Pemrograman Java"]
    assert titles(client, "bath.isbn = 978-602-03-3295-6") == ["Pemrograman Python : untuk pemula"]


def test_booleans_and_relations_combine_through_the_engine(client, catalogue):
    assert titles(client, "dc.title all pemrograman not dc.title any java") == ["Pemrograman Python : untuk pemula"]
    assert titles(client, 'dc.title any "python java"') == ["Pemrograman Java", "Pemrograman Python : untuk pemula"]
    assert titles(client, "(dc.title = java or dc.creator = balzac) and dc.date = 1842") == ["La Comédie humaine"]
    assert titles(client, 'dc.title == "pemrograman java"') == ["Pemrograman Java"]


def test_suppressed_records_are_never_found(client, catalogue):
    assert "Pemrograman Rahasia" not in titles(client, "pemrograman")
    assert "Pemrograman Rahasia" not in titles(client, "cql.allRecords = 1")


def test_paging_through_the_engine_gives_every_record_once(client, catalogue):
    seen = []
    for start in (1, 2, 3):
        response = client.get(
            "/sru",
            {
                "operation": "searchRetrieve",
                "version": "1.2",
                "query": "cql.allRecords = 1",
                "startRecord": start,
                "maximumRecords": 1,
                "recordSchema": "dc",
            },
        )
        root = ET.fromstring(response.content)
        assert root.findtext(f"{{{SRW}}}numberOfRecords") == "3"
        seen += [t.text for t in root.iter(f"{{{DC}}}title")]
    assert len(set(seen)) == 3


def test_sort_by_date_descending_orders_the_records(client, catalogue):
    response = client.get(
        "/sru",
        {"version": "2.0", "query": "pemrograman sortBy dc.date/sort.descending", "recordSchema": "dc"},
    )
    root = ET.fromstring(response.content)
    assert [d.text for d in root.iter(f"{{{DC}}}date")] == ["2021", "2019"]


def test_a_date_range_finds_the_records_published_in_it(client, catalogue):
    assert titles(client, "dc.date = 2018-2020") == ["Pemrograman Java"]


@pytest.mark.parametrize(
    "query",
    [
        "bath.isbn = abc",
        'dc.identifier = "---"',
        "dc.title = ...",
        "dc.language = xx",
        'dc.creator == "Balzac, Honoré de"',
        "dc.subject any " + "x" * 300,
        "cql.allRecords = 1 sortBy dc.title",
        "dc.title all pemrograman not dc.title all pemrograman",
    ],
)
def test_odd_but_valid_queries_are_answered_not_crashed(client, catalogue, query):
    response = client.get("/sru", {"version": "1.2", "operation": "searchRetrieve", "query": query})
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{SRW}}}searchRetrieveResponse"
    assert root.findtext(f"{{{SRW}}}numberOfRecords").isdigit()


def test_a_start_record_past_the_end_is_diagnostic_61_through_the_engine(client, catalogue):
    response = client.get(
        "/sru", {"version": "1.2", "operation": "searchRetrieve", "query": "pemrograman", "startRecord": "2147483647"}
    )
    root = ET.fromstring(response.content)
    assert root.findtext(f"{{{SRW}}}numberOfRecords") == "2"
    assert "info:srw/diagnostic/1/61" in response.content.decode()


def scan_terms(client, clause, **params):
    response = client.get("/sru", {"operation": "scan", "version": "1.2", "scanClause": clause, **params})
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{SRW}}}scanResponse"
    assert root.find(f"{{{SRW}}}diagnostics") is None, response.content
    return [
        (t.findtext(f"{{{SRW}}}value"), int(t.findtext(f"{{{SRW}}}numberOfRecords")))
        for t in root.iter(f"{{{SRW}}}term")
    ]


def test_scan_browses_titles_in_order_from_the_term_and_hides_suppressed_records(client, catalogue):
    terms = scan_terms(client, 'dc.title = "pemrograman"')
    assert terms == [("pemrograman java", 1), ("pemrograman python", 1), ("pemrograman python untuk pemula", 1)]


def test_scan_response_position_puts_earlier_terms_first(client, catalogue):
    terms = scan_terms(client, "dc.title = pemrograman", responsePosition="2", maximumTerms="2")
    assert terms == [("la comedie humaine", 1), ("pemrograman java", 1)]


def test_scan_of_words_anywhere_counts_records(client, catalogue):
    terms = dict(scan_terms(client, "pemrograman", maximumTerms="3"))
    assert terms["pemrograman"] == 2  # the suppressed record is not counted


def test_scan_of_an_index_that_cannot_be_scanned_is_a_diagnostic(client, catalogue):
    response = client.get("/sru", {"operation": "scan", "version": "1.2", "scanClause": "dc.date = 2020"})
    root = ET.fromstring(response.content)
    assert root.find(f".//{{{SRW}}}term") is None
    assert root.findtext(".//{http://www.loc.gov/zing/srw/diagnostic/}uri") == "info:srw/diagnostic/1/16"


def test_scan_without_a_clause_is_a_diagnostic(client, catalogue):
    response = client.get("/sru", {"operation": "scan", "version": "1.2"})
    root = ET.fromstring(response.content)
    assert root.findtext(".//{http://www.loc.gov/zing/srw/diagnostic/}uri") == "info:srw/diagnostic/1/7"
