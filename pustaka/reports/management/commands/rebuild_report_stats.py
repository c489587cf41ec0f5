"""``pustaka manage rebuild_report_stats``: recount the report summaries from the loans and visits."""

from django.core.management.base import BaseCommand

from pustaka.reports.actions import rebuild_report_stats


class Command(BaseCommand):
    help = "Recount the daily loan and visit summaries the reports read, from every loan and visit."

    def handle(self, *args, **options):
        counts = rebuild_report_stats(actor=None)
        self.stdout.write(
            f"Rebuilt: {counts['loan_rows']} loan summary rows, {counts['visit_rows']} visit summary rows "
            f"in {counts['seconds']} s"
        )
