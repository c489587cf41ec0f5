"""Technical services: withdrawal and sale pages. Withdrawing items pulled for weeding (with the
last-copy warning), offering withdrawn items for sale, selling one item or a book-sale batch,
discarding, sale events and the sales ledger."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pustaka.core.errors import PustakaError, ValidationFailed
from pustaka.core.forms import AmountField
from pustaka.core.models import Branch
from pustaka.core.numbers import format_amount
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.holdings.errors import ItemNotFound
from pustaka.holdings.models import Item

from .. import actions
from ..choices import PaymentMethod
from ..errors.sale import LastCopyWarning, NoItemsScanned
from ..models import SaleEvent
from ..queries.sale import items_for_sale, items_to_withdraw, ledger, sale_events, sales, withdrawn_items

PAGE_SIZE = 50


def _items(barcodes: list[str]) -> list[Item]:
    """The items with these barcodes, in the order given; an unknown barcode is an error naming it."""
    wanted = [b.strip() for b in barcodes if b.strip()]
    if not wanted:
        raise NoItemsScanned(field="barcodes")
    found = {i.barcode: i for i in Item.objects.select_related("record").filter(barcode__in=wanted)}
    for barcode in wanted:
        if barcode not in found:
            raise ItemNotFound(field="barcodes", barcode=barcode)
    return [found[b] for b in wanted]


@staff_view("holdings.withdraw_item")
def sale_withdrawals(request):
    """Items pulled for weeding, waiting to be withdrawn; the last copy of a title needs confirming."""
    selected = request.POST.getlist("barcode") if request.method == "POST" else []
    last_copy = None
    if request.method == "POST":
        try:
            items = _items(selected)
            done = actions.withdraw_items(
                items=items, actor=request.user, confirm_last_copy=request.POST.get("confirm_last_copy") == "on"
            )
        except LastCopyWarning as error:
            last_copy = error
        except PustakaError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext("%(count)s item withdrawn.", "%(count)s items withdrawn.", len(done)) % {"count": len(done)},
            )
            return redirect("technical:sale_withdrawals")
    page = Paginator(items_to_withdraw(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "technical/sale/withdrawals.html",
        {"page": page, "items": page.object_list, "selected": set(selected), "last_copy": last_copy},
    )


class SaleEventForm(forms.Form):
    """A book sale: name, branch and date."""

    name = forms.CharField(label=_("Name"), max_length=200)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.order_by("code"), empty_label=None)
    held_on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SellForm(forms.Form):
    """Scan one or more items for sale; one price only when selling a single item."""

    barcodes = forms.CharField(
        label=_("Barcodes"), widget=forms.Textarea(attrs={"rows": 3, "autofocus": True, "autocomplete": "off"})
    )
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.for_sales())
    event = forms.ModelChoiceField(label=_("Sale event"), queryset=SaleEvent.objects.all(), required=False)
    price = AmountField(
        label=_("Price"), required=False, help_text=_("Leave empty to use the offer price."), decimal_places=2
    )
    receipt = forms.CharField(label=_("Receipt"), max_length=40, required=False)


@staff_view("technical.view_sale")
def sale_home(request):
    """Withdrawn items to price, items for sale, the sell form and the sale events."""
    return render(
        request,
        "technical/sale/home.html",
        {
            "withdrawn": withdrawn_items()[:PAGE_SIZE],
            "for_sale": items_for_sale()[:PAGE_SIZE],
            "events": sale_events()[:20],
            "sell_form": SellForm(),
            "event_form": SaleEventForm(initial={"branch": request.user.home_branch_id}),
        },
    )


@require_POST
@staff_view("technical.view_sale")
def sale_offer(request):
    """Offer a withdrawn item for sale at a price."""
    with action_messages(request):
        (item,) = _items([request.POST.get("barcode", "")])
        actions.offer_for_sale(item=item, price=request.POST.get("price", ""), actor=request.user)
        messages.success(request, _("Item %(barcode)s is for sale.") % {"barcode": item.barcode})
    return redirect("technical:sale_home")


@require_POST
@staff_view("technical.view_sale")
def sale_sell(request):
    """Sell the scanned items: one at a given price, or a batch at their offer prices."""
    form = SellForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scan the items, choose a payment method and enter a valid price."))
        return redirect("technical:sale_home")
    data = form.cleaned_data
    with action_messages(request):
        items = _items(data["barcodes"].replace(",", " ").split())
        if len(items) == 1:
            sold = [
                actions.sell_item(
                    item=items[0],
                    payment_method=data["payment_method"],
                    price=data["price"],
                    event=data["event"],
                    receipt=data["receipt"],
                    actor=request.user,
                )
            ]
        else:
            if data["event"] is None:
                raise ValidationFailed(_("Choose the sale event for a batch of items."), field="event")
            sold = actions.sell_items(
                items=items,
                event=data["event"],
                payment_method=data["payment_method"],
                receipt=data["receipt"],
                actor=request.user,
            )
        total = sum(s.price for s in sold)
        messages.success(
            request,
            ngettext("%(count)s item sold for %(total)s.", "%(count)s items sold for %(total)s.", len(sold))
            % {"count": len(sold), "total": format_amount(total)},
        )
    return redirect("technical:sale_home")


@require_POST
@staff_view("technical.view_sale")
def sale_discard(request):
    """Discard a withdrawn or unsold item."""
    with action_messages(request):
        (item,) = _items([request.POST.get("barcode", "")])
        actions.discard_item(item=item, actor=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("Item %(barcode)s discarded.") % {"barcode": item.barcode})
    return redirect("technical:sale_home")


@require_POST
@staff_view("technical.view_sale")
def sale_event_create(request):
    """Start a sale event."""
    form = SaleEventForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A sale event needs a name, a branch and a valid date."))
    else:
        with action_messages(request):
            event = actions.create_sale_event(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Sale event “%(name)s” started.") % {"name": event.name})
    return redirect("technical:sale_home")


class LedgerFilterForm(forms.Form):
    """The ledger's date range."""

    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@staff_view("technical.view_sale")
def sale_ledger(request):
    """The sales ledger: revenue per sale event and per month in a date range, and every sale line."""
    form = LedgerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = sales(date_from=filters.get("date_from"), date_to=filters.get("date_to"))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "technical/sale/ledger.html",
        {"form": form, "page": page, "sales": page.object_list, "totals": ledger(found)},
    )


@staff_view("technical.view_sale")
def sale_event_detail(request, pk: int):
    """One sale event with its sales and total."""
    event = get_object_or_404(SaleEvent.objects.select_related("branch"), pk=pk)
    found = sales(event=event)
    return render(request, "technical/sale/event.html", {"event": event, "sales": found[:500], "totals": ledger(found)})
