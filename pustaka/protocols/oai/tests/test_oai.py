"""OAI-PMH 2.0 at /oai: every verb and error code, sets, dates, paging, deletes; every answer schema-valid."""

from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import etree

from pustaka.catalog.actions import delete_record, update_record
from pustaka.catalog.models import DeletedRecord, Record
from pustaka.core.models import Library
from pustaka.protocols.oai import views

NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
MARC = "{http://www.loc.gov/MARC21/slim}"
SCHEMAS = Path(__file__).parent / "schemas"
T0 = datetime(2024, 3, 1, 10, 0, 0, tzinfo=UTC)


@cache
def schema() -> etree.XMLSchema:
    """OAI-PMH.xsd with oai_dc.xsd and MARC21slim.xsd, all from local copies (see schemas/SOURCES.md)."""
    imports = [
        ("http://www.openarchives.org/OAI/2.0/", "OAI-PMH.xsd"),
        ("http://www.openarchives.org/OAI/2.0/oai_dc/", "oai_dc.xsd"),
        ("http://www.loc.gov/MARC21/slim", "MARC21slim.xsd"),
        ("http://www.openarchives.org/OAI/2.0/oai-identifier", "oai-identifier.xsd"),
    ]
    body = "".join(f'<xs:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in imports)
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{body}</xs:schema>'

    class LocalOnly(etree.Resolver):
        """Serve the official schema URLs from the local copies; never go to the network."""

        def resolve(self, url, pubid, context):
            name = url.rsplit("/", 1)[-1]
            if (SCHEMAS / name).exists():
                return self.resolve_filename(str(SCHEMAS / name), context)
            raise AssertionError(f"schema not available offline: {url}")

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalOnly())
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser, base_url=f"{SCHEMAS}/"))


