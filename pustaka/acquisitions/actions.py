"""Every write of acquisitions: vendors, funds, orders and their lines, sending, receiving, cancelling,
claiming, invoices, and patrons' purchase suggestions.

Receiving makes the copies through :func:`pustaka.holdings.actions.create_item` (created
``received``, numbered in the accession register as purchases from the vendor at the line's price)
and sends them to processing in one batch through the processing workflow's own action,
:func:`pustaka.technical.actions.processing.start_processing` (``received → in_processing``); a copy
whose title has no call number yet stays ``received``, in the cataloguer's queue. Order statuses
move only through :data:`pustaka.acquisitions.transitions.ORDERS`. Money is read as people type it
(``5.000``, ``5.000,50``: :func:`pustaka.core.numbers.read_amount`).
"""

import datetime
import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import PermissionDenied
from pustaka.core.numbers import Money, read_amount
from pustaka.core.permissions import acting_user, has, is_staff_member
from pustaka.core.registry import action
from pustaka.core.validators import BAD_CHARACTERS, BLANK, TOO_LONG, clean_text, normal_code

from . import errors
from .choices import OPEN_STATUSES, OrderStatus, SuggestionStatus
from .models import (
    Claim,
    Delivery,
    Fund,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    OrderSequence,
    ReceivedCopy,
    Suggestion,
    Vendor,
)
from .transitions import ORDERS, SUGGESTIONS

__all__ = [
    "accept_suggestion",
    "add_order_line",
    "cancel_order",
    "cancel_order_line",
    "claim_order",
    "create_order",
    "mark_invoice_paid",
    "receive_delivery",
    "record_invoice",
    "reject_suggestion",
    "remove_order_line",
    "save_fund",
    "save_vendor",
    "send_order",
    "suggest_purchase",
]

MAX_COPIES = 500
AUTO_PREFIX = "B"
AUTO_WIDTH = 6
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- Checks shared by the actions ----------------------------------------------------------------


#: How the acquisitions pages word a text that is wrong.
TEXT_WORDS = {
    BAD_CHARACTERS: _("%(label)s holds characters that cannot be stored."),
    BLANK: _("%(label)s is required."),
    TOO_LONG: _("%(label)s is at most %(max)s characters."),
}


def _text(value, *, field: str, label, max_length: int, required: bool = False) -> str:
    return clean_text(
        value,
        field=field,
        label=label,
        max_length=max_length,
        required=required,
        error=errors.AcquisitionInvalid,
        words=TEXT_WORDS,
    )


def _amount(value, *, field: str, label, required: bool = True):
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise errors.AcquisitionInvalid(_("%(label)s is required."), field=field, label=label)
        return None
    amount = read_amount(value, field=field, label=label, error=errors.AcquisitionInvalid)
    if amount < 0:
        raise errors.AcquisitionInvalid(_("%(label)s cannot be negative."), field=field, label=label)
    if amount >= 10**12:
        raise errors.AcquisitionInvalid(_("%(label)s is too large."), field=field, label=label)
    return amount.quantize(amount.__class__("0.01"))


def _count(value, *, field: str, label, at_most: int = MAX_COPIES) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise errors.AcquisitionInvalid(_("%(label)s is a whole number."), field=field, label=label) from None
    if count < 1 or count > at_most:
        raise errors.AcquisitionInvalid(
            _("%(label)s is a number from 1 to %(max)s."), field=field, label=label, max=at_most
        )
    return count


