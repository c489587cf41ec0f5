"""Cataloguing pages: the record list, a record with its items, the record form with the call-number
helper, downloads as MARC / MARCXML / Dublin Core, and the MARC upload (copy cataloguing)."""

import io
import logging
import secrets
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from pustaka.core.errors import PustakaError
from pustaka.core.forms import add_error, focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .. import actions, queries
from ..forms import MarcUploadForm, RecordForm, RecordSearchForm, main_entry_from_text
from ..models import Record

logger = logging.getLogger(__name__)
PAGE_SIZE = 50
REJECTIONS_SHOWN = 500
SESSION_REPORTS = "pustaka_marc_reports"


@staff_view("catalog.view_record")
def record_list(request):
    """Every record, searched as the catalogue is (pustaka.search): title, contributors, ISBN, call number..."""
    form = RecordSearchForm(request.GET or None, languages=queries.languages_in_use())
    filters = form.cleaned_data if form.is_valid() else {}
    records = queries.find_records(
        q=filters.get("q", ""), material_type=filters.get("material_type", ""), language=filters.get("language", "")
    )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/record_list.html",
        {"form": form, "page": page, "records": page.object_list, "searching": bool(request.GET)},
    )


@staff_view("catalog.view_record")
def record_detail(request, pk: int):
    """One record: every field, its contributors and subjects, its items, downloads and history."""
    record = get_object_or_404(Record.objects.defer("marc"), pk=pk)
    items = list(queries.record_items(record))
    return render(
        request,
        "catalog/record_detail.html",
        {
            "record": record,
            "items": items,
            "language_name": queries.language_name(record.language) if record.language else "",
        },
    )


def _record_form_page(request, record: Record | None):
    if request.method == "POST" and "suggest" in request.POST:
        # The call-number helper without JavaScript: fill the suggestion in and show the form again.
        data = request.POST.copy()
        data["call_number"] = actions.suggest_call_number(
            class_number=data.get("class_number", ""),
            main_entry=main_entry_from_text(data.get("contributors", "")),
            title=data.get("title", ""),
        )
        return render(request, "catalog/record_form.html", {"form": _unvalidated(data), "record": record})
    initial = RecordForm.initial_for(record) if record is not None else {}
    form = RecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form, aliases=RecordForm.ERROR_FIELDS):
            if record is None:
                record = actions.create_record(actor=request.user, **form.record_data(changed_only=False))
                messages.success(request, _("Record “%(title)s” catalogued.") % {"title": record.title})
            else:
                # Only what the cataloguer changed: old data in untouched fields never blocks an edit.
                changed = form.record_data(changed_only=True)
                record = actions.update_record(record=record, actor=request.user, **changed)
                messages.success(request, _("Record “%(title)s” saved.") % {"title": record.title})
            return redirect("catalog:record_detail", pk=record.pk)
    return render(request, "catalog/record_form.html", {"form": focus_first_error(form), "record": record})


def _unvalidated(data) -> RecordForm:
    """A form showing ``data`` as typed, without error messages (the user has not asked to save yet)."""
    form = RecordForm(initial={key: data.get(key) for key in RecordForm.base_fields})
    if "is_suppressed" not in data:
        form.initial["is_suppressed"] = False
    return form


@staff_view(actions.create_record.permission)
def record_create(request):
    """Catalogue a new record (the call number is suggested when left empty)."""
    return _record_form_page(request, None)


@staff_view(actions.update_record.permission)
def record_edit(request, pk: int):
    """Change a record's fields."""
    record = get_object_or_404(Record.objects.defer("marc"), pk=pk)
    return _record_form_page(request, record)


@require_GET
@staff_view(actions.update_record.permission)  # the cataloguing form's helper: only cataloguers use it
def suggest_call_number(request):
    """htmx: the call-number field filled with the library rule's suggestion for the form's values."""
    class_number = request.GET.get("class_number", "")[:100]
    suggestion = actions.suggest_call_number(
        class_number=class_number,
        main_entry=request.GET.get("main_entry") or main_entry_from_text(request.GET.get("contributors", "")[:5000]),
        title=request.GET.get("title", "")[:1000],
    )
    form = RecordForm(initial={"call_number": suggestion})
    form.fields["call_number"].widget.attrs["autofocus"] = True
    note = "" if class_number.strip() else _("Give a class number first for a complete call number.")
    return render(request, "catalog/_call_number_field.html", {"form": form, "note": note})


