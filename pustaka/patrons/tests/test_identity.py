"""Patron identity for schools and universities: NIK, NISN, NIM and NIP checked per type, classes and
programmes, notice channels, the CSV import of them, and the new academic year with its undo."""

import datetime

import pytest
from django.utils import timezone

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.patrons import actions
from pustaka.patrons.academic_year import UNDO_DAYS, plan
from pustaka.patrons.errors import (
    AcademicYearPlanChanged,
    AlreadyUndone,
    ChannelNeedsContact,
    DuplicateIdNumber,
    IdTypeRequired,
    InvalidIdNumber,
    UndoWindowClosed,
    UnknownUnit,
)
from pustaka.patrons.models import AcademicYearRun, Patron


def _enrol(librarian, card, **fields):
    return actions.create_patron(
        actor=librarian, card_number=card, last_name=f"Siswa {card}", category="PUBLIC", home_branch="MAIN", **fields
    )


@pytest.mark.parametrize(
    "id_type, typed, stored",
    [
        ("nik", "3273 0152 0890 0003", "3273015208900003"),
        ("nik", "3273015608900003", "3273015608900003"),  # a woman: day of birth + 40 (16 → 56)
        ("nisn", "0087654321", "0087654321"),
        ("nim", "13519-042", "13519-042"),
        ("nim", "g64190012", "G64190012"),
        ("nip", "198503142010011002", "198503142010011002"),
    ],
)
def test_an_id_number_of_its_type_is_kept_without_its_spaces(id_type, typed, stored, librarian, patron_category):
    patron = _enrol(librarian, "S1", id_type=id_type, id_number=typed)
    assert (patron.id_type, patron.id_number) == (id_type, stored)


@pytest.mark.parametrize(
    "id_type, typed, message",
    [
        ("nik", "32730152089000", "NIK: 16 digits are needed; “32730152089000” has 14."),
        ("nik", "3273019908900003", "NIK: digits 7 to 12 must be a date of birth (DDMMYY)."),
        ("nisn", "00876543X1", "NISN: only digits, e.g. 1111111111."),
        ("nisn", "087654321", "NISN: 10 digits are needed; “087654321” has 9."),
        ("nip", "19850314201001100", "NIP: 18 digits are needed; “19850314201001100” has 17."),
        (
            "nip",
            "198513142010011002",
            "NIP: it must start with the date of birth (YYYYMMDD), then the appointment (YYYYMM) and 1 or 2.",
        ),
        ("nim", "12", "NIM: a NIM is 5 to 20 letters, digits, dots or dashes; “12” is not."),
    ],
)
def test_an_id_number_that_cannot_be_of_its_type_is_refused_saying_why(
    id_type, typed, message, librarian, patron_category
):
    with pytest.raises(InvalidIdNumber) as refused:
        _enrol(librarian, "S1", id_type=id_type, id_number=typed)
    assert str(refused.value) == message
    assert refused.value.field == "id_number"
    assert not Patron.objects.exists()


def test_an_id_number_needs_its_type_and_belongs_to_one_patron(librarian, patron_category):
    with pytest.raises(IdTypeRequired) as refused:
        _enrol(librarian, "S1", id_number="0087654321")
    assert refused.value.field == "id_type"
    _enrol(librarian, "S1", id_type="nisn", id_number="0087654321")
    with pytest.raises(DuplicateIdNumber) as refused:
        _enrol(librarian, "S2", id_type="nisn", id_number="0087-654-321")
    assert str(refused.value) == "Siswa S1 already has the NISN 0087654321."
    assert _enrol(librarian, "S3", id_type="nim", id_number="0087654321").id_number == "0087654321"


def test_a_class_is_given_by_its_code_and_an_unknown_one_is_refused(librarian, patron_category):
    unit = actions.create_unit(actor=librarian, code="vii-a", name="Kelas VII A")
    assert unit.code == "VII-A"
    assert _enrol(librarian, "S1", unit="VII-A").unit == unit
    with pytest.raises(UnknownUnit) as refused:
        _enrol(librarian, "S2", unit="XIII-Z")
    assert str(refused.value) == "No class, faculty or study programme has the code “XIII-Z”."


