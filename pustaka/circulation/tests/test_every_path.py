"""The desk page, the API and SIP2 reach the same actions with the same lookups and the same branch
scope: the same inputs are driven through all three and must give the same outcome.

- Barcodes, card numbers and branch codes are found in any letter case (``pustaka.core.lookups``).
- A member of staff (or a self-check machine acting as one) of NORTH may lend to and take returns
  from a MAIN member, but may not take their payment, waive or renew their loans: the actions refuse
  it (``patron_of_another_branch``) and nothing is written, on every path. MAIN staff may.
"""

import time
from decimal import Decimal

import pytest

from pustaka.circulation import actions
from pustaka.circulation.models import FeeEntry, Hold, Loan
from pustaka.circulation.queries import balance
from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.choices import ItemStatus

DESK = "/staff/circulation/desk/"
NOW = "20261122    120000"
BLANK = " " * 18
SIP_PASSWORD = "machine-secret-1"

pytestmark = pytest.mark.library_language("en")  # SIP2 speaks the library's language


@pytest.fixture
def rule(db):
    from pustaka.circulation.models import LoanRule

    return LoanRule.objects.create(loan_days=14, renewals=5, max_items=5, fine_per_day=1000, hold_shelf_days=5)


@pytest.fixture
def reader(make_patron):
    """MAIN member R0001 (PIN 1234)."""
    patron = make_patron("R0001", first_name="Rina", last_name="Wati", language="en")
    patron.set_pin("1234")
    patron.save(update_fields=["pin"])
    return patron


def _staff_at(make_staff, branch, role, username):
    user = make_staff(role, username)
    user.home_branch = branch
    user.save(update_fields=["home_branch"])
    return user


class Paths:
    """One member of staff working through the desk page, the API and a SIP2 machine acting as them."""

    def __init__(self, user, branch, client, librarian):
        from pustaka.circulation.actions_sip import create_sip_account
        from pustaka.protocols.sip2 import handlers
        from pustaka.protocols.sip2.ratelimit import FailureLimiter

        self.user = user
        self.api = ApiClient.as_user(user)
        self.client = client
        client.force_login(user)
        client.post(DESK + "branch/", {"branch": branch.pk, "next": "circulation:desk"})
        login = f"machine-{user.username}"
        create_sip_account(
            actor=librarian, login=login, password=SIP_PASSWORD, institution=branch.code, branch=branch, acts_as=user
        )
        self.session = handlers.Session(peer="127.0.0.1", pin_limiter=FailureLimiter(limit=3, window=60))
        self.session.account = handlers.authenticate(login, SIP_PASSWORD)
        self.session.account_loaded_at = time.monotonic()
        self.institution = branch.code

    def sip(self, text: str) -> str:
        from pustaka.protocols.sip2 import handlers
        from pustaka.protocols.sip2.codec import parse

        return handlers.handle(self.session, parse(text.encode())).decode()

    def desk_messages(self) -> str:
        return self.client.get(DESK).content.decode()


@pytest.fixture
def north(make_staff, other_branch, client, librarian):
    return Paths(_staff_at(make_staff, other_branch, "librarian", "north-librarian"), other_branch, client, librarian)


@pytest.fixture
def main(make_staff, branch, client, librarian):
    return Paths(_staff_at(make_staff, branch, "librarian", "main-librarian"), branch, client, librarian)


def _sip_field(answer: str, code: str) -> str:
    for part in answer.split("|"):
        if part.startswith(code):
            return part[2:]
    return ""


def test_a_barcode_and_a_card_typed_in_small_letters_are_found_on_every_path(main, reader, make_item, rule):
    copies = [make_item(f"B00000{n}") for n in (1, 2, 3)]

    main.client.post(DESK + "patron/", {"card": "r0001"})
    main.client.post(DESK + "checkout/", {"barcode": "b000001"})
    api = main.api.post("/circulation/checkout", {"barcode": "b000002", "card_number": "r0001"})
    sip = main.sip(f"11NN{NOW}{BLANK}AO{main.institution}|AAr0001|ABb000003|AC|AD1234|")

    assert api.status_code == 201, api.content
    assert sip.startswith("121"), sip
    lent = set(Loan.objects.filter(patron=reader, returned_at__isnull=True).values_list("item__barcode", flat=True))
    assert lent == {"B000001", "B000002", "B000003"}
    for copy in copies:
        copy.refresh_from_db()
        assert copy.status == ItemStatus.ON_LOAN


def test_an_unknown_barcode_is_refused_alike_on_every_path(main, reader, rule):
    main.client.post(DESK + "patron/", {"card": "R0001"})
    main.client.post(DESK + "checkout/", {"barcode": "X999"})
    api = main.api.post("/circulation/checkout", {"barcode": "X999", "card_number": "R0001"})
    sip = main.sip(f"11NN{NOW}{BLANK}AO{main.institution}|AAR0001|ABX999|AC|AD1234|")

    assert "No item has the barcode “X999”." in main.desk_messages()
    assert api.status_code == 404 and api.json() == {
        "code": "item_not_found",
        "message": "No item has the barcode “X999”.",
        "field": "barcode",
    }
    assert sip.startswith("120") and _sip_field(sip, "AF")
    assert not Loan.objects.exists()