def harvest(client=None, method="get", **params):
    """Ask /oai; check the HTTP side and the schema; return the parsed answer."""
    client = client or Client()
    response = getattr(client, method)("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    tree = etree.fromstring(response.content)
    schema().assertValid(tree)
    return tree


def error_codes(tree) -> list[str]:
    return [e.get("code") for e in tree.findall("o:error", NS)]


def identifiers(tree) -> list[str]:
    return [h.findtext("o:identifier", namespaces=NS) for h in tree.iterfind(".//o:header", NS)]


def token_of(tree):
    return tree.find(".//o:resumptionToken", NS)


def make_records(count, *, start=T0, step=timedelta(seconds=10), material_type="book"):
    """``count`` records with updated_at start, start+step, ... (set directly: auto_now ignores given values)."""
    records = Record.objects.bulk_create(
        [
            Record(title=f"Buku {i:03d}", material_type=material_type, language="ind", year=2000 + i % 20)
            for i in range(count)
        ]
    )
    for i, record in enumerate(records):
        Record.objects.filter(pk=record.pk).update(updated_at=start + i * step)
        record.updated_at = start + i * step
    return records


def oai_id(record_or_id) -> str:
    return f"oai:testserver:{getattr(record_or_id, 'pk', record_or_id)}"


# --- Identify, formats, sets ---------------------------------------------------------------------


def test_identify_names_the_library_and_its_policies(db):
    Library.current()
    Library.objects.update(name="Perpustakaan Kota")
    make_records(2)

    tree = harvest(verb="Identify")

    identify = tree.find("o:Identify", NS)
    assert identify.findtext("o:repositoryName", namespaces=NS) == "Perpustakaan Kota"
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai"
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == "2024-03-01T10:00:00Z"
    assert "@" in identify.findtext("o:adminEmail", namespaces=NS)
    assert tree.find("o:request", NS).get("verb") == "Identify"


def test_a_library_name_with_a_control_character_still_gives_a_readable_identify(db):
    Library.current()
    Library.objects.update(name="Perpustakaan\x07 Kota")

    tree = harvest(verb="Identify")  # parsing it is the check: lxml refuses such text outright

    assert tree.find("o:Identify", NS).findtext("o:repositoryName", namespaces=NS) == "Perpustakaan Kota"


def test_identify_also_answers_a_form_post(db):
    tree = harvest(method="post", verb="Identify")
    assert tree.find("o:Identify", NS) is not None


def test_list_metadata_formats_offers_oai_dc_and_marc21(record):
    for params in ({}, {"identifier": oai_id(record)}):
        tree = harvest(verb="ListMetadataFormats", **params)
        prefixes = [p.text for p in tree.iterfind(".//o:metadataPrefix", NS)]
        assert prefixes == ["oai_dc", "marc21"]


def test_list_metadata_formats_for_an_unknown_identifier_is_id_does_not_exist(db):
    for identifier in ("oai:testserver:999999", "oai:elsewhere.org:1", "not-an-oai-id"):
        tree = harvest(verb="ListMetadataFormats", identifier=identifier)
        assert error_codes(tree) == ["idDoesNotExist"]


def test_no_metadata_formats_when_an_item_has_none(record, monkeypatch):
    monkeypatch.setattr(views, "formats_for", lambda entry: {})
    tree = harvest(verb="ListMetadataFormats", identifier=oai_id(record))
    assert error_codes(tree) == ["noMetadataFormats"]


def test_list_sets_offers_a_set_per_material_type(db):
    tree = harvest(verb="ListSets")
    specs = [s.text for s in tree.iterfind(".//o:setSpec", NS)]
    assert "type" in specs and "type:book" in specs and "type:ebook" in specs


def test_without_any_set_provider_set_requests_get_no_set_hierarchy(db, monkeypatch):
    monkeypatch.setattr(views, "SET_PROVIDERS", [])
    make_records(1)
    assert error_codes(harvest(verb="ListSets")) == ["noSetHierarchy"]
    assert error_codes(harvest(verb="ListRecords", metadataPrefix="oai_dc", set="type:book")) == ["noSetHierarchy"]


# --- GetRecord -----------------------------------------------------------------------------------


def test_get_record_in_dublin_core(record):
    tree = harvest(verb="GetRecord", identifier=oai_id(record), metadataPrefix="oai_dc")
    assert tree.findtext(".//o:header/o:identifier", namespaces=NS) == oai_id(record)
    assert tree.findtext(".//o:header/o:setSpec", namespaces=NS) == "type:book"
    assert tree.findtext(".//dc:title", namespaces=NS) == "Pemrograman Python : untuk pemula"
    request = tree.find("o:request", NS)
    assert request.get("identifier") == oai_id(record) and request.get("metadataPrefix") == "oai_dc"


def test_get_record_in_marcxml_carries_the_record_id(record):
    tree = harvest(verb="GetRecord", identifier=oai_id(record), metadataPrefix="marc21")
    marc = tree.find(f".//o:metadata/{MARC}record", NS)
    assert marc is not None
    ids = [s.text for s in marc.iterfind(f"{MARC}datafield[@tag='999']/{MARC}subfield[@code='c']")]
    assert ids == [str(record.pk)]


def test_get_record_in_an_unknown_format_cannot_be_disseminated(record):
    tree = harvest(verb="GetRecord", identifier=oai_id(record), metadataPrefix="mods")
    assert error_codes(tree) == ["cannotDisseminateFormat"]
    assert tree.find("o:request", NS).get("metadataPrefix") == "mods"  # valid arguments are echoed


def test_get_record_of_an_unknown_identifier_is_id_does_not_exist(db):
    tree = harvest(verb="GetRecord", identifier="oai:testserver:4242", metadataPrefix="oai_dc")
    assert error_codes(tree) == ["idDoesNotExist"]


def test_the_repository_identifier_can_be_configured(record, settings):
    settings.OAI_REPOSITORY_ID = "perpustakaan.example.id"
    tree = harvest(verb="GetRecord", identifier=f"oai:perpustakaan.example.id:{record.pk}", metadataPrefix="oai_dc")
    assert identifiers(tree) == [f"oai:perpustakaan.example.id:{record.pk}"]


# --- Protocol errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{}, {"verb": "Harvest"}, {"verb": ["Identify", "Identify"]}])
def test_a_missing_illegal_or_repeated_verb_is_bad_verb(db, query):
    tree = harvest(**query)
    assert error_codes(tree) == ["badVerb"]
    assert dict(tree.find("o:request", NS).attrib) == {}  # nothing is echoed


@pytest.mark.parametrize(
    "query",
    [
        {"verb": "Identify", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "marc21"]},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-45"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-03-01T10:00:00"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-03-01", "until": "2024-03-02T00:00:00Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-03-02", "until": "2024-03-01"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "type:"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai dc"},
    ],
)
def test_bad_arguments_are_bad_argument_and_not_echoed(db, query):
    make_records(1)
    tree = harvest(**query)
    assert error_codes(tree) == ["badArgument"]
    assert dict(tree.find("o:request", NS).attrib) == {}


