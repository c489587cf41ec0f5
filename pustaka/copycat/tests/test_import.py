"""Copying a record with its copies in one step (the ``import_copy`` action): the record keeps the remote
MARC (as UTF-8) and its control number, the copies get their barcodes, branch and status with
accession numbers, the copy is noted with its cover link; a refusal (a barcode taken, a result
altered, a role without the permission) writes nothing."""

import pytest

from pustaka.catalog.models import Record
from pustaka.copycat import actions, errors, queries, records
from pustaka.copycat.clients import Terms
from pustaka.copycat.models import CopiedRecord
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.holdings.models import Item

from .conftest import COVER, DATA, LOOM, SHADOWINGS_MARC8

pytestmark = pytest.mark.django_db


class _Named:
    def __init__(self, pk, name):
        self.pk, self.name = pk, name

    def __str__(self):
        return self.name


def file_records():
    """The test records read the way a Z39.50 answer is read (first: The loom of destiny)."""
    chunks = [c + b"\x1d" for c in (DATA / "loc-copycat.mrc").read_bytes().split(b"\x1d") if c.strip()]
    return [records.from_iso2709(c, target=_Named(None, "File"), position=n) for n, c in enumerate(chunks, 1)]


def test_a_search_result_is_copied_with_its_copies_in_one_step(z3950_target, librarian, branch, item_type):
    (answer,) = queries.search([z3950_target], Terms(isbn=LOOM[1]))
    (result,) = answer.records
    copied = actions.import_copy(
        actor=librarian, result=result.token, copies=2, barcodes=["C-100", "C-101"], branch=branch, item_type=item_type
    )
    record = copied.record
    assert record.title == "The loom of destiny" and record.isbn == LOOM[1]
    assert record.control_number == "00000074"
    assert record.source == "marc" and record.marc.startswith(bytes(result.raw[:5]))
    items = list(record.items.order_by("barcode"))
    assert [(i.barcode, i.branch, i.status) for i in items] == [
        ("C-100", branch, "in_processing"),
        ("C-101", branch, "in_processing"),
    ]
    assert all(i.accession.number for i in items)
    assert (copied.target, copied.target_name, copied.item_count) == (z3950_target, "Local Zebra", 2)
    assert copied.cover_url == COVER and copied.imported_by == librarian
    event = AuditEvent.objects.get(verb="copycat.record.import")
    assert event.after["barcodes"] == ["C-100", "C-101"] and event.after["copied_from"] == "Local Zebra"


def test_the_marc8_record_is_stored_as_utf8(z3950_target, librarian, branch, item_type):
    (answer,) = queries.search([z3950_target], Terms(isbn=SHADOWINGS_MARC8[1]))
    copied = actions.import_copy(
        actor=librarian, result=answer.records[0].token, copies=0, branch=branch, item_type=item_type
    )
    stored = Record.objects.get(pk=copied.record_id)
    assert stored.marc[9:10] == b"a" and "Sémi (Cicadae)".encode() in stored.marc
    assert not stored.items.exists()


def test_copies_without_a_barcode_get_the_next_of_the_library_series(librarian, branch, item_type, make_item):
    make_item("B000041")
    loom = file_records()[0]
    copied = actions.import_copy(
        actor=librarian, result=loom, copies=3, barcodes=["X-1"], branch=branch, item_type=item_type, status="available"
    )
    assert sorted(copied.record.items.values_list("barcode", "status")) == [
        ("B000042", "available"),
        ("B000043", "available"),
        ("X-1", "available"),
    ]


def test_a_barcode_already_taken_refuses_the_whole_copy(librarian, branch, item_type, make_item):
    make_item("B000007")
    before = (Record.objects.count(), Item.objects.count())
    with pytest.raises(Exception) as refused:
        actions.import_copy(
            actor=librarian,
            result=file_records()[0],
            copies=2,
            barcodes=["NEW-1", "B000007"],
            branch=branch,
            item_type=item_type,
        )
    assert "B000007" in str(refused.value)
    assert (Record.objects.count(), Item.objects.count()) == before and not CopiedRecord.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"copies": "two"}, errors.InvalidCopies, "copies"),
        ({"copies": 51}, errors.InvalidCopies, "copies"),
        ({"copies": 2, "barcodes": ["A1", "a1"]}, errors.InvalidCopies, "barcodes"),
        ({"copies": 1, "branch": None}, errors.InvalidCopies, "branch"),
        ({"copies": 1, "status": "on_loan"}, errors.InvalidCopies, "status"),
    ],
)
def test_bad_copies_are_refused_and_nothing_is_written(librarian, branch, item_type, kwargs, error, field):
    arguments = {"branch": branch, "item_type": item_type, **kwargs}
    with pytest.raises(error) as refused:
        actions.import_copy(actor=librarian, result=file_records()[0], **arguments)
    assert refused.value.field == field
    assert not Record.objects.exists() and not Item.objects.exists() and not CopiedRecord.objects.exists()


