"""Notices by WhatsApp and SMS: the patron's channel choice, the file adapter's lines, the HTTP
adapter against a real local server (success, failures, timeouts), retries with backoff, never twice."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from pustaka.circulation import notices
from pustaka.circulation.choices import NoticeKind
from pustaka.core.models import AuditEvent
from pustaka.notify import delivery as deliveries
from pustaka.notify.choices import DeliveryState
from pustaka.notify.gateways import FileGateway, HttpGateway
from pustaka.notify.models import Delivery


@pytest.fixture(autouse=True)
def _outbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HOME = tmp_path
    settings.NOTICE_GATEWAY = "file"
    return tmp_path / "notices" / "outbox.jsonl"


class Gateway:
    """A local HTTP server answering with the statuses it is given, one per request (then 200)."""

    def __init__(self, answers=(), delay=0.0):
        self.answers, self.delay, self.requests = list(answers), delay, []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.requests.append({"headers": dict(self.headers), "json": json.loads(body)})
                if owner.delay:
                    time.sleep(owner.delay)
                status = owner.answers.pop(0) if owner.answers else 200
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps({"id": f"msg-{len(owner.requests)}"}).encode())
                except BrokenPipeError:  # the client timed out first (the timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}/send"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _notify(patron, key="expiring:1:2026-07-01"):
    return notices.send_notice(patron=patron, kind=NoticeKind.EXPIRING, key=key, context={"days_left": 3})


def test_a_patron_who_chose_whatsapp_gets_it_and_no_email(make_patron, _outbox):
    patron = make_patron("P1", first_name="Rina", phone="0812-3456-7890", notice_channels=["whatsapp"])
    notice = _notify(patron)

    assert mail.outbox == []
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.to, delivery.state, delivery.attempts) == (
        "whatsapp",
        "6281234567890",
        "sent",
        1,
    )
    assert delivery.key == f"{notice.key}:whatsapp"
    lines = [json.loads(line) for line in _outbox.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 1
    assert lines[0]["channel"] == "whatsapp" and lines[0]["to"] == "6281234567890"
    assert notice.subject in lines[0]["text"] and "Rina" in lines[0]["text"]
    assert AuditEvent.objects.filter(verb="notify.delivery.sent").count() == 1


def test_email_and_sms_both_go_and_no_channel_means_no_notice(make_patron, _outbox):
    both = make_patron("P1", email="a@example.org", phone="0812", notice_channels=["email", "sms"])
    _notify(both, key="expiring:1:x")
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["sms"]

    silent = make_patron("P2", email="b@example.org", phone="0813", notice_channels=[])
    assert _notify(silent, key="expiring:2:x") is None
    assert len(mail.outbox) == 1 and Delivery.objects.count() == 1


def test_a_notice_tried_again_never_queues_a_channel_twice(make_patron, _outbox, settings):
    patron = make_patron("P1", email="a@example.org", phone="0812", notice_channels=["email", "whatsapp"])
    settings.EMAIL_BACKEND = "pustaka.notify.tests.test_channels.BrokenMail"
    first = _notify(patron)
    assert first.sent_at is None  # the e-mail failed: the notice is tried again next run
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = _notify(patron)
    assert again.sent_at is not None
    assert Delivery.objects.count() == 1
    assert len(_outbox.read_text().splitlines()) == 1


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def _queued(make_patron, channel="sms"):
    patron = make_patron("P9", phone="0812 1111 2222", notice_channels=[channel])
    from pustaka.circulation.models import Notice

    notice = Notice.objects.create(patron=patron, kind=NoticeKind.OVERDUE, key="overdue:9:2026-05-01")
    notice.subject, notice.body = "Terlambat: Laskar Pelangi", "Mohon kembalikan."
    return deliveries.queue_for(notice, patron)[0]


def test_the_http_adapter_posts_json_with_the_token_and_the_idempotency_key(make_patron):
    delivery = _queued(make_patron)
    with Gateway() as server:
        done = deliveries.deliver(delivery.pk, sender=HttpGateway(server.url, "rahasia", timeout=2))
    assert (done.state, done.provider_id) == (DeliveryState.SENT, "msg-1")
    request = server.requests[0]
    assert request["headers"]["Authorization"] == "Bearer rahasia"
    assert request["headers"]["Idempotency-Key"] == "overdue:9:2026-05-01:sms"
    assert request["json"] == {
        "channel": "sms",
        "to": "6281211112222",
        "text": "Terlambat: Laskar Pelangi\n\nMohon kembalikan.",
        "key": "overdue:9:2026-05-01:sms",
    }


def test_a_failed_send_is_retried_after_its_backoff_and_never_sent_twice(make_patron):
    delivery = _queued(make_patron)
    now = timezone.now()
    with Gateway(answers=[503]) as server:
        gateway = HttpGateway(server.url, timeout=2)
        failed = deliveries.deliver(delivery.pk, now=now, sender=gateway, schedule=False)
        assert (failed.state, failed.attempts) == (DeliveryState.FAILED, 1)
        assert failed.last_error.startswith("HTTP 503")
        assert failed.next_attempt_at == now + datetime.timedelta(minutes=1)

        assert deliveries.retry_due(now=now + datetime.timedelta(seconds=30), sender=gateway) == 0  # not yet
        assert deliveries.retry_due(now=now + datetime.timedelta(minutes=2), sender=gateway) == 1
        assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.SENT

        # A retry after success (a scheduled job firing late, a second worker) does nothing.
        assert deliveries.deliver(delivery.pk, now=now + datetime.timedelta(hours=1), sender=gateway) is None
        assert deliveries.retry_due(now=now + datetime.timedelta(hours=1), sender=gateway) == 0
    assert len(server.requests) == 2
    assert AuditEvent.objects.filter(verb="notify.delivery.failed").count() == 1


def test_an_answer_retrying_cannot_change_gives_up_at_once(make_patron):
    delivery = _queued(make_patron)
    with Gateway(answers=[400]) as server:
        done = deliveries.deliver(delivery.pk, sender=HttpGateway(server.url, timeout=2), schedule=False)
    assert (done.state, done.attempts, done.next_attempt_at) == (DeliveryState.GAVE_UP, 1, None)
    assert done.last_error.startswith("HTTP 400")


def test_a_gateway_that_hangs_times_out_and_is_retried(make_patron):
    delivery = _queued(make_patron)
    with Gateway(delay=1.5) as server:
        done = deliveries.deliver(delivery.pk, sender=HttpGateway(server.url, timeout=0.3), schedule=False)
    assert done.state == DeliveryState.FAILED
    assert "Timed out" in done.last_error or "timed out" in done.last_error


def test_an_unreachable_gateway_gives_up_after_the_last_attempt(make_patron):
    delivery = _queued(make_patron)
    nowhere = HttpGateway("http://127.0.0.1:9/send", timeout=0.5)  # the discard port: nothing listens
    when = timezone.now()
    for attempt in range(1, deliveries.MAX_ATTEMPTS + 1):
        done = deliveries.deliver(delivery.pk, now=when, sender=nowhere, schedule=False)
        assert done.attempts == attempt
        when = (done.next_attempt_at or when) + datetime.timedelta(seconds=1)
    assert done.state == DeliveryState.GAVE_UP
    assert "unreachable" in done.last_error
    assert deliveries.deliver(delivery.pk, now=when, sender=nowhere) is None


def test_the_file_adapter_writes_one_json_line_per_message(tmp_path):
    gateway = FileGateway(tmp_path)
    gateway.send(channel="sms", to="62812", text="Halo Budi", key="k1")
    gateway.send(channel="whatsapp", to="62813", text="Buku siap diambil", key="k2")
    lines = [json.loads(line) for line in (tmp_path / "outbox.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(line["channel"], line["to"], line["text"], line["key"]) for line in lines] == [
        ("sms", "62812", "Halo Budi", "k1"),
        ("whatsapp", "62813", "Buku siap diambil", "k2"),
    ]
