"""Template helpers of the circulation pages.

``{% load circulation_desk %}`` then ``{{ amount|rupiah }}``, ``{% hold_badge hold.status %}``,
``{% fee_badge entry.kind %}``, ``{% patron_circulation patron %}`` (the loans, holds and ledger panel
of the staff patron page) and ``{% place_hold_form record %}`` (the OPAC record page's hold form).
"""

from django import template
from django.utils.html import format_html

from pustaka.core.numbers import format_amount

from ..choices import FeeKind, HoldStatus

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    """``12500`` → ``Rp 12.500`` (:func:`pustaka.core.numbers.format_amount`, the one way amounts show)."""
    return format_amount(amount or 0)


def _badge(choices, value):
    if value in (None, ""):
        return ""
    label = choices(value).label if value in choices.values else value
    return format_html('<span class="badge {}" data-value="{}">{}</span>', choices.colour(value), value, label)


@register.simple_tag
def hold_badge(value):
    """A hold status badge in its colour."""
    return _badge(HoldStatus, value)


@register.simple_tag
def fee_badge(value):
    """A ledger line kind badge (charges orange, credits green)."""
    return _badge(FeeKind, value)


@register.inclusion_tag("circulation/_patron_circulation.html", takes_context=True)
def patron_circulation(context, patron):
    """Loans, holds and the ledger with the balance, for the staff patron page (staff holding
    ``circulation.view_loan`` only; others see nothing)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("circulation.view_loan"):
        return {"allowed": False}
    from .. import queries
    from ..queries_desk import ledger as ledger_lines
    from ..queries_desk import open_loans, patron_holds

    return {
        "allowed": True,
        "patron": patron,
        "loans": open_loans(patron),
        "holds": list(patron_holds(patron)),
        "ledger": ledger_lines(patron),
        "balance": queries.balance(patron),
        "perms": context.get("perms"),
        "request": request,
    }


@register.inclusion_tag("opac/_place_hold.html", takes_context=True)
def place_hold_form(context, record):
    """The "Place hold" form of the OPAC record page: choose a pickup branch; login first."""
    from pustaka.core.models import Branch

    request = context.get("request")
    user = getattr(request, "user", None)
    patron = getattr(user, "patron", None) if user is not None and user.is_authenticated else None
    return {
        "record": record,
        "logged_in": bool(user is not None and user.is_authenticated),
        "patron": patron,
        "branches": list(Branch.objects.filter(is_active=True).order_by("code")) if patron else [],
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
