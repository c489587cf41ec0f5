"""Technical services: serials pages — subscriptions, the issue calendar, scan-first check-in, late
issues with claims, and the printable claim letter for the supplier."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pustaka.catalog.choices import MaterialType
from pustaka.catalog.models import Record
from pustaka.core.forms import CountField, focus_first_error
from pustaka.core.models import Branch
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.forms import DATE, LocationField, location_choices
from pustaka.holdings.models import ItemType

from .. import actions
from ..choices import Frequency, IssueStatus
from ..models import SerialIssue, Subscription
from ..queries.serials import annotate_late, issues_with_parts, late_issues, subscriptions_for_list


class SubscriptionForm(forms.Form):
    """A serial subscription: the title, where issues go, how often they come and how they are numbered."""

    record = forms.ModelChoiceField(
        label=_("Title"),
        queryset=Record.objects.filter(material_type__in=MaterialType.serials()).only("id", "title").order_by("title"),
        empty_label=_("— choose a magazine, newspaper or e-journal —"),
    )
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.filter(is_active=True))
    location = LocationField(label=_("Location"), required=False)
    item_type = forms.ModelChoiceField(label=_("Item type"), queryset=ItemType.objects.all())
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices, initial=Frequency.MONTHLY)
    starts_on = forms.DateField(label=_("First issue expected"), widget=DATE)
    ends_on = forms.DateField(label=_("Subscription ends"), required=False, widget=DATE)
    grace_days = CountField(label=_("Days of grace before an issue is late"), min_value=0, max_value=365)
    vendor = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    numbering = forms.CharField(
        label=_("Numbering"),
        max_length=100,
        help_text=_("{n} is the issue number, {year} the year: Vol. {year} No. {n}"),
    )
    first_number = CountField(label=_("Number of the first issue"), min_value=0, max_value=10**8)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = location_choices(_("— none —"))
        if editing:
            del self.fields["record"], self.fields["branch"]


class CheckInForm(forms.Form):
    issue = forms.ModelChoiceField(label=_("Issue"), queryset=SerialIssue.objects.none(), empty_label=None)
    barcode = forms.CharField(
        label=_("Barcode"),
        max_length=32,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "class": "scan-input"}),
        help_text=_("Scan the label stuck on the issue or type it; Enter checks it in."),
    )
    item_status = forms.ChoiceField(
        label=_("The issue goes"),
        choices=[
            (ItemStatus.AVAILABLE, _("Straight to the shelf (available)")),
            (ItemStatus.RECEIVED, _("To processing (received)")),
        ],
    )

    def __init__(self, *args, subscription, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        open_issues = subscription.issues.exclude(status=IssueStatus.RECEIVED).order_by("expected_on", "number")
        self.fields["issue"].queryset = open_issues
        self.fields["issue"].label_from_instance = lambda issue: f"{issue.label} · {date_format(issue.expected_on)}"
        if not self.is_bound:
            self.fields["issue"].initial = arriving_issue(list(open_issues), today or timezone.localdate())


def arriving_issue(open_issues, today):
    """The issue most likely in the clerk's hands: the open one expected nearest to today (the earlier
    of two as near). Not the oldest late one: an issue months late is rarely the one that came, and a
    scan + Enter must check in the right number."""
    if not open_issues:
        return None
    return min(open_issues, key=lambda issue: (abs((issue.expected_on - today).days), issue.expected_on)).pk


def _subscription(pk: int) -> Subscription:
    return get_object_or_404(subscriptions_for_list(), pk=pk)


@staff_view("technical.view_subscription")
def serial_list(request):
    """Every subscription with its frequency, supplier and how many issues came; the late count."""
    subscriptions = list(subscriptions_for_list())
    late = {}
    for issue in late_issues():
        late[issue.subscription_id] = late.get(issue.subscription_id, 0) + 1
    for subscription in subscriptions:
        subscription.late_count = late.get(subscription.pk, 0)
    return render(request, "technical/serials/list.html", {"subscriptions": subscriptions})


@staff_view("technical.manage_subscriptions")
def serial_create(request):
    """A librarian subscribes to a serial; its issues for the next year are predicted at once."""
    form = SubscriptionForm(
        request.POST or None,
        initial={"branch": request.user.home_branch_id, "grace_days": 7, "numbering": "No. {n}", "first_number": 1},
    )
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            subscription = actions.create_subscription(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Subscription saved and its issues predicted."))
            return redirect("technical:serial_detail", pk=subscription.pk)
    return render(request, "technical/serials/form.html", {"form": focus_first_error(form), "editing": False})


@staff_view("technical.manage_subscriptions")
def serial_edit(request, pk: int):
    """Change a subscription (predicted issues keep their dates)."""
    subscription = _subscription(pk)
    initial = {
        name: getattr(subscription, name)
        for name in ("frequency", "starts_on", "ends_on", "grace_days", "vendor", "numbering", "first_number")
    }
    initial |= {"location": subscription.location_id or "", "item_type": subscription.item_type_id}
    form = SubscriptionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.update_subscription(subscription=subscription, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Subscription saved."))
            return redirect("technical:serial_detail", pk=pk)
    return render(
        request,
        "technical/serials/form.html",
        {"form": focus_first_error(form), "editing": True, "subscription": subscription},
    )


@staff_view("technical.view_subscription")
def serial_detail(request, pk: int):
    """A subscription with its issue calendar: expected, received, late (live), claimed, missing."""
    subscription = _subscription(pk)
    today = timezone.localdate()
    issues = annotate_late(
        issues_with_parts().filter(subscription=subscription).order_by("expected_on", "number"), today
    )
    return render(
        request,
        "technical/serials/detail.html",
        {"subscription": subscription, "issues": issues, "today": today},
    )


@require_POST
@staff_view("technical.view_subscription")
def serial_predict(request, pk: int):
    """Predict the issues of the next twelve months (idempotent)."""
    subscription = _subscription(pk)
    with action_messages(request):
        new = actions.predict_issues(subscription=subscription, actor=request.user)
        messages.success(
            request,
            ngettext("%(count)s new issue predicted.", "%(count)s new issues predicted.", len(new))
            % {"count": len(new)},
        )
    return redirect("technical:serial_detail", pk=pk)


@staff_view("technical.check_in_issue")
def serial_check_in(request, pk: int):
    """Scan-first check-in: the next expected issue is chosen, the barcode field has the focus."""
    subscription = _subscription(pk)
    form = CheckInForm(request.POST or None, subscription=subscription, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with action_messages(request, form=form):
            issue = actions.check_in_issue(
                issue=data["issue"], barcode=data["barcode"], item_status=data["item_status"], actor=request.user
            )
            messages.success(
                request,
                _("%(label)s checked in as %(barcode)s.") % {"label": issue.label, "barcode": issue.item.barcode},
            )
            return redirect("technical:serial_check_in", pk=pk)
    return render(
        request,
        "technical/serials/check_in.html",
        {"subscription": subscription, "form": focus_first_error(form)},
    )


@staff_view("technical.view_serialissue")
def serial_late(request):
    """Late issues of every subscription (live), to claim from the supplier."""
    return render(request, "technical/serials/late.html", {"issues": late_issues()})


@require_POST
@staff_view("technical.claim_issue")
def serial_claim(request):
    """Claim the ticked late issues; the claim letter opens for printing."""
    ids = [int(v) for v in request.POST.getlist("issue") if v.isdigit()]
    issues = list(SerialIssue.objects.filter(pk__in=ids))
    with action_messages(request) as outcome:
        claimed = actions.claim_issues(issues=issues, actor=request.user)
    if outcome.refused:
        return redirect("technical:serial_late")
    messages.success(
        request,
        ngettext("%(count)s issue claimed.", "%(count)s issues claimed.", len(claimed)) % {"count": len(claimed)},
    )
    return redirect("technical:serial_claim_letter")


@staff_view("technical.claim_issue")
def serial_claim_letter(request):
    """A printable letter per supplier listing the issues claimed and still not received."""
    claimed = (
        issues_with_parts()
        .filter(status=IssueStatus.CLAIMED)
        .order_by("subscription__vendor", "subscription__record__title", "expected_on")
    )
    vendor = request.GET.get("vendor")
    if vendor is not None:
        claimed = claimed.filter(subscription__vendor=vendor)
    return render(
        request, "technical/serials/claim_letter.html", {"issues": claimed[:1000], "today": timezone.localdate()}
    )
