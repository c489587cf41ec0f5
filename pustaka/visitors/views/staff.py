"""Staff pages of the visitor book: the summary of a period (counts per day, hour, purpose, category,
branch; the newest visits; the open kiosk screens), the desk form, opening and closing a kiosk, and the
purposes of visits. Every page states its permission with ``staff_view``."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .. import actions, charts, kiosk, queries
from ..forms import DeskVisitForm, OpenKioskForm, PeriodForm, PurposeForm
from ..models import KioskSession, VisitPurpose


@staff_view("visitors.view_visit")
def summary(request):
    """How many people came in a period (this month by default): per day, hour, purpose, category and
    branch, the newest visits and the kiosk screens that are open."""
    form = PeriodForm(request.GET or None)
    start, end, branch = form.period()
    if not request.GET:
        form = PeriodForm(initial={"start": start, "end": end})
    rows = queries.visits(start, end, branch=branch)
    per_hour = {row["hour"]: row["people"] for row in queries.by_hour(rows)}
    first, last = min([7, *per_hour]), max([21, *per_hour])
    opening = range(first, last + 1)
    days = queries.by_day(rows)
    context = {
        "form": form,
        "start": start,
        "end": end,
        "branch": branch,
        "totals": queries.totals(rows),
        "days": days,
        "day_chart": _period_chart(rows, days, start, end),
        "day_chart_title": _("People per month") if (end - start).days > 62 else _("People per day of the month"),
        "hour_chart": charts.bars([(f"{hour:02d}", per_hour.get(hour, 0)) for hour in opening]),
        "purposes": queries.by_purpose(rows),
        "categories": queries.by_category(rows),
        "branches": queries.by_branch(rows),
        "recent": queries.recent(rows, 30),
        "kiosks": list(queries.open_kiosks()),
        "open_form": OpenKioskForm(initial={"branch": request.user.home_branch}),
    }
    return render(request, "visitors/summary.html", context)


def _period_chart(rows, days, start, end) -> dict:
    """People per day for a period of two months or less, per month for a longer one."""
    if (end - start).days > 62:
        return charts.bars([(date_format(row["month"], "M y"), row["people"]) for row in queries.by_month(rows)])
    return charts.bars([(f"{row['day']:%d}", row["people"]) for row in days])


@staff_view("visitors.record_visit")
def record(request):
    """Record a visit at the desk: a member by card, or a visitor (or a group) by name."""
    form = DeskVisitForm(
        request.POST or None, initial={"branch": request.user.home_branch, "count": 1, "category": "public"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with action_messages(request, form=form):
            visit = actions.record_visit(
                actor=request.user,
                branch=data["branch"],
                purpose=data["purpose"],
                card=data["card"],
                name=data["name"],
                institution=data["institution"],
                category=data["category"],
                count=data["count"] or 1,
            )
            who = visit.patron.full_name if visit.patron_id else visit.name
            messages.success(
                request,
                ngettext(
                    "Visit of %(who)s recorded (%(count)s person).",
                    "Visit of %(who)s recorded (%(count)s people).",
                    visit.count,
                )
                % {"who": who, "count": visit.count},
            )
            return redirect("visitors:record")
    return render(request, "visitors/record.html", {"form": focus_first_error(form)})


@staff_view("visitors.open_kiosk")
def kiosk_open(request):
    """Open a kiosk screen for a branch on this browser: it then records visits without a staff login."""
    form = OpenKioskForm(request.POST or None, initial={"branch": request.user.home_branch})
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            screen, token = actions.open_kiosk(
                actor=request.user, branch=form.cleaned_data["branch"], label=form.cleaned_data["label"]
            )
            response = redirect("visitors_public:kiosk")
            kiosk.set_cookie(request, response, screen, token)
            return response
    return render(request, "visitors/kiosk_open.html", {"form": focus_first_error(form)})


@staff_view("visitors.open_kiosk")
def kiosk_close(request, pk: int):
    """Close a kiosk screen (asks first): it records nothing more, whichever browser holds it."""
    screen = get_object_or_404(KioskSession.objects.select_related("branch", "opened_by"), pk=pk)
    if request.method == "POST":
        with action_messages(request):
            actions.close_kiosk(actor=request.user, kiosk=screen)
            messages.success(request, _("The visitor kiosk is closed."))
            response = redirect("visitors:summary")
            if kiosk.current(request) is None:
                kiosk.forget(response)
            return response
        return redirect("visitors:summary")
    return render(request, "visitors/kiosk_close.html", {"kiosk": screen, "visits": screen.visits.count()})


@staff_view("visitors.manage_purposes")
def purposes(request):
    """The purposes of visits the kiosk and the desk offer, and a form to add one."""
    form = PurposeForm(request.POST or None, initial={"is_active": True, "sort_order": 0})
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            data = form.cleaned_data
            purpose = actions.create_purpose(
                actor=request.user,
                code=data["code"],
                name_id=data["name_id"],
                name_en=data["name_en"],
                is_active=data["is_active"],
                sort_order=data["sort_order"] or 0,
            )
            messages.success(request, _("Purpose “%(name)s” added.") % {"name": purpose.name})
            return redirect("visitors:purposes")
    return render(
        request,
        "visitors/purposes.html",
        {"form": focus_first_error(form), "purposes": VisitPurpose.objects.all()},
    )


@staff_view("visitors.manage_purposes")
def purpose_edit(request, pk: int):
    """Rename a purpose, change its order, stop or start offering it."""
    purpose = get_object_or_404(VisitPurpose, pk=pk)
    initial = {f: getattr(purpose, f) for f in ("code", "name_id", "name_en", "is_active", "sort_order")}
    form = PurposeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            data = dict(form.cleaned_data)
            data["sort_order"] = data["sort_order"] or 0
            actions.update_purpose(actor=request.user, purpose=purpose, **data)
            messages.success(request, _("Purpose saved."))
            return redirect(reverse("visitors:purposes"))
    return render(request, "visitors/purpose_form.html", {"form": focus_first_error(form), "purpose": purpose})
