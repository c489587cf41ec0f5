"""MARC to record columns: known LoC records and the rules for roles, subjects, classes, years and types."""

from pathlib import Path

import pymarc
import pytest
from pymarc import Field, Indicators, Subfield

from pustaka.catalog.marc import fields_from_marc, marc8_to_unicode_strict, material_type, strip_isbd

MARC = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "marc"


@pytest.fixture(scope="module")
def loc():
    """The LoC records by control number."""
    if not MARC.is_dir():
        pytest.fail(f"test records not found at {MARC}: the shared test data must sit beside the checkout")
    with open(MARC / "loc-books-1000.mrc", "rb") as stream:
        return {r["001"].data.strip(): r for r in pymarc.MARCReader(stream, to_unicode=True)}


def f008(*, form=" ", serial=" ", language="ind") -> str:
    """A 40-character 008: form of item at 23, type of continuing resource at 21."""
    chars = list("990101s1999    io " + " " * 17 + language + " d")
    chars[21], chars[23] = serial, form
    return "".join(chars)


def mapped(rec, rule="indonesian"):
    return fields_from_marc(rec, call_number_rule=rule)


def make(leader="00000cam a2200000 a 4500", fixed=None, **fields):
    """A small record: fields given as tag=[(code, value), ...] or tag=(indicators, [(code, value), ...])."""
    rec = pymarc.Record(leader=leader)
    rec.leader = pymarc.Leader(leader)
    rec.add_field(Field("001", data="T1"))
    rec.add_field(Field("008", data=f008() if fixed is None else fixed))
    for key, spec in fields.items():
        tag = key.lstrip("_")[:3]
        indicators, subfields = spec if isinstance(spec, tuple) else ("  ", spec)
        rec.add_field(Field(tag, Indicators(*indicators), [Subfield(c, v) for c, v in subfields]))
    return rec


def test_a_known_loc_record_maps_to_its_columns(loc):
    data = mapped(loc["00000002"])

    assert data["control_number"] == "00000002" and data["control_number_source"] == "DLC"
    assert data["title"] == "Botanical materia medica and pharmacology"
    assert data["subtitle"].startswith("drugs considered from a botanical")
    assert data["responsibility"] == "By S. H. Aurand"
    assert data["contributors"] == [{"name": "Aurand, Samuel Herbert", "role": "author", "dates": "1854-"}]
    assert (data["place"], data["publisher"], data["year"]) == ("Chicago", "P. H. Mallen Company", 1899)
    assert data["extent"] == "406 p. 24 cm."
    assert data["subjects"] == ["Botany, Medical", "Homeopathy -- Materia medica and therapeutics"]
    assert (data["classification_scheme"], data["class_number"]) == ("lcc", "RX671 .A92")
    assert data["call_number"] == "RX671 .A92"  # an LC number is a whole call number
    assert data["notes"] == "Homeopathic formulae."
    assert (data["language"], data["material_type"]) == ("eng", "book")


def test_relator_terms_give_contributor_roles(loc):
    assert [c["role"] for c in mapped(loc["00000139"])["contributors"]] == ["author", "translator"]  # $e tr.
    assert mapped(loc["00000473"])["contributors"] == [
        {"name": "Chicago Conference on Trusts (1899)", "role": "meeting"},
        {"name": "Head, Franklin H. (Franklin Harvey)", "role": "editor", "dates": "1832-1914"},
        {"name": "Civic Federation of Chicago (Ill.)", "role": "corporate"},
    ]
    assert mapped(loc["00000018"])["contributors"][1] == {"name": "Tarbell, Martha", "role": "author"}  # joint author
    assert mapped(loc["00000611"])["contributors"][1] == {"name": "Lee and Shepard", "role": "publisher"}

    rec = make(
        _245=[("a", "Kumpulan cerpen.")],
        _700=("1 ", [("a", "Dewi, Sri,"), ("e", "penyunting.")]),
        _700b=("1 ", [("a", "Smith, John,"), ("4", "trl")]),
        _700c=("1 ", [("a", "Lee, Ann,"), ("e", "cover designer.")]),
    )
    assert [c["role"] for c in mapped(rec)["contributors"]] == ["editor", "translator", "contributor"]


def test_subjects_are_headings_with_their_subdivisions(loc):
    assert mapped(loc["00000139"])["subjects"] == ["France -- History -- Revolution, 1789-1799 -- Fiction"]
    assert mapped(loc["00000611"])["subjects"] == [
        "Italy -- History -- War of 1859 -- Juvenile fiction",
        "Juvenile literature -- 1899",
    ]
    rec = make(_245=[("a", "X")], _653=[("a", "perpustakaan"), ("a", "katalogisasi")])
    assert mapped(rec)["subjects"] == ["perpustakaan", "katalogisasi"]


def test_a_dewey_number_is_the_class_and_gives_a_call_number_by_the_library_rule(loc):
    data = mapped(loc["00000057"])
    assert (data["classification_scheme"], data["class_number"]) == ("ddc", "813.49")
    assert data["call_number"] == "813.49 JEW q"
    assert mapped(loc["00000057"], rule="cutter")["call_number"] == "813.49 J49q"

    rec = make(_245=[("a", "Algoritma")], _082=("04", [("a", "005.1/33"), ("2", "23")]), _092=[("a", "R 005.1 ALG")])
    data = mapped(rec)
    assert data["class_number"] == "005.133"
    assert data["call_number"] == "R 005.1 ALG"  # a local call number wins


