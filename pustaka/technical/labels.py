"""Label sheets as PDF: spine labels, barcode labels (and later patron cards) on common label stock.

A sheet layout is data (:class:`SheetLayout`: page size, columns, rows, margins, gaps, label size);
a label is anything with ``draw(canvas, x, y, width, height)``. :func:`render_sheet` places the labels
left to right, top to bottom, starting at any position (to use up a partly used sheet).

    pdf = render_sheet([SpineLabel.for_call_number("005.133 SUT p")], layout=LAYOUTS["a4-3x8"])
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from reportlab.graphics.barcode import code39, code128
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .errors.processing import NotPrintableInCode39, UnknownLabelLayout

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
CODE39_CHARS = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%")


@dataclass(frozen=True)
class SheetLayout:
    """A sheet of label stock. Lengths in points (use ``mm``); labels fill the sheet row by row."""

    key: str
    name: str
    page_size: tuple[float, float]
    columns: int
    rows: int
    label_width: float
    label_height: float
    margin_top: float
    margin_left: float
    gap_x: float = 0.0  # between columns
    gap_y: float = 0.0  # between rows
    padding: float = 2 * mm  # inside each label

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin(self, position: int) -> tuple[float, float]:
        """Bottom-left corner of the label at ``position`` (0 = top left) on its page."""
        row, column = divmod(position % self.per_page, self.columns)
        x = self.margin_left + column * (self.label_width + self.gap_x)
        top = self.page_size[1] - self.margin_top - row * (self.label_height + self.gap_y)
        return x, top - self.label_height


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


def _fit(text: str, font: str, size: float, width: float, smallest: float = 5) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width``."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


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
            size = _fit(self.heading, FONT, 6, width)
            canvas.setFont(FONT, size)
            canvas.drawCentredString(x + width / 2, top - size, self.heading)
            top -= size + 2
        size = min(16.0, (top - y) / (len(lines) * 1.15))
        size = min(_fit(line, FONT_BOLD, size, width) for line in lines)
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
        if self.symbology == "code39" and not set(self.value) <= CODE39_CHARS:
            raise NotPrintableInCode39(field="symbology", barcode=self.value)

    def _widget(self, bar_height: float, bar_width: float):
        if self.symbology == "code39":
            return code39.Standard39(self.value, barHeight=bar_height, barWidth=bar_width, checksum=0, stop=1, quiet=1)
        return code128.Code128(self.value, barHeight=bar_height, barWidth=bar_width, quiet=1)

    def draw(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        top = y + height
        if self.heading:
            size = _fit(self.heading, FONT_BOLD, 7, width)
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


def render_sheet(
    labels: Iterable,
    *,
    layout: SheetLayout,
    start_position: int = 0,
    title: str = "",
    compress: bool = True,
    outline: bool = False,
) -> bytes:
    """The PDF of ``labels`` on sheets of ``layout``, from ``start_position`` (0 = top left) on.

    ``outline`` draws each label's edge (for checking a layout on plain paper); ``compress=False``
    keeps the page text readable in the file (tests look for it).
    """
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=layout.page_size, pageCompression=1 if compress else 0)
    canvas.setTitle(title or "Labels")
    canvas.setCreator("Pustaka")
    position = max(0, int(start_position)) % layout.per_page
    drawn_on_page = False
    for label in labels:
        if position and position % layout.per_page == 0 and drawn_on_page:
            canvas.showPage()
            drawn_on_page = False
        x, y = layout.origin(position)
        if outline:
            canvas.setLineWidth(0.25)
            canvas.rect(x, y, layout.label_width, layout.label_height)
        pad = layout.padding
        canvas.saveState()
        label.draw(canvas, x + pad, y + pad, layout.label_width - 2 * pad, layout.label_height - 2 * pad)
        canvas.restoreState()
        drawn_on_page = True
        position += 1
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


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
