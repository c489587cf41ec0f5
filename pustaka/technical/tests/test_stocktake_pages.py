"""Stocktake pages with the test client: start, scan one and a batch, finish, report, confirm; refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pustaka.holdings.models import Item
from pustaka.technical.actions import finish_stocktake, scan_barcodes, start_stocktake
from pustaka.technical.models import Stocktake


@pytest.fixture
def shelf(make_item):
    return [make_item(f"S{n}00", call_number=f"{n}00 ABC a") for n in range(1, 6)]


def _login(client, user):
    client.force_login(user)
    return client


def test_technician_walks_a_stocktake_through_the_pages_and_librarian_confirms(
    client, technician, librarian, branch, location, shelf, make_item
):
    make_item("GONE", status="withdrawn", call_number="250")
    _login(client, technician)
    page = client.get(reverse("technical:stocktake_list"))
    assert page.status_code == 200 and "Start a stocktake" in page.content.decode()

    response = client.post(
        reverse("technical:stocktake_list"),
        {"branch": branch.pk, "location": location.pk, "call_number_from": "", "call_number_to": ""},
    )
    stocktake = Stocktake.objects.get()
    scan_url = reverse("technical:stocktake_scan", args=[stocktake.pk])
    assert response.status_code == 302 and response.url == scan_url

    page = client.get(scan_url).content.decode()
    assert 'autofocus class="scan-input"' in page

    for barcode in ["S100", "S300", "S200", "GONE"]:
        response = client.post(scan_url, {"barcode": barcode}, follow=True)
    body = response.content.decode()
    assert "GONE: Should not be on the shelf" in body
    assert 'data-value="out_of_order"' in body and 'data-value="should_not_be_here"' in body

    upload = SimpleUploadedFile("scanner.txt", b"S400\nNOPE\n")
    client.post(scan_url, {"batch": "", "upload": upload})
    assert stocktake.scans.count() == 6

    response = client.post(reverse("technical:stocktake_finish", args=[stocktake.pk]), follow=True)
    report = response.content.decode()
    assert "S500" in report and "Confirm and mark missing" not in report  # the technician may not confirm
    assert client.get(reverse("technical:stocktake_confirm", args=[stocktake.pk])).status_code == 403

    _login(client, librarian)
    report = client.get(reverse("technical:stocktake_report", args=[stocktake.pk])).content.decode()
    assert "Confirm and mark missing" in report
    confirm_page = client.get(reverse("technical:stocktake_confirm", args=[stocktake.pk])).content.decode()
    assert "1 item in this stocktake" in confirm_page
    response = client.post(reverse("technical:stocktake_confirm", args=[stocktake.pk]), follow=True)
    assert "Stocktake confirmed: 1 item marked missing." in response.content.decode()
    assert Item.objects.get(barcode="S500").status == "missing"
    assert Item.objects.get(barcode="GONE").status == "withdrawn"


def test_confirming_twice_on_the_page_says_why_and_changes_nothing(client, technician, librarian, branch, shelf):
    stocktake = start_stocktake(branch=branch, actor=technician)
    finish_stocktake(stocktake=stocktake, actor=technician)
    _login(client, librarian)
    url = reverse("technical:stocktake_confirm", args=[stocktake.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "only a finished stocktake waiting for confirmation can be confirmed" in response.content.decode()


def test_scanning_into_a_finished_stocktake_shows_the_error(client, technician, branch, shelf):
    stocktake = start_stocktake(branch=branch, actor=technician)
    finish_stocktake(stocktake=stocktake, actor=technician)
    _login(client, technician)
    response = client.post(reverse("technical:stocktake_scan", args=[stocktake.pk]), {"barcode": "S100"}, follow=True)
    assert "no more scanning" in response.content.decode()
    assert not stocktake.scans.exists()


def test_anonymous_patron_and_roles_without_permission_are_refused(
    client, patron_user, circulation, it_manager, technician, branch
):
    stocktake = start_stocktake(branch=branch, actor=technician)
    list_url = reverse("technical:stocktake_list")
    scan_url = reverse("technical:stocktake_scan", args=[stocktake.pk])
    assert client.get(list_url).status_code == 302  # to the login page
    _login(client, patron_user)
    assert client.get(list_url).status_code == 403
    _login(client, it_manager)
    assert client.get(list_url).status_code == 403
    _login(client, circulation)  # may look, may not start or scan
    assert client.get(list_url).status_code == 200
    assert client.post(list_url, {"branch": branch.pk}).status_code == 403
    client.post(scan_url, {"barcode": "S100"})
    assert not stocktake.scans.exists()
    assert client.post(reverse("technical:stocktake_finish", args=[stocktake.pk])).status_code == 403
    assert client.post(reverse("technical:stocktake_cancel", args=[stocktake.pk])).status_code == 403


def test_stocktake_list_and_report_use_a_fixed_number_of_queries(
    client, technician, branch, location, make_item, django_assert_max_num_queries
):
    for n in range(30):
        make_item(f"Q{n:03d}", call_number=f"{n:03d}")
    for _ in range(5):
        stocktake = start_stocktake(branch=branch, actor=technician)
        scan_barcodes(stocktake=stocktake, barcodes=[f"Q{n:03d}" for n in range(0, 30, 3)] + ["NOPE"], actor=technician)
    _login(client, technician)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("technical:stocktake_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("technical:stocktake_report", args=[stocktake.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("technical:stocktake_scan", args=[stocktake.pk])).status_code == 200
