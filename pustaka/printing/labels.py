"""Item labels as PDF: spine labels (the call number) and barcode labels on common label stock.

pdf = render_sheet([SpineLabel.for_call_number("005.133 SUT p")], layout=LAYOUTS["a4-3x8"])
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pustaka.technical.errors.processing import NotPrintableInCode39, UnknownLabelLayout

from . import barcodes
from .sheets import FONT, FONT_BOLD, SheetLayout, fit, render_sheet

__all__ = [
    "DEFAULT_LAYOUT",
    "LABEL_KINDS",
    "LAYOUTS",
    "SYMBOLOGIES",
    "BarcodeLabel",
    "SpineLabel",
    "labels_for_items",
    "layout_named",
    "render_sheet",
    "spine_lines",
]

LAYOUTS: dict[str, SheetLayout] = {
    layout.key: layout
    for layout in [
        SheetLayout(
            key="a4-3x8",
            name=_("A4, 3 × 8 labels of 63.5 × 33.9 mm (Avery L7159)"),
            page_size=A4,
            columns=3,
            rows=8,
            label_width=63.5 * mm,
            label_height=33.9 * mm,
            margin_top=12.9 * mm,
            margin_left=7.25 * mm,
            gap_x=2.5 * mm,
        ),
        SheetLayout(
            key="a4-3x10",
            name=_("A4, 3 × 10 labels of 70 × 29.7 mm (no margins)"),
            page_size=A4,
            columns=3,
            rows=10,
            label_width=70 * mm,
            label_height=29.7 * mm,
            margin_top=0,
            margin_left=0,
        ),
        SheetLayout(
            key="letter-3x10",
            name=_("US Letter, 3 × 10 labels of 66.7 × 25.4 mm (Avery 5160)"),
            page_size=LETTER,
            columns=3,
            rows=10,
            label_width=66.7 * mm,
            label_height=25.4 * mm,
            margin_top=12.7 * mm,
            margin_left=4.8 * mm,
            gap_x=3.2 * mm,
        ),
    ]
}
DEFAULT_LAYOUT = "a4-3x8"


def layout_named(key: str) -> SheetLayout:
    """The layout with this key, or UnknownLabelLayout (400)."""
    try:
        return LAYOUTS[key]
    except KeyError:
        raise UnknownLabelLayout(field="layout", layout=key) from None


def spine_lines(call_number: str) -> list[str]:
    """A call number split as libraries print it on the spine: ``005.133 SUT p`` → 005.133 / SUT / p.

    A class number written with a space for reading (``899.221 3``) stays on one line.
    """
    lines: list[str] = []
    for part in (call_number or "").split():
        previous = lines[-1] if lines else ""
        if part.isdigit() and previous.replace(".", "").replace(" ", "").isdigit() and "." in previous:
            lines[-1] = f"{previous} {part}"
        else:
            lines.append(part)
    return lines


@dataclass
class SpineLabel:
    """A call-number label for the spine: one part per line, large and bold, with a small heading."""

    lines: list[str]
    heading: str = ""

    @classmethod
    def for_call_number(cls, call_number: str, heading: str = "") -> "SpineLabel":
        return cls(lines=spine_lines(call_number), heading=heading)

    def draw(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        lines = self.lines or ["—"]
        top = y + height
        if self.heading:
            size = fit(self.heading, FONT, 6, width)
            canvas.setFont(FONT, size)
            canvas.drawCentredString(x + width / 2, top - size, self.heading)
            top -= size + 2
        size = min(16.0, (top - y) / (len(lines) * 1.15))
        size = min(fit(line, FONT_BOLD, size, width) for line in lines)
        canvas.setFont(FONT_BOLD, size)
        block = len(lines) * size * 1.15
        baseline = y + (top - y + block) / 2 - size
        for line in lines:
            canvas.drawCentredString(x + width / 2, baseline, line)
            baseline -= size * 1.15


@dataclass
class BarcodeLabel:
    """A scannable barcode (Code 128 or Code 39) with its text, a short title and the library's name."""

    value: str
    caption: str = ""
    heading: str = ""
    symbology: str = "code128"

    def __post_init__(self):
        if self.symbology == "code39" and not set(self.value) <= barcodes.CODE39_CHARS:
            raise NotPrintableInCode39(field="symbology", barcode=self.value)

    def _widget(self, bar_height: float, bar_width: float):
        return barcodes.widget(self.value, symbology=self.symbology, bar_height=bar_height, bar_width=bar_width)

    def draw(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        top = y + height
        if self.heading:
            size = fit(self.heading, FONT_BOLD, 7, width)
            canvas.setFont(FONT_BOLD, size)
            canvas.drawCentredString(x + width / 2, top - size, self.heading)
            top -= size + 1.5
        bottom = y
        text_size = 8
        canvas.setFont(FONT, text_size)
        canvas.drawCentredString(x + width / 2, bottom, self.value)
        bottom += text_size + 1
        if self.caption:
            caption = self.caption
            size = 6.5
            while len(caption) > 4 and stringWidth(caption, FONT, size) > width:
                caption = caption[:-2].rstrip() + "…" if not caption.endswith("…") else caption[:-2] + "…"
            canvas.setFont(FONT, size)
            canvas.drawCentredString(x + width / 2, bottom, caption)
            bottom += size + 1.5
        bar_height = max(8.0, top - bottom - 1)
        unit = self._widget(bar_height, 1.0).width
        bar_width = max(0.5, min(1.5, width / unit))
        widget = self._widget(bar_height, bar_width)
        widget.drawOn(canvas, x + (width - widget.width) / 2, bottom)


LABEL_KINDS = {
    "spine": _("Spine labels (call number)"),
    "barcode": _("Barcode labels"),
    "both": _("Both, side by side"),
}
SYMBOLOGIES = {"code128": _("Code 128"), "code39": _("Code 39")}


def labels_for_items(items, *, kind: str = "spine", symbology: str = "code128", library_name: str = "") -> list:
    """Spine and/or barcode labels for items (with ``record`` loaded), in the order given."""
    labels = []
    for item in items:
        if kind in ("spine", "both"):
            labels.append(SpineLabel.for_call_number(item.effective_call_number, heading=library_name))
        if kind in ("barcode", "both"):
            title = item.record.title if item.record_id else ""
            labels.append(BarcodeLabel(item.barcode, caption=title[:60], heading=library_name, symbology=symbology))
    return labels
