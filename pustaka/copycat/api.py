"""API of copy cataloguing (``/api/v1/copycat``): search remote catalogues, copy a result with its copies,
and the list of catalogues (read by staff who may see it, changed by those with
``copycat.manage_targets``).

``GET /copycat/search`` (``copycat.copy_catalogue``) asks one catalogue (``target``: its name or id)
or every enabled one, each in its own thread with its own timeout; a catalogue that fails is listed
with its ``error`` (code and translated message) beside the others' records, so the answer is 200.
Each readable record carries the local records it may duplicate and a signed ``token``;
``POST /copycat/import`` takes that token with the copies to add (``copycat.record.import``, which
also needs ``catalog.catalogue`` and ``holdings.add_copy``). Writes go through
:mod:`pustaka.copycat.actions`.
"""

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from pustaka.core.api import ERRORS, InSchema, QuerySchema, api, staff_endpoint
from pustaka.core.errors import ValidationFailed
from pustaka.core.lookups import get_branch
from pustaka.holdings.models import ItemType
from pustaka.holdings.transitions import INITIAL_STATUSES

from . import actions, errors, queries
from .clients import Terms
from .models import Target

router = Router(tags=["copycat"])


class SearchFilters(QuerySchema):
    target: str = Field("", max_length=100, description="A catalogue's name or id; empty: every enabled one.")
    isbn: str = Field("", max_length=40)
    title: str = Field("", max_length=200)
    author: str = Field("", max_length=200)
    keywords: str = Field("", max_length=200)
    limit: int = Field(10, ge=1, le=50, description="Records asked of each catalogue.")


class ErrorBrief(Schema):
    code: str
    message: str


class LocalRecordOut(Schema):
    id: int
    title: str
    isbn: str
    year: int | None


class RemoteRecordOut(Schema):
    target: str
    position: int
    title: str
    subtitle: str
    author: str
    publisher: str
    year: int | None
    edition: str
    isbn: str
    isbns: list[str]
    control_number: str
    call_number: str
    cover_url: str
    error: str = Field(..., description="Why the record cannot be read (then it has no token).")
    token: str = Field(..., description="Send it to POST /copycat/import to copy the record.")
    duplicates: list[LocalRecordOut]


class TargetAnswerOut(Schema):
    target: str
    protocol: str
    hits: int
    seconds: float
    error: ErrorBrief | None
    records: list[RemoteRecordOut]


class SearchOut(Schema):
    targets: list[TargetAnswerOut]


class ImportIn(InSchema):
    token: str = Field(..., min_length=1, max_length=200_000, description="A search result's token.")
    copies: int = Field(1, ge=0, le=actions.MAX_COPIES)
    barcodes: list[str] = Field(default_factory=list, max_length=actions.MAX_COPIES)
    branch: str = Field("", max_length=16, description="The copies' branch code (needed with copies).")
    item_type: str = Field("", max_length=16, description="The copies' item type code (needed with copies).")
    status: str = Field("in_processing", description="Where the copies start: " + ", ".join(INITIAL_STATUSES))


class ImportOut(Schema):
    record_id: int
    title: str
    copied_from: str
    remote_id: str
    cover_url: str
    barcodes: list[str]


class TargetOut(Schema):
    id: int
    name: str
    protocol: str
    address: str
    record_syntax: str
    record_schema: str = Field(..., alias="schema", description="SRU: the record schema asked for")
    timeout: int
    enabled: bool
    priority: int
    note: str


@router.get("/copycat/search", response={200: SearchOut, **ERRORS})
@staff_endpoint(actions.import_copy.permission)
def search(request, filters: Query[SearchFilters]):
    """Staff with ``copycat.copy_catalogue``: search one or every enabled remote catalogue."""
    chosen = [queries.find_target(filters.target)] if filters.target.strip() else queries.chosen_targets()
    terms = Terms(isbn=filters.isbn, title=filters.title, author=filters.author, keywords=filters.keywords)
    answers = queries.search(chosen, terms, limit=filters.limit)
    return {
        "targets": [
            {
                "target": answer.name,
                "protocol": answer.target.protocol,
                "hits": answer.hits,
                "seconds": round(answer.seconds, 3),
                "error": {"code": answer.error.code, "message": answer.error.text} if answer.error else None,
                "records": [record.as_dict() for record in answer.records],
            }
            for answer in answers
        ]
    }


