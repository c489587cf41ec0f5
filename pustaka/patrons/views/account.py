"""The patron's own account in the public catalogue (``/account/``): log in and out, "My details", PIN.

Who may use what: the login page is public; every other page needs a logged-in user and shows only
that user's own patron record (``request.user.patron``); nothing here takes a patron id from the
request. A logged-in user without a patron record (a member of staff) gets a polite page saying so.
Other parts of the account (loans, holds, fines, programs, questions) extend
``opac/account/base.html`` and add their link to its ``account_nav`` block.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pustaka.core.forms import focus_first_error
from pustaka.core.models import User
from pustaka.core.page_errors import action_messages
from pustaka.core.queries import library_name

from .. import actions, queries
from ..forms import MyDetailsForm, MyPinForm, shown_channels
from ..models import Patron


class PatronLoginForm(AuthenticationForm):
    """Username (the card number for patrons) and password; a card number is found in any case."""

    username = forms.CharField(
        label=gettext_lazy("Card number or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean_username(self):
        username = (self.cleaned_data.get("username") or "").strip()
        if username and not User.objects.filter(username=username).exists():
            card = queries.normalise_card(username)
            linked = Patron.objects.filter(card_number=card, user__isnull=False).values_list(
                "user__username", flat=True
            )
            username = linked.first() or username
        return username


class PatronLoginView(auth_views.LoginView):
    """Public: the catalogue login for patrons."""

    template_name = "opac/account/login.html"
    authentication_form = PatronLoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("account:home")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "library_name": library_name()}

    def get_default_redirect_url(self):
        return str(self.next_page)


def _patron_or_none(user) -> Patron | None:
    try:
        return Patron.objects.select_related("category", "home_branch").get(user=user)
    except Patron.DoesNotExist:
        return None


def account_view(view):
    """Pages of the account: a logged-in user; ``patron`` is theirs, or the polite page when they have none."""
    from functools import wraps

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=reverse("account:login"))
        patron = _patron_or_none(request.user)
        if patron is None:
            return render(request, "opac/account/no_patron.html", {"library_name": library_name()})
        return view(request, patron, *args, **kwargs)

    return wrapper


def _context(request, patron, **extra) -> dict:
    return {"library_name": library_name(), "patron": patron, **extra}


@account_view
def home(request, patron):
    """Logged-in patron: "My details" (card, category, expiry, contact) and the form to change contact,
    language and the reading-history choice."""
    initial = {
        "email": patron.email,
        "phone": patron.phone,
        "address": patron.address,
        "language": patron.language,
        "keep_history": patron.keep_history,
        "notice_channels": shown_channels(patron),
    }
    form = MyDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            patron = actions.update_own_details(patron=patron, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Your details are saved."))
            response = redirect("account:home")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, patron.language, samesite="Lax")
            return response
    return render(
        request,
        "opac/account/home.html",
        _context(request, patron, form=focus_first_error(form), blocks=queries.blocks(patron), section="details"),
    )


@account_view
def change_pin(request, patron):
    """Logged-in patron: change the self-check PIN, confirming with the password."""
    form = MyPinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            actions.change_own_pin(patron=patron, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Your new PIN is set."))
            return redirect("account:home")
    return render(
        request, "opac/account/pin.html", _context(request, patron, form=focus_first_error(form), section="pin")
    )


def patron_view(view):
    """Public pages that belong to a patron (programs, questions): anonymous → the OPAC login; a login
    that is no active patron → 403; otherwise ``request.patron`` is theirs."""
    from functools import wraps

    from django.core.exceptions import PermissionDenied

    from ..queries import patron_of

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=reverse("account:login"))
        patron = patron_of(request.user)
        if patron is None:
            raise PermissionDenied
        request.patron = patron
        return view(request, *args, **kwargs)

    return wrapper
