"""Reads of clearance letters shared by the pages, the API and the actions: what stops a patron's
letter, the letters (of a patron, of a year), the letter a verification code names."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pustaka.core.numbers import format_amount

from .models import ClearanceLetter


@dataclass
class Blocker:
    """One reason a clearance letter cannot be issued: ``kind`` (loans, charges, holds), how many
    (or how much), the sentence that says it, and the titles or lines it is about."""

    kind: str
    count: int | Decimal
    text: str
    details: list[str] = field(default_factory=list)


def blockers(patron) -> list[Blocker]:
    """Everything that stops ``patron``'s clearance: open loans, unpaid charges, pending holds (three
    queries). Empty: the patron owes the library nothing."""
    from pustaka.circulation.choices import HoldStatus
    from pustaka.circulation.models import Hold, Loan
    from pustaka.circulation.queries import balance

    found: list[Blocker] = []
    loans = list(
        Loan.objects.filter(patron=patron, returned_at__isnull=True)
        .select_related("item__record")
        .order_by("due_at", "id")
        .values_list("item__barcode", "item__record__title")
    )
    if loans:
        found.append(
            Blocker(
                "loans",
                len(loans),
                ngettext("%(count)s item is still on loan.", "%(count)s items are still on loan.", len(loans))
                % {"count": len(loans)},
                [f"{barcode} · {title}" for barcode, title in loans],
            )
        )
    owed = balance(patron)
    if owed > 0:
        found.append(
            Blocker(
                "charges",
                owed,
                str(_("Unpaid charges of %(amount)s.") % {"amount": format_amount(owed)}),
            )
        )
    holds = list(
        Hold.objects.filter(patron=patron, status__in=list(HoldStatus.open()))
        .order_by("placed_at", "id")
        .values_list("record__title", flat=True)
    )
    if holds:
        found.append(
            Blocker(
                "holds",
                len(holds),
                ngettext(
                    "%(count)s hold is still waiting (cancel it or collect it).",
                    "%(count)s holds are still waiting (cancel them or collect them).",
                    len(holds),
                )
                % {"count": len(holds)},
                list(holds),
            )
        )
    return found


def letters() -> QuerySet:
    """Every letter with its patron, branch and issuer, newest first."""
    return ClearanceLetter.objects.select_related("patron", "branch", "issued_by", "revoked_by")


def letters_of(patron) -> QuerySet:
    """The patron's letters, newest first."""
    return letters().filter(patron=patron)


def by_code(code: str) -> ClearanceLetter | None:
    """The letter a verification code names (exactly; codes are random), or None."""
    code = str(code or "").strip()
    if not code or len(code) > 32:
        return None
    return ClearanceLetter.objects.select_related("branch").filter(code=code).first()
