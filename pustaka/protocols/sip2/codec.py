"""SIP2 2.00 framing and encoding: checksums, sequence numbers, fixed and variable fields.

No Django here. A message is a two-digit code, fixed-length fields, then variable fields ``XXvalue|``
and, when the machine uses error detection, ``AY<n>AZ<checksum>``. The checksum is the two's
complement of the 16-bit sum of every byte up to and including ``AZ``, as four hex digits.
"""

import datetime
import re
from dataclasses import dataclass, field

ENCODING = "utf-8"

#: Fixed-length fields of each request the server understands, in order: (name, length).
REQUEST_LAYOUTS: dict[str, list[tuple[str, int]]] = {
    "93": [("uid_algorithm", 1), ("pwd_algorithm", 1)],
    "99": [("status_code", 1), ("max_print_width", 3), ("protocol_version", 4)],
    "97": [],
    "23": [("language", 3), ("transaction_date", 18)],
    "63": [("language", 3), ("transaction_date", 18), ("summary", 10)],
    "17": [("transaction_date", 18)],
    "11": [("sc_renewal_policy", 1), ("no_block", 1), ("transaction_date", 18), ("nb_due_date", 18)],
    "09": [("no_block", 1), ("transaction_date", 18), ("return_date", 18)],
    "29": [("third_party_allowed", 1), ("no_block", 1), ("transaction_date", 18), ("nb_due_date", 18)],
    "65": [("transaction_date", 18)],
    "35": [("transaction_date", 18)],
    "37": [("transaction_date", 18), ("fee_type", 2), ("payment_type", 2), ("currency_type", 3)],
    "15": [("hold_mode", 1), ("transaction_date", 18)],
    "01": [("card_retained", 1), ("transaction_date", 18)],
    "19": [("transaction_date", 18)],
    "25": [("transaction_date", 18)],
}
#: Fixed fields that are one ``Y`` or ``N`` (either case); anything else makes the frame unreadable.
YES_NO_FIXED = {"card_retained"}
#: Fixed fields a machine may leave out altogether (some send nothing instead of 18 blanks).
OPTIONAL_FIXED = {"nb_due_date", "return_date"}
#: Variable fields whose value may be sent more than once in one message.
DATE_LENGTH = 18
_DATE_SHAPE = re.compile(r"^[0-9 ]{8}[ A-Z0-9]{4}[0-9 ]{6}$")
_FIELD_CODE = re.compile(r"^[A-Z]{2}")
_TRAILER = re.compile(rb"(?:AY(?P<seq>[^|]?))?AZ(?P<sum>[^|]*)$")
_TRAILER_OK = re.compile(rb"^[0-9A-Fa-f]{4}$")
_SEQ_ONLY = re.compile(rb"AY(?P<seq>[0-9])$")


class FrameError(ValueError):
    """A frame that cannot be read: bad checksum, bad sequence number, binary data, too short."""


def checksum(data: bytes) -> str:
    """The SIP2 checksum of ``data`` (everything up to and including ``AZ``): four upper-case hex digits."""
    return f"{(-sum(data)) & 0xFFFF:04X}"


def sip_date(moment: datetime.datetime | datetime.date | None) -> str:
    """``YYYYMMDDZZZZHHMMSS`` in the library's local time (the zone field left blank, as the standard allows)."""
    if moment is None:
        return " " * DATE_LENGTH
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is not None:
            from django.utils import timezone

            moment = timezone.localtime(moment)
        return moment.strftime("%Y%m%d    %H%M%S")
    return moment.strftime("%Y%m%d    235959")


