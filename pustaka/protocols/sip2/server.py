"""The SIP2 server: asyncio for the connections, a pool of threads for the database.

Each connection reads frames ended by CR (or CRLF, or LF), answers each in order and protects
itself and the others:

- every database call runs in the thread pool, so one slow request never holds up another machine;
- a frame that cannot be read (bad checksum, binary data, unknown message, longer than
  ``max_line`` bytes) is answered with ``96`` (please resend); after ``max_errors`` such frames in a
  row the connection is closed;
- wrong logins are counted per peer address and per login; past ``SIP2_MAX_FAILED_LOGINS`` within
  ``SIP2_LOCKOUT_SECONDS`` every login from there (or for that login) is answered ``940`` unchecked;
- a connection silent for ``idle_timeout`` seconds is closed; beyond ``max_connections`` new
  connections are closed at once.
"""

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time

from django.conf import settings
from django.db import connections

from . import handlers
from .codec import FrameError, parse, resend_request
from .ratelimit import FailureLimiter

log = logging.getLogger("pustaka.sip2")

READ_CHUNK = 4096


def _setting(name: str, default):
    return getattr(settings, name, default)


def _db_call(fn, *args):
    """Run ``fn`` in a pool thread: reuse its database connection unless it broke."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and (conn.errors_occurred and not conn.is_usable()):
            conn.close()
    return fn(*args)


def _close_thread_connections(barrier: threading.Barrier) -> None:
    connections.close_all()
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=5)


class Sip2Server:
    """One SIP2 listener. ``await start()``, then ``await serve_forever()`` or ``await close()``."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 6001,
        *,
        max_connections: int | None = None,
        idle_timeout: float | None = None,
        max_line: int | None = None,
        max_errors: int = 10,
        workers: int | None = None,
        max_failed_logins: int | None = None,
        lockout_seconds: float | None = None,
    ):
        self.host = host
        self.port = port
        self.max_connections = max_connections or _setting("SIP2_MAX_CONNECTIONS", 200)
        self.idle_timeout = idle_timeout or _setting("SIP2_IDLE_SECONDS", 600)
        self.max_line = max_line or _setting("SIP2_MAX_LINE", 4096)
        self.max_errors = max_errors
        self.workers = workers or _setting("SIP2_WORKERS", 8)
        failures = max_failed_logins or _setting("SIP2_MAX_FAILED_LOGINS", 5)
        lockout = lockout_seconds or _setting("SIP2_LOCKOUT_SECONDS", 300)
        self.login_limiter = FailureLimiter(limit=failures, window=lockout)
        self.pin_limiter = FailureLimiter(limit=failures, window=lockout)
        self.active = 0
        self._server: asyncio.AbstractServer | None = None
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="sip2-db")
        self._tasks: set[asyncio.Task] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._connection, self.host, self.port, limit=self.max_line * 2)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("SIP2 server listening on %s:%s", self.host, self.port)

    async def serve_forever(self) -> None:
        assert self._server is not None
        async with self._server:
            await self._server.serve_forever()

    async def close(self) -> None:
        """Stop listening, end every connection, close the pool threads' database connections."""
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
        loop = asyncio.get_running_loop()
        barrier = threading.Barrier(self.workers)
        closing = [loop.run_in_executor(self._pool, _close_thread_connections, barrier) for _ in range(self.workers)]
        await asyncio.gather(*closing, return_exceptions=True)
        self._pool.shutdown(wait=True)

    async def run_db(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._pool, _db_call, fn, *args)

    # --- One connection -------------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        host = peer[0] if isinstance(peer, tuple) else str(peer)
        if self.active >= self.max_connections:
            log.warning("SIP2: refused a connection from %s (%s connections open)", host, self.active)
            writer.close()
            return
        self.active += 1
        task = asyncio.current_task()
        self._tasks.add(task)
        session = handlers.Session(peer=host, pin_limiter=self.pin_limiter)
        try:
            await self._serve(reader, writer, session)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("SIP2: connection from %s failed", host)
        finally:
            self.active -= 1
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(writer.wait_closed(), 2)

    async def _serve(self, reader, writer, session) -> None:
        buffer = bytearray()
        discarding = False  # inside an over-long line: drop bytes up to its end
        errors = 0
        while True:
            end = _find_end(buffer)
            if end is None:
                if len(buffer) > self.max_line:
                    if not discarding:
                        log.warning("SIP2: over-long line from %s", session.peer)
                        await self._send(writer, _resend(b""), b"\r")
                        errors += 1
                    discarding = True
                    buffer.clear()
                    if errors >= self.max_errors:
                        return
                try:
                    chunk = await asyncio.wait_for(reader.read(READ_CHUNK), self.idle_timeout)
                except TimeoutError:
                    log.info("SIP2: closing idle connection from %s", session.peer)
                    return
                if not chunk:
                    return
                buffer += chunk
                continue
            index, length = end
            frame = bytes(buffer[:index])
            terminator = bytes(buffer[index : index + length])
            del buffer[: index + length]
            if discarding:
                discarding = False
                continue
            if not frame:
                continue  # the LF of a CRLF that came in its own read, or a blank line
            if len(frame) > self.max_line:
                response = _resend(frame)
            else:
                response = await self._answer(frame, session)
            if response.startswith(b"96"):
                errors += 1
                if errors >= self.max_errors:
                    await self._send(writer, response, terminator)
                    log.warning("SIP2: closing %s after %s unreadable frames", session.peer, errors)
                    return
            else:
                errors = 0
            await self._send(writer, response, terminator)

    async def _send(self, writer, data: bytes, terminator: bytes) -> None:
        writer.write(data + (b"\r\n" if terminator == b"\r\n" else b"\r"))
        await asyncio.wait_for(writer.drain(), self.idle_timeout)

    async def _answer(self, frame: bytes, session: handlers.Session) -> bytes:
        try:
            msg = parse(frame)
        except FrameError as exc:
            log.info("SIP2: unreadable frame from %s (%s)", session.peer, exc)
            return _resend(frame)
        if msg.code == "97":
            return session.last_response or _resend(frame)
        if msg.code == "93":
            response = await self._login(msg, session)
        else:
            response = await self.run_db(handlers.handle, session, msg)
        session.last_response = response
        return response

    async def _login(self, msg, session: handlers.Session) -> bytes:
        login = msg.get("CN")
        password = (msg.fields.get("CO") or [""])[0]
        keys = [("peer", session.peer), ("login", login.lower())]
        if self.login_limiter.locked(*keys):
            log.warning("SIP2: login %r from %s refused: too many failed logins", login, session.peer)
            session.account = None
            return handlers.login_response(msg, False)
        account = await self.run_db(handlers.authenticate, login, password) if login else None
        if account is None:
            self.login_limiter.fail(*keys)
            log.warning("SIP2: failed login %r from %s", login, session.peer)
            session.account = None
            session.verified.clear()
            return handlers.login_response(msg, False)
        self.login_limiter.succeed(("login", login.lower()))
        session.account = account
        session.account_loaded_at = time.monotonic()
        session.verified.clear()
        log.info("SIP2: %s logged in from %s", account.login, session.peer)
        return handlers.login_response(msg, True)


