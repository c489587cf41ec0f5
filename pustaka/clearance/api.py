"""API of clearance letters (``/api/v1/clearance``): what blocks a patron's letter, issuing one, the
letters of a year or a patron, revoking. (A letter's verification code is checked on the public page
``/clearance/<code>/``, which needs no login.)

Reading needs ``clearance.view_clearanceletter``; issuing ``clearance.issue_clearance`` (and
``patrons.block`` to block loans); revoking ``clearance.revoke_clearance``. A refused letter answers
409 with ``code: clearance_blocked`` and ``blockers`` listing each reason. Writes go through
:mod:`pustaka.clearance.actions`.
"""

import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pustaka.core.api import ERRORS, InSchema, Pagination, QuerySchema, api, get_or_error, staff_endpoint
from pustaka.patrons.lookups import get_patron
from pustaka.patrons.queries import patrons_for

from . import actions, queries
from .choices import ClearancePurpose
from .errors import LetterNotFound

router = Router(tags=["clearance"])


class LetterOut(Schema):
    id: int
    number: str
    card_number: str
    patron_name: str
    branch: str
    purpose: str
    purpose_note: str
    issued_at: datetime.datetime
    valid_until: datetime.date | None
    blocks_loans: bool
    status: str
    is_valid: bool
    verification_code: str = Field(..., alias="code")

    @staticmethod
    def resolve_card_number(obj) -> str:
        return obj.patron.card_number

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.code


class BlockerOut(Schema):
    kind: str
    message: str
    details: list[str]


class ClearanceCheckOut(Schema):
    card_number: str
    cleared: bool
    blockers: list[BlockerOut]


class IssueIn(InSchema):
    card: str = Field(..., min_length=1, max_length=32, description="The patron's card number.")
    purpose: ClearancePurpose = ClearancePurpose.GRADUATION
    purpose_note: str = Field("", max_length=200)
    blocks_loans: bool = Field(False, description="Block further loans (needs patrons.block).")


class RevokeIn(InSchema):
    reason: str = Field(..., min_length=1, max_length=300)


class LetterFilters(QuerySchema):
    year: int | None = Field(None, ge=2000, le=2100)
    card: str = Field("", max_length=32)


def _patron(request, card: str):
    return get_patron(card, among=patrons_for(request.user), field="card")


@router.get("/clearance/check", response={200: ClearanceCheckOut, **ERRORS})
@staff_endpoint("clearance.view_clearanceletter")
def check(request, card: str = Query(..., max_length=32)):
    """Staff with ``clearance.view_clearanceletter``: may this patron have a letter, and if not, why."""
    patron = _patron(request, card)
    found = queries.blockers(patron)
    return {
        "card_number": patron.card_number,
        "cleared": not found,
        "blockers": [{"kind": b.kind, "message": str(b.text), "details": b.details} for b in found],
    }


@router.post("/clearance/letters", response={201: LetterOut, **ERRORS})
@staff_endpoint(actions.issue_clearance.permission)
def issue(request, payload: IssueIn):
    """Staff with ``clearance.issue_clearance`` (``clearance.letter.issue``); 409 listing the blockers."""
    letter = actions.issue_clearance(
        actor=request.user,
        patron=_patron(request, payload.card),
        purpose=payload.purpose,
        purpose_note=payload.purpose_note,
        blocks_loans=payload.blocks_loans,
    )
    return Status(201, queries.letters().get(pk=letter.pk))


@router.get("/clearance/letters", response={200: list[LetterOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("clearance.view_clearanceletter")
def list_letters(request, filters: Query[LetterFilters]):
    """Staff with ``clearance.view_clearanceletter``: letters, newest first (of a year, of a card)."""
    rows = queries.letters().filter(patron__in=patrons_for(request.user))
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.card:
        rows = rows.filter(patron__card_number__iexact=filters.card.strip())
    return rows


@router.post("/clearance/letters/{letter_id}/revoke", response={200: LetterOut, **ERRORS})
@staff_endpoint(actions.revoke_clearance.permission)
def revoke(request, letter_id: int, payload: RevokeIn):
    """Staff with ``clearance.revoke_clearance`` (``clearance.letter.revoke``)."""
    letter = get_or_error(
        queries.letters().filter(patron__in=patrons_for(request.user)),
        LetterNotFound,
        {"letter": letter_id},
        pk=letter_id,
    )
    actions.revoke_clearance(actor=request.user, letter=letter, reason=payload.reason)
    return queries.letters().get(pk=letter.pk)


api.add_router("/", router)
