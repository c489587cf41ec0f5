"""Notices: due soon, overdue, hold ready, membership expiring — in the patron's language, each once,
failures recorded with the error, sent by the worker task, the command and the check-in."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from pustaka.circulation import actions, notices
from pustaka.circulation.choices import NoticeKind
from pustaka.circulation.models import Notice
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_overdue_notice_goes_once_in_the_patrons_language(patron, make_patron, make_item, lend_now):
    patron.language = "en"
    patron.save()
    budi = make_patron("P0002", first_name="Budi", email="budi@example.org", language="id")
    lend_now(make_item("B1"), patron, when=timezone.now() - datetime.timedelta(days=30))
    lend_now(make_item("B2"), budi, when=timezone.now() - datetime.timedelta(days=30))
    run = notices.send_due_notices()
    assert run.sent == {NoticeKind.OVERDUE: 2}
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to["siti@example.org"].subject.startswith("Overdue: Pemrograman Python")
    assert "Dear Siti Rahmawati" in by_to["siti@example.org"].body
    due = timezone.localtime(Notice.objects.get(email="budi@example.org").patron.loans.get().due_at)
    with translation.override("id"):
        assert date_format(due, "DATE_FORMAT") in by_to["budi@example.org"].body  # Indonesian date
    with translation.override("en"):
        assert date_format(due, "DATE_FORMAT") in by_to["siti@example.org"].body
    assert Notice.objects.get(email="budi@example.org").language == "id"
    assert Notice.objects.filter(kind=NoticeKind.OVERDUE, sent_at__isnull=False).count() == 2
    assert AuditEvent.objects.filter(verb="circulation.notice.send").count() == 2

    again = notices.send_due_notices()
    assert again.total_sent == 0 and len(mail.outbox) == 2


def test_due_soon_notice_two_days_before(patron, make_item, lend_now, loan_rule):
    loan = lend_now(make_item("B1"), patron)
    assert notices.send_due_notices().total_sent == 0  # due in two weeks: nothing yet
    run = notices.send_due_notices(now=loan.due_at - datetime.timedelta(days=1))
    assert run.sent == {NoticeKind.DUE_SOON: 1}
    assert "B1" in mail.outbox[0].body
    notice = Notice.objects.get()
    assert notice.key == f"due_soon:{loan.pk}:{timezone.localtime(loan.due_at).date()}"


def test_a_renewed_loan_that_is_overdue_again_gets_a_new_notice(patron, make_item, lend_now, circulation):
    now = timezone.now()
    loan = lend_now(make_item("B1"), patron, when=now - datetime.timedelta(days=40))
    notices.send_due_notices()
    first_due = loan.due_at
    loan = actions.renew(loan=loan, actor=circulation, now=now - datetime.timedelta(days=30))
    assert first_due < loan.due_at < now
    assert notices.send_due_notices().sent == {NoticeKind.OVERDUE: 1}
    assert Notice.objects.filter(kind=NoticeKind.OVERDUE).count() == 2


def test_membership_expiring_notice(make_patron):
    make_patron("P0005", email="lama@example.org", expires_on=timezone.localdate() + datetime.timedelta(days=10))
    make_patron("P0006", email="baru@example.org")  # a year left: nothing
    make_patron("P0007", expires_on=timezone.localdate() + datetime.timedelta(days=3))  # no email
    run = notices.send_due_notices()
    assert run.sent == {NoticeKind.EXPIRING: 1}
    assert mail.outbox[0].to == ["lama@example.org"]


def test_hold_ready_notice_is_sent_when_the_checkin_commits(
    django_capture_on_commit_callbacks, patron, make_patron, make_item, lend_now, record, branch, circulation
):
    copy = make_item("B1")
    lend_now(copy, make_patron("P0002"))
    actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=circulation)
    with django_capture_on_commit_callbacks(execute=True):
        actions.checkin(item=copy, branch=branch, actor=circulation)
    assert len(mail.outbox) == 1 and "Perpustakaan Pusat" in mail.outbox[0].body
    assert Notice.objects.get().kind == NoticeKind.HOLD_READY
    assert notices.send_due_notices().total_sent == 0  # the worker does not send it again


def test_a_failed_send_is_recorded_with_the_error_and_retried(patron, make_item, lend_now, monkeypatch):
    lend_now(make_item("B1"), patron, when=timezone.now() - datetime.timedelta(days=30))

    def broken(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    run = notices.send_due_notices()
    assert run.failed == {NoticeKind.OVERDUE: 1}
    notice = Notice.objects.get()
    assert notice.sent_at is None and "mail server down" in notice.error
    assert AuditEvent.objects.filter(verb="circulation.notice.fail").count() == 1

    monkeypatch.undo()
    run = notices.send_due_notices()
    assert run.sent == {NoticeKind.OVERDUE: 1}
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.error == ""
    assert Notice.objects.count() == 1


def test_the_command_and_the_worker_task_send_notices(patron, make_item, lend_now):
    from pustaka.circulation.tasks import send_notices

    lend_now(make_item("B1"), patron, when=timezone.now() - datetime.timedelta(days=30))
    out = StringIO()
    call_command("send_notices", stdout=out)
    assert "overdue: 1 sent, 0 failed" in out.getvalue()
    assert send_notices.call_local() == {"sent": {}, "failed": {}}
    assert len(mail.outbox) == 1


def test_only_permitted_staff_may_send_notices_by_hand(circulation, administrator, patron):
    with pytest.raises(PermissionDenied):
        notices.send_due_notices(actor=circulation)
    assert notices.send_due_notices(actor=administrator).total_sent == 0


@pytest.mark.django_db(transaction=True)
def test_the_email_goes_out_after_the_claim_is_committed_and_outside_any_transaction(
    patron, make_item, lend_now, monkeypatch
):
    """A slow mail server holds no database lock: the Notice row is claimed and committed first, the
    email is sent outside any transaction, then the outcome is recorded. A second run meanwhile (the
    same key) does nothing, so the notice goes out once."""
    from django.db import transaction

    from pustaka.circulation import notices as module

    loan = lend_now(make_item("B1"), patron, when=timezone.now() - datetime.timedelta(days=30))
    key = f"overdue:{loan.pk}:{timezone.localtime(loan.due_at).date()}"
    seen = []
    real_send = module.EmailMessage.send

    def watching(self, fail_silently=False):
        row = Notice.objects.get(key=key)
        seen.append((transaction.get_connection().in_atomic_block, row.claimed_at is not None, row.sent_at))
        # Another run at this very moment finds the key claimed and leaves it.
        assert module.send_notice(patron=patron, kind=NoticeKind.OVERDUE, key=key, context={"loan": loan}) is None
        return real_send(self, fail_silently)

    monkeypatch.setattr(module.EmailMessage, "send", watching)
    run = notices.send_due_notices()
    assert run.sent == {NoticeKind.OVERDUE: 1}
    assert seen == [(False, True, None)]
    assert len(mail.outbox) == 1
    notice = Notice.objects.get(key=key)
    assert notice.sent_at is not None and notice.claimed_at is None and notice.subject == mail.outbox[0].subject
    assert notices.send_due_notices().total_sent == 0 and len(mail.outbox) == 1


def test_a_claim_left_by_a_run_that_died_is_taken_over_after_the_lease(patron, make_item, lend_now):
    loan = lend_now(make_item("B1"), patron, when=timezone.now() - datetime.timedelta(days=30))
    key = f"overdue:{loan.pk}:{timezone.localtime(loan.due_at).date()}"
    Notice.objects.create(patron=patron, kind=NoticeKind.OVERDUE, key=key, claimed_at=timezone.now())
    assert notices.send_due_notices().total_sent == 0 and not mail.outbox  # someone is sending it now
    Notice.objects.filter(key=key).update(
        claimed_at=timezone.now() - notices.CLAIM_LEASE - datetime.timedelta(seconds=1)
    )
    assert notices.send_due_notices().sent == {NoticeKind.OVERDUE: 1}
    assert len(mail.outbox) == 1 and Notice.objects.get(key=key).claimed_at is None
