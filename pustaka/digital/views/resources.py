"""Staff pages of digital resources: list, detail and edit, upload with the prefilled record form,
collections, software seats and the KBART import. Every write goes through the actions."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from pustaka.catalog.forms import RecordForm
from pustaka.catalog.models import Record
from pustaka.core.errors import PustakaError
from pustaka.core.forms import add_error, focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .. import queries_resources
from ..actions.collections import create_collection, update_collection
from ..actions.ingest import catalogue_file, default_role, ingest_file, kind_for, record_data_from_file, store_file
from ..actions.kbart import import_kbart
from ..actions.resources import add_seats, create_resource, detach_file, remove_seat, update_resource
from ..choices import ResourceKind
from ..forms import (
    AttachForm,
    CollectionForm,
    KbartForm,
    ResourceFilterForm,
    ResourceForm,
    SeatsForm,
    UploadForm,
)
from ..models import Collection, ResourceFile, SoftwareSeat
from ..storage import clean_name

PAGE_SIZE = 50


def _resource_data(form: ResourceForm) -> tuple[dict, list]:
    data = dict(form.cleaned_data)
    collections = list(data.pop("collections", []) or [])
    return data, collections


@staff_view("digital.view_digitalresource")
def resource_list(request):
    """Digital resources, newest first; filter by kind, collection and title words."""
    form = ResourceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries_resources.filter_resources(
        queries_resources.resources(),
        kind=filters.get("kind", ""),
        collection=filters.get("collection", ""),
        q=filters.get("q", ""),
    ).order_by("-created_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "digital/resource_list.html",
        {"form": form, "page": page, "resources": page.object_list, "searching": bool(request.GET)},
    )


@staff_view("digital.view_digitalresource")
def resource_detail(request, pk: int):
    """One resource: its record and classification, files (format, size, hash, pages), seats, collections."""
    resource = get_object_or_404(queries_resources.resources(), pk=pk)
    seats = queries_resources.seats(resource) if resource.kind == ResourceKind.SOFTWARE else []
    return render(
        request,
        "digital/resource_detail.html",
        {
            "resource": resource,
            "record": resource.record,
            "seats": seats,
            "attach_form": AttachForm(initial={"role": default_role(resource.kind)}),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view("digital.manage_resources")
def resource_edit(request, pk: int):
    """Change a resource's kind, link, coverage, version, platform and collections."""
    resource = get_object_or_404(queries_resources.resources(), pk=pk)
    form = ResourceForm(request.POST or None, initial=ResourceForm.initial_for(resource))
    if request.method == "POST" and form.is_valid():
        data, collections = _resource_data(form)
        with action_messages(request, form=form):
            update_resource(resource=resource, actor=request.user, collections=collections, **data)
            messages.success(request, _("The resource was saved."))
            return redirect("digital:resource_detail", pk=resource.pk)
    return render(request, "digital/resource_form.html", {"form": focus_first_error(form), "resource": resource})


@require_http_methods(["GET", "POST"])
@staff_view("digital.manage_resources")
def resource_create(request, record_id: int):
    """Add a digital resource (e.g. an e-journal link, a database) to an existing record."""
    record = get_object_or_404(Record.objects.defer("marc"), pk=record_id)
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, collections = _resource_data(form)
        with action_messages(request, form=form):
            resource = create_resource(record=record, actor=request.user, collections=collections, **data)
            messages.success(request, _("The resource was added to “%(title)s”.") % {"title": record.title})
            return redirect("digital:resource_detail", pk=resource.pk)
    return render(request, "digital/resource_form.html", {"form": focus_first_error(form), "record": record})


@require_POST
@staff_view("digital.ingest_file")
def resource_attach(request, pk: int):
    """Upload a file straight onto a resource (content, cover, installer or supplement)."""
    resource = get_object_or_404(queries_resources.resources(), pk=pk)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        with action_messages(request):
            result = ingest_file(
                source=upload,
                original_name=upload.name,
                actor=request.user,
                resource=resource,
                role=form.cleaned_data["role"],
            )
            if result.created:
                messages.success(request, _("The file was stored and attached."))
            else:
                messages.info(request, _("This file was already in the store; it is now attached here too."))
            # a duplicate's first warning says what the info message says; the rest (a repaired copy) count
            for warning in result.warnings if result.created else result.warnings[1:]:
                messages.warning(request, warning)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("digital:resource_detail", pk=resource.pk)


@require_POST
@staff_view("digital.manage_resources")
def resource_detach(request, pk: int, link_id: int):
    """Take a file off a resource (the bytes stay in the store)."""
    link = get_object_or_404(ResourceFile.objects.select_related("resource", "file"), pk=link_id, resource_id=pk)
    with action_messages(request):
        detach_file(link=link, actor=request.user)
        messages.success(request, _("The file was taken off the resource."))
    return redirect("digital:resource_detail", pk=pk)


