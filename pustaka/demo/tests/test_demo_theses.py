"""The demo's theses part (``pustaka.demo.theses``): a skripsi with its supervisors and open PDF, and the
software package's programmer and developer, all in the records' MARC export."""

import io

import pytest

from pustaka.catalog.marc import record_to_marc
from pustaka.catalog.models import Record
from pustaka.demo.digital import load_digital_library
from pustaka.demo.loader import Demo
from pustaka.demo.theses import load_theses
from pustaka.digital.access import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path, branch, patron_category):
    from pustaka.patrons.models import PatronCategory

    settings.PUSTAKA_FILES_DIR = tmp_path / "files"
    for code, name in (("STUDENT", "Pelajar/Mahasiswa"), ("STAFF", "Staf")):
        PatronCategory.objects.get_or_create(code=code, defaults={"name": name})
    demo = Demo(actor=None, stdout=io.StringIO())
    load_digital_library(demo)
    load_theses(demo)
    return demo


def test_the_demo_has_a_skripsi_with_supervisors_and_a_pdf_anyone_may_read(demo):
    thesis = Record.objects.get(material_type="thesis")
    assert thesis.thesis_kind == "skripsi"
    assert thesis.supervisors == ["Wibowo, Agus", "Handayani, Sri"]
    resource = thesis.digital_resources.get()
    assert resource.files.get().file.mime_type == "application/pdf"
    assert decide(resource=resource, user=None, action="download", ip="127.0.0.1").granted

    exported = record_to_marc(thesis)
    assert exported["502"].get_subfields("g", "b", "d") == ["Skripsi", "Sarjana Komputer (S.Kom.)", "2024"]
    assert [f.get_subfields("4") for f in exported.get_fields("700")] == [["ths"], ["ths"]]
    assert exported["856"].get_subfields("z") == ["Open access"]


def test_the_demo_software_names_its_programmer_and_developer_and_exports_version_and_platform(demo):
    record = demo.software.record
    record.refresh_from_db()
    roles = {c["name"]: c["role"] for c in record.contributors}
    assert roles == {"Santoso, Budi": "programmer", "Lestari, Dewi": "developer"}

    exported = record_to_marc(record)
    assert exported["250"].get_subfields("a") == ["Version 1.0.0"]
    assert exported["538"].get_subfields("a") == ["Platform: Debian/Ubuntu Linux"]
    assert exported["100"].get_subfields("4") == ["prg"]
    assert exported["336"].get_subfields("b") == ["cop"]
