"""Circulation API: loans, holds, the fines ledger, check-out and check-in.

Who may call what:

- ``/circulation/checkout`` and ``/circulation/checkin``: staff (the actions check
  ``circulation.checkout`` / ``circulation.checkin`` / ``circulation.renew``; overrides need ``circulation.override``).
- ``/loans/{id}/lost`` (``circulation.declare_lost`` and ``holdings.mark_lost``) and
  ``/loans/{id}/claim-returned`` (``circulation.claim_returned``): staff only.
- ``/loans``, ``/holds``, ``/fines``: staff with ``circulation.view_loan`` / ``view_hold`` /
  ``view_feeentry`` see the loans, holds and ledgers of the patrons they may see
  (:func:`pustaka.patrons.queries.patrons_for`: administrators every patron, other staff the patrons
  of their home branch); a patron logged in to the catalogue sees only their own (any ``patron``
  filter is ignored) and may renew their own loans and place and cancel their own holds.
- Branch scope: what staff *read* (lists and details of loans, holds and ledgers) is limited to
  those patrons (others are 404, as if they did not exist). What staff *do* to a member's loans and
  ledger (renew, declare lost, claim returned, pay, charge, waive) is checked inside the action, the
  same on the desk page, here and over SIP2: a member of another branch is 403
  ``patron_of_another_branch``. Lending and returning by barcode are not scoped: a member of one
  branch may borrow and return at another (``/circulation/checkout`` and ``/circulation/checkin``).
- Lookups (:mod:`pustaka.core.lookups`, the same on every path): barcodes, card numbers and branch
  codes in any letter case; an unknown one is 404 ``item_not_found`` / ``patron_not_found`` /
  ``branch_not_found`` naming the field.
- Payments need ``circulation.take_payment``; waivers ``circulation.waive_fee``; charges
  ``circulation.charge_fee``.

Refusals are typed errors answered as 4xx JSON ``{code, message, field?}`` (e.g. 409
``already_on_loan``, ``patron_blocked``, ``renewal_refused``; 404 ``patron_not_found``). A block's
explanation (a manual block's note is written by staff for staff) is in the message for staff callers
only; a patron is told the kinds of block.
"""

import math
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.catalog.errors import RecordNotFound
from pustaka.catalog.models import Record
from pustaka.core.api import (
    DEFAULT_PAGE_SIZE,
    ERRORS,
    MAX_ID,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    AmountIn,
    InSchema,
    Pagination,
    QuerySchema,
    api,
    get_or_error,
    patron_endpoint,
    staff_endpoint,
)
from pustaka.core.errors import NotFound, PermissionDenied, ValidationFailed
from pustaka.core.lookups import get_branch
from pustaka.core.models import Branch
from pustaka.core.permissions import is_staff_member
from pustaka.holdings.lookups import get_item
from pustaka.holdings.models import Item
from pustaka.patrons.lookups import get_patron

from . import actions, queries
from .choices import FeeKind, HoldStatus, PaymentMethod
from .errors import CirculationRefused
from .models import FeeEntry, Hold, Loan

router = Router(tags=["circulation"])


class LoanNotFound(NotFound):
    code = "loan_not_found"
    message = _("There is no loan #%(id)s.")


class HoldNotFound(NotFound):
    code = "hold_not_found"
    message = _("There is no hold #%(id)s.")


class FeeNotFound(NotFound):
    code = "fee_not_found"
    message = _("There is no ledger entry #%(id)s.")


# --- Schemas -------------------------------------------------------------------------------------


class ItemRef(Schema):
    barcode: str
    record_id: int
    title: str


class PatronRef(Schema):
    card_number: str
    name: str


class LoanOut(Schema):
    id: int
    item: ItemRef
    patron: PatronRef
    branch: str
    checked_out_at: datetime
    due_at: datetime
    renewals: int
    returned_at: datetime | None
    return_branch: str | None
    is_overdue: bool
    is_lost: bool
    claimed_returned_at: datetime | None
    overridden: str

    @staticmethod
    def resolve_item(obj):
        return {"barcode": obj.item.barcode, "record_id": obj.item.record_id, "title": obj.item.record.title}

    @staticmethod
    def resolve_patron(obj):
        return {"card_number": obj.patron.card_number, "name": obj.patron.full_name}

    @staticmethod
    def resolve_branch(obj):
        return obj.branch.code

    @staticmethod
    def resolve_return_branch(obj):
        return obj.return_branch.code if obj.return_branch_id else None

    @staticmethod
    def resolve_is_overdue(obj):
        return (
            obj.returned_at is None
            and not obj.is_lost
            and obj.claimed_returned_at is None
            and obj.due_at < timezone.now()
        )


