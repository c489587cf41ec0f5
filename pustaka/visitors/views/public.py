"""The visitor kiosk (buku tamu): a full-screen page for one branch, opened by staff, used by visitors.

No login: the screen's kiosk cookie (:mod:`pustaka.visitors.kiosk`) is its only credential. The card
field has the focus, a scanner's Enter submits it; a visit greets the member (or the visitor) by name
for a few seconds, then the screen is ready for the next person.
"""

from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from pustaka.core.errors import PustakaError
from pustaka.core.forms import add_error
from pustaka.core.queries import library_name

from .. import actions, errors, kiosk
from ..forms import KioskCardForm, VisitorForm
from ..queries import active_purposes

GREETING_SALT = "pustaka.visitors.greeting"
GREETING_SECONDS = 60  # how long a greeting link stays readable (it is shown for a few seconds)


def _greeting(request) -> dict | None:
    value = request.GET.get("w")
    if not value:
        return None
    try:
        return signing.loads(value, salt=GREETING_SALT, max_age=GREETING_SECONDS)
    except signing.BadSignature:
        return None


def _purpose_initial(request):
    chosen = request.GET.get("p") or request.POST.get("purpose")
    purposes = list(active_purposes())
    for purpose in purposes:
        if str(purpose.pk) == str(chosen):
            return purpose, purposes
    return (purposes[0] if purposes else None), purposes


@never_cache
def kiosk_page(request):
    """The kiosk screen: scan a member card, or fill in the visitor form; then a greeting."""
    screen = kiosk.current(request)
    if screen is None:
        response = render(request, "visitors/kiosk_closed.html", {"library_name": library_name()}, status=403)
        kiosk.forget(response)
        return response
    purpose, purposes = _purpose_initial(request)
    card_form = KioskCardForm(initial={"purpose": purpose})
    visitor_form = VisitorForm(initial={"purpose": purpose, "count": 1}, prefix="v")
    which = request.POST.get("form")
    if request.method == "POST":
        form = KioskCardForm(request.POST) if which != "visitor" else VisitorForm(request.POST, prefix="v")
        if which == "visitor":
            visitor_form = form
        else:
            card_form = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = actions.record_visit(
                    actor=screen.opened_by,
                    kiosk=screen,
                    branch=screen.branch,
                    purpose=data["purpose"],
                    card=data.get("card", ""),
                    name=data.get("name", ""),
                    institution=data.get("institution", ""),
                    category=data.get("category", ""),
                    count=data.get("count") or 1,
                )
            except PustakaError as error:
                add_error(form, error)
                if isinstance(error, errors.KioskClosed):
                    return HttpResponseRedirect(reverse("visitors_public:kiosk"))
            else:
                who = visit.patron.first_name or visit.patron.last_name if visit.patron_id else visit.name
                greeting = signing.dumps({"name": who, "count": visit.count}, salt=GREETING_SALT)
                query = urlencode({"w": greeting, "p": data["purpose"].pk})
                return HttpResponseRedirect(f"{reverse('visitors_public:kiosk')}?{query}")
    context = {
        "kiosk": screen,
        "library_name": library_name(),
        "card_form": card_form,
        "visitor_form": visitor_form,
        "show_visitor": which == "visitor",
        "greeting": _greeting(request),
        "purposes": purposes,
        "purpose": purpose,
    }
    return render(request, "visitors/kiosk.html", context, status=400 if request.method == "POST" else 200)
