"""API: /help-requests — who may call what, errors naming the field, and the list's query count."""

import pytest
from django.core import mail

from pustaka.core.tests.api_client import ApiClient
from pustaka.reference.models import HelpRequest

pytestmark = pytest.mark.django_db


def api(user=None):
    return ApiClient.as_user(user) if user is not None else ApiClient()


def test_help_request_lifecycle_through_the_api(
    circulation, librarian, patron, record, django_capture_on_commit_callbacks
):
    asked = api(patron.user).post("/help-requests", {"question": "Where?", "record": record.pk})
    assert asked.status_code == 201 and asked.json()["card_number"] == "P0001"
    pk = asked.json()["id"]
    client = api(circulation)
    assert client.post(f"/help-requests/{pk}/assign", {"assignee": "librarian-user"}).json()["assigned_to"] == (
        "librarian-user"
    )
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(f"/help-requests/{pk}/answer", {"answer": "Shelf 005."})
    assert answered.json()["status"] == "answered" and answered.json()["response_seconds"] >= 0
    assert answered.json()["answers"][0]["body"] == "Shelf 005."
    assert mail.outbox[0].to == ["siti@example.org"]
    assert client.post(f"/help-requests/{pk}/close").json()["status"] == "closed"
    refused = client.post(f"/help-requests/{pk}/answer", {"answer": "Late"})
    assert refused.status_code == 409 and refused.json()["code"] == "help_request_closed"


def test_help_requests_are_for_staff_with_the_permission(patron, help_request, technician):
    client = api(patron.user)
    assert client.get("/help-requests").status_code == 403
    assert client.post(f"/help-requests/{help_request.pk}/answer", {"answer": "x"}).status_code == 403
    assert api().get("/help-requests").status_code == 401


def test_help_request_bad_fields_are_named(circulation, help_request):
    client = api(circulation)
    assert client.post(f"/help-requests/{help_request.pk}/assign", {"assignee": "nobody"}).json()["field"] == "assignee"
    assert client.post(f"/help-requests/{help_request.pk}/answer", {"answer": ""}).json()["field"] == "answer"
    assert client.post("/help-requests", {"question": "x", "record": 99999}).json()["field"] == "record"
    assert client.post("/help-requests", {"question": "x" * 2001}).json()["field"] == "question"


def test_help_request_list_in_few_queries(circulation, django_assert_max_num_queries):
    from django.utils import timezone

    for n in range(10):
        HelpRequest.objects.create(name=f"N{n}", email="n@example.org", question=f"Q{n}", asked_at=timezone.now())
    client = api(circulation)
    with django_assert_max_num_queries(8):
        response = client.get("/help-requests", {"status": "open"})
    assert response.json()["count"] == 10
