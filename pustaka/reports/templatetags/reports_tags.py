"""Template filters of the report pages."""

from django import template

register = template.Library()


@register.filter
def cell(row: dict, key: str):
    """``row|cell:column.key``: the value of one column in a report row."""
    return row.get(key) if row else None
