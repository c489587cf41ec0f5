"""``pustaka ingest PATH... [--record ID] [--kind KIND] [--collection CODE] [--licence ID_OR_NAME] [--as USERNAME]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pustaka.catalog.models import Record
from pustaka.core.errors import PustakaError
from pustaka.core.numbers import format_filesize
from pustaka.digital.actions.ingest import ingest_file
from pustaka.digital.choices import ResourceKind
from pustaka.digital.models import Collection
from pustaka.digital.queries_usage import find_licence


def walk(paths: list[Path]):
    """Every file under the given files and folders (recursively, in name order; hidden files skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path


class Command(BaseCommand):
    help = (
        "Ingest digital files (files or folders, recursively): store them by SHA-256, identify their format, "
        "and create records from their metadata (or attach them to --record)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
        parser.add_argument("--record", type=int, help="attach every file to this record (its id)")
        parser.add_argument(
            "--kind", choices=ResourceKind.values, help="the kind of resource (default: from the format)"
        )
        parser.add_argument("--collection", help="put new resources into this collection (its code)")
        parser.add_argument(
            "--licence", metavar="ID_OR_NAME", help="put new resources under this licence (its id or its name)"
        )
        parser.add_argument("--as", dest="username", help="the staff user recorded as the actor (default: the system)")

    def handle(self, *args, paths, record=None, kind=None, collection=None, licence=None, username=None, **options):
        from pustaka.core.models import User

        actor = None
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None:
                raise CommandError(_("No user is called “%(name)s”.") % {"name": username})
        target = None
        if record is not None:
            target = Record.objects.filter(pk=record).first()
            if target is None:
                raise CommandError(_("No bibliographic record has the id %(id)s.") % {"id": record})
        collections = ()
        if collection:
            found = Collection.objects.filter(code=collection.strip().lower()).first()
            if found is None:
                raise CommandError(_("There is no collection with the code “%(code)s”.") % {"code": collection})
            collections = (found,)
        target_licence = None
        if licence is not None:
            try:
                target_licence = find_licence(licence)
            except PustakaError as exc:
                raise CommandError(f"--licence: {exc}") from None
        roots = [Path(p) for p in paths]
        for root in roots:
            if not root.exists():
                raise CommandError(_("%(file)s: no such file or folder") % {"file": root})
        counts = {"created": 0, "duplicate": 0, "refused": 0}
        for path in walk(roots):
            try:
                result = ingest_file(
                    source=path,
                    original_name=path.name,
                    actor=actor,
                    record=target,
                    kind=kind,
                    collections=collections,
                    licence=target_licence,
                )
            except PustakaError as exc:
                counts["refused"] += 1
                self.stdout.write(_("refused    %(file)s: %(reason)s") % {"file": path, "reason": exc})
                continue
            except OSError as exc:
                counts["refused"] += 1
                self.stdout.write(_("refused    %(file)s: cannot be read (%(reason)s)") % {"file": path, "reason": exc})
                continue
            counts[result.outcome] += 1
            where = f" → #{result.record.pk} {result.record.title}" if result.record else ""
            if result.outcome == "created":
                line = _("created    %(file)s (%(format)s, %(size)s)%(where)s")
            else:
                line = _("duplicate  %(file)s (same as file %(sha)s)%(where)s")
            self.stdout.write(
                line
                % {
                    "file": path,
                    "format": result.file.pronom_id or result.file.mime_type,
                    "size": format_filesize(result.file.size, exact=False),
                    "sha": result.file.sha256[:12],
                    "where": where,
                }
            )
            # a duplicate's first warning repeats the "duplicate" line; the rest (a repaired copy) are news
            for warning in result.warnings if result.outcome == "created" else result.warnings[1:]:
                self.stdout.write(_("  warning: %(text)s") % {"text": warning})
        self.stdout.write(_("Created %(created)s, duplicate %(duplicate)s, refused %(refused)s.") % counts)
        if counts["refused"]:  # the good files are in; the exit status tells a script that some were not
            raise CommandError(
                ngettext(
                    "%(count)s file was refused (see above).",
                    "%(count)s files were refused (see above).",
                    counts["refused"],
                )
                % {"count": counts["refused"]}
            )
