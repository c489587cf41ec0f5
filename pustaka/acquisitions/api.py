"""Acquisitions API under ``/api/v1/acquisitions/``: vendors, funds with their figures, orders with their
lines (send, cancel, claim, receive), invoices, and purchase suggestions (the librarian's review; a
patron's own under ``/acquisitions/my-suggestions``). Writes go through :mod:`pustaka.acquisitions.actions`."""

from ninja import Query, Router
from ninja.pagination import paginate

from pustaka.core.api import ERRORS, Pagination, api, patron_endpoint, staff_endpoint, user_endpoint

from . import actions, queries
from .errors import NoPatronRecord, OrderNotFound, ThingNotFound
from .models import Fund, Invoice, OrderLine, Suggestion, Vendor
from .schemas import (
    AcqAcceptIn,
    AcqCancelLineIn,
    AcqClaimIn,
    AcqFundIn,
    AcqFundOut,
    AcqInvoiceIn,
    AcqInvoiceOut,
    AcqLineIn,
    AcqLineOut,
    AcqOrderDetailOut,
    AcqOrderFilters,
    AcqOrderIn,
    AcqOrderOut,
    AcqReasonIn,
    AcqReceivedOut,
    AcqReceiveIn,
    AcqSendIn,
    AcqStaffSuggestionOut,
    AcqSuggestionFilters,
    AcqSuggestionIn,
    AcqSuggestionOut,
    AcqVendorIn,
    AcqVendorOut,
)

router = Router(tags=["acquisitions"])


