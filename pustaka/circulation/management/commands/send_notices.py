"""``pustaka send-notices``: send every notice due now that was not sent yet (what the worker does hourly)."""

from django.core.management.base import BaseCommand

from pustaka.circulation.notices import send_due_notices


class Command(BaseCommand):
    help = "Send due-soon, overdue, hold-ready and membership-expiring notices by email (each only once)."

    def handle(self, *args, **options):
        run = send_due_notices()
        kinds = sorted(set(run.sent) | set(run.failed))
        for kind in kinds:
            self.stdout.write(f"{kind}: {run.sent.get(kind, 0)} sent, {run.failed.get(kind, 0)} failed")
        self.stdout.write(f"notices sent: {run.total_sent}, failed: {run.total_failed}")
