"""The order (surat pesanan) and the claim letter (surat tagihan) as A4 PDFs: the library's letterhead
as on clearance letters (name, branch, address, rules), the vendor, the lines with their prices and
total, and the signature place. Written in the library's language (Indonesian unless asked)."""

import io

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pustaka.core.models import Branch
from pustaka.core.numbers import format_amount, format_number
from pustaka.core.queries import library_name
from pustaka.printing.sheets import FONT, FONT_BOLD, fit

from . import queries
from .models import Claim, Order

LEFT = 20 * mm
RIGHT = A4[0] - 20 * mm


def _clip(text: str, font: str, size: float, width: float) -> str:
    text = " ".join(str(text).split())
    while text and stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text


def _letterhead(canvas: Canvas, branch: Branch | None) -> float:
    """The library's letterhead (as on clearance letters); returns the height below it."""
    width = RIGHT - LEFT
    y = A4[1] - 20 * mm
    name = library_name().upper()
    canvas.setFont(FONT_BOLD, fit(name, FONT_BOLD, 17, width))
    canvas.drawCentredString(A4[0] / 2, y, name)
    if branch is not None:
        y -= 6.5 * mm
        canvas.setFont(FONT_BOLD, 12)
        canvas.drawCentredString(A4[0] / 2, y, branch.name)
        canvas.setFont(FONT, 9.5)
        contact = [" ".join(branch.address.split()), " · ".join(p for p in (branch.phone, branch.email) if p)]
        for line in filter(None, contact):
            y -= 4.8 * mm
            canvas.drawCentredString(A4[0] / 2, y, line[:140])
    y -= 4 * mm
    canvas.setLineWidth(1.6)
    canvas.line(LEFT, y, RIGHT, y)
    canvas.setLineWidth(0.5)
    canvas.line(LEFT, y - 1.2 * mm, RIGHT, y - 1.2 * mm)
    return y - 12 * mm


def _branch(order: Order) -> Branch | None:
    line = order.lines.select_related("branch").order_by("id").first()
    return line.branch if line else Branch.objects.order_by("pk").first()


def _title(canvas: Canvas, y: float, title: str, number: str) -> float:
    canvas.setFont(FONT_BOLD, 14)
    canvas.drawCentredString(A4[0] / 2, y, title)
    y -= 6 * mm
    canvas.setFont(FONT, 11)
    canvas.drawCentredString(A4[0] / 2, y, _("Number: %(number)s") % {"number": number})
    return y - 12 * mm


def _vendor(canvas: Canvas, y: float, order: Order, day) -> float:
    canvas.setFont(FONT, 10.5)
    canvas.drawRightString(RIGHT, y, date_format(day, "j F Y"))
    canvas.drawString(LEFT, y, _("To:"))
    y -= 5.5 * mm
    canvas.setFont(FONT_BOLD, 10.5)
    canvas.drawString(LEFT, y, order.vendor.name)
    canvas.setFont(FONT, 10)
    for line in [order.vendor.contact_name, *order.vendor.address.splitlines()]:
        if line.strip():
            y -= 5 * mm
            canvas.drawString(LEFT, y, line.strip()[:100])
    return y - 10 * mm


def _lines_table(canvas: Canvas, y: float, lines, *, outstanding: bool) -> float:
    columns = [(LEFT, _("No.")), (LEFT + 10 * mm, _("Title")), (LEFT + 105 * mm, _("ISBN")),
               (LEFT + 135 * mm, _("Copies")), (RIGHT, _("Price"))]  # fmt: skip
    canvas.setFont(FONT_BOLD, 9.5)
    for x, label in columns[:-1]:
        canvas.drawString(x, y, label)
    canvas.drawRightString(RIGHT, y, columns[-1][1])
    y -= 2 * mm
    canvas.line(LEFT, y, RIGHT, y)
    canvas.setFont(FONT, 9.5)
    total = 0
    for number, line in enumerate(lines, start=1):
        copies = line.outstanding if outstanding else line.copies - line.cancelled
        if not copies:
            continue
        y -= 5.5 * mm
        if y < 40 * mm:
            canvas.showPage()
            canvas.setFont(FONT, 9.5)
            y = A4[1] - 25 * mm
        record = line.record
        title = record.title + (f" / {record.main_contributor}" if record.main_contributor else "")
        canvas.drawString(LEFT, y, str(number))
        canvas.drawString(LEFT + 10 * mm, y, _clip(title, FONT, 9.5, 93 * mm))
        canvas.drawString(LEFT + 105 * mm, y, record.isbn or "—")
        canvas.drawString(LEFT + 135 * mm, y, f"{format_number(copies)} × {format_amount(line.price)}")
        canvas.drawRightString(RIGHT, y, format_amount(line.price * copies))
        total += line.price * copies
    y -= 2.5 * mm
    canvas.line(LEFT, y, RIGHT, y)
    y -= 5.5 * mm
    canvas.setFont(FONT_BOLD, 10)
    canvas.drawString(LEFT + 105 * mm, y, _("Total"))
    canvas.drawRightString(RIGHT, y, format_amount(total))
    return y - 10 * mm