class HoldOut(Schema):
    id: int
    record_id: int
    title: str
    item: str | None = Field(None, description="Barcode of the copy asked for (item-level holds).")
    patron: PatronRef
    pickup_branch: str
    status: str
    status_label: str
    placed_at: datetime
    expires_on: date | None
    trapped_item: str | None
    ready_at: datetime | None
    shelf_until: date | None
    closed_at: datetime | None

    @staticmethod
    def resolve_title(obj):
        return obj.record.title

    @staticmethod
    def resolve_item(obj):
        return obj.item.barcode if obj.item_id else None

    @staticmethod
    def resolve_patron(obj):
        return {"card_number": obj.patron.card_number, "name": obj.patron.full_name}

    @staticmethod
    def resolve_pickup_branch(obj):
        return obj.pickup_branch.code

    @staticmethod
    def resolve_status_label(obj):
        return str(HoldStatus(obj.status).label)

    @staticmethod
    def resolve_trapped_item(obj):
        return obj.trapped_item.barcode if obj.trapped_item_id else None


class FeeOut(Schema):
    id: int
    kind: str
    kind_label: str
    amount: Decimal
    is_credit: bool
    loan_id: int | None
    settles_id: int | None
    payment_method: str
    note: str
    created_at: datetime
    created_by: str | None

    @staticmethod
    def resolve_kind_label(obj):
        return str(FeeKind(obj.kind).label)

    @staticmethod
    def resolve_is_credit(obj):
        return obj.kind in FeeKind.credits()

    @staticmethod
    def resolve_created_by(obj):
        return obj.created_by.get_username() if obj.created_by_id else None


class LedgerOut(Schema):
    patron: PatronRef
    balance: Decimal
    items: list[FeeOut]
    count: int
    page: int
    page_size: int
    pages: int


class CheckinOut(Schema):
    destination: Literal["shelf", "hold_shelf", "transit"]
    item: str
    item_status: str
    loan: LoanOut | None
    hold_id: int | None
    hold_patron: PatronRef | None
    fine: FeeOut | None
    transit_to: str | None


class CheckoutIn(InSchema):
    barcode: str = Field(..., min_length=1, max_length=32)
    card_number: str = Field(..., min_length=1, max_length=40)
    branch: str | None = Field(None, max_length=16, description="Branch code; default: your home branch.")
    override: bool = False


class CheckinIn(InSchema):
    barcode: str = Field(..., min_length=1, max_length=32)
    branch: str | None = Field(None, max_length=16, description="Branch code; default: your home branch.")


class RenewIn(InSchema):
    override: bool = False


class HoldIn(InSchema):
    record_id: int = Field(..., ge=1, le=MAX_ID)
    pickup_branch: str = Field(..., min_length=1, max_length=16)
    card_number: str | None = Field(None, max_length=40, description="Staff: whose hold. Patrons: leave out.")
    item: str | None = Field(None, max_length=32, description="Barcode, for a hold on one copy.")
    expires_on: date | None = None


class HoldChangeIn(InSchema):
    pickup_branch: str | None = Field(None, min_length=1, max_length=16)
    expires_on: date | None = None


class PaymentIn(InSchema):
    card_number: str = Field(..., min_length=1, max_length=40)
    amount: AmountIn = Field(..., gt=0, max_digits=12, decimal_places=2)
    method: Literal[tuple(PaymentMethod.values)] = PaymentMethod.CASH
    note: str = Field("", max_length=300)
    branch: str | None = Field(None, max_length=16)


class WaiverIn(InSchema):
    amount: AmountIn = Field(..., gt=0, max_digits=12, decimal_places=2)
    reason: str = Field(..., min_length=1, max_length=300)


class ChargeIn(InSchema):
    card_number: str = Field(..., min_length=1, max_length=40)
    kind: Literal[tuple(k for k in FeeKind.values if k not in FeeKind.credits())]
    amount: AmountIn = Field(..., gt=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=300)


class LoanFilters(QuerySchema):
    patron: str = Field("", max_length=40, description="Card number.")
    open: bool | None = Field(None, description="true: not returned; false: returned.")
    overdue: bool = False


class HoldFilters(QuerySchema):
    patron: str = Field("", max_length=40, description="Card number.")
    record: int | None = Field(None, ge=1, le=MAX_ID)
    status: Literal[("", "open", *HoldStatus.values)] = ""


