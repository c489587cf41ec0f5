"""``{% load technical_bindery %}{% item_bindings item as bindings %}``: an item's bindery history."""

from django import template

from ..queries.bindery import item_bindings as _item_bindings

register = template.Library()


@register.simple_tag
def item_bindings(item):
    """Every bindery shipment line of ``item`` with its bindery, newest first (one query)."""
    return _item_bindings(item)
