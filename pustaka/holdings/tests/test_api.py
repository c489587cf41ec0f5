"""The holdings API: listing items, adding and editing copies, lifecycle moves, condition, refusals."""

import pytest

from pustaka.core.models import AuditEvent, Location
from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.models import ConditionChange, Item
from pustaka.holdings.transitions import TRANSITIONS

NEW_ITEM = {"barcode": "B000777", "branch": "MAIN", "location": "STACKS", "item_type": "BOOK", "price": "85000.00"}


def _new_item(record, **change) -> dict:
    return {"record_id": record.pk, **NEW_ITEM, **change}


def _barcodes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [i["barcode"] for i in response.json()["items"]]


# --- Reading ---------------------------------------------------------------------------------------


def test_circulation_sees_an_item_with_its_record_place_and_next_statuses(circulation, item):
    response = ApiClient.as_user(circulation).get("/items/B000001")

    assert response.status_code == 200
    body = response.json()
    assert body["record"]["title"] == "Pemrograman Python"
    assert body["branch"] == {"code": "MAIN", "name": "Perpustakaan Pusat"}
    assert body["location"] == {"code": "STACKS", "name": "Rak umum"}
    assert body["item_type"]["code"] == "BOOK"
    assert body["effective_call_number"] == "005.133 SUT p"
    assert body["status"] == "available"
    assert body["status_label"] == "Available"
    assert body["status_colour"] == "green"
    assert "pulled" in body["next_statuses"] and "sold" not in body["next_statuses"]


def test_an_unknown_barcode_is_a_404_with_a_code(librarian):
    api = ApiClient.as_user(librarian)
    for response in (
        api.get("/items/NOPE"),
        api.patch("/items/NOPE", {"call_number": "x"}),
        api.post("/items/NOPE/status", {"to": "pulled", "reason": "weed"}),
        api.post("/items/NOPE/condition", {"condition": "worn"}),
        api.get("/items/NOPE/history"),
        api.get("/items/NOPE/condition-history"),
        api.delete("/items/NOPE"),
    ):
        assert response.status_code == 404
        assert response.json() == {"code": "item_not_found", "message": "No item has the barcode “NOPE”."}


@pytest.mark.parametrize(
    "params, barcodes",
    [
        ({}, ["B1", "B2", "B3", "B4"]),
        ({"barcode": "B2"}, ["B2"]),
        ({"status": "pulled"}, ["B2"]),
        ({"status": ["pulled", "on_loan"]}, ["B2", "B3"]),
        ({"branch": "north"}, ["B4"]),
        ({"location": "REF"}, ["B3"]),
        ({"branch": "MAIN", "status": "available"}, ["B1"]),
    ],
)
def test_items_are_filtered(technician, make_item, branch, other_branch, item_type, record, params, barcodes):
    reference = Location.objects.create(branch=branch, code="REF", name="Referensi")
    make_item("B1")
    make_item("B2", status="pulled", pulled_reason="repair")
    Item.objects.create(
        barcode="B3", record=record, branch=branch, location=reference, item_type=item_type, status="on_loan"
    )
    Item.objects.create(barcode="B4", record=record, branch=other_branch, item_type=item_type)

    assert _barcodes(ApiClient.as_user(technician).get("/items", params)) == barcodes


def test_items_are_filtered_by_record(technician, make_item, record):
    from pustaka.catalog.models import Record

    other = Record.objects.create(title="Lain")
    make_item("B1")
    make_item("B2", record=other)

    assert _barcodes(ApiClient.as_user(technician).get("/items", {"record": other.pk})) == ["B2"]


def test_an_unknown_status_filter_is_refused_naming_the_field(technician):
    response = ApiClient.as_user(technician).get("/items", {"status": "borrowed"})
    assert response.status_code == 400
    assert response.json()["field"].startswith("status")


def test_listing_thirty_items_takes_a_fixed_number_of_queries(librarian, make_item, django_assert_max_num_queries):
    from pustaka.catalog.models import Record

    for n in range(30):
        make_item(f"B{n:06d}", record=Record.objects.create(title=f"Buku {n:02d}"))
    api = ApiClient.as_user(librarian)
    api.get("/me")  # the token's first use is noted once

    with django_assert_max_num_queries(8):
        response = api.get("/items", {"page_size": 30})

    assert len(response.json()["items"]) == 30
    assert response.json()["count"] == 30


