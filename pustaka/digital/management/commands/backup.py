"""``pustaka backup DIR [--db-method auto|sqlite|pg_dump|dumpdata] [--link]``: database, files and index."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pustaka.core.errors import PustakaError
from pustaka.core.numbers import format_filesize, format_number
from pustaka.digital.backup import DB_METHODS, backup


class Command(BaseCommand):
    help = "Back up the library (database, digital files, search index) into an empty folder, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("dir", metavar="DIR", help="an empty or new folder outside the library's home")
        parser.add_argument("--db-method", choices=DB_METHODS, default="auto", help="how to copy the database")
        parser.add_argument("--link", action="store_true", help="hard-link files instead of copying them")

    def handle(self, *args, dir, db_method="auto", link=False, **options):
        try:
            manifest = backup(dir, db_method=db_method, link=link, stdout=self.stdout)
        except PustakaError as error:
            raise CommandError(str(error)) from None
        files = manifest["files"]
        counts = manifest["counts"]
        self.stdout.write(
            _(
                "Backed up to %(dir)s: records %(records)s, items %(items)s, patrons %(patrons)s, files %(files)s "
                "(%(size)s)."
            )
            % {
                "dir": dir,
                "records": format_number(counts.get("catalog.Record", 0)),
                "items": format_number(counts.get("holdings.Item", 0)),
                "patrons": format_number(counts.get("patrons.Patron", 0)),
                "files": format_number(files["count"]),
                "size": format_filesize(files["bytes"], exact=False),
            }
        )
        if files["missing"] or files["damaged"]:
            self.stderr.write(
                ngettext(
                    "Warning: %(missing)s file missing and %(damaged)s damaged in the store; run `pustaka fixity`.",
                    "Warning: %(missing)s files missing and %(damaged)s damaged in the store; run `pustaka fixity`.",
                    len(files["missing"]),
                )
                % {"missing": len(files["missing"]), "damaged": len(files["damaged"])}
            )
