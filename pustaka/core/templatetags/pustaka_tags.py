"""Template helpers: status badges in their choice's colour, history links, readable audit changes.

``{% load pustaka_tags %}`` then ``{% badge item.status "item_status" %}``, ``{% history_url record %}``,
``{{ event.verb|verb_label }}``, ``{{ role|contributor_role }}``.
"""

from importlib import import_module

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()

# Badge kinds: a name usable in templates → the ColouredChoices class that knows label and colour.
BADGE_KINDS = {
    "item_status": "pustaka.holdings.choices.ItemStatus",
    "condition": "pustaka.holdings.choices.Condition",
    "pull_reason": "pustaka.holdings.choices.PullReason",
    "pull_list_status": "pustaka.technical.choices.PullListStatus",
    "pull_entry_state": "pustaka.technical.choices.PullEntryState",
    "weeding_decision": "pustaka.technical.choices.WeedingDecision",
    "stocktake_status": "pustaka.technical.choices.StocktakeStatus",
    "scan_result": "pustaka.technical.choices.ScanResult",
    "issue_status": "pustaka.technical.choices.IssueStatus",
    "repair_status": "pustaka.technical.choices.RepairStatus",
    "shipment_status": "pustaka.technical.choices.ShipmentStatus",
    "review_outcome": "pustaka.technical.choices.ReviewOutcome",
}


def _choices(kind: str):
    module, _, name = BADGE_KINDS[kind].rpartition(".")
    return getattr(import_module(module), name)


@register.simple_tag
def badge(value, kind="item_status"):
    """A coloured badge with the value's label; the same colours on every page."""
    if value in (None, ""):
        return ""
    choices = _choices(kind)
    label = choices(value).label if value in choices.values else value
    return format_html('<span class="badge {}" data-value="{}">{}</span>', choices.colour(value), value, label)


@register.simple_tag
def history_url(obj) -> str:
    """The staff page listing every audit event of ``obj``."""
    return reverse(
        "core:object_history",
        kwargs={"app_label": obj._meta.app_label, "model": obj._meta.model_name, "object_id": obj.pk},
    )


@register.filter
def verb_label(verb: str) -> str:
    """An audit verb in words."""
    from pustaka.core.queries import verb_label as label

    return label(verb)


@register.filter
def contributor_role(role: str) -> str:
    """A contributor role's label (``author`` → Author / Pengarang)."""
    from pustaka.catalog.choices import ContributorRole

    return ContributorRole(role).label if role in ContributorRole.values else role
