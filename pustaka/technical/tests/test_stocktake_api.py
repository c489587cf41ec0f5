"""The stocktake API: create, scan one or a batch, report, missing, confirm, cancel; refusals; query counts."""

import pytest

from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.models import Item


@pytest.fixture
def shelf(make_item):
    return [make_item(f"S{n}00", call_number=f"{n}00 ABC a") for n in range(1, 6)]


def test_a_stocktake_goes_from_start_to_confirmation_through_the_api(technician, librarian, branch, location, shelf):
    tech = ApiClient.as_user(technician)
    created = tech.post("/stocktakes", {"branch": "MAIN", "location": "STACKS", "call_number_to": "400"})
    assert created.status_code == 201, created.content
    sid = created.json()["id"]
    assert created.json()["status"] == "open" and created.json()["location"] == "STACKS"

    one = tech.post(f"/stocktakes/{sid}/scans", {"barcodes": ["S100"]})
    assert one.status_code == 201
    assert one.json()["scans"][0] == {
        "position": 1,
        "barcode": "S100",
        "result": "ok",
        "result_label": "In place",
        "item_status": "available",
    }
    batch = tech.post(f"/stocktakes/{sid}/scans", {"barcodes": ["S300", "S200", "S500", "NOPE"]})
    assert batch.json()["counts"] == {"ok": 1, "out_of_order": 1, "outside_range": 1, "unknown": 1}

    scans = tech.get(f"/stocktakes/{sid}/scans", {"result": "out_of_order"}).json()
    assert [s["barcode"] for s in scans["items"]] == ["S200"]
    report = tech.get(f"/stocktakes/{sid}/report").json()
    assert report["missing"] == 1 and report["scans"]["ok"] == 2
    assert [i["barcode"] for i in tech.get(f"/stocktakes/{sid}/missing").json()["items"]] == ["S400"]

    assert tech.post(f"/stocktakes/{sid}/finish").json()["status"] == "review"
    refused = tech.post(f"/stocktakes/{sid}/confirm")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"

    confirmed = ApiClient.as_user(librarian).post(f"/stocktakes/{sid}/confirm")
    assert confirmed.status_code == 200
    assert confirmed.json()["marked_missing"] == ["S400"]
    assert confirmed.json()["stocktake"]["confirmed_by"] == "librarian-user"
    assert Item.objects.get(barcode="S500").status == "available"  # outside the range

    again = ApiClient.as_user(librarian).post(f"/stocktakes/{sid}/confirm")
    assert again.status_code == 409 and again.json()["code"] == "stocktake_not_in_review"
    late_scan = tech.post(f"/stocktakes/{sid}/scans", {"barcodes": ["S400"]})
    assert late_scan.status_code == 409 and late_scan.json()["code"] == "stocktake_not_open"


def test_bad_input_is_a_typed_400_not_a_500(technician, branch):
    tech = ApiClient.as_user(technician)
    assert tech.post("/stocktakes", {"branch": "NOPE"}).json()["code"] == "branch_not_found"
    assert tech.post("/stocktakes", {"branch": "MAIN", "location": "NOPE"}).status_code == 400
    backwards = tech.post("/stocktakes", {"branch": "MAIN", "call_number_from": "900", "call_number_to": "100"})
    assert backwards.status_code == 400 and backwards.json()["code"] == "call_number_range_invalid"
    sid = tech.post("/stocktakes", {"branch": "MAIN"}).json()["id"]
    assert tech.post(f"/stocktakes/{sid}/scans", {"barcodes": []}).status_code == 400
    assert tech.post(f"/stocktakes/{sid}/scans", {"barcodes": [" "]}).json()["code"] == "nothing_scanned"
    assert tech.get("/stocktakes/999999").json()["code"] == "stocktake_not_found"
    assert tech.post(f"/stocktakes/{sid}/cancel").json()["status"] == "cancelled"
    assert tech.post(f"/stocktakes/{sid}/cancel").json()["code"] == "stocktake_closed"


def test_who_may_not_use_the_stocktake_api(patron_user, circulation, it_manager, technician, branch):
    sid = ApiClient.as_user(technician).post("/stocktakes", {"branch": "MAIN"}).json()["id"]
    assert ApiClient().get("/stocktakes").status_code == 401
    assert ApiClient.as_user(patron_user).get("/stocktakes").status_code == 403
    assert ApiClient.as_user(it_manager).get(f"/stocktakes/{sid}").status_code == 403
    circ = ApiClient.as_user(circulation)
    assert circ.get("/stocktakes").status_code == 200
    assert circ.post("/stocktakes", {"branch": "MAIN"}).status_code == 403
    assert circ.post(f"/stocktakes/{sid}/scans", {"barcodes": ["X"]}).status_code == 403


def test_stocktake_api_lists_use_a_fixed_number_of_queries(
    technician, branch, make_item, django_assert_max_num_queries
):
    from pustaka.technical.actions import scan_barcodes, start_stocktake

    for n in range(30):
        make_item(f"Q{n:03d}", call_number=f"{n:03d}", status="available" if n % 2 else "on_loan")
    for _ in range(4):
        stocktake = start_stocktake(branch=branch, actor=technician)
    scan_barcodes(stocktake=stocktake, barcodes=[f"Q{n:03d}" for n in range(0, 30, 2)], actor=technician)
    api = ApiClient.as_user(technician)
    for path in ("/stocktakes", f"/stocktakes/{stocktake.pk}/scans", f"/stocktakes/{stocktake.pk}/missing"):
        with django_assert_max_num_queries(8):
            response = api.get(path, {"page_size": 100})
        assert response.status_code == 200 and response.json()["count"] >= 4
