"""The SIP2 server over a real TCP socket: every message type, framing, protection against garbage,
failed logins and their rate limit, other machines still served, idle and connection limits.

These tests run the server in a background thread (its own event loop and database threads), so
they need committed data: ``transaction=True``. Each covers several messages to stay fast.
"""

import socket
import time
from decimal import Decimal

import pytest

from pustaka.protocols.sip2.codec import checksum

from .conftest import SIP_PASSWORD, SipClient, field, fields

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.library_language("en")]

NOW = "20261122    120000"
BLANK = " " * 18


def test_every_message_type_over_tcp(sip, reader, item, make_item, make_patron, librarian, sip_actor, branch):
    from pustaka.circulation import actions
    from pustaka.circulation.models import FeeEntry, Hold, Loan

    make_item("B000002")
    # 99 → 98
    assert sip.send("9900302.00").startswith("98YYYY")
    # 23 → 24, 63 → 64 with the PIN checked
    status = sip.send(f"23001{NOW}AOMAIN|AAD0001|AC|AD1234|")
    assert status.startswith("24" + " " * 14) and field(status, "CQ") == "Y"
    # 11 → 12 (a blank due date), twice
    for barcode in ("B000001", "B000002"):
        out = sip.send(f"11NN{NOW}{BLANK}AOMAIN|AAD0001|AB{barcode}|AC|AD1234|")
        assert out[:3] == "121", out
    assert Loan.objects.filter(patron=reader, returned_at__isnull=True, checked_out_by=sip_actor).count() == 2
    info = sip.send(f"63001{NOW}  Y       AOMAIN|AAD0001|AD1234|BP1|BQ5|")
    assert info[2 + 35 + 8 : 2 + 35 + 12] == "0002"
    assert sorted(fields(info)["AU"]) == ["B000001", "B000002"]
    # 17 → 18
    assert sip.send(f"17{NOW}AOMAIN|ABB000001|")[:4] == "1804"
    # 29 → 30
    assert sip.send(f"29NN{NOW}{BLANK}AOMAIN|AAD0001|AD1234|ABB000001|")[:4] == "301Y"
    # 65 → 66
    renew_all = sip.send(f"65{NOW}AOMAIN|AAD0001|AD1234|")
    assert renew_all[:3] == "661"
    assert int(renew_all[3:7]) + int(renew_all[7:11]) == 2
    # 09 → 10
    assert sip.send(f"09N{NOW}{NOW}APMAIN|AOMAIN|ABB000002|AC|")[:3] == "101"
    # 15 → 16: a hold on the title of a copy lent to someone else
    other = make_patron("D0007", last_name="Harahap")
    actions.checkout(item=make_item("B000003", record=_other_record()), patron=other, branch=branch, actor=sip_actor)
    hold = sip.send(f"15+{NOW}AOMAIN|AAD0001|AD1234|ABB000003|")
    assert hold[:3] == "161", hold
    assert Hold.objects.filter(patron=reader, status="waiting").count() == 1
    # 37 → 38
    actions.charge(patron=reader, kind="manual", amount=Decimal("1500"), actor=librarian, note="Kartu")
    assert sip.send(f"37{NOW}0100IDRBV1500|AOMAIN|AAD0001|AD1234|")[:3] == "38Y"
    assert FeeEntry.objects.filter(kind="payment", patron=reader).exists()
    # 35 → 36
    assert sip.send(f"35{NOW}AOMAIN|AAD0001|")[:3] == "36Y"


def _other_record():
    from pustaka.catalog.models import Record

    return Record.objects.create(title="Laskar pelangi")


def test_a_failed_login_is_answered_and_the_connection_stays_usable(connect, sip_account):
    machine = connect()
    assert machine.login(password="wrong-password") == "940"
    assert machine.login(login="nobody") == "940"
    assert machine.login() == "941"
    assert machine.send("9900302.00").startswith("98YYYY")


def test_messages_before_login_are_refused_over_tcp(connect, sip_account, reader, item):
    machine = connect()
    answer = machine.send(f"11NN{NOW}{BLANK}AOMAIN|AAD0001|ABB000001|AD1234|")
    assert answer[:3] == "120"
    assert "not logged in" in field(answer, "AF")
    item.refresh_from_db()
    assert item.status == "available"