class LedgerQuery(QuerySchema):
    patron: str = Field("", max_length=40, description="Card number (staff).")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


# --- Helpers -------------------------------------------------------------------------------------


def _me(request):
    """The caller's own patron record when the caller is a patron (not staff); None for staff."""
    user = request.user
    if is_staff_member(user):
        return None
    patron = getattr(user, "patron", None) if user.is_authenticated else None
    if patron is None:
        raise PermissionDenied()
    return patron


def _patron(card: str, user=None, *, scoped: bool = True):
    """The patron holding ``card``; with ``scoped`` (the default) only one ``user`` may see
    (:func:`pustaka.patrons.queries.patrons_for`), others are ``PatronNotFound`` like unknown cards."""
    from pustaka.patrons.queries import is_administrator, patrons_for

    if not scoped or is_administrator(user):
        return get_patron(card, field="card_number")
    return get_patron(card, among=patrons_for(user), field="card_number")


def _scoped(qs: QuerySet, user, field: str = "patron") -> QuerySet:
    """``qs`` limited to rows whose ``field`` is a patron ``user`` may see (administrators: all)."""
    from pustaka.patrons.queries import is_administrator, patrons_for

    if is_administrator(user):
        return qs
    return qs.filter(**{f"{field}__in": patrons_for(user).values("pk")})


@contextmanager
def _refusals_for(request):
    """Refusals raised inside tell staff callers the staff detail (a block's note); patrons get the
    patron-facing text."""
    try:
        yield
    except CirculationRefused as error:
        if is_staff_member(request.user):
            error.for_staff()
        raise


def _branch(request, code: str | None) -> Branch:
    if code:
        return get_branch(code, field="branch")
    branch = getattr(request.user, "home_branch", None)
    if branch is None:
        raise ValidationFailed(_("Say at which branch (you have no home branch)."), field="branch")
    return branch


def _item(barcode: str) -> Item:
    return get_item(barcode, field="barcode", queryset=Item.objects.select_related("record"))


def _loans() -> QuerySet:
    return Loan.objects.select_related("item__record", "patron", "branch", "return_branch")


def _loan(loan_id: int, me=None, *, user=None) -> Loan:
    """A loan: the patron's own (``me``), one of a patron ``user`` may see, or (neither) any."""
    qs = _loans()
    if me is not None:
        qs = qs.filter(patron=me)
    elif user is not None:
        qs = _scoped(qs, user)
    return get_or_error(qs, LoanNotFound, {"id": loan_id}, pk=loan_id)


def _holds() -> QuerySet:
    return Hold.objects.select_related("record", "item", "patron", "pickup_branch", "trapped_item")


# --- Desk ----------------------------------------------------------------------------------------


@router.post("/circulation/checkout", response={201: LoanOut, **ERRORS})
@staff_endpoint(actions.checkout.permission)
def checkout(request, payload: CheckoutIn):
    """Staff (``circulation.checkout``) lend a copy by barcode to a patron by card number."""
    patron = _patron(payload.card_number, scoped=False)  # a member of one branch may borrow at another
    item = _item(payload.barcode)
    with _refusals_for(request):
        loan = actions.checkout(
            item=item,
            patron=patron,
            branch=_branch(request, payload.branch),
            actor=request.user,
            override=payload.override,
        )
    return Status(201, _loan(loan.pk))


@router.post("/circulation/checkin", response={200: CheckinOut, **ERRORS})
@staff_endpoint(actions.checkin.permission)
def checkin(request, payload: CheckinIn):
    """Staff (``circulation.checkin``) return a copy; the answer says where it goes next."""
    result = actions.checkin(item=_item(payload.barcode), branch=_branch(request, payload.branch), actor=request.user)
    hold = result.hold
    return {
        "destination": result.destination,
        "item": result.item.barcode,
        "item_status": result.item.status,
        "loan": _loan(result.loan.pk) if result.loan else None,
        "hold_id": hold.pk if hold else None,
        "hold_patron": {"card_number": hold.patron.card_number, "name": hold.patron.full_name} if hold else None,
        "fine": result.fine,
        "transit_to": result.transit_to.code if result.transit_to else None,
    }


# --- Loans ---------------------------------------------------------------------------------------


