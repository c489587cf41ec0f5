"""``pustaka send_program_reminders``: remind the patrons registered for tomorrow's program sessions
(by e-mail, WhatsApp or SMS, as each chose).

Each reminder is logged (a notice with a unique key) before it is sent, so running the command
twice, or alongside the background job, never sends a reminder twice.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from pustaka.programs import actions


class Command(BaseCommand):
    help = "E-mail reminders to patrons registered for tomorrow's program sessions (each one only once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD); reminders for the day after.")

    def handle(self, *args, **options):
        today = None
        if options.get("today"):
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date like 2026-11-22") from None
        count = actions.send_reminders(actor=None, today=today)
        self.stdout.write(f"Program reminders sent: {count}\n")
