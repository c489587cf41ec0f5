"""The staff dashboard: every role lands on it and sees what its role may see."""

import re

import pytest

from pustaka.catalog.actions import create_record


@pytest.mark.parametrize(
    "role", ["administrator", "it_manager", "librarian", "senior_technician", "technician", "circulation"]
)
def test_every_role_lands_on_the_dashboard(client, make_staff, role):
    client.force_login(make_staff(role))
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "Welcome" in response.content.decode()


def test_anonymous_visitors_go_to_the_login_page(client, db):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]


def test_a_patron_account_is_refused(client, patron_user):
    client.force_login(patron_user)
    assert client.get("/staff/").status_code == 403


def test_the_dashboard_counts_items_by_status_at_the_home_branch(client, circulation, make_item, other_branch):
    from pustaka.holdings.models import Item

    make_item("B1")
    make_item("B2")
    b3 = make_item("B3", status="on_loan")
    Item.objects.create(barcode="B4", record=b3.record, branch=other_branch, item_type=b3.item_type, status="missing")
    client.force_login(circulation)
    response = client.get("/staff/")
    statuses = {value: n for value, _label, _colour, n in response.context["statuses"]}
    assert statuses == {"available": 2, "on_loan": 1}
    html = response.content.decode()
    assert f"/staff/holdings/?status=on_loan&amp;branch={circulation.home_branch_id}" in html


def test_the_dashboard_has_a_barcode_box_with_focus(client, circulation):
    client.force_login(circulation)
    html = client.get("/staff/").content.decode()
    box = re.search(r'<input id="scan-barcode"[^>]*>', html).group(0)
    assert "autofocus" in box
    assert 'action="/staff/holdings/scan/"' in html


def test_the_dashboard_shows_recent_records_and_the_users_own_work(client, librarian, technician):
    record = create_record(actor=librarian, title="Laskar Pelangi")
    client.force_login(librarian)
    html = client.get("/staff/").content.decode()
    assert "Laskar Pelangi" in html
    assert f"/staff/catalog/{record.pk}/" in html
    assert "Record catalogued" in html
    client.force_login(technician)
    html = client.get("/staff/").content.decode()
    assert "Record catalogued" not in html  # not technician's work
    assert "/staff/catalog/new/" not in html  # no shortcut to what the role may not do


def test_the_dashboard_does_not_grow_queries_with_data(client, librarian, make_item, django_assert_max_num_queries):
    for i in range(30):
        make_item(f"C{i:04d}", status="available" if i % 2 else "on_loan")
        create_record(actor=librarian, title=f"Buku {i}")
    client.force_login(librarian)
    # 12 for the page, 2 for the desk's figures and 4 for the librarian's month (reports.dashboard)
    with django_assert_max_num_queries(18):
        assert client.get("/staff/").status_code == 200
