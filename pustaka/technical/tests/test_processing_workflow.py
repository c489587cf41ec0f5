"""Processing new items end to end: profiles, scanning, ticking steps, the shelving queue; actions and pages."""

import pytest
from django.urls import reverse

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.core.tests.pages import without_tokens
from pustaka.holdings.errors import ItemNotFound
from pustaka.technical import actions
from pustaka.technical.choices import StepKind
from pustaka.technical.errors.processing import (
    NeedsCallNumber,
    NotInProcessing,
    NotReadyForShelving,
    StepAlreadyDone,
    StepNotInProfile,
)
from pustaka.technical.models import ProcessingProfile, ProcessingStepDone
from pustaka.technical.queries.processing import library_profile, profile_for

pytestmark = pytest.mark.django_db


def enabled_steps(branch):
    return [s for s in profile_for(branch).steps.all() if s.is_enabled]


def tick_all(item, actor):
    for step in enabled_steps(item.branch):
        item = actions.tick_processing_step(items=[item], step=step, actor=actor)[0]
    return item


def test_the_library_default_profile_is_made_with_the_usual_steps(branch):
    profile = library_profile()
    kinds = [s.kind for s in profile.steps.all()]
    assert kinds[:3] == [StepKind.CATALOGUE, StepKind.STAMP, StepKind.SPINE_LABEL]
    assert StepKind.SECURITY_STRIP in kinds
    assert profile_for(branch) == profile
    assert library_profile() == profile  # only once
    assert ProcessingProfile.objects.count() == 1


def test_technician_processes_a_received_item_to_the_shelf(technician, make_item):
    item = make_item("B100", status="received")
    item = actions.start_processing(item=item, actor=technician)
    assert item.status == "in_processing"
    steps = enabled_steps(item.branch)
    for step in steps[:-1]:
        item = actions.tick_processing_step(items=[item], step=step, actor=technician)[0]
        assert item.status == "in_processing"
    item = actions.tick_processing_step(items=[item], step=steps[-1], actor=technician)[0]
    assert item.status == "ready_for_shelving"
    assert ProcessingStepDone.objects.filter(item=item).count() == len(steps)
    assert AuditEvent.objects.filter(verb="maintenance.processing.tick").count() == len(steps)

    shelved = actions.confirm_shelved(items=[item], actor=technician)[0]
    assert shelved.status == "available"
    assert shelved.last_seen_at is not None
    assert AuditEvent.objects.filter(verb="maintenance.shelving.confirm").exists()


def test_ticking_a_step_twice_is_refused(technician, make_item):
    item = make_item("B100", status="in_processing")
    step = enabled_steps(item.branch)[0]
    actions.tick_processing_step(items=[item], step=step, actor=technician)
    with pytest.raises(StepAlreadyDone):
        actions.tick_processing_step(items=[item], step=step, actor=technician)
    assert ProcessingStepDone.objects.filter(item=item).count() == 1


def test_ticking_a_step_on_an_available_item_is_refused(technician, item):
    step = enabled_steps(item.branch)[0]
    with pytest.raises(NotInProcessing):
        actions.tick_processing_step(items=[item], step=step, actor=technician)
    assert not ProcessingStepDone.objects.exists()


def test_circulation_cannot_tick_steps(circulation, make_item):
    item = make_item("B100", status="in_processing")
    with pytest.raises(PermissionDenied):
        actions.tick_processing_step(items=[item], step=enabled_steps(item.branch)[0], actor=circulation)
    assert not ProcessingStepDone.objects.exists()


def test_technician_cannot_edit_the_profile(technician, senior_technician, branch):
    step = library_profile().steps.first()
    with pytest.raises(PermissionDenied):
        actions.set_processing_step_enabled(step=step, is_enabled=False, actor=technician)
    with pytest.raises(PermissionDenied):
        actions.create_branch_profile(branch=branch, actor=technician)
    actions.set_processing_step_enabled(step=step, is_enabled=False, actor=senior_technician)
    step.refresh_from_db()
    assert not step.is_enabled


def test_an_item_without_a_call_number_waits_for_the_cataloguer(technician, make_item, record):
    record.call_number = ""
    record.save()
    item = make_item("B100", status="received")
    with pytest.raises(NeedsCallNumber):
        actions.start_processing(item=item, actor=technician)
    item.refresh_from_db()
    assert item.status == "received"


def test_a_branch_receiving_prelabelled_items_finishes_without_label_steps(senior_technician, technician, make_item):
    item = make_item("B100", status="received")
    profile = actions.create_branch_profile(branch=item.branch, actor=senior_technician)
    for step in profile.steps.all():
        if step.kind in (StepKind.SPINE_LABEL, StepKind.BARCODE_LABEL, StepKind.SECURITY_STRIP, StepKind.RFID_TAG):
            actions.set_processing_step_enabled(step=step, is_enabled=False, actor=senior_technician)
    assert profile_for(item.branch) == profile
    item = tick_all(item, technician)
    assert item.status == "ready_for_shelving"
    assert ProcessingStepDone.objects.filter(item=item).count() == 3  # catalogue, stamp, cover


