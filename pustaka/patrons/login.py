"""Patrons log in with their card number too: the login limiter counts those tries on their account."""

from pustaka.core.login_limits import account_name_finder


@account_name_finder
def account_of_card(name: str) -> str | None:
    """The username of the patron account holding card ``name`` (any letter case), or None."""
    from .models import Patron

    return (
        Patron.objects.filter(card_number__iexact=name, user__isnull=False)
        .values_list("user__username", flat=True)
        .first()
    )
