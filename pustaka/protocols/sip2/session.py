"""A SIP2 machine's session and what a request handler knows: the account, languages, patrons and items.

The lookups here are shared by every handler and by refusals: a patron by card (and PIN), an item by
barcode, the account kept fresh, and the ACS status (98) that says what this session may do.
"""

import hashlib
import hmac
import logging
import os
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone, translation

from pustaka.holdings import lookups as item_lookups

from .codec import Message, Response, flag, sip_date
from .errors import (
    ItemMissing,
    NotLoggedIn,
    PatronMissing,
    PinRequired,
    WrongPin,
)
from .ratelimit import FailureLimiter

log = logging.getLogger("pustaka.sip2")

CURRENCY = "IDR"
PROTOCOL_VERSION = "2.00"
#: Supported messages (BX): 23 11 09 01 99 97 93 63 35 37 17 19 25 15 29 65.
SUPPORTED_MESSAGES = "YYYYYYYYYYYYYYYY"
#: How long a logged-in session trusts its copy of the account before reading it again (a
#: deactivated account stops working within this time).
ACCOUNT_REFRESH_SECONDS = 5.0
#: Items listed in one patron-information response when the machine sends no range (BP/BQ).
DEFAULT_ITEMS = 50
MAX_ITEMS = 200
_DUMMY_HASH = None


@dataclass
class Session:
    """One machine's connection: who logged in, which patrons proved their PIN, the last response."""

    peer: str
    pin_limiter: FailureLimiter
    account: object = None  # SipAccount, with branch and actor
    account_loaded_at: float = 0.0
    verified: dict = field(default_factory=dict)  # normalised card -> digest of the PIN that was right
    salt: bytes = field(default_factory=lambda: os.urandom(16))
    last_response: bytes | None = None

    @property
    def institution(self) -> str:
        return self.account.institution if self.account is not None else ""


@dataclass
class Context:
    """What one request handler knows so far (used to build a refusal with what is known)."""

    session: Session
    msg: Message
    language: str
    patron: object = None
    item: object = None


# --- Languages -----------------------------------------------------------------------------------


def account_language(session: Session) -> str:
    actor = getattr(session.account, "actor", None)
    return (getattr(actor, "language", "") or settings.LANGUAGE_CODE).split("-")[0]


def sip_language(language: str) -> str:
    """SIP2 language codes know English (001) but not Indonesian: Indonesian is "000" (unknown)."""
    return "001" if language.startswith("en") else "000"


def request_language(msg: Message) -> str | None:
    return "en" if msg.fixed.get("language") == "001" else None


# --- Accounts, patrons, items --------------------------------------------------------------------


def authenticate(login: str, password: str):
    """The active SIP account with this login and password (with branch and actor), or None."""
    from pustaka.circulation.models import SipAccount

    global _DUMMY_HASH
    account = SipAccount.objects.select_related("branch", "actor").filter(login=login.strip()).first()
    if account is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = make_password("not a password")
        check_password(password, _DUMMY_HASH)  # about as slow as a real check: logins do not leak
        return None
    if not check_password(password, account.password):
        return None
    if not account.is_active or not account.actor.is_active:
        return None
    return account


def refresh_account(session: Session) -> None:
    """Re-read the account now and then; a deactivated account (or staff user) is logged out."""
    from pustaka.circulation.models import SipAccount

    if session.account is None:
        raise NotLoggedIn()
    if time.monotonic() - session.account_loaded_at < ACCOUNT_REFRESH_SECONDS:
        return
    account = (
        SipAccount.objects.select_related("branch", "actor")
        .filter(pk=session.account.pk, is_active=True, actor__is_active=True)
        .first()
    )
    if account is None:
        session.account = None
        session.verified.clear()
        raise NotLoggedIn()
    session.account = account
    session.account_loaded_at = time.monotonic()


def _card_key(card: str) -> str:
    from pustaka.patrons.queries import normalise_card

    return normalise_card(card)


def find_patron(ctx: Context):
    """The patron of the AA field (``PatronNotFound`` otherwise); the answer speaks their language."""
    from pustaka.patrons.queries import get_by_card

    card = ctx.msg.get("AA")
    if not card:
        raise PatronMissing()
    patron = get_by_card(card)
    ctx.patron = patron
    if patron.language:
        ctx.language = patron.language
        translation.activate(patron.language)  # inside handle()'s override: restored afterwards
    return patron


def check_pin(ctx: Context, patron) -> bool | None:
    """None when no PIN was sent (AD), else whether it is right. Wrong PINs are counted per patron."""
    pin = (ctx.msg.fields.get("AD") or [""])[0]
    if not pin:
        return None
    session = ctx.session
    key = _card_key(patron.card_number)
    digest = hmac.new(session.salt, f"{key}\x00{pin}".encode(), hashlib.sha256).digest()
    known = session.verified.get(key)
    if known is not None and hmac.compare_digest(known, digest):
        return True
    limiter_key = ("pin", patron.pk)
    if session.pin_limiter.locked(limiter_key):
        log.warning("SIP2 PIN attempts for patron %s locked (peer %s)", patron.pk, session.peer)
        return False
    if patron.check_pin(pin):
        session.verified[key] = digest
        session.pin_limiter.succeed(limiter_key)
        return True
    session.pin_limiter.fail(limiter_key)
    return False


def authorised_patron(ctx: Context):
    """The patron of a transaction: their PIN right in this message or earlier in this session."""
    patron = find_patron(ctx)
    state = check_pin(ctx, patron)
    if state is False:
        raise WrongPin()
    if (
        state is None
        and getattr(settings, "SIP2_REQUIRE_PATRON_PIN", True)
        and _card_key(patron.card_number) not in ctx.session.verified
    ):
        raise PinRequired()
    return patron


def find_item(ctx: Context, *, required: bool = True):
    """The item of the AB field, with its record, branch and type (``ItemNotFound`` otherwise)."""
    from pustaka.holdings.errors import ItemNotFound
    from pustaka.holdings.models import Item

    barcode = ctx.msg.get("AB")
    if not barcode:
        if required:
            raise ItemMissing()
        return None
    item = item_lookups.find_item(
        barcode, queryset=Item.objects.select_related("record", "branch", "location", "item_type")
    )
    if item is None:
        raise ItemNotFound(barcode=barcode[:40])
    ctx.item = item
    return item


def money(amount) -> str:
    return f"{Decimal(amount or 0).quantize(Decimal('0.01'))}"


def _title(item) -> str:
    return item.record.title if item is not None else ""


def _now_field() -> str:
    return sip_date(timezone.now())


def acs_status_response(session: Session, *, error=None) -> Response:
    from pustaka.core.models import Library

    library = Library.objects.only("name").first()
    logged_in = session.account is not None
    r = Response(
        "98",
        [
            "Y",  # online
            flag(logged_in),  # checkin ok
            flag(logged_in),  # checkout ok
            flag(logged_in),  # ACS renewal policy
            "N",  # status update ok
            "N",  # off-line ok
            "030",  # timeout period (tenths of a second... as machines read it)
            "003",  # retries allowed
            _now_field(),
            PROTOCOL_VERSION,
        ],
    )
    r.add("AO", session.institution).add("AM", library.name if library else "")
    r.add("BX", SUPPORTED_MESSAGES).add("AN", session.account.login if logged_in else "")
    if error is not None:
        r.add("AF", error)
    elif not logged_in:
        r.add("AF", NotLoggedIn())
    return r
