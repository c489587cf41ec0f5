"""Core staff pages: branches and their shelving locations, library settings, the audit history."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .. import queries
from ..actions import create_branch, create_location, update_branch, update_library_settings
from ..choices import Weekday
from ..forms import AuditFilterForm, BranchForm, LibrarySettingsForm, LocationForm, focus_first_error
from ..models import Branch, Library
from ..page_errors import action_messages
from ..permissions import staff_view

PAGE_SIZE = 50


# Branches and locations --------------------------------------------------------------------------


@staff_view("core.view_branch")
def branch_list(request):
    """Every branch with its code, address, opening hours and counts of locations and items."""
    return render(request, "core/branch_list.html", {"branches": queries.branches()})


@staff_view("core.view_branch")
def branch_detail(request, pk: int):
    """One branch: contact, opening hours per weekday and its shelving locations."""
    branch = get_object_or_404(Branch, pk=pk)
    locations = branch.locations.annotate(item_count=Count("items")).order_by("sort_order", "code")
    hours = [(day.label, branch.opening_hours.get(str(day.value), [])) for day in Weekday]
    form = LocationForm() if request.user.has_perm("core.manage_locations") else None
    return render(
        request,
        "core/branch_detail.html",
        {"branch": branch, "locations": locations, "hours": hours, "location_form": form},
    )


@staff_view(create_branch.permission)
def branch_create(request):
    """Open a new branch."""
    form = BranchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form, aliases={"opening_hours": None}):
            branch = create_branch(actor=request.user, **form.action_fields())
            messages.success(request, _("Branch %(code)s opened.") % {"code": branch.code})
            return redirect("core:branch_detail", pk=branch.pk)
    return render(request, "core/branch_form.html", {"form": focus_first_error(form), "title": _("New branch")})


@staff_view(update_branch.permission)
def branch_edit(request, pk: int):
    """Change a branch's name, contact, opening hours or whether it is active."""
    branch = get_object_or_404(Branch, pk=pk)
    form = BranchForm(request.POST or None, initial=BranchForm.initial_for(branch), editing=True)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form, aliases={"opening_hours": None}):
            update_branch(branch=branch, actor=request.user, **form.action_fields())
            messages.success(request, _("Branch %(code)s saved.") % {"code": branch.code})
            return redirect("core:branch_detail", pk=branch.pk)
    return render(
        request,
        "core/branch_form.html",
        {"form": focus_first_error(form), "branch": branch, "title": _("Edit branch %(code)s") % {"code": branch.code}},
    )


@staff_view(create_location.permission)
def location_create(request, pk: int):
    """Add a shelving location to a branch."""
    branch = get_object_or_404(Branch, pk=pk)
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            location = create_location(actor=request.user, branch=branch, **form.cleaned_data)
            messages.success(
                request, _("Location %(name)s added to %(branch)s.") % {"name": location.name, "branch": branch.code}
            )
            return redirect("core:branch_detail", pk=branch.pk)
    return render(request, "core/location_form.html", {"form": focus_first_error(form), "branch": branch})


@staff_view(update_library_settings.permission)
def library_settings(request):
    """The library's name and the call-number rule the cataloguing helper follows."""
    library = Library.current()
    initial = {
        "name": library.name,
        "call_number_rule": library.call_number_rule,
        "default_classification_scheme": library.default_classification_scheme,
        "barcode_prefix": library.barcode_prefix,
    }
    form = LibrarySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            update_library_settings(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Library settings saved."))
            return redirect("core:library_settings")
    return render(request, "core/library_settings.html", {"form": focus_first_error(form)})


# History -----------------------------------------------------------------------------------------


@staff_view("core.view_auditevent")
def audit_list(request):
    """Everything people did, newest first; filter by action, user and dates."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = queries.audit_events(**filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_list.html",
        {"form": form, "page": page, "events": queries.describe_events(page.object_list)},
    )


def _object_page(content_type: ContentType, obj) -> str:
    """The staff page of an object that still exists, when there is one."""
    if obj is None:
        return ""
    names = {
        ("catalog", "record"): ("catalog:record_detail", {"pk": obj.pk}),
        ("holdings", "item"): ("holdings:item_detail", {"barcode": getattr(obj, "barcode", "")}),
        ("core", "branch"): ("core:branch_detail", {"pk": obj.pk}),
    }
    target = names.get((content_type.app_label, content_type.model))
    if target is None:
        return ""
    try:
        return reverse(target[0], kwargs=target[1])
    except NoReverseMatch:
        return ""


@staff_view("core.view_auditevent")
def object_history(request, app_label: str, model: str, object_id: str):
    """Every audit event of one object (a record, an item, a branch...), even after it was deleted."""
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        raise Http404 from None
    model_class = content_type.model_class()
    if model_class is None:
        raise Http404
    obj = model_class._default_manager.filter(pk=object_id).first() if object_id.isdigit() else None
    events = queries.object_events(content_type, object_id).select_related("content_type")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    if obj is None and not page.object_list:
        raise Http404
    title = str(obj) if obj is not None else page.object_list[0].object_repr
    return render(
        request,
        "core/object_history.html",
        {
            "page": page,
            "events": queries.describe_events(page.object_list),
            "object": obj,
            "object_title": title,
            "object_url": _object_page(content_type, obj),
            "model_name": model_class._meta.verbose_name,
        },
    )
