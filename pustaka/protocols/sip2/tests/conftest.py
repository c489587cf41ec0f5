"""SIP2 test fixtures: a SIP2 account, a server on a free port in a background thread, a socket client.

Screen messages before a patron is known use the library's language; every test module here marks
itself ``library_language("en")`` for the root conftest's language fixture (the Indonesian answers have
tests of their own)."""

import socket

import pytest

from pustaka.protocols.sip2.codec import checksum

SIP_PASSWORD = "selfcheck-secret"


@pytest.fixture
def sip_actor(make_staff):
    """The staff user the self-check machine acts as (circulation role)."""
    return make_staff("circulation", "selfcheck-machine")


@pytest.fixture
def sip_account(librarian, sip_actor, branch):
    from pustaka.circulation.actions_sip import create_sip_account

    return create_sip_account(
        actor=librarian, login="selfcheck", password=SIP_PASSWORD, institution="MAIN", branch=branch, acts_as=sip_actor
    )


@pytest.fixture
def sip_server(transactional_db):
    """A SIP2 server on a free port (each test gets its own, so rate limits never leak between tests)."""
    from pustaka.protocols.sip2.server import ServerThread

    server = ServerThread(port=0, workers=4, max_failed_logins=3, lockout_seconds=60, idle_timeout=30)
    server.start()
    yield server
    server.stop()


class SipClient:
    """A self-check machine: sends frames over TCP and reads the answers (CR-terminated)."""

    def __init__(self, port: int, *, timeout: float = 15):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.seq = 0
        self.pending = b""

    def close(self):
        self.sock.close()

    def read(self) -> bytes:
        while b"\r" not in self.pending:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed by the server")
            self.pending += chunk
        frame, _, rest = self.pending.partition(b"\r")
        self.pending = rest[1:] if rest.startswith(b"\n") else rest
        return frame

    def raw(self, data: bytes) -> bytes:
        self.sock.sendall(data)
        return self.read()

    def send(self, text: str, *, error_detection: bool = True, terminator: str = "\r") -> str:
        """Send one message (with AY/AZ unless told not to) and return the answer, its trailer checked."""
        data = text.encode()
        seq = None
        if error_detection:
            seq = str(self.seq)
            self.seq = (self.seq + 1) % 10
            data += f"AY{seq}AZ".encode()
            data += checksum(data).encode()
        answer = self.raw(data + terminator.encode())
        if error_detection:
            assert answer[-6:-4] == b"AZ", answer
            assert checksum(answer[:-4]) == answer[-4:].decode(), answer
            assert answer[-9:-6] == f"AY{seq}".encode(), answer
            answer = answer[:-9]
        return answer.decode()

    def login(self, login: str = "selfcheck", password: str = SIP_PASSWORD) -> str:
        return self.send(f"9300CN{login}|CO{password}|CPMAIN|")


#: Length of the fixed part (after the two-digit code) of each response.
FIXED = {
    "94": 1,
    "98": 34,
    "24": 35,
    "64": 59,
    "18": 24,
    "12": 22,
    "10": 22,
    "30": 22,
    "66": 27,
    "36": 19,
    "38": 19,
    "16": 20,
    "20": 19,
    "26": 35,
}


def fields(answer: str) -> dict[str, list[str]]:
    """The variable fields of a response: ``{"AF": ["..."], ...}``."""
    out: dict[str, list[str]] = {}
    for part in answer[2 + FIXED[answer[:2]] :].split("|"):
        if len(part) >= 2:
            out.setdefault(part[:2], []).append(part[2:])
    return out


def field(answer: str, code: str) -> str:
    return (fields(answer).get(code) or [""])[0]


@pytest.fixture
def sip(sip_server, sip_account):
    """A logged-in machine."""
    client = SipClient(sip_server.port)
    assert client.login() == "941"
    yield client
    client.close()


@pytest.fixture
def connect(sip_server):
    """``connect()`` opens another (not logged-in) connection to the server."""
    clients = []

    def make():
        client = SipClient(sip_server.port)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def reader(make_patron):
    """Patron D0001 with PIN 1234, English-speaking."""
    patron = make_patron("D0001", first_name="Dewi", last_name="Lestari", language="en", email="dewi@example.org")
    patron.set_pin("1234")
    patron.save(update_fields=["pin"])
    return patron


@pytest.fixture
def make_session(db):
    """``make_session(logged_in=True)``: a machine's session for calling the handlers directly (no socket)."""
    import time

    from pustaka.protocols.sip2 import handlers
    from pustaka.protocols.sip2.ratelimit import FailureLimiter

    def make(logged_in=True):
        session = handlers.Session(peer="127.0.0.1", pin_limiter=FailureLimiter(limit=3, window=60))
        if logged_in:
            session.account = handlers.authenticate("selfcheck", SIP_PASSWORD)
            assert session.account is not None
            session.account_loaded_at = time.monotonic()
        return session

    return make


@pytest.fixture
def ask(make_session, sip_account):
    """``ask("23001...")`` answers one request through the handlers, as a logged-in machine."""
    from pustaka.protocols.sip2 import handlers
    from pustaka.protocols.sip2.codec import parse

    session = make_session()

    def answer(text: str) -> str:
        return handlers.handle(session, parse(text.encode())).decode()

    answer.session = session
    return answer
