"""Resources, collections and software seats: validation, audit, search log, and who may."""

import datetime

import pytest

from pustaka.core.errors import PermissionDenied, ValidationFailed
from pustaka.digital.actions.collections import create_collection, update_collection
from pustaka.digital.actions.ingest import store_file
from pustaka.digital.actions.resources import add_seats, attach_file, create_resource, remove_seat, update_resource
from pustaka.digital.errors_ingest import (
    CollectionCodeTaken,
    FileAlreadyAttached,
    FileTypeNotAllowed,
    InvalidResource,
    SeatInUse,
)
from pustaka.search.models import ChangeLog

from .conftest import ebook


def test_a_record_can_have_items_and_an_ejournal_with_coverage(it_manager, item):
    record = item.record
    resource = create_resource(
        record=record,
        kind="ejournal",
        actor=it_manager,
        remote_url="https://journals.example.org/x",
        coverage_start="2001-01-01",
        coverage_end="2010-12-31",
    )
    assert resource.coverage_start == datetime.date(2001, 1, 1)
    assert record.items.count() == 1 and record.digital_resources.count() == 1
    assert ChangeLog.objects.filter(record_id=record.pk).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "scroll"}, "kind"),
        ({"kind": "ejournal", "remote_url": "javascript:alert(1)"}, "remote_url"),
        ({"kind": "ejournal", "coverage_start": "2010-01-01", "coverage_end": "2001-01-01"}, "coverage_end"),
        ({"kind": "ejournal", "coverage_start": "yesterday"}, "coverage_start"),
        ({"kind": "software", "version": "x" * 51}, "version"),
    ],
)
def test_bad_resource_data_is_refused_naming_the_field(it_manager, record, data, field):
    with pytest.raises(InvalidResource) as caught:
        create_resource(record=record, actor=it_manager, **data)
    assert caught.value.field == field
    assert not record.digital_resources.exists()


def test_update_resource_sets_collections_and_is_audited(it_manager, record):
    from pustaka.core.models import AuditEvent

    teknik = create_collection(actor=it_manager, code="jurnal-teknik", name="Koleksi Jurnal Teknik")
    resource = create_resource(record=record, kind="software", actor=it_manager)
    update_resource(resource=resource, actor=it_manager, version="2.1", platform="Windows", collections=[teknik])
    resource.refresh_from_db()
    assert (resource.version, resource.platform) == ("2.1", "Windows")
    assert list(resource.collections.all()) == [teknik]
    event = AuditEvent.objects.get(verb="digital.resource.update")
    assert event.after["collections"] == ["jurnal-teknik"]


def test_collection_codes_are_unique_and_checked(it_manager):
    create_collection(actor=it_manager, code="ebook-id", name="Buku Elektronik Indonesia")
    with pytest.raises(CollectionCodeTaken):
        create_collection(actor=it_manager, code="EBOOK-ID", name="Again")
    with pytest.raises(ValidationFailed):
        create_collection(actor=it_manager, code="no spaces", name="x")
    other = create_collection(actor=it_manager, code="other", name="Other")
    with pytest.raises(CollectionCodeTaken):
        update_collection(collection=other, actor=it_manager, code="ebook-id")


def test_seats_with_keys_and_without(it_manager, record, patron):
    from django.utils import timezone

    resource = create_resource(record=record, kind="software", actor=it_manager)
    seats = add_seats(resource=resource, actor=it_manager, keys=["AAAA-1111", "BBBB-2222", " "], count=1)
    assert [s.licence_key for s in seats] == ["AAAA-1111", "BBBB-2222", ""]
    with pytest.raises(InvalidResource):
        add_seats(resource=resource, actor=it_manager, keys=["AAAA-1111"])
    seats[0].patron, seats[0].lent_at = patron, timezone.now()
    seats[0].save()
    with pytest.raises(SeatInUse):
        remove_seat(seat=seats[0], actor=it_manager)
    remove_seat(seat=seats[1], actor=it_manager)
    assert resource.seats.count() == 2


def test_only_software_has_seats(it_manager, record):
    resource = create_resource(record=record, kind="ebook", actor=it_manager)
    with pytest.raises(InvalidResource):
        add_seats(resource=resource, actor=it_manager, count=3)


def test_a_cover_must_be_an_image_and_a_file_is_attached_once(it_manager, record):
    resource = create_resource(record=record, kind="ebook", actor=it_manager)
    pdf = store_file(source=ebook("box.pdf"), original_name="box.pdf", actor=it_manager).file
    with pytest.raises(FileTypeNotAllowed):
        attach_file(resource=resource, file=pdf, role="cover", actor=it_manager)
    attach_file(resource=resource, file=pdf, actor=it_manager)
    with pytest.raises(FileAlreadyAttached):
        attach_file(resource=resource, file=pdf, actor=it_manager)


@pytest.mark.parametrize("role", ["librarian", "senior_technician", "technician", "circulation"])
def test_only_digital_staff_change_resources(make_staff, record, role):
    with pytest.raises(PermissionDenied):
        create_resource(record=record, kind="ebook", actor=make_staff(role))
    with pytest.raises(PermissionDenied):
        create_collection(actor=make_staff(role, username=f"{role}-2"), code="x", name="X")
