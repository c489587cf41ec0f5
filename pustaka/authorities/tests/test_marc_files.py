"""MARC 21 authority files in and out: an export read back with pymarc, an import that rejects the bad
records with their reasons and imports the rest, MARCXML, and a second import updating by 001."""

import io

import pymarc
import pytest

from pustaka.authorities import actions, errors
from pustaka.authorities.marc import write_iso2709, write_marcxml
from pustaka.authorities.models import Authority

pytestmark = pytest.mark.django_db


def authority_record(tag, subfields, *, control="", variants=(), see_also=(), leader="     nz  a22     n  4500"):
    rec = pymarc.Record(force_utf8=True, leader=leader)
    if control:
        rec.add_field(pymarc.Field(tag="001", data=control))
    rec.add_field(pymarc.Field(tag=tag, indicators=pymarc.Indicators("1", " "), subfields=subfields))
    for vtag, value in variants:
        rec.add_field(
            pymarc.Field(tag=vtag, indicators=pymarc.Indicators(" ", " "), subfields=[pymarc.Subfield("a", value)])
        )
    for stag, w, value in see_also:
        subs = ([pymarc.Subfield("w", w)] if w else []) + [pymarc.Subfield("a", value)]
        rec.add_field(pymarc.Field(tag=stag, indicators=pymarc.Indicators(" ", " "), subfields=subs))
    return rec


def sample_file() -> bytes:
    good_person = authority_record(
        "100",
        [pymarc.Subfield("a", "Toer, Pramoedya Ananta,"), pymarc.Subfield("d", "1925-2006")],
        control="n80000001",
        variants=[("400", "Pramoedya Ananta Toer")],
    )
    good_topic = authority_record(
        "150",
        [pymarc.Subfield("a", "Pertanian"), pymarc.Subfield("x", "Indonesia")],
        control="sh001",
        variants=[("450", "Agrikultur -- Indonesia")],
        see_also=[("550", "g", "Ilmu terapan"), ("550", "", "Ilmu tanah")],
    )
    bibliographic = authority_record("100", [pymarc.Subfield("a", "Buku")], leader="     nam a22     n  4500")
    geographic = authority_record("151", [pymarc.Subfield("a", "Jawa Barat")])
    broken = b"00042nz  a2200025n  4500\x1e\x1d"
    return good_person.as_marc() + bibliographic.as_marc() + broken + geographic.as_marc() + good_topic.as_marc()


def test_an_authority_file_is_imported_and_the_bad_records_are_rejected_with_their_reasons(librarian, make_record):
    record = make_record("Bumi manusia", names=["Toer, Pramoedya Ananta"])
    report = actions.import_authority_file(actor=librarian, data=sample_file(), filename="otoritas.mrc")
    assert (report.created, report.updated, report.linked) == (2, 0, 1)
    reasons = {r.where: r.reason for r in report.rejected}
    assert set(reasons) == {"record 2", "record 3", "record 4"}
    assert "not an authority record" in reasons["record 2"]
    assert "could not be read" in reasons["record 3"]
    assert "151" in reasons["record 4"]
    person = Authority.objects.get(control_number="n80000001")
    assert (person.kind, person.heading, person.dates) == ("personal", "Toer, Pramoedya Ananta", "1925-2006")
    assert list(person.variants.values_list("heading", flat=True)) == ["Pramoedya Ananta Toer"]
    assert person.links.get().record == record
    topic = Authority.objects.get(control_number="sh001")
    assert topic.heading == "Pertanian -- Indonesia"
    assert sorted(topic.see_also.values_list("relation", "heading")) == [
        ("broader", "Ilmu terapan"),
        ("related", "Ilmu tanah"),
    ]


def test_importing_again_updates_by_control_number(librarian, db):
    actions.import_authority_file(actor=librarian, data=sample_file())
    changed = authority_record(
        "100", [pymarc.Subfield("a", "Toer, Pramoedya A.")], control="n80000001", variants=[("400", "Pram")]
    )
    report = actions.import_authority_file(actor=librarian, data=changed.as_marc())
    assert (report.created, report.updated) == (0, 1)
    person = Authority.objects.get(control_number="n80000001")
    assert person.heading == "Toer, Pramoedya A"
    assert sorted(person.variants.values_list("heading", flat=True)) == ["Pram", "Pramoedya Ananta Toer"]


def test_the_export_reads_back_with_pymarc_as_the_same_authorities(librarian, db):
    actions.import_authority_file(actor=librarian, data=sample_file())
    actions.create_authority(
        actor=librarian,
        kind="corporate",
        heading="Indonesia. Kementerian Kesehatan",
        variants=["Kemenkes RI"],
        source="local",
    )
    rows = Authority.objects.prefetch_related("variants", "see_also").order_by("id")
    records = list(pymarc.MARCReader(io.BytesIO(write_iso2709(rows)), to_unicode=True, force_utf8=True))
    assert [r.leader[6] for r in records] == ["z", "z", "z"]
    person, topic, body = records
    assert person["001"].data == "n80000001"
    assert person["100"].get_subfields("a", "d") == ["Toer, Pramoedya Ananta,", "1925-2006"]
    assert person["400"]["a"] == "Pramoedya Ananta Toer"
    assert topic["150"].get_subfields("a", "x") == ["Pertanian", "Indonesia"]
    assert [(f.get("w"), f["a"]) for f in topic.get_fields("550")] == [("g", "Ilmu terapan"), (None, "Ilmu tanah")]
    assert (
        body["110"].get_subfields("a", "b") == ["Indonesia", "Kementerian Kesehatan"]
        and body["410"]["a"] == "Kemenkes RI"
    )
    assert body["040"]["f"] == "local"

    xml_records = pymarc.parse_xml_to_array(io.BytesIO(write_marcxml(rows).encode()))
    assert [r["001"].data for r in xml_records] == [r["001"].data for r in records]
    Authority.objects.all().delete()
    report = actions.import_authority_file(actor=librarian, data=write_marcxml(rows).encode())
    assert (report.created, report.rejected) == (3, [])
    assert Authority.objects.get(kind="topical").see_also.count() == 2


def test_a_file_that_is_not_xml_is_refused_and_nothing_is_written(librarian, db):
    with pytest.raises(errors.UnreadableFile):
        actions.import_authority_file(actor=librarian, data=b"<collection><record>")
    with pytest.raises(errors.UnreadableFile):
        actions.import_authority_file(actor=librarian, data=b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')
    assert not Authority.objects.exists()


def test_a_record_whose_variant_is_another_authoritys_heading_is_rejected_alone(librarian, db):
    actions.create_authority(actor=librarian, kind="topical", heading="Ilmu tanah")
    clash = authority_record("150", [pymarc.Subfield("a", "Pedologi")], variants=[("450", "Ilmu tanah")])
    fine = authority_record("150", [pymarc.Subfield("a", "Gizi")])
    report = actions.import_authority_file(actor=librarian, data=clash.as_marc() + fine.as_marc())
    assert report.created == 1 and [r.where for r in report.rejected] == ["record 1"]
    assert sorted(Authority.objects.values_list("heading", flat=True)) == ["Gizi", "Ilmu tanah"]
