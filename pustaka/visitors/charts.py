"""A bar chart of counts as plain SVG geometry (no JavaScript, no CDN): the template draws the bars."""

import math


def bars(rows: list[tuple[str, int]], *, width: int = 640, height: int = 180, left: int = 36) -> dict:
    """Geometry for ``rows`` of ``(label, value)``: bars, labels, gridlines with rounded values."""
    top, bottom = 8, 22
    plot_h = height - top - bottom
    biggest = max((value for _label, value in rows), default=0)
    step = _nice_step(biggest)
    ceiling = max(step * math.ceil(biggest / step), step) if biggest else 1
    slot = (width - left) / max(len(rows), 1)
    bar_w = max(slot * 0.7, 2)
    result = []
    for index, (label, value) in enumerate(rows):
        h = round(plot_h * value / ceiling, 1)
        x = round(left + index * slot + (slot - bar_w) / 2, 1)
        result.append(
            {
                "label": label,
                "value": value,
                "x": x,
                "y": round(top + plot_h - h, 1),
                "w": round(bar_w, 1),
                "h": h,
                "tx": round(x + bar_w / 2, 1),
            }
        )
    ticks = []
    if biggest:
        value = 0
        while value <= ceiling:
            ticks.append({"value": value, "y": round(top + plot_h - plot_h * value / ceiling, 1)})
            value += step
    return {"width": width, "height": height, "left": left, "bars": result, "ticks": ticks, "label_y": height - 6}


def _nice_step(biggest: int) -> int:
    if biggest <= 0:
        return 1
    raw = biggest / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return max(int(factor * magnitude), 1)
    return int(10 * magnitude)
