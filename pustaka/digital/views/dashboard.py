"""The IT manager's dashboard: the landing page of the digital library (``digital:dashboard``).

Who: staff with ``digital.view_fixitycheck`` (IT managers, administrators); other staff who may see
digital resources are sent on to the resource list, the rest get 403. It shows the collection
and storage, the fixity state (last run, problem files), broken links, licences ending within 60 days
and a usage chart region (``{% block usage_chart %}``, filled by ``digital/_usage_chart.html`` when
that template exists).
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from pustaka.core.permissions import staff_view

from .. import queries_preservation as queries
from ..queries_usage import expiring_licences

USAGE_CHART_TEMPLATE = "digital/_usage_chart.html"
EXPIRING_DAYS = 60


def _usage_chart_template() -> str | None:
    try:
        get_template(USAGE_CHART_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return USAGE_CHART_TEMPLATE


def _disk() -> dict | None:
    folder = Path(settings.PUSTAKA_FILES_DIR)
    try:
        usage = shutil.disk_usage(folder if folder.exists() else settings.HOME)
    except OSError:
        return None
    return {
        "total": usage.total,
        "free": usage.free,
        "used_percent": round(100 * usage.used / usage.total) if usage.total else 0,
    }


@staff_view("digital.view_digitalresource")
def dashboard(request):
    """Counts, storage, fixity state, broken links, expiring licences and the usage chart.

    Staff who may see resources but not preservation (librarians, the desk) land on the resource list.
    """
    if not request.user.has_perm("digital.view_fixitycheck"):
        return redirect("digital:resource_list")
    broken = queries.link_status(only_problems=True, history=1)
    return render(
        request,
        "digital/dashboard.html",
        {
            "summary": queries.storage_summary(),
            "disk": _disk(),
            "fixity_run": queries.last_run(queries.FIXITY_RUN_VERB),
            "link_run": queries.last_run(queries.LINK_RUN_VERB),
            "problems": list(queries.problem_files()[:10]),
            "broken": broken[:10],
            "broken_count": len(broken),
            "expiring": list(expiring_licences(days=EXPIRING_DAYS)[:20]),
            "expiring_days": EXPIRING_DAYS,
            "usage_chart_template": _usage_chart_template(),
        },
    )
