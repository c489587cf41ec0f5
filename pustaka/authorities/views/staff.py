"""Staff pages of authority records: the list with search, an authority with its forms and linked
records (link and unlink), creating and editing, merging (with a confirmation), deleting, importing a
MARC file or a subject list, and the export. Every page states its permission with ``staff_view``."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pustaka.catalog.models import Record
from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .. import actions, marc, queries
from ..forms import AuthorityForm, ImportForm, LinkForm, MergeForm, SearchForm
from ..models import Authority, AuthorityLink

VIEW = "authorities.view_authority"
PAGE_SIZE = 50


@staff_view(VIEW)
def authority_list(request):
    """Authorities found by heading or see-from form, with the number of records linked to each."""
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = queries.authorities(text=data.get("q", ""), kind=data.get("kind", ""))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "authorities/list.html", {"form": form, "page": page, "query": query.urlencode()})


def _authority(pk: int) -> Authority:
    return get_object_or_404(Authority.objects.prefetch_related("variants", "see_also__target"), pk=pk)


@staff_view(VIEW)
def detail(request, pk: int):
    """One authority: heading, see-from and see-also forms, notes, and its linked records (paginated)."""
    authority = _authority(pk)
    return _detail(request, authority, LinkForm())


def _detail(request, authority, link_form, status=200):
    page = Paginator(queries.linked_records(authority), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "authorities/detail.html",
        {"authority": authority, "page": page, "link_form": focus_first_error(link_form), "merge_form": MergeForm()},
        status=status,
    )


def _form_page(request, form, authority=None, status=200):
    return render(
        request, "authorities/form.html", {"form": focus_first_error(form), "authority": authority}, status=status
    )


@staff_view(actions.create_authority.permission)
def create(request):
    """A new authority record; records using its heading or a see-from form are linked on saving."""
    form = AuthorityForm(request.POST or None, initial={"kind": request.GET.get("kind", "topical")})
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            authority = actions.create_authority(actor=request.user, **form.cleaned_data)
            _say_linked(request, authority)
            return redirect("authorities:detail", pk=authority.pk)
    return _form_page(request, form, status=400 if request.method == "POST" else 200)


@staff_view(actions.update_authority.permission)
def edit(request, pk: int):
    """Edit an authority; its linked records are re-indexed with the new forms."""
    authority = _authority(pk)
    form = AuthorityForm(request.POST or None, initial=AuthorityForm.initial_of(authority))
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.update_authority(actor=request.user, authority=authority, **form.cleaned_data)
            _say_linked(request, authority)
            return redirect("authorities:detail", pk=authority.pk)
    return _form_page(request, form, authority, status=400 if request.method == "POST" else 200)


def _say_linked(request, authority) -> None:
    count = AuthorityLink.objects.filter(authority_id=authority.pk).count()
    messages.success(
        request,
        ngettext(
            "“%(heading)s” saved; %(count)s record heading is linked to it.",
            "“%(heading)s” saved; %(count)s record headings are linked to it.",
            count,
        )
        % {"heading": authority.heading, "count": count},
    )


@staff_view(actions.delete_authority.permission)
def delete(request, pk: int):
    """Delete an authority (POST, after the confirmation on this page)."""
    authority = _authority(pk)
    if request.method == "POST":
        with action_messages(request):
            actions.delete_authority(actor=request.user, authority=authority)
            messages.success(request, _("Authority record “%(heading)s” deleted.") % {"heading": authority.heading})
            return redirect("authorities:list")
    return render(
        request, "authorities/confirm_delete.html", {"authority": authority, "count": authority.links.count()}
    )


@require_POST
@staff_view(actions.link_record.permission)
def link(request, pk: int):
    """Link a record (by its number) to the authority by hand."""
    authority = _authority(pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        record = Record.objects.filter(pk=form.cleaned_data["record"]).first()
        if record is None:
            form.add_error(
                "record", _("There is no bibliographic record #%(record)s.") % {"record": form.cleaned_data["record"]}
            )
        else:
            with action_messages(request, form=form):
                made = actions.link_record(
                    actor=request.user,
                    authority=authority,
                    record=record,
                    heading=form.cleaned_data["heading"],
                    field=form.cleaned_data["field"],
                )
                messages.success(
                    request, _("“%(title)s” linked (%(heading)s).") % {"title": record.title, "heading": made.heading}
                )
                return redirect("authorities:detail", pk=authority.pk)
    return _detail(request, authority, form, status=400)


@require_POST
@staff_view(actions.unlink_record.permission)
def unlink(request, pk: int, link_id: int):
    """Remove one record's link to the authority."""
    authority = _authority(pk)
    found = get_object_or_404(
        AuthorityLink.objects.select_related("record", "authority"), pk=link_id, authority=authority
    )
    with action_messages(request):
        actions.unlink_record(actor=request.user, link=found)
        messages.success(request, _("“%(title)s” unlinked.") % {"title": found.record.title})
    return redirect("authorities:detail", pk=authority.pk)


