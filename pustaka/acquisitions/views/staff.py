"""Staff pages of acquisitions under /staff/acquisitions/: orders (list, new, one order with its lines,
sending, cancelling, claiming, PDFs), keyboard-first receiving, vendors, funds, invoices and patrons'
suggestions. Every page states its permission with ``staff_view`` (taken from the action it calls)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .. import actions, queries
from ..choices import OPEN_STATUSES, OrderStatus, SuggestionStatus
from ..forms import (
    AcceptForm,
    CancelLineForm,
    ClaimForm,
    FundForm,
    InvoiceForm,
    LineForm,
    OrderForm,
    ReasonForm,
    ScanForm,
    SendForm,
    StatusForm,
    VendorForm,
)
from ..models import Fund, Invoice, Order, OrderLine, Suggestion, Vendor
from ..pdf import render_claim, render_order

PAGE_SIZE = 50
VIEW = "acquisitions.view_order"


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


# --- Orders -------------------------------------------------------------------------------------


@staff_view(VIEW)
def home(request):
    """Orders, newest first (by status), with the late ones and the suggestions waiting counted."""
    form = StatusForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    rows = queries.orders()
    if status:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "acquisitions/home.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "late": queries.late_orders().count(),
            "pending": queries.pending_suggestions_count(),
        },
    )


@staff_view(actions.create_order.permission)
def order_new(request):
    """Start a draft order to a vendor."""
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            order = actions.create_order(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Order %(number)s started: add the titles.") % {"number": order.number})
            return redirect("acquisitions:order", pk=order.pk)
    return render(request, "acquisitions/order_new.html", {"form": focus_first_error(form)})


def _order_page(request, order, *, line_form=None, send_form=None, cancel_form=None, claim_form=None, status=200):
    lines = list(queries.order_lines(order))
    context = {
        "order": order,
        "lines": lines,
        "total": queries.order_total(order),
        "outstanding": sum(line.outstanding for line in lines),
        "is_open": order.status in OPEN_STATUSES,
        "is_draft": order.status == OrderStatus.DRAFT,
        "line_form": line_form or LineForm(initial={"branch": request.user.home_branch}),
        "send_form": send_form or SendForm(),
        "cancel_form": cancel_form or ReasonForm(),
        "claim_form": claim_form or ClaimForm(),
        "deliveries": list(order.deliveries.prefetch_related("copies").select_related("received_by")),
        "claims": list(order.claims.all()),
        "invoices": list(Invoice.objects.filter(lines__line__order=order).distinct()),
    }
    return render(request, "acquisitions/order.html", context, status=status)


@staff_view(VIEW)
def order_detail(request, pk: int):
    """One order: its lines (copies, received, cancelled, price, fund), total, deliveries, claims, and
    the forms that add lines, send, cancel and claim it."""
    return _order_page(request, get_object_or_404(queries.orders(), pk=pk))


@staff_view(actions.add_order_line.permission)
def order_add_line(request, pk: int):
    """Add a title to a draft order (POST)."""
    order = get_object_or_404(queries.orders(), pk=pk)
    form = LineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("title")
        with action_messages(request, form=form):
            actions.add_order_line(actor=request.user, order=order, **data)
            messages.success(request, _("%(title)s added to the order.") % {"title": data["record"].title})
            return redirect("acquisitions:order", pk=order.pk)
    return _order_page(
        request, order, line_form=focus_first_error(form), status=400 if request.method == "POST" else 200
    )


@require_POST
@staff_view(actions.remove_order_line.permission)
def order_remove_line(request, pk: int, line: int):
    """Take a line off a draft order."""
    found = get_object_or_404(OrderLine, pk=line, order_id=pk)
    with action_messages(request):
        actions.remove_order_line(actor=request.user, line=found)
        messages.success(request, _("Line removed."))
    return redirect("acquisitions:order", pk=pk)


@require_POST
@staff_view(actions.send_order.permission)
def order_send(request, pk: int):
    """Send a draft order (its money is encumbered); optionally email its PDF to the vendor."""
    order = get_object_or_404(queries.orders(), pk=pk)
    form = SendForm(request.POST)
    if form.is_valid():
        with action_messages(request):
            actions.send_order(
                actor=request.user, order=order, email=form.cleaned_data["email"], language=request.LANGUAGE_CODE
            )
            messages.success(request, _("Order %(number)s sent.") % {"number": order.number})
    return redirect("acquisitions:order", pk=order.pk)


@require_POST
@staff_view(actions.cancel_order.permission)
def order_cancel(request, pk: int):
    """Cancel everything still to come on an order (with the reason)."""
    order = get_object_or_404(queries.orders(), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        with action_messages(request, form=form):
            actions.cancel_order(actor=request.user, order=order, reason=form.cleaned_data["reason"])
            messages.success(request, _("Order %(number)s cancelled.") % {"number": order.number})
            return redirect("acquisitions:order", pk=order.pk)
    return _order_page(request, order, cancel_form=focus_first_error(form), status=400)


@require_POST
@staff_view(actions.cancel_order_line.permission)
def order_cancel_line(request, pk: int):
    """Cancel copies still to come on one line (with the reason)."""
    order = get_object_or_404(queries.orders(), pk=pk)
    form = CancelLineForm(request.POST)
    if form.is_valid():
        line = get_object_or_404(OrderLine, pk=form.cleaned_data["line"], order=order)
        with action_messages(request):
            actions.cancel_order_line(
                actor=request.user, line=line, reason=form.cleaned_data["reason"], copies=form.cleaned_data["copies"]
            )
            messages.success(request, _("Copies cancelled; their money is free again on the fund."))
    else:
        messages.error(request, _("Give the reason for cancelling."))
    return redirect("acquisitions:order", pk=order.pk)


@require_POST
@staff_view(actions.claim_order.permission)
def order_claim(request, pk: int):
    """Claim a late order: the claim is counted and its letter opens to print."""
    order = get_object_or_404(queries.orders(), pk=pk)
    form = ClaimForm(request.POST)
    if form.is_valid():
        with action_messages(request):
            claim = actions.claim_order(actor=request.user, order=order, note=form.cleaned_data["note"])
            messages.success(request, _("Claim %(claim)s recorded: print the letter.") % {"claim": claim.number})
    return redirect("acquisitions:order", pk=order.pk)


@staff_view(VIEW)
def order_pdf(request, pk: int):
    """The order as the vendor receives it (A4 PDF with the letterhead)."""
    order = get_object_or_404(queries.orders(), pk=pk)
    return _pdf(render_order(order, language=request.LANGUAGE_CODE), order.number.replace("/", "-"))


@staff_view(VIEW)
def claim_pdf(request, pk: int, number: int):
    """A claim letter of a late order."""
    order = get_object_or_404(queries.orders(), pk=pk)
    claim = get_object_or_404(order.claims.all(), number=number)
    return _pdf(render_claim(claim, language=request.LANGUAGE_CODE), f"{order.number.replace('/', '-')}-claim-{number}")


@staff_view(VIEW)
def late(request):
    """Orders past their promised date, the longest late first, with their claims."""
    return render(request, "acquisitions/late.html", {"orders": list(queries.late_orders())})


# --- Receiving ----------------------------------------------------------------------------------


def _session_key(order: Order) -> str:
    return f"acquisitions.receiving.{order.pk}"


@staff_view(actions.receive_delivery.permission)
def receive(request, pk: int):
    """Receive a delivery, keyboard first: each scan (Enter) puts a copy on the list for its title;
    "Receive" creates every listed copy (and the ticked ones, with barcodes made) in one batch."""
    order = get_object_or_404(queries.orders(), pk=pk)
    lines = [line for line in queries.order_lines(order) if line.outstanding]
    key = _session_key(order)
    scanned: dict = request.session.get(key, {})
    chosen = request.session.get(f"{key}.line")  # the title the last scan was for stays chosen
    if chosen not in [line.pk for line in lines]:
        chosen = lines[0].pk if lines else None
    form = ScanForm(request.POST or None, lines=lines, initial={"line": chosen})
    ticked = {line.pk: request.POST.get(f"tick-{line.pk}", "").strip() for line in lines}
    status = 200
    if request.method == "POST" and request.POST.get("do") == "scan":
        if form.is_valid():
            from pustaka.holdings.actions import clean_barcode
            from pustaka.holdings.lookups import barcode_taken

            with action_messages(request, form=form, aliases={"barcode": "barcode"}):
                code = clean_barcode(form.cleaned_data["barcode"])
                every = [c.lower() for codes in scanned.values() for c in codes]
                line = next(line for line in lines if line.pk == form.cleaned_data["line"])
                if code.lower() in every or barcode_taken(code):
                    form.add_error("barcode", _("The barcode %(barcode)s is already in use.") % {"barcode": code})
                elif len(scanned.get(str(line.pk), [])) >= line.outstanding:
                    form.add_error(
                        "barcode", _("Every copy still to come of %(title)s is scanned.") % {"title": line.record.title}
                    )
                else:
                    scanned.setdefault(str(line.pk), []).append(code)
                    request.session[key] = scanned
                    request.session[f"{key}.line"] = line.pk
                    return redirect("acquisitions:receive", pk=order.pk)
        status = 400
    elif request.method == "POST" and request.POST.get("do") == "clear":
        request.session.pop(key, None)
        return redirect("acquisitions:receive", pk=order.pk)
    elif request.method == "POST" and request.POST.get("do") == "receive":
        counts = {pk: raw for pk, raw in ticked.items() if raw}
        with action_messages(request):
            delivery = actions.receive_delivery(
                actor=request.user, order=order, barcodes=scanned, counts=counts, note=request.POST.get("note", "")
            )
            request.session.pop(key, None)
            request.session.pop(f"{key}.line", None)
            made = delivery.copies.count()
            messages.success(request, _("%(count)s copies received and sent to processing.") % {"count": made})
            if delivery.waiting_for_call_number:
                messages.warning(
                    request,
                    _("These copies wait for a call number before processing: %(barcodes)s")
                    % {"barcodes": ", ".join(delivery.waiting_for_call_number)},
                )
            return redirect("acquisitions:order", pk=order.pk)
        status = 400
    rows = [{"line": line, "scanned": scanned.get(str(line.pk), []), "ticked": ticked[line.pk]} for line in lines]
    context = {
        "order": order,
        "rows": rows,
        "form": focus_first_error(form),
        "count": sum(len(r["scanned"]) for r in rows),
        "note": request.POST.get("note", "") if request.POST.get("do") == "receive" else "",
    }
    return render(request, "acquisitions/receive.html", context, status=status)


# --- Vendors and funds --------------------------------------------------------------------------


@staff_view("acquisitions.view_vendor")
def vendor_list(request):
    """Vendors with how many orders each has."""
    from django.db.models import Count

    rows = queries.vendors().annotate(order_count=Count("orders"))
    return render(request, "acquisitions/vendor_list.html", {"vendors": rows})


@staff_view(actions.save_vendor.permission)
def vendor_edit(request, pk: int | None = None):
    """Add a vendor, or change one."""
    vendor = get_object_or_404(Vendor, pk=pk) if pk else None
    initial = {f: getattr(vendor, f) for f in VendorForm.base_fields} if vendor else None
    form = VendorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            saved = actions.save_vendor(actor=request.user, vendor=vendor, **form.cleaned_data)
            messages.success(request, _("Vendor %(name)s saved.") % {"name": saved.name})
            return redirect("acquisitions:vendors")
    return render(request, "acquisitions/vendor_form.html", {"form": focus_first_error(form), "vendor": vendor})


@staff_view("acquisitions.view_fund")
def fund_list(request):
    """Funds of each year: budget, encumbered, spent and available (computed)."""
    return render(request, "acquisitions/fund_list.html", {"funds": list(queries.funds_with_figures())})


@staff_view(actions.save_fund.permission)
def fund_edit(request, pk: int | None = None):
    """Open a fund with its budget, or change one (administrators)."""
    fund = get_object_or_404(Fund, pk=pk) if pk else None
    initial = {f: getattr(fund, f) for f in FundForm.base_fields} if fund else None
    form = FundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            saved = actions.save_fund(actor=request.user, fund=fund, **form.cleaned_data)
            messages.success(request, _("Fund %(fund)s saved.") % {"fund": saved})
            return redirect("acquisitions:funds")
    return render(request, "acquisitions/fund_form.html", {"form": focus_first_error(form), "fund": fund})


# --- Invoices -----------------------------------------------------------------------------------


@staff_view("acquisitions.view_invoice")
def invoice_list(request):
    """Invoices, newest first, paid or still to pay."""
    page = Paginator(queries.invoices(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "acquisitions/invoice_list.html", {"page": page})


@staff_view(actions.record_invoice.permission)
def invoice_new(request, pk: int):
    """Record the vendor's invoice for an order: number, date, amount and the lines it charges (their
    received copies at the line's price)."""
    order = get_object_or_404(queries.orders(), pk=pk)
    lines = list(queries.order_lines(order))
    form = InvoiceForm(request.POST or None, order_lines=lines)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        charged = [
            (line, max(line.received, 1), line.price * max(line.received, 1))
            for line in lines
            if line.pk in data["lines"]
        ]
        with action_messages(request, form=form):
            invoice = actions.record_invoice(
                actor=request.user, vendor=order.vendor, number=data["number"], date=data["date"],
                amount=data["amount"], lines=charged,
            )  # fmt: skip
            messages.success(request, _("Invoice %(number)s recorded.") % {"number": invoice.number})
            return redirect("acquisitions:invoices")
    return render(request, "acquisitions/invoice_form.html", {"form": focus_first_error(form), "order": order})


