"""The deliveries API: the list with its filters and pages (queries that do not grow), one delivery
with its attempts, retry and cancel (409 for a move the state does not allow), and who may not."""

import pytest

from pustaka.core.tests.api_client import ApiClient
from pustaka.notify.models import Delivery

PATH = "/notices/deliveries"


def test_the_list_is_newest_first_and_filters_by_channel_state_kind_card_and_day(
    circulation, make_delivery, make_patron
):
    api = ApiClient.as_user(circulation)
    old = make_delivery("sent", kind="due_soon", days_ago=5)
    sms = make_delivery("failed", channel="sms", patron=make_patron("P0002"))
    body = api.get(PATH).json()
    assert body["count"] == 2 and [row["id"] for row in body["items"]] == [sms.pk, old.pk]
    row = body["items"][0]
    assert (row["card_number"], row["channel"], row["state"], row["kind"], row["attempts"]) == (
        "P0002",
        "sms",
        "failed",
        "overdue",
        1,
    )
    assert row["last_error"] == "HTTP 503: Service Unavailable"
    assert [r["id"] for r in api.get(PATH, {"channel": "sms"}).json()["items"]] == [sms.pk]
    assert [r["id"] for r in api.get(PATH, {"state": "sent"}).json()["items"]] == [old.pk]
    assert [r["id"] for r in api.get(PATH, {"kind": "due_soon"}).json()["items"]] == [old.pk]
    assert [r["id"] for r in api.get(PATH, {"card": "p0002"}).json()["items"]] == [sms.pk]
    until = old.created_at.date().isoformat()
    assert sms.pk not in [r["id"] for r in api.get(PATH, {"until": until}).json()["items"]]


def test_bad_filters_are_400_naming_the_field(circulation, db):
    api = ApiClient.as_user(circulation)
    assert api.get(PATH, {"channel": "email"}).status_code == 400
    assert api.get(PATH, {"state": "lost"}).status_code == 400
    response = api.get(PATH, {"since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 400
    assert response.json()["code"] == "period_backwards" and response.json()["field"] == "until"


def test_the_list_pages_and_its_queries_do_not_grow(circulation, make_delivery, django_assert_max_num_queries):
    api = ApiClient.as_user(circulation)
    make_delivery("sent")
    with django_assert_max_num_queries(20) as few:
        api.get(PATH)
    for _ in range(24):
        make_delivery("failed")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get(PATH, {"page_size": 10, "page": 2}).json()
    assert (body["count"], body["pages"], len(body["items"])) == (25, 3, 10)


def test_one_delivery_with_its_history_then_retry_and_cancel(
    circulation, make_delivery, outbox, django_capture_on_commit_callbacks
):
    api = ApiClient.as_user(circulation)
    failed, queued = make_delivery("failed"), make_delivery("queued")
    detail = api.get(f"{PATH}/{failed.pk}").json()
    assert detail["text"].startswith("Pemberitahuan") and detail["history"] == []

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{PATH}/{failed.pk}/retry", {"reason": "Coba lagi"})
    assert response.status_code == 200
    history = api.get(f"{PATH}/{failed.pk}").json()["history"]
    assert [(h["verb"], h["reason"]) for h in history] == [
        ("notify.delivery.retry", "Coba lagi"),
        ("notify.delivery.sent", ""),
    ]
    assert Delivery.objects.get(pk=failed.pk).state == "sent"

    cancelled = api.post(f"{PATH}/{queued.pk}/cancel", {})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"


def test_a_move_the_state_does_not_allow_is_409_and_writes_nothing(circulation, make_delivery):
    api = ApiClient.as_user(circulation)
    sent = make_delivery("sent")
    response = api.post(f"{PATH}/{sent.pk}/retry", {})
    assert response.status_code == 409 and response.json()["code"] == "delivery_not_retryable"
    response = api.post(f"{PATH}/{sent.pk}/cancel", {})
    assert response.status_code == 409 and response.json()["code"] == "delivery_not_cancellable"
    assert Delivery.objects.get(pk=sent.pk).state == "sent"
    assert api.post(f"{PATH}/999999/retry", {}).status_code == 404
    assert api.post(f"{PATH}/{sent.pk}/retry", {"why": "x"}).status_code == 400


@pytest.mark.parametrize("role", ["it_manager", "technician", "senior_technician"])
def test_roles_without_the_permission_get_403_and_nothing_changes(role, make_staff, make_delivery):
    api = ApiClient.as_user(make_staff(role))
    failed = make_delivery("failed")
    assert api.get(PATH).status_code == 403
    assert api.post(f"{PATH}/{failed.pk}/retry", {}).status_code == 403
    assert api.post(f"{PATH}/{failed.pk}/cancel", {}).status_code == 403
    assert Delivery.objects.get(pk=failed.pk).state == "failed"


def test_a_patron_gets_403_and_anonymous_401(patron_user, make_delivery):
    assert ApiClient.as_user(patron_user).get(PATH).status_code == 403
    assert ApiClient().get(PATH).status_code == 401
