"""A small Z39.50 client: a ctypes binding of YAZ's ZOOM C API (Debian's ``libyaz5``).

PyZ3950 is unmaintained and no maintained Python binding of YAZ is on PyPI, so this module calls
the few ZOOM functions copy cataloguing needs: create a connection with its options (database,
record syntax, element set, timeout), connect, search with a PQF query, read the hit count and
the first records (``raw``: ISO 2709 as the server sent it, MARC-8 or UTF-8), and read the error
of the connection. Everything is destroyed in ``finally``. ctypes releases the GIL while YAZ
waits on the network, so one connection per thread searches several targets in parallel.

:func:`search` raises :class:`ZoomError` with the ZOOM code, message and additional info; the
caller (:mod:`pustaka.copycat.clients`) turns it into a translated error naming the target.
"""

import ctypes
import ctypes.util
from dataclasses import dataclass

ERROR_CONNECT = 10000
ERROR_CONNECTION_LOST = 10004
ERROR_INIT = 10005
ERROR_TIMEOUT = 10007

_lib = None


class ZoomUnavailable(RuntimeError):
    """libyaz (Debian's libyaz5) is not installed on this machine."""


@dataclass
class ZoomError(Exception):
    """A ZOOM error: ``code`` (10000 connect, 10007 timeout, or a Bib-1 diagnostic), message, addinfo."""

    code: int
    message: str
    addinfo: str = ""

    def __str__(self) -> str:
        return f"{self.message} ({self.addinfo})" if self.addinfo else self.message


@dataclass
class ZoomAnswer:
    """What a search found: the hit count and the first records as the server sent them."""

    hits: int
    records: list  # bytes (ISO 2709), or None where the server sent a surrogate diagnostic


def library():
    """The loaded libyaz with the ZOOM functions' signatures declared (loaded once)."""
    global _lib
    if _lib is not None:
        return _lib
    name = ctypes.util.find_library("yaz") or "libyaz.so.5"
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise ZoomUnavailable(f"libyaz cannot be loaded ({exc}); install Debian's libyaz5") from None
    p, c, i, sz = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_size_t
    signatures = {
        "ZOOM_options_create": ([], p),
        "ZOOM_options_set": ([p, c, c], None),
        "ZOOM_options_destroy": ([p], None),
        "ZOOM_connection_create": ([p], p),
        "ZOOM_connection_new": ([c, i], p),
        "ZOOM_connection_option_set": ([p, c, c], None),
        "ZOOM_connection_connect": ([p, c, i], None),
        "ZOOM_connection_error": ([p, ctypes.POINTER(c), ctypes.POINTER(c)], i),
        "ZOOM_connection_destroy": ([p], None),
        "ZOOM_connection_search_pqf": ([p, c], p),
        "ZOOM_resultset_size": ([p], sz),
        "ZOOM_resultset_record": ([p, sz], p),
        "ZOOM_resultset_destroy": ([p], None),
        "ZOOM_record_get": ([p, c, ctypes.POINTER(i)], ctypes.c_void_p),
        "ZOOM_record_error": ([p, ctypes.POINTER(c), ctypes.POINTER(c), ctypes.POINTER(c)], i),
    }
    for function, (argtypes, restype) in signatures.items():
        fn = getattr(lib, function)
        fn.argtypes = argtypes
        fn.restype = restype
    _lib = lib
    return lib


def _text(value: bytes | None) -> str:
    return value.decode("utf-8", "replace") if value else ""


def _check(lib, connection) -> None:
    message, addinfo = ctypes.c_char_p(), ctypes.c_char_p()
    code = lib.ZOOM_connection_error(connection, ctypes.byref(message), ctypes.byref(addinfo))
    if code:
        raise ZoomError(code, _text(message.value), _text(addinfo.value))


def search(
    *,
    host: str,
    port: int,
    database: str,
    query: str,
    limit: int = 10,
    timeout: int = 10,
    record_syntax: str = "usmarc",
    element_set: str = "F",
) -> ZoomAnswer:
    """Search ``host:port/database`` with the PQF ``query``; the first ``limit`` records as ISO 2709."""
    lib = library()
    options = lib.ZOOM_options_create()
    connection = resultset = None
    try:
        settings = {
            "databaseName": database or "Default",
            "preferredRecordSyntax": record_syntax or "usmarc",
            "elementSetName": element_set,
            "timeout": str(max(1, int(timeout))),
            "count": str(max(0, int(limit))),
            "presentChunk": str(max(1, int(limit))),
        }
        for key, value in settings.items():
            lib.ZOOM_options_set(options, key.encode(), value.encode())
        connection = lib.ZOOM_connection_create(options)
        lib.ZOOM_connection_connect(connection, host.encode("idna"), int(port))
        _check(lib, connection)
        resultset = lib.ZOOM_connection_search_pqf(connection, query.encode("utf-8"))
        _check(lib, connection)
        hits = int(lib.ZOOM_resultset_size(resultset))
        records = []
        for position in range(min(hits, max(0, int(limit)))):
            record = lib.ZOOM_resultset_record(resultset, position)
            _check(lib, connection)
            if not record:
                records.append(None)
                continue
            message, addinfo, diagset = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_char_p()
            if lib.ZOOM_record_error(record, ctypes.byref(message), ctypes.byref(addinfo), ctypes.byref(diagset)):
                records.append(None)
                continue
            length = ctypes.c_int(0)
            data = lib.ZOOM_record_get(record, b"raw", ctypes.byref(length))
            records.append(ctypes.string_at(data, length.value) if data and length.value else None)
        return ZoomAnswer(hits=hits, records=records)
    finally:
        if resultset:
            lib.ZOOM_resultset_destroy(resultset)
        if connection:
            lib.ZOOM_connection_destroy(connection)
        lib.ZOOM_options_destroy(options)


def pqf_term(text: str) -> str:
    """``text`` as one quoted PQF term (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