@router.get("/loans", response={200: list[LoanOut], **ERRORS})
@paginate(Pagination)
@patron_endpoint("circulation.view_loan")
def list_loans(request, filters: Query[LoanFilters]):
    """Staff with ``circulation.view_loan``: loans filtered by patron card, open, overdue (soonest due
    first). A patron: their own loans."""
    me = _me(request)
    patron = me or (_patron(filters.patron, request.user) if filters.patron else None)
    qs = queries.loans(patron=patron, open=filters.open, overdue=filters.overdue).select_related("return_branch")
    if me is None:
        qs = _scoped(qs, request.user)
    return qs.order_by("returned_at", "due_at", "id") if filters.open is None else qs.order_by("due_at", "id")


@router.get("/loans/{loan_id}", response={200: LoanOut, **ERRORS})
@patron_endpoint("circulation.view_loan")
def get_loan(request, loan_id: int):
    """Staff with ``circulation.view_loan`` (a loan of a patron they may see), or the patron whose loan it is."""
    return _loan(loan_id, _me(request), user=request.user)


@router.post("/loans/{loan_id}/renew", response={200: LoanOut, **ERRORS})
@patron_endpoint(actions.renew.permission)
def renew_loan(request, loan_id: int, payload: RenewIn | None = None):
    """Staff (``circulation.renew``) or the patron whose loan it is renew it; 409
    ``renewal_refused`` says why not."""
    _me(request)  # anonymous callers are refused; the action checks whose loan it is and the scope
    loan = get_or_error(Loan.objects.all(), LoanNotFound, {"id": loan_id}, pk=loan_id)
    override = bool(payload and payload.override)
    with _refusals_for(request):
        actions.renew(loan=loan, actor=request.user, override=override)
    return _loan(loan_id)


@router.post("/loans/{loan_id}/lost", response={200: LoanOut, **ERRORS})
@staff_endpoint(("circulation.declare_lost", "holdings.mark_lost"))
def declare_lost(request, loan_id: int):
    """Staff (``circulation.declare_lost`` and ``holdings.mark_lost``) declare the copy of an open loan
    lost: the copy's price (or the rule's replacement charge) and the processing fee are charged and
    the copy becomes lost. 409 ``not_on_loan`` or ``claim_refused`` says why not."""
    loan = _loan(loan_id)  # the action refuses a member of another branch (403)
    actions.declare_lost(loan=loan, actor=request.user)
    return _loan(loan_id)


@router.post("/loans/{loan_id}/claim-returned", response={200: LoanOut, **ERRORS})
@staff_endpoint(actions.claim_returned.permission)
def claim_returned(request, loan_id: int):
    """Staff (``circulation.claim_returned``) record that the patron says the copy was returned: no
    more fine accrues and the loan is no longer overdue; checking the copy in closes it. 409
    ``not_on_loan`` or ``claim_refused`` says why not."""
    loan = _loan(loan_id)  # the action refuses a member of another branch (403)
    actions.claim_returned(loan=loan, actor=request.user)
    return _loan(loan_id)


# --- Holds ---------------------------------------------------------------------------------------


@router.get("/holds", response={200: list[HoldOut], **ERRORS})
@paginate(Pagination)
@patron_endpoint("circulation.view_hold")
def list_holds(request, filters: Query[HoldFilters]):
    """Staff with ``circulation.view_hold``: holds by patron, title, status (queue order). A patron:
    their own."""
    me = _me(request)
    patron = me or (_patron(filters.patron, request.user) if filters.patron else None)
    qs = queries.holds(patron=patron, record=filters.record, status=filters.status or None)
    if me is None:
        qs = _scoped(qs, request.user)
    return qs.order_by("placed_at", "id")


@router.post("/holds", response={201: HoldOut, **ERRORS})
@patron_endpoint(actions.place_hold.permission)
def place_hold(request, payload: HoldIn):
    """Staff (``circulation.place_hold``) place a hold for a patron (``card_number``); a patron places
    their own. 409 ``hold_refused`` says why not."""
    me = _me(request)
    if me is None:
        if not payload.card_number:
            raise ValidationFailed(_("Give the patron's card number."), field="card_number")
        patron = _patron(payload.card_number, request.user)
    else:
        patron = me
    record = get_or_error(
        Record.objects.only("id", "title"), RecordNotFound, {"id": payload.record_id}, pk=payload.record_id
    )
    item = None
    if payload.item:
        item = _item(payload.item)
    pickup = get_branch(payload.pickup_branch, field="pickup_branch")
    with _refusals_for(request):
        hold = actions.place_hold(
            patron=patron,
            record=record,
            pickup_branch=pickup,
            actor=request.user,
            item=item,
            expires_on=payload.expires_on,
        )
    return Status(201, _holds().get(pk=hold.pk))


