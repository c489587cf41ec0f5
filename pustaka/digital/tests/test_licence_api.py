"""/api/v1/licences and /api/v1/usage: who may, who may not, validation, query counts."""

import datetime
import json

import pytest
from django.utils import timezone

from pustaka.digital.models import AccessEvent, Licence

from .fixtures_access import *  # noqa: F403


def post(client, path, data, method="post"):
    return getattr(client, method)(path, json.dumps(data), content_type="application/json")


@pytest.fixture
def api_client(client, it_manager):
    client.force_login(it_manager)
    return client


def test_it_manager_creates_lists_and_updates_licences(api_client, student_category):
    response = post(
        api_client,
        "/api/v1/licences",
        {
            "name": "Lisensi Mahasiswa",
            "vendor": "ProQuest",
            "patron_categories": ["STUDENT"],
            "ip_ranges": ["10.0.0.0/8"],
            "concurrent_users": 3,
            "download_allowed": False,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["patron_categories"] == ["STUDENT"] and body["ip_ranges"] == ["10.0.0.0/8"]
    licence_id = body["id"]
    response = post(api_client, f"/api/v1/licences/{licence_id}", {"concurrent_users": 5, "ip_ranges": []}, "patch")
    assert response.status_code == 200
    assert response.json()["concurrent_users"] == 5 and response.json()["ip_ranges"] == []
    assert Licence.objects.get().patron_categories.count() == 1  # not sent: unchanged
    listed = api_client.get("/api/v1/licences").json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "Lisensi Mahasiswa"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "X", "ip_ranges": ["kantor"]}, "ip_ranges"),
        ({"name": "X", "starts_on": "2026-05-01", "ends_on": "2026-01-01"}, "ends_on"),
        ({"name": "X", "patron_categories": ["NOPE"]}, "patron_categories"),
        ({"name": "X", "concurrent_users": 0}, "concurrent_users"),
        ({"name": "X", "surprise": 1}, "surprise"),
    ],
)
def test_bad_licences_get_a_400_naming_the_field(api_client, data, field):
    response = post(api_client, "/api/v1/licences", data)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not Licence.objects.exists()


def test_unknown_licence_is_a_typed_404(api_client):
    response = api_client.get("/api/v1/licences/999999")
    assert response.status_code == 404 and response.json()["code"] == "licence_not_found"


def test_expiring_filter(api_client, make_licence):
    today = timezone.localdate()
    make_licence("Soon", ends_on=today + datetime.timedelta(days=20))
    make_licence("Later", ends_on=today + datetime.timedelta(days=200))
    make_licence("Gone", ends_on=today - datetime.timedelta(days=1))
    names = [row["name"] for row in api_client.get("/api/v1/licences?expiring_within_days=60").json()["items"]]
    assert names == ["Soon"]


def test_licence_list_query_count(
    api_client, make_licence, student_category, patron_category, django_assert_max_num_queries
):
    for n in range(15):
        make_licence(f"L{n:02}", categories=[student_category, patron_category])
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/v1/licences?page_size=100")
    assert response.json()["count"] == 15
    assert response.json()["items"][0]["patron_categories"] == ["PUBLIC", "STUDENT"]


@pytest.mark.parametrize("role", ["librarian", "administrator"])
def test_who_may_read_licences(client, make_staff, role, licence):
    client.force_login(make_staff(role))
    assert client.get("/api/v1/licences").status_code == 200


@pytest.mark.parametrize("role", ["librarian", "circulation", "technician"])
def test_only_it_managers_write_licences(client, make_staff, role, licence):
    client.force_login(make_staff(role))
    assert post(client, "/api/v1/licences", {"name": "X"}).status_code == 403
    assert post(client, f"/api/v1/licences/{licence.pk}", {"name": "Y"}, "patch").status_code == 403
    licence.refresh_from_db()
    assert licence.name != "Y" and Licence.objects.count() == 1


@pytest.mark.parametrize("role", ["circulation", "technician"])
def test_desk_roles_cannot_read_licences_or_usage(client, make_staff, role):
    client.force_login(make_staff(role))
    assert client.get("/api/v1/licences").status_code == 403
    assert client.get("/api/v1/usage").status_code == 403


