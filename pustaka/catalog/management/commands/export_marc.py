"""``pustaka export-marc OUT [--format iso2709|marcxml]``: every record as UTF-8 MARC 21."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pustaka.catalog.marc import export_records


class Command(BaseCommand):
    help = "Export every record as MARC 21 in UTF-8 (ISO 2709 or MARCXML), with Pustaka's id in 999 $c."

    def add_arguments(self, parser):
        parser.add_argument("out", metavar="OUT", help="the file to write ('-' for standard output)")
        parser.add_argument("--format", choices=["iso2709", "marcxml"], default="iso2709")

    def handle(self, *args, out, format="iso2709", **options):
        if out == "-":
            stream = self.stdout._out.buffer if hasattr(self.stdout._out, "buffer") else None
            if stream is None:
                raise CommandError(_("standard output cannot take binary data here; give a file name"))
            count = export_records(out=stream, actor=None, format=format)
            stream.flush()
            self.stderr.write(
                ngettext("Exported %(count)s record.", "Exported %(count)s records.", count) % {"count": count}
            )
            return
        path = Path(out)
        partial = path.with_name(path.name + ".part")
        try:
            with open(partial, "wb") as stream:
                count = export_records(out=stream, actor=None, format=format)
            os.replace(partial, path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(_("%(file)s: cannot be written (%(error)s)") % {"file": path, "error": exc}) from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(
            ngettext("Exported %(count)s record to %(file)s.", "Exported %(count)s records to %(file)s.", count)
            % {"count": count, "file": path}
        )
