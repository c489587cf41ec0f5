"""SIP2 requests answered: each handler reads a request, calls the same circulation actions as the
desk (as the account's staff user, at the account's branch) and builds the response.

Handlers run in database threads (never on the event loop). A refusal (a typed
:class:`~pustaka.core.errors.PustakaError`) becomes the response of that message with its ok flag off
and the error's message in the screen-message field (AF), in the patron's language when the patron is
known, else in the language of the account's staff user, else the library's. A request that names
an institution (AO) other than the account's is refused the same way before anything is looked up.

The pieces: ``session`` (Session, Context, accounts, patrons, items, the ACS status), ``refusals`` (how
each message says no: one row per message in ``REFUSALS``) and this module (one handler per message,
``HANDLERS``, and ``handle``, which runs one request).
"""

import contextlib
import logging
import threading

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pustaka.core import lookups
from pustaka.core.errors import PustakaError
from pustaka.core.numbers import Money, parse_amount

from .codec import Message, Response, count, flag, ok, parse_sip_date, sip_date
from .errors import (
    BranchUnknown,
    HoldNotFound,
    InstitutionMismatch,
    LoanNotYours,
    NotLoggedIn,
    NotSupported,
    ServerFault,
    TitleMissing,
    WrongPin,
)
from .refusals import refusal
from .session import (
    CURRENCY,
    DEFAULT_ITEMS,
    MAX_ITEMS,
    Context,
    Session,
    _card_key,
    _now_field,
    account_language,
    acs_status_response,
    authenticate,
    authorised_patron,
    check_pin,
    find_item,
    find_patron,
    money,
    refresh_account,
    request_language,
    sip_language,
)

#: What the server and tests take from here (the session's pieces live in ``session``).
__all__ = ["HANDLERS", "Session", "always_checksum", "authenticate", "handle", "login_response"]

log = logging.getLogger("pustaka.sip2")

# --- Handlers ------------------------------------------------------------------------------------


def sc_status(ctx: Context) -> Response:
    """99 → 98: the library is online; check-in and checkout once the machine has logged in."""
    with contextlib.suppress(NotLoggedIn):
        refresh_account(ctx.session)
    return acs_status_response(ctx.session)


def patron_status_string(patron, reasons) -> str:
    """The 14 patron-status flags: privileges denied when blocked, too many overdues, excessive fines."""
    from pustaka.patrons.choices import BlockReason

    kinds = {reason for reason, _text in reasons}
    status = [" "] * 14
    if reasons or not patron.is_active:
        status[0] = status[1] = status[2] = status[3] = "Y"  # charge, renewal, recall, hold privileges denied
    if BlockReason.OVERDUES in kinds:
        status[6] = "Y"
    if BlockReason.FINES in kinds:
        status[10] = "Y"
    return "".join(status)


def _block_message(patron, reasons) -> str:
    """What the machine may show about a block: the kinds, never a member of staff's note."""
    from pustaka.patrons.choices import BlockReason

    if not patron.is_active:
        return str(_("This card is not active. Please ask at the desk."))
    if not reasons:
        return ""
    labels = []
    for reason, _text in reasons:
        label = str(BlockReason(reason).label)
        if label not in labels:
            labels.append(label)
    return str(_("You cannot borrow now: %(reasons)s. Please ask at the desk.") % {"reasons": ", ".join(labels)})


def _patron_header(ctx: Context, patron, code: str, extra_fixed: list[str]):
    from pustaka.circulation.queries import balance
    from pustaka.patrons.queries import blocks

    pin = check_pin(ctx, patron)
    reasons = blocks(patron)
    owed = balance(patron)
    lang = sip_language(ctx.language)
    response = Response(code, [patron_status_string(patron, reasons), lang, _now_field(), *extra_fixed])
    return response, pin, reasons, owed