@require_POST
@staff_view(actions.mark_invoice_paid.permission)
def invoice_pay(request, pk: int):
    """Record that an invoice was paid today."""
    invoice = get_object_or_404(Invoice, pk=pk)
    with action_messages(request):
        actions.mark_invoice_paid(actor=request.user, invoice=invoice)
        messages.success(request, _("Invoice %(number)s marked paid.") % {"number": invoice.number})
    return redirect("acquisitions:invoices")


# --- Suggestions --------------------------------------------------------------------------------


@staff_view("acquisitions.view_suggestion")
def suggestion_list(request):
    """Patrons' suggestions (waiting ones first by default), each with the accept and reject forms."""
    status = request.GET.get("status", SuggestionStatus.PENDING)
    if status not in SuggestionStatus.values:
        status = ""
    page = Paginator(queries.suggestions(status or None), PAGE_SIZE).get_page(request.GET.get("page"))
    base = AcceptForm(initial={"branch": request.user.home_branch})
    choices = {name: list(field.choices) for name, field in base.fields.items() if hasattr(field, "queryset")}
    initial = dict(base.initial)
    for name, listed in choices.items():  # the only draft order, the only open fund: chosen already
        if len(listed) == 2 and name not in initial:
            initial[name] = listed[1][0]
    for suggestion in page.object_list:  # one form each, with its own ids, from the choices read once
        form = AcceptForm(auto_id=f"accept-{suggestion.pk}-%s", initial=initial)
        for name, listed in choices.items():
            form.fields[name].widget.choices = listed
        suggestion.accept_form = form
    return render(
        request,
        "acquisitions/suggestion_list.html",
        {
            "page": page,
            "status": status,
            "statuses": SuggestionStatus.choices,
            "reject_form": ReasonForm(),
        },
    )


@require_POST
@staff_view(actions.accept_suggestion.permission)
def suggestion_accept(request, pk: int):
    """Accept a suggestion: it becomes a line of the chosen draft order."""
    suggestion = get_object_or_404(Suggestion, pk=pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        with action_messages(request):
            line = actions.accept_suggestion(actor=request.user, suggestion=suggestion, **form.cleaned_data)
            messages.success(
                request, _("Suggestion accepted: added to order %(number)s.") % {"number": line.order.number}
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("acquisitions:suggestions")


@require_POST
@staff_view(actions.reject_suggestion.permission)
def suggestion_reject(request, pk: int):
    """Reject a suggestion with the reason the patron reads in their account."""
    suggestion = get_object_or_404(Suggestion, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        with action_messages(request):
            actions.reject_suggestion(actor=request.user, suggestion=suggestion, reason=form.cleaned_data["reason"])
            messages.success(request, _("Suggestion rejected; the patron sees your reason."))
    else:
        messages.error(request, _("Give the reason the patron will read."))
    return redirect("acquisitions:suggestions")
