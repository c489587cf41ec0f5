"""Sheets of labels or cards as PDF: a sheet layout is data, a label anything that draws itself.

A layout (:class:`SheetLayout`: page size, columns, rows, margins, gaps, label size) says where each
label goes; a label is anything with ``draw(canvas, x, y, width, height)``. :func:`render_sheet` places
the labels left to right, top to bottom, from any position (to use up a partly used sheet).
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"


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


def fit(text: str, font: str, size: float, width: float, smallest: float = 5) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width``."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


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
