"""The loan desk as plain form posts: scan a card, scan items, every refusal with its reason, overrides
for the roles that may, renewals, payments and waivers, finishing, the receipt, and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from pustaka.circulation.choices import FeeKind
from pustaka.circulation.models import FeeEntry, Hold, Loan

DESK = "/staff/circulation/desk/"


def scan_card(client, card):
    return client.post(DESK + "patron/", {"card": card})


def scan_item(client, barcode, **extra):
    return client.post(DESK + "checkout/", {"barcode": barcode, **extra})


def lines(response) -> str:
    html = response.content.decode()
    start = html.find('id="desk-lines"')
    return html[start : html.find("</ol>", start)] if start >= 0 else ""


def test_desk_lends_the_scanned_items_and_shows_the_due_date(desk_client, patron, make_item):
    make_item("B1")
    make_item("B2")
    response = scan_card(desk_client, " p0001 ")
    assert response.status_code == 302
    page = desk_client.get(DESK)
    assert "Siti Rahmawati" in page.content.decode()
    assert 'id="id_barcode"' in page.content.decode() and "autofocus" in page.content.decode()

    scan_item(desk_client, "B1")
    page = desk_client.get(DESK)
    loan = Loan.objects.get(item__barcode="B1")
    assert loan.patron == patron
    assert "Lent" in lines(page) and "Pemrograman Python" in lines(page)
    with translation.override("en"):
        assert date_format(timezone.localtime(loan.due_at), "DATE_FORMAT") in lines(page)

    scan_item(desk_client, "b2")  # a barcode typed in small letters is found too
    assert Loan.objects.filter(patron=patron, returned_at__isnull=True).count() == 2


def test_an_unknown_card_says_so(desk_client, patron):
    response = scan_card(desk_client, "NOPE")
    page = desk_client.get(DESK)
    assert response.status_code == 302
    assert "No patron has the card number “NOPE”." in page.content.decode()
    assert 'id="id_card"' in page.content.decode()


def test_an_unknown_barcode_is_refused_with_the_barcode(desk_client, patron):
    scan_card(desk_client, "P0001")
    scan_item(desk_client, "XYZ9")
    text = lines(desk_client.get(DESK))
    assert "Not lent" in text and "No item has the barcode “XYZ9”." in text
    assert not Loan.objects.exists()


def test_an_item_not_on_the_shelf_is_refused(desk_client, patron, make_item):
    make_item("B1", status="in_repair")
    scan_card(desk_client, "P0001")
    scan_item(desk_client, "B1")
    text = lines(desk_client.get(DESK))
    assert "Item B1 is" in text and "cannot be lent" in text
    assert "anyway" not in text  # not overridable
    assert not Loan.objects.exists()


def test_an_item_on_loan_to_someone_else_is_refused(desk_client, patron, make_patron, make_item, lend_now):
    other = make_patron("P0002", first_name="Budi", last_name="Santoso")
    lend_now(make_item("B1"), other)
    scan_card(desk_client, "P0001")
    scan_item(desk_client, "B1")
    text = lines(desk_client.get(DESK))
    assert "B1" in text and "Not lent" in text
    assert Loan.objects.get(item__barcode="B1").patron == other


def test_a_blocked_patron_is_refused_with_the_reasons_and_only_a_supervisor_may_override(
    staff_client, circulation, librarian, make_patron, make_item, loan_rule
):
    expired = make_patron("P0009", first_name="Lama", expires_on=timezone.localdate() - datetime.timedelta(days=3))
    make_item("B1")
    desk = staff_client(circulation)
    scan_card(desk, "P0009")
    page = desk.get(DESK)
    assert "Membership expired" in page.content.decode()  # the panel shows the block
    scan_item(desk, "B1")
    text = lines(desk.get(DESK))
    assert "is blocked" in text and "Membership expired" in text
    assert "Lend B1 anyway" not in text  # the circulation role may not override
    assert scan_item(desk, "B1", override="on").status_code == 403
    assert not Loan.objects.exists()

    desk.logout()
    supervisor = staff_client(librarian)
    scan_card(supervisor, "P0009")
    scan_item(supervisor, "B1")
    assert "Lend B1 anyway" in lines(supervisor.get(DESK))
    scan_item(supervisor, "B1", override="on")
    loan = Loan.objects.get(item__barcode="B1", patron=expired)
    assert loan.overridden
    text = lines(supervisor.get(DESK))
    assert "Lend B1 anyway" not in text and "Lent" in text


def test_the_loan_limit_is_refused_and_may_be_overridden(staff_client, librarian, patron, make_item, loan_rule):
    desk = staff_client(librarian)
    scan_card(desk, "P0001")
    for n in range(1, 5):
        make_item(f"B{n}")
        scan_item(desk, f"B{n}")
    text = lines(desk.get(DESK))
    assert "already has 3 items on loan; the limit is 3" in text
    assert Loan.objects.filter(patron=patron).count() == 3
    scan_item(desk, "B4", override="on")
    assert Loan.objects.filter(patron=patron).count() == 4


def test_an_item_on_the_hold_shelf_for_someone_else_is_refused(
    desk_client, circulation, patron, make_patron, make_item, record, branch
):
    from pustaka.circulation import actions

    other = make_patron("P0002")
    copy = make_item("B1")
    lend_to = make_patron("P0003")
    actions.checkout(item=copy, patron=lend_to, branch=branch, actor=circulation)
    actions.place_hold(patron=other, record=record, pickup_branch=branch, actor=circulation)
    result = actions.checkin(item=copy, branch=branch, actor=circulation)
    assert result.destination == "hold_shelf"
    scan_card(desk_client, "P0001")
    scan_item(desk_client, "B1")
    text = lines(desk_client.get(DESK))
    assert "held for another patron" in text
    assert not Loan.objects.filter(patron=patron).exists()


def test_renew_selected_and_all_from_the_desk(desk_client, patron, make_item, lend_now, record):
    first = lend_now(make_item("B1"), patron, when=timezone.now() - datetime.timedelta(days=10))
    second = lend_now(make_item("B2"), patron, when=timezone.now() - datetime.timedelta(days=10))
    scan_card(desk_client, "P0001")
    desk_client.post(DESK + "renew/", {"loan": [first.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.renewals == 1 and second.renewals == 0
    assert "Renewed" in lines(desk_client.get(DESK))

    desk_client.post(DESK + "renew/", {"all": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.renewals, second.renewals) == (2, 1)


def test_a_refused_renewal_says_why(desk_client, patron, make_patron, make_item, lend_now, record, circulation, branch):
    from pustaka.circulation import actions

    loan = lend_now(make_item("B1"), patron)
    actions.place_hold(patron=make_patron("P0002"), record=record, pickup_branch=branch, actor=circulation)
    scan_card(desk_client, "P0001")
    desk_client.post(DESK + "renew/", {"loan": [loan.pk]})
    text = lines(desk_client.get(DESK))
    assert "Not renewed" in text and "cannot be renewed" in text
    loan.refresh_from_db()
    assert loan.renewals == 0


def test_renew_ignores_another_patrons_loan(desk_client, patron, make_patron, make_item, lend_now):
    other_loan = lend_now(make_item("B1"), make_patron("P0002"))
    scan_card(desk_client, "P0001")
    desk_client.post(DESK + "renew/", {"loan": [other_loan.pk]})
    other_loan.refresh_from_db()
    assert other_loan.renewals == 0


def _charge(patron, amount, admin):
    from pustaka.circulation import actions

    return actions.charge(patron=patron, kind=FeeKind.MANUAL, amount=Decimal(amount), actor=admin, note="Kartu")


def test_payment_at_the_desk_lowers_the_balance(desk_client, patron, administrator):
    _charge(patron, "5000", administrator)
    scan_card(desk_client, "P0001")
    page = desk_client.get(DESK).content.decode()
    assert "Rp 5,000" in page
    desk_client.post(DESK + "pay/", {"amount": "3000", "method": "cash", "note": ""})
    payment = FeeEntry.objects.get(kind=FeeKind.PAYMENT)
    assert payment.amount == Decimal("3000") and payment.patron == patron
    assert "Rp 2,000" in desk_client.get(DESK).content.decode()


def test_a_paid_charge_is_no_longer_listed_at_the_desk_or_in_the_opac(
    staff_client, librarian, patron, administrator, client
):
    """Paying settles the oldest charges first: the desk offers no waive form for a paid charge, and the
    patron's fines page lists only what is still owed."""
    paid = _charge(patron, "5000", administrator)
    open_one = _charge(patron, "3000", administrator)
    desk = staff_client(librarian)
    scan_card(desk, "P0001")
    assert f'id="charge-{paid.pk}"' in desk.get(DESK).content.decode()
    desk.post(DESK + "pay/", {"amount": "5000", "method": "cash", "note": ""})
    page = desk.get(DESK).content.decode()
    assert f'id="charge-{paid.pk}"' not in page and f'name="fee" value="{paid.pk}"' not in page
    assert f'id="charge-{open_one.pk}"' in page
    desk.logout()
    client.force_login(patron.user)
    fines = client.get("/account/fines/").content.decode()
    owed = fines[fines.find('id="owed"') : fines.find("</table>", fines.find('id="owed"'))]
    assert f'id="owed-{open_one.pk}"' in owed and "Rp 3,000" in owed
    assert f'id="owed-{paid.pk}"' not in owed


