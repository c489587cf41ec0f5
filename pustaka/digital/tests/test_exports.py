"""Records that carry everything: the MARC, MARCXML, Dublin Core and OAI-PMH exports of an e-book under a
licence, a skripsi with its PDF and supervisor, and a software package hold each resource's location
(856 $u $q $y $z), the software's version and platform (250, 538), the RDA content, media and carrier
types (336-338) and the thesis's dissertation note (502) and advisor (700 $4 ths); read back with pymarc
and lxml."""

import io

import pymarc
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from pustaka.catalog import actions as catalog_actions
from pustaka.catalog.models import Record
from pustaka.core.models import Library
from pustaka.digital.actions.ingest import ingest_file
from pustaka.digital.actions.licences import create_licence
from pustaka.digital.actions.resources import create_resource
from pustaka.digital.models import ResourceFile

from .conftest import ebook

DC = "http://purl.org/dc/elements/1.1/"
OAI = "http://www.openarchives.org/OAI/2.0/"
MARC = "http://www.loc.gov/MARC21/slim"
NS = {"dc": DC, "o": OAI, "m": MARC}
RESTRICTED = "Restricted by licence (Lisensi Gramedia Digital): library members only"


@pytest.fixture
def restricted(db):
    return create_licence(actor=None, name="Lisensi Gramedia Digital", vendor="Gramedia")


@pytest.fixture
def open_access(db):
    return create_licence(actor=None, name="Repositori terbuka", is_open_access=True)


@pytest.fixture
def ebook_record(restricted):
    """An English e-book (EPUB) whose licence lets only the library's members read it."""
    record = catalog_actions.create_record(actor=None, material_type="ebook", title="A Christmas tale", language="eng")
    ingest_file(source=ebook("eng.epub"), original_name="eng.epub", actor=None, record=record, licence=restricted)
    return record


@pytest.fixture
def thesis(open_access):
    """A skripsi with its supervisor, a printed copy's description and its PDF in open access."""
    record = catalog_actions.create_record(
        actor=None,
        material_type="thesis",
        title="Sistem informasi perpustakaan sekolah berbasis web",
        contributors=[
            {"name": "Putri, Ayu Lestari", "role": "author"},
            {"name": "Wibowo, Agus", "role": "thesis_advisor"},
        ],
        place="Yogyakarta",
        year=2024,
        language="ind",
        thesis_kind="skripsi",
        degree="Sarjana Komputer (S.Kom.)",
        degree_institution="Universitas Gadjah Mada",
        degree_year=2024,
    )
    ingest_file(
        source=ebook("metadata.pdf"), original_name="skripsi.pdf", actor=None, record=record, licence=open_access
    )
    return record


@pytest.fixture
def software(restricted, installer):
    """A software package: version, platform, a programmer and a developer, its installer."""
    record = catalog_actions.create_record(
        actor=None,
        material_type="software",
        title="Katalog offline",
        contributors=[
            {"name": "Santoso, Budi", "role": "programmer"},
            {"name": "Lestari, Dewi", "role": "developer"},
        ],
        year=2026,
    )
    resource = create_resource(
        record=record, kind="software", actor=None, version="2.1.0", platform="Windows 10 or later", licence=restricted
    )
    ingest_file(source=installer, original_name="setup.exe", actor=None, resource=resource, role="installer")
    return record


def exports(client, librarian, record) -> dict:
    """The record as the staff download gives it (MARC, MARCXML, DC) and as OAI-PMH gives it (oai_dc, marc21)."""
    client.force_login(librarian)
    got = {}
    response = client.get(f"/staff/catalog/{record.pk}/export/marc/")
    assert response.status_code == 200
    got["marc"] = next(pymarc.MARCReader(io.BytesIO(response.content), to_unicode=True, force_utf8=True))
    response = client.get(f"/staff/catalog/{record.pk}/export/marcxml/")
    got["marcxml"] = pymarc.parse_xml_to_array(io.BytesIO(response.content))[0]
    response = client.get(f"/staff/catalog/{record.pk}/export/dc/")
    got["dc"] = etree.fromstring(response.content)
    client.logout()
    for prefix in ("oai_dc", "marc21"):
        response = client.get(
            "/oai", {"verb": "GetRecord", "identifier": f"oai:testserver:{record.pk}", "metadataPrefix": prefix}
        )
        tree = etree.fromstring(response.content)
        assert tree.find(".//o:error", NS) is None, response.content
        metadata = tree.find(".//o:metadata", NS)[0]
        if prefix == "oai_dc":
            got["oai_dc"] = metadata
        else:
            collection = f'<collection xmlns="{MARC}">{etree.tostring(metadata).decode()}</collection>'
            got["oai_marc"] = pymarc.parse_xml_to_array(io.BytesIO(collection.encode()))[0]
    return got


