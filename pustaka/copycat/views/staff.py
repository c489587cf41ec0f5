"""Staff pages of copy cataloguing: search remote catalogues (results beside the local records they may
duplicate) and copy one with its copies in one step; the list of catalogues and its form; the
records copied so far. Every page states its permission with ``staff_view``."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pustaka.core.forms import focus_first_error
from pustaka.core.models import Branch
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import ItemType
from pustaka.holdings.transitions import INITIAL_STATUSES

from .. import actions, queries
from ..clients import Terms
from ..forms import ImportForm, SearchForm, TargetForm
from ..models import Target


def _import_form(request, data=None):
    branch = getattr(request.user, "home_branch", None)
    initial = {"copies": 1, "status": "in_processing"}
    if branch is not None:
        initial["branch"] = branch
    return ImportForm(data, initial=initial)


def _import_choices() -> dict:
    """The choices of every result's import row, read once for the whole page (two queries)."""
    return {
        "branch": [(b.pk, f"{b.code} · {b.name}") for b in Branch.objects.filter(is_active=True).order_by("code")],
        "item_type": [(t.pk, str(t)) for t in ItemType.objects.order_by("name")],
        "status": [(s, ItemStatus(s).label) for s in INITIAL_STATUSES],
    }


@staff_view(actions.import_copy.permission)
def search(request):
    """Search several remote catalogues at once by ISBN, title and author, or keywords; each result shows
    the local records it may duplicate and a form that copies it with its copies."""
    form = SearchForm(request.GET or None)
    answers = []
    searched = False
    if form.is_bound and form.is_valid() and form.has_terms:
        data = form.cleaned_data
        terms = Terms(isbn=data["isbn"], title=data["title"], author=data["author"], keywords=data["keywords"])
        with action_messages(request, form=form):
            chosen = queries.chosen_targets([t.pk for t in data["targets"]])
            answers = queries.search(chosen, terms)
            searched = True
    elif form.is_bound and form.is_valid():
        form.add_error("isbn", _("Give an ISBN, a title or an author, or keywords to search for."))
    return render(
        request,
        "copycat/search.html",
        {
            "form": focus_first_error(form),
            "answers": answers,
            "searched": searched,
            "import_choices": _import_choices() if answers else {},
            "import_initial": {"branch": str(getattr(request.user, "home_branch_id", "") or "")},
            "has_targets": Target.objects.filter(enabled=True).exists(),
        },
    )


@staff_view(actions.import_copy.permission)
def import_result(request):
    """Copy a search result into the catalogue with its copies (POST), then show the new record."""
    if request.method != "POST":
        return redirect("copycat:search")
    form = _import_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with action_messages(request, form=form, aliases={"result": None}):
            copied = actions.import_copy(
                actor=request.user,
                result=data["result"],
                copies=data["copies"],
                barcodes=data["barcodes"],
                branch=data["branch"],
                location=data["location"],
                item_type=data["item_type"],
                status=data["status"],
            )
            messages.success(
                request,
                ngettext(
                    "“%(title)s” copied from %(target)s with %(count)s copy.",
                    "“%(title)s” copied from %(target)s with %(count)s copies.",
                    copied.item_count,
                )
                % {"title": copied.record.title, "target": copied.target_name, "count": copied.item_count},
            )
            return redirect("catalog:record_detail", pk=copied.record_id)
    return render(request, "copycat/import_refused.html", {"form": form}, status=400)


@staff_view("copycat.view_copiedrecord")
def copied_list(request):
    """The records copied from remote catalogues, newest first."""
    page = Paginator(queries.copied_records(), 50).get_page(request.GET.get("page"))
    return render(request, "copycat/copied_list.html", {"page": page})


@staff_view("copycat.view_target")
def target_list(request):
    """The remote catalogues, in the order searches list them."""
    return render(request, "copycat/target_list.html", {"targets": list(queries.targets())})


@staff_view(actions.create_target.permission)
def target_create(request):
    """Add a remote catalogue."""
    return _target_form(request, None)


@staff_view(actions.update_target.permission)
def target_edit(request, pk: int):
    """Change a remote catalogue (or switch it off)."""
    return _target_form(request, get_object_or_404(Target, pk=pk))


def _target_form(request, target):
    form = TargetForm(request.POST or None, initial=TargetForm.initial_for(target) if target else None)
    if request.method == "POST" and form.is_valid():
        data = {k: ("" if v is None and k != "port" else v) for k, v in form.cleaned_data.items()}
        with action_messages(request, form=form):
            if target is None:
                target = actions.create_target(actor=request.user, **data)
                messages.success(request, _("Remote catalogue “%(name)s” added.") % {"name": target.name})
            else:
                target = actions.update_target(actor=request.user, target=target, **data)
                messages.success(request, _("Remote catalogue “%(name)s” saved.") % {"name": target.name})
            return redirect("copycat:targets")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "copycat/target_form.html", {"form": focus_first_error(form), "target": target}, status=status
    )


@staff_view(actions.delete_target.permission)
def target_delete(request, pk: int):
    """Remove a remote catalogue (POST)."""
    target = get_object_or_404(Target, pk=pk)
    if request.method == "POST":
        with action_messages(request):
            actions.delete_target(actor=request.user, target=target)
            messages.success(request, _("Remote catalogue “%(name)s” removed.") % {"name": target.name})
    return redirect("copycat:targets")