def _locked_order(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("vendor").get(pk=order.pk)


def _require_draft(order: Order) -> None:
    if order.status != OrderStatus.DRAFT:
        raise errors.OrderNotDraft(number=order.number, status=OrderStatus(order.status).label)


def _require_open(order: Order) -> None:
    if order.status not in OPEN_STATUSES:
        raise errors.OrderNotOpen(number=order.number, status=OrderStatus(order.status).label)


def _sync(order: Order, *, actor) -> None:
    """Refresh ``order`` from its lines after copies came or were cancelled (partly received,
    received, cancelled), through the order table."""
    lines = list(order.lines.all())
    received = sum(line.received for line in lines)
    outstanding = sum(line.outstanding for line in lines)
    if outstanding and received and order.status == OrderStatus.SENT:
        target = OrderStatus.PARTLY_RECEIVED
    elif not outstanding and received:
        target = OrderStatus.RECEIVED
    elif not outstanding:
        target = OrderStatus.CANCELLED
    else:
        return
    if target == order.status:
        return
    # Completing an order follows from the receipt or the cancel that emptied it (whoever made that).
    mover = None if (order.status, target) == (OrderStatus.PARTLY_RECEIVED, OrderStatus.RECEIVED) else actor
    before = order.status
    rule = ORDERS.move(order, to=target, actor=mover)
    order.save(update_fields=["status"])
    audit(actor, rule.verb, order, before={"status": before}, after={"status": order.status})


# --- Vendors and funds ---------------------------------------------------------------------------

VENDOR_FIELDS = ["name", "contact_name", "email", "phone", "address", "note", "is_active"]


@action("acquisitions.vendor.save", permission="acquisitions.manage_vendors", label=_("Vendor saved"))
def save_vendor(
    *,
    actor,
    vendor: Vendor | None = None,
    name: str,
    contact_name: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    note: str = "",
    is_active: bool = True,
) -> Vendor:
    """Add a vendor (``vendor`` None) or change one: name (unique), contact, email, phone, address."""
    values = {
        "name": _text(name, field="name", label=_("Name"), max_length=200, required=True),
        "contact_name": _text(contact_name, field="contact_name", label=_("Contact person"), max_length=150),
        "email": _text(email, field="email", label=_("Email"), max_length=254),
        "phone": _text(phone, field="phone", label=_("Phone"), max_length=40),
        "address": _text(address, field="address", label=_("Address"), max_length=1000),
        "note": _text(note, field="note", label=_("Note"), max_length=300),
        "is_active": bool(is_active),
    }
    if values["email"] and not EMAIL_RE.match(values["email"]):
        raise errors.AcquisitionInvalid(_("“%(value)s” is not an email address."), field="email", value=values["email"])
    taken = Vendor.objects.filter(name__iexact=values["name"])
    if vendor is not None:
        taken = taken.exclude(pk=vendor.pk)
    if taken.exists():
        raise errors.VendorNameTaken(field="name", name=values["name"])
    if vendor is None:
        vendor = Vendor.objects.create(**values)
        audit(actor, "acquisitions.vendor.save", vendor, after=snapshot(vendor, VENDOR_FIELDS))
        return vendor
    locked = Vendor.objects.select_for_update().get(pk=vendor.pk)
    before = snapshot(locked, VENDOR_FIELDS)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.save()
    old, new = diff(before, snapshot(locked, VENDOR_FIELDS))
    if new:
        audit(actor, "acquisitions.vendor.save", locked, before=old, after=new)
    return locked


@action("acquisitions.fund.save", permission="acquisitions.set_funds", label=_("Fund set"))
def save_fund(*, actor, fund: Fund | None = None, code: str, name: str, year, budget, is_active: bool = True) -> Fund:
    """Open a fund for a year with its budget (``fund`` None), or change its name, budget or whether it
    takes new orders. A budget below what the fund has already encumbered and spent is refused."""
    from .queries import fund_figures

    code = normal_code(code)
    if not code or len(code) > 16 or not re.match(r"^[A-Z0-9_-]+$", code):
        raise errors.AcquisitionInvalid(
            _("A fund code is 1 to 16 capital letters, digits, dashes or underscores."), field="code"
        )
    name = _text(name, field="name", label=_("Name"), max_length=150, required=True)
    year = _count(year, field="year", label=_("Year"), at_most=2200)
    if year < 1900:
        raise errors.AcquisitionInvalid(
            _("%(label)s is a number from 1 to %(max)s."), field="year", label=_("Year"), max=2200
        )
    budget = _amount(budget, field="budget", label=_("Budget"))
    taken = Fund.objects.filter(code=code, year=year)
    if fund is not None:
        taken = taken.exclude(pk=fund.pk)
    if taken.exists():
        raise errors.FundTaken(field="code", code=code, year=year)
    fields = ["code", "name", "year", "budget", "is_active"]
    if fund is None:
        fund = Fund.objects.create(code=code, name=name, year=year, budget=budget, is_active=bool(is_active))
        audit(actor, "acquisitions.fund.save", fund, after=snapshot(fund, fields))
        return fund
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    figures = fund_figures(locked)
    committed = figures["encumbered"] + figures["spent"]
    if budget < committed:
        raise errors.AcquisitionInvalid(
            _("The budget cannot be less than what the fund has already committed (%(committed)s)."),
            field="budget",
            committed=Money(committed),
        )
    before = snapshot(locked, fields)
    locked.code, locked.name, locked.year, locked.budget, locked.is_active = code, name, year, budget, bool(is_active)
    locked.save()
    old, new = diff(before, snapshot(locked, fields))
    if new:
        audit(actor, "acquisitions.fund.save", locked, before=old, after=new)
    return locked


# --- Orders --------------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    """The next order number of ``year`` (PO/2026/0001), taken under a lock held until the transaction ends."""
    if not OrderSequence.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                OrderSequence.objects.create(year=year, last=1)
        except IntegrityError:  # another desk created the year's row first
            OrderSequence.objects.filter(year=year).update(last=F("last") + 1)
    return f"PO/{year}/{OrderSequence.objects.get(year=year).last:04d}"


@action("acquisitions.order.create", permission="acquisitions.place_order", label=_("Order written"))
def create_order(*, actor, vendor: Vendor, expected_by=None, note: str = "", now=None) -> Order:
    """Start a draft order to ``vendor`` (numbered PO/<year>/<n>); lines are added before it is sent."""
    if not vendor.is_active:
        raise errors.AcquisitionInvalid(
            _("The vendor %(vendor)s is no longer active."), field="vendor", vendor=vendor.name
        )
    note = _text(note, field="note", label=_("Note to the vendor"), max_length=500)
    if expected_by is not None and not isinstance(expected_by, datetime.date):
        raise errors.AcquisitionInvalid(_("Expected by: give a date."), field="expected_by")
    now = now or timezone.now()
    order = Order.objects.create(
        number=_next_number(timezone.localdate(now).year),
        vendor=vendor,
        expected_by=expected_by,
        note=note,
        created_at=now,
        created_by=acting_user(actor),
    )
    audit(actor, "acquisitions.order.create", order, after={"number": order.number, "vendor": vendor.name})
    return order


@action("acquisitions.order.add_line", permission="acquisitions.place_order", label=_("Title added to an order"))
def add_order_line(*, actor, order: Order, record, copies, branch, item_type, price, fund: Fund) -> OrderLine:
    """Add ``copies`` of ``record`` for ``branch`` at ``price`` each (``5.000`` or ``5.000,50``),
    charged to ``fund``, to a draft order."""
    order = _locked_order(order)
    _require_draft(order)
    copies = _count(copies, field="copies", label=_("Copies"))
    price = _amount(price, field="price", label=_("Price per copy"))
    if not fund.is_active:
        raise errors.FundClosed(field="fund", fund=str(fund))
    line = OrderLine.objects.create(
        order=order, record=record, copies=copies, branch=branch, item_type=item_type, price=price, fund=fund
    )
    audit(
        actor,
        "acquisitions.order.add_line",
        order,
        after={"line": line.pk, "record": record.pk, "copies": copies, "price": str(price), "fund": str(fund)},
    )
    return line


@action("acquisitions.order.remove_line", permission="acquisitions.place_order", label=_("Title taken off an order"))
def remove_order_line(*, actor, line: OrderLine) -> None:
    """Take a line off a draft order (a sent order's line is cancelled instead)."""
    order = _locked_order(line.order)
    _require_draft(order)
    Suggestion.objects.filter(order_line=line).update(order_line=None, status=SuggestionStatus.PENDING)
    audit(actor, "acquisitions.order.remove_line", order, before={"line": line.pk, "record": line.record_id})
    line.delete()


def _check_funds(order: Order) -> None:
    """Refuse sending when a fund's available money does not cover what the order needs from it."""
    from .queries import fund_figures

    needed: dict[int, object] = {}
    for line in order.lines.all():
        needed[line.fund_id] = needed.get(line.fund_id, 0) + line.price * line.copies
    for fund in Fund.objects.select_for_update().filter(pk__in=needed).order_by("pk"):
        if not fund.is_active:
            raise errors.FundClosed(field="fund", fund=str(fund))
        available = fund_figures(fund)["available"]
        if needed[fund.pk] > available:
            raise errors.FundOverspent(fund=str(fund), available=Money(available), needed=Money(needed[fund.pk]))


@action("acquisitions.order.send", permission="acquisitions.place_order", label=_("Order sent"))
def send_order(*, actor, order: Order, email: bool = False, language: str = "id", now=None) -> Order:
    """Send a draft order: its lines' money is encumbered on their funds (refused when a fund does not
    have it). With ``email``, the order goes as a PDF to the vendor's address after the commit; a
    failure to send is recorded on the order (``email_problem``), never lost."""
    order = _locked_order(order)
    if not order.lines.exists():
        raise errors.OrderEmpty(number=order.number)
    if email and not order.vendor.email:
        raise errors.AcquisitionInvalid(
            _("The vendor %(vendor)s has no email address: print the order instead."),
            field="email",
            vendor=order.vendor.name,
        )
    _check_funds(order)
    rule = ORDERS.move(order, to=OrderStatus.SENT, actor=actor)
    order.sent_at = now or timezone.now()
    order.emailed_to = order.vendor.email if email else ""
    order.save(update_fields=["status", "sent_at", "emailed_to"])
    audit(actor, rule.verb, order, before={"status": OrderStatus.DRAFT}, after={"status": order.status, "email": email})
    if email:
        pk = order.pk
        transaction.on_commit(lambda: _mail_order(pk, language))
    return order


def _mail_order(pk: int, language: str) -> None:
    """After the commit: mail the order's PDF to its vendor, and record whether it went."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string
    from django.utils import translation

    from pustaka.core.queries import library_name

    from .pdf import render_order

    order = Order.objects.select_related("vendor").get(pk=pk)
    context = {"order": order, "library_name": library_name()}
    with translation.override(language or "id"):
        subject = " ".join(render_to_string("acquisitions/email/order_subject.txt", context).split())
        body = render_to_string("acquisitions/email/order.txt", context)
        pdf = render_order(order, language=language)
    problem = ""
    try:
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [order.vendor.email])
        message.attach(f"{order.number.replace('/', '-')}.pdf", pdf, "application/pdf")
        message.send()
    except Exception as error:  # noqa: BLE001 - recorded on the order, not raised after the commit
        problem = str(error)[:300]
    Order.objects.filter(pk=pk).update(email_problem=problem)


@action(
    "acquisitions.order.cancel",
    permission="acquisitions.place_order",
    label=_("Order cancelled"),
    labels={"acquisitions.order.receive": _("Order received")},
)
def cancel_order(*, actor, order: Order, reason: str) -> Order:
    """Cancel every copy still to come on an order (a draft or a sent order is cancelled; a partly
    received one closes as received), releasing the money they held on their funds."""
    order = _locked_order(order)
    reason = _text(reason, field="reason", label=_("Reason"), max_length=300, required=True)
    if order.status not in (OrderStatus.DRAFT, *OPEN_STATUSES):
        raise errors.OrderNotOpen(number=order.number, status=OrderStatus(order.status).label)
    released = 0
    for line in order.lines.select_for_update():
        if line.outstanding:
            released += line.outstanding * line.price
            line.cancelled += line.outstanding
            line.cancelled_reason = reason
            line.save(update_fields=["cancelled", "cancelled_reason"])
    order.cancelled_reason = reason
    order.save(update_fields=["cancelled_reason"])
    before = order.status
    if order.status == OrderStatus.DRAFT or not order.lines.filter(received__gt=0).exists():
        rule = ORDERS.move(order, to=OrderStatus.CANCELLED, actor=actor)
        order.save(update_fields=["status"])
        audit(actor, rule.verb, order, before={"status": before}, after={"status": order.status, "reason": reason})
    else:
        audit(actor, "acquisitions.order.cancel", order, after={"reason": reason, "released": str(released)})
        _sync(order, actor=actor)
    return order


@action(
    "acquisitions.order.cancel_line",
    permission="acquisitions.place_order",
    label=_("Copies cancelled on an order"),
    labels={"acquisitions.order.receive": _("Order received"), "acquisitions.order.cancel": _("Order cancelled")},
)
def cancel_order_line(*, actor, line: OrderLine, reason: str, copies=None) -> OrderLine:
    """Cancel copies still to come on one line of a sent order (all of them unless ``copies`` says how
    many), releasing their money on the fund; the order closes when nothing else is to come."""
    order = _locked_order(line.order)
    _require_open(order)
    reason = _text(reason, field="reason", label=_("Reason"), max_length=300, required=True)
    line = OrderLine.objects.select_for_update().select_related("record").get(pk=line.pk)
    if not line.outstanding:
        raise errors.NothingToCancel(title=line.record.title)
    count = line.outstanding if copies in (None, "") else _count(copies, field="copies", label=_("Copies"))
    if count > line.outstanding:
        raise errors.TooManyCopies(field="copies", title=line.record.title, count=count, outstanding=line.outstanding)
    line.cancelled += count
    line.cancelled_reason = reason
    line.save(update_fields=["cancelled", "cancelled_reason"])
    audit(
        actor,
        "acquisitions.order.cancel_line",
        order,
        after={"line": line.pk, "copies": count, "reason": reason, "released": str(count * line.price)},
    )
    _sync(order, actor=actor)
    return line


@action("acquisitions.order.claim", permission="acquisitions.place_order", label=_("Late order claimed"))
def claim_order(*, actor, order: Order, note: str = "", now=None) -> Claim:
    """Claim a late order from its vendor (the claim letter): counts the claim and dates it."""
    order = _locked_order(order)
    _require_open(order)
    now = now or timezone.now()
    if order.expected_by is None or order.expected_by >= timezone.localdate(now):
        raise errors.OrderNotLate(number=order.number, date=order.expected_by.isoformat() if order.expected_by else "—")
    note = _text(note, field="note", label=_("Note"), max_length=300)
    order.claim_count += 1
    order.last_claimed_at = now
    order.save(update_fields=["claim_count", "last_claimed_at"])
    claim = Claim.objects.create(
        order=order, number=order.claim_count, claimed_at=now, claimed_by=acting_user(actor), note=note
    )
    audit(actor, "acquisitions.order.claim", order, after={"claim": claim.number, "note": note})
    return claim


# --- Receiving -----------------------------------------------------------------------------------


def _auto_barcodes(count: int, taken: set[str]) -> list[str]:
    """``count`` free barcodes after the highest ``B000123``-style one in use."""
    from pustaka.holdings.models import Item

    width = len(AUTO_PREFIX) + AUTO_WIDTH
    highest = 0
    for barcode in (
        Item.objects.filter(barcode__startswith=AUTO_PREFIX).order_by("-barcode").values_list("barcode", flat=True)[:50]
    ):
        digits = barcode[len(AUTO_PREFIX) :]
        if len(barcode) == width and digits.isdigit():
            highest = max(highest, int(digits))
    codes, number = [], highest
    while len(codes) < count:
        number += 1
        code = f"{AUTO_PREFIX}{number:0{AUTO_WIDTH}d}"
        if code not in taken:
            codes.append(code)
    return codes


@action(
    "acquisitions.order.receive",
    permission="acquisitions.receive_order",
    label=_("Order received"),
    labels={"acquisitions.delivery.receive": _("Delivery received")},
)
def receive_delivery(
    *, actor, order: Order, barcodes: dict | None = None, counts: dict | None = None, note: str = "", now=None
) -> Delivery:
    """Receive a delivery of ``order``: for each line, the barcodes scanned on its copies
    (``barcodes={line_id: ["B1", ...]}``) and/or a number of copies ticked whose barcodes are made
    (``counts={line_id: 2}``). Each copy is created ``received`` with its accession number (a
    purchase from the vendor at the line's price) and the whole delivery goes to processing in one
    batch. All or nothing: a barcode already in use, an unknown line or more copies than are still
    to come refuses the delivery and writes nothing."""
    from pustaka.holdings.actions import clean_barcode, create_item
    from pustaka.holdings.choices import ItemStatus
    from pustaka.holdings.errors import BarcodeTaken
    from pustaka.holdings.lookups import barcode_taken
    from pustaka.technical.actions.processing import TICK_PERM, start_processing

    order = _locked_order(order)
    _require_open(order)
    note = _text(note, field="note", label=_("Delivery note"), max_length=200)
    lines = {line.pk: line for line in order.lines.select_for_update().select_related("record", "branch", "item_type")}
    wanted: dict[int, list[str]] = {}
    seen: set[str] = set()
    for key, codes in (barcodes or {}).items():
        line = lines.get(_line_key(key, order))
        if line is None:
            raise errors.LineNotInOrder(field="barcodes", number=order.number)
        for raw in codes or []:
            if not str(raw).strip():
                continue
            code = clean_barcode(str(raw))
            if code.lower() in seen or barcode_taken(code):
                raise BarcodeTaken(field="barcodes", barcode=code)
            seen.add(code.lower())
            wanted.setdefault(line.pk, []).append(code)
    ticked: dict[int, int] = {}
    for key, count in (counts or {}).items():
        line = lines.get(_line_key(key, order))
        if line is None:
            raise errors.LineNotInOrder(field="counts", number=order.number)
        if count in (None, "", 0, "0"):
            continue
        ticked[line.pk] = _count(count, field="counts", label=_("Copies"))
    total = 0
    for pk, line in lines.items():
        count = len(wanted.get(pk, [])) + ticked.get(pk, 0)
        if count > line.outstanding:
            raise errors.TooManyCopies(
                field="barcodes", title=line.record.title, count=count, outstanding=line.outstanding
            )
        total += count
    if not total:
        raise errors.NothingToReceive(field="barcodes")
    made = iter(_auto_barcodes(sum(ticked.values()), seen))
    now = now or timezone.now()
    delivery = Delivery.objects.create(order=order, received_at=now, received_by=acting_user(actor), note=note)
    items = []
    maker = actor if has(actor, "holdings.add_copy") else None  # the receiver may not add copies by hand
    for pk, line in lines.items():
        codes = wanted.get(pk, []) + [next(made) for _ in range(ticked.get(pk, 0))]
        for code in codes:
            item = create_item(
                record=line.record,
                barcode=code,
                branch=line.branch,
                item_type=line.item_type,
                price=line.price,
                acquired_on=timezone.localdate(now),
                status=ItemStatus.RECEIVED,
                acquisition_source="purchase",
                supplier=order.vendor.name[:200],
                staff_note=str(_("Order %(number)s") % {"number": order.number}),
                actor=maker,
            )
            ReceivedCopy.objects.create(delivery=delivery, line=line, item=item, barcode=item.barcode)
            items.append(item)
        if codes:
            line.received += len(codes)
            line.save(update_fields=["received"])
    processor = actor if has(actor, TICK_PERM) else None
    waiting = []
    for item in items:  # one batch, through the processing workflow's own action
        if item.effective_call_number.strip():
            start_processing(item=item, actor=processor)
        else:
            waiting.append(item.barcode)  # no call number yet: the cataloguer's queue
    audit(
        actor,
        "acquisitions.delivery.receive",
        order,
        after={"delivery": delivery.pk, "barcodes": [i.barcode for i in items], "waiting_for_call_number": waiting},
    )
    _sync(order, actor=actor)
    delivery.waiting_for_call_number = waiting
    return delivery


def _line_key(key, order: Order) -> int:
    try:
        return int(key)
    except (TypeError, ValueError):
        raise errors.LineNotInOrder(field="barcodes", number=order.number) from None


# --- Invoices ------------------------------------------------------------------------------------


@action("acquisitions.invoice.record", permission="acquisitions.record_invoice", label=_("Invoice recorded"))
def record_invoice(*, actor, vendor: Vendor, number: str, date, amount, lines: list | None = None) -> Invoice:
    """Record a vendor's invoice: its number (once per vendor), date, amount and, for each order line
    it charges, the copies and amount (``lines=[(line, copies, amount), ...]``, lines of the vendor's
    orders only)."""
    number = _text(number, field="number", label=_("Invoice number"), max_length=60, required=True)
    if not isinstance(date, datetime.date):
        raise errors.AcquisitionInvalid(_("Invoice date: give a date."), field="date")
    amount = _amount(amount, field="amount", label=_("Amount"))
    if Invoice.objects.filter(vendor=vendor, number__iexact=number).exists():
        raise errors.InvoiceTaken(field="number", number=number, vendor=vendor.name)
    checked = []
    for line, copies, line_amount in lines or []:
        if line.order.vendor_id != vendor.pk:
            raise errors.AcquisitionInvalid(
                _("An invoice of %(vendor)s can only charge that vendor's orders."), field="lines", vendor=vendor.name
            )
        copies = _count(copies, field="lines", label=_("Copies"), at_most=line.copies)
        checked.append((line, copies, _amount(line_amount, field="lines", label=_("Amount"))))
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                vendor=vendor, number=number, date=date, amount=amount, created_by=acting_user(actor)
            )
    except IntegrityError:
        raise errors.InvoiceTaken(field="number", number=number, vendor=vendor.name) from None
    InvoiceLine.objects.bulk_create(
        InvoiceLine(invoice=invoice, line=line, copies=copies, amount=value) for line, copies, value in checked
    )
    audit(
        actor,
        "acquisitions.invoice.record",
        invoice,
        after={"vendor": vendor.name, "number": number, "amount": str(amount), "lines": len(checked)},
    )
    return invoice


@action("acquisitions.invoice.pay", permission="acquisitions.record_invoice", label=_("Invoice paid"))
def mark_invoice_paid(*, actor, invoice: Invoice, paid_on=None) -> Invoice:
    """Record that an invoice was paid (today unless ``paid_on`` says when)."""
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.paid_on is not None:
        raise errors.InvoiceAlreadyPaid(number=locked.number)
    if paid_on is not None and not isinstance(paid_on, datetime.date):
        raise errors.AcquisitionInvalid(_("Paid on: give a date."), field="paid_on")
    locked.paid_on = paid_on or timezone.localdate()
    locked.save(update_fields=["paid_on"])
    audit(actor, "acquisitions.invoice.pay", locked, after={"paid_on": locked.paid_on.isoformat()})
    return locked


# --- Purchase suggestions ------------------------------------------------------------------------


@action("acquisitions.suggestion.create", permission=None, label=_("Purchase suggested"))
def suggest_purchase(*, actor, title: str, author: str = "", isbn: str = "", reason: str = "", now=None) -> Suggestion:
    """A patron suggests a title for the library to buy, from their account. Permission checked inside:
    only a patron with an active card, for their own account (staff are refused: they order directly)."""
    from pustaka.catalog.identifiers import normalise_isbn
    from pustaka.patrons.queries import patron_of

    if actor is None or not actor.is_authenticated or is_staff_member(actor):
        raise PermissionDenied()
    patron = patron_of(actor)
    if patron is None:
        raise errors.NoPatronRecord()
    title = _text(title, field="title", label=_("Title"), max_length=300, required=True)
    author = _text(author, field="author", label=_("Author"), max_length=200)
    reason = _text(reason, field="reason", label=_("Reason"), max_length=500)
    isbn = _text(isbn, field="isbn", label=_("ISBN"), max_length=17)
    if isbn:
        isbn = normalise_isbn(isbn)
    suggestion = Suggestion.objects.create(
        patron=patron, title=title, author=author, isbn=isbn, reason=reason, created_at=now or timezone.now()
    )
    audit(actor, "acquisitions.suggestion.create", suggestion, after={"title": title, "isbn": isbn})
    return suggestion


def _pending(suggestion: Suggestion) -> Suggestion:
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != SuggestionStatus.PENDING:
        raise errors.SuggestionReviewed(status=SuggestionStatus(locked.status).label)
    return locked


@action(
    "acquisitions.suggestion.accept",
    permission="acquisitions.review_suggestions",
    label=_("Suggestion accepted"),
    labels={"acquisitions.order.add_line": _("Title added to an order")},
)
def accept_suggestion(
    *, actor, suggestion: Suggestion, order: Order, fund: Fund, price, branch, item_type, copies=1, record=None
) -> OrderLine:
    """Accept a patron's suggestion: it becomes a line of the draft ``order``. The title is ``record``,
    or the catalogue's record with the suggestion's ISBN, or a brief new record made from it."""
    from pustaka.catalog.actions import create_record
    from pustaka.catalog.models import Record

    locked = _pending(suggestion)
    if record is None and locked.isbn:
        record = Record.objects.filter(isbn=locked.isbn).order_by("pk").first()
    if record is None:
        data = {"title": locked.title, "isbn": locked.isbn}
        if locked.author:
            data["contributors"] = [{"name": locked.author, "role": "author"}]
        record = create_record(actor=actor if has(actor, "catalog.catalogue") else None, **data)
    line = add_order_line(
        actor=actor,
        order=order,
        record=record,
        copies=copies,
        branch=branch,
        item_type=item_type,
        price=price,
        fund=fund,
    )
    before = locked.status
    rule = SUGGESTIONS.move(locked, to=SuggestionStatus.ACCEPTED, actor=actor)
    locked.reviewed_at, locked.reviewed_by, locked.order_line = timezone.now(), acting_user(actor), line
    locked.save(update_fields=["status", "reviewed_at", "reviewed_by", "order_line"])
    audit(actor, rule.verb, locked, before={"status": before}, after={"status": locked.status, "order": order.number})
    suggestion.status, suggestion.order_line = locked.status, line
    return line


@action("acquisitions.suggestion.reject", permission="acquisitions.review_suggestions", label=_("Suggestion rejected"))
def reject_suggestion(*, actor, suggestion: Suggestion, reason: str) -> Suggestion:
    """Reject a patron's suggestion with a reason the patron reads in their account."""
    reason = _text(reason, field="reason", label=_("Reason"), max_length=300, required=True)
    locked = _pending(suggestion)
    before = locked.status
    rule = SUGGESTIONS.move(locked, to=SuggestionStatus.REJECTED, actor=actor)
    locked.rejection_reason, locked.reviewed_at, locked.reviewed_by = reason, timezone.now(), acting_user(actor)
    locked.save(update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by"])
    audit(actor, rule.verb, locked, before={"status": before}, after={"status": locked.status, "reason": reason})
    suggestion.status, suggestion.rejection_reason = locked.status, reason
    return locked