def marc_records(got) -> list[pymarc.Record]:
    return [got["marc"], got["marcxml"], got["oai_marc"]]


def dc_values(element, name) -> list[str]:
    return [e.text for e in element.findall(f"dc:{name}", NS)]


def rda(rec, tag) -> list[tuple[str, str, str]]:
    return [tuple(f.get_subfields("a", "b", "2")) for f in rec.get_fields(tag)]


def file_url(record) -> str:
    link = ResourceFile.objects.get(resource__record=record, role__in=["content", "installer"])
    action = "download" if link.role == "installer" else ""
    return f"http://testserver/digital/{link.resource_id}/files/{link.pk}/" + (f"{action}/" if action else "")


def test_an_ebook_under_licence_carries_its_location_access_note_and_online_carrier(client, librarian, ebook_record):
    got = exports(client, librarian, ebook_record)
    url = file_url(ebook_record)

    for rec in marc_records(got):
        (link,) = rec.get_fields("856")
        assert link.indicators == pymarc.Indicators("4", "0")  # the resource itself
        assert link.get_subfields("u") == [url]
        assert link.get_subfields("q") == ["application/epub+zip"]
        assert link.get_subfields("y")[0].startswith("Full text (")
        assert link.get_subfields("z") == [RESTRICTED]
        assert rda(rec, "336") == [("text", "txt", "rdacontent")]
        assert rda(rec, "337") == [("computer", "c", "rdamedia")]
        assert rda(rec, "338") == [("online resource", "cr", "rdacarrier")]
    for dc in (got["dc"], got["oai_dc"]):
        assert url in dc_values(dc, "identifier")
        assert dc_values(dc, "rights") == [RESTRICTED]
        assert {"application/epub+zip", "computer", "online resource"} <= set(dc_values(dc, "format"))
        assert dc_values(dc, "type") == ["Text", "text"]


def test_a_skripsi_carries_its_dissertation_note_supervisor_and_open_pdf(client, librarian, thesis):
    got = exports(client, librarian, thesis)
    url = file_url(thesis)

    for rec in marc_records(got):
        assert rec["502"].get_subfields("g", "b", "c", "d") == [
            "Skripsi",
            "Sarjana Komputer (S.Kom.)",
            "Universitas Gadjah Mada",
            "2024",
        ]
        advisor = rec.get_fields("700")[0]
        assert advisor.get_subfields("a", "e", "4") == ["Wibowo, Agus,", "thesis advisor.", "ths"]
        assert rec["008"].data[24] == "m"  # nature of contents: theses
        (link,) = rec.get_fields("856")
        assert link.indicators == pymarc.Indicators("4", "1")  # an online version of the thesis
        assert link.get_subfields("u", "q", "z") == [url, "application/pdf", "Open access"]
        assert rda(rec, "336") == [("text", "txt", "rdacontent")]
        assert rda(rec, "337") == [("unmediated", "n", "rdamedia"), ("computer", "c", "rdamedia")]
        assert rda(rec, "338") == [("volume", "nc", "rdacarrier"), ("online resource", "cr", "rdacarrier")]
    for dc in (got["dc"], got["oai_dc"]):
        assert "Thesis" in dc_values(dc, "type")
        assert "Skripsi, Sarjana Komputer (S.Kom.) -- Universitas Gadjah Mada, 2024" in dc_values(dc, "description")
        assert dc_values(dc, "contributor") == ["Wibowo, Agus"]
        assert dc_values(dc, "rights") == ["Open access"]
        assert url in dc_values(dc, "identifier")
        assert {"volume", "online resource"} <= set(dc_values(dc, "format"))