@router.patch("/holds/{hold_id}", response={200: HoldOut, **ERRORS})
@patron_endpoint(actions.change_hold.permission)
def change_hold(request, hold_id: int, payload: HoldChangeIn):
    """Staff (``circulation.manage_holds``) or the patron whose hold it is change its pickup branch
    and/or "not needed after" date; the hold keeps its place in the queue. 409 ``hold_on_shelf``
    when the copy already waits on the hold shelf and a new branch is asked for."""
    holds = _holds() if _me(request) is not None else _scoped(_holds(), request.user)
    hold = get_or_error(holds, HoldNotFound, {"id": hold_id}, pk=hold_id)
    pickup = None
    if payload.pickup_branch:
        pickup = get_branch(payload.pickup_branch, field="pickup_branch")
    actions.change_hold(hold=hold, actor=request.user, pickup_branch=pickup, expires_on=payload.expires_on)
    return _holds().get(pk=hold_id)


@router.post("/holds/{hold_id}/cancel", response={200: HoldOut, **ERRORS})
@patron_endpoint(actions.cancel_hold.permission)
def cancel_hold(request, hold_id: int):
    """Staff (``circulation.manage_holds``) or the patron whose hold it is cancel it."""
    holds = _holds() if _me(request) is not None else _scoped(_holds(), request.user)
    hold = get_or_error(holds, HoldNotFound, {"id": hold_id}, pk=hold_id)
    actions.cancel_hold(hold=hold, actor=request.user)
    return _holds().get(pk=hold_id)


# --- Fines ---------------------------------------------------------------------------------------


@router.get("/fines", response={200: LedgerOut, **ERRORS})
@patron_endpoint("circulation.view_feeentry")
def ledger(request, filters: Query[LedgerQuery]):
    """Staff with ``circulation.view_feeentry``: one patron's ledger (``?patron=CARD``), newest
    first, with the balance. A patron: their own."""
    me = _me(request)
    if me is None and not filters.patron:
        raise ValidationFailed(_("Give the patron's card number."), field="patron")
    patron = me or _patron(filters.patron, request.user)
    qs = queries.ledger(patron)
    count = qs.count()
    offset = (filters.page - 1) * filters.page_size
    return {
        "patron": {"card_number": patron.card_number, "name": patron.full_name},
        "balance": queries.balance(patron),
        "items": list(qs[offset : offset + filters.page_size]),
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": max(1, math.ceil(count / filters.page_size)),
    }


def _fee(fee_id: int) -> FeeEntry:
    return FeeEntry.objects.select_related("created_by").get(pk=fee_id)


@router.post("/fines/payments", response={201: FeeOut, **ERRORS})
@staff_endpoint(actions.pay.permission)
def pay(request, payload: PaymentIn):
    """Staff with ``circulation.take_payment`` record a payment (never more than the balance: 400
    ``invalid_amount``)."""
    branch = _branch(request, payload.branch) if payload.branch or request.user.home_branch_id else None
    fee = actions.pay(
        patron=_patron(payload.card_number, scoped=False),  # the action checks the branch scope (403)
        amount=payload.amount,
        method=payload.method,
        actor=request.user,
        note=payload.note,
        branch=branch,
    )
    return Status(201, _fee(fee.pk))


@router.post("/fines/charges", response={201: FeeOut, **ERRORS})
@staff_endpoint(actions.charge.permission)
def charge(request, payload: ChargeIn):
    """Staff with ``circulation.charge_fee`` add a charge to a patron's ledger."""
    fee = actions.charge(
        patron=_patron(payload.card_number, scoped=False),  # the action checks the branch scope (403)
        kind=payload.kind,
        amount=payload.amount,
        actor=request.user,
        note=payload.note,
    )
    return Status(201, _fee(fee.pk))


@router.post("/fines/{fee_id}/waiver", response={201: FeeOut, **ERRORS})
@staff_endpoint(actions.waive.permission)
def waive(request, fee_id: int, payload: WaiverIn):
    """Staff with ``circulation.waive_fee`` waive all or part of one charge, with a reason."""
    fee = get_or_error(FeeEntry.objects.all(), FeeNotFound, {"id": fee_id}, pk=fee_id)  # scope: in the action
    credit = actions.waive(fee=fee, amount=payload.amount, reason=payload.reason, actor=request.user)
    return Status(201, _fee(credit.pk))


api.add_router("/", router)
