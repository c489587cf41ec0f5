"""Staff pages for the loan-rule matrix and the closed days, mounted at ``staff/circulation/rules/``.

Who may use them: staff with ``circulation.view_loanrule`` see the rules and closed days; adding,
changing and deleting need ``circulation.manage_loan_rules`` / ``change_loanrule`` / ``delete_loanrule``
and ``circulation.manage_calendar`` / ``delete_closedday`` (circulation supervisors, librarians,
administrators). Every write goes through :mod:`pustaka.circulation.actions`.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .. import actions
from ..forms import ClosedDayForm, LoanRuleForm
from ..models import ClosedDay, LoanRule


@staff_view("circulation.view_loanrule")
def rule_list(request):
    """The whole matrix, most general rules first, with the closed days to come."""
    rules = LoanRule.objects.select_related("patron_category", "item_type", "branch").order_by(
        "branch__code", "item_type__code", "patron_category__code", "id"
    )
    days = ClosedDay.objects.select_related("branch").order_by("date")[:200]
    return render(request, "circulation/rules_list.html", {"rules": rules, "days": days, "day_form": ClosedDayForm()})


def _rule_form_page(request, rule=None):
    initial = {}
    if rule is not None:
        initial = {name: getattr(rule, name) for name in LoanRuleForm.base_fields}
    form = LoanRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            if rule is None:
                actions.create_loan_rule(actor=request.user, **form.cleaned_data)
                messages.success(request, gettext("Loan rule added."))
            else:
                actions.update_loan_rule(rule=rule, actor=request.user, **form.cleaned_data)
                messages.success(request, gettext("Loan rule saved."))
            return redirect("circulation_rules:list")
    return render(request, "circulation/rules_form.html", {"form": form, "rule": rule})


@staff_view(actions.create_loan_rule.permission)
def rule_create(request):
    """Add a rule to the matrix."""
    return _rule_form_page(request)


@staff_view(actions.update_loan_rule.permission)
def rule_edit(request, pk: int):
    """Change a rule (loans already made keep their due dates)."""
    return _rule_form_page(request, get_object_or_404(LoanRule, pk=pk))


@require_POST
@staff_view(actions.delete_loan_rule.permission)
def rule_delete(request, pk: int):
    """Delete a rule."""
    actions.delete_loan_rule(rule=get_object_or_404(LoanRule, pk=pk), actor=request.user)
    messages.success(request, gettext("Loan rule deleted."))
    return redirect("circulation_rules:list")


@require_POST
@staff_view(actions.add_closed_day.permission)
def closed_day_add(request):
    """Close a branch (or every branch) on a day."""
    form = ClosedDayForm(request.POST)
    if form.is_valid():
        with action_messages(request, form=form):
            actions.add_closed_day(actor=request.user, **form.cleaned_data)
            messages.success(request, gettext("Closed day added."))
            return redirect("circulation_rules:list")
    rules = LoanRule.objects.select_related("patron_category", "item_type", "branch")
    days = ClosedDay.objects.select_related("branch").order_by("date")[:200]
    return render(request, "circulation/rules_list.html", {"rules": rules, "days": days, "day_form": form}, status=400)


@require_POST
@staff_view(actions.delete_closed_day.permission)
def closed_day_delete(request, pk: int):
    """Open again on a closed day."""
    actions.delete_closed_day(day=get_object_or_404(ClosedDay, pk=pk), actor=request.user)
    messages.success(request, gettext("Closed day removed."))
    return redirect("circulation_rules:list")
