"""Printable patron cards (kartu anggota) as PDF: ID-1 cards (85.6 × 54 mm), ten to an A4 sheet.

The sheet is drawn like the item labels' (:mod:`pustaka.printing.sheets`); the Code 128 barcode of the
card number is drawn bar by bar (:func:`pustaka.printing.barcodes.draw_code128`), so it scans at the
desk and at self-check.
"""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .barcodes import code128_modules, draw_code128
from .sheets import FONT, FONT_BOLD, SheetLayout, fit, render_sheet

__all__ = ["CARD_LAYOUT", "MAX_CARDS", "PatronCard", "code128_modules", "render_cards"]

CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 53.98 * mm
GAP = 4 * mm
MAX_CARDS = 500  # one print job

#: Ten ID-1 cards on an A4 sheet, two columns by five rows, with cutting outlines.
CARD_LAYOUT = SheetLayout(
    key="a4-id1-2x5",
    name="A4, 2 × 5 ID-1 cards (85.6 × 54 mm)",
    page_size=A4,
    columns=2,
    rows=5,
    label_width=CARD_WIDTH,
    label_height=CARD_HEIGHT,
    margin_top=(A4[1] - 5 * CARD_HEIGHT - 4 * GAP) / 2,
    margin_left=(A4[0] - 2 * CARD_WIDTH - GAP) / 2,
    gap_x=GAP,
    gap_y=GAP,
    padding=3.5 * mm,
)


@dataclass
class PatronCard:
    """One card: the library's name, the patron's name, category, home branch, expiry and barcode."""

    card_number: str
    name: str
    category: str
    branch: str
    expires: str
    library: str = ""
    title: str = ""

    @classmethod
    def for_patron(cls, patron, *, library: str = "") -> "PatronCard":
        return cls(
            card_number=patron.card_number,
            name=patron.full_name,
            category=patron.category.name,
            branch=patron.home_branch.name,
            expires=date_format(patron.expires_on, "SHORT_DATE_FORMAT"),
            library=library,
            title=_("Library card"),
        )

    def draw(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        top = y + height
        # The band at the top: the library and what the card is.
        band = 9 * mm
        canvas.setFillColorRGB(0.11, 0.32, 0.45)
        canvas.rect(x - 3.5 * mm, top - band + 3.5 * mm, width + 7 * mm, band, stroke=0, fill=1)
        canvas.setFillGray(1)
        heading = self.library or "Pustaka"
        size = fit(heading, FONT_BOLD, 10, width * 0.62)
        canvas.setFont(FONT_BOLD, size)
        canvas.drawString(x, top - size + 1, heading)
        canvas.setFont(FONT, 7)
        canvas.drawRightString(x + width, top - 7, self.title)
        canvas.setFillGray(0)
        # The patron.
        line = top - band + 1 * mm
        size = fit(self.name, FONT_BOLD, 12, width)
        canvas.setFont(FONT_BOLD, size)
        line -= size
        canvas.drawString(x, line, self.name)
        canvas.setFont(FONT, 7.5)
        for text in (
            f"{self.category} · {self.branch}",
            _("Valid until %(date)s") % {"date": self.expires},
        ):
            line -= 9
            canvas.setFont(FONT, fit(text, FONT, 7.5, width))
            canvas.drawString(x, line, text)
        # The barcode and the card number under it.
        number_size = 9
        canvas.setFont(FONT_BOLD, number_size)
        canvas.drawCentredString(x + width / 2, y, self.card_number)
        bar_bottom = y + number_size + 1
        bar_height = max(6 * mm, min(12 * mm, line - 3 - bar_bottom))
        draw_code128(canvas, self.card_number, x, bar_bottom, width, bar_height)


def render_cards(patrons, *, library: str = "", start_position: int = 0, compress: bool = True) -> bytes:
    """The PDF of the cards of ``patrons`` (with ``category`` and ``home_branch`` loaded), ten a sheet."""
    cards = [PatronCard.for_patron(patron, library=library) for patron in patrons]
    return render_sheet(
        cards,
        layout=CARD_LAYOUT,
        start_position=start_position,
        title=_("Library cards"),
        compress=compress,
        outline=True,
    )
