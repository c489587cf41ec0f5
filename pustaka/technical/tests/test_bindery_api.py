"""The bindery API (/api/v1/bindery-shipments, /api/v1/bindery-vendors): a shipment end to end,
typed refusals, who may call it, packing-slip data, overdue filter, pagination and query counts."""

import datetime

import pytest
from django.utils import timezone

from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.choices import ItemStatus, PullReason
from pustaka.technical import actions
from pustaka.technical.models import BinderyShipment, BinderyVendor


@pytest.fixture
def vendor(db):
    return BinderyVendor.objects.create(name="Jilid Jaya")


@pytest.fixture
def to_bind(make_item):
    return [make_item(f"B20000{n}", status=ItemStatus.PULLED, pulled_reason=PullReason.BIND) for n in (1, 2)]


def test_a_shipment_end_to_end(senior_technician, technician, vendor, to_bind, item):
    boss, api = ApiClient.as_user(senior_technician), ApiClient.as_user(technician)

    created = boss.post("/bindery-shipments", {"vendor": vendor.pk, "branch": "main", "instructions": "Gently"})
    assert created.status_code == 201, created.content
    sid = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["lines"] == []

    empty = api.post(f"/bindery-shipments/{sid}/send", {})
    assert empty.status_code == 400 and empty.json()["code"] == "shipment_empty"
    wrong = api.post(f"/bindery-shipments/{sid}/items", {"barcode": "B000001"})
    assert wrong.status_code == 409 and wrong.json()["code"] == "item_not_pulled_for_binding"
    for barcode in ("B200001", "B200002"):
        added = api.post(f"/bindery-shipments/{sid}/items", {"barcode": barcode, "instructions": "Buckram"})
        assert added.status_code == 201
    assert [line["barcode"] for line in added.json()["lines"]] == ["B200001", "B200002"]

    expected = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    sent = api.post(f"/bindery-shipments/{sid}/send", {"expected_on": expected})
    assert sent.json()["status"] == "sent" and sent.json()["expected_on"] == expected
    assert {line["item_status"] for line in sent.json()["lines"]} == {"at_bindery"}

    slip = api.get(f"/bindery-shipments/{sid}/packing-slip").json()
    assert slip["shipment"] == sid and slip["vendor"]["name"] == "Jilid Jaya"
    assert slip["lines"][0] == {
        "barcode": "B200001",
        "title": "Pemrograman Python",
        "call_number": "005.133 SUT p",
        "item_status": "at_bindery",
        "instructions": "Buckram",
        "returned_on": None,
        "binding_note": "",
    }

    stranger = api.post(f"/bindery-shipments/{sid}/receive", {"barcode": "B000001"})
    assert stranger.status_code == 409 and stranger.json()["code"] == "item_not_in_shipment"
    partly = api.post(f"/bindery-shipments/{sid}/receive", {"barcode": "B200001", "binding_note": "Green"})
    assert partly.json()["status"] == "partly_returned" and partly.json()["returned_count"] == 1
    done = api.post(f"/bindery-shipments/{sid}/receive", {"barcode": "B200002"})
    assert done.json()["status"] == "returned"
    assert {line["item_status"] for line in done.json()["lines"]} == {"ready_for_shelving"}


def test_technician_cannot_create_a_shipment_and_circulation_cannot_see_them(technician, circulation, vendor):
    refused = ApiClient.as_user(technician).post("/bindery-shipments", {"vendor": vendor.pk, "branch": "MAIN"})
    assert refused.status_code == 403
    assert ApiClient.as_user(circulation).get("/bindery-shipments").status_code == 403
    assert ApiClient().get("/bindery-shipments").status_code == 401
    assert not BinderyShipment.objects.exists()


