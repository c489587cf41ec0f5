"""Staff pages for SIP2 accounts (the logins of self-check machines): list, create, edit, deactivate.

Who may use them: circulation supervisors, librarians and administrators (``circulation.view_sipaccount``
to see, ``add_sipaccount`` to create, ``change_sipaccount`` to edit, change a password or deactivate).
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pustaka.circulation import actions_sip
from pustaka.circulation.models import SipAccount
from pustaka.core.page_errors import action_messages
from pustaka.core.permissions import staff_view

from .forms import SipAccountForm

#: The form's names for the fields an action's refusal names.
FIELD_NAMES = {"acts_as": "acts_as", "actor": "acts_as"}


@staff_view("circulation.view_sipaccount")
def account_list(request):
    """Every SIP2 account with its institution, branch, acting staff user and whether it is active."""
    accounts = SipAccount.objects.select_related("branch", "actor").order_by("login")
    return render(request, "sip2/list.html", {"accounts": accounts})


@staff_view(actions_sip.create_sip_account.permission)
def account_create(request):
    """Create the login of a self-check machine."""
    form = SipAccountForm(request.POST or None, initial={"branch": request.user.home_branch})
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form, aliases=FIELD_NAMES):
            account = actions_sip.create_sip_account(actor=request.user, **form.cleaned_data)
            messages.success(request, _("SIP2 account %(login)s created.") % {"login": account.login})
            return redirect("sip2:list")
    return render(request, "sip2/form.html", {"form": form, "title": _("New SIP2 account")})


@staff_view(actions_sip.update_sip_account.permission)
def account_edit(request, pk: int):
    """Change a SIP2 account; a new password only when one is typed."""
    account = get_object_or_404(SipAccount.objects.select_related("branch", "actor"), pk=pk)
    initial = {
        "login": account.login,
        "institution": account.institution,
        "branch": account.branch,
        "acts_as": account.actor,
    }
    form = SipAccountForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = data.pop("password")
        with action_messages(request, form=form, aliases=FIELD_NAMES):
            # One transaction: a refused password leaves the other changes unsaved too.
            with transaction.atomic():
                account = actions_sip.update_sip_account(account=account, actor=request.user, **data)
                if password:
                    actions_sip.set_sip_password(account=account, password=password, actor=request.user)
            messages.success(request, _("SIP2 account %(login)s saved.") % {"login": account.login})
            return redirect("sip2:list")
    title = _("SIP2 account %(login)s") % {"login": account.login}
    return render(request, "sip2/form.html", {"form": form, "title": title, "account": account})


@require_POST
@staff_view(actions_sip.reactivate_sip_account.permission)
def account_set_active(request, pk: int):
    """Deactivate (or reactivate) a SIP2 account."""
    account = get_object_or_404(SipAccount, pk=pk)
    activate = request.POST.get("active") == "1"
    with action_messages(request):
        if activate:
            account = actions_sip.reactivate_sip_account(account=account, actor=request.user)
            messages.success(request, _("SIP2 account %(login)s can log in again.") % {"login": account.login})
        else:
            account = actions_sip.deactivate_sip_account(account=account, actor=request.user)
            messages.success(request, _("SIP2 account %(login)s is deactivated.") % {"login": account.login})
    return redirect("sip2:list")