def _patron_status_response(ctx: Context, patron, code: str = "24", *, screen=None) -> Response:
    """24 (or 26, which has no amounts): the patron's flags, whether the card and PIN are valid, and
    the screen message ``screen(patron, reasons)`` (by default: why the patron may not borrow, if so)."""
    r, pin, reasons, owed = _patron_header(ctx, patron, code, [])
    r.add("AO", ctx.session.institution).add("AA", patron.card_number)
    r.add("AE", patron.full_name if pin is not False else "")
    r.add("BL", flag(patron.is_active))
    if pin is not None:
        r.add("CQ", flag(pin))
    if code == "24":
        r.add("BH", CURRENCY).add("BV", money(owed))
    text = WrongPin() if pin is False else (screen or _block_message)(patron, reasons)
    return r.add("AF", text, optional=True)


def patron_status(ctx: Context) -> Response:
    """23 → 24: the patron's flags, whether the card and PIN are valid, what they owe."""
    return _patron_status_response(ctx, find_patron(ctx))


def machine_block_note(account, *, retained: bool, reason: str) -> str:
    """The staff note of a block put on by a self-check machine (01): which machine, whether it kept
    the card, and the reason it gave (AL), in the library's language (staff read it at the desk)."""
    from pustaka.patrons.models import PatronBlock

    limit = PatronBlock._meta.get_field("note").max_length
    machine = f"{account.login} ({account.branch.code})"
    with translation.override(settings.LANGUAGE_CODE):
        reason = " ".join(reason.split()) or str(_("no reason given"))
        if retained:
            note = _("Card retained by self-check machine %(machine)s: %(reason)s")
        else:
            note = _("Blocked by self-check machine %(machine)s: %(reason)s")
        return str(note % {"machine": machine, "reason": reason})[:limit]


def block_patron(ctx: Context) -> Response:
    """01 → 24: the machine kept the card or found it misused: block the patron (a manual block, as
    the account's staff user, the machine and its reason in the note) and answer their new status.

    A machine that sends the same message again (its answer was lost) adds no second block with the
    same note. The staff user needs ``patrons.block`` and the patron's home branch, as at the
    desk; without them the block is refused and the answer says so."""
    from pustaka.patrons import actions as patron_actions
    from pustaka.patrons.queries import open_blocks

    account = ctx.session.account
    patron = find_patron(ctx)
    retained = ctx.msg.fixed.get("card_retained", "N").upper() == "Y"
    note = machine_block_note(account, retained=retained, reason=ctx.msg.get("AL"))
    if not open_blocks(patron).filter(note=note).exists():
        try:
            patron_actions.block_patron(patron=patron, actor=account.actor, reason=note)
        except PustakaError as error:  # staff should know: the machine may have kept the card
            log.warning("SIP2 %s could not block patron %s: %s", account.login, patron.pk, error.code)
            raise
        log.warning("SIP2 %s blocked patron %s (card retained: %s)", account.login, patron.pk, flag(retained))
    if retained:
        screen = _("Your card was kept by the machine and is blocked. Please ask at the desk.")
    else:
        screen = _("Your card is blocked. Please ask at the desk.")
    return _patron_status_response(ctx, patron, screen=lambda _patron, _reasons: screen)


def patron_enable(ctx: Context) -> Response:
    """25 → 26: the patron's status as it is. A machine never lifts a block (blocks are staff's to
    lift at the desk), so nothing changes and the screen message says so."""

    def screen(patron, reasons):
        unchanged = str(_("A self-check machine cannot lift a block: nothing was changed."))
        blocked = _block_message(patron, reasons)
        return f"{blocked} {unchanged}" if blocked else unchanged

    return _patron_status_response(ctx, find_patron(ctx), "26", screen=screen)


SUMMARY_KINDS = ["hold", "overdue", "charged", "fine", "recall", "unavailable"]


def _range(msg: Message) -> tuple[int, int]:
    start = msg.get("BP")
    end = msg.get("BQ")
    start = int(start) if start.isdigit() and int(start) > 0 else 1
    end = int(end) if end.isdigit() and int(end) >= start else start + DEFAULT_ITEMS - 1
    return start, min(end, start + MAX_ITEMS - 1)