def test_a_bad_payment_amount_is_refused_and_nothing_is_written(desk_client, patron):
    scan_card(desk_client, "P0001")
    for amount in ("", "-5", "abc", "0"):
        desk_client.post(DESK + "pay/", {"amount": amount, "method": "cash"})
    assert not FeeEntry.objects.exists()


def test_waive_needs_the_permission(staff_client, circulation, librarian, patron, administrator):
    fee = _charge(patron, "5000", administrator)
    desk = staff_client(circulation)
    scan_card(desk, "P0001")
    assert "Waive" not in desk.get(DESK).content.decode().split('id="patron-title"')[1]
    assert desk.post(DESK + "waive/", {"fee": fee.pk, "amount": "5000", "reason": "x"}).status_code == 403
    desk.logout()
    supervisor = staff_client(librarian)
    scan_card(supervisor, "P0001")
    supervisor.post(DESK + "waive/", {"fee": fee.pk, "amount": "2000", "reason": "Anggota baru"})
    waiver = FeeEntry.objects.get(kind=FeeKind.WAIVER)
    assert waiver.amount == Decimal("2000") and waiver.settles == fee


def test_finish_returns_to_the_card_field_and_the_receipt_lists_the_loans(desk_client, patron, make_item):
    make_item("B1")
    scan_card(desk_client, "P0001")
    scan_item(desk_client, "B1")
    scan_item(desk_client, "NOPE")
    desk_client.post(DESK + "finish/")
    page = desk_client.get(DESK).content.decode()
    assert 'id="id_card"' in page and "Siti" not in page
    receipt = desk_client.get(DESK + "receipt/").content.decode()
    assert "Loan receipt" in receipt and "B1" in receipt and "Siti Rahmawati" in receipt
    assert "NOPE" not in receipt  # refusals are not on the receipt
    assert "@media print" in receipt


