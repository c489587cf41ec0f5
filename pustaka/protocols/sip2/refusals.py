"""How each SIP2 message says no: one row per request code in ``REFUSALS``.

A refusal is the response message of the request with its ok flag off, what is known of the patron
and item (or what the machine sent), and the error's message in the screen-message field (AF), which
``refusal`` adds last. A 99 (SC status) is answered by the ACS status, which carries the error itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

from pustaka.core.errors import PustakaError

from .codec import Response, count, flag, ok
from .session import Context, _now_field, _title, acs_status_response, sip_language

DENIED = "Y" * 14


@dataclass
class Known:
    """What a refusal can say: the patron and item found so far, else the card and barcode sent."""

    ctx: Context
    now: str
    card: str
    barcode: str
    lang: str

    @property
    def institution(self) -> str:
        return self.ctx.session.institution

    @property
    def patron_known(self) -> str:
        return flag(self.ctx.patron is not None)

    @property
    def title(self) -> str:
        return _title(self.ctx.item)


def _patron(code: str) -> Callable[[Known], Response]:
    """24 and 26: every privilege denied, the patron named (BL says whether the card was found)."""

    def build(k: Known) -> Response:
        r = Response(code, [DENIED, k.lang, k.now]).add("AO", k.institution).add("AA", k.card).add("AE", "")
        return r.add("BL", k.patron_known)

    return build


def _patron_information(k: Known) -> Response:
    r = Response("64", [DENIED, k.lang, k.now, count(0) * 6]).add("AO", k.institution).add("AA", k.card)
    return r.add("AE", "").add("BL", k.patron_known)


def _item_information(k: Known) -> Response:
    return Response("18", ["01", "00", "01", k.now]).add("AB", k.barcode).add("AJ", k.title)


def _loan(code: str) -> Callable[[Known], Response]:
    """12 and 30 (checkout, renew): not done, no due date."""

    def build(k: Known) -> Response:
        r = Response(code, ["0", "N", "N", "N", k.now]).add("AO", k.institution).add("AA", k.card)
        return r.add("AB", k.barcode).add("AJ", k.title).add("AH", "")

    return build


def _checkin(k: Known) -> Response:
    r = Response("10", ["0", "N", "N", "N", k.now]).add("AO", k.institution).add("AB", k.barcode)
    branch = k.ctx.item.branch.code if k.ctx.item is not None else ""
    return r.add("AQ", branch).add("AJ", k.title)


def _renew_all(k: Known) -> Response:
    return Response("66", ["0", count(0), count(0), k.now]).add("AO", k.institution)


def _end_session(k: Known) -> Response:
    return Response("36", ["N", k.now]).add("AO", k.institution).add("AA", k.card)


def _fee_paid(k: Known) -> Response:
    r = Response("38", ["N", k.now]).add("AO", k.institution).add("AA", k.card)
    return r.add("BK", k.ctx.msg.get("BK"), optional=True)


def _hold(k: Known) -> Response:
    r = Response("16", ["0", "N", k.now]).add("AO", k.institution).add("AA", k.card)
    return r.add("AB", k.barcode, optional=True).add("AJ", k.title, optional=True)


def _item_status_update(k: Known) -> Response:
    return Response("20", [ok(False), k.now]).add("AB", k.barcode).add("AJ", k.title)


#: Request code → the refusal it gets (without AF, which ``refusal`` adds).
REFUSALS: dict[str, Callable[[Known], Response]] = {
    "23": _patron("24"),
    "01": _patron("24"),
    "25": _patron("26"),
    "63": _patron_information,
    "17": _item_information,
    "11": _loan("12"),
    "29": _loan("30"),
    "09": _checkin,
    "65": _renew_all,
    "35": _end_session,
    "37": _fee_paid,
    "15": _hold,
    "19": _item_status_update,
}


def refusal(ctx: Context, error: PustakaError) -> Response:
    """The response to ``ctx.msg`` saying no, with ``error`` as the screen message."""
    msg = ctx.msg
    if msg.code == "99":
        return acs_status_response(ctx.session, error=error)
    if msg.code not in REFUSALS:
        raise ValueError(f"no refusal for message {msg.code}")
    known = Known(
        ctx=ctx,
        now=_now_field(),
        card=ctx.patron.card_number if ctx.patron is not None else msg.get("AA"),
        barcode=ctx.item.barcode if ctx.item is not None else msg.get("AB"),
        lang=sip_language(ctx.language),
    )
    return REFUSALS[msg.code](known).add("AF", error)
