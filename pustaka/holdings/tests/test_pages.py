"""Item pages: who may use them, attaching and editing items, the barcode box, lifecycle buttons
(refusals included) and the condition history."""

import re

import pytest

from pustaka.core.models import AuditEvent, Location
from pustaka.holdings.models import ConditionChange, Item


def item_data(branch, item_type, **overrides):
    data = {
        "barcode": "B000777",
        "branch": branch.pk,
        "location": "",
        "item_type": item_type.pk,
        "status": "available",
        "condition": "good",
        "call_number": "",
        "copy_number": "",
        "price": "85000",
        "acquired_on": "2024-05-02",
    }
    data.update(overrides)
    return data


# Who may use the pages ----------------------------------------------------------------------------

PAGES = [
    ("/staff/holdings/", "circulation", None),
    ("/staff/holdings/items/B000001/", "technician", None),
    ("/staff/holdings/records/{record}/new-item/", "senior_technician", "technician"),
    ("/staff/holdings/items/B000001/edit/", "senior_technician", "circulation"),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), PAGES)
def test_each_item_page_admits_its_roles_and_refuses_the_others(client, make_staff, item, url, allowed, refused):
    url = url.format(record=item.record_id)
    client.force_login(make_staff(allowed))
    assert client.get(url).status_code == 200
    if refused:
        client.force_login(make_staff(refused))
        assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [p[0] for p in PAGES] + ["/staff/holdings/scan/?barcode=B000001"],
)
def test_anonymous_visitors_go_to_the_login_page_and_patrons_are_refused(client, patron_user, item, url):
    url = url.format(record=item.record_id)
    response = client.get(url)
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]
    client.force_login(patron_user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/staff/holdings/items/B000001/move/", "/staff/holdings/items/B000001/condition/"])
def test_patrons_cannot_post_to_an_item(client, patron_user, item, url):
    client.force_login(patron_user)
    assert client.post(url, {"to": "on_loan", "condition": "damaged"}).status_code == 403
    item.refresh_from_db()
    assert (item.status, item.condition) == ("available", "good")


# Attach -------------------------------------------------------------------------------------------


def test_the_barcode_field_has_focus_and_the_branch_defaults_to_the_home_branch(client, librarian, record):
    client.force_login(librarian)
    response = client.get(f"/staff/holdings/records/{record.pk}/new-item/")
    form = response.context["form"]
    assert form.initial["branch"] == librarian.home_branch_id
    barcode_input = re.search(r'<input[^>]*name="barcode"[^>]*>', response.content.decode()).group(0)
    assert "autofocus" in barcode_input


def test_librarian_attaches_an_item_to_a_record(client, librarian, record, branch, location, item_type, make_item):
    make_item("B000001")  # copy 1 exists
    client.force_login(librarian)
    response = client.post(
        f"/staff/holdings/records/{record.pk}/new-item/",
        item_data(branch, item_type, location=location.pk, status="in_processing"),
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/holdings/items/B000777/"
    item = Item.objects.get(barcode="B000777")
    assert item.record == record and item.location == location
    assert item.status == "in_processing"
    assert item.copy_number == 2
    assert str(item.price) == "85000.00"
    assert item.acquired_on.isoformat() == "2024-05-02"
    event = AuditEvent.objects.get(verb="holdings.item.create")
    assert event.actor == librarian and event.object_id == str(item.pk)
    assert item.condition_history.count() == 1


def test_save_and_add_another_keeps_the_choices(client, librarian, record, branch, item_type):
    client.force_login(librarian)
    response = client.post(
        f"/staff/holdings/records/{record.pk}/new-item/", item_data(branch, item_type, another="1", status="received")
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"/staff/holdings/records/{record.pk}/new-item/?")
    page = client.get(response["Location"])
    assert page.context["form"].initial["status"] == "received"
    assert str(page.context["form"].initial["item_type"]) == str(item_type.pk)
    html = page.content.decode()
    # Scanning copy after copy: Enter (the first submit button) saves and comes back to this form.
    assert html.index('name="another"') < html.index('name="save"')


def test_a_location_of_another_branch_is_refused_on_the_location_field(
    client, librarian, record, branch, other_branch, item_type
):
    north = Location.objects.create(branch=other_branch, code="REF", name="Referensi")
    client.force_login(librarian)
    response = client.post(
        f"/staff/holdings/records/{record.pk}/new-item/", item_data(branch, item_type, location=north.pk)
    )
    assert response.status_code == 200
    assert "not in branch MAIN" in response.context["form"].errors["location"][0]
    assert not Item.objects.exists()


def test_a_barcode_already_in_use_is_refused_on_the_barcode_field(client, librarian, record, branch, item_type, item):
    client.force_login(librarian)
    response = client.post(
        f"/staff/holdings/records/{record.pk}/new-item/", item_data(branch, item_type, barcode="B000001")
    )
    assert response.status_code == 200
    assert "already used" in response.context["form"].errors["barcode"][0]
    assert Item.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="holdings.item.create").exists()


def test_a_new_item_cannot_start_on_loan(client, librarian, record, branch, item_type):
    client.force_login(librarian)
    response = client.post(
        f"/staff/holdings/records/{record.pk}/new-item/", item_data(branch, item_type, status="on_loan")
    )
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    assert not Item.objects.exists()


def test_technician_cannot_attach_an_item(client, technician, record, branch, item_type):
    client.force_login(technician)
    assert (
        client.post(f"/staff/holdings/records/{record.pk}/new-item/", item_data(branch, item_type)).status_code == 403
    )
    assert not Item.objects.exists()


# Edit ---------------------------------------------------------------------------------------------


def test_senior_technician_edits_an_item_and_the_change_is_audited(client, senior_technician, item):
    client.force_login(senior_technician)
    data = {k: v for k, v in client.get("/staff/holdings/items/B000001/edit/").context["form"].initial.items()}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["call_number"] = "R 005.133 SUT p"
    response = client.post("/staff/holdings/items/B000001/edit/", data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.call_number == "R 005.133 SUT p"
    event = AuditEvent.objects.get(verb="holdings.item.update")
    assert event.after == {"call_number": "R 005.133 SUT p"}
    assert "R 005.133 SUT p" in client.get("/staff/holdings/items/B000001/").content.decode()


# List and scan ------------------------------------------------------------------------------------


@pytest.fixture
def thirty_items(make_item, record):
    from pustaka.catalog.models import Record

    other = Record.objects.create(title="Kamus Besar Bahasa Indonesia", call_number="R 499.221 KAM")
    for i in range(30):
        make_item(f"C{i:05d}", status="on_loan" if i % 3 == 0 else "available", record=other if i % 2 else record)


def test_the_item_list_filters_by_status_branch_and_text(client, circulation, thirty_items, branch):
    client.force_login(circulation)
    page = client.get("/staff/holdings/", {"status": "on_loan"}).context["page"]
    assert page.paginator.count == 10
    assert all(i.status == "on_loan" for i in page.object_list)
    found = client.get("/staff/holdings/", {"q": "kamus C0000", "branch": branch.pk}).context["items"]
    assert [i.barcode for i in found] == ["C00001", "C00003", "C00005", "C00007", "C00009"]


def test_the_item_list_does_not_grow_queries_with_items(client, librarian, thirty_items, django_assert_max_num_queries):
    client.force_login(librarian)
    with django_assert_max_num_queries(10):
        response = client.get("/staff/holdings/")
    assert response.status_code == 200
    assert len(response.context["items"]) == 30
    html = response.content.decode()
    assert "R 499.221 KAM" in html and 'data-value="on_loan"' in html


def test_scanning_a_known_barcode_opens_the_item(client, circulation, item):
    client.force_login(circulation)
    response = client.get("/staff/holdings/scan/", {"barcode": " B000001 \n", "next": "/staff/"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/holdings/items/B000001/"


def test_scanning_an_unknown_barcode_stays_on_the_page_with_a_message(client, circulation, item):
    client.force_login(circulation)
    response = client.get("/staff/holdings/scan/", {"barcode": "X999", "next": "/staff/holdings/?status=on_loan"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/holdings/?status=on_loan"
    page = client.get(response["Location"])
    assert "No item has the barcode “X999”." in page.content.decode()


def test_the_scan_box_never_sends_people_to_another_site(client, circulation, item):
    client.force_login(circulation)
    response = client.get("/staff/holdings/scan/", {"barcode": "X999", "next": "https://evil.example/"})
    assert response["Location"] == "/staff/holdings/"


# Item page and moves ------------------------------------------------------------------------------


def test_the_item_page_shows_only_the_moves_the_user_may_make(client, technician, librarian, it_manager, make_item):
    make_item("B000002", status="missing")
    client.force_login(technician)
    html = client.get("/staff/holdings/items/B000002/").content.decode()
    assert 'value="ready_for_shelving"' in html  # technicians bring back what they find
    assert 'value="withdrawn"' not in html  # writing off is for librarians
    client.force_login(librarian)
    html = client.get("/staff/holdings/items/B000002/").content.decode()
    assert 'value="ready_for_shelving"' in html and 'value="withdrawn"' in html
    client.force_login(it_manager)
    html = client.get("/staff/holdings/items/B000002/").content.decode()
    assert 'value="ready_for_shelving"' not in html
    assert "No status change is open to you for this item." in html


def test_the_item_page_links_to_the_pull_lists_instead_of_a_pull_button(client, technician, it_manager, item):
    client.force_login(technician)
    html = client.get("/staff/holdings/items/B000001/").content.decode()
    assert 'value="pulled"' not in html
    assert '<a href="/staff/technical/pull-lists/" data-workflow="pulling">Pull list</a>: → Pulled' in html
    client.force_login(it_manager)
    html = client.get("/staff/holdings/items/B000001/").content.decode()
    assert 'data-workflow="pulling"' not in html  # an IT manager does not pull


def test_the_item_page_never_offers_to_lend_by_hand(client, circulation, administrator, item):
    for user in (circulation, administrator):
        client.force_login(user)
        html = client.get("/staff/holdings/items/B000001/").content.decode()
        assert 'value="on_loan"' not in html  # lending happens at the desk, with a loan
        assert '<a href="/staff/circulation/desk/" data-workflow="desk">' in html


def test_the_item_page_shows_record_call_number_status_and_condition(client, circulation, make_item):
    make_item("B000009", status="pulled", pulled_reason="repair", condition="worn", loan_count=4)
    client.force_login(circulation)
    html = client.get("/staff/holdings/items/B000009/").content.decode()
    assert "Pemrograman Python" in html
    assert "005.133 SUT p" in html
    assert 'data-value="pulled"' in html and 'data-value="repair"' in html and 'data-value="worn"' in html
    assert re.search(r"<dt>Loans</dt><dd>4\b", html)


def test_librarian_writes_off_a_missing_item(client, librarian, make_item):
    make_item("B000002", status="missing")
    client.force_login(librarian)
    response = client.post(
        "/staff/holdings/items/B000002/move/", {"to": "withdrawn", "note": "not seen for two years"}, follow=True
    )
    assert Item.objects.get(barcode="B000002").status == "withdrawn"
    event = AuditEvent.objects.get(verb="holdings.item.write_off")
    assert event.actor == librarian
    assert event.after == {"status": "withdrawn", "pulled_reason": "", "note": "not seen for two years"}
    assert "is now “Withdrawn”" in response.content.decode()


def test_pulling_by_posting_the_move_is_refused_and_points_to_the_pull_lists(client, librarian, item):
    client.force_login(librarian)
    response = client.post("/staff/holdings/items/B000001/move/", {"to": "pulled", "reason": "weed"}, follow=True)
    assert "Use the pull list page: /staff/technical/pull-lists/" in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.pulled_reason) == ("available", "")
    assert not AuditEvent.objects.exists()


def test_lending_a_withdrawn_item_is_refused_with_a_message_and_the_status_is_unchanged(client, librarian, make_item):
    make_item("B000005", status="withdrawn")
    client.force_login(librarian)
    response = client.post("/staff/holdings/items/B000005/move/", {"to": "on_loan"}, follow=True)
    assert response.status_code == 200
    assert "Item B000005 is “Withdrawn” and cannot become “On loan”." in response.content.decode()
    item = Item.objects.get(barcode="B000005")
    assert item.status == "withdrawn"
    assert item.loan_count == 0
    assert not AuditEvent.objects.exists()


def test_lending_by_posting_the_move_is_refused_and_points_to_the_desk(client, circulation, item):
    client.force_login(circulation)
    response = client.post("/staff/holdings/items/B000001/move/", {"to": "on_loan"}, follow=True)
    assert (
        "Item B000001 cannot become “On loan” here. Use the circulation desk page: /staff/circulation/desk/"
        in response.content.decode()
    )
    item.refresh_from_db()
    assert (item.status, item.loan_count) == ("available", 0)
    assert not AuditEvent.objects.exists()


def test_it_manager_cannot_bring_back_a_missing_item_even_by_posting_the_move(client, it_manager, make_item):
    make_item("B000002", status="missing")
    client.force_login(it_manager)
    response = client.post("/staff/holdings/items/B000002/move/", {"to": "ready_for_shelving"}, follow=True)
    assert "You do not have permission to do this." in response.content.decode()
    assert Item.objects.get(barcode="B000002").status == "missing"
    assert not AuditEvent.objects.exists()


def test_an_unknown_status_is_refused(client, librarian, item):
    client.force_login(librarian)
    response = client.post("/staff/holdings/items/B000001/move/", {"to": "teleported"}, follow=True)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == "available"


def test_a_move_needs_a_post(client, librarian, item):
    client.force_login(librarian)
    assert client.get("/staff/holdings/items/B000001/move/?to=on_loan").status_code == 405


# Condition ----------------------------------------------------------------------------------------


def test_technician_records_a_damaged_condition_and_it_joins_the_history(client, technician, item):
    client.force_login(technician)
    response = client.post(
        "/staff/holdings/items/B000001/condition/", {"condition": "damaged", "note": "spine torn"}, follow=True
    )
    item.refresh_from_db()
    assert item.condition == "damaged"
    change = ConditionChange.objects.get(item=item)
    assert (change.from_condition, change.to_condition, change.note, change.recorded_by) == (
        "good",
        "damaged",
        "spine torn",
        technician,
    )
    event = AuditEvent.objects.get(verb="holdings.item.condition")
    assert event.before == {"condition": "good"}
    html = response.content.decode()
    assert "spine torn" in html and "Condition history" in html


def test_circulation_cannot_record_a_condition(client, circulation, item):
    client.force_login(circulation)
    assert client.post("/staff/holdings/items/B000001/condition/", {"condition": "damaged"}).status_code == 403
    item.refresh_from_db()
    assert item.condition == "good"
    assert not ConditionChange.objects.exists()


def test_an_unknown_condition_changes_nothing(client, technician, item):
    client.force_login(technician)
    response = client.post("/staff/holdings/items/B000001/condition/", {"condition": "shiny"}, follow=True)
    assert "Choose a condition" in response.content.decode()
    item.refresh_from_db()
    assert item.condition == "good"


# In a real browser (Debian's Chromium): a barcode scanner is a keyboard ----------------------------


@pytest.fixture
def browser_page(new_page):
    return new_page(width=375, height=740)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_scanned_barcode_opens_the_item_and_its_move_button_brings_it_back(
    browser_page, live_server, make_staff, item
):
    Item.objects.filter(pk=item.pk).update(status="missing")
    page = browser_page
    make_staff("technician", username="teknisi")
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", "teknisi")
    page.fill("#id_password", "test-password-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/")
    page.wait_for_function("document.activeElement.id === 'scan-barcode'")
    with page.expect_navigation():
        page.keyboard.type("B000001\n")  # what a scanner sends
    page.wait_for_url(f"{live_server.url}/staff/holdings/items/B000001/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # fits a phone
    with page.expect_navigation():
        page.get_by_role("button", name="Ready for shelving").click()
    assert "is now “Ready for shelving”" in page.content()
    item.refresh_from_db()
    assert item.status == "ready_for_shelving"
