"""Reads shared by the pull-list and weeding pages and the API: shelf order, candidate matching, reasons."""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from pustaka.catalog.callnumbers import shelf_key
from pustaka.holdings.choices import Condition, ItemStatus
from pustaka.holdings.models import Item

from ..choices import PullEntryState, PullListStatus, WeedingDecision
from ..models import PullList, PullListEntry, WeedingCandidate, WeedingCriteria

# Copies that no longer count as "held": gone from the public catalogue, missing or lost.
NOT_HELD = {*ItemStatus.public_hidden(), ItemStatus.MISSING, ItemStatus.LOST}

SHELF_ORDER = ["item__location__sort_order", "item__location__code", "item__shelf_key", "item__barcode"]


def pull_lists(*, status: str = "", branch=None) -> QuerySet[PullList]:
    """Pull lists, newest first, with their counts per entry state (one query)."""
    lists = PullList.objects.select_related("branch", "created_by").annotate(
        entry_count=Count("entries"),
        waiting_count=Count("entries", filter=Q(entries__state=PullEntryState.WAITING)),
        pulled_count=Count("entries", filter=Q(entries__state=PullEntryState.PULLED)),
        not_found_count=Count("entries", filter=Q(entries__state=PullEntryState.NOT_FOUND)),
    )
    if status:
        lists = lists.filter(status=status)
    if branch is not None:
        lists = lists.filter(branch=branch)
    return lists.order_by("-created_at", "-id")


def pull_list_entries(pull_list: PullList) -> QuerySet[PullListEntry]:
    """A pull list's entries in shelf order: by location, then call number as librarians sort it."""
    return (
        pull_list.entries.select_related("item__record", "item__location", "handled_by")
        .defer("item__record__marc")
        .order_by(*SHELF_ORDER)
    )


def not_found_followup(*, branch=None) -> QuerySet[PullListEntry]:
    """The follow-up list: copies flagged not found on a pull list that are still missing (to look for
    again), newest first. A copy found since drops off."""
    rows = PullListEntry.objects.filter(state=PullEntryState.NOT_FOUND, item__status=ItemStatus.MISSING)
    if branch is not None:
        rows = rows.filter(pull_list__branch=branch)
    return rows.select_related("item__record", "item__location", "item__branch", "pull_list", "handled_by").order_by(
        "-handled_at", "-id"
    )


def open_entry_for(item: Item, *, exclude_list: PullList | None = None) -> PullListEntry | None:
    """The entry that puts ``item`` on an open pull list (other than ``exclude_list``), if any."""
    entries = PullListEntry.objects.select_related("pull_list").filter(item=item, pull_list__status=PullListStatus.OPEN)
    if exclude_list is not None:
        entries = entries.exclude(pull_list=exclude_list)
    return entries.first()


# Weeding ----------------------------------------------------------------------------------------


