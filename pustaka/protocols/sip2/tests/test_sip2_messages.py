"""Each SIP2 request through the handlers (as the server calls them, without a socket: fast).

The same messages over a real TCP socket are in test_sip2_server.py."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from .conftest import field, fields

pytestmark = pytest.mark.library_language("en")

NOW = "20261122    120000"
BLANK = " " * 18


def checkout_msg(card, barcode, pin="1234", renewal="N"):
    pin_field = f"AD{pin}|" if pin is not None else ""
    return f"11{renewal}N{NOW}{BLANK}AOMAIN|AA{card}|AB{barcode}|AC|{pin_field}"


def test_sc_status_of_a_logged_in_machine(ask):
    answer = ask("9900302.00")
    assert answer.startswith("98YYYY")
    assert answer[2 + 30 : 2 + 34] == "2.00"
    assert field(answer, "AO") == "MAIN"
    # Every message of SIP2 2.00 a machine sends: 01 Block Patron, 19 Item Status Update and
    # 25 Patron Enable included.
    assert field(answer, "BX") == "YYYYYYYYYYYYYYYY"
    assert answer[2 + 4] == "N"  # status update ok: a machine may not change an item's properties
    assert field(answer, "AN") == "selfcheck"


def test_sc_status_before_login_says_checkout_is_not_possible(make_session, sip_account):
    from pustaka.protocols.sip2 import handlers
    from pustaka.protocols.sip2.codec import parse

    answer = handlers.handle(make_session(logged_in=False), parse(b"9900302.00")).decode()
    assert answer.startswith("98YNNN")
    assert "logged in" in field(answer, "AF")


@pytest.mark.parametrize(
    ("request_text", "response_code"),
    [
        (f"11NN{NOW}{BLANK}AOMAIN|AAD0001|ABB000001|AD1234|", "12"),
        (f"09N{NOW}{NOW}APMAIN|AOMAIN|ABB000001|", "10"),
        (f"23001{NOW}AOMAIN|AAD0001|AD1234|", "24"),
        (f"63001{NOW}Y         AOMAIN|AAD0001|AD1234|", "64"),
        (f"17{NOW}AOMAIN|ABB000001|", "18"),
        (f"29NN{NOW}{BLANK}AOMAIN|AAD0001|ABB000001|AD1234|", "30"),
        (f"65{NOW}AOMAIN|AAD0001|AD1234|", "66"),
        (f"35{NOW}AOMAIN|AAD0001|", "36"),
        (f"37{NOW}0100IDRBV1000|AOMAIN|AAD0001|AD1234|", "38"),
        (f"15+{NOW}AOMAIN|AAD0001|ABB000001|AD1234|", "16"),
        (f"01Y{NOW}AOMAIN|ALStolen card|AAD0001|AC|", "24"),
        (f"19{NOW}AOMAIN|ABB000001|AC|CH001|", "20"),
        (f"25{NOW}AOMAIN|AAD0001|AD1234|", "26"),
    ],
)
def test_messages_before_login_are_refused_politely(make_session, reader, item, request_text, response_code):
    from pustaka.circulation.models import Hold, Loan
    from pustaka.patrons.models import PatronBlock
    from pustaka.protocols.sip2 import handlers
    from pustaka.protocols.sip2.codec import parse

    answer = handlers.handle(make_session(logged_in=False), parse(request_text.encode())).decode()
    assert answer[:2] == response_code
    assert field(answer, "AF") == "This self-check machine is not logged in. Please ask at the desk."
    assert "Dewi" not in answer
    if response_code in {"12", "10", "30", "66", "16", "20"}:
        assert answer[2] == "0"
    item.refresh_from_db()
    assert item.status == "available"
    assert not Loan.objects.exists()
    assert not Hold.objects.exists()
    assert not PatronBlock.objects.exists()


def test_a_deactivated_account_stops_working_in_an_open_session(ask, reader, item, librarian):
    from pustaka.circulation.actions_sip import deactivate_sip_account

    deactivate_sip_account(account=ask.session.account, actor=librarian)
    ask.session.account_loaded_at = 0  # the session re-reads its account now and then
    answer = ask(checkout_msg("D0001", "B000001"))
    assert answer[:3] == "120"
    assert "not logged in" in field(answer, "AF")
    item.refresh_from_db()
    assert item.status == "available"


def test_patron_status_with_the_right_pin(ask, reader):
    answer = ask(f"23001{NOW}AOMAIN|AAD0001|AC|AD1234|")
    assert answer.startswith("24" + " " * 14 + "001")
    assert field(answer, "AE") == "Dewi Lestari"
    assert field(answer, "BL") == "Y"
    assert field(answer, "CQ") == "Y"
    assert field(answer, "BV") == "0.00"


def test_patron_status_with_a_wrong_pin_says_cq_n_and_hides_the_name(ask, reader):
    answer = ask(f"23001{NOW}AOMAIN|AAD0001|AC|AD9999|")
    assert field(answer, "CQ") == "N"
    assert field(answer, "AE") == ""
    assert field(answer, "AF") == "The PIN is not correct."


def test_patron_status_of_an_unknown_card(ask, reader):
    answer = ask(f"23001{NOW}AOMAIN|AAX9999|AD1234|")
    assert answer.startswith("24" + "Y" * 14)
    assert field(answer, "BL") == "N"
    assert "X9999" in field(answer, "AF")


def test_patron_status_of_a_blocked_patron_denies_privileges_without_the_staff_note(ask, reader, librarian):
    from pustaka.patrons.models import PatronBlock

    PatronBlock.objects.create(patron=reader, note="Owes us a secret explanation", created_by=librarian)
    answer = ask(f"23001{NOW}AOMAIN|AAD0001|AD1234|")
    assert answer[2:6] == "YYYY"
    assert "secret" not in answer
    assert "Blocked by staff" in field(answer, "AF")


def test_checkout_lends_the_item_at_the_accounts_branch_as_its_staff_user(ask, reader, item, sip_actor, branch):
    from pustaka.circulation.models import Loan

    answer = ask(checkout_msg("D0001", "B000001"))
    assert answer[:6] == "121NNY", answer
    loan = Loan.objects.get(item=item, returned_at__isnull=True)
    assert loan.patron == reader
    assert loan.branch == branch
    assert loan.checked_out_by == sip_actor
    assert field(answer, "AB") == "B000001"
    assert field(answer, "AJ") == "Pemrograman Python"
    assert field(answer, "AH") == timezone.localtime(loan.due_at).strftime("%Y%m%d    %H%M%S")
    assert field(answer, "AF").startswith("Due back")


def test_checkout_with_a_wrong_pin_lends_nothing(ask, reader, item):
    answer = ask(checkout_msg("D0001", "B000001", pin="0000"))
    assert answer[:3] == "120"
    assert field(answer, "AF") == "The PIN is not correct."
    item.refresh_from_db()
    assert item.status == "available"


def test_checkout_without_a_pin_needs_one_proved_earlier_in_the_session(ask, reader, make_item):
    make_item("B000002")
    answer = ask(checkout_msg("D0001", "B000002", pin=None))
    assert answer[:3] == "120"
    assert field(answer, "AF") == "Please enter your PIN."
    ask(f"63001{NOW}          AOMAIN|AAD0001|AD1234|")
    assert ask(checkout_msg("D0001", "B000002", pin=None))[:3] == "121"
    ask(f"35{NOW}AOMAIN|AAD0001|")  # end of the patron's session: the PIN is forgotten
    assert ask(checkout_msg("D0001", "B000002", pin=None, renewal="Y"))[:3] == "120"


def test_checkout_refusal_maps_the_typed_error_to_ok_0_and_a_screen_message(ask, reader, make_item):
    make_item("B000009", status="in_repair")
    answer = ask(checkout_msg("D0001", "B000009"))
    assert answer[:6] == "120NNN"
    assert "B000009" in field(answer, "AF")
    assert field(answer, "AJ") == "Pemrograman Python"


def test_screen_messages_speak_the_patrons_language(ask, make_patron):
    patron = make_patron("D0002", last_name="Siregar", language="id")
    patron.set_pin("4321")
    patron.save(update_fields=["pin"])
    answer = ask(checkout_msg("D0002", "NOPE", pin="4321"))
    assert field(answer, "AF") == "Tidak ada eksemplar dengan barkode “NOPE”."
    status = ask(f"23001{NOW}AOMAIN|AAD0002|AD4321|")
    assert status[16:19] == "000"  # SIP2 has no code for Indonesian


def test_screen_messages_of_a_machine_speak_its_staff_users_language(ask, sip_actor):
    sip_actor.language = "id"
    sip_actor.save(update_fields=["language"])
    ask.session.account_loaded_at = 0
    assert field(ask(f"09N{NOW}{BLANK}APMAIN|AOMAIN|ABNOPE|"), "AF") == "Tidak ada eksemplar dengan barkode “NOPE”."
    sip_actor.language = "en"
    sip_actor.save(update_fields=["language"])
    ask.session.account_loaded_at = 0
    assert field(ask(f"09N{NOW}{BLANK}APMAIN|AOMAIN|ABNOPE|"), "AF") == "No item has the barcode “NOPE”."


def test_checkout_of_an_unknown_barcode(ask, reader):
    answer = ask(checkout_msg("D0001", "NOPE"))
    assert answer[:3] == "120"
    assert "NOPE" in field(answer, "AF")


def test_checkout_of_an_item_already_on_loan_to_the_patron_renews_it_when_the_machine_allows(ask, reader, item):
    from pustaka.circulation.models import Loan

    assert ask(checkout_msg("D0001", "B000001"))[:3] == "121"
    assert ask(checkout_msg("D0001", "B000001", renewal="N"))[:3] == "120"
    answer = ask(checkout_msg("D0001", "B000001", renewal="Y"))
    assert answer[:4] == "121Y", answer
    assert Loan.objects.get(item=item).renewals == 1


def test_checkin_returns_the_item(ask, reader, item, sip_actor):
    from pustaka.circulation.models import Loan

    ask(checkout_msg("D0001", "B000001"))
    answer = ask(f"09N{NOW}{NOW}APMAIN|AOMAIN|ABB000001|AC|")
    assert answer[:6] == "101YNN", answer
    assert field(answer, "AA") == "D0001"
    assert field(answer, "AQ") == "MAIN"
    loan = Loan.objects.get(item=item)
    assert loan.returned_at is not None
    assert loan.checked_in_by == sip_actor
    item.refresh_from_db()
    assert item.status == "ready_for_shelving"


def test_checkin_of_an_item_held_for_someone_raises_the_alert(ask, reader, item, make_patron, librarian, branch):
    from pustaka.circulation import actions

    ask(checkout_msg("D0001", "B000001"))
    other = make_patron("D0003", last_name="Nasution")
    actions.place_hold(patron=other, record=item.record, pickup_branch=branch, actor=librarian)
    answer = ask(f"09N{NOW}{NOW}APMAIN|AOMAIN|ABB000001|")
    assert answer[:6] == "101NNY", answer
    assert field(answer, "CV") == "01"
    assert "held for another patron" in field(answer, "AF")


def test_checkin_of_an_item_not_on_loan_is_refused(ask, item):
    answer = ask(f"09N{NOW}{BLANK}APMAIN|AOMAIN|ABB000001|")
    assert answer[:3] == "100"
    assert "B000001" in field(answer, "AF")


def test_renew_extends_the_loan(ask, reader, item):
    from pustaka.circulation.models import Loan

    ask(checkout_msg("D0001", "B000001"))
    answer = ask(f"29NN{NOW}{BLANK}AOMAIN|AAD0001|AD1234|ABB000001|")
    assert answer[:4] == "301Y", answer
    loan = Loan.objects.get(item=item)
    assert loan.renewals == 1
    assert field(answer, "AH") == timezone.localtime(loan.due_at).strftime("%Y%m%d    %H%M%S")


def test_renew_of_someone_elses_loan_is_refused(ask, reader, item, make_patron):
    other = make_patron("D0004", last_name="Hutapea", language="en")
    other.set_pin("5555")
    other.save(update_fields=["pin"])
    ask(checkout_msg("D0001", "B000001"))
    answer = ask(f"29NN{NOW}{BLANK}AOMAIN|AAD0004|AD5555|ABB000001|")
    assert answer[:4] == "300N"
    assert field(answer, "AF") == "Item B000001 is not on loan to you."


def test_renew_refused_by_the_loan_rule(ask, reader, item):
    from pustaka.circulation.models import LoanRule

    LoanRule.objects.create(renewals=0)
    ask(checkout_msg("D0001", "B000001"))
    answer = ask(f"29NN{NOW}{BLANK}AOMAIN|AAD0001|AD1234|ABB000001|")
    assert answer[:4] == "300N"
    assert "B000001" in field(answer, "AF")


def test_renew_all_lists_renewed_and_unrenewed_items(ask, reader, item, make_item, librarian, make_patron, branch):
    from pustaka.circulation import actions

    make_item("B000002")
    ask(checkout_msg("D0001", "B000001"))
    ask(checkout_msg("D0001", "B000002"))
    actions.place_hold(
        patron=make_patron("D0005", last_name="Sitompul"), record=item.record, pickup_branch=branch, actor=librarian
    )
    answer = ask(f"65{NOW}AOMAIN|AAD0001|AD1234|")
    assert answer[:3] == "661"
    renewed, unrenewed = int(answer[3:7]), int(answer[7:11])
    assert renewed + unrenewed == 2
    assert len(fields(answer).get("BM", [])) == renewed
    assert len(fields(answer).get("BN", [])) == unrenewed


def test_patron_information_lists_charged_items_within_the_range(ask, reader, make_item):
    for n in range(2, 6):
        make_item(f"B00000{n}")
        ask(checkout_msg("D0001", f"B00000{n}"))
    answer = ask(f"63001{NOW}  Y       AOMAIN|AAD0001|AD1234|BP2|BQ3|")
    assert answer.startswith("64")
    counts = answer[2 + 35 : 2 + 59]
    assert counts[8:12] == "0004"  # charged
    assert counts[4:8] == "0000"  # overdue
    assert fields(answer)["AU"] == ["B000003", "B000004"]
    assert field(answer, "CQ") == "Y"
    assert field(answer, "BE") == "dewi@example.org"


def test_patron_information_lists_overdue_holds_and_fines(ask, reader, item, make_item, librarian, sip_actor, branch):
    from pustaka.catalog.models import Record
    from pustaka.circulation import actions

    other_title = Record.objects.create(title="Laskar pelangi")
    make_item("B000002", status="on_loan", record=other_title)
    # An overdue loan made forty days ago through the action itself.
    long_ago = timezone.now() - datetime.timedelta(days=40)
    actions.checkout(item=item, patron=reader, branch=branch, actor=sip_actor, now=long_ago)
    actions.place_hold(patron=reader, record=other_title, pickup_branch=branch, actor=librarian)
    actions.charge(patron=reader, kind="manual", amount=Decimal("2500"), actor=librarian, note="Kartu")
    overdue = ask(f"63001{NOW} Y        AOMAIN|AAD0001|AD1234|")
    counts = overdue[2 + 35 : 2 + 59]
    assert counts[4:8] == "0001"
    assert fields(overdue)["AT"] == ["B000001"]
    holds = ask(f"63001{NOW}     Y    AOMAIN|AAD0001|AD1234|")
    assert holds[2 + 35 + 20 : 2 + 35 + 24] == "0001"
    assert fields(holds)["CD"] == ["Laskar pelangi"]
    fines = ask(f"63001{NOW}   Y      AOMAIN|AAD0001|AD1234|")
    assert fines[2 + 35 + 12 : 2 + 35 + 16] == "0001"
    assert field(fines, "BV") == "2500.00"
    assert "2500.00" in fields(fines)["AV"][0]


def test_fine_items_show_what_is_still_owed_after_a_payment(ask, reader, librarian):
    from pustaka.circulation import actions

    actions.charge(patron=reader, kind="manual", amount=Decimal("2000"), actor=librarian, note="Kartu")
    actions.charge(patron=reader, kind="manual", amount=Decimal("5000"), actor=librarian, note="Buku rusak")
    actions.pay(patron=reader, amount=Decimal("3000"), method="cash", actor=librarian)  # the oldest first
    fines = ask(f"63001{NOW}   Y      AOMAIN|AAD0001|AD1234|")
    assert field(fines, "BV") == "4000.00"
    assert fines[2 + 35 + 12 : 2 + 35 + 16] == "0001"  # the card replacement is paid off
    assert [line.split(" ")[0] for line in fields(fines)["AV"]] == ["4000.00"]


def test_item_information(ask, reader, item):
    answer = ask(f"17{NOW}AOMAIN|ABB000001|")
    assert answer[:4] == "1803"
    assert field(answer, "AJ") == "Pemrograman Python"
    assert field(answer, "AQ") == "MAIN"
    ask(checkout_msg("D0001", "B000001"))
    answer = ask(f"17{NOW}AOMAIN|ABB000001|")
    assert answer[:4] == "1804"
    assert field(answer, "AH").strip()


def test_item_information_of_an_unknown_barcode(ask):
    answer = ask(f"17{NOW}AOMAIN|ABXYZ|")
    assert answer[:4] == "1801"
    assert "XYZ" in field(answer, "AF")


def test_fee_paid_records_a_self_check_payment(ask, reader, librarian, branch):
    from pustaka.circulation import actions
    from pustaka.circulation.models import FeeEntry
    from pustaka.circulation.queries import balance

    actions.charge(patron=reader, kind="manual", amount=Decimal("3000"), actor=librarian, note="Kartu")
    answer = ask(f"37{NOW}0100IDRBV1000.00|AOMAIN|AAD0001|AD1234|BKT-77|")
    assert answer[:3] == "38Y", answer
    assert field(answer, "BK") == "T-77"
    payment = FeeEntry.objects.get(kind="payment")
    assert payment.payment_method == "self_check"
    assert payment.branch == branch
    assert balance(reader) == Decimal("2000.00")


def test_fee_paid_of_more_than_is_owed_is_refused(ask, reader):
    answer = ask(f"37{NOW}0100IDRBV1000|AOMAIN|AAD0001|AD1234|")
    assert answer[:3] == "38N"
    assert field(answer, "AF")


def test_hold_is_placed_and_cancelled(ask, reader, item, make_patron, sip_actor, branch):
    from pustaka.circulation import actions
    from pustaka.circulation.models import Hold

    actions.checkout(item=item, patron=make_patron("D0006", last_name="Tanjung"), branch=branch, actor=sip_actor)
    answer = ask(f"15+{NOW}BSMAIN|AOMAIN|AAD0001|AD1234|ABB000001|")
    assert answer[:4] == "161N", answer
    assert field(answer, "BR") == "1"
    assert field(answer, "BS") == "MAIN"
    hold = Hold.objects.get(patron=reader)
    assert hold.status == "waiting"
    answer = ask(f"15-{NOW}AOMAIN|AAD0001|AD1234|ABB000001|")
    assert answer[:3] == "161"
    hold.refresh_from_db()
    assert hold.status == "cancelled"
    again = ask(f"15-{NOW}AOMAIN|AAD0001|AD1234|ABB000001|")
    assert again[:3] == "160"


def test_end_session(ask, reader):
    answer = ask(f"35{NOW}AOMAIN|AAD0001|")
    assert answer[:3] == "36Y"
    assert field(answer, "AA") == "D0001"


def test_hold_change_moves_the_pickup_branch_and_date_and_keeps_the_queue_place(
    ask, reader, item, make_patron, sip_actor, branch
):
    """15 with mode * changes the pickup branch (BS) and "not needed after" date (BW) of the patron's
    open hold through the circulation action; the hold keeps its place in the queue."""
    import datetime as dt

    from pustaka.circulation import actions
    from pustaka.circulation.models import Hold
    from pustaka.core.models import AuditEvent, Branch

    north = Branch.objects.create(code="NORTH", name="Cabang Utara")
    actions.checkout(item=item, patron=make_patron("D0006", last_name="Tanjung"), branch=branch, actor=sip_actor)
    assert ask(f"15+{NOW}BSMAIN|AOMAIN|AAD0001|AD1234|ABB000001|")[:3] == "161"
    hold = Hold.objects.get(patron=reader)
    next_year = timezone.localdate().year + 1
    answer = ask(f"15*{NOW}BW{next_year}0101    235959|BSNORTH|AOMAIN|AAD0001|AD1234|ABB000001|")
    assert answer[:3] == "161", answer
    assert field(answer, "BS") == "NORTH" and field(answer, "BR") == "1"
    assert field(answer, "AF") == "Your hold is changed. Pick it up at Cabang Utara (NORTH)."
    changed = Hold.objects.get(pk=hold.pk)
    assert (changed.status, changed.pickup_branch, changed.expires_on) == ("waiting", north, dt.date(next_year, 1, 1))
    assert changed.placed_at == hold.placed_at
    assert AuditEvent.objects.filter(verb="circulation.hold.change", object_id=str(hold.pk)).exists()


def test_hold_change_without_an_open_hold(ask, reader, item):
    answer = ask(f"15*{NOW}BSMAIN|AOMAIN|AAD0001|AD1234|ABB000001|")
    assert answer[:3] == "160"
    assert field(answer, "AF") == "You have no open hold on this title."


def test_hold_change_needs_the_patrons_pin(ask, reader, item):
    answer = ask(f"15*{NOW}BSMAIN|AOMAIN|AAD0001|AD0000|ABB000001|")
    assert answer[:3] == "160"
    assert field(answer, "AF") == "The PIN is not correct."
