"""Link-check actions: check the remote links of digital resources and record what was found.

The network work happens outside any transaction (a slow site must not hold the database); the
results are then written in one transaction: a :class:`~pustaka.digital.models.LinkCheck` per resource
and one audit event for the run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy

from pustaka.core.audit import audit
from pustaka.core.registry import action

from .. import linkcheck
from ..choices import CheckOutcome
from ..errors_preservation import NoLink
from ..models import DigitalResource, LinkCheck
from ..queries_preservation import LINK_RUN_VERB, resources_with_links

__all__ = ["LinkRun", "check_resource_link", "record_link_results", "run_link_checks"]


@dataclass
class LinkRun:
    """What a link-check run found: counts by outcome, time taken and the problem links."""

    checked: int = 0
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    problems: list[dict] = field(default_factory=list)
    checks: list[LinkCheck] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "checked": self.checked,
            **self.counts,
            "seconds": round(self.seconds, 3),
            "problems": self.problems[:100],
        }


@action(LINK_RUN_VERB, permission="digital.run_fixity", label=gettext_lazy("Link check run"))
def record_link_results(*, results: dict[int, linkcheck.LinkResult], actor, run: LinkRun) -> list[LinkCheck]:
    """Store one LinkCheck per resource (id → result) and audit the run (``digital.run_fixity``)."""
    now = timezone.now()
    existing = set(DigitalResource.objects.filter(pk__in=results).values_list("pk", flat=True))
    checks = []
    for resource_id, r in results.items():
        if resource_id not in existing:  # deleted meanwhile
            continue
        checks.append(
            LinkCheck(
                resource_id=resource_id,
                url=r.url[:1000],
                checked_at=now,
                outcome=r.outcome,
                status_code=r.status_code,
                final_url=r.final_url[:1000],
                elapsed_ms=r.elapsed_ms,
                error=r.error[:300],
                method=r.method,
                redirects=r.redirects,
            )
        )
        run.counts[r.outcome] = run.counts.get(r.outcome, 0) + 1
        if r.outcome != CheckOutcome.OK:
            run.problems.append({"resource": resource_id, "url": r.url, "outcome": r.outcome, "status": r.status_code})
    run.checked = len(checks)
    run.checks = LinkCheck.objects.bulk_create(checks)
    audit(actor, LINK_RUN_VERB, None, after=run.as_dict())
    return run.checks


@action(LINK_RUN_VERB, permission="digital.run_fixity", label=gettext_lazy("Link check run"), atomic=False)
def run_link_checks(
    *,
    actor,
    resources=None,
    timeout: float = linkcheck.TIMEOUT,
    concurrency: int = linkcheck.CONCURRENCY,
    per_host: int = linkcheck.PER_HOST,
) -> LinkRun:
    """Check the remote links of ``resources`` (default: every active resource with a link).

    Needs ``digital.run_fixity`` (``actor=None`` is the system: the scheduled job and the command).
    Resources sharing one link are checked once.
    """
    started = time.perf_counter()
    if resources is None:
        resources = resources_with_links()
    pairs = [(r.pk, r.remote_url) for r in resources if r.remote_url]
    by_url = linkcheck.check_urls(
        [url for _, url in pairs], timeout=timeout, concurrency=concurrency, per_host=per_host
    )
    run = LinkRun()
    run.seconds = time.perf_counter() - started
    record_link_results(results={pk: by_url[url] for pk, url in pairs}, actor=actor, run=run)
    return run


@action(LINK_RUN_VERB, permission="digital.run_fixity", label=gettext_lazy("Link check run"), atomic=False)
def check_resource_link(*, resource: DigitalResource, actor, timeout: float = linkcheck.TIMEOUT) -> LinkCheck:
    """Check one resource's link now (the "check now" button); refuses a resource without a link."""
    if not resource.remote_url:
        raise NoLink(resource=str(resource))
    run = run_link_checks(actor=actor, resources=[resource], timeout=timeout)
    return run.checks[0]