def test_wrong_passwords_are_rate_limited_per_login_and_per_peer(connect, sip_account):
    # The fixture's server allows 3 failures within 60 seconds.
    first = connect()
    for _ in range(3):
        assert first.login(password="guess-guess") == "940"
    # Now even the right password is refused, on this connection and on a new one from this address.
    assert first.login() == "940"
    assert connect().login() == "940"


def test_rate_limit_per_login_holds_whatever_the_address(sip_server, sip_account):
    limiter = sip_server.server.login_limiter
    for _ in range(3):
        limiter.fail(("login", "selfcheck"))
    assert SipClient(sip_server.port).login() == "940"
    limiter.succeed(("login", "selfcheck"))
    assert SipClient(sip_server.port).login() == "941"


def test_checksums_sequence_numbers_and_line_endings(sip):
    # A bad checksum: 96, and the connection goes on.
    data = b"9900302.00AY1AZ0000\r"
    assert sip.raw(data) == b"96AZFEF6"
    # No checksum at all: accepted, answered without one.
    plain = sip.send("9900302.00", error_detection=False)
    assert plain.startswith("98YYYY") and "AZ" not in plain[-6:]
    # CRLF: accepted, answered with CRLF.
    sip.sock.sendall(b"9900302.00AY5AZ" + checksum(b"9900302.00AY5AZ").encode() + b"\r\n")
    assert sip.sock.recv(65536).endswith(b"\r\n")
    # The sequence number comes back with a checksum of its own.
    answer = sip.raw(b"9900302.00AY7AZ" + checksum(b"9900302.00AY7AZ").encode() + b"\r")
    assert answer[-9:-4] == b"AY7AZ"
    assert checksum(answer[:-4]) == answer[-4:].decode()
    # A bad sequence number: 96.
    assert sip.raw(b"9900302.00AYXAZ" + checksum(b"9900302.00AYXAZ").encode() + b"\r").startswith(b"96")


def test_garbage_gets_96_and_the_connection_still_works(sip, reader):
    assert sip.raw(b"\x00\xff\xfe\x01binary\r").startswith(b"96")
    assert sip.raw(b"XX hello\r").startswith(b"96")
    assert sip.raw(b"42unknown message\r").startswith(b"96")
    assert sip.raw(b"63\r").startswith(b"96")  # fixed fields cut short
    assert sip.raw(b"9" * 10_000 + b"\r").startswith(b"96")  # over-long line
    assert sip.send(f"23001{NOW}AOMAIN|AAD0001|AD1234|")[:2] == "24"
    # 97: the last answer again.
    last = sip.send(f"23001{NOW}AOMAIN|AAD0001|AD1234|", error_detection=False)
    assert sip.raw(b"97\r").decode() == last


def test_a_connection_sending_only_garbage_is_closed_after_a_while(connect, sip_account):
    machine = connect()
    for _ in range(9):
        assert machine.raw(b"garbage\r").startswith(b"96")
    machine.sock.sendall(b"garbage\r")
    machine.sock.settimeout(5)
    received = b""
    while True:
        chunk = machine.sock.recv(1024)
        if not chunk:
            break
        received += chunk
    assert received.startswith(b"96")


def test_another_machine_is_served_while_one_sends_garbage(sip_server, sip_account, reader):
    noisy = SipClient(sip_server.port)
    noisy.sock.sendall(b"\x00" * 3000)  # no line end yet: the server waits for more
    calm = SipClient(sip_server.port)
    assert calm.login() == "941"
    noisy.sock.sendall(b"\xff" * 3000 + b"\r")
    assert calm.send(f"23001{NOW}AOMAIN|AAD0001|AD1234|")[:2] == "24"
    assert noisy.read().startswith(b"96")
    assert noisy.login() == "941"


def test_idle_connections_are_closed_and_the_number_of_connections_is_limited(transactional_db, sip_account):
    from pustaka.protocols.sip2.server import ServerThread

    with ServerThread(port=0, workers=2, idle_timeout=0.5, max_connections=2) as server:
        first = SipClient(server.port, timeout=5)
        second = SipClient(server.port, timeout=5)
        assert second.login() == "941"
        third = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        assert third.recv(100) == b""  # closed at once: two connections are the limit
        time.sleep(1.0)
        assert first.sock.recv(100) == b""  # idle too long
        assert SipClient(server.port, timeout=5).login(password=SIP_PASSWORD) == "941"


