"""The staff site's shell: the dashboard each role lands on."""

from django.db.models import Count
from django.shortcuts import render

from pustaka.core.models import AuditEvent
from pustaka.core.permissions import staff_view
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item


@staff_view()
def home(request):
    """Any staff member: item counts by status (own branch first) and the user's recent work."""
    branch = request.user.home_branch
    counts = {}
    if request.user.has_perm("holdings.view_item"):
        qs = Item.objects.all()
        if branch is not None:
            qs = qs.filter(branch=branch)
        counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    statuses = [(s, ItemStatus(s).label, ItemStatus.colour(s), counts.get(s, 0)) for s in ItemStatus.values
                if counts.get(s)]
    recent = AuditEvent.objects.filter(actor=request.user).order_by("-occurred_at")[:10]
    return render(request, "staff/home.html", {"statuses": statuses, "branch": branch, "recent": recent})
