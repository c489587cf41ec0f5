"""Usage statistics (staff): views, downloads and refusals per resource and month, a bar chart
(server-rendered SVG, no script) and COUNTER-shaped CSV exports (TR_B1-like title requests,
TR_B2-like denials).

Who: ``digital.view_usage`` (IT managers, librarians, administrators).
"""

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pustaka.core.permissions import staff_view
from pustaka.core.queries import library_name

from .. import queries_usage
from ..choices import RefusalReason
from ..forms import PeriodForm

MAX_MONTHS = 36


def period(request) -> tuple[datetime.date, datetime.date, PeriodForm]:
    """The months asked for (by default the last twelve; at most 36; reversed months are swapped). A bad
    month (not ``YYYY-MM``, or a year outside 1900-2999) is ignored: the default period is used."""
    form = PeriodForm(request.GET or None)
    this_month = timezone.localdate().replace(day=1)
    first = last = None
    if form.is_bound and form.is_valid():
        first = form.cleaned_data["first"]
        last = form.cleaned_data["last"]
    last = last or this_month
    first = first or queries_usage.add_months(last, -11)
    if last < first:
        first, last = last, first
    if queries_usage.add_months(first, MAX_MONTHS - 1) < last:
        first = queries_usage.add_months(last, -(MAX_MONTHS - 1))
    return first, last, form


def chart(months) -> dict:
    """Bars for an inline SVG: granted requests (views + downloads) and refusals per month."""
    width, height, left, bottom = 640, 220, 40, 30
    peak = max([m.total + m.refused for m in months] + [1])
    slot = (width - left) / max(1, len(months))
    bar = max(4.0, slot * 0.35)
    bars = []
    for n, month in enumerate(months):
        x = left + n * slot + slot * 0.1
        used = (height - bottom - 10) * month.total / peak
        refused = (height - bottom - 10) * month.refused / peak
        bars.append({
            "label": month.month.strftime("%m/%y"), "total": month.total, "refused": month.refused,
            "x": round(x, 1), "x2": round(x + bar + 2, 1), "w": round(bar, 1),
            "y": round(height - bottom - used, 1), "h": round(used, 1),
            "ry": round(height - bottom - refused, 1), "rh": round(refused, 1),
            "tx": round(x + bar, 1),
        })  # fmt: skip
    values = sorted({0, peak // 2, peak})  # whole numbers, each once (a peak of 1 has no middle line)
    ticks = [{"y": round(height - bottom - (height - bottom - 10) * v / peak, 1), "value": v} for v in values]
    return {"bars": bars, "width": width, "height": height, "base": height - bottom, "left": left, "ticks": ticks,
            "label_y": height - bottom + 16}  # fmt: skip


def usage_context(first, last) -> dict:
    rows = queries_usage.usage(first=first, last=last)
    months = queries_usage.months_between(first, last)
    totals = queries_usage.monthly_totals(rows, months)
    reasons = sorted({reason for total in totals for reason in total.refusals})
    return {
        "rows": rows,
        "months": months,
        "totals": totals,
        "chart": chart(totals),
        "reasons": [(reason, RefusalReason(reason).label) for reason in reasons if reason in RefusalReason.values],
        "first": first,
        "last": last,
    }


@staff_view("digital.view_usage")
def usage_page(request):
    """Usage per month (chart) and per resource (table), with the CSV exports."""
    first, last, form = period(request)
    context = usage_context(first, last)
    for row in context["rows"]:
        row.views_total, row.downloads_total = row.total("views"), row.total("downloads")
        row.unique_total = row.total("unique")
        row.refusal_counts = [
            sum(m.refusals.get(reason, 0) for m in row.months) for reason, _label in context["reasons"]
        ]
    for month in context["totals"]:
        month.refusal_counts = [month.refusals.get(reason, 0) for reason, _label in context["reasons"]]
    context["form"] = form
    context["query"] = f"first={first:%Y-%m}&last={last:%Y-%m}"
    return render(request, "digital/usage/page.html", context)


@staff_view("digital.view_usage")
def usage_csv(request, report: str):
    """A COUNTER-shaped CSV: ``tr_b1`` (title requests) or ``tr_b2`` (denials)."""
    if report not in queries_usage.REPORTS:
        raise Http404
    first, last, _form = period(request)
    text = queries_usage.counter_csv(report, first=first, last=last, institution=library_name())
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    name = f"{queries_usage.REPORTS[report][1]}_{first:%Y-%m}_{last:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
