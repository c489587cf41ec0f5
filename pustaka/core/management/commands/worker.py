"""``pustaka worker``: run background jobs (notices, fixity, link checks, serial claims) with huey.

Jobs live in each app's ``tasks.py`` (huey's Django integration finds them). Storage is SQLite in the
home folder, or Redis when ``REDIS_URL`` is set. The worker also follows the search change log, as
``pustaka serve`` does: whichever process holds the index lock writes, the other stands by.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background jobs (notices, fixity checks, link checks, scheduled tasks)."

    def add_arguments(self, parser):
        parser.add_argument("--workers", "-w", type=int, default=None, help="number of worker threads")

    def handle(self, *args, workers=None, **options):
        from pustaka.search.engine import start_indexer_thread

        stop = start_indexer_thread()
        argv = ["run_huey"]
        if workers:
            argv += ["--workers", str(workers)]
        try:
            call_command(*argv)
        finally:
            stop.set()
