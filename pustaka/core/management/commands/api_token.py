"""``pustaka api-token USERNAME``: print a new API token."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (use it as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, username, name, **options):
        from pustaka.core.actions import issue_api_token
        from pustaka.core.models import User

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        self.stdout.write(issue_api_token(user=user, actor=None, name=name))
