"""``pustaka sip2 [--host 127.0.0.1] [--port 6001]``: the SIP2 server for self-check machines."""

import asyncio
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the SIP2 2.00 server for self-check machines (accounts: staff pages, /staff/sip2/)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("PUSTAKA_SIP2_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PUSTAKA_SIP2_PORT", "6001")))
        parser.add_argument("--max-connections", type=int, default=getattr(settings, "SIP2_MAX_CONNECTIONS", 200))
        parser.add_argument("--idle-timeout", type=float, default=getattr(settings, "SIP2_IDLE_SECONDS", 600))
        parser.add_argument("--workers", type=int, default=getattr(settings, "SIP2_WORKERS", 8))

    def handle(self, *args, host, port, max_connections, idle_timeout, workers, **options):
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        from pustaka.protocols.sip2.server import Sip2Server

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date: run `pustaka init` first.")
        connection.close()
        server = Sip2Server(host, port, max_connections=max_connections, idle_timeout=idle_timeout, workers=workers)

        async def main():
            try:
                await server.start()
            except OSError as exc:
                raise CommandError(f"Cannot listen on {host}:{port}: {exc}") from None
            self.stdout.write(f"Pustaka SIP2 server listening on {host}:{server.port} (Ctrl+C stops it)")
            try:
                await server.serve_forever()
            finally:
                await server.close()

        try:
            asyncio.run(main())
        except KeyboardInterrupt:
            self.stdout.write("SIP2 server stopped.")