def _paragraphs(canvas: Canvas, y: float, texts) -> float:
    canvas.setFont(FONT, 10.5)
    width = RIGHT - LEFT
    for text in texts:
        line = ""
        for word in text.split():
            candidate = f"{line} {word}".strip()
            if line and stringWidth(candidate, FONT, 10.5) > width:
                canvas.drawString(LEFT, y, line)
                y -= 5.5 * mm
                line = word
            else:
                line = candidate
        if line:
            canvas.drawString(LEFT, y, line)
            y -= 8 * mm
    return y


def _signature(canvas: Canvas, y: float, order: Order) -> None:
    x = A4[0] / 2 + 25 * mm
    y = max(y - 4 * mm, 50 * mm)
    canvas.setFont(FONT, 10.5)
    canvas.drawString(x, y, _("The librarian,"))
    y -= 22 * mm
    who = order.created_by.get_full_name() if order.created_by else ""
    canvas.setFont(FONT_BOLD, 10.5)
    canvas.drawString(x, y, who or "(.................................)")


def render_order(order: Order, *, language: str = "id") -> bytes:
    """The order to send to the vendor: letterhead, number, vendor, lines, total, delivery date."""
    with translation.override(language or "id"):
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4)
        canvas.setTitle(f"{_('Purchase order')} {order.number}")
        canvas.setAuthor(library_name())
        y = _letterhead(canvas, _branch(order))
        y = _title(canvas, y, _("PURCHASE ORDER"), order.number)
        y = _vendor(canvas, y, order, timezone.localtime(order.sent_at or order.created_at).date())
        y = _paragraphs(canvas, y, [_("Please supply the following titles:")])
        y = _lines_table(canvas, y, queries.order_lines(order), outstanding=False)
        texts = []
        if order.expected_by:
            texts.append(_("Please deliver by %(date)s.") % {"date": date_format(order.expected_by, "j F Y")})
        if order.note:
            texts.append(order.note)
        texts.append(_("Please quote the order number on the delivery note and the invoice."))
        y = _paragraphs(canvas, y, texts)
        _signature(canvas, y, order)
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()


def render_claim(claim: Claim, *, language: str = "id") -> bytes:
    """The claim letter for a late order: which order, when it was due, what is still to come."""
    order = claim.order
    with translation.override(language or "id"):
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4)
        canvas.setTitle(f"{_('Claim')} {order.number}")
        canvas.setAuthor(library_name())
        y = _letterhead(canvas, _branch(order))
        y = _title(canvas, y, _("CLAIM FOR A LATE ORDER"), f"{order.number}/{claim.number}")
        y = _vendor(canvas, y, order, timezone.localtime(claim.claimed_at).date())
        sent = date_format(timezone.localtime(order.sent_at).date(), "j F Y") if order.sent_at else "—"
        due = date_format(order.expected_by, "j F Y") if order.expected_by else "—"
        opening = _(
            "Our order %(number)s of %(sent)s was due by %(due)s. The following copies have not arrived yet; "
            "please send them or tell us when they will come (claim number %(claim)s)."
        ) % {"number": order.number, "sent": sent, "due": due, "claim": claim.number}
        y = _paragraphs(canvas, y, [opening])
        y = _lines_table(canvas, y, queries.order_lines(order), outstanding=True)
        if claim.note:
            y = _paragraphs(canvas, y, [claim.note])
        _signature(canvas, y, order)
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()
