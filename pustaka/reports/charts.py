"""Bar charts as server-rendered SVG (no script, no CDN): the geometry is computed here and drawn by
``templates/reports/_chart.html``."""

from .tables import Table

COLOURS = ("#2a7a5f", "#c07a1b", "#3b5b9a", "#c0392b")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 240, 48, 44, 10
MAX_GROUPS = 60  # more groups than this are drawn as the first 60 (the table has them all)


def bars(table: Table) -> dict | None:
    """The chart of ``table`` (None when it has no chart or no figures): grouped bars, one group per row."""
    chart = table.chart
    if chart is None or not table.rows:
        return None
    rows = table.rows[:MAX_GROUPS]
    labels = {c.key: c.label for c in table.columns}
    peak = max([row.get(key) or 0 for row in rows for key in chart.series] + [0])
    if peak <= 0:
        return None
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / len(rows)
    bar_w = max(1.5, slot * 0.8 / len(chart.series))
    every = max(1, round(len(rows) / 16))  # at most about 16 labels under the bars
    groups = []
    for n, row in enumerate(rows):
        x0 = LEFT + n * slot + slot * 0.1
        group = {"label": str(row.get(chart.label, ""))[:14], "show_label": n % every == 0,
                 "tx": round(LEFT + n * slot + slot / 2, 1), "bars": []}  # fmt: skip
        for s, key in enumerate(chart.series):
            value = row.get(key) or 0
            h = plot_h * value / peak
            group["bars"].append({
                "x": round(x0 + s * bar_w, 1), "y": round(HEIGHT - BOTTOM - h, 1), "w": round(bar_w * 0.92, 1),
                "h": round(h, 1), "value": value, "name": str(labels.get(key, key)), "colour": COLOURS[s % 4],
            })  # fmt: skip
        groups.append(group)
    ticks = [{"y": round(HEIGHT - BOTTOM - plot_h * v / peak, 1), "value": v} for v in sorted({0, peak // 2, peak})]
    legend = [{"name": str(labels.get(key, key)), "colour": COLOURS[s % 4]} for s, key in enumerate(chart.series)]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "base": HEIGHT - BOTTOM, "label_y": HEIGHT - BOTTOM + 14,
            "groups": groups, "ticks": ticks, "legend": legend, "title": str(chart.title),
            "more": len(table.rows) > MAX_GROUPS}  # fmt: skip
