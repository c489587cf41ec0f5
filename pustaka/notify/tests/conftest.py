"""Fixtures of the notice-delivery tests: the file gateway in a private folder, and deliveries made
directly in a given state (test set-up, not actions)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pustaka.core.models import AuditEvent
from pustaka.core.tests.refusals import WRITE


@pytest.fixture
def outbox(settings, tmp_path):
    """WhatsApp/SMS messages go to ``tmp_path/notices/outbox.jsonl`` (e-mail to Django's outbox)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HOME = tmp_path
    settings.NOTICE_GATEWAY = "file"
    return tmp_path / "notices" / "outbox.jsonl"


@pytest.fixture
def make_delivery(db, patron):
    """``make_delivery(state="failed", channel="sms", kind="overdue", patron=..., days_ago=0)``."""
    from pustaka.circulation.models import Notice
    from pustaka.notify.models import Delivery

    counter = {"n": 0}

    def make(state="queued", *, channel="whatsapp", kind="overdue", patron=patron, days_ago=0, **fields):
        counter["n"] += 1
        n = counter["n"]
        notice = Notice.objects.create(
            patron=patron, kind=kind, key=f"{kind}:{n}:2026-05-01", subject=f"Pemberitahuan {n}", body="Isi."
        )
        fields.setdefault("attempts", 0 if state == "queued" else 1)
        fields.setdefault("last_error", "HTTP 503: Service Unavailable" if state in ("failed", "gave_up") else "")
        delivery = Delivery.objects.create(
            notice=notice,
            channel=channel,
            key=f"{notice.key}:{channel}",
            to="6281234567890",
            text=f"Pemberitahuan {n}\n\nIsi.",
            state=state,
            **fields,
        )
        if days_ago:
            created = delivery.created_at - datetime.timedelta(days=days_ago)
            Delivery.objects.filter(pk=delivery.pk).update(created_at=created)
            delivery.created_at = created
        return delivery

    return make


class NoWrites:
    """Nothing inside the block wrote to the database and no audit event appeared."""

    def __enter__(self):
        self.events = AuditEvent.objects.count()
        self.queries = CaptureQueriesContext(connection).__enter__()
        return self

    def __exit__(self, *exc):
        self.queries.__exit__(*exc)
        assert [q["sql"] for q in self.queries.captured_queries if WRITE.match(q["sql"])] == []
        assert AuditEvent.objects.count() == self.events
        return False