def _fine_items(patron, owed) -> list:
    """Charges with something still owed, newest first (payments settle the oldest charges first, as
    at the desk), each with ``outstanding``; none when nothing is owed. Two queries."""
    from pustaka.circulation.queries import outstanding_charges

    if owed <= 0:
        return []
    return list(reversed(outstanding_charges(patron, related=("loan__item",))))


def patron_information(ctx: Context) -> Response:
    """63 → 64: counts of held, overdue, charged and fine items; the list the summary asks for (BP..BQ)."""
    from django.db.models import Count, Q

    from pustaka.circulation.choices import FeeKind, HoldStatus
    from pustaka.circulation.models import Hold, Loan
    from pustaka.circulation.queries import overdue_filter

    patron = find_patron(ctx)
    msg = ctx.msg
    now = timezone.now()
    loans = Loan.objects.filter(patron=patron, returned_at__isnull=True)
    loan_counts = loans.aggregate(charged=Count("id"), overdue=Count("id", filter=overdue_filter(now)))
    open_holds = Hold.objects.filter(patron=patron, status__in=list(HoldStatus.open()))
    hold_counts = open_holds.aggregate(
        ready=Count("id", filter=Q(status=HoldStatus.READY)), other=Count("id", filter=~Q(status=HoldStatus.READY))
    )
    summary = msg.fixed.get("summary", "")
    wanted = SUMMARY_KINDS[summary.index("Y")] if "Y" in summary[:6] else None
    start, end = _range(msg)
    r, pin, reasons, owed = _patron_header(ctx, patron, "64", [])
    fines = _fine_items(patron, owed)
    fine_count = len(fines)
    r.fixed += [
        count(hold_counts["ready"]),
        count(loan_counts["overdue"]),
        count(loan_counts["charged"]),
        count(fine_count),
        count(0),
        count(hold_counts["other"]),
    ]
    r.add("AO", ctx.session.institution).add("AA", patron.card_number)
    r.add("AE", patron.full_name if pin is not False else "")
    if patron.category.max_overdues:
        r.add("CA", count(patron.category.max_overdues))
    r.add("BL", flag(patron.is_active))
    if pin is not None:
        r.add("CQ", flag(pin))
    r.add("BH", CURRENCY).add("BV", money(owed)).add("CC", money(patron.category.max_fines))
    if pin is not False:
        window = slice(start - 1, end)
        if wanted == "hold":
            ready = open_holds.filter(status=HoldStatus.READY).select_related("trapped_item", "record")
            for hold in ready.order_by("shelf_until", "id")[window]:
                r.add("AS", hold.trapped_item.barcode if hold.trapped_item else hold.record.title)
        elif wanted in {"overdue", "charged"}:
            chosen = loans.filter(overdue_filter(now)) if wanted == "overdue" else loans
            for barcode in chosen.order_by("due_at", "id").values_list("item__barcode", flat=True)[window]:
                r.add("AT" if wanted == "overdue" else "AU", barcode)
        elif wanted == "fine":
            for fee in fines[window]:
                what = fee.loan.item.barcode if fee.loan_id else str(FeeKind(fee.kind).label)
                r.add("AV", f"{money(fee.outstanding)} {CURRENCY} {FeeKind(fee.kind).label}: {what}")
        elif wanted == "unavailable":
            waiting = open_holds.exclude(status=HoldStatus.READY).select_related("record")
            for hold in waiting.order_by("placed_at", "id")[window]:
                r.add("CD", hold.record.title)
    if pin is True:
        r.add("BD", " ".join(patron.address.split()), optional=True)
        r.add("BE", patron.email, optional=True).add("BF", patron.phone, optional=True)
    screen = WrongPin() if pin is False else _block_message(patron, reasons)
    return r.add("AF", screen, optional=True)


