"""The demo library's accession register, patron identities and notice channels: every copy numbered,
a year of acquisitions with sources and donors, pupils with NISN and classes, students with NIM,
staff with NIP, and patrons who chose WhatsApp or SMS."""

import datetime

import pytest
from django.utils import timezone

from pustaka.accessions.models import Accession, AccessionCounter
from pustaka.holdings.models import Item
from pustaka.patrons.academic_year import plan
from pustaka.patrons.models import Patron

from .test_demo import demo_output  # noqa: F401  (the demo, loaded once for this module)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_output, db):  # noqa: F811
    return demo_output


def test_every_demo_copy_has_an_accession_number_with_its_source(demo):
    assert not Item.objects.filter(accession__isnull=True).exists()
    assert Accession.objects.count() == Item.objects.count()
    sources = set(Accession.objects.values_list("source", flat=True))
    assert sources == {"purchase", "gift", "deposit", "exchange"}
    bought = Accession.objects.filter(source="purchase").first()
    assert bought.price and bought.supplier and bought.number.endswith(f"/B/{bought.year}")
    assert Accession.objects.filter(supplier="Perpustakaan Nasional RI", source="deposit").exists()
    for counter in AccessionCounter.objects.all():  # each year's numbers run 1..n without a gap
        numbered = Accession.objects.filter(counter_year=counter.year)
        assert sorted(numbered.values_list("sequence", flat=True)) == list(range(1, counter.last + 1))


def test_the_demo_has_a_year_of_acquisitions(demo):
    today = timezone.localdate()
    recent = Accession.objects.filter(acquired_on__gt=today - datetime.timedelta(days=366))
    assert recent.count() > 50
    assert recent.filter(source="gift").exists() and recent.filter(source="purchase").exists()


def test_demo_patrons_have_school_and_university_identities(demo):
    pupils = Patron.objects.filter(id_type="nisn")
    assert pupils.exists() and all(p.unit.kind == "class" for p in pupils)
    assert Patron.objects.filter(id_type="nim", unit__code="TI-S1").exists()
    assert Patron.objects.filter(id_type="nip", category__code="STAFF").count() == 4
    assert Patron.objects.filter(id_type="nik").exists()
    upcoming = plan(leave_on=timezone.localdate() + datetime.timedelta(days=30))
    assert upcoming.moves and upcoming.graduates  # the new academic year has something to show


def test_some_demo_patrons_chose_whatsapp_or_sms_and_d0001_keeps_email(demo):
    assert Patron.objects.get(card_number="D0001").notice_channels == ["email"]
    assert any("whatsapp" in p.notice_channels for p in Patron.objects.all())
    assert any(p.notice_channels == ["sms"] for p in Patron.objects.all())
