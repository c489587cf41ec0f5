"""What a report is once computed: columns, rows, totals and an optional chart, shared by the page,
the API and the CSV and XLSX exports."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """One column: ``key`` in each row, ``label`` for people, ``kind`` for formatting.

    Kinds: ``text``, ``count`` (a whole number), ``number`` (whole or with decimals), ``amount``
    (rupiah), ``date``, ``percent``.
    """

    key: str
    label: object
    kind: str = "count"

    @property
    def numeric(self) -> bool:
        return self.kind in ("count", "number", "amount", "percent")


@dataclass(frozen=True)
class Chart:
    """Bars: one group per row (named by the ``label`` column), one bar per ``series`` column."""

    label: str
    series: tuple[str, ...]
    title: object = ""


@dataclass
class Table:
    """A computed report table. ``total_rows`` is set when ``rows`` holds only the first of them."""

    columns: list[Column]
    rows: list[dict]
    totals: dict | None = None
    chart: Chart | None = None
    total_rows: int | None = None
    caption: object = ""
    notes: list = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return self.total_rows is not None and self.total_rows > len(self.rows)

    def cells(self, row: dict) -> list:
        """The row's values in column order."""
        return [row.get(c.key) for c in self.columns]


def with_totals(columns: list[Column], rows: list[dict], label_key: str, label) -> dict:
    """A totals row: the sum of every count and amount column, ``label`` in ``label_key``."""
    totals = {label_key: label}
    for column in columns:
        if column.kind in ("count", "amount"):
            totals[column.key] = sum(row.get(column.key) or 0 for row in rows)
    return totals
