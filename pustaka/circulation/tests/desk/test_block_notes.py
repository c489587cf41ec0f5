"""A manual block's note is written by staff for staff: the desk (and a staff API call) shows it, but a
patron is told only the kind of block — on the OPAC, through their own API calls, and in the
refusals the actions raise (``str(error)``, which SIP2 shows on the machine's screen)."""

import pytest

from pustaka.circulation import actions
from pustaka.circulation.errors import HoldRefused, PatronBlocked, RenewalRefused
from pustaka.circulation.models import Hold
from pustaka.core.tests.api_client import ApiClient

NOTE = "Suspected of stealing the atlas"
DESK = "/staff/circulation/desk/"


def block(patron):
    from pustaka.patrons.models import PatronBlock

    PatronBlock.objects.create(patron=patron, note=NOTE)
    return patron


def test_the_refusals_carry_the_note_for_staff_only(lend_now, make_item, patron, branch, record, circulation):
    loan = lend_now(make_item("B1"), patron)
    block(patron)
    with pytest.raises(PatronBlocked) as lent:
        actions.checkout(item=make_item("B2"), patron=patron, branch=branch, actor=circulation)
    with pytest.raises(RenewalRefused) as renewed:
        actions.renew(loan=loan, actor=patron.user)
    with pytest.raises(HoldRefused) as held:
        actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=patron.user)
    for error in (lent.value, renewed.value, held.value):
        assert NOTE not in str(error) and NOTE not in error.as_dict()["message"]
        assert "Blocked by staff" in str(error)
        assert NOTE in error.staff_text


def test_the_opac_renewal_and_hold_refusals_do_not_show_the_note(patron_client, patron, make_item, lend_now, record):
    loan = lend_now(make_item("B1"), patron)
    block(patron)
    html = patron_client.post("/account/loans/renew/", {"loan": loan.pk}, follow=True).content.decode()
    assert "was not renewed" in html and "Blocked by staff" in html
    assert NOTE not in html
    html = patron_client.post("/account/loans/renew/", {"all": "1"}, follow=True).content.decode()
    assert "was not renewed" in html and NOTE not in html
    html = patron_client.post(
        "/account/holds/place/", {"record": record.pk, "pickup_branch": loan.branch_id}, follow=True
    ).content.decode()
    assert "The hold cannot be placed" in html and "Blocked by staff" in html
    assert NOTE not in html
    assert not Hold.objects.exists()


def test_the_patrons_own_api_calls_do_not_show_the_note_but_staff_calls_do(
    patron, make_item, lend_now, record, branch, circulation
):
    loan = lend_now(make_item("B1"), patron)
    block(patron)
    me = ApiClient.as_user(patron.user)
    refused = me.post(f"/loans/{loan.pk}/renew")
    assert refused.status_code == 409 and NOTE not in refused.json()["message"]
    assert "Blocked by staff" in refused.json()["message"]
    held = me.post("/holds", {"record_id": record.pk, "pickup_branch": "MAIN"})
    assert held.status_code == 409 and NOTE not in held.json()["message"]
    staff = ApiClient.as_user(circulation).post(f"/loans/{loan.pk}/renew", {})
    assert staff.status_code == 409 and NOTE in staff.json()["message"]


def test_the_desk_shows_the_note(desk_client, patron, make_item):
    block(patron)
    make_item("B1")
    desk_client.post(DESK + "patron/", {"card": "P0001"})
    desk_client.post(DESK + "checkout/", {"barcode": "B1"})
    html = desk_client.get(DESK).content.decode()
    refusal = html[html.find('id="desk-lines"') :]
    assert "is blocked" in refusal and NOTE in refusal