def test_the_desk_page_with_many_loans_takes_a_fixed_number_of_queries(
    desk_client, patron, make_item, lend_now, loan_rule, django_assert_max_num_queries, administrator, record
):
    loan_rule.max_items = 50
    loan_rule.save()
    for n in range(12):
        lend_now(make_item(f"B{n:02d}"), patron)
    for _ in range(3):
        _charge(patron, "1000", administrator)
    scan_card(desk_client, "P0001")
    for n in range(5):
        scan_item(desk_client, f"X{n}")
    with django_assert_max_num_queries(20):
        response = desk_client.get(DESK)
    assert response.content.decode().count('name="loan"') == 12


def test_holds_ready_show_in_the_patron_panel(desk_client, circulation, patron, make_patron, make_item, record, branch):
    from pustaka.circulation import actions

    copy = make_item("B1")
    actions.checkout(item=copy, patron=make_patron("P0002"), branch=branch, actor=circulation)
    actions.place_hold(patron=patron, record=record, pickup_branch=branch, actor=circulation)
    actions.checkin(item=copy, branch=branch, actor=circulation)
    assert Hold.objects.get(patron=patron).status == "ready"
    scan_card(desk_client, "P0001")
    page = desk_client.get(DESK).content.decode()
    assert 'id="holds-ready"' in page and "B1" in page.split('id="holds-ready"')[1]
    scan_item(desk_client, "B1")  # lending it fulfils the hold
    assert Hold.objects.get(patron=patron).status == "fulfilled"