def years_ago(today: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` years before ``today`` (29 February becomes 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def class_key_in_range(key: str, low: str | None, high: str | None) -> bool:
    """Whether a class number's shelf key lies in ``low..high``; ``high`` includes its subdivisions."""
    if low is not None and key < low:
        return False
    return high is None or key <= high or key.startswith(high)


def _class_filter(items: QuerySet[Item], criteria: WeedingCriteria) -> QuerySet[Item]:
    """Narrow ``items`` to the records whose class number is in the criteria's range, compared as
    librarians compare class numbers (shelf keys on both sides). Only the distinct class numbers in
    scope are looked at, never the items one by one."""
    low = shelf_key(criteria.class_from) if criteria.class_from.strip() else None
    high = shelf_key(criteria.class_to) if criteria.class_to.strip() else None
    if low is None and high is None:
        return items
    numbers = (
        items.exclude(record__class_number="").order_by().values_list("record__class_number", flat=True).distinct()
    )
    inside, outside = [], []
    for number in numbers:
        (inside if class_key_in_range(shelf_key(number), low, high) else outside).append(number)
    if len(inside) <= len(outside):
        return items.filter(record__class_number__in=inside)
    return items.exclude(record__class_number="").exclude(record__class_number__in=outside)


def matching_items(criteria: WeedingCriteria, *, today: datetime.date | None = None) -> QuerySet[Item]:
    """The items on the shelf that ``criteria`` match, as one SQL query (annotated with ``copies_held``).

    Every criterion that is set must hold: published at least N years ago; not lent for N years (an
    item never lent counts from its acquisition date, or from when it was entered); lent at most N
    times; in one of the conditions; its record held in at least N copies (copies not withdrawn,
    sold, discarded, missing or lost, in any branch).
    """
    today = today or timezone.localdate()
    items = Item.objects.filter(branch_id=criteria.branch_id, status=ItemStatus.AVAILABLE)
    if criteria.location_id:
        items = items.filter(location_id=criteria.location_id)
    if criteria.material_type:
        items = items.filter(record__material_type=criteria.material_type)
    if criteria.min_years_since_publication is not None:
        items = items.filter(record__year__lte=today.year - criteria.min_years_since_publication)
    if criteria.min_years_since_last_loan is not None:
        cutoff = years_ago(today, criteria.min_years_since_last_loan)
        cutoff_at = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        items = items.filter(
            Q(last_loan_at__lt=cutoff_at)
            | Q(last_loan_at__isnull=True, acquired_on__lt=cutoff)
            | Q(last_loan_at__isnull=True, acquired_on__isnull=True, created_at__lt=cutoff_at)
        )
    if criteria.max_loan_count is not None:
        items = items.filter(loan_count__lte=criteria.max_loan_count)
    if criteria.conditions:
        items = items.filter(condition__in=criteria.conditions)
    items = _class_filter(items, criteria)
    held = (
        Item.objects.filter(record_id=OuterRef("record_id"))
        .exclude(status__in=NOT_HELD)
        .order_by()
        .values("record_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    items = items.annotate(copies_held=Coalesce(Subquery(held, output_field=IntegerField()), Value(0)))
    if criteria.min_copies_held is not None:
        items = items.filter(copies_held__gte=criteria.min_copies_held)
    return items


def reasons_for(criteria: WeedingCriteria, row: dict, today: datetime.date) -> list[dict]:
    """The reasons an item matched, as codes with parameters (shown translated by :func:`reason_text`)."""
    reasons = []
    if criteria.min_years_since_publication is not None:
        year = row["record__year"]
        reasons.append({"code": "published", "params": {"year": year, "years": today.year - year}})
    if criteria.min_years_since_last_loan is not None:
        if row["last_loan_at"] is not None:
            last = timezone.localtime(row["last_loan_at"]).date()
            reasons.append({"code": "not_lent_since", "params": {"date": last.isoformat()}})
        else:
            since = row["acquired_on"] or timezone.localtime(row["created_at"]).date()
            reasons.append({"code": "never_lent", "params": {"date": since.isoformat()}})
    if criteria.max_loan_count is not None:
        reasons.append({"code": "loan_count", "params": {"count": row["loan_count"]}})
    if criteria.conditions:
        reasons.append({"code": "condition", "params": {"condition": row["condition"]}})
    if criteria.min_copies_held is not None:
        reasons.append({"code": "copies_held", "params": {"count": row["copies_held"]}})
    return reasons


REASON_TEXTS = {
    "published": ngettext_lazy(
        "Published in %(year)s (%(years)s year ago)", "Published in %(year)s (%(years)s years ago)", "years"
    ),
    "not_lent_since": _("Not lent since %(date)s"),
    "never_lent": _("Never lent; in the library since %(date)s"),
    "loan_count": ngettext_lazy("Lent %(count)s time", "Lent %(count)s times", "count"),
    "condition": _("Condition: %(condition)s"),
    "copies_held": ngettext_lazy("%(count)s copy held", "%(count)s copies held", "count"),
}


def reason_text(reason: dict) -> str:
    """One stored reason in the reader's language."""
    text = REASON_TEXTS.get(reason.get("code"))
    if text is None:
        return str(reason.get("code", ""))
    params = dict(reason.get("params") or {})
    if "condition" in params and params["condition"] in Condition.values:
        params["condition"] = Condition(params["condition"]).label
    try:
        return str(text % params)
    except (KeyError, TypeError, ValueError):
        return str(text)


def candidates(criteria: WeedingCriteria, *, decision: str = "") -> QuerySet[WeedingCandidate]:
    """A criteria's candidates in shelf order, with item, record and pull list in the same query."""
    found = criteria.candidates.select_related("item__record", "item__location", "pull_list", "decided_by").defer(
        "item__record__marc"
    )
    if decision:
        found = found.filter(decision=decision)
    return found.order_by(*SHELF_ORDER)


def criteria_list() -> QuerySet[WeedingCriteria]:
    """Every weeding criteria with its candidate counts per decision (one query)."""
    return (
        WeedingCriteria.objects.select_related("branch", "location")
        .annotate(
            proposed_count=Count("candidates", filter=Q(candidates__decision=WeedingDecision.PROPOSED)),
            approved_count=Count("candidates", filter=Q(candidates__decision=WeedingDecision.APPROVED)),
            rejected_count=Count("candidates", filter=Q(candidates__decision=WeedingDecision.REJECTED)),
        )
        .order_by("name", "id")
    )
