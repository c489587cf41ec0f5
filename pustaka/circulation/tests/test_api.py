"""The circulation API: checkout/checkin at the desk, loans, holds, the ledger; who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pustaka.circulation import actions
from pustaka.circulation.choices import FeeKind
from pustaka.circulation.models import FeeEntry, Hold, Loan
from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.choices import ItemStatus

from .conftest import NOW


@pytest.fixture
def desk_api(desk):
    return ApiClient.as_user(desk)


def test_checkout_and_checkin_through_the_api(desk_api, item, patron, rule):
    response = desk_api.post("/circulation/checkout", {"barcode": "B000001", "card_number": " p0001 "})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["item"]["barcode"] == "B000001" and body["patron"]["card_number"] == "P0001"
    assert body["branch"] == "MAIN" and not body["is_overdue"]
    again = desk_api.post("/circulation/checkout", {"barcode": "B000001", "card_number": "P0001"})
    assert again.status_code == 409 and again.json()["code"] == "already_on_loan"
    back = desk_api.post("/circulation/checkin", {"barcode": "B000001"})
    assert back.status_code == 200, back.content
    assert back.json()["destination"] == "shelf" and back.json()["item_status"] == ItemStatus.READY_FOR_SHELVING
    assert back.json()["loan"]["returned_at"] is not None
    not_on_loan = desk_api.post("/circulation/checkin", {"barcode": "B000001"})
    assert not_on_loan.status_code == 409 and not_on_loan.json()["code"] == "not_on_loan"


def test_checkout_errors_are_typed(desk_api, item, patron, rule):
    unknown_card = desk_api.post("/circulation/checkout", {"barcode": "B000001", "card_number": "NOPE"})
    assert unknown_card.status_code == 404 and unknown_card.json()["code"] == "patron_not_found"
    unknown_item = desk_api.post("/circulation/checkout", {"barcode": "ZZZ", "card_number": "P0001"})
    assert unknown_item.status_code == 404 and unknown_item.json()["code"] == "item_not_found"
    bad_branch = desk_api.post("/circulation/checkout", {"barcode": "B000001", "card_number": "P0001", "branch": "X"})
    assert bad_branch.status_code == 404 and bad_branch.json()["field"] == "branch"
    extra = desk_api.post("/circulation/checkout", {"barcode": "B000001", "card_number": "P0001", "due": "x"})
    assert extra.status_code == 400
    assert not Loan.objects.exists()


def test_override_through_the_api(item, patron, rule, desk, librarian):
    from pustaka.patrons.models import PatronBlock

    PatronBlock.objects.create(patron=patron, note="Check address")
    payload = {"barcode": "B000001", "card_number": "P0001", "override": True}
    refused = ApiClient.as_user(desk).post("/circulation/checkout", payload)
    assert refused.status_code == 409 and refused.json()["code"] == "patron_blocked"
    assert "Check address" in refused.json()["message"]
    done = ApiClient.as_user(librarian).post("/circulation/checkout", payload)
    assert done.status_code == 201 and done.json()["overridden"] == "patron_blocked"


@pytest.mark.parametrize("role", ["it_manager", "patron"])
def test_who_may_not_use_the_desk_endpoints(role, item, patron, rule, it_manager, patron_user):
    client = ApiClient.as_user(it_manager if role == "it_manager" else patron_user)
    response = client.post("/circulation/checkout", {"barcode": "B000001", "card_number": "P0001"})
    assert response.status_code == 403
    assert client.post("/circulation/checkin", {"barcode": "B000001"}).status_code == 403
    assert ApiClient().post("/circulation/checkout", {"barcode": "B000001", "card_number": "P0001"}).status_code == 401
    assert not Loan.objects.exists()


def test_loan_list_filters_and_query_count(
    lend, new_item, patron, make_patron, desk_api, django_assert_max_num_queries
):
    for n in range(3):
        lend(new_item(f"B00010{n}"), patron, when=timezone.now())
    overdue = lend(new_item("B000200"), make_patron("P0002"), when=timezone.now() - datetime.timedelta(days=60))
    with django_assert_max_num_queries(8):
        response = desk_api.get("/loans", {"open": "true"})
    assert response.json()["count"] == 4
    assert desk_api.get("/loans", {"patron": "P0001"}).json()["count"] == 3
    body = desk_api.get("/loans", {"overdue": "true"}).json()
    assert [row["id"] for row in body["items"]] == [overdue.pk] and body["items"][0]["is_overdue"]
    assert desk_api.get(f"/loans/{overdue.pk}").json()["patron"]["card_number"] == "P0002"
    assert desk_api.get("/loans/999999").json()["code"] == "loan_not_found"


def test_patron_sees_and_renews_only_own_loans(lend, item, new_item, patron, make_patron, patron_user):
    mine = lend(item, patron, when=timezone.now())
    theirs = lend(new_item("B000002"), make_patron("P0002"), when=timezone.now())
    me = ApiClient.as_user(patron_user)
    listed = me.get("/loans", {"patron": "P0002"}).json()  # the filter is ignored for patrons
    assert [row["id"] for row in listed["items"]] == [mine.pk]
    assert me.get(f"/loans/{theirs.pk}").status_code == 404
    renewed = me.post(f"/loans/{mine.pk}/renew")
    assert renewed.status_code == 200 and renewed.json()["renewals"] == 1
    refused = me.post(f"/loans/{theirs.pk}/renew")
    assert refused.status_code == 403 and refused.json()["code"] == "not_your_account"


def test_renewal_refusal_says_why(lend, item, patron, make_patron, branch, record, desk_api, it_manager):
    loan = lend(item, patron, when=timezone.now())
    Hold.objects.create(patron=make_patron("P0009"), record=record, pickup_branch=branch, placed_at=NOW)
    response = desk_api.post(f"/loans/{loan.pk}/renew", {})
    assert response.status_code == 409 and response.json()["code"] == "renewal_refused"
    assert "hold" in response.json()["message"]
    assert ApiClient.as_user(it_manager).post(f"/loans/{loan.pk}/renew", {}).status_code == 403


def test_holds_api(
    lend, item, patron, make_patron, record, desk_api, patron_user, it_manager, django_assert_max_num_queries
):
    lend(item, make_patron("P0005"))
    me = ApiClient.as_user(patron_user)
    placed = me.post("/holds", {"record_id": record.pk, "pickup_branch": "main"})
    assert placed.status_code == 201, placed.content
    assert placed.json()["patron"]["card_number"] == "P0001" and placed.json()["status"] == "waiting"
    again = me.post("/holds", {"record_id": record.pk, "pickup_branch": "MAIN"})
    assert again.status_code == 409 and again.json()["code"] == "hold_refused"
    other = desk_api.post("/holds", {"record_id": record.pk, "pickup_branch": "MAIN", "card_number": "P0006"})
    assert other.status_code == 404  # no such patron
    make_patron("P0006")
    other = desk_api.post("/holds", {"record_id": record.pk, "pickup_branch": "MAIN", "card_number": "P0006"})
    assert other.status_code == 201
    assert desk_api.post("/holds", {"record_id": record.pk, "pickup_branch": "MAIN"}).json()["field"] == "card_number"
    with django_assert_max_num_queries(8):
        listed = desk_api.get("/holds", {"record": record.pk, "status": "open"}).json()
    assert [h["patron"]["card_number"] for h in listed["items"]] == ["P0001", "P0006"]
    assert [h["id"] for h in me.get("/holds").json()["items"]] == [placed.json()["id"]]
    assert me.post(f"/holds/{other.json()['id']}/cancel").json()["code"] == "not_your_account"
    assert ApiClient.as_user(it_manager).get("/holds").status_code == 403
    cancelled = me.post(f"/holds/{placed.json()['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert me.post(f"/holds/{placed.json()['id']}/cancel").json()["code"] == "hold_not_open"


def test_a_hold_is_changed_through_the_api(
    lend, item, patron, make_patron, record, other_branch, desk_api, patron_user
):
    lend(item, make_patron("P0005"))
    me = ApiClient.as_user(patron_user)
    placed = me.post("/holds", {"record_id": record.pk, "pickup_branch": "MAIN"}).json()
    changed = me.patch(f"/holds/{placed['id']}", {"pickup_branch": "north", "expires_on": "2099-01-31"})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["pickup_branch"], changed.json()["expires_on"]) == ("NORTH", "2099-01-31")
    unknown = me.patch(f"/holds/{placed['id']}", {"pickup_branch": "SOUTH"})
    assert unknown.status_code == 404 and unknown.json()["field"] == "pickup_branch"
    past = me.patch(f"/holds/{placed['id']}", {"expires_on": "2001-01-01"})
    assert past.status_code == 400 and past.json()["field"] == "expires_on"
    make_patron("P0006")
    theirs = desk_api.post("/holds", {"record_id": record.pk, "pickup_branch": "MAIN", "card_number": "P0006"}).json()
    assert me.patch(f"/holds/{theirs['id']}", {"pickup_branch": "NORTH"}).json()["code"] == "not_your_account"
    assert desk_api.patch(f"/holds/{theirs['id']}", {"pickup_branch": "NORTH"}).json()["pickup_branch"] == "NORTH"


def test_ledger_payments_and_waivers(patron, librarian, desk_api, patron_user, django_assert_max_num_queries):
    for _ in range(3):
        actions.charge(patron=patron, kind=FeeKind.OVERDUE, amount=2000, actor=librarian)
    with django_assert_max_num_queries(10):
        ledger = desk_api.get("/fines", {"patron": "P0001"}).json()
    assert Decimal(ledger["balance"]) == Decimal(6000) and ledger["count"] == 3
    assert desk_api.get("/fines").json()["field"] == "patron"
    too_much = desk_api.post("/fines/payments", {"card_number": "P0001", "amount": "7000", "method": "cash"})
    assert too_much.status_code == 400 and too_much.json()["code"] == "invalid_amount"
    paid = desk_api.post("/fines/payments", {"card_number": "P0001", "amount": "2500", "method": "qris"})
    assert paid.status_code == 201 and paid.json()["is_credit"] and paid.json()["created_by"] == "circulation-user"
    fee = FeeEntry.objects.filter(kind=FeeKind.OVERDUE).first()
    refused = desk_api.post(f"/fines/{fee.pk}/waiver", {"amount": "500", "reason": "Sick"})
    assert refused.status_code == 403
    waived = ApiClient.as_user(librarian).post(f"/fines/{fee.pk}/waiver", {"amount": "500", "reason": "Sick"})
    assert waived.status_code == 201 and waived.json()["kind"] == "waiver"
    mine = ApiClient.as_user(patron_user).get("/fines", {"patron": "P9999"}).json()
    assert Decimal(mine["balance"]) == Decimal(3000) and mine["patron"]["card_number"] == "P0001"
    payment = ApiClient.as_user(patron_user).post("/fines/payments", {"card_number": "P0001", "amount": "1"})
    assert payment.status_code == 403
    charge = desk_api.post("/fines/charges", {"card_number": "P0001", "kind": "card", "amount": "5000"})
    assert charge.status_code == 403
    charged = ApiClient.as_user(librarian).post(
        "/fines/charges", {"card_number": "P0001", "kind": "card", "amount": "5000"}
    )
    assert charged.status_code == 201


def test_user_without_patron_record_or_role_is_refused(db, item):
    from pustaka.core.models import User

    nobody = User.objects.create_user("nobody", password="x-password-123")
    client = ApiClient.as_user(nobody)
    assert client.get("/loans").status_code == 403
    assert client.get("/fines").status_code == 403


# --- Branch scope (staff see the patrons of their own branch; administrators all) -----------------


@pytest.fixture
def north_desk(make_staff, other_branch):
    """A circulation desk user whose home branch is NORTH."""
    user = make_staff("circulation", "north-desk")
    user.home_branch = other_branch
    user.save(update_fields=["home_branch"])
    return user


def test_staff_of_another_branch_do_not_see_a_patrons_circulation(
    lend,
    item,
    new_item,
    patron,
    make_patron,
    other_branch,
    record,
    second_record,
    librarian,
    north_desk,
    administrator,
    make_staff,
):
    """A MAIN patron's loans, holds and ledger are not found for NORTH staff; NORTH's own patron's are;
    administrators see both."""
    main_loan = lend(item, patron, when=timezone.now())
    northerner = make_patron("N0001", home_branch=other_branch)
    north_loan = lend(new_item("B000300"), northerner, when=timezone.now())
    actions.charge(patron=patron, kind=FeeKind.OVERDUE, amount=2000, actor=librarian)
    fee = FeeEntry.objects.get(patron=patron)
    hold = Hold.objects.create(patron=patron, record=second_record, pickup_branch=other_branch, placed_at=NOW)
    north = ApiClient.as_user(north_desk)

    fines = north.get("/fines", {"patron": "P0001"})
    assert fines.status_code == 404 and fines.json()["code"] == "patron_not_found"
    assert north.get("/fines", {"patron": "N0001"}).status_code == 200
    loans = north.get("/loans").json()
    assert [row["id"] for row in loans["items"]] == [north_loan.pk]
    assert north.get("/loans", {"patron": "P0001"}).status_code == 404
    assert north.get(f"/loans/{main_loan.pk}").status_code == 404
    renewed = north.post(f"/loans/{main_loan.pk}/renew", {})  # what staff do is refused by the action
    assert renewed.status_code == 403 and renewed.json()["code"] == "patron_of_another_branch"
    assert north.get("/holds").json()["count"] == 0
    assert north.post(f"/holds/{hold.pk}/cancel").status_code == 404
    north_supervisor = make_staff("librarian", "north-librarian")
    north_supervisor.home_branch = other_branch
    north_supervisor.save(update_fields=["home_branch"])
    waived = ApiClient.as_user(north_supervisor).post(f"/fines/{fee.pk}/waiver", {"amount": "1", "reason": "x"})
    assert waived.status_code == 403 and waived.json()["code"] == "patron_of_another_branch"
    paid = north.post("/fines/payments", {"card_number": "P0001", "amount": "100", "method": "cash"})
    assert paid.status_code == 403 and paid.json()["code"] == "patron_of_another_branch"
    assert FeeEntry.objects.filter(patron=patron).count() == 1  # only the charge: no payment, no waiver
    placed = north.post("/holds", {"record_id": record.pk, "pickup_branch": "NORTH", "card_number": "P0001"})
    assert placed.status_code == 404
    assert Hold.objects.filter(patron=patron).count() == 1

    admin = ApiClient.as_user(administrator)
    assert admin.get("/loans").json()["count"] == 2
    assert admin.get("/fines", {"patron": "P0001"}).status_code == 200
    assert admin.get("/holds").json()["count"] == 1


def test_a_patron_of_another_branch_may_still_borrow_there(item, make_patron, other_branch, rule, north_desk):
    """Lending by card is not limited to the branch: a MAIN member borrows at the NORTH desk."""
    make_patron("P0001")
    lent = ApiClient.as_user(north_desk).post("/circulation/checkout", {"barcode": "B000001", "card_number": "P0001"})
    assert lent.status_code == 201, lent.content


# --- Lost and claimed returned ------------------------------------------------------------------------


def test_declare_lost_and_claim_returned_through_the_api(
    lend, item, new_item, patron, librarian, desk_api, technician, patron_user
):
    lost = lend(item, patron, when=timezone.now())
    claimed = lend(new_item("B000002"), patron, when=timezone.now())
    assert ApiClient.as_user(technician).post(f"/loans/{lost.pk}/lost").status_code == 403  # no holdings.mark_lost
    assert ApiClient.as_user(patron_user).post(f"/loans/{lost.pk}/lost").status_code == 403
    assert ApiClient().post(f"/loans/{lost.pk}/lost").status_code == 401
    assert not FeeEntry.objects.exists()

    response = desk_api.post(f"/loans/{lost.pk}/lost")
    assert response.status_code == 200, response.content
    assert response.json()["is_lost"] and not response.json()["is_overdue"]
    assert {f.kind for f in FeeEntry.objects.filter(loan=lost)} == {FeeKind.LOST, FeeKind.PROCESSING}
    assert Loan.objects.get(pk=lost.pk).item.status == ItemStatus.LOST
    again = desk_api.post(f"/loans/{lost.pk}/lost")
    assert again.status_code == 409 and again.json()["code"] == "claim_refused"

    refused = desk_api.post(f"/loans/{claimed.pk}/claim-returned")  # the circulation role may not
    assert refused.status_code == 403
    assert ApiClient.as_user(patron_user).post(f"/loans/{claimed.pk}/claim-returned").status_code == 403
    supervisor = ApiClient.as_user(librarian)
    done = supervisor.post(f"/loans/{claimed.pk}/claim-returned")
    assert done.status_code == 200 and done.json()["claimed_returned_at"] is not None
    twice = supervisor.post(f"/loans/{claimed.pk}/claim-returned")
    assert twice.status_code == 409 and twice.json()["code"] == "claim_refused"
    assert supervisor.post("/loans/999999/claim-returned").json()["code"] == "loan_not_found"


def test_staff_of_another_branch_cannot_declare_a_patrons_loan_lost(lend, item, patron, north_desk):
    loan = lend(item, patron, when=timezone.now())
    refused = ApiClient.as_user(north_desk).post(f"/loans/{loan.pk}/lost")
    assert refused.status_code == 403 and refused.json()["code"] == "patron_of_another_branch"
    assert not Loan.objects.get(pk=loan.pk).is_lost
