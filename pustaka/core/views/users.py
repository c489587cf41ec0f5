"""Staff accounts: administrators create staff users, give them roles and a home branch."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from ..actions import create_staff_user, set_roles
from ..choices import Role
from ..models import Branch, User
from ..page_errors import action_messages
from ..permissions import staff_view


class StaffUserForm(forms.Form):
    """A new staff account."""

    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=8)
    home_branch = forms.ModelChoiceField(label=_("Home branch"), queryset=Branch.objects.all(), required=False)
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)


class RolesForm(forms.Form):
    """The roles of an existing account."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


@staff_view("core.view_user")
def user_list(request):
    """Administrators: every staff account with its roles and home branch."""
    users = (
        User.objects.filter(groups__isnull=False)
        .distinct()
        .select_related("home_branch")
        .prefetch_related("groups")
        .order_by("username")
    )
    return render(request, "core/users/list.html", {"users": users, "roles": dict(Role.choices)})


@staff_view(create_staff_user.permission)
def user_create(request):
    """Administrators: create a staff account."""
    form = StaffUserForm(request.POST or None, initial={"home_branch": request.user.home_branch})
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            user = create_staff_user(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Account %(username)s created.") % {"username": user.username})
            return redirect("core_users:list")
    return render(request, "core/users/form.html", {"form": form, "title": _("New staff account")})


@staff_view(set_roles.permission)
def user_roles(request, pk: int):
    """Administrators: change the roles of a staff account."""
    account = get_object_or_404(User, pk=pk)
    form = RolesForm(request.POST or None, initial={"roles": account.role_names})
    if request.method == "POST" and form.is_valid():
        with action_messages(request, form=form):
            set_roles(user=account, roles=form.cleaned_data["roles"], actor=request.user)
            messages.success(request, _("Roles of %(username)s saved.") % {"username": account.username})
            return redirect("core_users:list")
    return render(
        request,
        "core/users/form.html",
        {
            "form": form,
            "title": _("Roles of %(username)s") % {"username": account.username},
            "account": account,
        },
    )