@router.post("/copycat/import", response={201: ImportOut, **ERRORS})
@staff_endpoint(actions.import_copy.permission)
def import_copy(request, payload: ImportIn):
    """Staff with ``copycat.copy_catalogue`` (``copycat.record.import``): copy a result with its copies."""
    branch = get_branch(payload.branch, field="branch", active_only=True) if payload.branch.strip() else None
    item_type = None
    if payload.item_type.strip():
        item_type = ItemType.objects.filter(code__iexact=payload.item_type.strip()).first()
        if item_type is None:
            raise ValidationFailed(
                _("No item type has the code “%(code)s”."), field="item_type", code=payload.item_type
            )
    copied = actions.import_copy(
        actor=request.user,
        result=payload.token,
        copies=payload.copies,
        barcodes=payload.barcodes,
        branch=branch,
        item_type=item_type,
        status=payload.status,
    )
    barcodes = list(copied.record.items.order_by("copy_number").values_list("barcode", flat=True))
    return Status(
        201,
        {
            "record_id": copied.record_id,
            "title": copied.record.title,
            "copied_from": copied.target_name,
            "remote_id": copied.remote_id,
            "cover_url": copied.cover_url,
            "barcodes": barcodes,
        },
    )


class TargetIn(InSchema):
    name: str = Field(..., max_length=100)
    protocol: str = Field("sru", description="sru or z3950")
    base_url: str = Field("", max_length=300, description="SRU: the base URL, e.g. http://lx2.loc.gov:210/LCDB")
    host: str = Field("", max_length=200, description="Z39.50: the host name")
    port: int | None = Field(None, description="Z39.50: the port (often 210)")
    database: str = Field("", max_length=100, description="Z39.50: the database name")
    record_syntax: str = Field("usmarc", max_length=20)
    record_schema: str = Field("marcxml", max_length=40)
    timeout: int = Field(10, description="Seconds to wait for an answer (1 to 120).")
    enabled: bool = True
    priority: int = Field(10, description="Lower numbers are listed first (0 to 999).")
    note: str = Field("", max_length=300)


class TargetPatch(InSchema):
    name: str | None = Field(None, max_length=100)
    protocol: str | None = None
    base_url: str | None = Field(None, max_length=300)
    host: str | None = Field(None, max_length=200)
    port: int | None = None
    database: str | None = Field(None, max_length=100)
    record_syntax: str | None = Field(None, max_length=20)
    record_schema: str | None = Field(None, max_length=40)
    timeout: int | None = None
    enabled: bool | None = None
    priority: int | None = None
    note: str | None = Field(None, max_length=300)


def _target_data(payload, *, only_given: bool) -> dict:
    data = payload.dict(exclude_unset=only_given)
    if "record_schema" in data:
        data["schema"] = data.pop("record_schema")
    for name, value in list(data.items()):
        if value is None and name != "port":
            raise ValidationFailed(_("%(name)s: give a value."), field=name, name=name)
    return data


def _target(target_id: int) -> Target:
    found = Target.objects.filter(pk=target_id).first()
    if found is None:
        raise errors.TargetNotFound(field="target_id", target=target_id)
    return found


@router.get("/copycat/targets", response={200: list[TargetOut], **ERRORS})
@staff_endpoint("copycat.view_target")
def list_targets(request):
    """Staff with ``copycat.view_target``: the remote catalogues in their order."""
    return list(queries.targets())


@router.post("/copycat/targets", response={201: TargetOut, **ERRORS})
@staff_endpoint(actions.create_target.permission)
def create_target(request, payload: TargetIn):
    """Staff with ``copycat.manage_targets``: add a remote catalogue."""
    return Status(201, actions.create_target(actor=request.user, **_target_data(payload, only_given=False)))


@router.patch("/copycat/targets/{target_id}", response={200: TargetOut, **ERRORS})
@staff_endpoint(actions.update_target.permission)
def update_target(request, target_id: int, payload: TargetPatch):
    """Staff with ``copycat.manage_targets``: change a remote catalogue (only the fields given)."""
    target = _target(target_id)
    return actions.update_target(actor=request.user, target=target, **_target_data(payload, only_given=True))


@router.delete("/copycat/targets/{target_id}", response={204: None, **ERRORS})
@staff_endpoint(actions.delete_target.permission)
def delete_target(request, target_id: int):
    """Staff with ``copycat.manage_targets``: remove a remote catalogue (copied records keep its name)."""
    actions.delete_target(actor=request.user, target=_target(target_id))
    return Status(204, None)


api.add_router("/", router)
