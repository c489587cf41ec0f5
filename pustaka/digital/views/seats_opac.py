"""The patron's own software seats (with their licence keys and the installer to download) in the public
catalogue.

Who may use it: a logged-in patron, who sees only their own seats; anyone else is sent to log in. The
installer links lead to the checked download view, which gives an installer only to a seat holder.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .. import queries_usage
from ..access import patron_of

OPAC_LOGIN = "/account/login/"


@require_GET
def my_seats(request):
    """A patron's seats: software, licence key, due date, installer downloads (only their own)."""
    if not request.user.is_authenticated:
        return redirect(f"{OPAC_LOGIN}?{urlencode({'next': request.path})}")
    patron = patron_of(request.user)
    seats = list(queries_usage.seats_of_patron(patron)) if patron is not None else []
    return render(request, "digital/access/my_seats.html", {"seats": seats})
