"""Helpers the circulation actions share: who acts, blocks and refusals, amounts, item moves, notices."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import PermissionDenied, PustakaError
from pustaka.core.models import Branch
from pustaka.core.numbers import Money
from pustaka.core.permissions import has, is_staff_member
from pustaka.core.validators import clean_amount
from pustaka.holdings import actions as holdings_actions
from pustaka.holdings import transitions
from pustaka.holdings.choices import Workflow
from pustaka.holdings.models import Item

from ..errors import (
    InvalidAmount,
    NotYourAccount,
    PatronBlocked,
    PatronOfAnotherBranch,
)
from ..models import FeeEntry, Hold, Loan

ZERO = Decimal("0.00")


CENT = Decimal("0.01")


MAX_AMOUNT = Decimal("9999999999.99")


@dataclass
class CheckinResult:
    """What a return (or a transit arrival) did: where the copy goes next, and any fine charged."""

    loan: Loan | None
    item: Item
    destination: str  # "shelf" | "hold_shelf" | "transit"
    hold: Hold | None = None
    fine: FeeEntry | None = None
    transit_to: Branch | None = None
    messages: list[str] = field(default_factory=list)


def _now(now):
    return now or timezone.now()


def _staff(actor) -> bool:
    return actor is None or is_staff_member(actor)


def _item_actor(actor):
    """Who moves the item: the staff member, or the system for a patron's own self-service action."""
    return actor if actor is not None and is_staff_member(actor) else None


def _authorize(actor, patron, perm: str, *, self_service: bool) -> bool:
    """Allow staff holding ``perm``, or (``self_service``) the patron's own login.

    Returns True when the actor acts as staff. A patron acting on another account gets
    :class:`NotYourAccount`; a member of staff without ``perm`` gets :class:`PermissionDenied`.
    """
    if has(actor, perm):
        return True
    if self_service and actor is not None and patron.user_id and actor.pk == patron.user_id:
        return False
    if actor is not None and not is_staff_member(actor):
        raise NotYourAccount()
    raise PermissionDenied()


def _require_scope(actor, patron) -> None:
    """Staff act on a member's loans and ledger only when they may serve that member
    (:func:`pustaka.patrons.queries.can_manage`: their home branch's members; administrators all)."""
    from pustaka.patrons.queries import can_manage

    if actor is not None and is_staff_member(actor) and not can_manage(actor, patron):
        branch = patron.home_branch.code if patron.home_branch_id else "?"
        raise PatronOfAnotherBranch(patron=patron.card_number, branch=branch)


@dataclass
class _Blocks:
    """Why a patron may not borrow, twice: ``public`` names only the kinds of block (what a patron,
    the OPAC and SIP2 may see), ``staff`` the explanations (a manual block's note is for staff)."""

    public: list[str]
    staff: list[str]

    def __bool__(self) -> bool:
        return bool(self.public)


def _block_reasons(patron, now) -> _Blocks:
    from pustaka.patrons.queries import blocks

    found = blocks(patron, now=now)
    public, staff = [], []
    for reason, text in found:
        label = str(reason.label)
        if label not in public:
            public.append(label)
        staff.append((str(text) or label).rstrip(". "))
    if not patron.is_active:
        public.insert(0, gettext("the membership is not active"))
        staff.insert(0, gettext("the membership is not active"))
    return _Blocks(public=public, staff=staff)


def _blocked(patron, reasons: _Blocks) -> PatronBlocked:
    return PatronBlocked(
        patron=patron.full_name or patron.card_number,
        reasons="; ".join(reasons.public),
        staff={"reasons": "; ".join(reasons.staff)},
    )


def _blocked_reason(reasons: _Blocks) -> dict:
    """``reason`` (public) and ``staff`` params of a renewal or hold refused because of blocks."""
    text = gettext("the patron is blocked: %(reasons)s")
    return {
        "reason": text % {"reasons": "; ".join(reasons.public)},
        "staff": {"reason": text % {"reasons": "; ".join(reasons.staff)}},
    }


class _Refusals:
    """Collects refusals: non-overridable ones are raised at once, overridable ones at the end
    unless the actor overrides them (then they are listed in ``overridden``)."""

    def __init__(self, actor, override: bool):
        self.may_override = bool(override) and has(actor, "circulation.override")
        self.overridden: list[PustakaError] = []

    def add(self, error: PustakaError, *, overridable: bool | None = None) -> None:
        can = error.overridable if overridable is None else overridable
        if can and self.may_override:
            self.overridden.append(error)
            return
        raise error

    @property
    def codes(self) -> str:
        return ", ".join(e.code for e in self.overridden)[:200]


def _money(value, *, field="amount") -> Decimal:
    return clean_amount(value, field=field, label=_("Amount"), error=InvalidAmount, limit=Money(MAX_AMOUNT))


def _move(item: Item, to: str, actor) -> Item:
    if item.status == to:
        return item
    return holdings_actions.move_item(item=item, to=to, actor=_item_actor(actor), workflow=Workflow.DESK)


def _notify(kind: str, pk: int) -> None:
    """Send a notice after commit if the notices module offers it (written by the desk helper)."""
    try:
        from . import notices
    except ImportError:
        return
    sender = getattr(notices, kind, None)
    if sender is None:
        return
    try:
        sender(pk)
    except Exception:  # a notice that fails must not undo a loan; the notices module logs its errors
        return


#: Where a copy may be lent from (the shelf, the hold shelf, the shelving trolley) and set aside for a
#: hold from: read from the lifecycle table, so the desk and the table never disagree.
LENDABLE_STATUSES = transitions.sources("holdings.item.lend")


TRAPPABLE_STATUSES = transitions.sources("holdings.item.trap_hold")
