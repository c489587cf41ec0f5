"""Notice deliveries on the staff pages (list with filters, a delivery's attempts, retry now, cancel)
and in the patron's account (their own notices only); who may not."""

import pytest
from django.test import Client
from django.utils import timezone

from pustaka.core.models import AuditEvent
from pustaka.notify import delivery as deliveries
from pustaka.notify.gateways import HttpGateway
from pustaka.notify.models import Delivery


def _client(user=None, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def desk(circulation):
    return _client(circulation)


def _ids(response) -> list[int]:
    return [d.pk for d in response.context["page"].object_list]


def test_the_desk_lists_deliveries_newest_first_with_state_attempts_and_error(desk, make_delivery):
    sent = make_delivery("sent", days_ago=2)
    failed = make_delivery("failed", channel="sms")
    response = desk.get("/staff/notices/")
    assert response.status_code == 200
    assert _ids(response) == [failed.pk, sent.pk]
    text = response.content.decode()
    assert "Failed, will retry" in text and "HTTP 503: Service Unavailable" in text and "Siti Rahmawati" in text


def test_each_filter_narrows_the_list(desk, make_delivery, make_patron):
    other = make_patron("P0002", first_name="Budi")
    whatsapp = make_delivery("sent", kind="due_soon", days_ago=10)
    sms = make_delivery("failed", channel="sms", kind="overdue", patron=other)
    gave_up = make_delivery("gave_up", kind="program_reminder", days_ago=3)
    assert _ids(desk.get("/staff/notices/", {"channel": "sms"})) == [sms.pk]
    assert _ids(desk.get("/staff/notices/", {"state": "gave_up"})) == [gave_up.pk]
    assert _ids(desk.get("/staff/notices/", {"kind": "due_soon"})) == [whatsapp.pk]
    assert _ids(desk.get("/staff/notices/", {"card": "p0002"})) == [sms.pk]
    day = timezone.localtime(whatsapp.created_at).date()
    assert _ids(desk.get("/staff/notices/", {"since": day, "until": day})) == [whatsapp.pk]


def test_a_bad_filter_says_why_and_lists_nothing(desk, make_delivery):
    make_delivery("sent")
    response = desk.get("/staff/notices/", {"state": "lost", "since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Select a valid choice" in text and "The end date is before the start date." in text
    assert _ids(response) == []


def test_the_list_asks_the_same_number_of_queries_for_3_and_30_deliveries(
    desk, make_delivery, django_assert_max_num_queries
):
    for _ in range(3):
        make_delivery("failed")
    with django_assert_max_num_queries(12) as few:
        desk.get("/staff/notices/")
    for _ in range(27):
        make_delivery("sent")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = desk.get("/staff/notices/")
    assert len(response.context["page"].object_list) == 30


def test_a_delivery_shows_each_attempt_with_its_error(desk, make_delivery):
    row = make_delivery("queued", channel="sms")
    nowhere = HttpGateway("http://127.0.0.1:9/send", timeout=0.5)
    deliveries.deliver(row.pk, sender=nowhere, schedule=False)
    response = desk.get(f"/staff/notices/{row.pk}/")
    text = response.content.decode()
    assert "Notice delivery failed, will retry" in text and "attempt 1" in text and "Gateway unreachable" in text
    assert "Retry now" in text and "Cancel the delivery" in text


def test_retry_now_sends_a_failed_delivery_and_the_page_says_so(
    desk, make_delivery, outbox, django_capture_on_commit_callbacks
):
    row = make_delivery("failed")
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(f"/staff/notices/{row.pk}/retry/", {"reason": "Gateway hidup lagi"}, follow=True)
    assert f"Notice delivery #{row.pk} is being sent again." in response.content.decode()
    row.refresh_from_db()
    assert row.state == "sent" and row.attempts == 2
    assert "Retry now" not in desk.get(f"/staff/notices/{row.pk}/").content.decode()


def test_cancelling_a_queued_delivery_and_refusing_a_sent_one(desk, make_delivery):
    queued, sent = make_delivery("queued"), make_delivery("sent")
    response = desk.post(f"/staff/notices/{queued.pk}/cancel/", {"reason": "Salah nomor"}, follow=True)
    assert f"Notice delivery #{queued.pk} cancelled." in response.content.decode()
    assert Delivery.objects.get(pk=queued.pk).state == "cancelled"

    events = AuditEvent.objects.count()
    response = desk.post(f"/staff/notices/{sent.pk}/retry/", follow=True)
    text = response.content.decode()
    assert f"Notice delivery #{sent.pk} is Sent: only a failed or given-up delivery can be sent again." in text
    assert Delivery.objects.get(pk=sent.pk).state == "sent" and AuditEvent.objects.count() == events


@pytest.mark.parametrize("role", ["it_manager", "technician", "senior_technician"])
def test_roles_without_the_permission_may_not_see_or_retry(role, make_staff, make_delivery):
    row = make_delivery("failed")
    client = _client(make_staff(role))
    assert client.get("/staff/notices/").status_code == 403
    assert client.post(f"/staff/notices/{row.pk}/retry/").status_code == 403
    assert Delivery.objects.get(pk=row.pk).state == "failed"


def test_a_patron_may_not_open_the_staff_page(patron_user, make_delivery):
    assert _client(patron_user).get("/staff/notices/").status_code == 403
    assert _client().get("/staff/notices/").status_code == 302


def test_the_staff_menu_links_the_page_for_the_desk_only(desk, make_staff):
    assert 'href="/staff/notices/"' in desk.get("/staff/").content.decode()
    assert 'href="/staff/notices/"' not in _client(make_staff("technician")).get("/staff/").content.decode()


# --- the patron's own notices ------------------------------------------------------------------------


def test_a_patron_sees_only_their_own_notices_with_each_channel(patron_user, make_delivery, make_patron):
    mine = make_delivery("sent", kind="hold_ready")
    theirs = make_delivery("failed", patron=make_patron("P0002"), kind="overdue")
    response = _client(patron_user).get("/account/notices/")
    assert response.status_code == 200
    notices = list(response.context["page"].object_list)
    assert [n.pk for n in notices] == [mine.notice_id]
    text = response.content.decode()
    assert "Hold ready for pickup" in text and "WhatsApp" in text and theirs.notice.subject not in text
    assert 'aria-current="page">My notices' in text


def test_the_notice_history_in_indonesian_and_its_queries_do_not_grow(
    patron_user, make_delivery, django_assert_max_num_queries
):
    make_delivery("sent")
    with django_assert_max_num_queries(30) as few:  # the session, the patron, the shell; notices in two
        _client(patron_user, "id").get("/account/notices/")
    for _ in range(10):
        make_delivery("gave_up")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = _client(patron_user, "id").get("/account/notices/")
    assert "Pemberitahuan saya" in response.content.decode()


def test_the_account_page_needs_a_login(db):
    response = _client().get("/account/notices/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
