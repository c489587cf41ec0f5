"""Embargoes are moving walls on the coverage, read as KBART defines them (R: only the most recent
period is available; P: the most recent period is not), and never block a whole title for its last months."""

import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from pustaka.digital.access import decide
from pustaka.digital.actions.kbart import import_kbart
from pustaka.digital.actions.resources import update_resource
from pustaka.digital.embargo import Wall, accessible_period, normalise, parse
from pustaka.digital.errors_ingest import InvalidResource
from pustaka.digital.models import DigitalResource

from .fixtures_access import *  # noqa: F403

KBART = Path(__file__).resolve().parent / "data" / "kbart-teknik.txt"
TODAY = datetime.date(2026, 12, 7)


def period(embargo, start=None, end=None, kind="ejournal"):
    resource = DigitalResource(kind=kind, coverage_start=start, coverage_end=end, embargo=embargo)
    found = accessible_period(resource, licence=None, today=TODAY)
    return found.start, found.end


@pytest.mark.parametrize(
    ("embargo", "start", "end"),
    [
        ("P1Y", datetime.date(2010, 1, 1), datetime.date(2025, 12, 31)),  # all but the current calendar year
        ("P6M", datetime.date(2010, 1, 1), datetime.date(2026, 6, 30)),  # all but the last 6 calendar months
        ("P30D", datetime.date(2010, 1, 1), datetime.date(2026, 11, 7)),  # all but the last 30 days
        ("R1Y", datetime.date(2026, 1, 1), None),  # only the current calendar year
        ("R2Y", datetime.date(2025, 1, 1), None),  # the previous and the current calendar years
        ("R6M", datetime.date(2026, 7, 1), None),  # only the last 6 calendar months
        ("R10Y;P30D", datetime.date(2017, 1, 1), datetime.date(2026, 11, 7)),
        ("", datetime.date(2010, 1, 1), None),
    ],
)
def test_kbart_embargoes_are_moving_walls_read_the_kbart_way(embargo, start, end):
    assert period(embargo, start=datetime.date(2010, 1, 1)) == (start, end)


@pytest.mark.parametrize("bad", ["X1Y", "P0M", "P1Y;P2Y", "1Y", "P1W", "P1Y;R2Y;P3D"])
def test_statements_that_are_not_kbart_are_refused(bad):
    with pytest.raises(ValueError):
        parse(bad)


def test_the_starting_wall_is_written_first():
    assert normalise(" p30d;r10y ") == "R10Y;P30D"
    assert [str(w) for w in parse("R10Y;P30D")] == ["R10Y", "P30D"]
    assert Wall("P", 6, "M").ago() == "6 months ago"


def test_a_payment_wall_leaves_the_link_open_and_the_page_says_what_is_available(
    client, make_resource, licence, reader, record
):
    journal = make_resource(
        licence, kind="ejournal", remote_url="https://journals.example.ac.id/jts",
        coverage_start=datetime.date(2010, 1, 1), embargo="P6M",
    )  # fmt: skip
    client.force_login(reader("P0101"))
    page = client.get(reverse("opac:record", args=[record.pk])).content.decode()
    today = timezone.localdate()
    until = date_format(Wall("P", 6, "M").date(today) - datetime.timedelta(days=1), "DATE_FORMAT")
    assert f"Available 2010 – 6 months ago (until {until})" in page
    assert reverse("digital_public:follow_link", args=[journal.pk]) in page
    followed = client.get(reverse("digital_public:follow_link", args=[journal.pk]))
    assert followed.status_code == 302 and followed["Location"] == "https://journals.example.ac.id/jts"
    indonesian = client.get(reverse("opac:record", args=[record.pk]), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Tersedia 2010 – 6 bulan lalu (sampai " in indonesian


def test_a_licence_embargo_is_shown_as_the_same_moving_wall_on_the_staff_page(
    client, make_resource, make_licence, it_manager
):
    embargoed = make_licence("Embargo 12 bulan", embargo_months=12)
    journal = make_resource(embargoed, kind="ejournal", coverage_start=datetime.date(2012, 3, 1))
    client.force_login(it_manager)
    page = client.get(f"/staff/digital/resources/{journal.pk}/").content.decode()
    until = date_format(Wall("P", 12, "M").date(timezone.localdate()) - datetime.timedelta(days=1), "DATE_FORMAT")
    assert f"Available {date_format(datetime.date(2012, 3, 1), 'DATE_FORMAT')} – 12 months ago (until {until})" in page


def test_a_title_whose_whole_coverage_is_behind_the_wall_is_refused(make_resource, licence, reader):
    user = reader("P0101")
    only_recent = make_resource(
        licence, kind="ejournal", coverage_start=datetime.date(2015, 1, 1),
        coverage_end=datetime.date(2023, 6, 30), embargo="R1Y",
    )  # fmt: skip
    held_back = make_resource(licence, kind="ejournal", coverage_start=datetime.date(2026, 3, 1), embargo="P1Y")
    now = timezone.make_aware(datetime.datetime(2026, 12, 7, 10, 0))
    for resource in (only_recent, held_back):
        assert decide(resource=resource, user=user, action="link", ip=None, now=now).reason == "embargo"
        assert accessible_period(resource, today=TODAY).describe() == (
            "Under embargo: nothing of this title is available yet."
        )
    open_run = make_resource(licence, kind="ejournal", coverage_start=datetime.date(2015, 1, 1), embargo="P1Y")
    assert decide(resource=open_run, user=user, action="link", ip=None, now=now).granted


def test_kbart_import_keeps_the_embargo_as_given_and_rejects_a_bad_one(it_manager):
    text = KBART.read_text().replace("\tjrm\t\t", "\tjrm\tP1Y\t").replace("\tjts\t\t", "\tjts\tR1Z\t")
    result = import_kbart(source=io.BytesIO(text.encode()), actor=it_manager)
    elektro = DigitalResource.objects.get(record__issn="1410-9743")
    assert elektro.embargo == "R1Y"
    assert "embargo" not in elektro.coverage_note  # the wall is a field, not words in the note
    assert DigitalResource.objects.get(record__issn="2338-0101").embargo == "P1Y"
    reasons = [reason for _line, title, reason in result.rejected if title == "Jurnal Teknik Sipil"]
    assert reasons == ["the embargo “R1Z” is not like R1Y, P6M or R10Y;P30D"]


def test_the_resource_action_refuses_an_embargo_that_is_not_kbart(make_resource, licence, it_manager):
    journal = make_resource(licence, kind="ejournal")
    with pytest.raises(InvalidResource) as refused:
        update_resource(resource=journal, actor=it_manager, embargo="6 bulan")
    assert refused.value.field == "embargo"
    journal.refresh_from_db()
    assert journal.embargo == ""
    update_resource(resource=journal, actor=it_manager, embargo="p6m")
    journal.refresh_from_db()
    assert journal.embargo == "P6M"
