"""The worker's daily job closes holds left on the hold shelf past their last day and holds past their
"not needed after" date, as the system, without anyone pressing the hold shelf's button."""

import datetime

from django.utils import timezone

from pustaka.circulation import actions
from pustaka.circulation.choices import HoldStatus
from pustaka.circulation.models import Hold
from pustaka.circulation.tasks import expire_holds
from pustaka.core.models import AuditEvent
from pustaka.holdings.choices import ItemStatus


def test_the_daily_task_expires_stale_holds_as_the_system(
    circulation, patron, make_patron, make_item, lend_now, record, second_record_item, branch
):
    today = timezone.localdate()
    copy = make_item("B1")
    lend_now(copy, make_patron("P0002"))
    on_shelf = actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=circulation)
    actions.checkin(item=copy, branch=branch, actor=circulation)
    Hold.objects.filter(pk=on_shelf.pk).update(shelf_until=today - datetime.timedelta(days=1))
    lend_now(second_record_item, make_patron("P0003"))
    not_needed = actions.place_hold(
        patron=patron, record=second_record_item.record, pickup_branch=branch, actor=circulation, expires_on=today
    )
    Hold.objects.filter(pk=not_needed.pk).update(expires_on=today - datetime.timedelta(days=1))
    current = actions.place_hold(
        patron=make_patron("P0004"), record=second_record_item.record, pickup_branch=branch, actor=circulation
    )

    assert expire_holds.call_local() == 2
    assert Hold.objects.get(pk=on_shelf.pk).status == HoldStatus.EXPIRED
    assert Hold.objects.get(pk=not_needed.pk).status == HoldStatus.EXPIRED
    assert Hold.objects.get(pk=current.pk).status == HoldStatus.WAITING
    copy.refresh_from_db()
    assert copy.status == ItemStatus.READY_FOR_SHELVING  # off the hold shelf, to be shelved again
    events = AuditEvent.objects.filter(verb="circulation.hold.expire")
    assert events.count() == 2 and all(e.actor_id is None for e in events)
    assert expire_holds.call_local() == 0  # nothing more the same day


def test_the_task_runs_once_a_day_just_after_midnight_in_jakarta():
    task = expire_holds.s()
    assert task.validate_datetime(datetime.datetime(2026, 8, 3, 17, 5))  # 00:05 WIB, the clock is UTC
    assert not task.validate_datetime(datetime.datetime(2026, 8, 3, 16, 5))
    assert not task.validate_datetime(datetime.datetime(2026, 8, 3, 17, 6))