def test_a_branch_code_in_small_letters_is_found_on_every_path(main, reader, item, record, make_patron, rule):
    actions.checkout(item=item, patron=make_patron("R0002"), branch=item.branch, actor=main.user)

    api = main.api.post("/holds", {"record_id": record.pk, "pickup_branch": "main", "card_number": "R0001"})
    assert api.status_code == 201, api.content
    assert main.api.get("/branches/main").json()["code"] == "MAIN"
    Hold.objects.all().delete()
    sip = main.sip(f"15+{NOW}BSmain|AO{main.institution}|AAR0001|AD1234|ABB000001|")
    assert sip.startswith("161"), sip
    assert Hold.objects.get(patron=reader).pickup_branch.code == "MAIN"
    unknown = main.api.post("/holds", {"record_id": record.pk, "pickup_branch": "mars", "card_number": "R0001"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "branch_not_found"
    assert unknown.json()["field"] == "pickup_branch"


@pytest.fixture
def owing(reader, item, librarian, rule):
    """R0001 (MAIN) owes Rp 3.000 and has B000001 on loan."""
    fee = actions.charge(patron=reader, kind="manual", amount=Decimal("3000"), actor=librarian, note="Kartu")
    loan = actions.checkout(item=item, patron=reader, branch=item.branch, actor=librarian)
    return fee, loan


def _unchanged(reader, fee, loan):
    assert balance(reader) == Decimal("3000.00")
    assert FeeEntry.objects.filter(patron=reader).count() == 1
    loan.refresh_from_db()
    assert loan.renewals == 0


def test_north_staff_cannot_take_a_main_members_payment_on_any_path(north, reader, owing):
    fee, loan = owing
    north.client.post(DESK + "patron/", {"card": "R0001"})  # the desk finds any member: lending is open to all
    north.client.post(DESK + "pay/", {"amount": "1000", "method": "cash"})
    page = north.desk_messages()
    api = north.api.post("/fines/payments", {"card_number": "R0001", "amount": "1000", "method": "cash"})
    sip = north.sip(f"37{NOW}0100IDRBV1000|AO{north.institution}|AAR0001|AD1234|")

    assert "R0001 is a member of MAIN" in page
    assert api.status_code == 403 and api.json()["code"] == "patron_of_another_branch"
    assert sip.startswith("38N") and "member of MAIN" in _sip_field(sip, "AF")
    _unchanged(reader, fee, loan)


def test_north_staff_cannot_renew_or_waive_for_a_main_member_on_any_path(north, reader, owing):
    fee, loan = owing
    north.client.post(DESK + "patron/", {"card": "R0001"})
    north.client.post(DESK + "renew/", {"loan": loan.pk})
    north.client.post(DESK + "renew/", {"all": "1"})
    north.client.post(DESK + "waive/", {"fee": fee.pk, "amount": "1000", "reason": "Sakit"})
    page = north.desk_messages()
    renewed = north.api.post(f"/loans/{loan.pk}/renew", {})
    waived = north.api.post(f"/fines/{fee.pk}/waiver", {"amount": "1000", "reason": "Sakit"})
    charged = north.api.post("/fines/charges", {"card_number": "R0001", "kind": "manual", "amount": "500"})
    sip_renew = north.sip(f"29NN{NOW}{BLANK}AO{north.institution}|AAR0001|AD1234|ABB000001|")
    sip_all = north.sip(f"65{NOW}AO{north.institution}|AAR0001|AD1234|")

    assert page.count("R0001 is a member of MAIN") >= 3
    for answer in (renewed, waived, charged):
        assert answer.status_code == 403 and answer.json()["code"] == "patron_of_another_branch", answer.content
    assert sip_renew.startswith("300"), sip_renew
    assert "member of MAIN" in _sip_field(sip_renew, "AF")
    assert sip_all.startswith("660"), sip_all
    _unchanged(reader, fee, loan)


def test_north_staff_may_still_lend_to_and_take_returns_from_a_main_member(north, reader, make_item, rule):
    make_item("B000005")

    north.client.post(DESK + "patron/", {"card": "R0001"})
    north.client.post(DESK + "checkout/", {"barcode": "B000005"})
    assert Loan.objects.filter(patron=reader, item__barcode="B000005", returned_at__isnull=True).exists()
    answer = north.api.post("/circulation/checkin", {"barcode": "b000005"})
    assert answer.status_code == 200, answer.content
    assert not Loan.objects.filter(returned_at__isnull=True).exists()


def test_main_staff_take_the_payment_renew_and_waive_on_every_path(main, reader, owing):
    fee, loan = owing
    main.client.post(DESK + "patron/", {"card": "R0001"})
    main.client.post(DESK + "pay/", {"amount": "500", "method": "cash"})
    api = main.api.post("/fines/payments", {"card_number": "R0001", "amount": "500", "method": "cash"})
    sip = main.sip(f"37{NOW}0100IDRBV500|AO{main.institution}|AAR0001|AD1234|")
    assert api.status_code == 201 and sip.startswith("38Y"), (api.content, sip)
    assert balance(reader) == Decimal("1500.00")

    main.client.post(DESK + "renew/", {"loan": loan.pk})
    assert main.api.post(f"/loans/{loan.pk}/renew", {}).status_code == 200
    assert main.sip(f"29NN{NOW}{BLANK}AO{main.institution}|AAR0001|AD1234|ABB000001|").startswith("301")
    loan.refresh_from_db()
    assert loan.renewals == 3  # once on each path
    waived = main.api.post(f"/fines/{fee.pk}/waiver", {"amount": "500", "reason": "Sakit"})
    assert waived.status_code == 201
    assert balance(reader) == Decimal("1000.00")