def parse_sip_date(text: str) -> datetime.datetime | None:
    """Read an 18-character SIP2 date (local time, or UTC when the zone is ``   Z``); blank or bad gives None."""
    if not text or not text.strip() or len(text) != DATE_LENGTH:
        return None
    try:
        moment = datetime.datetime.strptime(text[:8] + text[12:], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    if text[8:12].strip() == "Z":
        return moment.replace(tzinfo=datetime.UTC)
    return moment


@dataclass
class Message:
    """A request as read from the wire."""

    code: str
    fixed: dict[str, str] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    sequence: str | None = None  # the AY digit, when sent
    has_checksum: bool = False

    def get(self, code: str, default: str = "") -> str:
        """The first value of a variable field (stripped of surrounding blanks), or ``default``."""
        values = self.fields.get(code)
        return values[0].strip() if values else default

    def has(self, code: str) -> bool:
        return code in self.fields


def parse(frame: bytes) -> Message:
    """Read one frame (without its CR/LF). Raises :class:`FrameError` when it cannot be trusted."""
    if not frame:
        raise FrameError("empty")
    sequence = None
    has_checksum = False
    body = frame
    trailer = _TRAILER.search(frame)
    if trailer is not None and trailer.start() >= 2:
        has_checksum = True
        seq, given = trailer.group("seq"), trailer.group("sum")
        if seq is not None:
            if not seq.isdigit() or len(seq) != 1:
                raise FrameError("bad sequence number")
            sequence = seq.decode()
        if not _TRAILER_OK.match(given):
            raise FrameError("bad checksum field")
        covered = frame[: trailer.end() - len(given)]
        if checksum(covered) != given.decode().upper():
            raise FrameError("checksum mismatch")
        body = frame[: trailer.start()]
    else:
        only_seq = _SEQ_ONLY.search(frame)
        if only_seq is not None and only_seq.start() >= 2:
            sequence = only_seq.group("seq").decode()
            body = frame[: only_seq.start()]
    try:
        text = body.decode(ENCODING)
    except UnicodeDecodeError:
        try:
            text = body.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise FrameError("not text") from exc
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise FrameError("control characters")
    code = text[:2]
    if not code.isdigit():
        raise FrameError("no message code")
    layout = REQUEST_LAYOUTS.get(code)
    if layout is None:
        raise FrameError(f"unknown message {code}")
    rest = text[2:]
    fixed = {}
    for name, length in layout:
        piece = rest[:length]
        left_out = len(piece) < length or not _DATE_SHAPE.match(piece)
        if name in OPTIONAL_FIXED and left_out and (_FIELD_CODE.match(rest) or not rest):
            fixed[name] = ""  # left out: the variable fields start here
            continue
        if len(piece) < length:
            raise FrameError("fixed fields too short")
        if name in YES_NO_FIXED and piece.upper() not in {"Y", "N"}:
            raise FrameError(f"bad {name} field")
        fixed[name] = piece
        rest = rest[length:]
    fields: dict[str, list[str]] = {}
    for part in rest.split("|"):
        if len(part) < 2:
            continue
        fields.setdefault(part[:2], []).append(part[2:])
    return Message(code=code, fixed=fixed, fields=fields, sequence=sequence, has_checksum=has_checksum)


def clean_value(value) -> str:
    """A value that cannot break the frame: no ``|``, no CR/LF or other control characters."""
    text = "" if value is None else str(value)
    return "".join(" " if (ord(c) < 32 or c in "|\x7f") else c for c in text)


@dataclass
class Response:
    """A response about to be sent: its code, fixed fields (already formatted) and variable fields."""

    code: str
    fixed: list[str] = field(default_factory=list)
    fields: list[tuple[str, object]] = field(default_factory=list)

    def add(self, code: str, value, *, optional: bool = False) -> "Response":
        """Append a variable field; with ``optional`` an empty value is left out."""
        if optional and (value is None or value == ""):
            return self
        self.fields.append((code, value))
        return self

    def encode(self, *, sequence: str | None = None, error_detection: bool = False) -> bytes:
        """The frame to send (without CR), with ``AY``/``AZ`` when the machine uses error detection."""
        text = self.code + "".join(self.fixed) + "".join(f"{c}{clean_value(v)}|" for c, v in self.fields)
        data = text.encode(ENCODING)
        if error_detection or sequence is not None:
            if sequence is not None:
                data += f"AY{sequence}".encode()
            data += b"AZ"
            data += checksum(data).encode()
        return data


def flag(value: bool) -> str:
    """``Y`` or ``N``."""
    return "Y" if value else "N"


def ok(value: bool) -> str:
    """``1`` or ``0``."""
    return "1" if value else "0"


def count(value: int) -> str:
    """A four-digit count (capped at 9999)."""
    return f"{min(max(int(value), 0), 9999):04d}"


def resend_request(*, error_detection: bool = True) -> bytes:
    """``96``: ask the machine to send its last message again (its frame could not be read)."""
    return Response("96").encode(error_detection=error_detection)
