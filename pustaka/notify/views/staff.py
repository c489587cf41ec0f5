"""Staff pages of notice deliveries (``/staff/notices/``): the list with its filters, one delivery with
its attempts and last error, and the buttons that send a failed delivery again or cancel a queued one.
Every page states its permission with ``staff_view``."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.patrons.queries import patrons_for

from .. import actions, queries
from ..forms import DeliveryFilterForm, ReasonForm

VIEW = "notify.view_delivery"
PAGE_SIZE = 50


def _visible(request):
    return queries.deliveries().filter(notice__patron__in=patrons_for(request.user))


@staff_view(VIEW)
def delivery_list(request):
    """Deliveries, newest first, filtered by channel, state, notice kind, card and queued dates."""
    form = DeliveryFilterForm(request.GET or None)
    rows = _visible(request)
    if form.is_bound and form.is_valid():
        rows = queries.filtered(rows, **form.cleaned_data)
    elif form.is_bound:
        rows = rows.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notify/delivery_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@staff_view(VIEW)
def delivery_detail(request, pk: int):
    """One delivery: to whom, what, its state, every attempt with its error, and retry or cancel."""
    delivery = get_object_or_404(_visible(request), pk=pk)
    return render(
        request,
        "notify/delivery_detail.html",
        {"delivery": delivery, "attempts": queries.attempts(delivery), "form": ReasonForm()},
    )


@require_POST
@staff_view(actions.retry_delivery.permission)
def delivery_retry(request, pk: int):
    """Send a failed or given-up delivery again now (POST)."""
    delivery = get_object_or_404(_visible(request), pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with action_messages(request):
        actions.retry_delivery(delivery=delivery, actor=request.user, reason=reason)
        messages.success(request, _("Notice delivery #%(delivery)s is being sent again.") % {"delivery": pk})
    return redirect("notify:detail", pk=pk)


@require_POST
@staff_view(actions.cancel_delivery.permission)
def delivery_cancel(request, pk: int):
    """Cancel a queued or failed delivery (POST): it is never sent."""
    delivery = get_object_or_404(_visible(request), pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with action_messages(request):
        actions.cancel_delivery(delivery=delivery, actor=request.user, reason=reason)
        messages.success(request, _("Notice delivery #%(delivery)s cancelled.") % {"delivery": pk})
    return redirect("notify:detail", pk=pk)
