"""Dublin Core for a record: the elements a harvester reads, and well-formed, escaped XML."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pustaka.catalog.actions import import_marc
from pustaka.catalog.marc import dc_xml, record_to_dc
from pustaka.catalog.models import Record

MARC = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "marc"
DC = "{http://purl.org/dc/elements/1.1/}"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}"


def test_a_catalogued_record_gives_its_dublin_core_elements(record):
    dc = record_to_dc(record)

    assert dc["title"] == ["Pemrograman Python : untuk pemula"]
    assert dc["creator"] == ["Sutanto, Budi"]
    assert dc["subject"] == ["Python (Bahasa pemrograman)"]
    assert dc["publisher"] == ["Informatika"]
    assert dc["date"] == ["2021"]
    assert dc["type"] == ["Text"]
    assert dc["language"] == ["ind"]
    assert dc["identifier"] == ["urn:isbn:9786020000005", f"pustaka:record:{record.pk}"]
    assert "contributor" not in dc and "description" not in dc  # empty elements are left out


def test_dublin_core_xml_is_well_formed_with_the_oai_dc_namespaces_and_escapes_text(record):
    record.title = 'Tom & Jerry <3 "di" sekolah'
    record.summary = "Kartun\x0b untuk anak-anak > 5 tahun."
    record.save()

    root = ET.fromstring(dc_xml(record))

    assert root.tag == f"{OAI_DC}dc"
    assert root.find(f"{DC}title").text == 'Tom & Jerry <3 "di" sekolah : untuk pemula'
    assert root.find(f"{DC}description").text == "Kartun untuk anak-anak > 5 tahun."
    assert [e.text for e in root.findall(f"{DC}identifier")][-1] == f"pustaka:record:{record.pk}"


def test_an_imported_record_names_its_author_as_creator_and_the_others_as_contributors(db, settings, tmp_path):
    if not MARC.is_dir():
        pytest.fail(f"test records not found at {MARC}: the shared test data must sit beside the checkout")
    settings.PUSTAKA_REPORTS_DIR = tmp_path
    import_marc(source=MARC / "loc-books-1000.mrc", actor=None)
    record = Record.objects.get(control_number="00000139")

    dc = record_to_dc(record)

    assert dc["creator"] == ["Gras, Félix"]
    assert dc["contributor"] == ["Janvier, Catharine A. (Catharine Ann)"]
    assert dc["subject"] == ["France -- History -- Revolution, 1789-1799 -- Fiction"]
    assert dc["title"] == ["The white terror : a romance of the French Revolution and after"]
    assert dc["format"] == ["iv, 437 p. 17 cm."]
    assert dc["date"] == ["1899"] and dc["language"] == ["eng"]
    ET.fromstring(dc_xml(record))