def test_block_patron_item_status_update_and_patron_enable_are_answered_not_resent(sip, reader, item, sip_actor):
    """Before, each got 96 (please resend): the machine sent it again until the server hung up."""
    from django.contrib.auth.models import Permission

    from pustaka.patrons.models import PatronBlock

    sip_actor.user_permissions.add(Permission.objects.get(content_type__app_label="patrons", codename="block"))
    for _ in range(12):  # more than the ten unreadable frames that close a connection
        assert sip.send(f"19{NOW}AOMAIN|ABB000001|AC|CH001|")[:3] == "200"
    enable = sip.send(f"25{NOW}AOMAIN|AAD0001|AC|AD1234|")
    assert enable[:16] == "26" + " " * 14, enable
    block = sip.send(f"01Y{NOW}AOMAIN|ALCard used by someone else|AAD0001|AC|")
    assert block[:6] == "24YYYY", block
    assert PatronBlock.objects.filter(patron=reader, lifted_at__isnull=True, created_by=sip_actor).count() == 1
    assert sip.send(f"25{NOW}AOMAIN|AAD0001|AC|AD1234|")[:6] == "26YYYY"  # still blocked
    # Unknown and malformed messages still get 96.
    assert sip.raw(b"01X20261122    120000AOMAIN|ALx|AAD0001|AC|\r").startswith(b"96")
    assert sip.raw(b"21unknown\r").startswith(b"96")


def trailer_ok(answer: bytes, sequence: str) -> bool:
    return answer[-9:-4] == f"AY{sequence}AZ".encode() and checksum(answer[:-4]) == answer[-4:].decode()


def test_responses_carry_a_checksum_only_when_the_request_did_by_default(sip_server, sip_account, reader):
    machine = SipClient(sip_server.port)
    assert machine.raw(b"9300CNselfcheck|CO" + SIP_PASSWORD.encode() + b"|\r") == b"941"
    assert b"AZ" not in machine.raw(b"9900302.00\r")
    assert b"AZ" not in machine.raw(f"23001{NOW}AOMAIN|AAD0001|AD1234|\r".encode())
    assert machine.raw(b"garbage\r") == b"96"
    with_one = machine.raw(b"9900302.00AY3AZ" + checksum(b"9900302.00AY3AZ").encode() + b"\r")
    assert trailer_ok(with_one, "3")


def test_sip2_always_checksum_puts_a_sequence_number_and_checksum_on_every_response(
    sip_server, sip_account, reader, settings
):
    settings.SIP2_ALWAYS_CHECKSUM = True
    machine = SipClient(sip_server.port)
    login = machine.raw(b"9300CNselfcheck|CO" + SIP_PASSWORD.encode() + b"|\r")
    assert login.startswith(b"941AY0AZ") and trailer_ok(login, "0")
    status = machine.raw(b"9900302.00\r")
    assert status.startswith(b"98YYYY") and trailer_ok(status, "0")
    patron = machine.raw(f"23001{NOW}AOMAIN|AAD0001|AD1234|\r".encode())
    assert patron.startswith(b"24") and trailer_ok(patron, "0")
    # A sequence number sent (with or without a checksum) comes back.
    assert trailer_ok(machine.raw(b"9900302.00AY5\r"), "5")
    assert trailer_ok(machine.raw(b"9900302.00AY6AZ" + checksum(b"9900302.00AY6AZ").encode() + b"\r"), "6")
    # A refusal, and the answer to an unreadable frame (whose sequence number cannot be trusted).
    refused = machine.raw(f"11NN{NOW}{BLANK}AOMAIN|AAD0001|ABNOPE|AD1234|\r".encode())
    assert refused.startswith(b"120") and trailer_ok(refused, "0")
    assert machine.raw(b"garbage\r") == b"96AZFEF6"
    assert machine.raw(b"97\r") == refused  # 97: the last answer again, as it was sent
