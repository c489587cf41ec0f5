"""``pustaka import-kbart FILE [--collection CODE] [--licence ID_OR_NAME] [--as USERNAME]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pustaka.core.errors import PustakaError
from pustaka.digital.actions.kbart import import_kbart
from pustaka.digital.models import Collection
from pustaka.digital.queries_usage import find_licence


class Command(BaseCommand):
    help = "Import e-journal holdings from a KBART (phase II, tab-separated) file; bad rows are listed with reasons."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--collection", help="put the resources into this collection (its code)")
        parser.add_argument(
            "--licence", metavar="ID_OR_NAME", help="put the resources under this licence (its id or its name)"
        )
        parser.add_argument("--as", dest="username", help="the staff user recorded as the actor (default: the system)")

    def handle(self, *args, file, collection=None, licence=None, username=None, **options):
        from pustaka.core.models import User

        actor = None
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None:
                raise CommandError(_("No user is called “%(name)s”.") % {"name": username})
        target = None
        if collection:
            target = Collection.objects.filter(code=collection.strip().lower()).first()
            if target is None:
                raise CommandError(_("There is no collection with the code “%(code)s”.") % {"code": collection})
        target_licence = None
        if licence is not None:
            try:
                target_licence = find_licence(licence)
            except PustakaError as exc:
                raise CommandError(f"--licence: {exc}") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file") % {"file": path})
        try:
            result = import_kbart(
                source=path, actor=actor, collection=target, file_name=path.name, licence=target_licence
            )
        except PustakaError as exc:
            raise CommandError(str(exc)) from None
        for line, title, reason in result.rejected:
            self.stdout.write(
                _("rejected line %(line)s (%(title)s): %(reason)s") % {"line": line, "title": title, "reason": reason}
            )
        self.stdout.write(
            _("%(file)s: created %(created)s, updated %(updated)s, unchanged %(unchanged)s, rejected %(rejected)s")
            % {
                "file": path.name,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": len(result.rejected),
            }
        )
