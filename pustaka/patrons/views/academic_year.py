"""Staff pages for classes, faculties and programmes, and the new academic year (preview, start, undo)."""

import datetime

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .. import academic_year as year
from ..choices import UnitKind
from ..models import AcademicYearRun, InstitutionUnit


class UnitForm(forms.Form):
    """A class, faculty or programme and where its members go at the new academic year."""

    code = forms.CharField(label=gettext_lazy("Code"), max_length=32, help_text=gettext_lazy("e.g. VII-A, FT, TI-S1"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Part of"),
        queryset=InstitutionUnit.objects.all(),
        required=False,
        help_text=gettext_lazy("A study programme's faculty."),
    )
    next_unit = forms.ModelChoiceField(
        label=gettext_lazy("Moves up to"),
        queryset=InstitutionUnit.objects.all(),
        required=False,
        help_text=gettext_lazy("Where members go at the new academic year."),
    )
    is_final = forms.BooleanField(label=gettext_lazy("Final year: members graduate"), required=False)
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)


class YearForm(forms.Form):
    """The academic year to start and the day graduates' membership ends."""

    label = forms.CharField(
        label=gettext_lazy("Academic year"), max_length=20, help_text=gettext_lazy("e.g. 2026/2027")
    )
    leave_on = forms.DateField(
        label=gettext_lazy("Graduates' membership ends on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


@staff_view("patrons.view_institutionunit")
def unit_list(request):
    """Every class, faculty and programme with where it moves up to and how many members it has."""
    units = InstitutionUnit.objects.select_related("parent", "next_unit").annotate(members=Count("patrons"))
    return render(request, "patrons/unit_list.html", {"units": units})


def _unit_form(request, unit=None):
    initial = {"kind": UnitKind.CLASS, "is_active": True}
    if unit is not None:
        initial = {name: getattr(unit, name) for name in year.UNIT_FIELDS}
    form = UnitForm(request.POST or None, initial=initial)
    if unit is not None:
        others = InstitutionUnit.objects.exclude(pk=unit.pk)
        form.fields["parent"].queryset = others
        form.fields["next_unit"].queryset = others
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            if unit is None:
                saved = year.create_unit(actor=request.user, **form.cleaned_data)
            else:
                saved = year.update_unit(unit=unit, actor=request.user, **form.cleaned_data)
            messages.success(request, _("%(unit)s saved.") % {"unit": saved.code})
            return redirect("patrons:unit_list")
    title = _("New class or programme") if unit is None else _("Edit %(unit)s") % {"unit": unit.code}
    return render(request, "patrons/unit_form.html", {"form": focus_first_error(form), "title": title, "unit": unit})


@staff_view(year.create_unit.permission)
def unit_create(request):
    """Add a class, faculty or programme."""
    return _unit_form(request)


@staff_view(year.update_unit.permission)
def unit_edit(request, pk: int):
    """Change a class, faculty or programme (where it moves up to, whether it is a final year)."""
    return _unit_form(request, get_object_or_404(InstitutionUnit, pk=pk))


def _default_leave_on() -> datetime.date:
    today = timezone.localdate()
    return datetime.date(today.year, 7, 15) if today.month <= 7 else datetime.date(today.year + 1, 7, 15)


@staff_view(year.start_academic_year.permission)
def academic_year(request):
    """The new academic year: what will change (preview), the button that does it, and the recent
    runs with their undo button while the undo window is open."""
    leave_on = _default_leave_on()
    default_label = f"{leave_on.year}/{leave_on.year + 1}"
    form = YearForm(request.POST or request.GET or None, initial={"label": default_label, "leave_on": leave_on})
    if form.is_bound and form.is_valid():
        leave_on = form.cleaned_data["leave_on"]
    preview = year.plan(leave_on=leave_on)
    if request.method == "POST" and form.is_valid() and "start" in request.POST:
        with action_messages(request):
            run = year.start_academic_year(
                actor=request.user,
                label=form.cleaned_data["label"],
                leave_on=leave_on,
                token=form.cleaned_data["token"],
            )
            messages.success(
                request,
                _("Academic year %(label)s started: %(moved)s, %(graduated)s.")
                % {
                    "label": run.label,
                    "moved": ngettext("%(n)s member moved up", "%(n)s members moved up", run.moved) % {"n": run.moved},
                    "graduated": ngettext("%(n)s graduate", "%(n)s graduates", run.graduated) % {"n": run.graduated},
                },
            )
            return redirect("patrons:academic_year")
    runs = AcademicYearRun.objects.select_related("ran_by", "undone_by").defer("changes")[:10]
    return render(
        request,
        "patrons/academic_year.html",
        {
            "form": form,
            "preview": preview,
            "rows": preview.by_unit(),
            "token": preview.token,
            "leave_on": leave_on,
            "runs": runs,
            "undo_days": year.UNDO_DAYS,
            "now": timezone.now(),
        },
    )


@require_POST
@staff_view(year.undo_academic_year.permission)
def academic_year_undo(request, pk: int):
    """Undo a new academic year (within its window): every member back where the run found them."""
    run = get_object_or_404(AcademicYearRun.objects.defer("changes"), pk=pk)
    with action_messages(request):
        restored, kept = year.undo_academic_year(run=run, actor=request.user)
        text = ngettext("%(n)s member restored.", "%(n)s members restored.", restored) % {"n": restored}
        if kept:
            text += " " + ngettext(
                "%(n)s member changed since was left as is.", "%(n)s members changed since were left as they are.", kept
            ) % {"n": kept}
        messages.success(request, text)
    return redirect("patrons:academic_year")