PAGES = [
    ("get", DESK),
    ("post", DESK + "patron/"),
    ("post", DESK + "checkout/"),
    ("post", DESK + "renew/"),
    ("post", DESK + "pay/"),
    ("post", DESK + "finish/"),
    ("get", DESK + "receipt/"),
    ("get", "/staff/circulation/checkin/"),
    ("get", "/staff/circulation/transit/"),
    ("get", "/staff/circulation/checkin/receipt/"),
    ("post", "/staff/circulation/checkin/clear/"),
    ("get", "/staff/circulation/hold-shelf/"),
    ("post", "/staff/circulation/hold-shelf/expire/"),
    ("get", "/staff/circulation/rules/explain/"),
    ("post", DESK + "waive/"),
    ("post", DESK + "loans/1/lost/"),
    ("post", DESK + "loans/1/claim-returned/"),
]


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_anonymous_visitors_go_to_the_login_page(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_a_patron_may_not_use_the_staff_pages(client, patron, method, url):
    client.force_login(patron.user)
    assert getattr(client, method)(url).status_code == 403


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_the_it_manager_has_no_circulation_permissions(staff_client, it_manager, method, url):
    assert getattr(staff_client(it_manager), method)(url).status_code == 403


def test_the_circulation_role_may_use_the_desk_but_not_waive(staff_client, circulation):
    client = staff_client(circulation)
    for url in (DESK, "/staff/circulation/checkin/", "/staff/circulation/hold-shelf/", DESK + "receipt/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/staff/circulation/rules/explain/").status_code == 200
    assert client.post(DESK + "waive/", {}).status_code == 403


# --- Lost and claimed returned at the desk ----------------------------------------------------------


def test_declare_lost_and_claim_returned_from_the_patrons_loans(staff_client, librarian, patron, make_item, lend_now):
    from pustaka.holdings.choices import ItemStatus

    lost = lend_now(make_item("B1"), patron)
    claimed = lend_now(make_item("B2"), patron)
    desk = staff_client(librarian)
    scan_card(desk, "P0001")
    page = desk.get(DESK).content.decode()
    assert f'formaction="{DESK}loans/{lost.pk}/lost/"' in page
    assert f'formaction="{DESK}loans/{claimed.pk}/claim-returned/"' in page

    desk.post(f"{DESK}loans/{lost.pk}/lost/")
    lost.refresh_from_db()
    assert lost.is_lost and lost.item.status == ItemStatus.LOST
    assert FeeEntry.objects.filter(loan=lost, kind=FeeKind.LOST).exists()
    desk.post(f"{DESK}loans/{claimed.pk}/claim-returned/")
    claimed.refresh_from_db()
    assert claimed.claimed_returned_at is not None
    response = desk.get(DESK)
    text = lines(response)
    assert "Declared lost" in text and "Claim recorded" in text
    page = response.content.decode()
    assert f"loans/{lost.pk}/lost/" not in page and f"loans/{claimed.pk}/claim-returned/" not in page

    desk.post(f"{DESK}loans/{lost.pk}/lost/")  # twice: refused with the reason, nothing charged again
    assert "Not changed" in lines(desk.get(DESK)) and "already declared lost" in lines(desk.get(DESK))
    assert FeeEntry.objects.filter(loan=lost, kind=FeeKind.LOST).count() == 1


def test_lost_and_claim_buttons_follow_the_permissions(
    staff_client, circulation, technician, patron, make_item, lend_now
):
    loan = lend_now(make_item("B1"), patron)
    desk = staff_client(circulation)  # may declare lost, may not record a claim
    scan_card(desk, "P0001")
    page = desk.get(DESK).content.decode()
    assert f"loans/{loan.pk}/lost/" in page and "claim-returned" not in page
    assert desk.post(f"{DESK}loans/{loan.pk}/claim-returned/").status_code == 403
    desk.logout()
    tech = staff_client(technician)  # no holdings.mark_lost, no claims
    scan_card(tech, "P0001")
    page = tech.get(DESK).content.decode()
    assert "/lost/" not in page and "claim-returned" not in page
    assert tech.post(f"{DESK}loans/{loan.pk}/lost/").status_code == 403
    loan.refresh_from_db()
    assert not loan.is_lost and loan.claimed_returned_at is None
    assert not FeeEntry.objects.exists()


def test_lost_only_for_the_current_patrons_open_loans(
    staff_client, librarian, patron, make_patron, make_item, lend_now
):
    other = lend_now(make_item("B1"), make_patron("P0002"))
    desk = staff_client(librarian)
    scan_card(desk, "P0001")
    assert desk.post(f"{DESK}loans/{other.pk}/lost/").status_code == 404
    assert desk.post(f"{DESK}loans/99999999999999999999999/lost/").status_code == 404
    other.refresh_from_db()
    assert not other.is_lost


# --- Amounts with cents, lost and claimed loans at the desk ------------------------------------------


@pytest.mark.parametrize(
    ("language", "owed", "waive", "left"),
    [("en", "1,000.50", "0.50", "1,000"), ("id", "1.000,50", "0,50", "1.000")],
)
def test_amounts_with_cents_are_prefilled_exactly_and_accepted(
    staff_client, librarian, patron, administrator, language, owed, waive, left
):
    """The waive and pay fields carry the exact amount in the page's language (never "1000.50"), so
    posting them as they are works (a rounded Rp 1.001 would be refused as more than is owed)."""
    fee = _charge(patron, "1000.50", administrator)
    desk = staff_client(librarian)
    scan_card(desk, "P0001")
    page = desk.get(DESK, headers={"accept-language": language}).content.decode()
    assert f'<html lang="{language}"' in page
    assert f'id="waive-amount-{fee.pk}" value="{owed}"' in page
    assert f'id="id_amount" size="10" required value="{owed}"' in page
    desk.post(
        DESK + "waive/", {"fee": fee.pk, "amount": waive, "reason": "Kembalian"}, headers={"accept-language": language}
    )
    assert FeeEntry.objects.get(kind=FeeKind.WAIVER).amount == Decimal("0.50")
    page = desk.get(DESK, headers={"accept-language": language}).content.decode()
    assert f'id="id_amount" size="10" required value="{left}"' in page
    desk.post(DESK + "pay/", {"amount": left, "method": "cash", "note": ""}, headers={"accept-language": language})
    assert FeeEntry.objects.get(kind=FeeKind.PAYMENT).amount == Decimal("1000.00")


def test_lost_and_claimed_loans_are_not_shown_as_overdue(
    staff_client, librarian, patron, make_item, lend_now, loan_rule
):
    from pustaka.circulation import actions

    long_ago = timezone.now() - datetime.timedelta(days=60)
    lost = lend_now(make_item("B1"), patron, when=long_ago)
    claimed = lend_now(make_item("B2"), patron, when=long_ago)
    late = lend_now(make_item("B3"), patron, when=long_ago)
    patron.category.max_fines = 10**7
    patron.category.save()
    actions.declare_lost(loan=lost, actor=librarian)
    actions.claim_returned(loan=claimed, actor=librarian)
    desk = staff_client(librarian)
    scan_card(desk, "P0001")
    page = desk.get(DESK).content.decode()
    rows = {barcode: page[page.find(f'id="loan-{barcode}"') :].split("</tr>")[0] for barcode in ("B1", "B2", "B3")}
    badge = ">overdue</span>"
    assert badge in rows["B3"] and badge not in rows["B1"] and badge not in rows["B2"]
    assert ">lost</span>" in rows["B1"] and ">patron says returned</span>" in rows["B2"]
    assert page.count('<tr class="overdue"') == 1 and f'<tr class="overdue" id="loan-{late.item.barcode}"' in page
    assert ">1 overdue</span>" in page
