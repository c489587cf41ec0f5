"""Template helpers of programs: coloured badges for program choices and durations in words.

``{% load programs_tags %}`` then ``{% pbadge reg.status "registration" %}``, ``{{ delta|duration }}``.
"""

import datetime

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pustaka.core.choices import CHOICE_KINDS

register = template.Library()


@register.simple_tag
def pbadge(value, kind="registration"):
    """A coloured badge with the choice's label; ``kind`` is any registered kind (programs register
    ``kind``, ``mode`` and ``registration``; the questions ``help`` and ``topic``)."""
    if value in (None, ""):
        return ""
    choices = CHOICE_KINDS[kind]
    label = choices(value).label if value in choices.values else value
    return format_html('<span class="badge {}" data-value="{}">{}</span>', choices.colour(value), value, label)


@register.filter
def duration(value) -> str:
    """A time span in words: "45 min", "3 h 10 min", "2 days 4 h"."""
    if not isinstance(value, datetime.timedelta):
        return "—"
    minutes = max(0, int(value.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        text = ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
        return text + " " + _("%(hours)s h") % {"hours": hours} if hours else text
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": mins}
    return _("%(minutes)s min") % {"minutes": mins}


@register.filter
def percent(value) -> str:
    """0.756 → "76%"; None → "—"."""
    if value is None:
        return "—"
    return f"{round(value * 100)}%"