def _resend(frame: bytes) -> bytes:
    """``96`` for a frame that cannot be read: with a checksum when the frame seemed to carry one, or
    always with ``SIP2_ALWAYS_CHECKSUM`` (no sequence number: the frame's cannot be trusted)."""
    return resend_request(error_detection=b"AZ" in frame or handlers.always_checksum())


def _find_end(buffer: bytearray) -> tuple[int, int] | None:
    """Where the first frame ends: (index of the terminator, its length: CRLF 2, CR or LF 1)."""
    cr = buffer.find(b"\r")
    lf = buffer.find(b"\n")
    if cr == -1 and lf == -1:
        return None
    if cr != -1 and (lf == -1 or cr < lf):
        return (cr, 2) if buffer[cr + 1 : cr + 2] == b"\n" else (cr, 1)
    return lf, 1


class ServerThread:
    """A SIP2 server on its own event loop in a background thread (tests and benchmarks).

    ``with ServerThread(port=0) as server: ... server.port``.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options):
        self.server = Sip2Server(host, port, **options)
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="sip2-server", daemon=True)
        self._error: BaseException | None = None

    @property
    def port(self) -> int:
        return self.server.port

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to start()
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        await self.server.start()
        self._ready.set()
        await self._stop.wait()
        await self.server.close()

    def start(self) -> "ServerThread":
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(15)

    def __enter__(self) -> "ServerThread":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
