"""Staff pages for patrons (``/staff/patrons/``): search, detail, enrol/edit, blocks, renewal, PIN,
catalogue login, cards, CSV import, and the patron categories.

Who may use what: every page needs a staff role and the permission named on its view; a member of
staff who is not an administrator sees and changes only patrons of their own home branch (others
are "not found"), see :func:`pustaka.patrons.queries.patrons_for`.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pustaka.core.audit import history
from pustaka.core.forms import focus_first_error
from pustaka.core.page_errors import action_messages
from pustaka.core.params import parse_ids
from pustaka.core.permissions import staff_view
from pustaka.core.queries import library_name
from pustaka.printing import cards

from .. import actions, queries
from ..choices import BlockReason
from ..forms import CategoryForm, ImportForm, LoginForm, PatronForm, PinForm, ReasonForm, SearchForm
from ..models import Patron, PatronCategory

logger = logging.getLogger(__name__)
PAGE_SIZE = 50


def _patron(request, pk: int) -> Patron:
    """A patron the user may see, with what the pages show; others are 404."""
    return get_object_or_404(
        queries.patrons_for(request.user).select_related("category", "home_branch", "guardian", "user"), pk=pk
    )


@staff_view("patrons.view_patron")
def patron_list(request):
    """Patrons of the user's branch (all for administrators), searched by card number or name, 50 a page."""
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(queries.search(request.user, q), PAGE_SIZE).get_page(request.GET.get("page"))
    if q and page.paginator.count == 1 and page.number == 1:
        only = page.object_list[0]
        if queries.normalise_card(q) == only.card_number:  # a scanned card goes straight to the patron
            return redirect("patrons:detail", pk=only.pk)
    return render(
        request,
        "patrons/patron_list.html",
        {
            "form": form,
            "q": q,
            "page": page,
            "patrons": page.object_list,
            "today": _today(),
            "sees_all": queries.is_administrator(request.user),
        },
    )


def _today():
    from django.utils import timezone

    return timezone.localdate()


@staff_view("patrons.view_patron")
def patron_detail(request, pk: int):
    """One patron: contact, category, expiry, every block with its reason, guardian and wards.

    The ``patron_circulation`` block of the template is where loans, holds and fines appear.
    """
    patron = _patron(request, pk)
    blocks = [
        {"reason": reason, "label": BlockReason(reason).label, "colour": BlockReason.colour(reason), "text": text}
        for reason, text in queries.blocks(patron)
    ]
    return render(
        request,
        "patrons/patron_detail.html",
        {
            "patron": patron,
            "blocks": blocks,
            "open_blocks": list(queries.open_blocks(patron)),
            "block_history": list(queries.block_history(patron)[:20]),
            "wards": list(queries.wards(patron)),
            "reason_form": ReasonForm(),
            "login_form": LoginForm(),
            "events": history(patron)[:20],
        },
    )


@staff_view(actions.create_patron.permission)
def patron_create(request):
    """Enrol a patron; the home branch is the user's own unless they are an administrator."""
    form = PatronForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            patron = actions.create_patron(actor=request.user, **form.action_fields())
            messages.success(request, _("%(patron)s is enrolled.") % {"patron": patron})
            return redirect("patrons:detail", pk=patron.pk)
    return render(request, "patrons/patron_form.html", {"form": focus_first_error(form), "title": _("New patron")})


@staff_view(actions.update_patron.permission)
def patron_edit(request, pk: int):
    """Change a patron's details (the PIN, login and blocks have their own forms)."""
    patron = _patron(request, pk)
    form = PatronForm(request.POST or None, user=request.user, editing=True, initial=PatronForm.initial_for(patron))
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.update_patron(patron=patron, actor=request.user, **form.action_fields())
            messages.success(request, _("The patron's details are saved."))
            return redirect("patrons:detail", pk=patron.pk)
    return render(
        request,
        "patrons/patron_form.html",
        {"form": focus_first_error(form), "patron": patron, "title": _("Edit %(patron)s") % {"patron": patron}},
    )


def _post_action(request, pk, run, success):
    patron = _patron(request, pk)
    with action_messages(request):
        run(patron)
        messages.success(request, success(patron))
    return redirect("patrons:detail", pk=patron.pk)


@require_POST
@staff_view(actions.block_patron.permission)
def patron_block(request, pk: int):
    """Block a patron by hand, with a reason."""
    return _post_action(
        request,
        pk,
        lambda p: actions.block_patron(patron=p, actor=request.user, reason=request.POST.get("reason", "")),
        lambda p: _("%(patron)s is blocked.") % {"patron": p},
    )


