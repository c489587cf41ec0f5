"""Subject heading lists as files: the demo's sample list (thesaurus text), a CSV/TSV table, and lines
that cannot be read, each rejected with its number."""

from pathlib import Path

import pytest

from pustaka.authorities import actions, errors
from pustaka.authorities.models import Authority

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "data" / "tajuk-subjek-contoh.txt"


def test_the_sample_subject_list_is_imported_with_its_references_and_links_records(librarian, make_record):
    teen = make_record("Hafalan shalat Delisa", subjects=["Novel remaja"])
    report = actions.import_subject_list(actor=librarian, data=SAMPLE.read_bytes(), filename=SAMPLE.name)
    assert (report.created, report.updated, report.rejected, report.linked) == (18, 0, [], 1)
    fiction = Authority.objects.get(heading="Fiksi remaja")
    assert (fiction.kind, fiction.source) == ("topical", "DTSPN")
    assert sorted(fiction.variants.values_list("heading", flat=True)) == ["Cerita remaja", "Novel remaja"]
    broader = fiction.see_also.get()
    assert (broader.relation, broader.heading, broader.target.heading) == (
        "broader",
        "Fiksi Indonesia",
        "Fiksi Indonesia",
    )
    assert fiction.links.get().record == teen
    again = actions.import_subject_list(actor=librarian, data=SAMPLE.read_bytes())
    assert (again.created, again.updated) == (0, 18)
    assert Authority.objects.count() == 18


def test_a_table_with_several_terms_in_a_cell_is_read(librarian, db):
    table = "tajuk\tused_for\tbroader\trelated\nPertanian\tAgrikultur; Usaha tani\t\tIlmu tanah | Perkebunan\n"
    report = actions.import_subject_list(actor=librarian, data=table.encode(), source="Lokal")
    assert report.created == 1
    farming = Authority.objects.get()
    assert sorted(farming.variants.values_list("heading", flat=True)) == ["Agrikultur", "Usaha tani"]
    assert sorted(farming.see_also.values_list("heading", flat=True)) == ["Ilmu tanah", "Perkebunan"]
    assert farming.source == "Lokal"


def test_lines_that_cannot_be_read_are_rejected_with_their_number_and_the_rest_imported(librarian, db):
    text = "  UF Sebelum tajuk\nGizi\n  XX Salah kode\n  UF Nutrisi\n" + "x" * 600 + "\nKesehatan\n"
    report = actions.import_subject_list(actor=librarian, data=text.encode())
    assert report.created == 2
    assert [(r.where, r.reason) for r in report.rejected] == [
        ("line 1", "there is no heading above this reference"),
        ("line 3", "an indented line must start with UF, BT, NT, RT or SA and a term"),
        ("line 5", "the heading is longer than 500 characters"),
    ]
    assert list(Authority.objects.get(heading="Gizi").variants.values_list("heading", flat=True)) == ["Nutrisi"]


def test_a_file_that_is_not_utf8_is_refused(librarian, db):
    with pytest.raises(errors.UnreadableFile) as refused:
        actions.import_subject_list(actor=librarian, data="Pertanian\n  UF Agrikultur\n".encode("utf-16"))
    assert "UTF-8" in str(refused.value)
    assert not Authority.objects.exists()
