"""Processing and shelving pages: the processing queue with a scanned batch and its steps, the
cataloguer's queue, label sheets, the processing profile editor and the shelving queue.

Scan-first: the scan field has focus, Enter submits, the page comes back with the result or with
the typed error's message (unknown barcode, wrong state, already done).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pustaka.core.errors import PustakaError
from pustaka.core.models import Branch
from pustaka.core.page_errors import action_messages
from pustaka.core.params import parse_id
from pustaka.core.permissions import staff_view
from pustaka.core.queries import library_name
from pustaka.holdings.choices import ItemStatus
from pustaka.printing import labels

from .. import actions
from ..choices import StepKind
from ..models import ProcessingProfile, ProcessingStep
from ..queries import processing as queries

PAGE_SIZE = 50
BATCH_KEY = "processing_batch"
VIEW_PERM = "technical.view_processingprofile"
TICK_PERM = "technical.do_processing"
PROFILE_PERM = "technical.manage_processing_profiles"
SHELVE_PERM = "holdings.shelve_item"


def _batch(request) -> list[str]:
    return list(request.session.get(BATCH_KEY, []))


def _set_batch(request, barcodes: list[str]) -> None:
    request.session[BATCH_KEY] = list(dict.fromkeys(barcodes))[-actions.processing.MAX_BATCH :]


def _barcodes(request) -> list[str]:
    return [b.strip() for b in request.POST.getlist("barcode") if b.strip()]


@staff_view(VIEW_PERM)
def processing_queue(request):
    """The processing queue: scan items into a batch, tick their steps, print their labels."""
    batch_codes = _batch(request)
    batch_items = {
        i.barcode: i
        for i in queries.items_with_parts().filter(barcode__in=batch_codes).prefetch_related("processing_done__done_by")
    }
    batch = queries.progress_of([batch_items[b] for b in batch_codes if b in batch_items])
    profiles = {p.profile.pk: p.profile for p in batch}
    open_batch = [p for p in batch if p.item.status in queries.PROCESSING_STATUSES]
    batch_profile = next(iter(profiles.values())) if len(profiles) == 1 else None
    batch_steps = []
    if batch_profile is not None and open_batch:
        for step in batch_profile.steps.all():
            if step.is_enabled:
                waiting = sum(1 for p in open_batch if not next(s for s in p.steps if s.step.pk == step.pk).is_done)
                batch_steps.append((step, waiting))
    page = Paginator(queries.processing_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = queries.progress_of(page.object_list)
    return render(
        request,
        "technical/processing/queue.html",
        {
            "batch": batch,
            "batch_steps": batch_steps,
            "batch_profile": batch_profile,
            "open_batch": open_batch,
            "page": page,
            "rows": rows,
            "cataloguing_count": queries.cataloguing_queue().count(),
            "shelving_count": queries.shelving_queue().count(),
            "layouts": labels.LAYOUTS.values(),
            "label_kinds": labels.LABEL_KINDS.items(),
            "symbologies": labels.SYMBOLOGIES.items(),
        },
    )


@require_POST
@staff_view(TICK_PERM)
def processing_scan(request):
    """Scan an item into the batch; a received item starts processing."""
    barcode = request.POST.get("barcode", "").strip()
    with action_messages(request):
        (item,) = actions.items_for_barcodes([barcode])
        item = actions.start_processing(item=item, actor=request.user)
        _set_batch(request, [*_batch(request), item.barcode])
        if item.status == ItemStatus.READY_FOR_SHELVING:
            messages.info(
                request,
                _("Item %(barcode)s has every step done; it is in the shelving queue.") % {"barcode": item.barcode},
            )
        else:
            messages.success(request, _("Item %(barcode)s scanned.") % {"barcode": item.barcode})
    return redirect("technical:processing_queue")


@require_POST
@staff_view(TICK_PERM)
def processing_tick(request):
    """Tick one step for one item, or for every open item of the scanned batch (all or nothing)."""
    step_id = parse_id(request.POST.get("step"))
    step = ProcessingStep.objects.select_related("profile").filter(pk=step_id).first() if step_id else None
    barcodes = _barcodes(request)
    if request.POST.get("batch"):
        batch = queries.items_with_parts().filter(barcode__in=_batch(request), status__in=queries.PROCESSING_STATUSES)
        barcodes = list(batch.values_list("barcode", flat=True))
    with action_messages(request):
        if step is None:
            from ..errors.processing import StepNotFound

            raise StepNotFound(id=request.POST.get("step", ""))
        items = actions.items_for_barcodes(barcodes)
        done = actions.tick_processing_step(items=items, step=step, actor=request.user)
        shelved = [i.barcode for i in done if i.status == ItemStatus.READY_FOR_SHELVING]
        messages.success(
            request,
            _("“%(step)s” done for %(barcodes)s.") % {"step": step, "barcodes": ", ".join(i.barcode for i in done)},
        )
        if shelved:
            messages.success(
                request,
                _("Every step done; now in the shelving queue: %(barcodes)s.") % {"barcodes": ", ".join(shelved)},
            )
    return redirect("technical:processing_queue")


@require_POST
@staff_view(VIEW_PERM)
def processing_batch_clear(request):
    """Empty the scanned batch (nothing else changes)."""
    request.session[BATCH_KEY] = []
    return redirect("technical:processing_queue")


@staff_view(VIEW_PERM)
def processing_labels(request):
    """A PDF sheet of spine and/or barcode labels for the chosen items, the scanned batch or the queue."""
    source = request.GET.get("source", "selected")
    if source == "batch":
        codes = _batch(request)
    elif source == "queue":
        codes = list(queries.processing_queue().values_list("barcode", flat=True)[:500])
    else:
        codes = [b.strip() for b in request.GET.getlist("barcode") if b.strip()]
    with action_messages(request) as outcome:
        layout = labels.layout_named(request.GET.get("layout", labels.DEFAULT_LAYOUT))
        kind = request.GET.get("kind", "spine")
        symbology = request.GET.get("symbology", "code128")
        if kind not in labels.LABEL_KINDS or symbology not in labels.SYMBOLOGIES:
            raise PustakaError(_("Choose the kind of label and the barcode type from the lists."))
        items = actions.items_for_barcodes(codes) if source != "queue" or codes else []
        if not items:
            from ..errors.processing import NoBarcodes

            raise NoBarcodes()
        start = int(request.GET.get("start") or 0) if (request.GET.get("start") or "0").isdigit() else 0
        pdf = labels.render_sheet(
            labels.labels_for_items(items, kind=kind, symbology=symbology, library_name=library_name()),
            layout=layout,
            start_position=start,
            title=str(_("Labels")),
        )
    if outcome.refused:
        return redirect("technical:processing_queue")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="labels-{layout.key}-{kind}.pdf"'
    return response


@staff_view("catalog.catalogue")
def processing_cataloguing_queue(request):
    """The cataloguer's queue: received items whose record has no call number yet."""
    page = Paginator(queries.cataloguing_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "technical/processing/cataloguing.html", {"page": page, "items": page.object_list})


