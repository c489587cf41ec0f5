"""Importing patrons from CSV: good rows import, bad rows change nothing and are reported with a reason."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from pustaka.core.models import AuditEvent
from pustaka.patrons import actions, errors
from pustaka.patrons.models import Patron

HEADER = "card_number,first_name,last_name,category,home_branch,email,phone,address,date_of_birth,expires_on,pin\n"
GOOD_AND_BAD = (
    HEADER
    + "A0001,Rudi,Hartono,PUBLIC,MAIN,rudi@example.org,0812,Jl. Braga 1,1990-05-01,2027-12-31,1234\n"  # row 2
    + "A0002,Sari,Dewi,NOPE,MAIN,,,,,,\n"  # row 3: unknown category
    + "A0003,Tono,,PUBLIC,MAIN,,,,,,\n"  # row 4: no last name
    + "A0004,Wati,Lestari,PUBLIC,MAIN,wati@,,,,,\n"  # row 5: bad email
    + "A0005,Eko,Saputra,PUBLIC,MAIN,,,,31-12-1990,,\n"  # row 6: bad date
    + "A0001,Rudi,Hartono,PUBLIC,MAIN,,,,,,\n"  # row 7: same card again = an update
    + "A0006,Dian,Anak,CHILD,MAIN,,,,2018-01-01,,\n"  # row 8: child without guardian
    + "A0007,Lia,Puspita,PUBLIC,MAIN,,,,,,12\n"  # row 9: bad PIN
    + '"A0008","Agus, Jr.",Setiawan,public,main,,,"Jl. Dago 5, Bandung",,,\n'  # row 10: quoted, lower-case codes
)


@pytest.fixture
def categories(patron_category, child_category):
    return patron_category


def test_good_rows_import_and_bad_rows_are_reported_with_their_row_and_reason(librarian, categories):
    result = actions.import_patrons_csv(source=GOOD_AND_BAD.encode(), actor=librarian)
    assert (result.created, result.updated) == (2, 1)
    assert [(r.row, r.card_number, r.error.code) for r in result.rejected] == [
        (3, "A0002", "unknown_category"),
        (4, "A0003", "name_required"),
        (5, "A0004", "invalid_email"),
        (6, "A0005", "invalid_date"),
        (8, "A0006", "guardian_required"),
        (9, "A0007", "invalid_pin"),
    ]
    assert set(Patron.objects.values_list("card_number", flat=True)) == {"A0001", "A0008"}
    rudi = Patron.objects.get(card_number="A0001")
    assert rudi.email == "rudi@example.org"  # the empty cell of the update kept it
    assert rudi.date_of_birth == datetime.date(1990, 5, 1) and rudi.expires_on == datetime.date(2027, 12, 31)
    assert rudi.check_pin("1234")
    agus = Patron.objects.get(card_number="A0008")
    assert agus.first_name == "Agus, Jr." and agus.address == "Jl. Dago 5, Bandung"
    summary = AuditEvent.objects.get(verb="patrons.import")
    assert summary.after == {"created": 2, "updated": 1, "rejected": 6}


def test_the_reasons_are_translated(librarian, categories):
    result = actions.import_patrons_csv(source=GOOD_AND_BAD, actor=librarian)
    with translation.override("en"):
        english = result.rejected[0].reason
    assert "NOPE" in english and "no patron category" in english


def test_reimporting_a_card_updates_that_patron(librarian, categories, patron):
    source = HEADER + "p0001,Siti,Rahmawati,PUBLIC,MAIN,siti.baru@example.org,0813,,,2030-01-01,\n"
    result = actions.import_patrons_csv(source=source, actor=librarian)
    assert (result.created, result.updated, result.rejected) == (0, 1, [])
    patron.refresh_from_db()
    assert patron.email == "siti.baru@example.org" and patron.phone == "0813"
    assert patron.expires_on == datetime.date(2030, 1, 1)
    assert Patron.objects.count() == 1


def test_semicolons_and_a_byte_order_mark_are_understood(librarian, categories):
    source = "\ufeffcard_number;last_name;category;home_branch\nB0001;Nasution;PUBLIC;MAIN\n".encode()
    result = actions.import_patrons_csv(source=source, actor=librarian)
    assert result.created == 1 and Patron.objects.get().last_name == "Nasution"


def test_a_child_row_may_name_its_guardian_from_an_earlier_row(librarian, categories):
    source = (
        "card_number,last_name,category,home_branch,guardian_card\n"
        "G0001,Hartono,PUBLIC,MAIN,\n"
        "K0001,Hartono,CHILD,MAIN,g0001\n"
    )
    result = actions.import_patrons_csv(source=source, actor=librarian)
    assert result.rejected == [] and Patron.objects.get(card_number="K0001").guardian.card_number == "G0001"


def test_rows_for_another_branch_are_refused_for_branch_staff(librarian, categories, other_branch):
    source = "card_number,last_name,category,home_branch\nN0001,Utara,PUBLIC,NORTH\n"
    result = actions.import_patrons_csv(source=source, actor=librarian)
    assert [r.error.code for r in result.rejected] == ["not_your_branch"]
    assert not Patron.objects.exists()


@pytest.mark.parametrize(
    "source, error",
    [
        (b"", errors.CsvUnreadable),
        (b"card_number,name\nA1,B\n", errors.CsvMissingColumns),
        ("card_number,last_name,category,home_branch\nA1,Müller,PUBLIC,MAIN\n".encode("latin-1"), errors.CsvUnreadable),
        (b"\x89PNG\r\n\x1a\n\x00\x00", errors.CsvUnreadable),
    ],
)
def test_a_file_that_is_not_patron_csv_is_refused_whole(librarian, categories, source, error):
    with pytest.raises(error):
        actions.import_patrons_csv(source=source, actor=librarian)
    assert not Patron.objects.exists()


def test_the_command_imports_a_file_and_prints_the_rejected_rows(librarian, categories, tmp_path):
    path = tmp_path / "anggota.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    out = StringIO()
    with translation.override("en"):
        call_command("import_patrons", str(path), stdout=out)
    text = out.getvalue()
    assert "created 2, updated 1, rejected 6" in text
    assert "row 3 (A0002)" in text
    assert Patron.objects.count() == 2


def test_the_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_patrons", str(tmp_path / "nope.csv"))