#: Item status → SIP2 circulation status.
CIRCULATION_STATUS = {
    "on_order": "02",
    "received": "06",
    "in_processing": "06",
    "ready_for_shelving": "09",
    "available": "03",
    "on_loan": "04",
    "on_hold_shelf": "08",
    "in_transit": "10",
    "missing": "13",
    "lost": "12",
}


def item_information(ctx: Context) -> Response:
    """17 → 18: circulation status, due date, hold queue, title, owning and current branch."""
    from pustaka.circulation.choices import HoldStatus
    from pustaka.circulation.models import Hold
    from pustaka.circulation.queries import current_loan

    item = find_item(ctx)
    status = CIRCULATION_STATUS.get(item.status, "01")
    loan = current_loan(item) if item.status in {"on_loan", "lost"} else None
    if loan is not None and loan.claimed_returned_at:
        status = "11"
    queue = Hold.objects.filter(record_id=item.record_id, status=HoldStatus.WAITING).count()
    r = Response("18", [status, "00", "01", _now_field()])
    r.add("CF", str(queue)).add("AH", sip_date(loan.due_at) if loan else "", optional=True)
    if item.status == "on_hold_shelf":
        ready = Hold.objects.filter(trapped_item=item, status=HoldStatus.READY).only("shelf_until").first()
        if ready is not None and ready.shelf_until:
            r.add("CM", sip_date(ready.shelf_until))
    r.add("AB", item.barcode).add("AJ", item.record.title).add("BG", ctx.session.institution)
    r.add("CK", "001" if item.item_type.code.upper() == "BOOK" else "000")
    r.add("AQ", item.branch.code).add("AP", item.location.name if item.location_id else item.branch.code)
    return r


def item_status_update(ctx: Context) -> Response:
    """19 → 20: item properties ok 0. Pustaka does not let a machine change an item's properties (CH);
    the item is looked up so the answer names it (an unknown barcode gets the usual refusal)."""
    item = find_item(ctx)
    r = Response("20", [ok(False), _now_field()]).add("AB", item.barcode).add("AJ", item.record.title)
    return r.add("AF", _("A self-check machine cannot change an item's details: nothing was changed."))


def checkout(ctx: Context) -> Response:
    """11 → 12: lend the item (or renew it, when already on loan to this patron and the machine allows)."""
    from pustaka.circulation import actions
    from pustaka.circulation.errors import AlreadyOnLoan
    from pustaka.circulation.queries import current_loan

    account = ctx.session.account
    patron = authorised_patron(ctx)
    item = find_item(ctx)
    loan = current_loan(item) if item.status == "on_loan" else None  # the action checks again, locked
    renewed = False
    if loan is not None and loan.patron_id == patron.pk:
        if ctx.msg.fixed.get("sc_renewal_policy") != "Y":
            raise AlreadyOnLoan(barcode=item.barcode, patron=patron.full_name)
        loan = actions.renew(loan=loan, actor=account.actor)
        renewed = True
    else:
        loan = actions.checkout(item=item, patron=patron, branch=account.branch, actor=account.actor)
    r = Response("12", [ok(True), flag(renewed), "N", "Y", _now_field()])
    r.add("AO", ctx.session.institution).add("AA", patron.card_number).add("AB", item.barcode)
    r.add("AJ", item.record.title).add("AH", sip_date(loan.due_at))
    r.add("CK", "001" if item.item_type.code.upper() == "BOOK" else "000")
    return r.add("AF", _("Due back %(date)s.") % {"date": _local_date(loan.due_at)})


