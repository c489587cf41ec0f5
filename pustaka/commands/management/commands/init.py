"""``pustaka init [--demo] [--admin-password PW]``: create or migrate the database."""

import secrets

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create or migrate the library's database; --demo loads the demo library."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="load the demo library")
        parser.add_argument("--admin-password", help="password for the 'admin' user (default: generated)")

    def handle(self, *args, demo=False, admin_password=None, **options):
        from django.conf import settings

        from pustaka.core.actions import bootstrap_administrator
        from pustaka.core.models import Library, User

        self.stdout.write(f"Pustaka home: {settings.HOME}")
        call_command("migrate", interactive=False, verbosity=0)
        Library.current()
        if admin_password or not User.objects.filter(username="admin").exists():
            password = admin_password or secrets.token_urlsafe(9)
            bootstrap_administrator(password=password)
            self.stdout.write(self.style.SUCCESS(f"Admin user: admin  password: {password}"))
        else:
            self.stdout.write("Admin user: admin (password unchanged; use --admin-password to set a new one)")
        if demo:
            from pustaka.demo.loader import load_demo

            load_demo(stdout=self.stdout)
        self._index()
        self.stdout.write(self.style.SUCCESS("Database ready."))

    def _index(self):
        """Bring the search index up to date with the database (a running server does this itself)."""
        from pustaka.search import engine

        applied = engine.apply_changes()  # 0 when a running server holds the index writer
        self.stdout.write(f"Search index: {applied} changes applied.")
