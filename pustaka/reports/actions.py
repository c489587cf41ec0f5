"""Every write of the reports app: rebuilding the report summaries from the raw tables."""

import time

from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit
from pustaka.core.registry import action

from . import stats

__all__ = ["rebuild_report_stats"]


@action(
    "reports.stats.rebuild",
    permission="reports.rebuild_report_stats",
    label=_("Report summaries rebuilt"),
)
def rebuild_report_stats(*, actor) -> dict:
    """Recount the daily loan and visit summaries from every loan and visit (after an import of
    history, or loans and visits written by other means), in one transaction; audited with the row
    counts and how long it took."""
    started = time.perf_counter()
    counts = stats.rebuild()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    audit(actor, "reports.stats.rebuild", None, after=counts)
    return counts
