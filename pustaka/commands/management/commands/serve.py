"""``pustaka serve``: the production web server (gunicorn, static files through whitenoise)."""

import os

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the public catalogue, staff pages, API and protocols with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("PUSTAKA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PUSTAKA_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("PUSTAKA_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("PUSTAKA_THREADS", "4")))

    def handle(self, *args, host, port, workers, threads, **options):
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date: run `pustaka init` first.")
        connection.close()
        run_gunicorn(host=host, port=port, workers=workers, threads=threads, stdout=self.stdout)


_indexer = None


def start_search_indexer(server) -> None:
    """Once gunicorn listens, before it forks its workers: start the index writer as its own program
    (never a thread of the master, so no index lock is ever held in a process that forks)."""
    global _indexer
    from pustaka.search.indexer_process import IndexerProcess

    _indexer = IndexerProcess().start()


def stop_search_indexer(server) -> None:
    """When gunicorn's master exits: stop the indexer it started."""
    if _indexer is not None:
        _indexer.stop()


def run_gunicorn(*, host: str, port: int, workers: int, threads: int, stdout) -> None:
    from gunicorn.app.base import BaseApplication
    from gunicorn.arbiter import Arbiter

    from pustaka.wsgi import application

    class PustakaServer(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", "-")
            self.cfg.set("proc_name", "pustaka")
            self.cfg.set("graceful_timeout", 3)  # SIGTERM: requests get 3 s to finish, then workers stop
            self.cfg.set("when_ready", start_search_indexer)
            self.cfg.set("on_exit", stop_search_indexer)

        def load(self):
            return application

        def run(self):
            try:
                PustakaArbiter(self).run()
            except RuntimeError as error:
                raise CommandError(str(error)) from None
            finally:
                stop_search_indexer(None)  # also when gunicorn exits without its on_exit hook

    class PustakaArbiter(Arbiter):
        def stop(self, graceful=True):
            if _indexer is not None:  # the indexer stops while the workers finish their requests
                _indexer.terminate()
            super().stop(graceful)

    shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host
    stdout.write(f"Pustaka is serving at http://{shown}:{port}/  (staff pages: /staff/)")
    PustakaServer().run()
