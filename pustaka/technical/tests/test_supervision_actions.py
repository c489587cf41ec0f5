"""Supervision actions: assigning, taking, finishing and reviewing work, with every refusal."""

import pytest

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.holdings.choices import ItemStatus
from pustaka.technical.actions import assign_work, finish_assignment, review_work, take_work
from pustaka.technical.errors.supervision import (
    AssignmentFinished,
    CannotSendBack,
    ItemNotInQueue,
    NotATechnician,
    NoteRequired,
    NotYourAssignment,
    UnknownQueue,
)
from pustaka.technical.models import Assignment, ProcessingProfile, ProcessingStep, ProcessingStepDone, Review
from pustaka.technical.queries import my_work, queue_overview


@pytest.fixture
def new_items(make_item):
    return [make_item(f"N{i}", status="in_processing") for i in range(1, 4)]


def _open(item, queue="processing"):
    return Assignment.objects.filter(item=item, queue=queue, finished_at__isnull=True)


# Assigning ------------------------------------------------------------------------------------------


def test_senior_technician_assigns_scanned_items_to_a_technician(senior_technician, technician, new_items):
    done = assign_work(items=new_items, queue="processing", technician=technician, actor=senior_technician)

    assert [a.item.barcode for a in done] == ["N1", "N2", "N3"]
    assert all(a.assigned_to == technician and a.assigned_by == senior_technician for a in done)
    assert AuditEvent.objects.filter(verb="maintenance.supervision.assign", actor=senior_technician).count() == 3
    processing = {s.queue: s for s in queue_overview()}["processing"]
    assert (processing.count, processing.assigned, processing.unassigned) == (3, 3, 0)


def test_reassigning_closes_the_earlier_assignment(senior_technician, technician, make_staff, new_items):
    other = make_staff("technician", "tika")
    first = assign_work(items=new_items[:1], queue="processing", technician=technician, actor=senior_technician)[0]

    second = assign_work(items=new_items[:1], queue="processing", technician=other, actor=senior_technician)[0]

    first.refresh_from_db()
    assert first.finished_at is not None
    assert list(_open(new_items[0])) == [second]
    assert second.assigned_to == other
    event = AuditEvent.objects.filter(verb="maintenance.supervision.assign").latest("id")
    assert event.before == {"assigned_to": technician.username}


def test_assigning_again_to_the_same_technician_changes_nothing(senior_technician, technician, new_items):
    first = assign_work(items=new_items[:1], queue="processing", technician=technician, actor=senior_technician)[0]
    again = assign_work(items=new_items[:1], queue="processing", technician=technician, actor=senior_technician)[0]
    assert again.pk == first.pk
    assert Assignment.objects.count() == 1


def test_technician_cannot_assign_work_to_others(technician, make_staff, new_items):
    with pytest.raises(PermissionDenied):
        assign_work(items=new_items, queue="processing", technician=make_staff("technician", "tika"), actor=technician)
    assert not Assignment.objects.exists()


def test_assigning_to_a_circulation_user_is_refused(senior_technician, circulation, new_items):
    with pytest.raises(NotATechnician) as refused:
        assign_work(items=new_items, queue="processing", technician=circulation, actor=senior_technician)
    assert "not a technician" in str(refused.value)
    assert not Assignment.objects.exists()


def test_assigning_an_item_not_in_the_queue_is_refused_with_the_reason_and_assigns_nothing(
    senior_technician, technician, new_items, make_item
):
    shelved = make_item("AV1", status="available")

    with pytest.raises(ItemNotInQueue) as refused:
        assign_work(items=[*new_items, shelved], queue="processing", technician=technician, actor=senior_technician)

    assert str(refused.value) == "Item AV1 is not in the “Processing” queue (it is “Available”)."
    assert not Assignment.objects.exists()


def test_an_unknown_queue_is_refused(senior_technician, technician, new_items):
    with pytest.raises(UnknownQueue):
        assign_work(items=new_items, queue="knitting", technician=technician, actor=senior_technician)


# Taking and finishing ---------------------------------------------------------------------------------


def test_technician_takes_work_for_themself_and_finishes_it(technician, new_items):
    taken = take_work(items=new_items[:2], queue="processing", actor=technician)

    assert [a.assigned_to for a in taken] == [technician, technician]
    assert {a.item.barcode for a in my_work(technician)} == {"N1", "N2"}

    finish_assignment(assignment=taken[0], actor=technician)

    assert {a.item.barcode for a in my_work(technician)} == {"N2"}
    assert AuditEvent.objects.filter(verb="maintenance.supervision.finish").count() == 1
    with pytest.raises(AssignmentFinished):
        finish_assignment(assignment=taken[0], actor=technician)


