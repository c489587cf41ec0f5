"""The /sru endpoint: explain, searchRetrieve, paging, record schemas, diagnostics, POST.

The search engine is replaced by a fake here (it returns the public records in id order) so these
tests pin the protocol; test_sru_engine.py runs the same requests through the real engine.
"""

import xml.etree.ElementTree as ET

import pytest

from pustaka.catalog.models import Record
from pustaka.protocols.sru import views
from pustaka.search.query import SearchResult

SRW = "http://www.loc.gov/zing/srw/"
SRU2 = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
ZEEREX = "http://explain.z3950.org/dtd/2.0/"
MARC = "http://www.loc.gov/MARC21/slim"
DC = "http://purl.org/dc/elements/1.1/"


class FakeEngine:
    """Answers every query with the non-suppressed records in id order; remembers the queries."""

    def __init__(self):
        self.queries = []
        self.extra_ids = []

    def __call__(self, query):
        self.queries.append(query)
        ids = list(Record.objects.filter(is_suppressed=False).order_by("id").values_list("id", flat=True))
        ids += self.extra_ids
        return SearchResult(total=len(ids), ids=ids[query.offset : query.offset + query.limit])


@pytest.fixture
def fake(monkeypatch):
    engine = FakeEngine()
    monkeypatch.setattr(views, "run_search", engine)
    return engine


@pytest.fixture
def books(db):
    return [
        Record.objects.create(
            title=f"Buku {n}",
            contributors=[{"name": f"Penulis {n}", "role": "author"}],
            year=2000 + n,
            isbns=[],
            language="ind",
        )
        for n in range(1, 6)
    ]


