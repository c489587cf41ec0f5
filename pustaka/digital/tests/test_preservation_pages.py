"""Preservation pages and the IT manager's dashboard: what they show, who may use them, query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pustaka.digital.actions.preservation import run_fixity
from pustaka.digital.choices import CheckOutcome, FileState
from pustaka.digital.models import FixityCheck, Licence, LinkCheck

from .preservation_fixtures import *  # noqa: F403
from .preservation_fixtures import flip_a_byte, path_of

PDF = b"%PDF-1.7\n" + b"page " * 5000

READ_PAGES = ["digital:dashboard", "digital:fixity", "digital:links"]


@pytest.fixture
def damaged(make_stored_file):
    stored = make_stored_file(PDF, name="laporan.pdf")
    flip_a_byte(stored)
    run_fixity(actor=None, notify=False)
    stored.refresh_from_db()
    return stored


@pytest.mark.parametrize("name", READ_PAGES)
def test_anonymous_is_sent_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("name", ["digital:fixity", "digital:links"])
@pytest.mark.parametrize("role", ["librarian", "technician", "circulation", "senior_technician"])
def test_other_staff_roles_may_not_see_preservation_pages(client, make_staff, name, role):
    client.force_login(make_staff(role))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("role", ["librarian", "circulation", "technician", "senior_technician"])
def test_staff_who_only_see_resources_land_on_the_resource_list(client, make_staff, role):
    client.force_login(make_staff(role))
    response = client.get(reverse("digital:dashboard"))
    assert response.status_code == 302 and response.url == reverse("digital:resource_list")


@pytest.mark.parametrize("name", READ_PAGES)
def test_a_patron_may_not_see_preservation_pages(client, patron_user, name):
    client.force_login(patron_user)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("role", ["it_manager", "administrator"])
def test_it_managers_and_administrators_see_the_dashboard(client, make_staff, role):
    client.force_login(make_staff(role))
    assert client.get(reverse("digital:dashboard")).status_code == 200


def test_the_dashboard_shows_storage_problems_broken_links_and_expiring_licences(
    client, it_manager, damaged, make_stored_file, make_linked, django_assert_max_num_queries
):
    import datetime

    make_stored_file(b"another file")
    resource = make_linked("http://journal.example/gone")
    LinkCheck.objects.create(
        resource=resource, url=resource.remote_url, checked_at=timezone.now(), outcome="broken", status_code=404
    )
    today = timezone.localdate()
    Licence.objects.create(name="Lisensi Jurnal Teknik", vendor="Penerbit", ends_on=today + datetime.timedelta(days=30))
    Licence.objects.create(name="Lisensi Lama", ends_on=today + datetime.timedelta(days=200))
    client.force_login(it_manager)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("digital:dashboard"))

    html = response.content.decode()
    assert "laporan.pdf" in html and 'data-value="changed"' in html
    assert "journal.example/gone" in html and "HTTP 404" in html
    assert "Lisensi Jurnal Teknik" in html and "Lisensi Lama" not in html
    assert 'id="usage"' in html
    assert response.context["summary"]["files"]["count"] == 2
    assert response.context["broken_count"] == 1


def test_the_fixity_page_lists_problem_files_and_checks(
    client, it_manager, damaged, make_stored_file, django_assert_max_num_queries
):
    for n in range(15):
        stored = make_stored_file(f"file {n}".encode())
        FixityCheck.objects.create(file=stored, checked_at=timezone.now(), outcome="ok", found_sha256=stored.sha256)
    client.force_login(it_manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("digital:fixity"))
    html = response.content.decode()
    assert "laporan.pdf" in html
    assert reverse("digital:stored_file", args=[damaged.pk]) in html
    filtered = client.get(reverse("digital:fixity"), {"outcome": "changed"})
    assert list(filtered.context["page"].object_list) == [FixityCheck.objects.get(outcome="changed")]


def test_run_fixity_from_the_page(client, it_manager, damaged):
    client.force_login(it_manager)
    response = client.post(reverse("digital:fixity_run"), follow=True)
    assert "Checked 1 file: 0 intact, 1 changed, 0 missing." in response.content.decode()
    assert FixityCheck.objects.filter(file=damaged).count() == 2


def test_a_librarian_cannot_start_fixity_from_the_page(client, librarian, damaged):
    client.force_login(librarian)
    assert client.post(reverse("digital:fixity_run")).status_code == 403
    assert FixityCheck.objects.filter(file=damaged).count() == 1


def test_restore_a_damaged_file_by_uploading_an_identical_copy(client, it_manager, damaged):
    client.force_login(it_manager)
    url = reverse("digital:stored_file", args=[damaged.pk])
    page = client.get(url)
    assert "Restore from an identical copy" in page.content.decode()

    response = client.post(url, {"upload": SimpleUploadedFile("laporan.pdf", PDF)}, follow=True)

    assert "restored from the identical copy" in response.content.decode()
    damaged.refresh_from_db()
    assert damaged.state == FileState.OK
    assert path_of(damaged).read_bytes() == PDF


def test_uploading_a_different_file_is_refused_with_the_reason(client, it_manager, damaged):
    client.force_login(it_manager)
    before = path_of(damaged).read_bytes()
    response = client.post(
        reverse("digital:stored_file", args=[damaged.pk]), {"upload": SimpleUploadedFile("x.pdf", b"other bytes")}
    )
    assert response.status_code == 400
    assert "is not the same file" in response.content.decode()
    assert path_of(damaged).read_bytes() == before
    damaged.refresh_from_db()
    assert damaged.state == FileState.CHANGED


def test_a_librarian_cannot_restore_a_file_from_the_page(client, librarian, damaged):
    client.force_login(librarian)
    url = reverse("digital:stored_file", args=[damaged.pk])
    assert client.post(url, {"upload": SimpleUploadedFile("laporan.pdf", PDF)}).status_code == 403
    damaged.refresh_from_db()
    assert damaged.state == FileState.CHANGED


def test_check_one_file_from_its_page(client, it_manager, make_stored_file):
    stored = make_stored_file(PDF)
    client.force_login(it_manager)
    response = client.post(reverse("digital:stored_file_check", args=[stored.pk]), follow=True)
    assert "The file is intact." in response.content.decode()
    assert stored.fixity_checks.get().outcome == CheckOutcome.OK


def test_the_links_page_shows_broken_links_with_their_history(
    client, it_manager, make_linked, django_assert_max_num_queries
):
    now = timezone.now()
    for n in range(8):
        broken = make_linked(f"http://journal{n}.example/gone")
        for days, outcome in ((3, "ok"), (2, "ok"), (1, "broken")):
            LinkCheck.objects.create(
                resource=broken,
                url=broken.remote_url,
                checked_at=now - timezone.timedelta(days=days),
                outcome=outcome,
                status_code=404 if outcome == "broken" else 200,
            )
    fine = make_linked("http://fine.example/")
    LinkCheck.objects.create(resource=fine, url=fine.remote_url, checked_at=now, outcome="ok", status_code=200)
    client.force_login(it_manager)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("digital:links"))

    html = response.content.decode()
    assert "journal0.example/gone" in html and "fine.example" not in html
    first = response.context["resources"][0]
    assert [c.outcome for c in first.recent_checks] == ["broken", "ok", "ok"]
    every = client.get(reverse("digital:links"), {"all": "1"})
    assert "fine.example" in every.content.decode()


def test_check_a_link_now_from_the_page(client, it_manager, link_server, make_linked):
    resource = make_linked(link_server.url("/missing"))
    client.force_login(it_manager)
    response = client.post(reverse("digital:link_check_now", args=[resource.pk]), follow=True)
    assert response.status_code == 200
    assert resource.link_checks.get().outcome == CheckOutcome.BROKEN
    assert link_server.url("/missing") in response.content.decode()


def test_a_librarian_cannot_check_links_from_the_page(client, librarian, make_linked):
    resource = make_linked("http://127.0.0.1:9/")
    client.force_login(librarian)
    assert client.post(reverse("digital:link_check_now", args=[resource.pk])).status_code == 403
    assert client.post(reverse("digital:links_run")).status_code == 403
    assert not LinkCheck.objects.exists()


def test_the_staff_home_has_a_digital_panel_for_it_managers_only(client, it_manager, librarian, damaged):
    client.force_login(it_manager)
    html = client.get(reverse("staff:home")).content.decode()
    assert 'id="digital-panel"' in html and "1 file missing or damaged" in html
    client.force_login(librarian)
    assert 'id="digital-panel"' not in client.get(reverse("staff:home")).content.decode()


def test_indonesian_dashboard(client, it_manager, damaged):
    client.force_login(it_manager)
    response = client.get(reverse("digital:dashboard"), headers={"accept-language": "id"})
    assert response.status_code == 200
    assert "Keluar" in response.content.decode()  # the page renders in Indonesian
