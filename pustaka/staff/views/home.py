"""The staff site's shell: the dashboard each role lands on."""

from django.shortcuts import render

from pustaka.catalog.queries import recent_records
from pustaka.core.choices import Role
from pustaka.core.models import AuditEvent
from pustaka.core.permissions import staff_view
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.forms import ScanForm
from pustaka.holdings.queries import status_counts
from pustaka.reports import dashboard


@staff_view()
def home(request):
    """Any staff member: a barcode box, the figures each of the user's roles acts on
    (:mod:`pustaka.reports.dashboard`), item counts by status at the home branch, recent records and
    the user's own recent work; each part only when the role may see it."""
    user = request.user
    branch = user.home_branch
    roles = [Role(name).label if name in Role.values else name for name in user.role_names]
    context = {"branch": branch, "roles": roles, "statuses": [], "records": [], "total_items": 0}
    counts = None
    if user.has_perm("holdings.view_item"):
        counts = status_counts(branch)
        context["statuses"] = [
            (status, ItemStatus(status).label, ItemStatus.colour(status), counts[status])
            for status in ItemStatus.values
            if counts.get(status)
        ]
        context["total_items"] = sum(counts.values())
        context["scan_form"] = ScanForm()
    if user.has_perm("catalog.view_record"):
        context["records"] = list(recent_records(8))
    if user.has_perm("digital.view_fixitycheck"):
        from pustaka.digital.queries_preservation import digital_panel

        context["digital"] = digital_panel()
    context["panels"] = dashboard.panels(user, branch, counts)
    context["recent"] = list(
        AuditEvent.objects.filter(actor=user).select_related("content_type").order_by("-occurred_at", "-id")[:10]
    )
    return render(request, "staff/home.html", context)