def test_a_harvest_with_nothing_to_send_is_no_records_match(db):
    make_records(3)
    assert error_codes(harvest(verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2030-01-01"})) == [
        "noRecordsMatch"
    ]
    assert error_codes(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:map")) == ["noRecordsMatch"]
    assert error_codes(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:unknown")) == [
        "noRecordsMatch"
    ]


def test_list_records_in_an_unknown_format_cannot_be_disseminated(db):
    make_records(1)
    assert error_codes(harvest(verb="ListRecords", metadataPrefix="mods")) == ["cannotDisseminateFormat"]


def test_a_forged_or_garbled_resumption_token_is_refused(db, settings):
    settings.OAI_PAGE_SIZE = 2
    make_records(5)
    token = token_of(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc")).text
    payload, _, signature = token.rpartition(":")
    forged = payload[:-1] + ("A" if payload[-1] != "A" else "B") + ":" + signature
    for bad in (forged, "garbage", token + "x"):
        tree = harvest(verb="ListIdentifiers", resumptionToken=bad)
        assert error_codes(tree) == ["badResumptionToken"]
        assert tree.find("o:request", NS).get("resumptionToken") == bad
    # a token is bound to its verb
    assert error_codes(harvest(verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]
    assert error_codes(harvest(verb="ListSets", resumptionToken=token)) == ["badResumptionToken"]


def test_an_expired_resumption_token_is_refused(db, settings):
    settings.OAI_PAGE_SIZE = 2
    make_records(5)
    token = token_of(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc")).text
    settings.OAI_TOKEN_LIFETIME = -1
    assert error_codes(harvest(verb="ListIdentifiers", resumptionToken=token)) == ["badResumptionToken"]


# --- Sets and dates ------------------------------------------------------------------------------


def test_a_set_selects_records_of_one_material_type(db):
    books = make_records(3)
    maps = make_records(2, material_type="map", start=T0 + timedelta(hours=1))
    tree = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:map")
    assert identifiers(tree) == [oai_id(r) for r in maps]
    assert {s.text for s in tree.iterfind(".//o:setSpec", NS)} == {"type:map"}
    everything = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="type")
    assert identifiers(everything) == [oai_id(r) for r in books + maps]


def test_a_set_per_public_collection_selects_its_records(db):
    from pustaka.digital.models import Collection, DigitalResource

    journals, hidden = make_records(2), make_records(1, start=T0 + timedelta(hours=1))
    teknik = Collection.objects.create(code="jurnal-teknik", name="Koleksi Jurnal Teknik")
    staff_only = Collection.objects.create(code="arsip-internal", name="Arsip internal", is_public=False)
    for record in journals:
        DigitalResource.objects.create(record=record, kind="ejournal").collections.add(teknik)
    DigitalResource.objects.create(record=hidden[0], kind="ebook").collections.add(staff_only)

    sets = {s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS) for s in
            harvest(verb="ListSets").iterfind(".//o:set", NS)}  # fmt: skip
    assert sets["collection:jurnal-teknik"] == "Koleksi Jurnal Teknik"
    assert "collection:arsip-internal" not in sets

    tree = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="collection:jurnal-teknik")
    assert identifiers(tree) == [oai_id(r) for r in journals]
    specs = [sorted(s.text for s in h.iterfind("o:setSpec", NS)) for h in tree.iterfind(".//o:header", NS)]
    assert specs == [["collection:jurnal-teknik", "type:book"]] * 2
    hidden_set = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="collection:arsip-internal")
    assert error_codes(hidden_set) == ["noRecordsMatch"]  # a staff-only collection is no set


def test_from_and_until_are_inclusive_at_seconds_granularity(db):
    a, b, c = make_records(3, step=timedelta(milliseconds=900))  # 10:00:00.000, 10:00:00.900, 10:00:01.800
    only = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
    assert identifiers(harvest(**only, until="2024-03-01T10:00:00Z")) == [oai_id(a), oai_id(b)]
    assert identifiers(harvest(**only, **{"from": "2024-03-01T10:00:01Z"})) == [oai_id(c)]
    assert identifiers(harvest(**only, **{"from": "2024-03-01T10:00:00Z", "until": "2024-03-01T10:00:00Z"})) == [
        oai_id(a),
        oai_id(b),
    ]
    datestamps = [d.text for d in harvest(**only).iterfind(".//o:datestamp", NS)]
    assert datestamps == ["2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", "2024-03-01T10:00:01Z"]


def test_day_granularity_covers_the_whole_day(db):
    a, b, c = make_records(3, start=datetime(2024, 3, 1, 23, 59, 59, tzinfo=UTC), step=timedelta(seconds=1))
    only = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
    assert identifiers(harvest(**only, until="2024-03-01")) == [oai_id(a)]
    assert identifiers(harvest(**only, **{"from": "2024-03-02", "until": "2024-03-02"})) == [oai_id(b), oai_id(c)]
    request = harvest(**only, **{"from": "2024-03-02"}).find("o:request", NS)
    assert request.get("from") == "2024-03-02"


# --- Deleted and suppressed records --------------------------------------------------------------


def test_a_deleted_record_keeps_being_reported_as_deleted(librarian):
    keep, gone = make_records(2)
    gone_id = gone.pk
    delete_record(record=gone, actor=librarian)
    gone = gone_id  # the identifier outlives the row
    assert DeletedRecord.objects.filter(record_id=gone, material_type="book").exists()

    tree = harvest(verb="ListRecords", metadataPrefix="oai_dc")
    records = tree.findall(".//o:record", NS)
    assert identifiers(tree) == [oai_id(keep), oai_id(gone)]
    assert records[1].find("o:header", NS).get("status") == "deleted"
    assert records[1].find("o:metadata", NS) is None

    single = harvest(verb="GetRecord", identifier=oai_id(gone), metadataPrefix="marc21")
    assert single.find(".//o:header", NS).get("status") == "deleted"
    assert single.findtext(".//o:header/o:setSpec", namespaces=NS) == "type:book"
    by_set = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:book")
    assert oai_id(gone) in identifiers(by_set)


def test_a_suppressed_record_is_reported_as_deleted_without_its_metadata(librarian):
    (record,) = make_records(1)
    update_record(record=record, actor=librarian, is_suppressed=True)
    tree = harvest(verb="GetRecord", identifier=oai_id(record), metadataPrefix="oai_dc")
    assert tree.find(".//o:header", NS).get("status") == "deleted"
    assert tree.find(".//o:metadata", NS) is None
    assert b"Buku" not in etree.tostring(tree)


# --- Paging --------------------------------------------------------------------------------------


def _full_harvest(client, verb, first_params, between_pages=None):
    tree = harvest(client, verb=verb, **first_params)
    seen, pages = identifiers(tree), [tree]
    while (token := token_of(tree)) is not None and token.text:
        if between_pages:
            between_pages(len(pages))
        tree = harvest(Client(), verb=verb, resumptionToken=token.text)
        seen += identifiers(tree)
        pages.append(tree)
    return seen, pages


def test_a_paged_harvest_is_complete_with_cursor_and_list_size(db, settings):
    settings.OAI_PAGE_SIZE = 3
    records = make_records(8)
    seen, pages = _full_harvest(Client(), "ListRecords", {"metadataPrefix": "marc21"})
    assert seen == [oai_id(r) for r in records]
    tokens = [token_of(p) for p in pages]
    assert [t.get("cursor") for t in tokens] == ["0", "3", "6"]
    assert {t.get("completeListSize") for t in tokens} == {"8"}
    assert tokens[-1].text is None  # the last page ends the list with an empty token
    assert pages[1].find("o:request", NS).attrib.keys() == ["verb", "resumptionToken"]


def test_a_harvest_while_records_change_has_no_duplicates_and_skips_none_unchanged(librarian, settings):
    settings.OAI_PAGE_SIZE = 4
    records = make_records(12)
    started = datetime.now(UTC)
    harvested_early, edited_late = records[1], records[9]

    def edit(page_number):
        if page_number == 1:  # after the first page: edit one record already sent and one still to come
            update_record(record=harvested_early, actor=librarian, title="Judul baru")
            update_record(record=edited_late, actor=librarian, title="Judul lain")

    seen, _ = _full_harvest(Client(), "ListIdentifiers", {"metadataPrefix": "oai_dc"}, between_pages=edit)
    assert len(seen) == len(set(seen))
    unchanged = [oai_id(r) for r in records if r not in (harvested_early, edited_late)]
    assert set(unchanged) <= set(seen)
    # the next incremental harvest picks both edits up
    since = (started - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    later = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": since})
    assert set(identifiers(later)) == {oai_id(harvested_early), oai_id(edited_late)}


def test_a_resumption_token_survives_a_server_restart(db, settings):
    settings.OAI_PAGE_SIZE = 2
    records = make_records(3)
    token = token_of(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:book")).text
    # a "restart": the token carries the whole harvest state, signed with the persistent secret key; nothing
    # is kept in the server's memory, so a fresh client after a fresh process sees the same thing
    tree = harvest(Client(), verb="ListIdentifiers", resumptionToken=token)
    assert identifiers(tree) == [oai_id(records[2])]


# --- Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["oai_dc", "marc21"])
def test_a_page_of_records_takes_the_same_few_queries_however_many_records(
    db, settings, prefix, django_assert_max_num_queries
):
    settings.OAI_PAGE_SIZE = 100
    Library.current()
    make_records(5)
    with CaptureQueriesContext(connection) as few:
        harvest(verb="ListRecords", metadataPrefix=prefix)
    make_records(140, start=T0 + timedelta(days=1))
    # 100 records never sent before take what 5 took (their texts are built and cached in one go),
    # and the two list-size counts once paging starts
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        tree = harvest(verb="ListRecords", metadataPrefix=prefix)
    assert len(tree.findall(".//o:record", NS)) == 100
    # sent again: records, tombstones, collection memberships, the texts from the record cache, the two
    # counts (and one for what other apps add to an export's records, while the page still asks for it)
    with CaptureQueriesContext(connection) as again:
        assert len(harvest(verb="ListRecords", metadataPrefix=prefix).findall(".//o:record", NS)) == 100
    assert len(again.captured_queries) <= 4 + 2 + 1
    # later pages reuse the list size carried in the token: no counting again
    with django_assert_max_num_queries(len(few.captured_queries)):
        rest = harvest(verb="ListRecords", resumptionToken=token_of(tree).text)
    assert len(rest.findall(".//o:record", NS)) == 45
    assert token_of(rest).get("completeListSize") == "145"


def test_the_schema_check_is_strict_about_metadata(record):
    """Guard for the tests themselves: a payload outside its metadata schema fails validation."""
    tree = harvest(verb="GetRecord", identifier=oai_id(record), metadataPrefix="oai_dc")
    dc = tree.find(".//{http://www.openarchives.org/OAI/2.0/oai_dc/}dc")
    etree.SubElement(dc, "{http://purl.org/dc/elements/1.1/}colour").text = "blue"
    assert not schema().validate(tree)


def test_characters_xml_cannot_carry_are_a_bad_argument_not_a_crash(record):
    tree = harvest(verb="GetRecord", identifier="oai:testserver:\x01", metadataPrefix="oai_dc")
    assert error_codes(tree) == ["badArgument"]
    tree = harvest(verb="ListIdentifiers", resumptionToken="\x00abc")
    assert error_codes(tree) == ["badArgument"]


def test_an_identifier_with_spaces_is_unknown_and_not_echoed(db):
    tree = harvest(verb="GetRecord", identifier="oai:testserver:1 2", metadataPrefix="oai_dc")
    assert error_codes(tree) == ["idDoesNotExist"]
    assert tree.find("o:request", NS).get("identifier") is None


def test_anyone_may_harvest_and_other_methods_are_refused(db, client, patron_user):
    assert error_codes(harvest(client, verb="Nothing")) == ["badVerb"]
    client.force_login(patron_user)
    assert harvest(client, verb="Identify").find("o:Identify", NS) is not None
    assert client.put("/oai?verb=Identify").status_code == 405


def test_records_sharing_one_datestamp_are_paged_by_id_without_loss(db, settings):
    settings.OAI_PAGE_SIZE = 2
    records = make_records(5, step=timedelta(0))
    seen, _ = _full_harvest(Client(), "ListIdentifiers", {"metadataPrefix": "oai_dc"})
    assert seen == [oai_id(r) for r in records]


def test_another_set_provider_plugs_in_for_collections(db, monkeypatch):
    """The extension point collections (issue 4) will use: a provider adds sets, filters and header setSpecs."""
    from django.db.models import Q

    first, second = make_records(2)

    class Favourites:
        def list_sets(self):
            return [("collection", "Collections"), ("collection:fav", "Favourites")]

        def handles(self, spec):
            return spec.startswith("collection")

        def known(self, spec):
            return spec in ("collection", "collection:fav")

        def record_filter(self, spec):
            return Q(pk=first.pk)

        def deleted_filter(self, spec):
            return Q(pk__in=[])

        def set_specs(self, entries):
            return {e.record_id: ["collection:fav"] for e in entries if e.record_id == first.pk}

    monkeypatch.setattr(views, "SET_PROVIDERS", [*views.SET_PROVIDERS, Favourites()])
    assert "collection:fav" in [s.text for s in harvest(verb="ListSets").iterfind(".//o:setSpec", NS)]
    tree = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="collection:fav")
    assert identifiers(tree) == [oai_id(first)]
    assert [s.text for s in tree.iterfind(".//o:setSpec", NS)] == ["type:book", "collection:fav"]


def test_identify_describes_the_identifier_scheme_when_the_repository_has_a_domain_name(db, settings):
    settings.OAI_REPOSITORY_ID = "perpustakaan.example.id"
    tree = harvest(verb="Identify")
    ns = {"i": "http://www.openarchives.org/OAI/2.0/oai-identifier"}
    assert tree.findtext(".//i:repositoryIdentifier", namespaces=ns) == "perpustakaan.example.id"
    assert tree.findtext(".//i:sampleIdentifier", namespaces=ns) == "oai:perpustakaan.example.id:1"
    settings.OAI_REPOSITORY_ID = "localhost"
    assert harvest(verb="Identify").find(".//o:description", NS) is None


def test_a_token_whose_set_has_gone_away_is_refused_not_a_crash(db, settings, monkeypatch):
    settings.OAI_PAGE_SIZE = 1
    make_records(2)
    token = token_of(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:book")).text
    monkeypatch.setattr(views.MaterialTypeSets, "known", lambda self, spec: False)
    assert error_codes(harvest(verb="ListIdentifiers", resumptionToken=token)) == ["badResumptionToken"]
