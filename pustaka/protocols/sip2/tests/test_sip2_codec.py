"""Framing, checksums and sequence numbers, and the failed-attempt limiter (no database)."""

import datetime

import pytest

from pustaka.protocols.sip2.codec import (
    FrameError,
    Response,
    checksum,
    clean_value,
    parse,
    parse_sip_date,
    resend_request,
    sip_date,
)
from pustaka.protocols.sip2.ratelimit import FailureLimiter

pytestmark = pytest.mark.library_language("en")


def with_checksum(text: str) -> bytes:
    data = text.encode() + b"AZ"
    return data + checksum(data).encode()


def test_checksum_of_known_messages():
    assert checksum(b"9900302.00AY1AZ") == "FCA5"
    assert resend_request() == b"96AZFEF6"
    assert resend_request(error_detection=False) == b"96"


def test_a_message_with_a_right_checksum_and_sequence_number():
    msg = parse(b"9900302.00AY1AZFCA5")
    assert msg.code == "99"
    assert msg.fixed == {"status_code": "0", "max_print_width": "030", "protocol_version": "2.00"}
    assert msg.sequence == "1"
    assert msg.has_checksum


def test_lower_case_checksums_are_accepted():
    assert parse(b"9900302.00AY1AZfca5").code == "99"


@pytest.mark.parametrize(
    "frame",
    [
        b"9900302.00AY1AZFCA6",  # one off
        b"9900302.00AY1AZ",  # empty checksum
        b"9900302.00AY1AZFC",  # too short
        b"9900302.00AY1AZXXXX",  # not hex
        b"9900302.00AYXAZ" + checksum(b"9900302.00AYXAZ").encode(),  # sequence number not a digit
        b"9900302.00AYAZ" + checksum(b"9900302.00AYAZ").encode(),  # no sequence digit
    ],
)
def test_bad_checksums_and_sequence_numbers_are_refused(frame):
    with pytest.raises(FrameError):
        parse(frame)


def test_messages_without_a_checksum_are_accepted():
    msg = parse(b"2300120261122    120000AOMAIN|AAD0001|AD1234|")
    assert not msg.has_checksum
    assert msg.sequence is None
    assert msg.get("AA") == "D0001"
    assert msg.get("AD") == "1234"
    assert msg.get("BP") == ""


def test_a_sequence_number_without_a_checksum_is_read():
    msg = parse(b"9900302.00AY4")
    assert msg.sequence == "4" and not msg.has_checksum


def test_a_blank_or_missing_no_block_due_date_is_accepted():
    blank = parse(with_checksum("11YN20261122    120000" + " " * 18 + "AOMAIN|AAD0001|ABB000001|AC|"))
    assert blank.fixed["nb_due_date"] == " " * 18
    assert blank.get("AB") == "B000001"
    missing = parse(b"11YN20261122    120000AOMAIN|AAD0001|ABB000001|")
    assert missing.fixed["nb_due_date"] == ""
    assert missing.get("AO") == "MAIN"
    assert missing.fixed["sc_renewal_policy"] == "Y"


def test_repeated_fields_and_values_with_spaces():
    msg = parse(b"6300120261122    120000          AOMAIN|AAD0001|AFone|AFtwo|AE Dewi  |")
    assert msg.fields["AF"] == ["one", "two"]
    assert msg.get("AE") == "Dewi"


def test_block_patron_item_status_update_and_patron_enable_are_read():
    block = parse(with_checksum("01Y20261122    120000AOMAIN|ALCard used by someone else|AAD0001|AC|"))
    assert block.code == "01"
    assert block.fixed == {"card_retained": "Y", "transaction_date": "20261122    120000"}
    assert block.get("AL") == "Card used by someone else"
    assert block.get("AA") == "D0001"
    assert parse(b"01n20261122    120000AOMAIN|ALx|AAD0001|AC|").fixed["card_retained"] == "n"
    update = parse(with_checksum("1920261122    120000AOMAIN|ABB000001|AC|CH001|"))
    assert update.code == "19"
    assert update.get("AB") == "B000001" and update.get("CH") == "001"
    enable = parse(b"2520261122    120000AOMAIN|AAD0001|AC|AD1234|")
    assert enable.code == "25"
    assert enable.fixed == {"transaction_date": "20261122    120000"}
    assert enable.get("AA") == "D0001" and enable.get("AD") == "1234"


@pytest.mark.parametrize(
    "frame",
    [
        b"01X20261122    120000AOMAIN|ALx|AAD0001|AC|",  # card retained is neither Y nor N
        b"01Y2026",  # fixed fields cut short
        b"19",
        b"252026112",
    ],
)
def test_malformed_block_patron_item_status_update_and_patron_enable_are_refused(frame):
    with pytest.raises(FrameError):
        parse(frame)


@pytest.mark.parametrize(
    "frame",
    [
        b"\x00\x01\x02",
        b"23\x00garbage",
        b"XXhello",
        b"42unknown",
        b"63001",  # fixed fields cut short
        b"",
    ],
)
def test_garbage_is_refused(frame):
    with pytest.raises(FrameError):
        parse(frame)


def test_a_response_carries_back_the_sequence_number_and_a_checksum():
    frame = Response("94", ["1"]).encode(sequence="7", error_detection=True)
    assert frame.startswith(b"941AY7AZ")
    assert checksum(frame[:-4]) == frame[-4:].decode()
    assert parse_response_trailer(frame) == "7"
    assert Response("94", ["1"]).encode() == b"941"


def parse_response_trailer(frame: bytes) -> str:
    return frame[frame.index(b"AY") + 2 : frame.index(b"AY") + 3].decode()


def test_values_cannot_break_the_frame():
    frame = Response("24", []).add("AE", "Dewi|AZ\rx\n").encode()
    assert frame == b"24AEDewi AZ x |"
    assert clean_value(None) == ""


def test_optional_fields_are_left_out_when_empty():
    assert Response("16", ["1"]).add("AB", "", optional=True).add("AJ", "").encode() == b"161AJ|"


def test_sip_dates():
    moment = datetime.datetime(2026, 11, 22, 9, 5, 7)
    assert sip_date(moment) == "20261122    090507"
    assert parse_sip_date("20261122    090507") == moment
    assert parse_sip_date("20261122   Z090507").tzinfo is not None
    assert parse_sip_date(" " * 18) is None
    assert parse_sip_date("garbage-garbage-ga") is None
    assert sip_date(None) == " " * 18
    assert sip_date(datetime.date(2026, 12, 1)) == "20261201    235959"


def test_the_limiter_locks_after_the_limit_and_forgets_after_the_window():
    now = [1000.0]
    limiter = FailureLimiter(limit=3, window=60, clock=lambda: now[0])
    for _ in range(2):
        limiter.fail(("peer", "10.0.0.1"), ("login", "a"))
    assert not limiter.locked(("peer", "10.0.0.1"))
    limiter.fail(("peer", "10.0.0.1"), ("login", "a"))
    assert limiter.locked(("peer", "10.0.0.1"))
    assert limiter.locked(("peer", "10.0.0.9"), ("login", "a"))
    assert not limiter.locked(("peer", "10.0.0.9"), ("login", "b"))
    limiter.succeed(("login", "a"))
    assert not limiter.locked(("login", "a"))
    assert limiter.locked(("peer", "10.0.0.1"))
    now[0] += 61
    assert not limiter.locked(("peer", "10.0.0.1"))