def test_a_records_items_are_listed_in_a_fixed_number_of_queries(
    librarian, make_item, record, django_assert_max_num_queries
):
    for n in range(30):
        make_item(f"B{n:06d}")
    api = ApiClient.as_user(librarian)
    api.get("/me")

    with django_assert_max_num_queries(9):
        response = api.get(f"/records/{record.pk}/items", {"page_size": 50})

    assert response.json()["count"] == 30


def test_item_types_are_listed(circulation, item_type):
    response = ApiClient.as_user(circulation).get("/item-types")
    assert response.json() == [{"code": "BOOK", "name": "Buku", "is_loanable": True}]


def test_the_lifecycle_table_is_published_with_labels_and_colours(technician):
    response = ApiClient.as_user(technician).get("/item-statuses")

    assert response.status_code == 200
    body = response.json()
    available = next(s for s in body["statuses"] if s["value"] == "available")
    assert available == {"value": "available", "label": "Available", "colour": "green", "initial": True}
    assert {c["value"] for c in body["conditions"]} == {"good", "fair", "worn", "damaged"}
    assert {r["value"] for r in body["pull_reasons"]} == {"weed", "repair", "bind"}
    assert len(body["transitions"]) == len(TRANSITIONS)
    assert {
        "source": "pulled",
        "target": "withdrawn",
        "permission": "holdings.withdraw_item",
        "verb": "holdings.item.withdraw",
        "reason": "weed",
        "workflows": ["weeding"],
    } in body["transitions"]


def test_a_patron_cannot_read_items(patron_user, item):
    api = ApiClient.as_user(patron_user)
    assert api.get("/items/B000001").status_code == 403
    assert api.get("/item-statuses").status_code == 403


# --- Adding, editing and deleting copies -----------------------------------------------------------


def test_senior_technician_adds_a_copy(senior_technician, record, location, item_type):
    response = ApiClient.as_user(senior_technician).post("/items", _new_item(record, status="in_processing"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["barcode"] == "B000777"
    assert body["status"] == "in_processing"
    assert body["price"] == "85000.00"
    item = Item.objects.get(barcode="B000777")
    assert item.location == location
    assert item.copy_number == 1
    event = AuditEvent.objects.get(verb="holdings.item.create")
    assert event.actor == senior_technician


def test_it_manager_cannot_create_items(it_manager, record, location, item_type):
    response = ApiClient.as_user(it_manager).post("/items", _new_item(record))

    assert response.status_code == 403
    assert not Item.objects.exists()
    assert not AuditEvent.objects.filter(verb="holdings.item.create").exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"barcode": "B 1"}, "barcode"),
        ({"record_id": 999}, "record_id"),
        ({"branch": "MARS"}, "branch"),
        ({"location": "NOWHERE"}, "location"),
        ({"item_type": "SCROLL"}, "item_type"),
        ({"status": "on_loan"}, "status"),
        ({"condition": "shiny"}, "condition"),
        ({"price": "-1"}, "price"),
        ({"price": "1.2345"}, "price"),  # "1.234" is Rp 1.234 (thousands grouped); four digits are not clear
        ({"price": "5.00.0"}, "price"),
        ({"copy_number": 0}, "copy_number"),
        ({"acquired_on": "kemarin"}, "acquired_on"),
        ({"loan_count": 5}, "loan_count"),
    ],
)
def test_a_bad_item_field_is_refused_naming_it_and_nothing_is_written(
    librarian, record, location, item_type, change, field
):
    response = ApiClient.as_user(librarian).post("/items", _new_item(record, **change))

    # A branch code that names no branch is "branch_not_found" (404) on every path (core.lookups).
    assert response.status_code == (404 if field == "branch" else 400), response.content
    assert response.json()["field"] == field
    assert not Item.objects.exists()


