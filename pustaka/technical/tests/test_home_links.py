"""The technical services home links only to pages the viewer may open, and links to every workflow
page (stocktakes and serials included) for the roles that work there."""

import re

import pytest
from django.utils import translation

from pustaka.core.choices import Role

HOME = "/staff/technical/"


def _links(page: str) -> list[str]:
    main = page.split("<main", 1)[1] if "<main" in page else page
    return sorted(set(re.findall(r'href="(/staff/[^"]*)"', main)))


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.SENIOR_TECHNICIAN, Role.LIBRARIAN, Role.CIRCULATION])
def test_every_link_on_the_technical_home_opens_for_the_role_that_sees_it(client, make_staff, role):
    client.force_login(make_staff(role, f"{role}-home"))
    page = client.get(HOME)
    assert page.status_code == 200
    links = _links(page.content.decode())
    assert links
    for url in links:
        assert client.get(url).status_code == 200, (role, url)


def test_the_technician_sees_the_queue_without_a_link_to_a_page_it_may_not_open(client, technician):
    client.force_login(technician)
    page = client.get(HOME).content.decode()
    row = re.search(r'<tr id="queue-cataloguing".*?</tr>', page, re.S).group(0)
    assert "Waiting for a call number" in row and "<a " not in row.split("</th>")[0]
    assert 'href="/staff/technical/processing/cataloguing/"' not in page


def test_stocktakes_and_serials_are_linked_from_the_technical_home(client, librarian):
    client.force_login(librarian)
    page = client.get(HOME).content.decode()
    assert 'href="/staff/technical/stocktakes/"' in page
    assert 'href="/staff/technical/serials/"' in page


def test_indonesian_words_are_right_for_statuses_capacity_the_scan_button_and_the_bindery(client, librarian):
    """Found on the walk: "Cantuman" (a catalogue record) on the stocktake scan button, "Penjilidan" (the
    work) for the firm that binds, "Buka"/"Tutup" (opening hours) as statuses, "Tempat" for capacity."""
    from pustaka.programs.forms import ProgramForm
    from pustaka.reference.choices import HelpStatus
    from pustaka.technical.choices import PullListStatus, RepairStatus
    from pustaka.technical.views.bindery import ShipmentForm

    with translation.override("id"):
        assert str(PullListStatus.OPEN.label) == "Terbuka" and str(PullListStatus.CLOSED.label) == "Ditutup"
        assert str(RepairStatus.OPEN.label) == "Terbuka"
        assert str(HelpStatus.CLOSED.label) == "Ditutup"
        assert str(ShipmentForm().fields["vendor"].label) == "Penjilid"
        assert str(ProgramForm().fields["capacity"].label) == "Kapasitas"
    from pustaka.core.models import Branch
    from pustaka.technical.actions import start_stocktake

    stocktake = start_stocktake(branch=Branch.objects.get(code="MAIN"), actor=librarian)
    client.force_login(librarian)
    page = client.get(f"/staff/technical/stocktakes/{stocktake.pk}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<button type="submit">Catat</button>' in page and "Cantuman</button>" not in page
