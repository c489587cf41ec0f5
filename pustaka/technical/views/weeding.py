"""Technical services: weeding pages. Criteria per collection or class range, the candidates Pustaka
proposes with their reasons, approving or rejecting them (one by one or in bulk), and putting the
approved ones on a pull list."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pustaka.catalog.choices import MaterialType
from pustaka.core.forms import CountField, focus_first_error
from pustaka.core.models import Branch, Location
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.holdings.choices import Condition

from .. import actions
from ..choices import WeedingDecision
from ..models import WeedingCandidate, WeedingCriteria
from ..queries.pulling import candidates, criteria_list, reason_text

PAGE_SIZE = 50


class WeedingCriteriaForm(forms.Form):
    """CREW/MUSTIE-style criteria: where to look and which rules an item must meet."""

    name = forms.CharField(label=_("Name"), max_length=200)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.order_by("code"), empty_label=None)
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.select_related("branch"), required=False
    )
    class_from = forms.CharField(label=_("Class number from"), max_length=50, required=False)
    class_to = forms.CharField(
        label=_("Class number to"), max_length=50, required=False, help_text=_("Includes its subdivisions.")
    )
    material_type = forms.ChoiceField(
        label=_("Material type"), choices=[("", _("Any"))] + list(MaterialType.choices), required=False
    )
    min_years_since_publication = CountField(
        label=_("Published at least N years ago"), min_value=0, max_value=1000, required=False
    )
    min_years_since_last_loan = CountField(
        label=_("Not lent for at least N years"),
        min_value=0,
        max_value=1000,
        required=False,
        help_text=_("An item never lent counts from its acquisition date."),
    )
    max_loan_count = CountField(label=_("Lent at most N times"), min_value=0, required=False)
    conditions = forms.MultipleChoiceField(
        label=_("In condition"), choices=Condition.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    min_copies_held = CountField(
        label=_("Only when at least N copies are held"), min_value=0, max_value=1000, required=False
    )


@staff_view("technical.view_weedingcriteria")
def weeding_list(request):
    """Every weeding criteria with candidate counts; librarians define new criteria here."""
    form = WeedingCriteriaForm(request.POST or None, initial={"branch": request.user.home_branch_id})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with action_messages(request, form=form):
            criteria = actions.create_weeding_criteria(actor=request.user, **data)
            messages.success(request, _("Criteria “%(name)s” saved.") % {"name": criteria.name})
            return redirect("technical:weeding_detail", pk=criteria.pk)
    return render(
        request,
        "technical/weeding/list.html",
        {"criteria_list": criteria_list(), "form": focus_first_error(form)},
    )


@staff_view("technical.view_weedingcriteria")
def weeding_detail(request, pk: int):
    """One criteria and its candidates in shelf order, with their reasons and the decision buttons."""
    criteria = get_object_or_404(WeedingCriteria.objects.select_related("branch", "location"), pk=pk)
    decision = request.GET.get("decision", WeedingDecision.PROPOSED)
    if decision not in WeedingDecision.values:
        decision = ""
    page = Paginator(candidates(criteria, decision=decision), PAGE_SIZE).get_page(request.GET.get("page"))
    for candidate in page.object_list:
        candidate.reason_texts = [reason_text(r) for r in candidate.reasons]
    counts = dict(criteria.candidates.order_by().values_list("decision").annotate(n=Count("pk")))
    return render(
        request,
        "technical/weeding/detail.html",
        {
            "criteria": criteria,
            "page": page,
            "candidates": page.object_list,
            "decision": decision,
            "decisions": WeedingDecision.choices,
            "counts": counts,
            "conditions": [Condition(c).label for c in criteria.conditions if c in Condition.values],
        },
    )


def _criteria(pk: int) -> WeedingCriteria:
    return get_object_or_404(WeedingCriteria.objects.select_related("branch", "location"), pk=pk)


@require_POST
@staff_view("technical.view_weedingcriteria")
def weeding_propose(request, pk: int):
    """Run the criteria over the collection; decisions already made are kept."""
    criteria = _criteria(pk)
    with action_messages(request):
        result = actions.propose_weeding_candidates(criteria=criteria, actor=request.user)
        messages.success(
            request,
            ngettext(
                "%(matched)s item matches; %(proposed)s proposed, %(kept)s already decided.",
                "%(matched)s items match; %(proposed)s proposed, %(kept)s already decided.",
                result["matched"],
            )
            % result,
        )
    return redirect("technical:weeding_detail", pk=criteria.pk)


@require_POST
@staff_view("technical.view_weedingcriteria")
def weeding_decide(request, pk: int):
    """Approve or reject the ticked candidates (or the one whose button was pressed)."""
    criteria = _criteria(pk)
    decision = request.POST.get("decision", "")
    ids = [int(v) for v in request.POST.getlist("candidate") if v.isdigit()][:1000]
    chosen = list(WeedingCandidate.objects.filter(criteria=criteria, pk__in=ids).only("pk"))
    back = request.POST.get("back", "")
    if not chosen:
        messages.error(request, _("Tick at least one candidate."))
    else:
        with action_messages(request):
            changed = actions.decide_weeding_candidates(candidates=chosen, decision=decision, actor=request.user)
            messages.success(
                request,
                ngettext("%(count)s candidate decided.", "%(count)s candidates decided.", changed) % {"count": changed},
            )
    url = redirect("technical:weeding_detail", pk=criteria.pk)
    if back.startswith("?"):
        url["Location"] += back
    return url


@require_POST
@staff_view("technical.view_weedingcriteria")
def weeding_pull(request, pk: int):
    """Put every approved candidate not yet listed on a new pull list (reason: weeding)."""
    criteria = _criteria(pk)
    with action_messages(request) as outcome:
        pull_list = actions.pull_approved_candidates(criteria=criteria, actor=request.user)
    if outcome.refused:
        return redirect("technical:weeding_detail", pk=criteria.pk)
    messages.success(request, _("Pull list “%(name)s” started.") % {"name": pull_list.name})
    return redirect("technical:pulling_detail", pk=pull_list.pk)
