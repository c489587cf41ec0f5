"""API: patrons (``/api/v1/patrons``) and their blocks (``/api/v1/patrons/{id}/blocks``).

Staff only (a patron's token gets 403). Reads need ``patrons.view_patron`` and show the patrons the
user may see (:func:`pustaka.patrons.queries.patrons_for`: administrators all, other staff their home
branch's); creating needs ``patrons.register``, changing ``patrons.edit_patron``, blocking and
lifting blocks ``patrons.block``. Writes go through :mod:`pustaka.patrons.actions`. A PIN is
write-only: answers say only whether one is set.
"""

import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core.api import ERRORS, MAX_ID, InSchema, Pagination, QuerySchema, api, staff_endpoint
from pustaka.core.permissions import require

from . import actions, queries
from .choices import BlockReason
from .errors import PatronRecordNotFound
from .models import Patron

router = Router(tags=["patrons"])


class PatronOut(Schema):
    """A patron as staff see it."""

    id: int
    card_number: str
    first_name: str
    last_name: str
    full_name: str
    category: str = Field(..., description="The category's code.")
    category_name: str
    home_branch: str = Field(..., description="The home branch's code.")
    email: str
    phone: str
    address: str
    date_of_birth: datetime.date | None
    expires_on: datetime.date
    is_expired: bool
    guardian: str | None = Field(None, description="The guardian's card number.")
    language: str
    keep_history: bool
    has_pin: bool
    has_login: bool
    is_active: bool
    id_type: str = Field(..., description="nik, nisn, nim or nip (empty: none).")
    id_number: str
    unit: str | None = Field(None, description="The code of the patron's class, faculty or programme.")
    notice_channels: list[str] = Field(..., description="email, whatsapp, sms: how notices are sent.")
    blocked_by_staff: bool | None = Field(None, description="Whether a manual block is open (lists only).")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_category(obj: Patron) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj: Patron) -> str:
        return obj.category.name

    @staticmethod
    def resolve_home_branch(obj: Patron) -> str:
        return obj.home_branch.code

    @staticmethod
    def resolve_guardian(obj: Patron) -> str | None:
        return obj.guardian.card_number if obj.guardian_id else None

    @staticmethod
    def resolve_unit(obj: Patron) -> str | None:
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_has_pin(obj: Patron) -> bool:
        return bool(obj.pin)

    @staticmethod
    def resolve_has_login(obj: Patron) -> bool:
        return obj.user_id is not None

    @staticmethod
    def resolve_blocked_by_staff(obj: Patron) -> bool | None:
        return getattr(obj, "blocked_by_staff", None)


class PatronFilters(QuerySchema):
    q: str = Field("", max_length=100, description="Start of the card number, or words of the name.")


class PatronIn(InSchema):
    card_number: str = Field(..., max_length=64)
    last_name: str = Field(..., max_length=300)
    first_name: str = Field("", max_length=300)
    category: str = Field(..., max_length=32, description="A patron category's code, e.g. PUBLIC.")
    home_branch: str = Field(..., max_length=32, description="A branch code, e.g. MAIN.")
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=100)
    address: str = Field("", max_length=2000)
    date_of_birth: str | None = Field(None, max_length=40, description="YYYY-MM-DD")
    expires_on: str | None = Field(None, max_length=40, description="YYYY-MM-DD; default: today + the period")
    guardian: str | None = Field(None, max_length=64, description="The guardian's card number (children).")
    language: str = Field("", max_length=8)
    keep_history: bool = False
    staff_note: str = Field("", max_length=10000)
    pin: str = Field("", max_length=16, description="4 to 8 digits, for self-check machines.")
    id_type: str = Field("", max_length=8, description="nik, nisn, nim or nip.")
    id_number: str = Field("", max_length=40, description="NIK 16 digits, NISN 10, NIP 18, NIM 5 to 20 characters.")
    unit: str | None = Field(None, max_length=32, description="A class, faculty or programme code.")
    notice_channels: list[str] | None = Field(None, max_length=3, description="Default: email when there is one.")


class PatronPatch(InSchema):
    card_number: str | None = Field(None, max_length=64)
    last_name: str | None = Field(None, max_length=300)
    first_name: str | None = Field(None, max_length=300)
    category: str | None = Field(None, max_length=32)
    home_branch: str | None = Field(None, max_length=32)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=2000)
    date_of_birth: str | None = Field(None, max_length=40)
    expires_on: str | None = Field(None, max_length=40)
    guardian: str | None = Field(None, max_length=64, description="A card number; empty removes the guardian.")
    language: str | None = Field(None, max_length=8)
    keep_history: bool | None = None
    staff_note: str | None = Field(None, max_length=10000)
    is_active: bool | None = None
    pin: str | None = Field(None, max_length=16, description="A new PIN (4 to 8 digits).")
    id_type: str | None = Field(None, max_length=8)
    id_number: str | None = Field(None, max_length=40)
    unit: str | None = Field(None, max_length=32, description="A code; empty removes the unit.")
    notice_channels: list[str] | None = Field(None, max_length=3)


