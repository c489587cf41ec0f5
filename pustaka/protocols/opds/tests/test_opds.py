"""OPDS 1.2: well-formed feeds with the right namespaces and types, paging, covers, acquisition links,
search, and HTTP Basic for restricted downloads."""

import base64

import pytest
from lxml import etree

from pustaka.catalog.models import Record
from pustaka.digital.models import AccessEvent, Collection
from pustaka.digital.tests.epub_sample import PNG
from pustaka.digital.tests.fixtures_access import *  # noqa: F403

NS = {"a": "http://www.w3.org/2005/Atom", "os": "http://a9.com/-/spec/opensearch/1.1/",
      "dc": "http://purl.org/dc/terms/"}  # fmt: skip
NAV = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQ = "application/atom+xml;profile=opds-catalog;kind=acquisition"


def feed(client, path, kind=ACQ, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == kind
    root = etree.fromstring(response.content)  # raises unless well-formed
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.nsmap["opds"] == "http://opds-spec.org/2010/catalog"
    assert root.find("a:id", NS) is not None and root.find("a:updated", NS) is not None
    return root


def links(element, rel=None):
    return [link.attrib for link in element.findall("a:link", NS) if rel is None or link.get("rel") == rel]


@pytest.fixture
def library(make_resource, open_licence, licence, make_file):
    """An open-access EPUB with a cover, a restricted PDF, and a read-online-only resource."""
    from pustaka.digital.models import Licence

    book = Record.objects.create(title="Hikayat Hang Tuah", contributors=[{"name": "Anonim", "role": "author"}],
                                 language="msa", subjects=["Sastra Melayu"], year=1900)  # fmt: skip
    open_book = make_resource(open_licence, record=book)
    epub = make_file(open_book, b"PK epub bytes", "application/epub+zip", "hang-tuah.epub")
    cover = make_file(open_book, PNG, "image/png", "cover.png", role="cover")
    closed = make_resource(licence)
    pdf = make_file(closed, b"%PDF-1.4 closed", "application/pdf", "tutup.pdf")
    online = make_resource(Licence.objects.create(name="Online only", download_allowed=False))
    make_file(online, b"%PDF-1.4 online", "application/pdf", "online.pdf")
    return {"open": open_book, "epub": epub, "cover": cover, "closed": closed, "pdf": pdf, "online": online}


def test_root_is_a_navigation_feed(client, library):
    root = feed(client, "/opds", NAV)
    titles = [e.findtext("a:title", namespaces=NS) for e in root.findall("a:entry", NS)]
    assert titles == ["New titles", "By collection", "By subject"]
    assert links(root, "search")[0]["type"] == "application/opensearchdescription+xml"
    assert links(root, "start")[0]["href"] == "/opds/"
    kinds = [links(e, "subsection")[0]["type"] for e in root.findall("a:entry", NS)]
    assert kinds == [ACQ, NAV, NAV]


def test_acquisition_entries_have_covers_and_the_right_acquisition_links(client, library):
    root = feed(client, "/opds/new")
    entries = {e.findtext("a:id", namespaces=NS): e for e in root.findall("a:entry", NS)}
    assert len(entries) == 2  # the read-online-only title has nothing a reader app can fetch
    open_entry = entries[f"urn:pustaka:resource:{library['open'].pk}"]
    assert open_entry.findtext("a:title", namespaces=NS) == "Hikayat Hang Tuah"
    assert open_entry.findtext("a:author/a:name", namespaces=NS) == "Anonim"
    assert open_entry.findtext("dc:language", namespaces=NS) == "msa"
    acquisition = links(open_entry, "http://opds-spec.org/acquisition/open-access")
    assert acquisition == [{"rel": "http://opds-spec.org/acquisition/open-access",
                            "href": f"/opds/download/{library['open'].pk}/{library['epub'].pk}",
                            "type": "application/epub+zip", "length": "13"}]  # fmt: skip
    assert links(open_entry, "http://opds-spec.org/image")[0]["type"] == "image/png"
    assert links(open_entry, "http://opds-spec.org/image/thumbnail")[0]["href"].endswith(f"/{library['cover'].pk}/")
    closed_entry = entries[f"urn:pustaka:resource:{library['closed'].pk}"]
    assert [link["type"] for link in links(closed_entry, "http://opds-spec.org/acquisition")] == ["application/pdf"]
    assert not links(closed_entry, "http://opds-spec.org/acquisition/open-access")
    assert f"urn:pustaka:resource:{library['online'].pk}" not in entries
    assert links(closed_entry, "alternate")[0]["type"] == "text/html"


def test_paging_links(client, make_resource, open_licence, make_file, django_assert_max_num_queries):
    for _n in range(60):
        make_file(make_resource(open_licence), b"%PDF-1.4 sama", "application/pdf", "sama.pdf")
    with django_assert_max_num_queries(6):
        root = feed(client, "/opds/new?page=2")
    assert len(root.findall("a:entry", NS)) == 25
    assert links(root, "first")[0]["href"] == "/opds/new"
    assert links(root, "previous")[0]["href"] == "/opds/new"
    assert links(root, "next")[0]["href"] == "/opds/new?page=3"
    assert links(root, "last")[0]["href"] == "/opds/new?page=3"
    assert root.findtext("os:totalResults", namespaces=NS) == "60"
    assert root.findtext("os:startIndex", namespaces=NS) == "26"
    last = feed(client, "/opds/new?page=3")
    assert len(last.findall("a:entry", NS)) == 10 and not links(last, "next")
    assert feed(client, "/opds/new?page=abc").findtext("os:startIndex", namespaces=NS) == "1"
    assert feed(client, "/opds/new?page=999").findtext("os:startIndex", namespaces=NS) == "51"  # the last page


def test_collections_and_subjects(client, library):
    collection = Collection.objects.create(code="sastra", name="Sastra Klasik")
    Collection.objects.create(code="rahasia", name="Hidden", is_public=False)
    library["open"].collections.add(collection)
    nav = feed(client, "/opds/collections", NAV)
    assert [e.findtext("a:title", namespaces=NS) for e in nav.findall("a:entry", NS)] == ["Sastra Klasik"]
    acquisition = feed(client, links(nav.find("a:entry", NS), "subsection")[0]["href"])
    assert len(acquisition.findall("a:entry", NS)) == 1
    assert client.get("/opds/collections/rahasia").status_code == 404
    subjects = feed(client, "/opds/subjects", NAV)
    titles = [e.findtext("a:title", namespaces=NS) for e in subjects.findall("a:entry", NS)]
    assert "Sastra Melayu" in titles and "Python (Bahasa pemrograman)" in titles
    by_subject = feed(client, "/opds/subject?s=Sastra+Melayu")
    assert [e.findtext("a:title", namespaces=NS) for e in by_subject.findall("a:entry", NS)] == ["Hikayat Hang Tuah"]


def test_opensearch_description_and_search(client, library):
    response = client.get("/opds/search.xml")
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    description = etree.fromstring(response.content)
    url = description.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert url.get("type") == ACQ and "/opds/search?q={searchTerms}" in url.get("template")
    found = feed(client, "/opds/search?q=hang+tuah")
    assert [e.findtext("a:title", namespaces=NS) for e in found.findall("a:entry", NS)] == ["Hikayat Hang Tuah"]
    assert found.findtext("os:totalResults", namespaces=NS) == "1"
    assert feed(client, "/opds/search?q=").findtext("os:totalResults", namespaces=NS) == "0"
    assert feed(client, "/opds/search?q=%00%3C%26").findtext("os:totalResults", namespaces=NS) == "0"


def test_suppressed_records_and_inactive_resources_are_not_listed(client, library):
    library["closed"].record.is_suppressed = True
    library["closed"].record.save()
    library["online"].is_active = False
    library["online"].save()
    root = feed(client, "/opds/new")
    assert [e.findtext("a:id", namespaces=NS) for e in root.findall("a:entry", NS)] == [
        f"urn:pustaka:resource:{library['open'].pk}"
    ]


def basic(username, password):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def test_open_access_downloads_need_no_login(client, library):
    response = client.get(f"/opds/download/{library['open'].pk}/{library['epub'].pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_restricted_download_asks_for_basic_auth_and_accepts_the_card_number(client, library, reader):
    path = f"/opds/download/{library['closed'].pk}/{library['pdf'].pk}"
    response = client.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Basic realm="Pustaka"')
    user = reader("P0101")
    assert client.get(path, **basic("P0101", "wrong")).status_code == 401
    assert client.get(path, HTTP_AUTHORIZATION="Basic !!!notbase64").status_code == 401
    response = client.get(path, **basic("p0101", "secret-pass-1"))  # card numbers are not case-sensitive
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 closed"
    event = AccessEvent.objects.filter(granted=True).get()
    assert event.user == user and event.action == "download"


def test_basic_auth_does_not_open_what_the_licence_refuses(client, library, reader, student_category):
    library["closed"].licence.patron_categories.set([student_category])
    reader("P0102")
    response = client.get(
        f"/opds/download/{library['closed'].pk}/{library['pdf'].pk}", **basic("P0102", "secret-pass-1")
    )
    assert response.status_code == 403
    assert "patron category" in response.content.decode()


def test_opds_download_cannot_reach_another_resources_file(client, library):
    assert client.get(f"/opds/download/{library['open'].pk}/{library['pdf'].pk}").status_code == 404


# Audit fixes ----------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_login_counts():
    """Failed Basic logins are counted in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_basic_auth_accepts_the_patrons_own_username(client, library, make_patron):
    from pustaka.core.models import User

    user = User.objects.create_user(username="dewi.lestari", password="secret-pass-1")
    make_patron("P0201", user=user)
    path = f"/opds/download/{library['closed'].pk}/{library['pdf'].pk}"
    assert client.get(path, **basic("dewi.lestari", "secret-pass-1")).status_code == 200
    assert client.get(path, **basic("P0201", "secret-pass-1")).status_code == 200


@pytest.mark.parametrize("role", ["it_manager", "circulation", "administrator"])
def test_basic_auth_refuses_staff_logins_even_with_the_right_password(client, library, make_staff, role):
    staff = make_staff(role, f"staf-{role}")
    path = f"/opds/download/{library['closed'].pk}/{library['pdf'].pk}"
    response = client.get(path, **basic(staff.username, "test-password-123"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Basic realm="Pustaka"')
    assert not AccessEvent.objects.filter(granted=True).exists()


def test_basic_auth_refuses_a_staff_member_who_is_also_a_patron(client, library, make_staff, make_patron):
    staff = make_staff("circulation", "P0301")
    make_patron("P0301", user=staff)
    path = f"/opds/download/{library['closed'].pk}/{library['pdf'].pk}"
    assert client.get(path, **basic("P0301", "test-password-123")).status_code == 401


def test_five_wrong_passwords_lock_that_card_but_not_another_patron_behind_the_same_address(client, library, reader):
    reader("P0101")
    reader("P0102")
    path = f"/opds/download/{library['closed'].pk}/{library['pdf'].pk}"
    school = {"REMOTE_ADDR": "203.0.113.5"}  # one NAT address for the whole school
    for n in range(4):
        assert client.get(path, **school, **basic("P0101", f"guess-{n}")).status_code == 401
    fifth = client.get(path, **school, **basic("p0101", "guess-4"))  # the card in another letter case
    assert fifth.status_code == 429
    locked = client.get(path, REMOTE_ADDR="198.51.100.9", **basic("P0101", "secret-pass-1"))  # from anywhere
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= 900
    assert "it is locked for 15 minutes" in locked.content.decode()
    assert not AccessEvent.objects.filter(granted=True).exists()
    assert client.get(path, **school, **basic("P0102", "secret-pass-1")).status_code == 200


def test_the_opds_lockout_message_is_in_indonesian_too(client, library, reader, settings):
    settings.AXES_FAILURE_LIMIT = 2
    reader("P0101")
    path = f"/opds/download/{library['closed'].pk}/{library['pdf'].pk}"
    for _n in range(2):
        client.get(path, **basic("P0101", "salah"))
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="id", **basic("P0101", "secret-pass-1"))
    assert response.status_code == 429
    assert "terkunci selama 15 menit" in response.content.decode()


def test_a_right_password_before_the_limit_forgets_the_earlier_failures(client, library, reader):
    reader("P0101")
    path = f"/opds/download/{library['closed'].pk}/{library['pdf'].pk}"
    for _round in range(2):
        for n in range(4):
            assert client.get(path, **basic("P0101", f"guess-{n}")).status_code == 401
        assert client.get(path, **basic("P0101", "secret-pass-1")).status_code == 200


def test_staff_names_and_malformed_headers_over_basic_count_as_failures(client, library, make_staff, settings):
    settings.AXES_FAILURE_LIMIT = 2
    staff = make_staff("circulation", "desk-1")
    path = f"/opds/download/{library['closed'].pk}/{library['pdf'].pk}"
    assert client.get(path, **basic(staff.username, "test-password-123")).status_code == 401
    assert client.get(path, **basic(staff.username, "test-password-123")).status_code == 429  # the second
    assert client.get(path, **basic(staff.username, "test-password-123")).status_code == 429
    assert client.get(path, HTTP_AUTHORIZATION="Basic !!!notbase64").status_code == 401  # no name: no account


def test_many_failures_from_one_address_slow_it_down_without_locking_anyone(
    client, library, reader, settings, monkeypatch
):
    from pustaka.core import login_limits

    delays = []
    monkeypatch.setattr(login_limits, "sleep", delays.append)
    settings.PUSTAKA_LOGIN_ADDRESS_FREE_FAILURES = 3
    reader("P0101")
    path = f"/opds/download/{library['closed'].pk}/{library['pdf'].pk}"
    for name in ("X1", "X2", "X3", "X4", "X5", "X6"):  # a different card each time, one address
        assert client.get(path, REMOTE_ADDR="203.0.113.7", **basic(name, "guess")).status_code == 401
    assert delays == [0.25, 0.5, 1.0]  # held back more and more, never refused
    assert client.get(path, REMOTE_ADDR="203.0.113.7", **basic("P0101", "secret-pass-1")).status_code == 200


def test_control_characters_in_attributes_do_not_break_the_feed(client, make_resource, open_licence, make_file):
    book = Record.objects.create(title="Judul\x01 dengan\x0b kontrol\x1f", subjects=["Sejarah\x02 lokal"])
    make_file(make_resource(open_licence, record=book), b"%PDF-1.4 x", "application/pdf", "kontrol\x07.pdf")
    root = feed(client, "/opds/new")
    entry = root.find("a:entry", NS)
    assert entry.findtext("a:title", namespaces=NS) == "Judul dengan kontrol"
    alternate = links(entry, "alternate")[0]
    assert alternate["title"] == "Judul dengan kontrol"
    assert entry.find("a:category", NS).get("term") == "Sejarah lokal"
    searched = feed(client, "/opds/search?q=Judul%01")  # a control character in the query too
    assert searched.find("a:title", NS) is not None


@pytest.mark.parametrize("path", ["/opds/download/{big}/1", "/opds/download/1/{big}"])
def test_huge_ids_in_opds_downloads_are_not_found(client, library, path):
    assert client.get(path.format(big="9" * 30)).status_code == 404


# Every entry of an acquisition feed can be acquired ----------------------------------------------


ACQUISITION_RELS = ("http://opds-spec.org/acquisition", "http://opds-spec.org/acquisition/open-access")


def test_every_entry_of_an_acquisition_feed_has_an_acquisition_link(
    client, library, make_resource, open_licence, licence, make_file, make_licence
):
    journal = make_resource(licence, kind="ejournal", remote_url="https://journals.example.ac.id/jts")
    database = make_resource(open_licence, kind="database", remote_url="https://db.example.org/")
    damaged = make_resource(open_licence)
    broken = make_file(damaged, b"%PDF-1.4 rusak", "application/pdf", "rusak.pdf")
    broken.file.state = "changed"
    broken.file.save()
    software = make_resource(make_licence("Perangkat lunak bebas", is_open_access=True), kind="software")
    make_file(software, b"MZ program", "application/x-msdownload", "setup.exe", role="content")
    root = feed(client, "/opds/new")
    entries = {e.findtext("a:id", namespaces=NS): e for e in root.findall("a:entry", NS)}
    assert entries
    for entry in entries.values():
        assert [link for link in links(entry) if link["rel"] in ACQUISITION_RELS], entry.findtext("a:id", namespaces=NS)
    for left_out in (journal, database, damaged, library["online"]):
        assert f"urn:pustaka:resource:{left_out.pk}" not in entries
    assert root.findtext("os:totalResults", namespaces=NS) == str(len(entries))
    program = entries[f"urn:pustaka:resource:{software.pk}"]  # a seat to borrow first: not open access
    assert [link["rel"] for link in links(program) if "acquisition" in link["rel"]] == [ACQUISITION_RELS[0]]
    collection = Collection.objects.create(code="jurnal", name="Jurnal")
    journal.collections.add(collection)
    assert not feed(client, "/opds/collections/jurnal").findall("a:entry", NS)
