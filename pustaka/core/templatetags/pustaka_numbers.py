"""Amounts, numbers and file sizes shown in the page's language (:mod:`pustaka.core.numbers`).

``{% load pustaka_numbers %}`` then ``{{ fee.amount|rupiah }}`` (``Rp 22.500`` / ``Rp 22,500``),
``{{ count|number }}`` (``112.246`` / ``112,246``) and ``{{ file.size|filesize }}``
(``109,6 KB (112.246 bita)`` / ``109.6 KB (112,246 bytes)``; ``{{ total|filesize:"short" }}``: ``109,6 KB``).
"""

from django import template
from django.utils.html import format_html

from ..numbers import format_amount, format_filesize, format_input, format_number

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    """An amount of money: ``Rp 22.500``; sen only when there are some. Kept on one line in a table."""
    text = format_amount(amount)
    return format_html('<span class="money">{}</span>', text) if text else ""


@register.filter
def number(value) -> str:
    """A whole number grouped by thousands."""
    return format_number(value)


@register.filter
def amount_input(amount) -> str:
    """An amount as the value of a text box: ``22.500`` (Indonesian) / ``22,500`` (English), read back the
    same by the amount fields; never ``22500.00``."""
    return format_input(amount)


@register.filter
def filesize(size, style: str = "") -> str:
    """A file size: rounded to KB/MB/GB, with the exact count of bytes (``"short"``: without it)."""
    return format_filesize(size, exact=style != "short")
