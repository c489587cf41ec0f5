"""One search path: the staff record list and OPDS ask ``pustaka.search.search()``, as the catalogue does.

Records are made and deleted through the catalogue actions and reach the index through the change
log, as in a running library. Without an index the same calls are answered by the database.
"""

import pytest
from lxml import etree

from pustaka.catalog.actions import create_record, delete_record
from pustaka.catalog.queries import find_records
from pustaka.digital.tests.fixtures_access import *  # noqa: F403
from pustaka.search import Hits, SearchQuery, engine, search

ATOM = {"a": "http://www.w3.org/2005/Atom"}
ISBN = "9786020332956"


@pytest.fixture
def catalogue(librarian, index_dir):
    """Three titles through the actions; one of them deleted again. The index follows the log."""
    kept = create_record(actor=librarian, title="Metode penelitian sosial", language="ind", isbns=[ISBN])
    other = create_record(actor=librarian, title="Kumpulan resep masakan", language="ind")
    gone = create_record(actor=librarian, title="Metode penelitian kuno", language="ind", isbns=["9789794610008"])
    delete_record(record=gone, actor=librarian)
    engine.apply_changes()
    assert engine.applied_sequence() is not None
    return {"kept": kept, "other": other, "gone": gone}


def staff_titles(client, **params) -> list[str]:
    return [r.title for r in client.get("/staff/catalog/", params).context["records"]]


def opds_titles(client, q: str) -> list[str]:
    response = client.get("/opds/search", {"q": q})
    assert response.status_code == 200
    return [e.findtext("a:title", namespaces=ATOM) for e in etree.fromstring(response.content).findall("a:entry", ATOM)]


def test_the_staff_search_finds_by_a_title_word_and_the_isbn_but_not_a_deleted_record(client, librarian, catalogue):
    client.force_login(librarian)
    assert staff_titles(client, q="penelitian") == ["Metode penelitian sosial"]
    assert staff_titles(client, q="978-602-03-3295-6") == ["Metode penelitian sosial"]
    assert staff_titles(client, q="9789794610008") == []  # the deleted record's ISBN
    assert staff_titles(client, q="kuno") == []


def test_the_staff_search_is_the_engine_with_its_stemming(librarian, catalogue):
    found = find_records(q="meneliti")  # Indonesian stemming: meneliti and penelitian share "teliti"
    assert [r.title for r in found[0:50]] == ["Metode penelitian sosial"]
    assert not found.fallback


def test_the_opds_search_finds_by_a_title_word_and_the_isbn_but_not_a_deleted_record(
    client, librarian, catalogue, make_resource, open_licence, make_file
):
    for record in (catalogue["kept"], catalogue["other"]):
        make_file(make_resource(open_licence, record=record), b"%PDF-1.4 " + record.title.encode(), "application/pdf")
    gone = create_record(actor=librarian, title="Metode penelitian terhapus", language="ind")
    engine.apply_changes()
    resource = make_resource(open_licence, record=gone)
    make_file(resource, b"%PDF-1.4 gone", "application/pdf", "gone.pdf")
    assert opds_titles(client, "terhapus") == ["Metode penelitian terhapus"]
    resource.delete()  # set-up: a record with a digital resource cannot be deleted
    delete_record(record=gone, actor=librarian)
    engine.apply_changes()

    assert opds_titles(client, "penelitian") == ["Metode penelitian sosial"]
    assert opds_titles(client, ISBN) == ["Metode penelitian sosial"]
    assert opds_titles(client, "terhapus") == []


def test_without_an_index_the_database_answers_the_same_searches_and_says_so(
    client, librarian, settings, tmp_path, catalogue
):
    settings.PUSTAKA_INDEX_DIR = tmp_path / "not-built-yet"
    found = search(SearchQuery(text="penelitian", public_only=False))
    assert found.fallback
    assert found.ids == [catalogue["kept"].pk]
    assert search(SearchQuery(text="978-602-03-3295-6", public_only=False)).ids == [catalogue["kept"].pk]
    assert search(SearchQuery(text="kuno", public_only=False)).total == 0
    client.force_login(librarian)
    assert staff_titles(client, q="penelitian") == ["Metode penelitian sosial"]


def test_a_call_number_typed_in_the_box_is_looked_up_as_a_call_number(librarian, index_dir):
    create_record(actor=librarian, title="Dasar pemrograman", call_number="005.133 SUT p")
    create_record(actor=librarian, title="Sejarah dunia", call_number="909 ANT s")
    engine.apply_changes()
    assert [r.title for r in find_records(q="005.133 SUT")[0:50]] == ["Dasar pemrograman"]


def test_hits_page_like_a_queryset_and_a_bad_query_is_searched_as_its_words(librarian, index_dir):
    from pustaka.catalog.models import Record

    for n in range(7):
        create_record(actor=librarian, title=f"Dongeng nusantara {n}")
    engine.apply_changes()
    hits = Hits(SearchQuery(text="dongeng", sort="title", public_only=False), Record.objects.all())
    assert hits.count() == len(hits) == 7
    assert [r.title for r in hits[2:4]] == ["Dongeng nusantara 2", "Dongeng nusantara 3"]
    assert hits[6].title == "Dongeng nusantara 6"
    unclosed = Hits(SearchQuery(text='"dongeng nusantara', public_only=False), Record.objects.all())
    assert unclosed.count() == 7