@require_POST
@staff_view(actions.unblock_patron.permission)
def patron_unblock(request, pk: int):
    """Lift a patron's manual blocks, with a reason."""
    return _post_action(
        request,
        pk,
        lambda p: actions.unblock_patron(patron=p, actor=request.user, reason=request.POST.get("reason", "")),
        lambda p: _("The blocks on %(patron)s are lifted.") % {"patron": p},
    )


@require_POST
@staff_view(actions.renew_membership.permission)
def patron_renew(request, pk: int):
    """Renew the membership by the category's period."""
    return _post_action(
        request,
        pk,
        lambda p: actions.renew_membership(patron=p, actor=request.user),
        lambda p: _("Membership renewed until %(date)s.") % {"date": _date(p.expires_on)},
    )


def _date(value):
    from django.utils.formats import date_format

    return date_format(value)


@require_POST
@staff_view(actions.link_login.permission)
def patron_login(request, pk: int):
    """Create the patron's catalogue login (username = card number)."""
    return _post_action(
        request,
        pk,
        lambda p: actions.link_login(patron=p, actor=request.user, password=request.POST.get("password", "")),
        lambda p: (
            _("%(patron)s can now log in to the catalogue as %(username)s.") % {"patron": p, "username": p.card_number}
        ),
    )


@staff_view(actions.set_pin.permission)
def patron_pin(request, pk: int):
    """Set a new self-check PIN (typed twice)."""
    patron = _patron(request, pk)
    form = PinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.set_pin(patron=patron, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The new PIN is set."))
            return redirect("patrons:detail", pk=patron.pk)
    return render(request, "patrons/patron_pin.html", {"form": focus_first_error(form), "patron": patron})


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_GET
@staff_view("patrons.print_cards")
def patron_card(request, pk: int):
    """One patron's card as PDF."""
    patron = _patron(request, pk)
    body = cards.render_cards([patron], library=library_name())
    return _pdf(body, f"card-{patron.card_number}.pdf")


@require_GET
@staff_view("patrons.print_cards")
def patron_cards(request):
    """The cards of the patrons ticked on the list (``?id=1&id=2``), ten to an A4 sheet."""
    ids = parse_ids(request.GET.getlist("id"))[: cards.MAX_CARDS]
    if not ids:
        messages.error(request, _("Tick the patrons whose cards you want to print."))
        return redirect("patrons:list")
    found = {
        p.pk: p for p in queries.patrons_for(request.user).select_related("category", "home_branch").filter(pk__in=ids)
    }
    chosen = [found[i] for i in dict.fromkeys(ids) if i in found]
    if not chosen:
        raise Http404
    try:
        position = max(0, min(int(request.GET.get("start", "0")), cards.CARD_LAYOUT.per_page - 1))
    except ValueError:
        position = 0
    body = cards.render_cards(chosen, library=library_name(), start_position=position)
    return _pdf(body, "cards.pdf")


@staff_view(actions.import_patrons_csv.permission)
def patron_import(request):
    """Upload a CSV of patrons; the report lists every rejected row with its reason."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            data = b"".join(form.cleaned_data["file"].chunks())
            result = actions.import_patrons_csv(source=data, actor=request.user)
    return render(
        request,
        "patrons/patron_import.html",
        {
            "form": focus_first_error(form),
            "result": result,
            "columns": actions.CSV_COLUMNS,
            "required": actions.CSV_REQUIRED,
            "max_mb": min(5, settings.PUSTAKA_MAX_UPLOAD_MB),
        },
    )


# --- Categories -----------------------------------------------------------------------------------


@staff_view("patrons.view_patroncategory")
def category_list(request):
    """Patron categories with their membership period, block limits and number of patrons."""
    return render(request, "patrons/category_list.html", {"categories": queries.categories()})


@staff_view(actions.create_category.permission)
def category_create(request):
    """Add a patron category (librarians)."""
    form = CategoryForm(request.POST or None, initial={"membership_days": 365, "max_overdues": 5, "max_fines": 50000})
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            category = actions.create_category(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Category %(name)s added.") % {"name": category.name})
            return redirect("patrons:category_list")
    return render(
        request, "patrons/category_form.html", {"form": focus_first_error(form), "title": _("New patron category")}
    )


@staff_view(actions.update_category.permission)
def category_edit(request, pk: int):
    """Change a patron category (librarians)."""
    category = get_object_or_404(PatronCategory, pk=pk)
    initial = {
        name: getattr(category, name)
        for name in ("code", "name", "is_child", "membership_days", "max_overdues", "max_fines")
    }
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.update_category(category=category, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Category %(name)s saved.") % {"name": form.cleaned_data["name"]})
            return redirect("patrons:category_list")
    return render(
        request,
        "patrons/category_form.html",
        {"form": focus_first_error(form), "category": category, "title": _("Edit %(name)s") % {"name": category}},
    )
