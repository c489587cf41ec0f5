"""The patron's own notices in the account (``/account/notices/``): what the library told them, when,
and how each WhatsApp or SMS message went. A patron sees only their own."""

from django.core.paginator import Paginator
from django.shortcuts import render

from pustaka.core.queries import library_name
from pustaka.patrons.views.account import patron_view

from .. import queries


@patron_view
def my_notices(request):
    """The patron's notices, newest first (50 a page), each with its channels and their state."""
    page = Paginator(queries.notices_of(request.patron), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/opac/my_notices.html",
        {"patron": request.patron, "section": "notices", "library_name": library_name(), "page": page},
    )