def test_notices_come_by_email_unless_the_patron_chooses_and_each_channel_needs_its_contact(librarian, patron_category):
    assert _enrol(librarian, "S1", email="a@example.org").notice_channels == ["email"]
    assert _enrol(librarian, "S2").notice_channels == []
    chosen = _enrol(librarian, "S3", phone="0812 3456 7890", notice_channels=["sms", "whatsapp"])
    assert chosen.notice_channels == ["whatsapp", "sms"]
    with pytest.raises(ChannelNeedsContact) as refused:
        _enrol(librarian, "S4", notice_channels=["whatsapp"])
    assert str(refused.value) == "Notices by WhatsApp need a phone number."
    # Removing the phone later drops the channels that needed it rather than refusing the edit.
    changed = actions.update_patron(patron=chosen, actor=librarian, phone="")
    assert changed.notice_channels == []


def test_the_patron_chooses_channels_in_their_account(patron):
    actions.update_own_details(
        patron=patron,
        actor=patron.user,
        email="siti@example.org",
        phone="081234567890",
        address="",
        language="id",
        keep_history=False,
        notice_channels=["email", "whatsapp"],
    )
    patron.refresh_from_db()
    assert patron.notice_channels == ["email", "whatsapp"]


def test_the_csv_import_carries_identity_unit_and_channels(librarian, patron_category):
    actions.create_unit(actor=librarian, code="XI-IPA-1")
    result = actions.import_patrons_csv(
        source=(
            "card_number;last_name;category;home_branch;id_type;id_number;unit;phone;notice_channels\n"
            "S1;Lubis;PUBLIC;MAIN;nisn;0087654321;XI-IPA-1;0812345;whatsapp sms\n"
            "S2;Hutapea;PUBLIC;MAIN;nisn;12;XI-IPA-1;;\n"
            "S3;Sinaga;PUBLIC;MAIN;;;XII-Z;;\n"
        ),
        actor=librarian,
    )
    assert (result.created, len(result.rejected)) == (1, 2)
    assert [r.reason for r in result.rejected] == [
        "NISN: 10 digits are needed; “12” has 2.",
        "No class, faculty or study programme has the code “XII-Z”.",
    ]
    imported = Patron.objects.get(card_number="S1")
    assert (imported.id_number, imported.unit.code, imported.notice_channels) == (
        "0087654321",
        "XI-IPA-1",
        ["whatsapp", "sms"],
    )


# --- The new academic year ----------------------------------------------------------------------


@pytest.fixture
def school(librarian, patron_category):
    """Classes VII-A → VIII-A → IX-A (final), a class with no next one yet, and their pupils."""
    ix = actions.create_unit(actor=librarian, code="IX-A", is_final=True)
    viii = actions.create_unit(actor=librarian, code="VIII-A", next_unit=ix)
    vii = actions.create_unit(actor=librarian, code="VII-A", next_unit=viii)
    other = actions.create_unit(actor=librarian, code="VII-B")
    far = timezone.localdate() + datetime.timedelta(days=700)
    pupils = {}
    for card, unit in [("S7", vii), ("S8", viii), ("S9", ix), ("S9B", ix), ("S7B", other)]:
        pupils[card] = _enrol(librarian, card, unit=unit, expires_on=far)
    return {"units": {u.code: u for u in (vii, viii, ix, other)}, "pupils": pupils, "far": far}


def _state():
    return {p.card_number: (p.unit.code, p.expires_on) for p in Patron.objects.select_related("unit")}


