"""What an import reads and reports: a parsed record, a rejection, the result."""

from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("auto", "iso2709", "marcxml")
READ_SIZE = 1 << 20
MAX_REJECTIONS_KEPT = 10_000  # in ImportResult.rejections; the report file has every one


class Rejected(Exception):
    """A record that cannot be imported; the message is the reason a cataloguer reads in the report."""


@dataclass
class ImportResult:
    """What an import did. ``rejections`` holds (position in file, control number or "", reason)."""

    created: int = 0
    updated: int = 0
    rejected: int = 0
    rejections: list[tuple[int, str, str]] = field(default_factory=list)
    report_path: Path | None = None

    @property
    def total(self) -> int:
        return self.created + self.updated + self.rejected


@dataclass
class Parsed:
    """One record read from a file, or the reason it could not be read.

    ``leader`` and ``fields`` (pymarc fields; from ISO 2709 only the tags the mapping reads) feed
    :func:`~pustaka.catalog.marc.map_fields`; ``raw`` is the whole record as UTF-8 ISO 2709, to store.
    """

    position: int
    offset: int | None = None
    leader: str = ""
    fields: list | None = None
    raw: bytes | None = None
    error: str | None = None
    control_number: str = ""
    line: int | None = None