def get(client, **params):
    response = client.get("/sru", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return ET.fromstring(response.content)


def diagnostic(root, ns=SRW):
    diag_ns = (
        "http://www.loc.gov/zing/srw/diagnostic/" if ns == SRW else "http://docs.oasis-open.org/ns/search-ws/diagnostic"
    )
    found = root.find(f"{{{ns}}}diagnostics/{{{diag_ns}}}diagnostic")
    assert found is not None, ET.tostring(root)
    return found.findtext(f"{{{diag_ns}}}uri"), found.findtext(f"{{{diag_ns}}}details")


# --- explain -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_bare_get_answers_an_sru_1_2_explain_listing_indexes_and_schemas(client):
    root = get(client)
    assert root.tag == f"{{{SRW}}}explainResponse"
    assert root.findtext(f"{{{SRW}}}version") == "1.2"
    record = root.find(f"{{{SRW}}}record")
    assert record.findtext(f"{{{SRW}}}recordSchema") == ZEEREX
    assert record.findtext(f"{{{SRW}}}recordPacking") == "xml"
    explain = record.find(f"{{{SRW}}}recordData/{{{ZEEREX}}}explain")
    indexes = {i.findtext(f"{{{ZEEREX}}}title") for i in explain.iter(f"{{{ZEEREX}}}index")}
    assert {"dc.title", "dc.creator", "dc.subject", "dc.identifier", "dc.date", "bath.isbn", "cql.anywhere"} <= indexes
    schemas = {s.get("name"): s.get("identifier") for s in explain.iter(f"{{{ZEEREX}}}schema")}
    assert schemas == {"marcxml": "info:srw/schema/1/marcxml-v1.1", "dc": "info:srw/schema/1/dc-v1.1"}
    assert explain.find(f"{{{ZEEREX}}}serverInfo").get("protocol") == "SRU"


@pytest.mark.django_db
def test_explain_in_sru_2_0_uses_the_oasis_namespace(client):
    root = get(client, operation="explain", version="2.0")
    assert root.tag == f"{{{SRU2}}}explainResponse"
    assert root.findtext(f"{{{SRU2}}}version") == "2.0"
    record = root.find(f"{{{SRU2}}}record")
    assert record.findtext(f"{{{SRU2}}}recordXMLEscaping") == "xml"
    assert record.find(f"{{{SRU2}}}recordData/{{{ZEEREX}}}explain") is not None


# --- searchRetrieve ------------------------------------------------------------------------------


def test_search_retrieve_returns_marcxml_records_with_positions_and_the_next_position(client, books, fake):
    root = get(client, operation="searchRetrieve", version="1.2", query="dc.title = buku", maximumRecords="2")
    assert root.tag == f"{{{SRW}}}searchRetrieveResponse"
    assert root.findtext(f"{{{SRW}}}numberOfRecords") == "5"
    records = root.findall(f"{{{SRW}}}records/{{{SRW}}}record")
    assert [r.findtext(f"{{{SRW}}}recordPosition") for r in records] == ["1", "2"]
    assert {r.findtext(f"{{{SRW}}}recordSchema") for r in records} == {"info:srw/schema/1/marcxml-v1.1"}
    marc = records[0].find(f"{{{SRW}}}recordData/{{{MARC}}}record")
    titles = [sf.text for sf in marc.iter(f"{{{MARC}}}subfield") if sf.get("code") == "a"]
    assert "Buku 1." in titles  # ISBD punctuation in 245 $a
    assert root.findtext(f"{{{SRW}}}nextRecordPosition") == "3"
    echoed = root.find(f"{{{SRW}}}echoedSearchRetrieveRequest")
    assert echoed.findtext(f"{{{SRW}}}query") == "dc.title = buku"
    assert echoed.findtext(f"{{{SRW}}}maximumRecords") == "2"
    query = fake.queries[0]
    assert (query.offset, query.limit, query.facets, query.public_only) == (0, 2, False, True)
    assert query.tree.field == "title"


def test_paging_with_start_record_reaches_the_last_page_without_a_next_position(client, books, fake):
    root = get(client, operation="searchRetrieve", version="1.2", query="buku", startRecord="4", maximumRecords="2")
    records = root.findall(f"{{{SRW}}}records/{{{SRW}}}record")
    assert [r.findtext(f"{{{SRW}}}recordPosition") for r in records] == ["4", "5"]
    assert root.find(f"{{{SRW}}}nextRecordPosition") is None
    assert fake.queries[0].offset == 3


def test_dublin_core_records_in_sru_2_0(client, books, fake):
    root = get(client, version="2.0", query="buku", recordSchema="dc", maximumRecords="1")
    assert root.tag == f"{{{SRU2}}}searchRetrieveResponse"
    record = root.find(f"{{{SRU2}}}records/{{{SRU2}}}record")
    assert record.findtext(f"{{{SRU2}}}recordSchema") == "info:srw/schema/1/dc-v1.1"
    assert record.findtext(f"{{{SRU2}}}recordXMLEscaping") == "xml"
    data = record.find(f"{{{SRU2}}}recordData")
    assert [t.text for t in data.iter(f"{{{DC}}}title")] == ["Buku 1"]
    assert root.findtext(f"{{{SRU2}}}nextRecordPosition") == "2"


def test_record_packing_string_sends_the_record_as_escaped_text(client, books, fake):
    root = get(client, operation="searchRetrieve", version="1.2", query="buku", recordPacking="string")
    data = root.find(f"{{{SRW}}}records/{{{SRW}}}record/{{{SRW}}}recordData")
    assert len(data) == 0 and data.text.startswith(f'<record xmlns="{MARC}">')


def test_maximum_records_zero_gives_only_the_count(client, books, fake):
    root = get(client, operation="searchRetrieve", version="1.2", query="buku", maximumRecords="0")
    assert root.findtext(f"{{{SRW}}}numberOfRecords") == "5"
    assert root.find(f"{{{SRW}}}records") is None


def test_all_records_query_passes_no_tree_to_the_engine(client, books, fake):
    get(client, operation="searchRetrieve", version="1.2", query="cql.allRecords = 1")
    assert fake.queries[0].tree is None


def test_the_page_of_records_is_fetched_in_one_query(client, books, fake, django_assert_max_num_queries):
    # the fake engine's own id query, the record cache's check, then for texts not cached yet: the
    # records (one query for the page), what other apps add to them, the call number rule, the cache
    # upsert (in a savepoint)
    with django_assert_max_num_queries(8):
        root = get(client, operation="searchRetrieve", version="1.2", query="buku", maximumRecords="5")
    assert len(root.findall(f"{{{SRW}}}records/{{{SRW}}}record")) == 5
    with django_assert_max_num_queries(2):  # once cached: the fake engine's query and the cache's
        root = get(client, operation="searchRetrieve", version="1.2", query="buku", maximumRecords="5")
    assert len(root.findall(f"{{{SRW}}}records/{{{SRW}}}record")) == 5


def test_a_suppressed_record_is_never_sent_even_if_the_index_still_lists_it(client, books, fake):
    hidden = Record.objects.create(title="Rahasia", is_suppressed=True)
    fake.extra_ids = [hidden.pk]
    root = get(client, operation="searchRetrieve", version="1.2", query="buku", maximumRecords="10")
    assert b"Rahasia" not in ET.tostring(root)
    assert len(root.findall(f"{{{SRW}}}records/{{{SRW}}}record")) == 5


def test_post_form_encoded_works_without_a_csrf_token(books, fake):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/sru", {"operation": "searchRetrieve", "version": "1.2", "query": "buku"})
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.findtext(f"{{{SRW}}}numberOfRecords") == "5"


@pytest.mark.django_db
def test_other_http_methods_are_refused(client):
    assert client.put("/sru").status_code == 405


# --- diagnostics ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "uri", "details"),
    [
        ({"operation": "searchRetrieve"}, "info:srw/diagnostic/1/7", "query"),
        ({"operation": "searchRetrieve", "query": "(buku"}, "info:srw/diagnostic/1/10", "missing closing parenthesis"),
        ({"operation": "searchRetrieve", "query": "dc.shelf = x"}, "info:srw/diagnostic/1/16", "dc.shelf"),
        ({"operation": "searchRetrieve", "query": "dc.date > 2000"}, "info:srw/diagnostic/1/19", ">"),
        ({"operation": "searchRetrieve", "query": "dc.title any/colour x"}, "info:srw/diagnostic/1/20", "colour"),
        ({"operation": "searchRetrieve", "query": "x", "recordSchema": "mods"}, "info:srw/diagnostic/1/66", "mods"),
        ({"operation": "searchRetrieve", "query": "x", "startRecord": "0"}, "info:srw/diagnostic/1/6", "startRecord"),
        ({"operation": "searchRetrieve", "query": "x", "startRecord": "a"}, "info:srw/diagnostic/1/6", "startRecord"),
        ({"operation": "searchRetrieve", "query": "x", "startRecord": "1_0"}, "info:srw/diagnostic/1/6", "startRecord"),
        (
            {"operation": "searchRetrieve", "query": "x", "maximumRecords": "-1"},
            "info:srw/diagnostic/1/6",
            "maximumRecords",
        ),
        ({"operation": "searchRetrieve", "query": "x", "recordPacking": "json"}, "info:srw/diagnostic/1/71", "json"),
        ({"operation": "scan"}, "info:srw/diagnostic/1/7", "scanClause"),
        ({"operation": "update"}, "info:srw/diagnostic/1/4", "update"),
    ],
)
def test_bad_requests_get_their_sru_diagnostic(client, books, fake, params, uri, details):
    root = get(client, version="1.2", **params)
    assert diagnostic(root) == (uri, details)
    assert root.find(f"{{{SRW}}}records") is None


