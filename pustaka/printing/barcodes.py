"""Barcodes drawn with reportlab: Code 128 (copies and cards) and Code 39 (older scanners)."""

from reportlab.graphics.barcode import code39, code128
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

CODE39_CHARS = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%")


def widget(value: str, *, symbology: str = "code128", bar_height: float, bar_width: float):
    """The reportlab barcode widget for ``value`` (``drawOn(canvas, x, y)``; ``width`` says how wide it is)."""
    if symbology == "code39":
        return code39.Standard39(value, barHeight=bar_height, barWidth=bar_width, checksum=0, stop=1, quiet=1)
    return code128.Code128(value, barHeight=bar_height, barWidth=bar_width, quiet=1)


def code128_modules(value: str) -> str:
    """The bars of ``value`` in Code 128 as a string of ``1`` (bar) and ``0`` (space) modules.

    reportlab spells each symbol as widths: capital letters are bars, small letters spaces, A or a
    one module wide, B or b two, and so on."""
    symbol = code128.Code128(value, quiet=0)
    symbol.validate()
    symbol.encode()
    return "".join(
        ("1" if width.isupper() else "0") * (ord(width.lower()) - ord("a") + 1) for width in symbol.decompose()
    )


def draw_code128(canvas: Canvas, value: str, x: float, y: float, width: float, height: float) -> float:
    """Draw ``value`` as a Code 128 barcode centred in the box, bar by bar; returns the width used."""
    modules = code128_modules(value)
    quiet = 10  # modules of white space each side, as scanners want
    module = min(width / (len(modules) + 2 * quiet), 0.6 * mm)
    used = len(modules) * module
    left = x + (width - used) / 2
    canvas.setFillGray(0)
    run_start = None
    for index, bit in enumerate(modules + "0"):
        if bit == "1" and run_start is None:
            run_start = index
        elif bit == "0" and run_start is not None:
            canvas.rect(left + run_start * module, y, (index - run_start) * module, height, stroke=0, fill=1)
            run_start = None
    return used
