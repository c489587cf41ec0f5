"""The TSV report of rejected records and their reasons."""

from pathlib import Path

from django.conf import settings
from django.utils import timezone


class _Report:
    """The TSV file of rejected records, opened on the first rejection."""

    HEADER = "file\tposition\tbyte_offset\tcontrol_number\treason\n"

    def __init__(self, path: Path | None, label: str):
        self.path = Path(path) if path else None
        self.label = label
        self.file = None

    def _open(self):
        if self.path is None:
            folder = Path(settings.PUSTAKA_REPORTS_DIR)
            folder.mkdir(parents=True, exist_ok=True)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            self.path = folder / f"marc-import-{stamp}.tsv"
            n = 2
            while self.path.exists():
                self.path = folder / f"marc-import-{stamp}-{n}.tsv"
                n += 1
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists() or self.path.stat().st_size == 0
        self.file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (closed in close())
        if new:
            self.file.write(self.HEADER)

    def add(self, position: int, offset, control_number: str, reason: str) -> None:
        if self.file is None:
            self._open()
        cells = [self.label, str(position), "" if offset is None else str(offset), control_number, reason]
        self.file.write("\t".join(" ".join(str(c).split()) for c in cells) + "\n")

    def close(self) -> Path | None:
        if self.file is not None:
            self.file.close()
            return self.path
        return None