class BlockOut(Schema):
    """One reason the patron may not borrow now."""

    reason: str = Field(..., description="manual, expired, overdues or fines")
    label: str
    detail: str


class BlocksOut(Schema):
    patron: int
    card_number: str
    blocked: bool
    blocks: list[BlockOut]


class BlockIn(InSchema):
    reason: str = Field(..., max_length=1000, description="Why (kept in the history).")


def _patron(request, patron_id: int) -> Patron:
    if not 0 < patron_id <= MAX_ID:
        raise PatronRecordNotFound(id=patron_id)
    found = (
        queries.patrons_for(request.user)
        .select_related("category", "home_branch", "guardian", "unit")
        .filter(pk=patron_id)
        .first()
    )
    if found is None:
        raise PatronRecordNotFound(id=patron_id)
    return found


def _blocks(patron: Patron) -> dict:
    found = queries.blocks(patron)
    return {
        "patron": patron.pk,
        "card_number": patron.card_number,
        "blocked": bool(found),
        "blocks": [
            {"reason": reason.value, "label": str(BlockReason(reason).label), "detail": text} for reason, text in found
        ],
    }


@router.get("/patrons", response={200: list[PatronOut], **ERRORS}, summary="Patrons, by name")
@paginate(Pagination)
@staff_endpoint("patrons.view_patron")
def list_patrons(request, filters: Query[PatronFilters]):
    """Staff with ``patrons.view_patron``: the patrons they may see, searched by card number or name."""
    return queries.search(request.user, filters.q).select_related("guardian", "unit")


@router.get("/patrons/{patron_id}", response={200: PatronOut, **ERRORS})
@staff_endpoint("patrons.view_patron")
def get_patron(request, patron_id: int):
    """Staff with ``patrons.view_patron``; a patron of another branch is not found (404)."""
    return _patron(request, patron_id)


@router.post("/patrons", response={201: PatronOut, **ERRORS})
@staff_endpoint(actions.create_patron.permission)
def create_patron(request, payload: PatronIn):
    """Staff with ``patrons.register`` enrol a patron (``patrons.patron.create``)."""
    patron = actions.create_patron(actor=request.user, **payload.model_dump())
    return Status(201, queries.detail(patron.pk))


@router.patch("/patrons/{patron_id}", response={200: PatronOut, **ERRORS})
@staff_endpoint(actions.update_patron.permission)
def update_patron(request, patron_id: int, payload: PatronPatch):
    """Staff with ``patrons.edit_patron`` change a patron; ``pin`` sets a new PIN."""
    patron = _patron(request, patron_id)
    changes = payload.model_dump(exclude_unset=True)
    pin = changes.pop("pin", None)
    # null leaves a value as it is, except the guardian and the date of birth, which it clears.
    changes = {k: v for k, v in changes.items() if v is not None or k in {"guardian", "date_of_birth"}}
    require(request.user, "patrons.edit_patron")
    if changes:
        patron = actions.update_patron(patron=patron, actor=request.user, **changes)
    if pin is not None:
        actions.set_pin(patron=patron, actor=request.user, pin=pin)
    return queries.detail(patron.pk)


@router.get("/patrons/{patron_id}/blocks", response={200: BlocksOut, **ERRORS})
@staff_endpoint("patrons.view_patron")
def get_blocks(request, patron_id: int):
    """Staff with ``patrons.view_patron``: every reason the patron may not borrow now (empty: may borrow)."""
    return _blocks(_patron(request, patron_id))


@router.post("/patrons/{patron_id}/blocks", response={201: BlocksOut, **ERRORS})
@staff_endpoint(actions.block_patron.permission)
def add_block(request, patron_id: int, payload: BlockIn):
    """Staff with ``patrons.block`` block a patron by hand, with a reason."""
    patron = _patron(request, patron_id)
    actions.block_patron(patron=patron, actor=request.user, reason=payload.reason)
    return Status(201, _blocks(patron))


@router.post("/patrons/{patron_id}/blocks/lift", response={200: BlocksOut, **ERRORS})
@staff_endpoint(actions.unblock_patron.permission)
def lift_blocks(request, patron_id: int, payload: BlockIn):
    """Staff with ``patrons.block`` lift every manual block, with a reason (409 when none is open)."""
    patron = _patron(request, patron_id)
    actions.unblock_patron(patron=patron, actor=request.user, reason=payload.reason)
    return _blocks(patron)


api.add_router("/", router)