def test_a_start_record_past_the_end_is_diagnostic_61_with_the_count(client, books, fake):
    root = get(client, operation="searchRetrieve", version="1.2", query="buku", startRecord="9")
    assert diagnostic(root) == ("info:srw/diagnostic/1/61", "9")
    assert root.findtext(f"{{{SRW}}}numberOfRecords") == "5"


def test_a_deep_start_record_is_checked_against_the_count_before_a_page_is_asked_for(client, books, fake):
    root = get(client, operation="searchRetrieve", version="1.2", query="buku", startRecord="99999999999999999999")
    assert diagnostic(root) == ("info:srw/diagnostic/1/61", "99999999999999999999")
    assert [(q.offset, q.limit) for q in fake.queries] == [(0, 0)]


@pytest.mark.django_db
def test_an_unsupported_version_is_diagnostic_5_naming_the_version_spoken(client):
    root = get(client, operation="explain", version="3.0")
    assert root.tag == f"{{{SRU2}}}explainResponse"
    assert diagnostic(root, SRU2) == ("info:srw/diagnostic/1/5", "2.0")
    root = get(client, operation="searchRetrieve", version="1.0", query="x")
    assert diagnostic(root) == ("info:srw/diagnostic/1/5", "1.2")


@pytest.mark.django_db
def test_without_an_operation_a_query_means_search_retrieve(client, books, fake):
    root = get(client, query="buku")
    assert root.tag == f"{{{SRW}}}searchRetrieveResponse"
    assert root.findtext(f"{{{SRW}}}numberOfRecords") == "5"


def test_a_logged_in_librarian_still_gets_only_public_records(client, books, fake, librarian):
    client.force_login(librarian)
    get(client, operation="searchRetrieve", version="1.2", query="buku")
    assert fake.queries[0].public_only is True


def test_version_1_1_is_answered_in_the_sru_1_2_namespace(client, books, fake):
    root = get(client, operation="searchRetrieve", version="1.1", query="buku", maximumRecords="1")
    assert root.tag == f"{{{SRW}}}searchRetrieveResponse"
    assert root.findtext(f"{{{SRW}}}version") == "1.1"


def test_sru_2_0_diagnostics_use_the_oasis_diagnostic_namespace(client, books, fake):
    root = get(client, version="2.0", query="dc.shelf = x")
    assert diagnostic(root, SRU2) == ("info:srw/diagnostic/1/16", "dc.shelf")
    assert root.findtext(f"{{{SRU2}}}numberOfRecords") == "0"


# --- characters XML cannot hold ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_control_character_in_the_query_still_gives_a_readable_answer(client, fake, books):
    root = get(client, operation="searchRetrieve", version="1.2", query="buku\x01", recordSchema="dc")
    assert root.findtext(f"{{{SRW}}}numberOfRecords") == "5"
    echoed = root.find(f"{{{SRW}}}echoedSearchRetrieveRequest")
    assert echoed is not None
    assert echoed.findtext(f"{{{SRW}}}query") == "buku"


@pytest.mark.django_db
def test_a_control_character_in_a_bad_query_is_left_out_of_the_diagnostic(client, fake):
    root = get(client, operation="searchRetrieve", version="1.2", query='"\x02unclosed')
    uri, details = diagnostic(root)
    assert uri.startswith("info:srw/diagnostic/1/")
    assert "\x02" not in (details or "")