def test_software_carries_its_version_platform_roles_installer_and_program_content(client, librarian, software):
    got = exports(client, librarian, software)
    url = file_url(software)

    for rec in marc_records(got):
        assert rec["250"].get_subfields("a") == ["Version 2.1.0"]
        assert rec["538"].get_subfields("a") == ["Platform: Windows 10 or later"]
        assert rec["100"].get_subfields("a", "e", "4") == ["Santoso, Budi,", "programmer.", "prg"]
        # the LoC relator list has no developer code: the term alone
        assert rec["700"].get_subfields("a", "e", "4") == ["Lestari, Dewi,", "developer."]
        (link,) = rec.get_fields("856")
        assert link.get_subfields("u") == [url]
        assert link.get_subfields("y")[0].startswith("Installer (")
        assert link.get_subfields("z") == [RESTRICTED]
        assert rda(rec, "336") == [("computer program", "cop", "rdacontent")]
        assert rda(rec, "337") == [("computer", "c", "rdamedia")]
        assert rda(rec, "338") == [("online resource", "cr", "rdacarrier")]
        assert rec.leader[6] == "m"  # computer file
    for dc in (got["dc"], got["oai_dc"]):
        assert dc_values(dc, "type") == ["Software", "computer program"]
        assert {"Version 2.1.0", "Platform: Windows 10 or later"} <= set(dc_values(dc, "description"))
        assert url in dc_values(dc, "identifier")
        assert dc_values(dc, "creator") == ["Santoso, Budi"]


@pytest.mark.library_language("id")
def test_the_access_note_and_link_text_are_in_indonesian_for_an_indonesian_harvester(client, thesis):
    response = client.get(
        "/oai",
        {"verb": "GetRecord", "identifier": f"oai:testserver:{thesis.pk}", "metadataPrefix": "oai_dc"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    tree = etree.fromstring(response.content)
    assert [e.text for e in tree.iter(f"{{{DC}}}rights")] == ["Akses terbuka"]


def test_a_resource_taken_offline_leaves_the_export(client, librarian, ebook_record):
    ebook_record.digital_resources.update(is_active=False)
    got = exports(client, librarian, ebook_record)
    assert not got["marc"].get_fields("856")
    assert got["dc"].find("dc:rights", NS) is None


def test_an_imported_record_keeps_its_own_links_and_gains_the_librarys(client, librarian, restricted, tmp_path):
    rec = pymarc.Record(leader="00000nam a2200000 a 4500")
    rec.add_field(pymarc.Field("001", data="imp-1"))
    rec.add_field(pymarc.Field("245", pymarc.Indicators("0", "0"), [pymarc.Subfield("a", "Kumpulan cerita.")]))
    rec.add_field(
        pymarc.Field("856", pymarc.Indicators("4", "2"), [pymarc.Subfield("u", "http://example.org/toc.html")])
    )
    source = tmp_path / "one.mrc"
    source.write_bytes(rec.as_marc())
    catalog_actions.import_marc(source=source, actor=None)
    record = Record.objects.get(control_number="imp-1")
    create_resource(record=record, kind="ebook", actor=None, remote_url="https://e.example.org/1", licence=restricted)

    got = exports(client, librarian, record)
    for exported in marc_records(got):
        links = [f.get_subfields("u")[0] for f in exported.get_fields("856")]
        assert links[0] == "http://example.org/toc.html"
        assert links[1].startswith("http://testserver/digital/") and links[1].endswith("/link/")


def test_a_harvest_page_of_digital_records_costs_the_same_queries_however_many(client, db, open_access, settings):
    settings.OAI_PAGE_SIZE = 100
    Library.current()

    def add(count):
        for i in range(count):
            record = catalog_actions.create_record(actor=None, material_type="ebook", title=f"Buku {i}")
            create_resource(record=record, kind="ebook", actor=None, remote_url=f"https://e.example.org/{i}")

    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "marc21"})
    add(20)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "marc21"})
    assert response.content.count(b'tag="856"') == 22
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_licence_changed_or_assigned_changes_the_harvested_access_note_at_once(client, librarian, ebook_record):
    from pustaka.digital.actions.licences import assign_licence, update_licence

    assert dc_values(exports(client, librarian, ebook_record)["oai_dc"], "rights") == [RESTRICTED]  # now cached
    update_licence(licence=ebook_record.digital_resources.get().licence, actor=None, name="Lisensi Baru")
    renamed = RESTRICTED.replace("Lisensi Gramedia Digital", "Lisensi Baru")
    assert dc_values(exports(client, librarian, ebook_record)["oai_dc"], "rights") == [renamed]

    opened = create_licence(actor=None, name="Terbuka", is_open_access=True)
    assign_licence(resource=ebook_record.digital_resources.get(), licence=opened, actor=None)
    got = exports(client, librarian, ebook_record)
    assert dc_values(got["oai_dc"], "rights") == ["Open access"]
    assert got["oai_marc"].get_fields("856")[0].get_subfields("z") == ["Open access"]