@require_POST
@staff_view(actions.link_authority.permission)
def relink(request, pk: int):
    """Look again for records that use the heading or a see-from form, and link them."""
    authority = _authority(pk)
    with action_messages(request):
        count = actions.link_authority(actor=request.user, authority=authority)
        messages.success(
            request,
            ngettext("%(count)s record heading newly linked.", "%(count)s record headings newly linked.", count)
            % {"count": count},
        )
    return redirect("authorities:detail", pk=authority.pk)


@require_POST
@staff_view(actions.link_catalogue.permission)
def link_catalogue(request):
    """Link the whole catalogue: every heading that is the form of exactly one authority."""
    with action_messages(request):
        count = actions.link_catalogue(actor=request.user)
        messages.success(
            request,
            ngettext("%(count)s record heading newly linked.", "%(count)s record headings newly linked.", count)
            % {"count": count},
        )
    return redirect("authorities:list")


@staff_view(actions.merge_authorities.permission)
def merge(request, pk: int):
    """Merge another authority into this one: GET shows what will happen, POST with ``confirm`` does it."""
    winner = _authority(pk)
    form = MergeForm(request.POST or request.GET or None)
    loser = None
    if form.is_valid():
        loser = Authority.objects.filter(pk=form.cleaned_data["other"]).prefetch_related("variants").first()
        if loser is None:
            form.add_error(
                "other", _("There is no authority record #%(authority)s.") % {"authority": form.cleaned_data["other"]}
            )
        elif request.method == "POST" and request.POST.get("confirm"):
            with action_messages(request, form=form):
                count = loser.links.count()
                actions.merge_authorities(actor=request.user, winner=winner, loser=loser)
                messages.success(
                    request,
                    ngettext(
                        "“%(loser)s” merged into “%(winner)s”; %(count)s record heading relinked.",
                        "“%(loser)s” merged into “%(winner)s”; %(count)s record headings relinked.",
                        count,
                    )
                    % {"loser": loser.heading, "winner": winner.heading, "count": count},
                )
                return redirect("authorities:detail", pk=winner.pk)
    context = {
        "authority": winner,
        "form": focus_first_error(form),
        "other": loser if loser is not None and not form.errors else None,
        "other_count": loser.links.count() if loser is not None and not form.errors else 0,
    }
    return render(request, "authorities/merge.html", context, status=400 if form.errors else 200)


@staff_view(actions.import_authority_file.permission)
def import_file(request):
    """Import a MARC 21 authority file or a subject heading list; the report lists the rejected records."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        with action_messages(request, form=form):
            if data["format"] == "subjects":
                report = actions.import_subject_list(
                    actor=request.user,
                    data=upload.read(),
                    filename=upload.name,
                    source=data["source"],
                    link=data["link"],
                )
            else:
                report = actions.import_authority_file(
                    actor=request.user, data=upload.read(), filename=upload.name, link=data["link"]
                )
    status = 400 if request.method == "POST" and report is None else 200
    return render(
        request, "authorities/import.html", {"form": focus_first_error(form), "report": report}, status=status
    )


@staff_view(VIEW)
def export(request, fmt: str):
    """Every authority (or those of one kind) as MARC 21: ISO 2709 (``mrc``) or MARCXML (``xml``)."""
    rows = Authority.objects.prefetch_related("variants", "see_also").order_by("id")
    kind = request.GET.get("kind", "")
    if kind:
        rows = rows.filter(kind=kind)
    if fmt == "xml":
        response = HttpResponse(
            marc.write_marcxml(rows.iterator(chunk_size=500)), content_type="application/marcxml+xml; charset=utf-8"
        )
    else:
        response = HttpResponse(marc.write_iso2709(rows.iterator(chunk_size=500)), content_type="application/marc")
    response["Content-Disposition"] = f'attachment; filename="authorities.{fmt}"'
    return response
