"""``pustaka link-check [--resource ID...] [--timeout S] [--concurrency N] [--per-host N]``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pustaka.digital.actions.linkcheck import run_link_checks
from pustaka.digital.check_messages import describe
from pustaka.digital.choices import CheckOutcome
from pustaka.digital.queries_preservation import resources_with_links


class Command(BaseCommand):
    help = "Check the remote links of e-journals, databases and other linked resources; store the results."

    def add_arguments(self, parser):
        parser.add_argument("--resource", type=int, action="append", default=[], help="only this resource id")
        parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for an answer")
        parser.add_argument("--concurrency", type=int, default=8, help="links checked at once")
        parser.add_argument("--per-host", type=int, default=2, help="requests to one host at once")

    def handle(self, *args, resource=(), timeout=10.0, concurrency=8, per_host=2, **options):
        if timeout <= 0 or concurrency < 1 or per_host < 1:
            raise CommandError(_("--timeout, --concurrency and --per-host must be positive"))
        resources = resources_with_links()
        if resource:
            resources = resources.filter(pk__in=resource)
            missing = set(resource) - set(resources.values_list("pk", flat=True))
            if missing:
                raise CommandError(
                    _("No active resource with a link has the id %(ids)s")
                    % {"ids": ", ".join(map(str, sorted(missing)))}
                )
        run = run_link_checks(
            actor=None, resources=list(resources), timeout=timeout, concurrency=concurrency, per_host=per_host
        )
        counts = ", ".join(f"{CheckOutcome(k).label}: {v}" for k, v in sorted(run.counts.items()))
        self.stdout.write(
            ngettext(
                "Checked %(checked)s link in %(seconds).1f s. %(counts)s",
                "Checked %(checked)s links in %(seconds).1f s. %(counts)s",
                run.checked,
            )
            % {"checked": run.checked, "seconds": run.seconds, "counts": counts}
        )
        for check in run.checks:
            if check.outcome != CheckOutcome.OK:
                detail = describe(check.error) or (f"→ {check.final_url}" if check.final_url != check.url else "")
                self.stdout.write(f"  {check.outcome:10} {check.status_code or '-':>3}  {check.url}  {detail}".rstrip())
