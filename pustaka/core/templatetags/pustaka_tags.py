"""Template helpers: status badges in their choice's colour, history links, readable audit changes.

``{% load pustaka_tags %}`` then ``{% badge item.status "item_status" %}``, ``{% history_url record %}``,
``{{ event.verb|verb_label }}``, ``{{ role|contributor_role }}``.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from pustaka.core.choices import CHOICE_KINDS

register = template.Library()


def _choices(kind: str):
    """The choices class an app registered for ``kind`` (see :func:`pustaka.core.choices.template_kind`)."""
    return CHOICE_KINDS[kind]


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
    roles = _choices("contributor_role")
    return roles(role).label if role in roles.values else role