@require_http_methods(["GET", "POST"])
@staff_view(actions.delete_record.permission)
def record_delete(request, pk: int):
    """Delete a record; refused (with the reason) while it still has items."""
    record = get_object_or_404(Record.objects.defer("marc"), pk=pk)
    if request.method == "POST":
        with action_messages(request) as outcome:
            actions.delete_record(record=record, actor=request.user)
        if outcome.refused:
            return redirect("catalog:record_detail", pk=record.pk)
        messages.success(request, _("Record “%(title)s” deleted.") % {"title": record.title})
        return redirect("catalog:record_list")
    return render(request, "catalog/record_confirm_delete.html", {"record": record, "item_count": record.items.count()})


EXPORTS = {
    "marc": ("application/marc", "mrc"),
    "marcxml": ("application/marcxml+xml; charset=utf-8", "xml"),
    "dc": ("application/xml; charset=utf-8", "dc.xml"),
}


@staff_view("catalog.export_marc")
def record_export(request, pk: int, fmt: str):
    """Download one record as MARC 21 (ISO 2709), MARCXML or Dublin Core XML."""
    if fmt not in EXPORTS:
        raise Http404
    record = get_object_or_404(Record, pk=pk)
    from ..marc import attach_export_extras, dc_xml, public_base_url, write_marc

    base_url = public_base_url(request)
    if fmt == "dc":
        attach_export_extras([record], base_url=base_url)
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n' + dc_xml(record) + "\n").encode("utf-8")
    else:
        out = io.BytesIO()
        write_marc([record], out, format="marcxml" if fmt == "marcxml" else "iso2709", base_url=base_url)
        body = out.getvalue()
    content_type, extension = EXPORTS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="record-{record.pk}.{extension}"'
    return response


# MARC upload -------------------------------------------------------------------------------------


def _save_upload(upload, suffix: str) -> Path:
    """Copy the upload into a new private folder; only the file's own name (made safe) is kept, so
    the import report names the file the librarian chose."""
    folder = Path(tempfile.mkdtemp(prefix="pustaka-upload-"))
    try:
        name = get_valid_filename(Path(upload.name or "").name)[:100]
    except SuspiciousFileOperation:
        name = ""
    if not name.lower().endswith((".mrc", ".marc", ".xml", ".dat", ".iso", ".bin")):
        name = (name or "upload") + suffix
    path = folder / name
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _remember_report(request, report_path) -> str:
    """Give the import report a random name in this session; the download finds it by that name only."""
    if not report_path or not Path(report_path).is_file():
        return ""
    token = secrets.token_urlsafe(16)
    reports = dict(request.session.get(SESSION_REPORTS, {}))
    reports[token] = str(report_path)
    request.session[SESSION_REPORTS] = dict(list(reports.items())[-20:])
    return token


@staff_view(actions.import_marc.permission)
def marc_import(request):
    """Upload a MARC file: records are created or updated, rejected ones listed with their reasons."""
    form = MarcUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["detected_format"]
        path = _save_upload(form.cleaned_data["file"], ".xml" if fmt == "marcxml" else ".mrc")
        try:
            result = actions.import_marc(source=str(path), actor=request.user, format=fmt)
        except PustakaError as error:
            add_error(form, error, {"source": "file", "path": "file"})
        except Exception:  # a file we cannot read must give a message, never a server error
            logger.exception("MARC upload failed")
            form.add_error("file", _("The MARC file could not be read; nothing was imported."))
        else:
            rejections = list(result.rejections or [])
            return render(
                request,
                "catalog/marc_import_result.html",
                {
                    "result": result,
                    "file_name": form.cleaned_data["file"].name,
                    "rejections": rejections[:REJECTIONS_SHOWN],
                    "more_rejections": max(0, len(rejections) - REJECTIONS_SHOWN),
                    "report_token": _remember_report(request, getattr(result, "report_path", None)),
                },
            )
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)
    return render(
        request, "catalog/marc_import.html", {"form": focus_first_error(form), "max_mb": settings.PUSTAKA_MAX_UPLOAD_MB}
    )


@staff_view("catalog.import_marc")
def marc_import_report(request, token: str):
    """Download the report of an import made in this session (found by its random name, never a path)."""
    path = request.session.get(SESSION_REPORTS, {}).get(token)
    if not path or not Path(path).is_file():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=Path(path).name)