def _local_date(moment) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def checkin(ctx: Context) -> Response:
    """09 → 10: return the item; an alert when it must go to the hold shelf or another branch."""
    from pustaka.circulation import actions

    account = ctx.session.account
    item = find_item(ctx)
    result = actions.checkin(item=item, branch=account.branch, actor=account.actor)
    destination = getattr(result, "destination", "shelf")
    alert = destination != "shelf"
    r = Response("10", [ok(True), flag(not alert), "N", flag(alert), _now_field()])
    r.add("AO", ctx.session.institution).add("AB", item.barcode).add("AQ", item.branch.code)
    r.add("AJ", item.record.title)
    loan = getattr(result, "loan", None)
    if loan is not None:
        r.add("AA", loan.patron.card_number)
    r.add("CK", "001" if item.item_type.code.upper() == "BOOK" else "000")
    screen = []
    if destination == "hold_shelf":
        r.add("CV", "01")
        screen.append(_("Please leave this item at the desk: it is held for another patron."))
    elif destination == "transit":
        to = getattr(result, "transit_to", None)
        code = to.code if to is not None else ""
        r.add("CT", code).add("CV", "04")
        screen.append(_("Please leave this item at the desk: it goes to %(branch)s.") % {"branch": to or code})
    fine = getattr(result, "fine", None)
    if fine is not None:
        screen.append(_("A fine of %(amount)s was charged.") % {"amount": Money(fine.amount)})
    if not screen:
        screen.append(_("Thank you. The item is returned."))
    return r.add("AF", " ".join(str(s) for s in screen))


def _loan_of(ctx: Context, patron, item):
    from pustaka.circulation.errors import NotOnLoan
    from pustaka.circulation.queries import current_loan

    loan = current_loan(item)
    if loan is None:
        raise NotOnLoan(barcode=item.barcode)
    if loan.patron_id != patron.pk:
        raise LoanNotYours(barcode=item.barcode)
    return loan


def renew(ctx: Context) -> Response:
    """29 → 30: renew one of the patron's loans."""
    from pustaka.circulation import actions

    account = ctx.session.account
    patron = authorised_patron(ctx)
    item = find_item(ctx)
    loan = actions.renew(loan=_loan_of(ctx, patron, item), actor=account.actor)
    r = Response("30", [ok(True), "Y", "N", "Y", _now_field()])
    r.add("AO", ctx.session.institution).add("AA", patron.card_number).add("AB", item.barcode)
    r.add("AJ", item.record.title).add("AH", sip_date(loan.due_at))
    return r.add("AF", _("Renewed. Due back %(date)s.") % {"date": _local_date(loan.due_at)})


def renew_all(ctx: Context) -> Response:
    """65 → 66: renew every loan the patron may renew; BM lists the renewed items, BN the others."""
    from pustaka.circulation import actions

    account = ctx.session.account
    patron = authorised_patron(ctx)
    results = actions.renew_all(patron=patron, actor=account.actor)
    renewed = [loan.item.barcode for loan, error in results if error is None]
    refused = [loan.item.barcode for loan, error in results if error is not None]
    r = Response("66", [ok(True), count(len(renewed)), count(len(refused)), _now_field()])
    r.add("AO", ctx.session.institution)
    for barcode in renewed:
        r.add("BM", barcode)
    for barcode in refused:
        r.add("BN", barcode)
    screen = _("Renewed: %(renewed)s. Not renewed: %(refused)s.") % {"renewed": len(renewed), "refused": len(refused)}
    return r.add("AF", screen)


def end_session(ctx: Context) -> Response:
    """35 → 36: forget that this patron proved their PIN on this connection."""
    card = ctx.msg.get("AA")
    ctx.session.verified.pop(_card_key(card), None)
    r = Response("36", ["Y", _now_field()]).add("AO", ctx.session.institution).add("AA", card)
    return r.add("AF", _("Thank you. Goodbye."))


