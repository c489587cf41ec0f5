"""Digital licences are airtight (issue 10, part 5): seats guard every file of software, whatever the
file's role, on the web and over OPDS; an installer uploaded with the software form is stored as one."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pustaka.digital.models import AccessEvent, DigitalResource, SoftwareSeat

from .fixtures_access import *  # noqa: F403

INSTALLER = b"MZ" + b"\x90\x00" * 30 + b"PE\x00\x00" + bytes(200)


@pytest.fixture(autouse=True)
def _fresh_login_counts():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def url(name, link):
    return reverse(f"digital_public:{name}", args=[link.resource_id, link.pk])


def basic(username, password="secret-pass-1"):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def lend(resource, patron):
    return SoftwareSeat.objects.create(resource=resource, licence_key="KEY-1", patron=patron, lent_at=timezone.now())


# Seats guard every file of a software resource ----------------------------------------------------


@pytest.mark.parametrize("role", ["content", "supplement", "installer"])
def test_no_file_of_software_goes_to_a_patron_without_a_seat_whatever_its_role(
    client, make_resource, make_licence, make_file, reader, role
):
    software = make_resource(make_licence("SPSS", seats=1), kind="software")
    setup = make_file(software, INSTALLER, "application/x-msdownload", "setup.exe", role=role)
    reader("P1")
    holder = reader("P2")
    client.force_login(reader("P3"))
    assert client.get(url("download_file", setup)).status_code == 403
    assert client.get(url("read_file", setup)).status_code == 403
    client.logout()
    opds = client.get(f"/opds/download/{software.pk}/{setup.pk}", **basic("P1"))
    assert opds.status_code == 403
    assert "Borrow a seat" in opds.content.decode()
    assert set(AccessEvent.objects.values_list("reason", flat=True)) == {"seat_required"}
    assert not AccessEvent.objects.filter(granted=True).exists()
    lend(software, holder.patron)
    response = client.get(f"/opds/download/{software.pk}/{setup.pk}", **basic("P2"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == INSTALLER


def test_the_record_page_of_software_says_to_borrow_a_seat_and_how_many_are_free(
    client, make_resource, make_licence, make_file, reader, record
):
    software = make_resource(make_licence("SPSS", seats=1), kind="software")
    make_file(software, INSTALLER, "application/x-msdownload", "setup.exe", role="content")
    SoftwareSeat.objects.create(resource=software, licence_key="KEY-1")
    client.force_login(reader("P1"))
    html = client.get(reverse("opac:record", args=[record.pk])).content.decode()
    assert "Borrow a seat of this software at the desk first" in html
    assert "1 seat free: borrow it at the desk." in html
    assert url("download_file", software.files.get()) not in html


def test_an_installer_uploaded_with_the_software_form_is_stored_as_the_installer(client, it_manager, files_dir):
    client.force_login(it_manager)
    response = client.post(
        "/staff/digital/upload/", {"file": SimpleUploadedFile("setup.exe", INSTALLER), "kind": "software"}
    )
    assert response.status_code == 302, response.content[:500]
    page = client.get(response["Location"])
    data = {f"record-{k}": v for k, v in page.context["record_form"].initial.items() if isinstance(v, str | int)}
    data.update({"record-title": "Statistik Terapan", "record-language": "ind"})
    data.update({"resource-kind": "software", "resource-is_active": "on", "resource-version": "29"})
    done = client.post(response["Location"], data)
    assert done.status_code == 302, done.context and done.context["record_form"].errors
    resource = DigitalResource.objects.get()
    assert resource.kind == "software"
    assert list(resource.files.values_list("role", flat=True)) == ["installer"]


# Blocks stop digital access as they stop lending at the desk ---------------------------------------


@pytest.fixture
def blocked_reader(reader, administrator):
    """Patron P0101 whose card was reported lost at the desk (a staff block)."""
    from pustaka.patrons.actions import block_patron

    user = reader("P0101")
    block_patron(patron=user.patron, actor=administrator, reason="Kartu hilang")
    return user


def test_a_blocked_patron_cannot_read_download_or_fetch_over_opds(client, resource, make_file, blocked_reader):
    pdf = make_file(resource, b"%PDF-1.4 berlisensi", "application/pdf", "berlisensi.pdf")
    client.force_login(blocked_reader)
    for name in ("download_file", "read_file"):
        response = client.get(url(name, pdf))
        assert response.status_code == 403
        assert "Your library account is blocked; please ask at the library desk" in response.content.decode()
        assert b"%PDF" not in response.content
    client.logout()
    opds = client.get(f"/opds/download/{resource.pk}/{pdf.pk}", **basic("P0101"))
    assert opds.status_code == 403
    assert "blocked" in opds.content.decode()
    assert set(AccessEvent.objects.values_list("granted", "reason")) == {(False, "blocked")}
    assert AccessEvent.objects.count() == 3


def test_the_block_refusal_is_in_indonesian_too(client, resource, make_file, blocked_reader):
    pdf = make_file(resource)
    client.force_login(blocked_reader)
    response = client.get(url("download_file", pdf), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 403
    assert "Akun perpustakaan Anda diblokir" in response.content.decode()


def test_lifting_the_block_gives_access_back(client, resource, make_file, blocked_reader, administrator):
    from pustaka.patrons.actions import unblock_patron

    pdf = make_file(resource)
    client.force_login(blocked_reader)
    assert client.get(url("download_file", pdf)).status_code == 403
    unblock_patron(patron=blocked_reader.patron, actor=administrator, reason="Kartu ditemukan")
    assert client.get(url("download_file", pdf)).status_code == 200


def test_fines_over_the_limit_block_digital_access_like_a_loan_at_the_desk(
    client, resource, make_file, reader, patron_category, administrator
):
    from decimal import Decimal

    from pustaka.circulation.actions import charge

    pdf = make_file(resource)
    user = reader("P0102")
    patron_category.max_fines = Decimal("10000")
    patron_category.save()
    charge(patron=user.patron, kind="card", amount=Decimal("25000"), actor=administrator)
    client.force_login(user)
    response = client.get(url("download_file", pdf))
    assert response.status_code == 403
    assert AccessEvent.objects.get().reason == "blocked"


def test_a_blocked_patron_is_not_lent_a_licence_key(make_resource, make_licence, blocked_reader, circulation):
    from pustaka.digital.actions.seats import lend_seat
    from pustaka.digital.errors_access import SeatRefused

    software = make_resource(make_licence("SPSS", seats=1), kind="software")
    seat = SoftwareSeat.objects.create(resource=software, licence_key="KEY-1")
    with pytest.raises(SeatRefused) as refused:
        lend_seat(resource=software, patron=blocked_reader.patron, actor=circulation)
    assert "is blocked: Blocked by staff" in str(refused.value)
    seat.refresh_from_db()
    assert seat.patron_id is None and seat.lent_at is None