def test_a_location_of_another_branch_is_refused(librarian, record, location, item_type, other_branch):
    Location.objects.create(branch=other_branch, code="NSTACKS", name="Rak utara")
    response = ApiClient.as_user(librarian).post("/items", _new_item(record, location="NSTACKS"))
    assert response.status_code == 400
    assert response.json()["field"] == "location"


def test_a_barcode_cannot_be_used_twice(librarian, record, location, item_type, item):
    response = ApiClient.as_user(librarian).post("/items", _new_item(record, barcode="B000001"))

    assert response.status_code == 409
    assert response.json()["code"] == "barcode_taken"
    assert Item.objects.count() == 1


def test_librarian_moves_an_item_to_another_location(librarian, item, branch):
    Location.objects.create(branch=branch, code="REF", name="Referensi")

    response = ApiClient.as_user(librarian).patch(
        "/items/B000001", {"location": "ref", "call_number": "R 005.133 SUT p"}
    )

    assert response.status_code == 200
    assert response.json()["location"]["code"] == "REF"
    item.refresh_from_db()
    assert item.call_number == "R 005.133 SUT p"
    assert AuditEvent.objects.filter(verb="holdings.item.update").exists()


def test_moving_an_item_to_another_branch_needs_a_location_there(librarian, item, other_branch):
    api = ApiClient.as_user(librarian)

    refused = api.patch("/items/B000001", {"branch": "NORTH"})
    moved = api.patch("/items/B000001", {"branch": "NORTH", "location": None})

    assert refused.status_code == 400 and refused.json()["field"] == "location"
    assert moved.status_code == 200
    assert moved.json()["branch"]["code"] == "NORTH" and moved.json()["location"] is None


def test_the_status_cannot_be_patched_directly(librarian, item):
    response = ApiClient.as_user(librarian).patch("/items/B000001", {"status": "sold"})

    assert response.status_code == 400
    assert response.json()["field"] == "status"
    item.refresh_from_db()
    assert item.status == "available"


