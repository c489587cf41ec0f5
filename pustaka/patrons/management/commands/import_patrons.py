"""``pustaka import-patrons FILE``: enrol or update patrons from a CSV file; rejected rows are printed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pustaka.core.errors import PustakaError
from pustaka.patrons.actions import CSV_COLUMNS, import_patrons_csv


class Command(BaseCommand):
    help = (
        "Import patrons from a CSV file in UTF-8 with the columns "
        + ", ".join(CSV_COLUMNS)
        + ". A known card number updates that patron; bad rows change nothing and are listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="the CSV file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file") % {"file": path})
        try:
            result = import_patrons_csv(source=path, actor=None)
        except OSError as exc:
            raise CommandError(_("%(file)s: cannot be read (%(error)s)") % {"file": path, "error": exc}) from None
        except PustakaError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(
            _("%(file)s: created %(created)s, updated %(updated)s, rejected %(rejected)s")
            % {"file": path, "created": result.created, "updated": result.updated, "rejected": len(result.rejected)}
        )
        for rejected in result.rejected:
            self.stdout.write(
                _("  row %(row)s (%(card)s): %(reason)s")
                % {"row": rejected.row, "card": rejected.card_number or "—", "reason": rejected.reason}
            )
