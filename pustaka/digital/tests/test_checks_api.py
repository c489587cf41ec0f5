"""The fixity-checks and link-checks API: lists with filters, starting checks, who may call them."""

import pytest
from django.utils import timezone

from pustaka.core.tests.api_client import ApiClient
from pustaka.digital.choices import CheckOutcome
from pustaka.digital.models import FixityCheck, LinkCheck

from .preservation_fixtures import *  # noqa: F403
from .preservation_fixtures import flip_a_byte

PDF = b"%PDF-1.7\n" + b"api " * 1000


def test_it_manager_starts_a_fixity_run_for_some_files_and_lists_the_checks(it_manager, make_stored_file):
    good = make_stored_file(PDF, name="baik.pdf")
    bad = make_stored_file(b"will be damaged" * 10, name="rusak.pdf")
    flip_a_byte(bad)
    api = ApiClient.as_user(it_manager)

    started = api.post("/fixity-checks", {"files": [good.pk, bad.pk]})
    assert started.status_code == 200, started.content
    body = started.json()
    assert body["queued"] is False and (body["checked"], body["ok"], body["changed"]) == (2, 1, 1)
    assert {c["outcome"] for c in body["checks"]} == {"ok", "changed"}

    changed = api.get("/fixity-checks", {"outcome": "changed"}).json()
    assert changed["count"] == 1
    item = changed["items"][0]
    assert item["sha256"] == bad.sha256 and item["original_name"] == "rusak.pdf" and item["file_state"] == "changed"
    assert item["found_sha256"] and item["found_sha256"] != bad.sha256
    assert api.get("/fixity-checks", {"file": good.pk}).json()["count"] == 1
    assert api.get("/fixity-checks", {"sha256": good.sha256}).json()["count"] == 1


def test_many_files_go_to_the_worker(it_manager, make_stored_file):
    files = [make_stored_file(f"file {n}".encode()) for n in range(21)]
    response = ApiClient.as_user(it_manager).post("/fixity-checks", {"files": [f.pk for f in files]})
    assert response.status_code == 202
    assert response.json()["queued"] is True and response.json()["files"] == 21


def test_unknown_files_and_bad_filters_are_refused(it_manager, make_stored_file):
    api = ApiClient.as_user(it_manager)
    unknown = api.post("/fixity-checks", {"files": [999999]})
    assert unknown.status_code == 404 and unknown.json()["code"] == "stored_file_not_found"
    assert "999999" in unknown.json()["message"]
    assert api.post("/fixity-checks", {"files": []}).status_code == 400
    assert api.post("/fixity-checks", {"files": [1], "extra": 1}).status_code == 400
    assert api.get("/fixity-checks", {"outcome": "nonsense"}).status_code == 400
    assert not FixityCheck.objects.exists()


def test_fixity_list_query_count(it_manager, make_stored_file, django_assert_max_num_queries):
    for n in range(30):
        stored = make_stored_file(f"f{n}".encode())
        FixityCheck.objects.create(file=stored, checked_at=timezone.now(), outcome="ok", found_sha256=stored.sha256)
    api = ApiClient.as_user(it_manager)
    with django_assert_max_num_queries(8):
        response = api.get("/fixity-checks", {"page_size": 30})
    assert len(response.json()["items"]) == 30


def test_check_a_link_now_and_list_link_checks(it_manager, link_server, make_linked, django_assert_max_num_queries):
    moved = make_linked(link_server.url("/moved"))
    api = ApiClient.as_user(it_manager)

    created = api.post("/link-checks", {"resource": moved.pk})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["outcome"] == "redirected" and body["final_url"] == link_server.url("/ok")
    assert body["redirects"] == [[301, link_server.url("/ok")]]

    for n in range(20):
        other = make_linked(f"http://journal{n}.example/")
        LinkCheck.objects.create(
            resource=other, url=other.remote_url, checked_at=timezone.now(), outcome="broken", status_code=404
        )
    with django_assert_max_num_queries(8):
        listed = api.get("/link-checks", {"page_size": 50})
    assert listed.json()["count"] == 21
    assert api.get("/link-checks", {"outcome": "broken"}).json()["count"] == 20
    assert api.get("/link-checks", {"resource": moved.pk}).json()["count"] == 1


def test_a_link_check_of_a_resource_without_a_link_or_unknown_is_refused(it_manager, make_linked):
    api = ApiClient.as_user(it_manager)
    no_link = make_linked("")
    refused = api.post("/link-checks", {"resource": no_link.pk})
    assert refused.status_code == 400 and refused.json()["code"] == "no_link"
    assert api.post("/link-checks", {"resource": 999999}).status_code == 404
    assert not LinkCheck.objects.exists()


@pytest.mark.parametrize("path", ["/fixity-checks", "/link-checks"])
def test_anonymous_gets_401(db, path):
    assert ApiClient().get(path).status_code == 401


@pytest.mark.parametrize("path", ["/fixity-checks", "/link-checks"])
def test_a_patron_gets_403(patron_user, path):
    api = ApiClient.as_user(patron_user)
    assert api.get(path).status_code == 403


@pytest.mark.parametrize("role", ["librarian", "technician", "circulation", "senior_technician"])
def test_other_staff_roles_get_403(make_staff, make_stored_file, make_linked, role):
    stored = make_stored_file(PDF)
    resource = make_linked("http://127.0.0.1:9/")
    api = ApiClient.as_user(make_staff(role))
    assert api.get("/fixity-checks").status_code == 403
    assert api.get("/link-checks").status_code == 403
    assert api.post("/fixity-checks", {"files": [stored.pk]}).status_code == 403
    assert api.post("/link-checks", {"resource": resource.pk}).status_code == 403
    assert not FixityCheck.objects.exists() and not LinkCheck.objects.exists()


def test_administrator_may_use_the_checks_api(administrator, make_stored_file):
    stored = make_stored_file(PDF)
    api = ApiClient.as_user(administrator)
    assert api.post("/fixity-checks", {"files": [stored.pk]}).json()["ok"] == 1
    assert api.get("/fixity-checks").json()["items"][0]["outcome"] == CheckOutcome.OK