# Profiles ---------------------------------------------------------------------------------------


@staff_view(PROFILE_PERM)
def processing_profile(request):
    """Edit the processing steps of the library default or of one branch (which else follows the default)."""
    branches = list(Branch.objects.order_by("code"))
    code = request.GET.get("branch", "")
    branch = next((b for b in branches if b.code == code), None)
    library = queries.library_profile()
    own = ProcessingProfile.objects.filter(branch=branch).first() if branch else None
    profile = own if branch else library
    steps = list(profile.steps.order_by("position", "id")) if profile else list(library.steps.all())
    return render(
        request,
        "technical/processing/profile.html",
        {
            "branches": branches,
            "branch": branch,
            "profile": profile,
            "follows_default": branch is not None and own is None,
            "steps": steps,
            "step_kinds": StepKind.choices,
            "branches_with_own": set(
                ProcessingProfile.objects.filter(branch__isnull=False).values_list("branch__code", flat=True)
            ),
        },
    )


def _back_to_profile(profile: ProcessingProfile):
    url = reverse("technical:processing_profile")
    return redirect(f"{url}?branch={profile.branch.code}" if profile.branch_id else url)


@require_POST
@staff_view(PROFILE_PERM)
def processing_profile_create(request, code: str):
    """Give a branch its own profile (a copy of the library default to adapt)."""
    branch = get_object_or_404(Branch, code=code)
    with action_messages(request) as outcome:
        profile = actions.create_branch_profile(branch=branch, actor=request.user)
    if outcome.refused:
        return redirect(f"{reverse('technical:processing_profile')}?branch={branch.code}")
    messages.success(request, _("Branch %(branch)s now has its own processing profile.") % {"branch": branch.code})
    return _back_to_profile(profile)


@require_POST
@staff_view(PROFILE_PERM)
def processing_step_add(request, pk: int):
    """Add a step at the end of a profile."""
    profile = get_object_or_404(ProcessingProfile.objects.select_related("branch"), pk=pk)
    with action_messages(request):
        step = actions.add_processing_step(
            profile=profile, kind=request.POST.get("kind", ""), name=request.POST.get("name", ""), actor=request.user
        )
        messages.success(request, _("Step “%(step)s” added.") % {"step": step})
    return _back_to_profile(profile)


@require_POST
@staff_view(PROFILE_PERM)
def processing_step_change(request, pk: int):
    """Rename a step, move it up or down, or turn it on or off."""
    step = get_object_or_404(ProcessingStep.objects.select_related("profile__branch"), pk=pk)
    op = request.POST.get("op", "")
    with action_messages(request):
        if op == "rename":
            actions.rename_processing_step(step=step, name=request.POST.get("name", ""), actor=request.user)
        elif op in ("up", "down"):
            actions.move_processing_step(step=step, up=op == "up", actor=request.user)
        elif op in ("enable", "disable"):
            actions.set_processing_step_enabled(step=step, is_enabled=op == "enable", actor=request.user)
        else:
            raise PustakaError(_("Unknown change."))
        messages.success(request, _("Step “%(step)s” saved.") % {"step": step})
    return _back_to_profile(step.profile)


# Shelving ---------------------------------------------------------------------------------------


@staff_view(SHELVE_PERM)
def shelving_queue(request):
    """Items ready for shelving, grouped by location in shelf order; scan each one as it goes on the shelf."""
    page = Paginator(queries.shelving_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "technical/processing/shelving.html", {"page": page, "items": page.object_list})


@require_POST
@staff_view(SHELVE_PERM)
def shelving_confirm(request):
    """Confirm scanned (or ticked) items on the shelf: they become available."""
    with action_messages(request):
        items = actions.items_for_barcodes(_barcodes(request))
        shelved = actions.confirm_shelved(items=items, actor=request.user)
        messages.success(
            request,
            _("On the shelf and available: %(barcodes)s.") % {"barcodes": ", ".join(i.barcode for i in shelved)},
        )
    return redirect("technical:shelving_queue")
