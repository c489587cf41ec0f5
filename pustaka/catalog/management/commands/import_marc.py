"""``pustaka import-marc FILE... [--format auto|iso2709|marcxml] [--batch-size N] [--report PATH]``."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from pustaka.catalog.importer import FORMATS, import_marc
from pustaka.core.numbers import format_number

PROGRESS_AFTER_SECONDS = 1.0


class Command(BaseCommand):
    help = "Import MARC 21 records (ISO 2709 in UTF-8 or MARC-8, or MARCXML); rejected records go to a report."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="MARC files to import")
        parser.add_argument("--format", choices=FORMATS, default="auto", help="default: detected from the content")
        parser.add_argument("--batch-size", type=int, default=1000, help="records written per transaction")
        parser.add_argument("--report", help="the report file for rejected records (default: in the home's reports/)")

    def handle(self, *args, files, format="auto", batch_size=1000, report=None, **options):
        paths = [Path(name) for name in files]
        for path in paths:
            if not path.is_file():
                raise CommandError(_("%(file)s: no such file") % {"file": path})
            try:
                with open(path, "rb") as stream:
                    stream.read(1)
            except OSError as exc:
                raise CommandError(_("%(file)s: cannot be read (%(error)s)") % {"file": path, "error": exc}) from None
            except DatabaseError as exc:
                raise CommandError(
                    _("%(file)s: the database stopped the import (%(error)s); the batches before it were imported")
                    % {"file": path, "error": exc}
                ) from None
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1"))
        report_path = Path(report) if report else None
        if report_path is not None:
            report_path.parent.mkdir(parents=True, exist_ok=True)
            report_path.write_text("")  # one report for this run, whatever an earlier run left there

        totals = {"created": 0, "updated": 0, "rejected": 0}
        reports = []
        for path in paths:
            start = time.perf_counter()

            def progress(done, path=path, start=start):
                elapsed = time.perf_counter() - start
                if elapsed >= PROGRESS_AFTER_SECONDS:
                    self.stderr.write(
                        _("%(file)s: %(done)s records, %(rate)s records/s")
                        % {"file": path.name, "done": format_number(done), "rate": format_number(round(done / elapsed))}
                    )

            try:
                result = import_marc(
                    source=path,
                    actor=None,
                    format=format,
                    batch_size=batch_size,
                    report_path=report_path,
                    progress=progress,
                )
            except OSError as exc:
                raise CommandError(_("%(file)s: cannot be read (%(error)s)") % {"file": path, "error": exc}) from None
            except DatabaseError as exc:
                raise CommandError(
                    _("%(file)s: the database stopped the import (%(error)s); the batches before it were imported")
                    % {"file": path, "error": exc}
                ) from None
            self.stdout.write(
                _("%(file)s: created %(created)s, updated %(updated)s, rejected %(rejected)s")
                % {"file": path, "created": result.created, "updated": result.updated, "rejected": result.rejected}
            )
            for key in totals:
                totals[key] += getattr(result, key)
            if result.report_path and result.report_path not in reports:
                reports.append(result.report_path)
        self.stdout.write(_("Total: created %(created)s, updated %(updated)s, rejected %(rejected)s") % totals)
        for path in reports:
            self.stdout.write(_("Rejected records and their reasons: %(path)s") % {"path": path})
        if report_path is not None and not reports:
            report_path.unlink(missing_ok=True)