def test_technician_cannot_edit_an_item(technician, item):
    response = ApiClient.as_user(technician).patch("/items/B000001", {"public_note": "Rusak"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.public_note == ""


def test_librarian_deletes_an_item_entered_by_mistake(librarian, make_item):
    make_item("B000009", status="on_order")

    response = ApiClient.as_user(librarian).delete("/items/B000009")

    assert response.status_code == 204
    assert not Item.objects.filter(barcode="B000009").exists()
    assert AuditEvent.objects.filter(verb="holdings.item.delete").exists()


def test_an_item_that_has_circulated_cannot_be_deleted(librarian, make_item):
    make_item("B000009", loan_count=3)

    response = ApiClient.as_user(librarian).delete("/items/B000009")

    assert response.status_code == 409
    assert response.json()["code"] == "item_in_use"
    assert Item.objects.filter(barcode="B000009").exists()


def test_senior_technician_cannot_delete_items(senior_technician, make_item):
    make_item("B000009", status="on_order")
    assert ApiClient.as_user(senior_technician).delete("/items/B000009").status_code == 403
    assert Item.objects.filter(barcode="B000009").exists()


# --- The lifecycle and the condition ---------------------------------------------------------------


def test_technician_brings_back_a_missing_item(technician, make_item):
    make_item("B000002", status="missing")

    response = ApiClient.as_user(technician).post(
        "/items/B000002/status", {"to": "ready_for_shelving", "note": "Ada di rak sebelah"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "ready_for_shelving"
    event = AuditEvent.objects.get(verb="holdings.item.found")
    assert event.actor == technician
    assert event.after["note"] == "Ada di rak sebelah"


def test_technician_cannot_write_off_a_missing_item(technician, make_item):
    make_item("B000002", status="missing")

    response = ApiClient.as_user(technician).post("/items/B000002/status", {"to": "withdrawn"})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Item.objects.get(barcode="B000002").status == "missing"
    assert not AuditEvent.objects.filter(verb="holdings.item.write_off").exists()


def test_librarian_writes_off_a_missing_item(librarian, make_item):
    make_item("B000002", status="missing")

    response = ApiClient.as_user(librarian).post("/items/B000002/status", {"to": "withdrawn"})

    assert response.status_code == 200
    assert Item.objects.get(barcode="B000002").status == "withdrawn"
    assert AuditEvent.objects.filter(verb="holdings.item.write_off").exists()


def test_withdrawing_through_the_items_api_is_refused_it_points_to_the_withdrawal_page(librarian, make_item):
    make_item("B000002", status="pulled", pulled_reason="weed")

    response = ApiClient.as_user(librarian).post("/items/B000002/status", {"to": "withdrawn"})

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "move_belongs_to_workflow"
    assert (body["workflow"], body["page"]) == ("weeding", "/staff/technical/withdrawals/")
    assert body["message"] == (
        "Item B000002 cannot become “Withdrawn” here. Use the withdrawal page: /staff/technical/withdrawals/"
    )
    assert Item.objects.get(barcode="B000002").status == "pulled"
    assert not AuditEvent.objects.filter(verb="holdings.item.withdraw").exists()


def test_an_illegal_move_is_a_409_and_the_status_stays(librarian, item):
    response = ApiClient.as_user(librarian).post("/items/B000001/status", {"to": "sold"})

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "item_transition_not_allowed"
    assert body["message"] == "Item B000001 is “Available” and cannot become “Sold”."
    item.refresh_from_db()
    assert item.status == "available"


def test_lending_through_the_items_api_is_refused_the_desk_lends(circulation, item):
    response = ApiClient.as_user(circulation).post("/items/B000001/status", {"to": "on_loan"})

    assert response.status_code == 409
    assert response.json()["code"] == "move_belongs_to_workflow"
    assert response.json()["page"] == "/staff/circulation/desk/"
    item.refresh_from_db()
    assert (item.status, item.loan_count) == ("available", 0)


def test_pulling_through_the_items_api_is_refused_it_points_to_the_pull_lists(technician, item):
    response = ApiClient.as_user(technician).post("/items/B000001/status", {"to": "pulled", "reason": "repair"})

    assert response.status_code == 409
    assert response.json()["page"] == "/staff/technical/pull-lists/"
    item.refresh_from_db()
    assert (item.status, item.pulled_reason) == ("available", "")
    assert not AuditEvent.objects.filter(verb="holdings.item.pull").exists()


def test_an_unknown_target_status_is_refused_naming_the_field(librarian, item):
    response = ApiClient.as_user(librarian).post("/items/B000001/status", {"to": "borrowed"})
    assert response.status_code == 400
    assert response.json()["field"] == "to"


def test_technician_records_damage_and_it_appears_in_the_condition_history(technician, item):
    api = ApiClient.as_user(technician)

    response = api.post("/items/B000001/condition", {"condition": "damaged", "note": "Basah"})
    history = api.get("/items/B000001/condition-history").json()

    assert response.status_code == 200
    assert response.json()["condition"] == "damaged"
    assert response.json()["condition_label"] == "Damaged"
    assert history["items"][0]["to_condition"] == "damaged"
    assert history["items"][0]["recorded_by"] == "technician-user"
    assert history["items"][0]["note"] == "Basah"
    assert AuditEvent.objects.filter(verb="holdings.item.condition").exists()


def test_circulation_cannot_record_the_condition(circulation, item):
    response = ApiClient.as_user(circulation).post("/items/B000001/condition", {"condition": "worn"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.condition == "good"
    assert not ConditionChange.objects.filter(item=item).exists()


def test_an_unknown_condition_is_refused_naming_the_field(technician, item):
    response = ApiClient.as_user(technician).post("/items/B000001/condition", {"condition": "shiny"})
    assert response.status_code == 400
    assert response.json()["field"] == "condition"


def test_an_items_history_lists_its_moves(librarian, make_item):
    make_item("B000002", status="on_order")
    api = ApiClient.as_user(librarian)
    api.post("/items/B000002/status", {"to": "received"})

    events = api.get("/items/B000002/history").json()["items"]

    assert [e["verb"] for e in events] == ["holdings.item.receive"]
    assert events[0]["before"] == {"status": "on_order", "pulled_reason": ""}


def test_technician_cannot_read_the_audit_trail_of_an_item(technician, item):
    assert ApiClient.as_user(technician).get("/items/B000001/history").status_code == 403
