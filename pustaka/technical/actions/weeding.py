"""Technical services: weeding by criteria. A librarian defines CREW/MUSTIE-style criteria, Pustaka
proposes candidates (in SQL, never item by item over the catalogue), the librarian approves or
rejects them, and the approved ones go on a pull list with one action."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, build, snapshot
from pustaka.core.models import AuditEvent, Branch, Location
from pustaka.core.registry import action
from pustaka.holdings.choices import Condition, ItemStatus, PullReason

from ..choices import PullListStatus, WeedingDecision
from ..errors.pulling import CandidateAlreadyOnPullList, InvalidWeedingCriteria, NothingToPull
from ..models import PullList, PullListEntry, WeedingCandidate, WeedingCriteria
from ..queries.pulling import matching_items, reasons_for
from ..transitions.weeding import WEEDING_DECISIONS
from .pulling import create_pull_list

__all__ = [
    "create_weeding_criteria",
    "decide_weeding_candidates",
    "propose_weeding_candidates",
    "pull_approved_candidates",
    "update_weeding_criteria",
]

CRITERIA_FIELDS = [
    "name",
    "location",
    "class_from",
    "class_to",
    "material_type",
    "min_years_since_publication",
    "min_years_since_last_loan",
    "max_loan_count",
    "conditions",
    "min_copies_held",
]


def _clean_criteria(criteria: WeedingCriteria) -> None:
    criteria.name = (criteria.name or "").strip()[:200]
    if not criteria.name:
        raise InvalidWeedingCriteria(_("Weeding criteria need a name."), field="name")
    if criteria.location_id and criteria.location.branch_id != criteria.branch_id:
        raise InvalidWeedingCriteria(_("That location is not in the criteria's branch."), field="location")
    criteria.class_from = (criteria.class_from or "").strip()
    criteria.class_to = (criteria.class_to or "").strip()
    conditions = list(criteria.conditions or [])
    if any(c not in Condition.values for c in conditions):
        raise InvalidWeedingCriteria(_("Unknown condition."), field="conditions")
    criteria.conditions = sorted(set(conditions))
    for field in ("min_years_since_publication", "min_years_since_last_loan", "max_loan_count", "min_copies_held"):
        value = getattr(criteria, field)
        if value is not None and (not isinstance(value, int) or value < 0 or value > 32767):
            raise InvalidWeedingCriteria(_("Enter a whole number of 0 or more."), field=field)
    rules = (
        criteria.min_years_since_publication,
        criteria.min_years_since_last_loan,
        criteria.max_loan_count,
        criteria.min_copies_held,
    )
    if all(rule is None for rule in rules) and not criteria.conditions:
        raise InvalidWeedingCriteria(
            _("Set at least one rule: age, years without a loan, loan count, condition or copies held."),
            field="min_years_since_publication",
        )


@action(
    "maintenance.weeding.create_criteria",
    permission="technical.propose_weeding",
    label=_("Weeding criteria defined"),
)
def create_weeding_criteria(
    *, name: str, branch: Branch, actor, location: Location | None = None, **rules
) -> WeedingCriteria:
    """Define weeding criteria for a collection (branch, location) or a class range."""
    unknown = set(rules) - set(CRITERIA_FIELDS)
    if unknown:
        raise InvalidWeedingCriteria(_("Unknown field."), field=sorted(unknown)[0])
    criteria = WeedingCriteria(
        name=name, branch=branch, location=location, created_by=actor if actor and actor.pk else None, **rules
    )
    _clean_criteria(criteria)
    criteria.save()
    audit(actor, "maintenance.weeding.create_criteria", criteria, after=snapshot(criteria))
    return criteria


@action(
    "maintenance.weeding.update_criteria",
    permission="technical.propose_weeding",
    label=_("Weeding criteria changed"),
)
def update_weeding_criteria(*, criteria: WeedingCriteria, actor, **fields) -> WeedingCriteria:
    """Change criteria; candidates already decided keep their decision."""
    unknown = set(fields) - set(CRITERIA_FIELDS)
    if unknown:
        raise InvalidWeedingCriteria(_("Unknown field."), field=sorted(unknown)[0])
    criteria = WeedingCriteria.objects.select_for_update(of=("self",)).get(pk=criteria.pk)
    before = snapshot(criteria)
    for name, value in fields.items():
        setattr(criteria, name, value)
    _clean_criteria(criteria)
    criteria.save()
    audit(actor, "maintenance.weeding.update_criteria", criteria, before=before, after=snapshot(criteria))
    return criteria


@action("maintenance.weeding.propose", permission="technical.propose_weeding", label=_("Weeding candidates proposed"))
def propose_weeding_candidates(*, criteria: WeedingCriteria, actor, today=None) -> dict:
    """Find the items the criteria match and propose them, each with its reasons.

    One query finds the matches; candidates are written in bulk. Candidates already approved or
    rejected keep their decision; undecided ones are proposed afresh (those that no longer match go).
    Returns the counts ``{"matched", "proposed", "kept"}``.
    """
    criteria = WeedingCriteria.objects.select_for_update(of=("self",)).get(pk=criteria.pk)
    today = today or timezone.localdate()
    decided = set(criteria.candidates.exclude(decision=WeedingDecision.PROPOSED).values_list("item_id", flat=True))
    criteria.candidates.filter(decision=WeedingDecision.PROPOSED).delete()
    rows = matching_items(criteria, today=today).values(
        "pk",
        "record__year",
        "last_loan_at",
        "acquired_on",
        "created_at",
        "loan_count",
        "condition",
        "copies_held",
    )
    matched = 0
    new = []
    for row in rows.iterator(chunk_size=5000):
        matched += 1
        if row["pk"] in decided:
            continue
        new.append(WeedingCandidate(criteria=criteria, item_id=row["pk"], reasons=reasons_for(criteria, row, today)))
    WeedingCandidate.objects.bulk_create(new, batch_size=2000)
    result = {"matched": matched, "proposed": len(new), "kept": len(decided)}
    audit(actor, "maintenance.weeding.propose", criteria, after=result)
    return result


@action(
    "maintenance.weeding.approve",
    permission="technical.decide_weeding",
    label=_("Weeding approved"),
    labels={"maintenance.weeding.reject": _("Weeding rejected")},
)
def decide_weeding_candidates(*, candidates, decision: str, actor) -> int:
    """Approve or reject candidates (one or many); a candidate already on a pull list cannot change."""
    if decision not in (WeedingDecision.APPROVED, WeedingDecision.REJECTED):
        raise InvalidWeedingCriteria(_("Approve or reject."), field="decision")
    ids = [c.pk for c in candidates]
    locked = list(
        WeedingCandidate.objects.select_for_update(of=("self",))
        .select_related("item", "pull_list")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    for candidate in locked:
        if candidate.pull_list_id:
            raise CandidateAlreadyOnPullList(barcode=candidate.item.barcode, name=candidate.pull_list.name)
    changed = [c for c in locked if c.decision != decision]
    rules = {c.pk: WEEDING_DECISIONS.check(c, to=decision, actor=actor) for c in changed}
    now = timezone.now()
    WeedingCandidate.objects.filter(pk__in=[c.pk for c in changed]).update(
        decision=decision, decided_by=actor if actor and actor.pk else None, decided_at=now
    )
    AuditEvent.objects.bulk_create(
        [
            build(
                actor,
                rules[c.pk].verb,
                c,
                before={"decision": c.decision},
                after={"decision": decision, "item": c.item.barcode},
            )
            for c in changed
        ],
        batch_size=500,
    )
    return len(changed)


@action(
    "maintenance.weeding.pull", permission="technical.decide_weeding", label=_("Approved candidates put on a pull list")
)
def pull_approved_candidates(*, criteria: WeedingCriteria, actor, name: str = "") -> PullList:
    """Put every approved candidate not yet on a pull list on a new pull list (reason: weed).

    Items that left the shelf since, or are on another open list, stay approved and wait for the next list.
    """
    ready = list(
        criteria.candidates.select_for_update(of=("self",))
        .filter(
            decision=WeedingDecision.APPROVED,
            pull_list__isnull=True,
            item__status=ItemStatus.AVAILABLE,
            item__branch_id=criteria.branch_id,
        )
        .exclude(item__pull_entries__pull_list__status=PullListStatus.OPEN)
        .values_list("pk", "item_id")
    )
    if not ready:
        raise NothingToPull()
    label = _("Weeding: %(name)s") % {"name": criteria.name}
    pull_list = create_pull_list(name=name or str(label), reason=PullReason.WEED, branch=criteria.branch, actor=actor)
    PullListEntry.objects.bulk_create(
        [PullListEntry(pull_list=pull_list, item_id=item_id) for _pk, item_id in ready], batch_size=2000
    )
    for start in range(0, len(ready), 500):
        chunk = [pk for pk, _item_id in ready[start : start + 500]]
        WeedingCandidate.objects.filter(pk__in=chunk).update(pull_list=pull_list)
    audit(actor, "maintenance.weeding.pull", criteria, after={"pull_list": pull_list.pk, "items": len(ready)})
    return pull_list