def test_patrons_and_anonymous_are_refused(client, patron_user, patron, licence):
    assert client.get("/api/v1/licences").status_code == 401
    assert client.get("/api/v1/usage").status_code == 401
    client.force_login(patron_user)
    assert client.get("/api/v1/licences").status_code == 403
    assert client.get(f"/api/v1/licences/{licence.pk}").status_code == 403
    assert client.get("/api/v1/usage").status_code == 403


# Usage ---------------------------------------------------------------------------------------------


def _event(resource, when, action="view", granted=True, reason="", user=None, session="s1"):
    AccessEvent.objects.create(
        resource=resource, action=action, granted=granted, reason=reason, user=user, session_key=session,
        occurred_at=when, ip_address="10.0.0.1",
    )  # fmt: skip


def test_usage_per_resource_and_month(
    client, librarian, resource, make_resource, licence, django_assert_max_num_queries
):
    tz = timezone.get_current_timezone()
    may = datetime.datetime(2026, 5, 10, 9, 0, tzinfo=tz)
    june = datetime.datetime(2026, 6, 2, 14, 0, tzinfo=tz)
    _event(resource, may)
    _event(resource, may + datetime.timedelta(minutes=5))  # same session, same hour: one unique request
    _event(resource, may, "download", session="s2")
    _event(resource, june, granted=False, reason="concurrency")
    _event(resource, june, granted=False, reason="category")
    _event(resource, june, granted=False, reason="login_required")
    other = make_resource(licence)
    for day in range(1, 6):
        _event(other, datetime.datetime(2026, 6, day, 10, tzinfo=tz), session=f"o{day}")
    client.force_login(librarian)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/usage?first=2026-05&last=2026-06").json()
    assert body["first"] == "2026-05" and body["last"] == "2026-06"
    rows = {row["resource_id"]: row for row in body["resources"]}
    may_row, june_row = rows[resource.pk]["months"]
    assert (may_row["views"], may_row["downloads"], may_row["total_item_requests"]) == (2, 1, 3)
    assert may_row["unique_item_requests"] == 2
    assert june_row["refusals"] == {"concurrency": 1, "category": 1, "login_required": 1}
    assert (june_row["limit_exceeded"], june_row["no_license"]) == (1, 1)
    assert rows[other.pk]["months"][1]["total_item_requests"] == 5
    one = client.get(f"/api/v1/usage?first=2026-05&last=2026-06&resource_id={other.pk}").json()
    assert [row["resource_id"] for row in one["resources"]] == [other.pk]


@pytest.mark.parametrize("query", ["first=2026-13", "first=26-01", "first=2026-06&last=2026-01", "resource_id=0"])
def test_bad_usage_filters_are_400(client, librarian, query):
    client.force_login(librarian)
    assert client.get(f"/api/v1/usage?{query}").status_code == 400


@pytest.mark.parametrize(
    "field", ["name", "vendor", "terms", "is_open_access", "patron_categories", "ip_ranges", "download_allowed",
              "embargo_months"],
)  # fmt: skip
def test_patching_null_into_a_field_that_cannot_be_empty_is_a_400_naming_it(api_client, make_licence, field):
    licence = make_licence("Lisensi Tetap", vendor="Gramedia")
    response = post(api_client, f"/api/v1/licences/{licence.pk}", {field: None}, method="patch")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    licence.refresh_from_db()
    assert licence.vendor == "Gramedia" and licence.name == "Lisensi Tetap"


@pytest.mark.parametrize("field", ["starts_on", "ends_on", "concurrent_users", "seats"])
def test_dates_and_limits_can_be_cleared_with_null(api_client, make_licence, field):
    licence = make_licence("Lisensi", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2027, 1, 1),
                           concurrent_users=3, seats=5)  # fmt: skip
    response = post(api_client, f"/api/v1/licences/{licence.pk}", {field: None}, method="patch")
    assert response.status_code == 200, response.content
    assert response.json()[field] is None