def test_the_year_comes_from_the_008_or_else_from_the_publication_date():
    rec = make(fixed=f008().replace("1999", "19uu"), _245=[("a", "X")], _260=[("c", "c1987, cet. 2 1990.")])
    assert mapped(rec)["year"] == 1987
    rec = make(fixed="short", _245=[("a", "X")], _264=(" 1", [("a", "Jakarta :"), ("b", "Gramedia,"), ("c", "2019.")]))
    data = mapped(rec)
    assert (data["year"], data["place"], data["publisher"]) == (2019, "Jakarta", "Gramedia")


def test_the_language_comes_from_the_008_or_else_from_the_041():
    assert mapped(make(_245=[("a", "X")]))["language"] == "ind"
    rec = make(fixed=f008(language="   "), _245=[("a", "X")], _041=("1 ", [("a", "jav")]))
    assert mapped(rec)["language"] == "jav"


@pytest.mark.parametrize(
    ("leader", "fixed", "h", "expected"),
    [
        ("00000cam a2200000 a 4500", "", "", "book"),
        ("00000cam a2200000 a 4500", f008(form="o"), "", "ebook"),
        ("00000cam a2200000 a 4500", "", "[electronic resource] /", "ebook"),
        ("00000cas a2200000 a 4500", f008(serial="p"), "", "magazine"),
        ("00000cas a2200000 a 4500", f008(serial="n"), "", "newspaper"),
        ("00000cas a2200000 a 4500", f008(serial="p", form="o"), "", "ejournal"),
        ("00000cmm a2200000 a 4500", "", "", "software"),
        ("00000cjm a2200000 a 4500", "", "", "audio"),
        ("00000cgm a2200000 a 4500", "", "", "video"),
        ("00000cem a2200000 a 4500", "", "", "map"),
        ("00000ccm a2200000 a 4500", "", "", "score"),
        ("00000crm a2200000 a 4500", "", "", "other"),
    ],
)
def test_the_material_type_comes_from_the_leader_and_the_008(leader, fixed, h, expected):
    assert material_type(leader, fixed, electronic="electronic" in h) == expected
    title = [("a", "X /"), ("h", h)] if h else [("a", "X")]
    assert mapped(make(leader=leader, fixed=fixed or "990101s1999", _245=title))["material_type"] == expected


def test_isbd_punctuation_is_stripped_but_abbreviations_keep_their_full_stop():
    assert strip_isbd("Aristocrats of color :") == "Aristocrats of color"
    assert strip_isbd("Willard B. Gatewood.") == "Willard B. Gatewood"
    assert strip_isbd("Gatewood, Willard B.") == "Gatewood, Willard B."
    assert strip_isbd("Indiana University Press,") == "Indiana University Press"
    assert strip_isbd("xii, 450 p. :") == "xii, 450 p."
    assert strip_isbd("24 cm.") == "24 cm."
    assert strip_isbd("2nd ed.") == "2nd ed."
    assert strip_isbd("[S.l.] :") == "[S.l.]"
    assert strip_isbd("Botany, Medical.") == "Botany, Medical"
    assert strip_isbd("Wait for it...") == "Wait for it..."
    assert strip_isbd("Title =") == "Title"


def test_isbns_are_kept_in_their_13_digit_form_and_invalid_ones_left_out():
    rec = make(
        _245=[("a", "X")],
        _020=[("a", "0836932722 (pbk.)")],
        _020b=[("a", "978-602-8519-93-8")],  # wrong check digit
        _020c=[("z", "9786028519939")],  # cancelled
        _022=[("a", "0378-5955")],
    )
    data = mapped(rec)
    assert data["isbns"] == ["9780836932720"] and data["isbn"] == "9780836932720"
    assert data["issn"] == "0378-5955"


def test_text_is_normalised_to_nfc_and_fits_its_column():
    decomposed = "Cafe\u0301 de Flore"  # e + combining acute, as LoC records have it
    rec = make(_245=[("a", decomposed + " /"), ("c", "x" * 1500)])
    data = mapped(rec)
    assert data["title"] == "Café de Flore"
    assert len(data["responsibility"]) == 1000 and data["responsibility"].endswith("…")


def test_marc8_is_converted_like_pymarc_does_and_bad_marc8_is_refused():
    assert marc8_to_unicode_strict(b"Soci\xe2et\xe2e") == "Société"
    assert marc8_to_unicode_strict(b"\x1b(NVoina\x1bs i mir") == pymarc.marc8_to_unicode(b"\x1b(NVoina\x1bs i mir")
    with pytest.raises(ValueError, match="escape"):
        marc8_to_unicode_strict(b"Soci\x1bt\xe2e")
    with pytest.raises(ValueError, match="not in the MARC-8"):
        marc8_to_unicode_strict(b"\xff")