def test_the_preview_is_what_the_new_academic_year_does(school, librarian):
    leave_on = datetime.date(2026, 7, 15)
    preview = plan(leave_on=leave_on)
    rows = {
        row["unit"].code: (row["to"] and row["to"].code, [c.card_number for c in row["patrons"]])
        for row in preview.by_unit()
    }
    assert rows == {"VII-A": ("VIII-A", ["S7"]), "VIII-A": ("IX-A", ["S8"]), "IX-A": (None, ["S9", "S9B"])}

    run = actions.start_academic_year(actor=librarian, label="2026/2027", leave_on=leave_on, token=preview.token)

    far = school["far"]
    assert _state() == {
        "S7": ("VIII-A", far),  # one step only, though VIII-A moves up too
        "S8": ("IX-A", far),
        "S9": ("IX-A", leave_on),
        "S9B": ("IX-A", leave_on),
        "S7B": ("VII-B", far),  # no next class: stays
    }
    assert (run.moved, run.graduated) == (2, 2)
    assert AuditEvent.objects.filter(verb="patrons.academic_year.graduate").count() == 2
    assert AuditEvent.objects.filter(verb="patrons.academic_year.move_up").count() == 2
    # Graduates already leaving that day do not graduate again; the pupil now in IX-A would, next time.
    assert [c.card_number for c in plan(leave_on=leave_on).graduates] == ["S8"]


def test_a_preview_that_no_longer_holds_is_refused_and_nothing_moves(school, librarian):
    preview = plan(leave_on=datetime.date(2026, 7, 15))
    actions.update_patron(patron=school["pupils"]["S7B"], actor=librarian, unit="VII-A")
    before = _state()
    with pytest.raises(AcademicYearPlanChanged):
        actions.start_academic_year(
            actor=librarian, label="2026/2027", leave_on=datetime.date(2026, 7, 15), token=preview.token
        )
    assert _state() == before
    assert not AcademicYearRun.objects.exists()


def test_undo_restores_exactly_what_the_year_changed_but_not_a_later_edit(school, librarian):
    before = _state()
    leave_on = datetime.date(2026, 7, 15)
    run = actions.start_academic_year(
        actor=librarian, label="2026/2027", leave_on=leave_on, token=plan(leave_on=leave_on).token
    )
    moved_since = actions.update_patron(patron=school["pupils"]["S8"], actor=librarian, unit="VII-B")

    restored, kept = actions.undo_academic_year(run=run, actor=librarian)

    assert (restored, kept) == (3, 1)
    after = _state()
    assert after["S8"] == ("VII-B", moved_since.expires_on)  # the later edit stays
    assert {k: v for k, v in after.items() if k != "S8"} == {k: v for k, v in before.items() if k != "S8"}
    with pytest.raises(AlreadyUndone):
        actions.undo_academic_year(run=run, actor=librarian)


def test_undo_is_refused_after_its_window(school, librarian):
    leave_on = datetime.date(2026, 7, 15)
    run = actions.start_academic_year(
        actor=librarian, label="2026/2027", leave_on=leave_on, token=plan(leave_on=leave_on).token
    )
    AcademicYearRun.objects.filter(pk=run.pk).update(undo_until=timezone.now() - datetime.timedelta(seconds=1))
    changed = _state()
    with pytest.raises(UndoWindowClosed):
        actions.undo_academic_year(run=AcademicYearRun.objects.get(pk=run.pk), actor=librarian)
    assert _state() == changed
    assert UNDO_DAYS == 7


def test_only_supervisors_start_or_undo_an_academic_year(school, circulation, technician, librarian):
    leave_on = datetime.date(2026, 7, 15)
    token = plan(leave_on=leave_on).token
    before = _state()
    for actor in (circulation, technician):
        with pytest.raises(PermissionDenied):
            actions.start_academic_year(actor=actor, label="2026/2027", leave_on=leave_on, token=token)
        with pytest.raises(PermissionDenied):
            actions.create_unit(actor=actor, code="X-A")
    assert _state() == before
    run = actions.start_academic_year(actor=librarian, label="2026/2027", leave_on=leave_on, token=token)
    with pytest.raises(PermissionDenied):
        actions.undo_academic_year(run=run, actor=circulation)
    assert AcademicYearRun.objects.get(pk=run.pk).undone_at is None