def test_a_step_of_another_profile_is_refused(senior_technician, technician, make_item, other_branch):
    item = make_item("B100", status="in_processing")
    other = actions.create_branch_profile(branch=other_branch, actor=senior_technician)
    with pytest.raises(StepNotInProfile):
        actions.tick_processing_step(items=[item], step=other.steps.first(), actor=technician)


def test_batch_ticking_is_all_or_nothing(technician, make_item):
    first = make_item("B100", status="received")
    second = make_item("B101", status="in_processing")
    shelved = make_item("B102", status="available")
    step = enabled_steps(first.branch)[0]
    with pytest.raises(NotInProcessing):
        actions.tick_processing_step(items=[first, second, shelved], step=step, actor=technician)
    assert not ProcessingStepDone.objects.exists()
    first.refresh_from_db()
    assert first.status == "received"

    done = actions.tick_processing_step(items=[first, second], step=step, actor=technician)
    assert {i.status for i in done} == {"in_processing"}
    assert ProcessingStepDone.objects.filter(step=step).count() == 2


def test_profile_steps_are_added_renamed_and_reordered(senior_technician):
    profile = library_profile()
    step = actions.add_processing_step(profile=profile, kind=StepKind.OTHER, name="Cap kelas", actor=senior_technician)
    assert list(profile.steps.order_by("position"))[-1] == step
    actions.move_processing_step(step=step, up=True, actor=senior_technician)
    assert list(profile.steps.order_by("position"))[-2] == step
    actions.rename_processing_step(step=step, name="Stempel kelas", actor=senior_technician)
    step.refresh_from_db()
    assert str(step) == "Stempel kelas"


def test_only_items_ready_for_shelving_are_confirmed_on_the_shelf(technician, make_item):
    ready = make_item("B100", status="ready_for_shelving")
    loaned = make_item("B101", status="on_loan")
    with pytest.raises(NotReadyForShelving):
        actions.confirm_shelved(items=[ready, loaned], actor=technician)
    ready.refresh_from_db()
    assert ready.status == "ready_for_shelving"


def test_an_unknown_barcode_is_named(db):
    with pytest.raises(ItemNotFound, match="NOPE"):
        actions.items_for_barcodes(["NOPE"])


# Pages ------------------------------------------------------------------------------------------


def test_technician_scans_ticks_and_shelves_through_the_pages(client, technician, make_item):
    item = make_item("B100", status="received")
    client.force_login(technician)
    response = client.post(reverse("technical:processing_scan"), {"barcode": "B100"}, follow=True)
    assert "B100" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "in_processing"

    for step in enabled_steps(item.branch):
        response = client.post(reverse("technical:processing_tick"), {"step": step.pk, "batch": "1"}, follow=True)
        assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == "ready_for_shelving"
    assert "shelving queue" in response.content.decode()

    page = client.get(reverse("technical:shelving_queue"))
    assert "B100" in page.content.decode()
    response = client.post(reverse("technical:shelving_confirm"), {"barcode": "B100"}, follow=True)
    item.refresh_from_db()
    assert item.status == "available"
    assert "B100" in response.content.decode()


def test_the_pages_say_what_is_wrong(client, technician, make_item):
    make_item("B100", status="available")
    client.force_login(technician)
    response = client.post(reverse("technical:processing_scan"), {"barcode": "NOPE"}, follow=True)
    assert "No item has the barcode “NOPE”" in response.content.decode()
    response = client.post(reverse("technical:processing_scan"), {"barcode": "B100"}, follow=True)
    assert "only received items and items in processing" in response.content.decode()
    response = client.post(reverse("technical:shelving_confirm"), {"barcode": "B100"}, follow=True)
    assert "not waiting in the shelving queue" in response.content.decode()


def test_ticking_twice_on_the_page_says_already_done(client, technician, make_item):
    item = make_item("B100", status="in_processing")
    step = enabled_steps(item.branch)[0]
    client.force_login(technician)
    client.post(reverse("technical:processing_tick"), {"step": step.pk, "barcode": "B100"})
    response = client.post(reverse("technical:processing_tick"), {"step": step.pk, "barcode": "B100"}, follow=True)
    assert "is already done for item B100" in response.content.decode()


@pytest.mark.parametrize("step", ["abc", "²", "99999999999999999999999", ""])
def test_ticking_a_step_that_does_not_exist_says_so(client, technician, make_item, step):
    make_item("B100", status="in_processing")
    client.force_login(technician)
    response = client.post(reverse("technical:processing_tick"), {"step": step, "barcode": "B100"}, follow=True)
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(verb="maintenance.processing.tick").exists()


