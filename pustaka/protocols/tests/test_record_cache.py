"""SRU and OAI-PMH answer from the record cache: an edit shows at once, a page costs a fixed few queries."""

import xml.etree.ElementTree as ET

import pytest

from pustaka.catalog import actions as catalog_actions
from pustaka.catalog.models import Record
from pustaka.protocols.sru import views as sru_views
from pustaka.recordcache.models import CachedForm
from pustaka.search import changes
from pustaka.search.query import SearchResult

SRW = "http://www.loc.gov/zing/srw/"
MARC = "http://www.loc.gov/MARC21/slim"
DC = "http://purl.org/dc/elements/1.1/"
OAI = "http://www.openarchives.org/OAI/2.0/"


@pytest.fixture
def books(db):
    return [
        Record.objects.create(
            title=f"Buku {n}", contributors=[{"name": f"Penulis {n}", "role": "author"}], year=2000 + n
        )
        for n in range(1, 11)
    ]


@pytest.fixture
def engine(monkeypatch, books):
    """The search engine's answer: the ten books in id order (no query of its own)."""
    ids = [book.pk for book in books]

    def run(query):
        return SearchResult(total=len(ids), ids=ids[query.offset : query.offset + query.limit])

    monkeypatch.setattr(sru_views, "run_search", run)
    return ids


def sru(client, schema="marcxml", **params):
    response = client.get(
        "/sru", {"operation": "searchRetrieve", "version": "1.2", "query": "buku", "recordSchema": schema, **params}
    )
    assert response.status_code == 200
    return ET.fromstring(response.content)


def marc_titles(root) -> list[str]:
    return [
        sub.text.rstrip(" ./")
        for field in root.iter(f"{{{MARC}}}datafield")
        if field.get("tag") == "245"
        for sub in field.iter(f"{{{MARC}}}subfield")
        if sub.get("code") == "a"
    ]


def oai(client, **params):
    response = client.get("/oai", params)
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_an_edited_record_shows_its_new_title_in_sru_at_once(client, engine, books, librarian):
    assert "Buku 3" in marc_titles(sru(client))
    assert CachedForm.objects.filter(form="marcxml").count() == 10
    catalog_actions.update_record(record=books[2], actor=librarian, title="Buku tiga yang baru")
    titles = marc_titles(sru(client))
    assert "Buku tiga yang baru" in titles and "Buku 3" not in titles
    root = sru(client, schema="dc")
    assert "Buku tiga yang baru" in [t.text for t in root.iter(f"{{{DC}}}title")]


def test_an_edited_record_shows_its_new_title_in_oai_pmh_at_once(client, books, librarian):
    def title(prefix):
        root = oai(client, verb="GetRecord", identifier=f"oai:testserver:{books[0].pk}", metadataPrefix=prefix)
        if prefix == "oai_dc":
            return root.find(f".//{{{DC}}}title").text
        return marc_titles(root)[0]

    listed = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert "Buku 1" in [t.text for t in listed.iter(f"{{{DC}}}title")]
    assert (title("oai_dc"), title("marc21")) == ("Buku 1", "Buku 1")
    catalog_actions.update_record(record=books[0], actor=librarian, title="Buku pertama")
    assert (title("oai_dc"), title("marc21")) == ("Buku pertama", "Buku pertama")
    listed = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert "Buku pertama" in [t.text for t in listed.iter(f"{{{DC}}}title")]


def test_a_change_log_entry_alone_makes_the_cached_text_be_built_again(client, engine, books):
    sru(client)
    # a change that left updated_at as it was (a queryset update): only the change log says so
    Record.objects.filter(pk=books[4].pk).update(title="Diganti diam-diam")
    assert "Diganti diam-diam" not in marc_titles(sru(client))  # nothing told the cache yet
    changes.record_changed(books[4].pk)
    assert "Diganti diam-diam" in marc_titles(sru(client))


def test_a_record_suppressed_after_it_was_cached_is_no_longer_sent(client, engine, books, librarian):
    assert len(sru(client).findall(f"{{{SRW}}}records/{{{SRW}}}record")) == 10
    catalog_actions.update_record(record=books[1], actor=librarian, is_suppressed=True)
    root = sru(client)
    assert len(root.findall(f"{{{SRW}}}records/{{{SRW}}}record")) == 9
    assert "Buku 2" not in marc_titles(root)


def test_a_page_of_ten_sru_records_is_one_query_once_cached(client, engine, django_assert_max_num_queries):
    # the first request builds the ten texts: the check, the records, what other apps add to them, the
    # rule, the upsert (in a savepoint)
    with django_assert_max_num_queries(8):
        sru(client)
    with django_assert_max_num_queries(1):  # the engine answers from its index: only the cache check
        root = sru(client, maximumRecords="10")
    assert len(marc_titles(root)) == 10
    sru(client, schema="dc")  # each form is cached on its own
    with django_assert_max_num_queries(1):
        root = sru(client, schema="dc")
    assert len(list(root.iter(f"{{{DC}}}title"))) == 10


def test_an_oai_pmh_page_reads_the_record_texts_in_one_query_once_cached(client, books, django_assert_max_num_queries):
    oai(client, verb="ListRecords", metadataPrefix="marc21")
    # records, tombstones, collection memberships, the cache check (and one for what other apps add to
    # an export's records, while the page still asks for it)
    with django_assert_max_num_queries(5):
        root = oai(client, verb="ListRecords", metadataPrefix="marc21")
    assert len(marc_titles(root)) == 10
