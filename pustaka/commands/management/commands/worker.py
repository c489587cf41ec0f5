"""``pustaka worker``: run background jobs (notices, fixity, link checks, serial claims) with huey.

Jobs live in each app's ``tasks.py`` (huey's Django integration finds them). Storage is SQLite in the
home folder, or Redis when ``REDIS_URL`` is set. The worker also starts the search indexer, as
``pustaka serve`` does, as its own program (never a thread here): whichever indexer holds the index
lock writes, the other stands by.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background jobs (notices, fixity checks, link checks, scheduled tasks)."

    def add_arguments(self, parser):
        parser.add_argument("--workers", "-w", type=int, default=None, help="number of worker threads")

    def handle(self, *args, workers=None, **options):
        from pustaka.search.indexer_process import IndexerProcess

        indexer = IndexerProcess().start()
        argv = ["run_huey"]
        if workers:
            argv += ["--workers", str(workers)]
        try:
            call_command(*argv)
        finally:
            indexer.stop()
