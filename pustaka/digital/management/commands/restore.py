"""``pustaka restore DIR [--force]``: restore a backup into an empty library (``--force`` replaces one)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pustaka.core.errors import PustakaError
from pustaka.core.numbers import format_number
from pustaka.digital.backup import restore


class Command(BaseCommand):
    help = "Restore a backup made by `pustaka backup` into this (empty) library home."

    def add_arguments(self, parser):
        parser.add_argument("dir", metavar="DIR", help="a folder written by `pustaka backup`")
        parser.add_argument("--force", action="store_true", help="replace a library that is not empty")

    def handle(self, *args, dir, force=False, **options):
        try:
            report = restore(dir, force=force, stdout=self.stdout)
        except PustakaError as error:
            raise CommandError(str(error)) from None
        counts = report["counts"]
        self.stdout.write(
            _("Restored from %(dir)s: records %(records)s, items %(items)s, patrons %(patrons)s, files %(files)s.")
            % {
                "dir": dir,
                "records": format_number(counts.get("catalog.Record", 0)),
                "items": format_number(counts.get("holdings.Item", 0)),
                "patrons": format_number(counts.get("patrons.Patron", 0)),
                "files": format_number(report["files"]["count"] - len(report["files"]["damaged"])),
            }
        )
        if report["mismatches"] or report["files"]["missing"] or report["files"]["damaged"]:
            raise CommandError(
                _("The restored library differs from the backup's manifest: %(detail)s")
                % {
                    "detail": {
                        "counts": report["mismatches"],
                        "missing": report["files"]["missing"],
                        "damaged": report["files"]["damaged"],
                    }
                }
            )
