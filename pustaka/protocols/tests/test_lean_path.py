"""The protocol endpoints answer on the lean path: no session, no cookies, the language asked for."""

import pytest
from django.test import Client

from pustaka.catalog.models import Record
from pustaka.protocols.lean import is_lean

PROTOCOL_URLS = [
    "/sru",
    "/sru?operation=searchRetrieve&version=1.2&query=buku",
    "/oai?verb=Identify",
    "/oai?verb=ListRecords&metadataPrefix=oai_dc",
    "/opds",
    "/opds/",
    "/opds/new",
    "/opds/search?q=buku",
]


def test_only_the_protocol_feeds_take_the_lean_path():
    assert all(is_lean(url.split("?")[0]) for url in PROTOCOL_URLS)
    assert not is_lean("/opds/download/1/2")  # a download may need the browser's session
    for url in ("/", "/search/", "/staff/", "/srux", "/oaipmh", "/api/v1/openapi.json"):
        assert not is_lean(url)


@pytest.mark.parametrize("url", PROTOCOL_URLS)
def test_a_protocol_answer_sets_no_cookie_even_for_a_logged_in_browser(db, url, patron_user):
    Record.objects.create(title="Buku sejarah")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(patron_user)
    session_before = client.cookies["sessionid"].value
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies  # no session, CSRF or language cookie
    assert "Cookie" not in response.get("Vary", "")
    assert client.cookies["sessionid"].value == session_before
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Length"] == str(len(response.content))


def test_an_anonymous_harvester_gets_no_cookie(db):
    response = Client().get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert response.status_code == 200
    assert not response.cookies


def test_oai_pmh_errors_come_in_the_language_the_harvester_asks_for(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="id").get("/oai", {"verb": "Nonsense"})
    assert response["Content-Language"] == "id"
    assert "Accept-Language" in response["Vary"]
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/oai", {"verb": "Nonsense"})
    assert english["Content-Language"] == "en"
    assert b"The verb is missing, repeated or not an OAI-PMH verb." in english.content
    assert english.content != response.content  # the Indonesian message


def test_opds_feed_titles_follow_the_language_asked_for(db):
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/opds")
    indonesian = Client(HTTP_ACCEPT_LANGUAGE="id").get("/opds")
    assert b"New titles" in english.content
    assert b"New titles" not in indonesian.content
    assert indonesian["Content-Language"] == "id"


def test_a_path_the_urls_do_not_know_still_gets_the_ordinary_answer(db):
    response = Client().get("/oai/")
    assert response.status_code == 404


def test_the_sru_post_still_needs_no_csrf_token(db):
    response = Client(enforce_csrf_checks=True).post("/sru", {"operation": "explain"})
    assert response.status_code == 200
    assert not response.cookies


def test_other_methods_are_still_refused_on_the_lean_path(db):
    assert Client().put("/sru").status_code == 405
    assert Client().post("/opds/new").status_code == 405
