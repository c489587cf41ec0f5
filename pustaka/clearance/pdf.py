"""The clearance letter as a one-page A4 PDF: the library's letterhead (name, branch, address), the
number, who is cleared and for what, validity, the signatory, and a QR code of the public
verification address. Written in the patron's language (Indonesian unless they chose English)."""

import io

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pustaka.core.queries import library_name
from pustaka.printing.sheets import FONT, FONT_BOLD, fit

from .models import ClearanceLetter, ClearanceSettings

LEFT = 25 * mm
RIGHT = A4[0] - 25 * mm
QR_SIZE = 32 * mm


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(value, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def render_letter(letter: ClearanceLetter, *, verify_url: str) -> bytes:
    """The letter's PDF; ``verify_url`` is the absolute address of its verification page (in the QR)."""
    language = letter.patron.language if letter.patron.language in ("id", "en") else "id"
    with translation.override(language):
        return _render(letter, verify_url)


def _render(letter: ClearanceLetter, verify_url: str) -> bytes:
    rules = ClearanceSettings.current()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"{_('Clearance letter')} {letter.number}")
    canvas.setAuthor(library_name())
    width = RIGHT - LEFT
    y = A4[1] - 25 * mm

    # Letterhead
    name = library_name().upper()
    size = fit(name, FONT_BOLD, 18, width)
    canvas.setFont(FONT_BOLD, size)
    canvas.drawCentredString(A4[0] / 2, y, name)
    y -= 6.5 * mm
    canvas.setFont(FONT_BOLD, 12)
    canvas.drawCentredString(A4[0] / 2, y, letter.branch.name)
    canvas.setFont(FONT, 9.5)
    contact = [" ".join(letter.branch.address.split())]
    contact.append(" · ".join(part for part in (letter.branch.phone, letter.branch.email) if part))
    for line in filter(None, contact):
        y -= 4.8 * mm
        canvas.drawCentredString(A4[0] / 2, y, line[:140])
    y -= 4 * mm
    canvas.setLineWidth(1.6)
    canvas.line(LEFT, y, RIGHT, y)
    canvas.setLineWidth(0.5)
    canvas.line(LEFT, y - 1.2 * mm, RIGHT, y - 1.2 * mm)

    # Title and number
    y -= 14 * mm
    canvas.setFont(FONT_BOLD, 14)
    title = _("CLEARANCE LETTER")
    canvas.drawCentredString(A4[0] / 2, y, title)
    canvas.line(
        A4[0] / 2 - stringWidth(title, FONT_BOLD, 14) / 2,
        y - 1.5,
        A4[0] / 2 + stringWidth(title, FONT_BOLD, 14) / 2,
        y - 1.5,
    )
    y -= 6 * mm
    canvas.setFont(FONT, 11)
    canvas.drawCentredString(A4[0] / 2, y, _("Number: %(number)s") % {"number": letter.number})

    # Body
    y -= 14 * mm
    canvas.setFont(FONT, 11)
    signatory_title = rules.signatory_title or _("Head of the library")
    # The library's name heads the letter; the opening names the signatory's office only.
    opening = _("The undersigned, %(title)s, declares that:") % {"title": signatory_title}
    for line in _wrap(opening, FONT, 11, width):
        canvas.drawString(LEFT, y, line)
        y -= 6 * mm
    y -= 2 * mm
    patron = letter.patron
    rows = [
        (_("Name"), letter.patron_name),
        (_("Member card"), patron.card_number),
        (_("Category"), patron.category.name),
    ]
    for label, value in rows:
        canvas.setFont(FONT, 11)
        canvas.drawString(LEFT + 8 * mm, y, label)
        canvas.drawString(LEFT + 45 * mm, y, f": {value}")
        y -= 6.5 * mm
    y -= 2 * mm
    statement = _(
        "has returned every item borrowed, owes no fines or charges and has no pending reservations at the "
        "library, and is therefore cleared (bebas pustaka)."
    )
    purpose = letter.get_purpose_display()
    if letter.purpose_note:
        purpose = f"{purpose} ({letter.purpose_note})"
    closing = _("This letter is issued for the purpose of: %(purpose)s.") % {"purpose": purpose}
    for paragraph in (statement, closing):
        for line in _wrap(paragraph, FONT, 11, width):
            canvas.drawString(LEFT, y, line)
            y -= 6 * mm
        y -= 3 * mm
    if letter.valid_until:
        canvas.drawString(LEFT, y, _("Valid until %(date)s.") % {"date": date_format(letter.valid_until, "j F Y")})
        y -= 6 * mm

    # Place, date, signatory
    y -= 10 * mm
    sign_x = A4[0] / 2 + 20 * mm
    canvas.drawString(sign_x, y, date_format(timezone.localtime(letter.issued_at).date(), "j F Y"))
    y -= 6 * mm
    canvas.drawString(sign_x, y, signatory_title)
    top_of_signature = y
    y -= 24 * mm
    canvas.setFont(FONT_BOLD, 11)
    canvas.drawString(sign_x, y, rules.signatory_name or "(.................................)")

    # QR code of the verification page
    qr_y = top_of_signature - QR_SIZE + 4 * mm
    _qr(canvas, verify_url, LEFT, qr_y, QR_SIZE)
    canvas.setFont(FONT, 8.5)
    text_x = LEFT + QR_SIZE + 3 * mm
    canvas.drawString(text_x, qr_y + QR_SIZE - 8 * mm, _("Check this letter:"))
    canvas.drawString(text_x, qr_y + QR_SIZE - 12 * mm, _("scan the code or open"))
    canvas.setFont(FONT, 7)
    for index, line in enumerate(_chunks(verify_url, 34)):
        canvas.drawString(text_x, qr_y + QR_SIZE - (16 + index * 3.5) * mm, line)
    canvas.setFont(FONT, 8)
    canvas.drawString(LEFT, 18 * mm, _("Verification code: %(code)s") % {"code": letter.code})
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
