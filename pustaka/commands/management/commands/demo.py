"""``pustaka demo``: ``init --demo`` then ``serve``."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo library (once) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--admin-password", default="")

    def handle(self, *args, host, port, admin_password, **options):
        kwargs = {"demo": True}
        if admin_password:
            kwargs["admin_password"] = admin_password
        call_command("init", **kwargs, stdout=self.stdout)
        call_command("serve", host=host, port=port, stdout=self.stdout)
