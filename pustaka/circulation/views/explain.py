"""The "which rule applies and why" page: choose a patron category, item type and branch; see every rule of the
matrix with whether it matches, why, and which one wins (``rules.explain_rule``)."""

from django.shortcuts import render

from pustaka.core.permissions import staff_view

from .. import rules
from ..forms import ExplainForm


@staff_view("circulation.view_loanrule")
def rule_explain(request):
    """Staff who may see the loan rules: the candidates for one situation, the applying rule first."""
    form = ExplainForm(request.GET or None)
    candidates = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        candidates = rules.explain_rule(category=data["category"], item_type=data["item_type"], branch=data["branch"])
    return render(
        request,
        "circulation/rule_explain.html",
        {"form": form, "candidates": candidates, "chosen": next((c for c in candidates or [] if c.chosen), None)},
    )