def test_the_cataloguers_queue_lists_items_without_a_call_number(client, librarian, make_item, record):
    record.call_number = ""
    record.save()
    make_item("B100", status="received")
    client.force_login(librarian)
    response = client.get(reverse("technical:processing_cataloguing_queue"))
    body = response.content.decode()
    assert "B100" in body
    assert reverse("catalog:record_edit", args=[record.pk]) in body
    assert "B100" not in without_tokens(client.get(reverse("technical:processing_queue")).content.decode())


def test_senior_technician_edits_the_profile_on_the_page(client, senior_technician, branch):
    client.force_login(senior_technician)
    page = client.get(reverse("technical:processing_profile"), {"branch": "MAIN"})
    assert "follows the library default" in page.content.decode()
    client.post(reverse("technical:processing_profile_create", args=["MAIN"]))
    profile = ProcessingProfile.objects.get(branch=branch)
    step = profile.steps.get(kind=StepKind.SPINE_LABEL)
    client.post(reverse("technical:processing_step_change", args=[step.pk]), {"op": "disable"})
    client.post(reverse("technical:processing_step_change", args=[step.pk]), {"op": "rename", "name": "Label punggung"})
    client.post(reverse("technical:processing_step_add", args=[profile.pk]), {"kind": "other", "name": "Cap kelas"})
    step.refresh_from_db()
    assert not step.is_enabled and step.name == "Label punggung"
    assert profile.steps.filter(name="Cap kelas").exists()
    assert library_profile().steps.get(kind=StepKind.SPINE_LABEL).is_enabled  # the default is untouched


@pytest.mark.parametrize(
    "url,args",
    [
        ("technical:processing_profile", []),
        ("technical:processing_step_add", [1]),
        ("technical:processing_step_change", [1]),
    ],
)
def test_technician_cannot_open_the_profile_editor(client, technician, url, args):
    client.force_login(technician)
    response = client.post(reverse(url, args=args)) if args else client.get(reverse(url))
    assert response.status_code == 403


def test_circulation_cannot_open_the_processing_queue_or_tick(client, circulation, make_item):
    item = make_item("B100", status="in_processing")
    client.force_login(circulation)
    assert client.get(reverse("technical:processing_queue")).status_code == 403
    step = enabled_steps(item.branch)[0]
    assert client.post(reverse("technical:processing_tick"), {"step": step.pk, "barcode": "B100"}).status_code == 403
    assert client.get(reverse("technical:shelving_queue")).status_code == 200  # circulation shelves returns


@pytest.mark.parametrize(
    "url", ["technical:processing_queue", "technical:shelving_queue", "technical:processing_cataloguing_queue"]
)
def test_anonymous_and_patrons_are_kept_out(client, patron_user, url):
    assert client.get(reverse(url)).status_code == 302
    client.force_login(patron_user)
    assert client.get(reverse(url)).status_code == 403


def test_technician_cannot_open_the_cataloguers_queue(client, technician):
    client.force_login(technician)
    assert client.get(reverse("technical:processing_cataloguing_queue")).status_code == 403


def test_the_queues_do_not_query_per_row(
    client, librarian, make_item, other_branch, location, django_assert_max_num_queries
):
    library_profile()
    for n in range(30):
        make_item(f"P{n:03d}", status="in_processing" if n % 2 else "received")
        make_item(f"S{n:03d}", status="ready_for_shelving")
    client.force_login(librarian)
    client.post(reverse("technical:processing_scan"), {"barcode": "P001"})
    with django_assert_max_num_queries(20):
        response = client.get(reverse("technical:processing_queue"))
    assert "P029" in response.content.decode()
    with django_assert_max_num_queries(10):
        response = client.get(reverse("technical:shelving_queue"))
    assert "S029" in response.content.decode()
    with django_assert_max_num_queries(10):
        client.get(reverse("technical:processing_cataloguing_queue"))


def test_the_shelving_queue_is_in_shelf_order_by_location(client, technician, make_item, record, branch):
    from pustaka.catalog.models import Record
    from pustaka.core.models import Location
    from pustaka.holdings.models import Item

    reference = Location.objects.create(branch=branch, code="REF", name="Referensi", sort_order=5)
    other = Record.objects.create(title="Aljabar", call_number="512 ALJ a")
    make_item("B1", status="ready_for_shelving")  # 005.133
    make_item("B2", status="ready_for_shelving", record=other)  # 512
    make_item("B3", status="ready_for_shelving", call_number="100 FIL f")
    make_item("B4", status="ready_for_shelving")
    Item.objects.filter(barcode="B4").update(location=reference)  # test set-up
    client.force_login(technician)
    body = without_tokens(client.get(reverse("technical:shelving_queue")).content.decode())
    assert body.index("B1") < body.index("B3") < body.index("B2") < body.index("Referensi") < body.index("B4")
