"""Check-in, receiving transit, the hold shelf, the check-in receipt, the rule explanation and the
circulation panel of the staff patron page, as a member of staff would use them."""

import datetime

from django.utils import timezone

from pustaka.circulation import actions
from pustaka.circulation.choices import FeeKind, HoldStatus
from pustaka.circulation.models import FeeEntry, Hold, LoanRule
from pustaka.holdings.choices import ItemStatus

CHECKIN = "/staff/circulation/checkin/"
TRANSIT = "/staff/circulation/transit/"


def checkin_lines(client, url=CHECKIN) -> str:
    html = client.get(url).content.decode()
    start = html.find('id="checkin-lines"')
    return html[start : html.find("</ol>", start)] if start >= 0 else ""


def test_a_return_goes_back_to_the_shelf(desk_client, patron, make_item, lend_now):
    copy = make_item("B1")
    lend_now(copy, patron)
    desk_client.post(CHECKIN, {"barcode": "B1"})
    text = checkin_lines(desk_client)
    assert 'data-destination="shelf"' in text and "Put it on the shelving cart." in text
    assert "returned by Siti Rahmawati (P0001)" in text
    copy.refresh_from_db()
    assert copy.status == ItemStatus.READY_FOR_SHELVING  # waits in the shelving queue


def test_a_late_return_shows_the_fine(desk_client, patron, make_item, lend_now):
    lend_now(make_item("B1"), patron, when=timezone.now() - datetime.timedelta(days=30))
    desk_client.post(CHECKIN, {"barcode": "B1"})
    text = checkin_lines(desk_client)
    fine = FeeEntry.objects.get(kind=FeeKind.OVERDUE)
    assert fine.amount > 0
    assert "Overdue fine charged: Rp" in text


def test_a_return_with_a_waiting_hold_goes_to_the_hold_shelf_for_that_patron(
    desk_client, circulation, patron, make_patron, make_item, lend_now, record, branch
):
    lend_now(make_item("B1"), make_patron("P0002"))
    actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=circulation)
    desk_client.post(CHECKIN, {"barcode": "B1"})
    text = checkin_lines(desk_client)
    assert 'data-destination="hold_shelf"' in text
    assert "Put it on the hold shelf for Siti Rahmawati (P0001) at Perpustakaan Pusat." in text
    assert Hold.objects.get(patron=patron).status == HoldStatus.READY


def test_a_return_for_a_hold_at_another_branch_goes_in_transit_and_is_received_there(
    staff_client, circulation, patron, make_patron, make_item, lend_now, record, branch, other_branch
):
    lend_now(make_item("B1"), make_patron("P0002"))
    actions.place_hold(patron=patron, record=record, pickup_branch=other_branch, actor=circulation)
    client = staff_client(circulation)
    client.post(CHECKIN, {"barcode": "B1"})
    text = checkin_lines(client)
    assert 'data-destination="transit"' in text and "Send it to Cabang Utara (hold for Siti Rahmawati (P0001))." in text

    client.post("/staff/circulation/desk/branch/", {"branch": other_branch.pk, "next": "circulation:transit"})
    client.post(TRANSIT, {"barcode": "B1"})
    text = checkin_lines(client, TRANSIT)
    assert 'data-destination="hold_shelf"' in text and "Cabang Utara" in text
    assert Hold.objects.get(patron=patron).status == HoldStatus.READY


def test_refusals_unknown_barcode_and_not_on_loan(desk_client, make_item):
    make_item("B1")
    desk_client.post(CHECKIN, {"barcode": "NOPE"})
    desk_client.post(CHECKIN, {"barcode": "B1"})
    text = checkin_lines(desk_client)
    assert "No item has the barcode “NOPE”." in text
    assert "Item B1 is not on loan." in text
    desk_client.post(TRANSIT, {"barcode": "B1"})
    assert 'data-code="not_in_transit"' in checkin_lines(desk_client, TRANSIT)


def test_new_batch_and_receipt(desk_client, patron, make_item, lend_now):
    lend_now(make_item("B1"), patron)
    desk_client.post(CHECKIN, {"barcode": "B1"})
    desk_client.post(CHECKIN + "clear/", {"mode": "checkin"})
    assert "B1" not in checkin_lines(desk_client)
    receipt = desk_client.get(CHECKIN + "receipt/?mode=checkin").content.decode()
    assert "Items returned" in receipt and "B1" in receipt and "Siti Rahmawati" in receipt


def test_the_hold_shelf_lists_waiting_items_and_flags_expired_ones(
    staff_client,
    circulation,
    librarian,
    patron,
    make_patron,
    make_item,
    lend_now,
    record,
    branch,
    django_assert_max_num_queries,
):
    copies = [make_item(f"B{n}") for n in range(4)]
    for n, copy in enumerate(copies):
        lend_now(copy, make_patron(f"P01{n}"))
    for n in range(4):
        actions.place_hold(patron=make_patron(f"P02{n}"), record=record, pickup_branch=branch, actor=librarian)
    for copy in copies:
        actions.checkin(item=copy, branch=branch, actor=circulation)
    stale = Hold.objects.filter(status=HoldStatus.READY).first()
    stale.shelf_until = timezone.localdate() - datetime.timedelta(days=1)
    stale.save()
    client = staff_client(circulation)
    with django_assert_max_num_queries(12):
        html = client.get("/staff/circulation/hold-shelf/?branch=MAIN").content.decode()
    assert html.count('<tr class="') == 4
    assert "clear from shelf" in html and f'id="hold-{stale.pk}"' in html
    client.post("/staff/circulation/hold-shelf/expire/", {"branch": "MAIN"})
    stale.refresh_from_db()
    assert stale.status == HoldStatus.EXPIRED


def test_which_rule_applies_and_why(staff_client, circulation, patron_category, item_type, branch):
    LoanRule.objects.create(loan_days=14)
    specific = LoanRule.objects.create(patron_category=patron_category, item_type=item_type, loan_days=21)
    html = (
        staff_client(circulation)
        .get(
            f"/staff/circulation/rules/explain/?category={patron_category.pk}&item_type={item_type.pk}&branch={branch.pk}"
        )
        .content.decode()
    )
    assert "Applies: " + str(specific) in html
    assert "21 days" in html
    assert "Matches, but a more specific rule applies." in html


def test_the_explanation_falls_back_to_the_defaults(staff_client, circulation):
    html = (
        staff_client(circulation).get("/staff/circulation/rules/explain/?category=&item_type=&branch=").content.decode()
    )
    assert "Applies: the library's built-in defaults" in html


def test_staff_patron_page_shows_loans_holds_and_ledger(
    staff_client,
    circulation,
    administrator,
    patron,
    make_item,
    lend_now,
    record,
    branch,
    make_patron,
    django_assert_max_num_queries,
):
    from decimal import Decimal

    lend_now(make_item("B1"), patron, when=timezone.now() - datetime.timedelta(days=30))
    second = make_item("B2")
    lend_now(second, make_patron("P0002"))
    from pustaka.catalog.models import Record

    other = Record.objects.create(title="Laskar pelangi")
    make_item("B3", record=other, status="on_loan")
    actions.place_hold(patron=patron, record=other, pickup_branch=branch, actor=circulation)
    actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=Decimal("7500"), actor=administrator, note="Kartu hilang")
    html = staff_client(circulation).get(f"/staff/patrons/{patron.pk}/").content.decode()
    assert 'id="patron-circulation"' in html
    panel = html[html.find('id="patron-circulation"') :]
    assert "B1" in panel and "overdue" in panel
    assert "Laskar pelangi" in panel
    assert "Rp 7,500" in panel and "Kartu hilang" in panel
