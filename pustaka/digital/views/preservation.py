"""Digital preservation pages: fixity (problem files, runs, a file's history and restoring it) and
link checks (broken links with their history, check now).

Who: IT managers and administrators. Reading needs ``digital.view_fixitycheck`` /
``digital.view_linkcheck``; starting checks and restoring a file need ``digital.run_fixity``.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .. import queries_preservation as queries
from ..actions.linkcheck import check_resource_link, run_link_checks
from ..actions.preservation import restore_file, run_fixity
from ..choices import CheckOutcome
from ..forms import CheckFilterForm, RestoreForm
from ..models import DigitalResource, StoredFile

PAGE_SIZE = 50
RUN_NOW_LIMIT = 50  # a run over more files than this goes to the worker


@staff_view("digital.view_fixitycheck")
def fixity(request):
    """Fixity: the last run, files missing or changed, and every check (newest first, filterable)."""
    form = CheckFilterForm(request.GET or None)
    checks = queries.fixity_checks()
    if form.is_valid() and form.cleaned_data["outcome"]:
        checks = checks.filter(outcome=form.cleaned_data["outcome"])
    page = Paginator(checks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "digital/fixity.html",
        {
            "form": form,
            "page": page,
            "problems": list(queries.problem_files()[:200]),
            "last_run": queries.last_run(queries.FIXITY_RUN_VERB),
            "summary": queries.storage_summary(),
        },
    )


@require_POST
@staff_view("digital.run_fixity")
def fixity_run(request):
    """Start a fixity run over every file: now for a small store, else in the worker."""
    total = StoredFile.objects.count()
    with action_messages(request):
        if total > RUN_NOW_LIMIT:
            from ..tasks import fixity_files

            fixity_files(list(StoredFile.objects.values_list("pk", flat=True)), request.user.pk)
            messages.success(
                request,
                ngettext(
                    "The fixity check of %(count)s file has started; the results appear here.",
                    "The fixity check of %(count)s files has started; the results appear here.",
                    total,
                )
                % {"count": total},
            )
        else:
            run = run_fixity(actor=request.user)
            text = (
                ngettext(
                    "Checked %(checked)s file: %(ok)s intact, %(changed)s changed, %(missing)s missing.",
                    "Checked %(checked)s files: %(ok)s intact, %(changed)s changed, %(missing)s missing.",
                    run.checked,
                )
                % run.as_dict()
            )
            (messages.warning if run.has_problems else messages.success)(request, text)
    return redirect("digital:fixity")


@staff_view("digital.view_fixitycheck")
def stored_file(request, pk: int):
    """One stored file: its state, its fixity history, and (when damaged or missing) the restore form."""
    stored = get_object_or_404(StoredFile.objects.prefetch_related("uses__resource__record"), pk=pk)
    form = RestoreForm()
    if request.method == "POST":
        if not request.user.has_perm("digital.run_fixity"):
            raise DjangoPermissionDenied
        form = RestoreForm(request.POST, request.FILES)
        if form.is_valid():
            with action_messages(request, form=form):
                restore_file(stored_file=stored, upload=form.cleaned_data["upload"], actor=request.user)
                messages.success(request, _("The file was restored from the identical copy and is intact again."))
                return redirect("digital:stored_file", pk=stored.pk)
    return render(
        request,
        "digital/fixity_file.html",
        {
            "file": stored,
            "form": form,
            "checks": queries.recent_fixity_for(stored, 50),
            "path": stored.relative_path,
            "max_mb": settings.PUSTAKA_MAX_FILE_MB,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_view("digital.run_fixity")
def stored_file_check(request, pk: int):
    """Re-hash one file now."""
    stored = get_object_or_404(StoredFile, pk=pk)
    with action_messages(request):
        run = run_fixity(actor=request.user, files=[stored], notify=False)
        if run.has_problems:
            messages.warning(request, _("The file is missing or damaged."))
        else:
            messages.success(request, _("The file is intact."))
    return redirect("digital:stored_file", pk=stored.pk)


@staff_view("digital.view_linkcheck")
def links(request):
    """Remote links: the broken ones (or every one with ``?all=1``) with their last checks."""
    show_all = request.GET.get("all") == "1"
    resources = queries.link_status(only_problems=not show_all, history=5)
    return render(
        request,
        "digital/linkcheck.html",
        {
            "resources": resources,
            "show_all": show_all,
            "last_run": queries.last_run(queries.LINK_RUN_VERB),
            "total": queries.resources_with_links().count(),
        },
    )


@require_POST
@staff_view("digital.run_fixity")
def links_run(request):
    """Check every link now (in the worker when there are many)."""
    total = queries.resources_with_links().count()
    with action_messages(request):
        if total > RUN_NOW_LIMIT:
            from ..tasks import link_check_resources

            link_check_resources(list(queries.resources_with_links().values_list("pk", flat=True)), request.user.pk)
            messages.success(
                request,
                ngettext("The check of %(count)s link has started.", "The check of %(count)s links has started.", total)
                % {"count": total},
            )
        else:
            run = run_link_checks(actor=request.user)
            broken = run.counts.get(CheckOutcome.BROKEN, 0) + run.counts.get(CheckOutcome.ERROR, 0)
            text = ngettext(
                "Checked %(checked)s link: %(broken)s not working.",
                "Checked %(checked)s links: %(broken)s not working.",
                run.checked,
            ) % {"checked": run.checked, "broken": broken}
            (messages.warning if broken else messages.success)(request, text)
    return redirect("digital:links")


@require_POST
@staff_view("digital.run_fixity")
def link_check_now(request, pk: int):
    """Check one resource's link now."""
    resource = get_object_or_404(DigitalResource, pk=pk)
    with action_messages(request):
        check = check_resource_link(resource=resource, actor=request.user)
        text = _("%(resource)s: %(outcome)s") % {"resource": resource, "outcome": CheckOutcome(check.outcome).label}
        (messages.success if check.outcome == CheckOutcome.OK else messages.warning)(request, text)
    url = reverse("digital:links")
    return redirect(f"{url}?all=1" if request.POST.get("next") == "all" else url)