def test_unknown_vendor_branch_or_shipment_are_typed_404s(senior_technician, vendor, branch):
    api = ApiClient.as_user(senior_technician)
    assert api.post("/bindery-shipments", {"vendor": 9999, "branch": "MAIN"}).json()["code"] == (
        "bindery_vendor_not_found"
    )
    assert api.post("/bindery-shipments", {"vendor": vendor.pk, "branch": "XX"}).json()["code"] == "branch_not_found"
    assert api.get("/bindery-shipments/9999").json()["code"] == "shipment_not_found"
    extra = api.post("/bindery-shipments", {"vendor": vendor.pk, "branch": "MAIN", "colour": "red"})
    assert extra.status_code == 400


def test_vendors_are_listed_and_created(senior_technician, technician, vendor):
    assert ApiClient.as_user(technician).post("/bindery-vendors", {"name": "X"}).status_code == 403
    api = ApiClient.as_user(senior_technician)
    assert api.post("/bindery-vendors", {"name": "jilid jaya"}).status_code == 409
    assert api.post("/bindery-vendors", {"name": "Buku Kuat"}).status_code == 201
    assert [v["name"] for v in ApiClient.as_user(technician).get("/bindery-vendors").json()["items"]] == [
        "Buku Kuat",
        "Jilid Jaya",
    ]


def test_shipments_list_is_paginated_filtered_by_overdue_and_has_no_query_per_row(
    technician, vendor, branch, make_item, django_assert_max_num_queries
):
    long_ago = timezone.localdate() - datetime.timedelta(days=40)
    for s in range(7):
        shipment = actions.create_shipment(vendor=vendor, branch=branch, actor=None)
        for n in range(2):
            it = make_item(f"B6{s}{n}", status=ItemStatus.PULLED, pulled_reason=PullReason.BIND)
            actions.add_to_shipment(shipment=shipment, item=it, actor=technician)
        if s < 2:
            actions.send_shipment(
                shipment=shipment, sent_on=long_ago, expected_on=long_ago + datetime.timedelta(days=10), actor=None
            )
    api = ApiClient.as_user(technician)

    with django_assert_max_num_queries(8):
        page = api.get("/bindery-shipments", {"page_size": 5})
    assert page.json()["count"] == 7 and len(page.json()["items"]) == 5
    assert all(s["item_count"] == 2 for s in page.json()["items"])
    overdue = api.get("/bindery-shipments", {"overdue": "true"}).json()
    assert overdue["count"] == 2 and all(s["overdue"] for s in overdue["items"])
    with django_assert_max_num_queries(8):
        assert api.get(f"/bindery-shipments/{shipment.pk}").status_code == 200


def test_receiving_through_the_api_records_the_condition_and_refuses_an_unknown_one(
    technician, senior_technician, branch, make_item
):
    from pustaka.holdings.choices import Condition, ItemStatus, PullReason
    from pustaka.technical import actions
    from pustaka.technical.models import BinderyVendor

    vendor = BinderyVendor.objects.create(name="Jilid Jaya")
    shipment = actions.create_shipment(vendor=vendor, branch=branch, actor=senior_technician)
    item = make_item("B300001", status=ItemStatus.PULLED, pulled_reason=PullReason.BIND, condition=Condition.DAMAGED)
    actions.add_to_shipment(shipment=shipment, item=item, actor=technician)
    actions.send_shipment(shipment=shipment, actor=technician)
    api = ApiClient.as_user(technician)

    refused = api.post(f"/bindery-shipments/{shipment.pk}/receive", {"barcode": "B300001", "condition": "shiny"})
    assert refused.status_code == 400 and refused.json()["field"] == "condition"
    item.refresh_from_db()
    assert (item.status, item.condition) == (ItemStatus.AT_BINDERY, Condition.DAMAGED)

    assert api.post(f"/bindery-shipments/{shipment.pk}/receive", {"barcode": "b300001"}).status_code == 200
    item.refresh_from_db()
    assert (item.status, item.condition) == (ItemStatus.READY_FOR_SHELVING, Condition.GOOD)