def _get(queryset, what, value, field: str, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise ThingNotFound(field=field, what=what, value=value)
    return found


def _order(order_id: int):
    found = queries.orders().filter(pk=order_id).first()
    if found is None:
        raise OrderNotFound(order=order_id)
    return found


def _branch(code: str):
    from pustaka.core.models import Branch

    return _get(Branch.objects, "branch", code, "branch", code=code.strip().upper())


def _item_type(code: str):
    from pustaka.holdings.models import ItemType

    return _get(ItemType.objects, "item type", code, "item_type", code=code.strip().upper())


def _record(record_id: int):
    from pustaka.catalog.models import Record

    return _get(Record.objects, "record", record_id, "record_id", pk=record_id)


def _fund(fund_id: int):
    return _get(Fund.objects, "fund", fund_id, "fund_id", pk=fund_id)


# --- Vendors and funds ---------------------------------------------------------------------------


@router.get("/acquisitions/vendors", response={200: list[AcqVendorOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("acquisitions.view_vendor")
def list_vendors(request):
    """Staff with ``acquisitions.view_vendor``: vendors by name."""
    return queries.vendors()


@router.post("/acquisitions/vendors", response={201: AcqVendorOut, **ERRORS})
@staff_endpoint(actions.save_vendor.permission)
def create_vendor(request, payload: AcqVendorIn):
    """Librarians (``acquisitions.manage_vendors``) add a vendor (``acquisitions.vendor.save``)."""
    return 201, actions.save_vendor(actor=request.user, **payload.model_dump())


@router.get("/acquisitions/funds", response={200: list[AcqFundOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("acquisitions.view_fund")
def list_funds(request, year: int | None = None):
    """Staff with ``acquisitions.view_fund``: funds with budget, encumbered, spent and available."""
    rows = queries.funds_with_figures()
    return rows.filter(year=year) if year else rows


@router.post("/acquisitions/funds", response={201: AcqFundOut, **ERRORS})
@staff_endpoint(actions.save_fund.permission)
def create_fund(request, payload: AcqFundIn):
    """Administrators (``acquisitions.set_funds``) open a fund with its budget (``acquisitions.fund.save``)."""
    fund = actions.save_fund(actor=request.user, **payload.model_dump())
    return 201, queries.funds_with_figures().get(pk=fund.pk)


# --- Orders --------------------------------------------------------------------------------------


@router.get("/acquisitions/orders", response={200: list[AcqOrderOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("acquisitions.view_order")
def list_orders(request, filters: Query[AcqOrderFilters]):
    """Staff with ``acquisitions.view_order``: orders, newest first; ``late=true`` for late ones."""
    rows = queries.late_orders() if filters.late else queries.orders()
    return rows.filter(status=filters.status) if filters.status else rows


@router.post("/acquisitions/orders", response={201: AcqOrderOut, **ERRORS})
@staff_endpoint(actions.create_order.permission)
def create_order(request, payload: AcqOrderIn):
    """Librarians (``acquisitions.place_order``) start a draft order (``acquisitions.order.create``)."""
    vendor = _get(Vendor.objects, "vendor", payload.vendor_id, "vendor_id", pk=payload.vendor_id)
    return 201, actions.create_order(
        actor=request.user, vendor=vendor, expected_by=payload.expected_by, note=payload.note
    )


@router.get("/acquisitions/orders/{order_id}", response={200: AcqOrderDetailOut, **ERRORS})
@staff_endpoint("acquisitions.view_order")
def get_order(request, order_id: int):
    """Staff with ``acquisitions.view_order``: one order with its lines."""
    return _order(order_id)


@router.post("/acquisitions/orders/{order_id}/lines", response={201: AcqLineOut, **ERRORS})
@staff_endpoint(actions.add_order_line.permission)
def add_line(request, order_id: int, payload: AcqLineIn):
    """Librarians add a title to a draft order (``acquisitions.order.add_line``)."""
    line = actions.add_order_line(
        actor=request.user, order=_order(order_id), record=_record(payload.record_id), copies=payload.copies,
        branch=_branch(payload.branch), item_type=_item_type(payload.item_type), price=payload.price,
        fund=_fund(payload.fund_id),
    )  # fmt: skip
    return 201, OrderLine.objects.select_related("record", "branch", "item_type").get(pk=line.pk)


@router.post("/acquisitions/orders/{order_id}/send", response={200: AcqOrderOut, **ERRORS})
@staff_endpoint(actions.send_order.permission)
def send_order(request, order_id: int, payload: AcqSendIn):
    """Librarians send a draft order, encumbering its funds; 409 ``fund_overspent`` when a fund lacks
    the money (``acquisitions.order.send``)."""
    return actions.send_order(
        actor=request.user, order=_order(order_id), email=payload.email, language=request.LANGUAGE_CODE
    )


@router.post("/acquisitions/orders/{order_id}/cancel", response={200: AcqOrderOut, **ERRORS})
@staff_endpoint(actions.cancel_order.permission)
def cancel_order(request, order_id: int, payload: AcqReasonIn):
    """Librarians cancel what is still to come on an order, releasing its money (``acquisitions.order.cancel``)."""
    return actions.cancel_order(actor=request.user, order=_order(order_id), reason=payload.reason)


@router.post("/acquisitions/orders/{order_id}/lines/{line_id}/cancel", response={200: AcqLineOut, **ERRORS})
@staff_endpoint(actions.cancel_order_line.permission)
def cancel_line(request, order_id: int, line_id: int, payload: AcqCancelLineIn):
    """Librarians cancel copies still to come on a line (``acquisitions.order.cancel_line``)."""
    order = _order(order_id)
    line = _get(order.lines.all(), "order line", line_id, "line_id", pk=line_id)
    actions.cancel_order_line(actor=request.user, line=line, reason=payload.reason, copies=payload.copies)
    return OrderLine.objects.select_related("record", "branch", "item_type").get(pk=line.pk)


@router.post("/acquisitions/orders/{order_id}/claim", response={200: AcqOrderOut, **ERRORS})
@staff_endpoint(actions.claim_order.permission)
def claim_order(request, order_id: int, payload: AcqClaimIn):
    """Librarians claim a late order (``acquisitions.order.claim``); 409 ``order_not_late`` before its date."""
    order = _order(order_id)
    actions.claim_order(actor=request.user, order=order, note=payload.note)
    return _order(order_id)


@router.post("/acquisitions/orders/{order_id}/receive", response={200: AcqReceivedOut, **ERRORS})
@staff_endpoint(actions.receive_delivery.permission)
def receive(request, order_id: int, payload: AcqReceiveIn):
    """Technicians (``acquisitions.receive_order``) receive a delivery: copies by barcode and/or counts
    per line; each is created with its accession number and sent to processing (``acquisitions.order.receive``)."""
    delivery = actions.receive_delivery(
        actor=request.user, order=_order(order_id), barcodes=payload.barcodes, counts=payload.counts, note=payload.note
    )
    return {
        "delivery_id": delivery.pk,
        "barcodes": [c.barcode for c in delivery.copies.all()],
        "waiting_for_call_number": delivery.waiting_for_call_number,
        "order": _order(order_id),
    }


# --- Invoices ------------------------------------------------------------------------------------


@router.get("/acquisitions/invoices", response={200: list[AcqInvoiceOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("acquisitions.view_invoice")
def list_invoices(request, paid: bool | None = None):
    """Staff with ``acquisitions.view_invoice``: invoices, newest first (``paid=false``: still to pay)."""
    rows = Invoice.objects.order_by("-date", "-id")
    return rows if paid is None else rows.filter(paid_on__isnull=not paid)


@router.post("/acquisitions/invoices", response={201: AcqInvoiceOut, **ERRORS})
@staff_endpoint(actions.record_invoice.permission)
def create_invoice(request, payload: AcqInvoiceIn):
    """Librarians (``acquisitions.record_invoice``) record an invoice (``acquisitions.invoice.record``)."""
    vendor = _get(Vendor.objects, "vendor", payload.vendor_id, "vendor_id", pk=payload.vendor_id)
    lines = [
        (
            _get(OrderLine.objects.select_related("order"), "order line", x.line_id, "lines", pk=x.line_id),
            x.copies,
            x.amount,
        )
        for x in payload.lines
    ]
    return 201, actions.record_invoice(
        actor=request.user, vendor=vendor, number=payload.number, date=payload.date, amount=payload.amount, lines=lines
    )


@router.post("/acquisitions/invoices/{invoice_id}/pay", response={200: AcqInvoiceOut, **ERRORS})
@staff_endpoint(actions.mark_invoice_paid.permission)
def pay_invoice(request, invoice_id: int):
    """Librarians record that an invoice was paid today (``acquisitions.invoice.pay``)."""
    invoice = _get(Invoice.objects, "invoice", invoice_id, "invoice_id", pk=invoice_id)
    return actions.mark_invoice_paid(actor=request.user, invoice=invoice)


# --- Suggestions ---------------------------------------------------------------------------------


@router.get("/acquisitions/suggestions", response={200: list[AcqStaffSuggestionOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("acquisitions.view_suggestion")
def list_suggestions(request, filters: Query[AcqSuggestionFilters]):
    """Staff with ``acquisitions.view_suggestion``: patrons' suggestions, newest first."""
    return queries.suggestions(filters.status)


def _suggestion(suggestion_id: int):
    return _get(Suggestion.objects, "suggestion", suggestion_id, "suggestion_id", pk=suggestion_id)


@router.post("/acquisitions/suggestions/{suggestion_id}/accept", response={200: AcqStaffSuggestionOut, **ERRORS})
@staff_endpoint(actions.accept_suggestion.permission)
def accept_suggestion(request, suggestion_id: int, payload: AcqAcceptIn):
    """Librarians (``acquisitions.review_suggestions``) accept a suggestion into a draft order
    (``acquisitions.suggestion.accept``)."""
    suggestion = _suggestion(suggestion_id)
    actions.accept_suggestion(
        actor=request.user, suggestion=suggestion, order=_order(payload.order_id), fund=_fund(payload.fund_id),
        price=payload.price, branch=_branch(payload.branch), item_type=_item_type(payload.item_type),
        copies=payload.copies, record=_record(payload.record_id) if payload.record_id else None,
    )  # fmt: skip
    return queries.suggestions().get(pk=suggestion_id)


@router.post("/acquisitions/suggestions/{suggestion_id}/reject", response={200: AcqStaffSuggestionOut, **ERRORS})
@staff_endpoint(actions.reject_suggestion.permission)
def reject_suggestion(request, suggestion_id: int, payload: AcqReasonIn):
    """Librarians reject a suggestion with the reason the patron reads (``acquisitions.suggestion.reject``)."""
    actions.reject_suggestion(actor=request.user, suggestion=_suggestion(suggestion_id), reason=payload.reason)
    return queries.suggestions().get(pk=suggestion_id)


@router.get("/acquisitions/my-suggestions", response={200: list[AcqSuggestionOut], **ERRORS})
@paginate(Pagination)
@patron_endpoint("acquisitions.view_suggestion")
def my_suggestions(request):
    """A patron's own suggestions and their answers (staff: their own card's, if they have one)."""
    from pustaka.patrons.queries import patron_of

    patron = patron_of(request.user)
    if patron is None:
        raise NoPatronRecord()
    return queries.suggestions_of(patron)


@router.post("/acquisitions/my-suggestions", response={201: AcqSuggestionOut, **ERRORS})
@user_endpoint()
def suggest(request, payload: AcqSuggestionIn):
    """A patron suggests a title (``acquisitions.suggestion.create``); staff are refused (they order)."""
    return 201, actions.suggest_purchase(actor=request.user, **payload.model_dump())


api.add_router("/", router)