def test_an_altered_or_foreign_token_is_refused(librarian, branch, item_type):
    token = file_records()[0].token
    for bad in (token[:-3] + "abc", "not-a-token", ""):
        with pytest.raises(errors.ResultNotUsable):
            actions.import_copy(actor=librarian, result=bad, copies=0, branch=branch, item_type=item_type)
    assert not Record.objects.exists()


def test_a_record_that_cannot_be_read_is_refused(librarian, branch, item_type):
    broken = records.broken(target=_Named(None, "File"), position=3, reason="not MARC")
    with pytest.raises(errors.BrokenRecord):
        actions.import_copy(actor=librarian, result=broken, copies=0)
    assert not Record.objects.exists()


@pytest.mark.parametrize("role", ["technician", "circulation", "senior_technician", "it_manager"])
def test_roles_without_copy_cataloguing_are_refused(make_staff, branch, item_type, role):
    with pytest.raises(PermissionDenied):
        actions.import_copy(
            actor=make_staff(role), result=file_records()[0], copies=1, branch=branch, item_type=item_type
        )
    assert not Record.objects.exists() and not Item.objects.exists()


def test_a_patron_is_refused(patron_user, branch, item_type):
    with pytest.raises(PermissionDenied):
        actions.import_copy(actor=patron_user, result=file_records()[0], copies=0)
    assert not Record.objects.exists()


def test_targets_are_added_changed_and_removed_through_actions(librarian, db):
    target = actions.create_target(
        actor=librarian, name="  Perpusnas ", protocol="z3950", host="opac.perpusnas.go.id", port="210"
    )
    assert (target.name, target.port, target.address) == ("Perpusnas", 210, "opac.perpusnas.go.id:210")
    actions.update_target(actor=librarian, target=target, enabled=False, timeout=30)
    target.refresh_from_db()
    assert (target.enabled, target.timeout) == (False, 30)
    assert AuditEvent.objects.filter(verb="copycat.target.update").count() == 1
    actions.delete_target(actor=librarian, target=target)
    assert not type(target).objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "protocol": "sru", "base_url": "http://x.org/sru"}, "name"),
        ({"name": "A", "protocol": "sru", "base_url": "ftp://x.org"}, "base_url"),
        ({"name": "A", "protocol": "z3950", "host": "", "port": 210}, "host"),
        ({"name": "A", "protocol": "z3950", "host": "z.example.org", "port": 70000}, "port"),
        ({"name": "A", "protocol": "z3950", "host": "z.example.org"}, "port"),
        ({"name": "A", "protocol": "gopher", "base_url": "http://x.org"}, "protocol"),
        ({"name": "A", "protocol": "sru", "base_url": "http://x.org", "timeout": 0}, "timeout"),
        ({"name": "A", "protocol": "sru", "base_url": "http://x.org", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_target_is_refused_naming_the_field(librarian, db, data, field):
    with pytest.raises(errors.InvalidTarget) as refused:
        actions.create_target(actor=librarian, **data)
    assert refused.value.field == field
    assert not AuditEvent.objects.filter(verb="copycat.target.create").exists()


def test_two_targets_cannot_share_a_name(librarian, db):
    actions.create_target(actor=librarian, name="LoC", protocol="sru", base_url="http://lx2.loc.gov:210/LCDB")
    with pytest.raises(errors.InvalidTarget) as refused:
        actions.create_target(actor=librarian, name="loc", protocol="sru", base_url="http://example.org/sru")
    assert refused.value.field == "name"


def test_a_technician_cannot_change_the_targets(technician, db):
    with pytest.raises(PermissionDenied):
        actions.create_target(actor=technician, name="LoC", protocol="sru", base_url="http://lx2.loc.gov:210/LCDB")


def test_the_cover_another_catalogue_gave_shows_on_the_public_record_page(z3950_target, librarian, branch, item_type):
    from django.test import Client

    (answer,) = queries.search([z3950_target], Terms(isbn=LOOM[1]))
    copied = actions.import_copy(actor=librarian, result=answer.records[0].token, copies=0, branch=branch)
    assert copied.record.cover_link == COVER
    page = Client().get(f"/record/{copied.record.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'class="cover cover-large" src="{COVER}"' in page


def test_a_cover_link_that_is_not_a_web_address_is_refused(librarian):
    from pustaka.catalog.actions import create_record
    from pustaka.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        create_record(actor=librarian, title="Tanpa sampul", cover_link="javascript:alert(1)")
    assert refused.value.field == "cover_link"
    assert not Record.objects.filter(title="Tanpa sampul").exists()