def test_circulation_staff_cannot_take_work(circulation, new_items):
    with pytest.raises(NotATechnician):
        take_work(items=new_items, queue="processing", actor=circulation)
    assert not Assignment.objects.exists()


def test_technician_cannot_finish_someone_elses_assignment(technician, make_staff, new_items, senior_technician):
    other = make_staff("technician", "tika")
    theirs = take_work(items=new_items[:1], queue="processing", actor=other)[0]

    with pytest.raises(NotYourAssignment):
        finish_assignment(assignment=theirs, actor=technician)
    finish_assignment(assignment=theirs, actor=senior_technician)  # a supervisor may
    theirs.refresh_from_db()
    assert theirs.finished_at is not None


def test_work_that_left_the_queue_shows_as_done_in_my_work(technician, new_items):
    take_work(items=new_items[:1], queue="processing", actor=technician)
    new_items[0].__class__.objects.filter(pk=new_items[0].pk).update(status="ready_for_shelving")

    [assignment] = my_work(technician)
    assert assignment.in_queue is False
    assert {s.queue: s for s in queue_overview()}["processing"].assigned == 0


# Reviewing --------------------------------------------------------------------------------------------


@pytest.fixture
def processed(make_item, technician, branch):
    """An item a technician processed: steps ticked, now ready for shelving."""
    profile = ProcessingProfile.objects.create(branch=branch, name="Main")
    steps = [
        ProcessingStep.objects.create(profile=profile, kind=k, position=i) for i, k in enumerate(["stamp", "cover"])
    ]
    item = make_item("DONE1", status="in_processing")
    take_work(items=[item], queue="processing", actor=technician)
    for step in steps:
        ProcessingStepDone.objects.create(item=item, step=step, done_by=technician)
    item.__class__.objects.filter(pk=item.pk).update(status="ready_for_shelving")
    item.refresh_from_db()
    [a] = my_work(technician)
    finish_assignment(assignment=a, actor=technician)
    return item


def test_librarian_sends_work_back_with_a_note_and_the_technician_sees_it_first(
    librarian, technician, processed, new_items
):
    take_work(items=new_items[:1], queue="processing", actor=technician)

    review = review_work(
        item=processed, queue="processing", outcome="sent_back", note="Cover is crooked", actor=librarian
    )

    processed.refresh_from_db()
    assert processed.status == ItemStatus.IN_PROCESSING
    assert not ProcessingStepDone.objects.filter(item=processed).exists()
    assert review.outcome == "sent_back" and review.note == "Cover is crooked" and review.reviewer == librarian
    work = my_work(technician)
    assert [a.item.barcode for a in work] == ["DONE1", "N1"]
    assert work[0].sent_back and work[0].review_note == "Cover is crooked"
    assert AuditEvent.objects.filter(verb="holdings.item.send_back", object_id=str(processed.pk)).exists()
    event = AuditEvent.objects.get(verb="maintenance.supervision.send_back")
    assert event.after["steps_removed"] == 2 and event.after["sent_back_to"] == technician.username


def test_sending_back_without_a_note_is_refused_and_changes_nothing(senior_technician, processed):
    with pytest.raises(NoteRequired):
        review_work(item=processed, queue="processing", outcome="sent_back", note="  ", actor=senior_technician)

    processed.refresh_from_db()
    assert processed.status == ItemStatus.READY_FOR_SHELVING
    assert ProcessingStepDone.objects.filter(item=processed).count() == 2
    assert not Review.objects.exists()


def test_technician_cannot_review_work(technician, processed):
    with pytest.raises(PermissionDenied):
        review_work(item=processed, queue="processing", outcome="approved", actor=technician)
    assert not Review.objects.exists()


def test_approving_work_records_the_review_and_leaves_the_item_alone(senior_technician, processed):
    review_work(item=processed, queue="processing", outcome="approved", actor=senior_technician)

    processed.refresh_from_db()
    assert processed.status == ItemStatus.READY_FOR_SHELVING
    assert Review.objects.get().outcome == "approved"
    assert AuditEvent.objects.filter(verb="maintenance.supervision.approve").exists()


def test_a_shelved_item_can_no_longer_be_sent_back_to_processing(librarian, processed):
    processed.__class__.objects.filter(pk=processed.pk).update(status="available")

    with pytest.raises(CannotSendBack):
        review_work(item=processed, queue="processing", outcome="sent_back", note="Label", actor=librarian)
    assert ProcessingStepDone.objects.filter(item=processed).count() == 2
