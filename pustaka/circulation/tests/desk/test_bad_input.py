"""Bad ids in forms and query strings get a clear message or a 404, never a server error: letters,
Unicode digits ("²" passes ``str.isdigit()`` but not ``int()``), numbers beyond any database id."""

import pytest

from pustaka.circulation.models import Hold, Loan
from pustaka.core.params import parse_id, parse_ids

DESK = "/staff/circulation/desk/"
BAD = ["abc", "²", "٣", "1²", "-1", "0", "+1", " 1", "1.0", "1" * 25, "9223372036854775808", ""]


def test_parse_id_takes_ascii_digits_up_to_the_largest_id():
    assert parse_id("1") == 1 and parse_id("9223372036854775807") == 2**63 - 1
    for bad in [*BAD, None, 5, "1\x00"]:
        assert parse_id(bad) is None, bad
    assert parse_ids(["3", "x", "3", "²", "2"]) == [3, 2]


@pytest.mark.parametrize("bad", BAD)
def test_opac_renew_with_a_bad_loan_id_is_not_found(patron_client, patron, make_item, lend_now, bad):
    loan = lend_now(make_item("B1"), patron)
    assert patron_client.post("/account/loans/renew/", {"loan": bad}).status_code == 404
    loan.refresh_from_db()
    assert loan.renewals == 0


@pytest.mark.parametrize("bad", BAD)
def test_opac_place_hold_with_a_bad_record_id_says_so(patron_client, patron, branch, bad):
    response = patron_client.post("/account/holds/place/", {"record": bad, "pickup_branch": branch.pk}, follow=True)
    assert response.status_code == 200
    assert "Place a hold from the title&#x27;s page in the catalogue." in response.content.decode()
    assert not Hold.objects.exists()


def test_opac_place_hold_with_a_good_record_and_no_branch_goes_back_to_the_record(patron_client, patron, record):
    response = patron_client.post("/account/holds/place/", {"record": str(record.pk), "pickup_branch": "²"})
    assert response.status_code == 302 and response["Location"] == f"/record/{record.pk}/"


@pytest.mark.parametrize("bad", BAD)
def test_desk_renew_with_bad_loan_ids_renews_nothing(desk_client, patron, make_item, lend_now, bad):
    loan = lend_now(make_item("B1"), patron)
    desk_client.post(DESK + "patron/", {"card": "P0001"})
    response = desk_client.post(DESK + "renew/", {"loan": [bad]}, follow=True)
    assert response.status_code == 200
    assert "Tick the loans to renew first." in response.content.decode()
    assert Loan.objects.get(pk=loan.pk).renewals == 0


@pytest.mark.parametrize("bad", BAD)
def test_desk_branch_with_a_bad_id_keeps_the_branch(desk_client, branch, bad):
    response = desk_client.post(DESK + "branch/", {"branch": bad, "next": "circulation:desk"}, follow=True)
    assert response.status_code == 200
    assert "Choose one of the branches." in response.content.decode()
    assert desk_client.session.get("circulation_branch") is None


@pytest.mark.parametrize("bad", ["²", "1" * 25, "abc"])
def test_desk_waive_with_a_bad_fee_id_says_so(staff_client, librarian, patron, bad):
    client = staff_client(librarian)
    client.post(DESK + "patron/", {"card": "P0001"})
    response = client.post(DESK + "waive/", {"fee": bad, "amount": "1", "reason": "x"})
    assert response.status_code == 302
