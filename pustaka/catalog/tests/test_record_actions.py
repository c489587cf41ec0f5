"""Cataloguing a record: validation, normalisation, call numbers, audit, change log."""

import pytest

from pustaka.catalog.actions import create_record, delete_record, suggest_call_number, update_record
from pustaka.catalog.errors import RecordHasItems
from pustaka.catalog.models import Record
from pustaka.core.actions import update_library_settings
from pustaka.core.errors import ValidationFailed
from pustaka.core.models import AuditEvent
from pustaka.search.models import ChangeLog


def test_librarian_catalogues_a_book_and_gets_a_call_number(librarian):
    record = create_record(
        actor=librarian,
        title="Pemrograman Python",
        contributors=[{"name": "Sutanto, Budi", "role": "author"}, "Wijaya, Ani"],
        isbns=["978-602-8519-93-9"],
        class_number="005.133",
        language="IND",
        year="2019",
    )

    assert record.call_number == "005.133 SUT p"
    assert record.isbn == "9786028519939"
    assert record.language == "ind"
    assert record.year == 2019
    assert record.contributors[1] == {"name": "Wijaya, Ani", "role": "author"}
    assert AuditEvent.objects.get(verb="catalog.record.create").after["title"] == "Pemrograman Python"
    assert ChangeLog.objects.filter(record_id=record.pk).exists()


def test_an_isbn_10_is_stored_in_its_isbn_13_form(librarian):
    record = create_record(actor=librarian, title="Clean Code", isbns=["0-13-235088-2"])
    assert record.isbn == "9780132350884"


def test_an_isbn_with_a_wrong_check_digit_is_refused_and_nothing_is_saved(librarian):
    with pytest.raises(ValidationFailed) as refused:
        create_record(actor=librarian, title="Buku Salah", isbns=["978-602-8519-93-8"])

    assert refused.value.field == "isbn"
    assert "wrong check digit" in str(refused.value)
    assert not Record.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_bad_issn_is_refused(librarian):
    with pytest.raises(ValidationFailed) as refused:
        create_record(actor=librarian, title="Majalah", material_type="magazine", issn="0378-5956")
    assert refused.value.field == "issn"


def test_a_good_issn_is_normalised(librarian):
    record = create_record(actor=librarian, title="Majalah", material_type="magazine", issn="03785955")
    assert record.issn == "0378-5955"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("material_type", "scroll"),
        ("language", "indonesia"),
        ("year", "tahun lalu"),
        ("year", 12000),
        ("classification_scheme", "dewey"),
        ("contributors", [{"name": "X", "role": "hero"}]),
    ],
)
def test_bad_fields_are_named_in_the_refusal(librarian, field, value):
    data = {"title": "Judul", field: value}
    with pytest.raises(ValidationFailed) as refused:
        create_record(actor=librarian, **data)
    assert refused.value.field == field
    assert not Record.objects.exists()


def test_editing_a_record_keeps_the_before_and_after(librarian, record):
    update_record(record=record, actor=librarian, title="Pemrograman Python Lanjut", edition="Cet. 2")

    record.refresh_from_db()
    assert record.title == "Pemrograman Python Lanjut"
    event = AuditEvent.objects.get(verb="catalog.record.update")
    assert event.before == {"title": "Pemrograman Python", "edition": ""}
    assert event.after == {"title": "Pemrograman Python Lanjut", "edition": "Cet. 2"}


def test_editing_with_no_change_writes_no_event(librarian, record):
    update_record(record=record, actor=librarian, title=record.title)
    assert not AuditEvent.objects.filter(verb="catalog.record.update").exists()


def test_editing_a_marc_record_marks_it_for_export_rewrite(librarian, record):
    Record.objects.filter(pk=record.pk).update(marc=b"00000nam a2200000 a 4500")
    update_record(record=record, actor=librarian, title="Judul Baru")
    record.refresh_from_db()
    assert record.marc_edited is True


def test_a_record_with_items_cannot_be_deleted(librarian, item):
    with pytest.raises(RecordHasItems):
        delete_record(record=item.record, actor=librarian)
    assert Record.objects.filter(pk=item.record_id).exists()


def test_a_record_without_items_is_deleted_and_the_index_is_told(librarian, record):
    record_id = record.pk
    delete_record(record=record, actor=librarian)
    assert not Record.objects.filter(pk=record_id).exists()
    assert ChangeLog.objects.filter(record_id=record_id, op="delete").exists()
    assert AuditEvent.objects.filter(verb="catalog.record.delete", object_id=str(record_id)).exists()


def test_call_number_rule_follows_the_library_setting(administrator):
    assert suggest_call_number(class_number="899.221 3", main_entry="Hirata, Andrea", title="Laskar Pelangi") == (
        "899.221 3 HIR l"
    )
    update_library_settings(actor=administrator, call_number_rule="cutter")
    assert suggest_call_number(class_number="005.133", main_entry="Smith, John", title="The Python book") == (
        "005.133 S65p"
    )


def test_a_record_without_author_takes_its_mark_from_the_title(db):
    assert suggest_call_number(class_number="030", main_entry="", title="Ensiklopedia Indonesia") == "030 ENS e"


def test_a_record_by_a_corporate_body_files_under_the_body(librarian):
    record = create_record(
        actor=librarian,
        title="Buku Kesehatan Ibu dan Anak",
        contributors=[{"name": "Kementerian Kesehatan Republik Indonesia", "role": "corporate"}],
        class_number="362.1",
    )
    assert record.call_number == "362.1 KEM b"