def fee_paid(ctx: Context) -> Response:
    """37 → 38: take a payment at the machine (recorded as a self-check payment at the account's branch)."""
    from pustaka.circulation import actions
    from pustaka.circulation.choices import PaymentMethod
    from pustaka.circulation.errors import InvalidAmount
    from pustaka.circulation.queries import balance

    account = ctx.session.account
    patron = authorised_patron(ctx)
    try:  # the one reading of amounts (core.numbers): "1000.00", "1000,00" and "1.000" are all Rp 1.000
        amount = parse_amount(ctx.msg.get("BV"))
    except ValueError:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0:
        raise InvalidAmount(limit=Money(balance(patron)), field="amount")
    currency = ctx.msg.fixed.get("currency_type", "").strip()
    if currency and currency.upper() != CURRENCY:
        raise NotSupported()
    transaction_id = ctx.msg.get("BK")
    note = f"SIP2 {account.login}" + (f" {transaction_id}" if transaction_id else "")
    actions.pay(
        patron=patron,
        amount=amount,
        method=PaymentMethod.SELF_CHECK,
        actor=account.actor,
        note=note[:300],
        branch=account.branch,
    )
    r = Response("38", ["Y", _now_field()]).add("AO", ctx.session.institution).add("AA", patron.card_number)
    r.add("BK", transaction_id, optional=True)
    return r.add("AF", _("Payment received. Thank you."))


def hold(ctx: Context) -> Response:
    """15 → 16: place (+) or cancel (-) a hold on the title of the scanned item (AB) or a record id (AJ).

    Change (*) is refused with ok 0 and the hold left as it is: no circulation action changes an open
    hold's pickup branch or date yet."""
    from pustaka.catalog.models import Record
    from pustaka.circulation import actions
    from pustaka.circulation.choices import HoldStatus
    from pustaka.circulation.models import Hold

    account = ctx.session.account
    mode = ctx.msg.fixed.get("hold_mode")
    if mode not in {"+", "-", "*"}:
        raise NotSupported()
    patron = authorised_patron(ctx)
    item = find_item(ctx, required=False)
    if item is not None:
        record = item.record
    else:
        title_id = ctx.msg.get("AJ")
        record = Record.objects.filter(pk=int(title_id)).first() if title_id.isdigit() and len(title_id) < 18 else None
        if record is None:
            raise TitleMissing()
    pickup = account.branch
    pickup_code = ctx.msg.get("BS")
    if pickup_code:
        pickup = lookups.find_branch(pickup_code)
        if pickup is None:
            raise BranchUnknown(code=pickup_code[:20])
    now = _now_field()
    if mode in {"-", "*"}:
        open_hold = (
            Hold.objects.filter(patron=patron, record=record, status__in=list(HoldStatus.open()))
            .order_by("placed_at")
            .first()
        )
        if open_hold is None:
            raise HoldNotFound()
        if mode == "*":  # a new pickup branch (BS) and/or "not needed after" date (BW); the queue place stays
            expires = parse_sip_date(ctx.msg.get("BW"))
            changed = actions.change_hold(
                hold=open_hold,
                actor=account.actor,
                pickup_branch=pickup if pickup_code else None,
                expires_on=expires.date() if expires else None,
            )
            message = _("Your hold is changed. Pick it up at %(branch)s.") % {"branch": changed.pickup_branch}
            return _hold_response(ctx, changed, patron=patron, item=item, record=record, now=now, message=message)
        actions.cancel_hold(hold=open_hold, actor=account.actor)
        r = Response("16", [ok(True), "N", now]).add("AO", ctx.session.institution).add("AA", patron.card_number)
        r.add("AB", item.barcode if item else "", optional=True).add("AJ", record.title)
        return r.add("AF", _("Your hold is cancelled."))
    expires = parse_sip_date(ctx.msg.get("BW"))
    copy = item if (item is not None and ctx.msg.get("BY") == "3") else None
    placed = actions.place_hold(
        patron=patron,
        record=record,
        pickup_branch=pickup,
        actor=account.actor,
        item=copy,
        expires_on=expires.date() if expires else None,
    )
    message = _("Your hold is placed. Pick it up at %(branch)s.") % {"branch": placed.pickup_branch}
    return _hold_response(ctx, placed, patron=patron, item=item, record=record, now=now, message=message)


