"""Money and numbers typed and shown the Indonesian way (``5.000``, ``5.000,50``, ``Rp 5.000``) and the
English way, the same on the pages, in the API and over SIP2; ambiguity refused with the reason."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from pustaka.core.numbers import (
    Money,
    NumberNotUnderstood,
    format_amount,
    format_filesize,
    format_number,
    parse_amount,
    parse_count,
)
from pustaka.core.tests.api_client import ApiClient

ACCEPTED = [
    ("5000", "5000"),
    ("5.000", "5000"),
    ("5,000", "5000"),
    ("1.250.000", "1250000"),
    ("1,250,000", "1250000"),
    ("5.000,50", "5000.50"),
    ("5,000.50", "5000.50"),
    ("5000,5", "5000.50"),
    ("5000,50", "5000.50"),
    ("5000.50", "5000.50"),
    ("5000.5", "5000.50"),
    ("Rp 5.000", "5000"),
    ("Rp5.000,-", "5000"),
    ("rp. 12.500", "12500"),
    ("IDR 1 250 000", "1250000"),
    ("  750  ", "750"),
]
REFUSED = [
    "",
    "abc",
    "5.00.0",
    "1,2,3",
    "5.0000",
    "5.",
    ",5",
    "0.500",
    "5,000,50",
    "12,5.000",
    "5.000,555",
    "-5",
    "5 kg",
]


@pytest.mark.parametrize("typed, value", ACCEPTED)
def test_amounts_are_read_as_indonesians_and_english_speakers_type_them(typed, value):
    assert parse_amount(typed) == Decimal(value)


@pytest.mark.parametrize("typed", REFUSED)
def test_unclear_or_malformed_amounts_are_refused_with_a_reason(typed):
    with pytest.raises(NumberNotUnderstood) as refused:
        parse_amount(typed)
    assert str(refused.value)


def test_the_refusal_says_why_in_both_languages():
    with translation.override("en"), pytest.raises(NumberNotUnderstood, match="Group thousands by three digits"):
        parse_amount("5.00.0")
    with translation.override("id"), pytest.raises(NumberNotUnderstood, match="Kelompokkan ribuan per tiga angka"):
        parse_amount("5.00.0")


def test_counts_are_whole_numbers_with_thousands_grouped_either_way():
    assert parse_count("1.000") == parse_count("1,000") == parse_count("1000") == 1000
    with pytest.raises(NumberNotUnderstood):
        parse_count("1,5")


@pytest.mark.parametrize(
    "language, amount, number, size",
    [
        ("id", "Rp 22.500", "112.246", "109,6 KB (112.246 bita)"),
        ("en", "Rp 22,500", "112,246", "109.6 KB (112,246 bytes)"),
    ],
)
def test_amounts_numbers_and_sizes_are_shown_in_the_pages_language(language, amount, number, size):
    with translation.override(language):
        assert format_amount(Decimal("22500.00")) == amount
        assert format_number(112246) == number
        assert format_filesize(112246).replace("\xa0", " ") == size
        assert str(Money(Decimal("5000.50"))) == ("Rp 5.000,50" if language == "id" else "Rp 5,000.50")


# --- Through the pages --------------------------------------------------------------------------------


@pytest.fixture
def withdrawn(make_item, librarian):
    from pustaka.technical import actions

    items = [make_item(f"W{n}", status="pulled", pulled_reason="weed") for n in (1, 2, 3)]
    make_item("KEEP")  # another copy stays on the shelf
    actions.withdraw_items(items=items, actor=librarian)
    return items


@pytest.mark.parametrize("typed, stored", [("5.000", "5000.00"), ("5.000,50", "5000.50"), ("Rp 7.500", "7500.00")])
def test_a_sale_price_typed_the_indonesian_way_is_stored_as_meant(client, librarian, withdrawn, typed, stored):
    from pustaka.technical.models import SaleOffer

    client.force_login(librarian)
    client.post("/staff/technical/sale/offer/", {"barcode": "W1", "price": typed})

    assert SaleOffer.objects.get(item__barcode="W1").price == Decimal(stored)


def test_an_unclear_sale_price_is_refused_and_nothing_changes(client, librarian, withdrawn):
    from pustaka.technical.models import SaleOffer

    client.force_login(librarian)
    response = client.post(
        "/staff/technical/sale/offer/", {"barcode": "W1", "price": "5.00.0"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert "Price: “5.00.0” is not an amount: Group thousands by three digits" in response.content.decode()
    indonesian = client.post(
        "/staff/technical/sale/offer/", {"barcode": "W1", "price": "5.0000"}, follow=True, HTTP_ACCEPT_LANGUAGE="id"
    ).content.decode()
    assert "Harga: “5.0000” bukan jumlah uang: Tidak jelas" in indonesian
    assert not SaleOffer.objects.filter(item__barcode="W1").exists()
    withdrawn[0].refresh_from_db()
    assert withdrawn[0].status == "withdrawn"


def test_the_desk_takes_a_payment_typed_as_5_000_and_says_the_amount_in_indonesian(
    client, circulation, patron, librarian
):
    from pustaka.circulation import actions
    from pustaka.circulation.queries import balance

    actions.charge(patron=patron, kind="manual", amount=Decimal("22500"), actor=librarian, note="Kartu")
    client.force_login(circulation)
    client.post("/staff/circulation/desk/patron/", {"card": patron.card_number})

    desk = client.get("/staff/circulation/desk/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'id="id_amount" size="10" required value="22.500"' in desk  # the balance to pay, never "22500.00"
    english = client.get("/staff/circulation/desk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="22,500"' in english

    client.post("/staff/circulation/desk/pay/", {"amount": "5.000", "method": "cash"})
    assert balance(patron) == Decimal("17500.00")
    too_much = client.post(
        "/staff/circulation/desk/pay/", {"amount": "50.000", "method": "cash"}, follow=True, HTTP_ACCEPT_LANGUAGE="id"
    ).content.decode()
    assert "tidak lebih dari Rp 17.500" in too_much  # never "17500.00"
    unclear = client.post(
        "/staff/circulation/desk/pay/", {"amount": "1,2,3", "method": "cash"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "“1,2,3” is not an amount: Group thousands by three digits" in unclear
    assert balance(patron) == Decimal("17500.00")


def test_the_loan_rule_form_reads_indonesian_amounts_and_shows_them_back(client, librarian):
    from pustaka.circulation.models import LoanRule

    client.force_login(librarian)
    client.post(
        "/staff/circulation/rules/new/",
        {
            "loan_days": "14",
            "renewals": "2",
            "max_items": "10",
            "fine_per_day": "1.000",
            "max_fine": "Rp 25.000",
            "grace_days": "0",
            "hold_shelf_days": "7",
            "replacement_charge": "50.000",
            "processing_fee": "10.000,50",
            "holds_allowed": "on",
        },
    )

    rule = LoanRule.objects.get()
    assert (rule.fine_per_day, rule.max_fine, rule.processing_fee) == (
        Decimal("1000"),
        Decimal("25000"),
        Decimal("10000.50"),
    )
    page = client.get("/staff/circulation/rules/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Rp 1.000" in page and "Rp 25.000" in page


# --- Through the API and SIP2 -------------------------------------------------------------------------


def test_the_api_reads_an_amount_sent_as_indonesian_text_and_names_a_bad_one(librarian, withdrawn):
    api = ApiClient.as_user(librarian)

    assert api.post("/sales/offers", {"barcode": "W1", "price": "5.000"}).json()["price"] == "5000.00"
    assert api.post("/sales/offers", {"barcode": "W2", "price": 2500.5}).json()["price"] == "2500.50"
    refused = api.post("/sales/offers", {"barcode": "W3", "price": "5.00.0"})
    assert refused.status_code == 400 and refused.json()["field"] == "price"
    assert "Group thousands by three digits" in refused.json()["errors"][0]["message"]


def test_the_api_reads_a_count_sent_as_1_000_as_a_thousand_not_one(senior_technician, it_manager):
    api = ApiClient.as_user(senior_technician)

    created = api.post("/programs", {"title": "Festival Buku", "branch": "MAIN", "capacity": "1.000"})
    assert created.status_code == 201, created.json()
    program = created.json()["id"]
    assert created.json()["capacity"] == 1000  # plain pydantic read "1.000" as 1
    assert api.patch(f"/programs/{program}", {"capacity": "2,500"}).json()["capacity"] == 2500
    refused = api.patch(f"/programs/{program}", {"capacity": "1.5.0"})
    assert refused.status_code == 400 and refused.json()["field"] == "capacity"
    assert "Group thousands by three digits" in refused.json()["errors"][0]["message"]
    half = api.patch(f"/programs/{program}", {"capacity": "1,5"})
    assert half.status_code == 400 and "Give a whole number" in half.json()["errors"][0]["message"]
    assert api.get(f"/programs/{program}").json()["capacity"] == 2500  # the refusals changed nothing

    licence = ApiClient.as_user(it_manager).post("/licences", {"name": "Perangkat lunak", "seats": "1.000"})
    assert licence.status_code == 201, licence.json()
    assert licence.json()["seats"] == 1000


def test_sip2_fee_paid_reads_the_amount_with_the_same_rule(librarian, patron, make_staff, branch):
    import time

    from pustaka.circulation import actions
    from pustaka.circulation.actions_sip import create_sip_account
    from pustaka.circulation.queries import balance
    from pustaka.protocols.sip2 import handlers
    from pustaka.protocols.sip2.codec import parse
    from pustaka.protocols.sip2.ratelimit import FailureLimiter

    patron.set_pin("1234")
    patron.save(update_fields=["pin"])
    actions.charge(patron=patron, kind="manual", amount=Decimal("3000"), actor=librarian, note="Kartu")
    create_sip_account(
        actor=librarian,
        login="kiosk",
        password="kiosk-secret-1",
        institution="MAIN",
        branch=branch,
        acts_as=make_staff("circulation", "kiosk-user"),
    )
    session = handlers.Session(peer="127.0.0.1", pin_limiter=FailureLimiter(limit=3, window=60))
    session.account = handlers.authenticate("kiosk", "kiosk-secret-1")
    session.account_loaded_at = time.monotonic()

    answer = handlers.handle(session, parse(b"3720261122    1200000100IDRBV1.000|AOMAIN|AAP0001|AD1234|")).decode()

    assert answer.startswith("38Y"), answer
    assert balance(patron) == Decimal("2000.00")  # "1.000" is a thousand Rupiah, not one

    unclear = handlers.handle(session, parse(b"3720261122    1200000100IDRBV1.2.3|AOMAIN|AAP0001|AD1234|")).decode()
    assert unclear.startswith("38N"), unclear
    assert "Rp 2.000" in unclear and "2000.00" not in unclear.split("|AF", 1)[1]  # the screen says it localised
    assert balance(patron) == Decimal("2000.00")


def test_counted_messages_say_one_item_and_two_items():
    from pustaka.catalog.errors import RecordHasItems
    from pustaka.circulation.errors import LoanLimitReached
    from pustaka.technical.queries.pulling import reason_text

    with translation.override("en"):
        assert str(LoanLimitReached(patron="P1", count=1, limit=1)) == (
            "P1 already has 1 item on loan; the limit is 1."
        )
        assert str(LoanLimitReached(patron="P1", count=2, limit=2)) == (
            "P1 already has 2 items on loan; the limit is 2."
        )
        assert str(RecordHasItems(title="Laut", count=1)) == "“Laut” still has 1 item; remove or move it first."
        assert reason_text({"code": "loan_count", "params": {"count": 1}}) == "Lent 1 time"
        assert reason_text({"code": "copies_held", "params": {"count": 3}}) == "3 copies held"
    with translation.override("id"):
        assert str(LoanLimitReached(patron="P1", count=1, limit=1)) == "P1 sudah meminjam 1 eksemplar; batasnya 1."
        assert reason_text({"code": "loan_count", "params": {"count": 1}}) == "Dipinjam 1 kali"


def test_counted_messages_say_one_seat_one_year_and_one_match():
    from pustaka.digital.errors_ingest import TooManySeats
    from pustaka.programs.errors import AgeOutOfRange
    from pustaka.programs.models import Program
    from pustaka.technical.queries.pulling import reason_text

    with translation.override("en"):
        assert str(TooManySeats(licence="SPSS", allowed=1, existing=0, asked=2)) == (
            "The licence “SPSS” allows 1 seat; this resource has 0, so 2 more would be too many."
        )
        assert "allows 2 seats;" in str(TooManySeats(licence="SPSS", allowed=2, existing=2, asked=1))
        assert str(AgeOutOfRange(patron="Ani", age=1, program="Dongeng", range="3–5")) == (
            "Ani is 1 year old; “Dongeng” is for 3–5."
        )
        assert str(AgeOutOfRange(patron="Ani", age=2, program="Dongeng", range="3–5")).startswith("Ani is 2 years old")
        assert Program(min_age=1).age_range == "1 year and over"
        assert Program(max_age=2).age_range == "up to 2 years"
        published = {"code": "published", "params": {"year": 2025, "years": 1}}
        assert reason_text(published) == "Published in 2025 (1 year ago)"
        assert reason_text({"code": "published", "params": {"year": 2024, "years": 2}}) == (
            "Published in 2024 (2 years ago)"
        )
    with translation.override("id"):
        assert str(TooManySeats(licence="SPSS", allowed=1, existing=0, asked=2)) == (
            "Lisensi “SPSS” mengizinkan 1 slot; sumber ini sudah memiliki 0, jadi 2 slot lagi terlalu banyak."
        )
        assert str(AgeOutOfRange(patron="Ani", age=1, program="Dongeng", range="3–5")) == (
            "Ani berumur 1 tahun; “Dongeng” ditujukan untuk 3–5."
        )
        assert reason_text(published) == "Terbit tahun 2025 (1 tahun yang lalu)"


# A real PDF of 13.294 bytes (13,0 KB), shipped with the demo library.
PDF = Path(__file__).resolve().parents[2] / "demo" / "data" / "ebooks" / "metadata.pdf"


@pytest.fixture
def software(settings, tmp_path, it_manager, record):
    """A software resource with one seat and one stored file of 13.294 bytes."""
    from pustaka.digital.actions.ingest import store_file
    from pustaka.digital.actions.resources import add_seats, attach_file, create_resource

    settings.PUSTAKA_FILES_DIR = tmp_path / "files"
    settings.PUSTAKA_S3_BUCKET = ""
    resource = create_resource(record=record, kind="software", actor=it_manager)
    stored = store_file(source=PDF, original_name="panduan.pdf", actor=it_manager).file
    attach_file(resource=resource, file=stored, actor=it_manager)
    add_seats(resource=resource, actor=it_manager, count=1)
    return resource


def _page(client, path, language) -> str:
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode().replace("\xa0", " ")


def test_the_resource_page_shows_the_file_size_and_the_seats_in_the_readers_language(client, it_manager, software):
    from pustaka.digital.actions.resources import add_seats

    client.force_login(it_manager)
    path = f"/staff/digital/resources/{software.pk}/"

    english = _page(client, path, "en")
    assert "13.0 KB (13,294 bytes)" in english
    assert "1 seat, 0 lent" in english and "1 seats" not in english
    indonesian = _page(client, path, "id")
    assert "13,0 KB (13.294 bita)" in indonesian
    assert "1 slot, 0 dipinjam" in indonesian

    add_seats(resource=software, actor=it_manager, count=1)
    assert "2 seats, 0 lent" in _page(client, path, "en")
    assert "2 seats, 0 lent" in _page(client, f"/staff/digital/resources/{software.pk}/seats/", "en")


def test_a_program_of_1_000_places_is_a_thousand_and_an_unclear_count_is_refused_on_its_field(
    client, senior_technician, branch
):
    from django.urls import reverse

    from pustaka.programs.models import Program

    client.force_login(senior_technician)
    form = {
        "title": "Festival Literasi",
        "kind": "other",
        "branch": branch.pk,
        "registration_mode": "public",
        "registration_open": "on",
    }
    refused = client.post(
        reverse("programs:program_create"), {**form, "capacity": "1.5.0"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    named = '<a href="#id_capacity">Places</a>: “1.5.0” is not a whole number: Group thousands by three digits'
    assert named in refused
    assert not Program.objects.exists()

    client.post(reverse("programs:program_create"), {**form, "capacity": "1.000"})
    assert Program.objects.get().capacity == 1000
    edit = client.get(reverse("programs:program_edit", args=[Program.objects.get().pk]), HTTP_ACCEPT_LANGUAGE="id")
    assert 'value="1.000"' in edit.content.decode()  # shown back as typed, read back as a thousand


def test_the_history_page_shows_a_price_change_as_rupiah_in_the_readers_language(client, librarian, item):
    from pustaka.holdings.actions import update_item

    update_item(item=item, actor=librarian, price=Decimal("35000"))
    update_item(item=item, actor=librarian, price=Decimal("40000.50"))
    client.force_login(librarian)
    path = f"/staff/core/history/holdings/item/{item.pk}/"

    indonesian = client.get(path, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Rp 35.000" in indonesian and "Rp 40.000,50" in indonesian
    assert "40000.50" not in indonesian
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rp 35,000" in english and "Rp 40,000.50" in english


def test_the_usage_page_groups_its_counts_by_thousands_in_the_readers_language(client, it_manager, record):
    from django.utils import timezone

    from pustaka.digital.actions.resources import create_resource
    from pustaka.digital.models import AccessEvent

    resource = create_resource(record=record, kind="software", actor=it_manager)
    now = timezone.now()
    AccessEvent.objects.bulk_create(  # the access log as readers leave it: 1.234 reads, each its own session
        AccessEvent(resource=resource, action="view", granted=True, session_key=f"s{n}", occurred_at=now)
        for n in range(1234)
    )
    client.force_login(it_manager)

    indonesian = client.get("/staff/digital/usage/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert ">1.234</td>" in indonesian and ">1234<" not in indonesian
    assert ">1,234</td>" in client.get("/staff/digital/usage/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