# Upload with the prefilled record form ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view("digital.ingest_file")
def upload(request):
    """Step 1: upload a file; it is checked, identified and stored, then the record form is prefilled."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        kind = form.cleaned_data.get("kind") or None
        with action_messages(request, form=form, aliases={None: "file", "kind": "kind"}):
            result = store_file(source=upload_file, original_name=upload_file.name, actor=request.user, kind=kind)
            for warning in result.warnings:
                messages.warning(request, warning)
            url = f"{_catalogue_url(result.file.pk)}?kind={kind or ''}"
            return redirect(url)
    return render(
        request, "digital/upload.html", {"form": focus_first_error(form), "max_mb": settings.PUSTAKA_MAX_FILE_MB}
    )


def _catalogue_url(file_id: int) -> str:
    from django.urls import reverse

    return reverse("digital:upload_catalogue", args=[file_id])


@require_http_methods(["GET", "POST"])
@staff_view("digital.ingest_file")
def upload_catalogue(request, file_id: int):
    """Step 2: the cataloguer confirms or corrects the metadata read from the file; record + resource."""
    if not request.user.has_perm("catalog.catalogue") or not request.user.has_perm("digital.manage_resources"):
        raise PermissionDenied
    file = get_object_or_404(queries_resources.stored_files(), pk=file_id)
    kind = request.GET.get("kind") or kind_for(file)
    if kind not in ResourceKind.values:
        kind = kind_for(file)
    suggested = record_data_from_file(file, kind=kind)
    initial = {**suggested, "classification_scheme": "ddc"}
    initial["contributors"] = "\n".join(f"{c['name']} | author" for c in suggested.get("contributors", []))
    initial["subjects"] = "\n".join(suggested.get("subjects", []))
    initial["isbns"] = "\n".join(suggested.get("isbns", []))
    record_form = RecordForm(request.POST or None, initial=initial, prefix="record")
    resource_form = ResourceForm(request.POST or None, initial={"kind": kind, "is_active": True}, prefix="resource")
    if request.method == "POST" and record_form.is_valid() and resource_form.is_valid():
        data, collections = _resource_data(resource_form)
        kind = data.pop("kind")
        try:
            resource = catalogue_file(
                file=file,
                actor=request.user,
                record_data=dict(record_form.cleaned_data),
                kind=kind,
                collections=collections,
                **data,
            )
        except PustakaError as error:
            target = record_form if error.field in record_form.fields or error.field == "isbn" else resource_form
            add_error(target, error, RecordForm.ERROR_FIELDS)
        else:
            messages.success(request, _("“%(title)s” was catalogued with its file.") % {"title": resource.record.title})
            return redirect("digital:resource_detail", pk=resource.pk)
    return render(
        request,
        "digital/upload_catalogue.html",
        {
            "file": file,
            "uses": list(file.uses.all()),
            "record_form": focus_first_error(record_form),
            "resource_form": resource_form,
        },
    )


@staff_view("digital.view_storedfile")
def file_detail(request, pk: int):
    """A stored file: format (PRONOM, MIME), size, SHA-256, pages, metadata and where it is used."""
    file = get_object_or_404(queries_resources.stored_files(), pk=pk)
    return render(request, "digital/file_detail.html", {"file": file, "uses": list(file.uses.all())})


# Collections ---------------------------------------------------------------------------------------


@staff_view("digital.view_collection")
def collection_list(request):
    """Collections with their number of resources."""
    return render(request, "digital/collection_list.html", {"collections": queries_resources.collections()})


@require_http_methods(["GET", "POST"])
@staff_view("digital.manage_collections")
def collection_create(request):
    """Create a collection."""
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            collection = create_collection(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Collection “%(name)s” created.") % {"name": collection.name})
            return redirect("digital:collection_list")
    return render(request, "digital/collection_form.html", {"form": focus_first_error(form)})


@require_http_methods(["GET", "POST"])
@staff_view("digital.manage_collections")
def collection_edit(request, pk: int):
    """Change a collection's code, name, description or public visibility."""
    collection = get_object_or_404(Collection, pk=pk)
    initial = {k: getattr(collection, k) for k in CollectionForm.base_fields}
    form = CollectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            update_collection(collection=collection, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Collection “%(name)s” saved.") % {"name": form.cleaned_data["name"]})
            return redirect("digital:collection_list")
    return render(request, "digital/collection_form.html", {"form": focus_first_error(form), "collection": collection})


# Software seats --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view("digital.view_softwareseat")
def seats(request, pk: int):
    """A software resource's seats (licence keys); add keys or seats, remove a seat that is not lent."""
    resource = get_object_or_404(queries_resources.resources(), pk=pk, kind=ResourceKind.SOFTWARE)
    form = SeatsForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("digital.manage_seats"):
            raise PermissionDenied
        if form.is_valid():
            keys = (form.cleaned_data.get("keys") or "").splitlines()
            with action_messages(request, form=form):
                added = add_seats(
                    resource=resource, actor=request.user, keys=keys, count=form.cleaned_data.get("count") or 0
                )
                messages.success(
                    request,
                    ngettext("%(count)s seat added.", "%(count)s seats added.", len(added)) % {"count": len(added)},
                )
                return redirect("digital:seats", pk=resource.pk)
    return render(
        request,
        "digital/seats.html",
        {"resource": resource, "seats": queries_resources.seats(resource), "form": focus_first_error(form)},
    )


@require_POST
@staff_view("digital.manage_seats")
def seat_remove(request, pk: int, seat_id: int):
    """Remove a seat (refused while it is lent)."""
    seat = get_object_or_404(SoftwareSeat, pk=seat_id, resource_id=pk)
    with action_messages(request):
        remove_seat(seat=seat, actor=request.user)
        messages.success(request, _("The seat was removed."))
    return redirect("digital:seats", pk=pk)


# KBART --------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view("digital.manage_resources")
def kbart(request):
    """Import e-journal holdings from a KBART file; shows the counts and every rejected row with its reason."""
    form = KbartForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        with action_messages(request, form=form):
            result = import_kbart(
                source=upload_file,
                actor=request.user,
                collection=form.cleaned_data.get("collection"),
                file_name=clean_name(upload_file.name),
            )
    return render(request, "digital/kbart.html", {"form": form, "result": result})