def _hold_response(ctx: Context, hold, *, patron, item, record, now: str, message) -> Response:
    """16 for a hold placed or changed: ready or not, its expiry, queue place and pickup branch."""
    from pustaka.circulation.choices import HoldStatus
    from pustaka.circulation.queries import queue_position

    r = Response("16", [ok(True), flag(hold.status == HoldStatus.READY), now])
    if hold.expires_on:
        r.add("BW", sip_date(hold.expires_on))
    if hold.status == HoldStatus.WAITING:
        r.add("BR", str(queue_position(hold)))
    r.add("BS", hold.pickup_branch.code).add("AO", ctx.session.institution).add("AA", patron.card_number)
    r.add("AB", item.barcode if item else "", optional=True).add("AJ", record.title)
    return r.add("AF", message)


HANDLERS = {
    "99": sc_status,
    "23": patron_status,
    "63": patron_information,
    "17": item_information,
    "11": checkout,
    "09": checkin,
    "29": renew,
    "65": renew_all,
    "35": end_session,
    "37": fee_paid,
    "15": hold,
    "01": block_patron,
    "19": item_status_update,
    "25": patron_enable,
}
#: Messages a machine may send before it has logged in.
BEFORE_LOGIN = {"93", "99"}


#: Requests that write. On SQLite (one writer at a time) they take turns through a lock in this
#: process instead of retrying against SQLite's busy timeout: fairer, and nothing times out.
WRITES = {"11", "09", "29", "65", "37", "15", "01"}
_SQLITE_WRITER = threading.Lock()


def _writer(msg: Message):
    from django.db import connection

    if msg.code in WRITES and connection.vendor == "sqlite":
        return _SQLITE_WRITER
    return contextlib.nullcontext()


def always_checksum() -> bool:
    """``SIP2_ALWAYS_CHECKSUM``: every response carries a sequence number and a checksum, whether or
    not the request did (default off: only when the request carried them)."""
    return bool(getattr(settings, "SIP2_ALWAYS_CHECKSUM", False))


def encode(response: Response, msg: Message) -> bytes:
    """The frame answering ``msg``: with AY/AZ when the request had them or the setting asks for them
    (the request's sequence number, or 0 when it sent none)."""
    always = always_checksum()
    sequence = msg.sequence if msg.sequence is not None or not always else "0"
    return response.encode(sequence=sequence, error_detection=msg.has_checksum or always)


def check_institution(ctx: Context) -> None:
    """A request whose institution id (AO) is not the account's is refused (an empty AO is no claim)."""
    given = ctx.msg.get("AO")
    if given and given.casefold() != ctx.session.institution.strip().casefold():
        log.warning(
            "SIP2 %s from %s: institution %r, the account's is %r",
            ctx.msg.code,
            ctx.session.peer,
            given[:40],
            ctx.session.institution,
        )
        raise InstitutionMismatch(institution=given[:40])


def handle(session: Session, msg: Message) -> bytes:
    """Answer one request (not 93/97, which the server handles). Runs in a database thread."""
    with _writer(msg):
        return _handle(session, msg)


def _handle(session: Session, msg: Message) -> bytes:
    ctx = Context(session=session, msg=msg, language=request_language(msg) or account_language(session))
    with translation.override(ctx.language):
        try:
            if msg.code != "99":
                refresh_account(session)
                ctx.language = request_language(msg) or account_language(session)
                translation.activate(ctx.language)
                check_institution(ctx)
            response = HANDLERS[msg.code](ctx)
        except PustakaError as error:
            log.info("SIP2 %s refused for %s: %s", msg.code, session.peer, getattr(error, "code", error))
            response = refusal(ctx, error)
        except Exception:
            log.exception("SIP2 %s failed for %s", msg.code, session.peer)
            response = refusal(ctx, ServerFault())
        translation.activate(ctx.language)
        return encode(response, msg)


def login_response(msg: Message, success: bool) -> bytes:
    """94: 1 when the machine is logged in, 0 otherwise (never a dropped connection)."""
    return encode(Response("94", [ok(success)]), msg)
