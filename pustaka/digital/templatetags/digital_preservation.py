"""``{% load digital_preservation %}``: badges for fixity/link-check outcomes and file states, sizes."""

from django import template
from django.utils.html import format_html

from ..check_messages import describe
from ..choices import CheckOutcome, FileState

register = template.Library()


def _badge(choices, value):
    if value in (None, ""):
        return ""
    label = choices(value).label if value in choices.values else value
    return format_html('<span class="badge {}" data-value="{}">{}</span>', choices.colour(value), value, label)


@register.filter
def check_text(value):
    """A fixity note or link-check error as stored (a code), in the reader's language."""
    return describe(value or "")


@register.simple_tag
def outcome_badge(value):
    """A coloured badge for a fixity or link-check outcome."""
    return _badge(CheckOutcome, value)


@register.simple_tag
def file_state_badge(value):
    """A coloured badge for a stored file's preservation state."""
    return _badge(FileState, value)
