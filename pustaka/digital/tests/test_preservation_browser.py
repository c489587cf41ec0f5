"""Preservation in a real browser: the IT manager sees a damaged file on the dashboard, restores it by
uploading the original, and looks at broken links (screenshots under /tmp for review)."""

import datetime

import pytest
from django.utils import timezone

from .preservation_fixtures import *  # noqa: F403
from .preservation_fixtures import flip_a_byte, path_of

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n" + b"laporan tahunan " * 4000


@pytest.mark.django_db(transaction=True)
def test_it_manager_restores_a_damaged_file_and_sees_broken_links(
    page, new_page, live_server, make_staff, make_stored_file, make_linked, tmp_path
):
    from pustaka.digital.actions.preservation import run_fixity
    from pustaka.digital.models import Licence, LinkCheck, ResourceFile

    make_staff("it_manager", username="itmanager")
    stored = make_stored_file(PDF, name="laporan-tahunan-2025.pdf")
    make_stored_file(b"PK\x03\x04 epub" * 500, name="buku-ajar.epub")
    flip_a_byte(stored)
    run_fixity(actor=None, notify=False)
    journal = make_linked("https://jurnal.example.ac.id/index.php/teknik", label="Jurnal Teknik Sipil")
    ResourceFile.objects.create(resource=journal, file=stored)
    now = timezone.now()
    for days, outcome, status in ((3, "ok", 200), (2, "ok", 200), (1, "broken", 404)):
        LinkCheck.objects.create(
            resource=journal,
            url=journal.remote_url,
            checked_at=now - datetime.timedelta(days=days),
            outcome=outcome,
            status_code=status,
            error="" if status == 200 else "HTTP 404",
        )
    Licence.objects.create(
        name="Lisensi ProQuest 2026", vendor="ProQuest", ends_on=timezone.localdate() + datetime.timedelta(days=21)
    )

    page.goto(f"{live_server.url}/staff/digital/")
    page.keyboard.type("itmanager")
    page.keyboard.press("Tab")
    page.keyboard.type("test-password-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/digital/")
    assert page.locator("[data-problems]").inner_text() == "1"
    assert page.locator("[data-broken]").inner_text() == "1"
    page.screenshot(path="/tmp/preserve-dashboard.png", full_page=True)

    page.get_by_role("link", name="laporan-tahunan-2025.pdf").first.click()
    page.wait_for_url("**/fixity/files/*/")
    original = tmp_path / "laporan-tahunan-2025.pdf"
    original.write_bytes(PDF)
    page.get_by_label("Identical copy of the file").set_input_files(str(original))
    page.screenshot(path="/tmp/preserve-file.png", full_page=True)
    page.get_by_role("button", name="Upload and restore").click()
    page.get_by_text("restored from the identical copy").wait_for()
    assert path_of(stored).read_bytes() == PDF
    page.screenshot(path="/tmp/preserve-file-restored.png", full_page=True)

    page.goto(f"{live_server.url}/staff/digital/fixity/")
    page.screenshot(path="/tmp/preserve-fixity.png", full_page=True)
    page.goto(f"{live_server.url}/staff/digital/links/")
    assert page.locator("tr[data-resource] .badge").first.inner_text() == "Broken"
    page.screenshot(path="/tmp/preserve-links.png", full_page=True)

    phone = new_page(locale="id-ID", width=375)
    phone.goto(f"{live_server.url}/staff/login/?next=/staff/digital/")
    phone.keyboard.type("itmanager")
    phone.keyboard.press("Tab")
    phone.keyboard.type("test-password-123")
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"{live_server.url}/staff/digital/")
    phone.screenshot(path="/tmp/preserve-dashboard-phone.png", full_page=True)
