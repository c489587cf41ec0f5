"""The demo's digital library part alone (``pustaka.demo.digital``): what its summary line promises.

The on-site-only resource is a PDF a browser can read (from the library LAN only, read online only);
the encrypted PDF, whose metadata could not be read at ingest, stays as an example under a licence
for STAFF-category patrons (and the staff who manage the digital library).
"""

import io

import pytest

from pustaka.demo.digital import LIBRARY_LAN, load_digital_library
from pustaka.demo.loader import Demo
from pustaka.digital.access import decide
from pustaka.digital.choices import RefusalReason
from pustaka.digital.models import DigitalResource

pytestmark = pytest.mark.django_db
LAN_IP, HOME_IP = "10.1.2.3", "127.0.0.1"


@pytest.fixture
def digital_demo(settings, tmp_path, branch, patron_category):
    from pustaka.patrons.models import PatronCategory

    settings.PUSTAKA_FILES_DIR = tmp_path / "files"
    for code, name in (("STUDENT", "Pelajar/Mahasiswa"), ("STAFF", "Staf")):
        PatronCategory.objects.get_or_create(code=code, defaults={"name": name})
    out = io.StringIO()
    demo = Demo(actor=None, stdout=out)
    load_digital_library(demo)
    return demo, out.getvalue()


def _resource(original_name):
    return DigitalResource.objects.select_related("licence").get(files__file__original_name=original_name)


def _patron(make_patron, card, category):
    from pustaka.core.models import User
    from pustaka.patrons.models import PatronCategory

    user = User.objects.create_user(username=card, password="secret-pass-1")
    make_patron(card, user=user, category=PatronCategory.objects.get(code=category))
    return user


def test_the_on_site_resource_is_a_readable_pdf_only_on_the_lan(digital_demo, make_patron):
    _demo, said = digital_demo
    resource = _resource("metadata.pdf")
    stored = resource.files.get(role="content").file
    assert stored.mime_type == "application/pdf" and not stored.is_encrypted
    assert resource.licence.ip_ranges == LIBRARY_LAN and not resource.licence.download_allowed
    dewi = _patron(make_patron, "D9001", "PUBLIC")
    at_home = decide(resource=resource, user=dewi, action="view", ip=HOME_IP, file=stored)
    assert at_home.reason == RefusalReason.OFF_SITE
    assert decide(resource=resource, user=dewi, action="view", ip=LAN_IP, file=stored).granted
    assert decide(resource=resource, user=dewi, action="download", ip=LAN_IP).reason == RefusalReason.NO_DOWNLOAD
    assert "“Contoh metadata PDF” only from the library LAN (10.0.0.0/8, 192.168.0.0/16)" in said
    assert resource.record.title == "Contoh metadata PDF"


def test_the_encrypted_pdf_stays_as_an_example_for_staff(digital_demo, make_patron, it_manager):
    _demo, said = digital_demo
    resource = _resource("encrypted-file.pdf")
    stored = resource.files.get(role="content").file
    assert stored.is_encrypted
    assert resource.record.title == "Contoh PDF terenkripsi"  # catalogued by hand: its metadata was unreadable
    assert [c.code for c in resource.licence.patron_categories.all()] == ["STAFF"]
    assert decide(resource=resource, user=it_manager, action="view", ip=HOME_IP, file=stored).granted
    staff_patron = _patron(make_patron, "D9008", "STAFF")
    assert decide(resource=resource, user=staff_patron, action="view", ip=HOME_IP, file=stored).granted
    public = _patron(make_patron, "D9001", "PUBLIC")
    assert decide(resource=resource, user=public, action="view", ip=LAN_IP).reason == RefusalReason.CATEGORY
    assert "the encrypted PDF (metadata unreadable) for STAFF patrons and the IT manager only" in said


def test_the_summary_line_of_the_licences_is_true(digital_demo):
    _demo, said = digital_demo
    line = next(text for text in said.splitlines() if text.startswith("Licences:"))
    assert "the software has 3 seats to lend at the desk" in line
    software = DigitalResource.objects.get(kind="software")
    assert software.seats.count() == 3 == software.licence.seats
    public = [_resource(name) for name in ("childrens-literature.epub", "eng.epub", "tur.epub")]
    assert all(r.licence.is_open_access for r in public)
