"""``pustaka reindex [--pending] [--follow]``: rebuild the search index from the database, or apply the change log."""

import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pustaka.search import engine


class Command(BaseCommand):
    help = "Rebuild the search index from the database (or, with --pending, apply only logged changes)."

    def add_arguments(self, parser):
        parser.add_argument("--pending", action="store_true", help="apply only the change log, do not rebuild")
        parser.add_argument("--follow", action="store_true", help="keep applying the change log every 0.5 s")

    def handle(self, *args, pending=False, follow=False, **options):
        started = time.perf_counter()
        try:
            if follow:
                self.stdout.write(_("Following the change log; stop with Ctrl-C."))
                stop = threading.Event()
                # `pustaka serve` and `pustaka worker` run this as their indexer and stop it with SIGTERM.
                signal.signal(signal.SIGTERM, lambda *_: stop.set())
                try:
                    engine.follow(stop)
                except KeyboardInterrupt:
                    stop.set()
                return
            if pending:
                with engine.Indexer() as indexer:
                    count = indexer.apply_pending()
                self.stdout.write(_("Applied %(count)s logged changes.") % {"count": count})
                return
            count = engine.rebuild()
        except engine.IndexBusy as error:
            raise CommandError(
                _("Another process (probably `pustaka serve`) is writing the index: %(error)s") % {"error": error}
            ) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            ngettext(
                "Indexed %(count)s record in %(seconds).1f s; index at sequence %(seq)s.",
                "Indexed %(count)s records in %(seconds).1f s; index at sequence %(seq)s.",
                count,
            )
            % {"count": count, "seconds": seconds, "seq": engine.applied_sequence()}
        )
