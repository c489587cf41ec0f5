"""Forms of the staff pages for SIP2 accounts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pustaka.core.models import Branch, User


def staff_users():
    """Active staff accounts (users with a role) a machine may act as."""
    return User.objects.filter(is_active=True, groups__isnull=False).distinct().order_by("username")


class SipAccountForm(forms.Form):
    """A SIP2 account: login, institution id, lending branch, acting staff user; password on creation."""

    login = forms.CharField(label=_("Login"), max_length=64)
    institution = forms.CharField(
        label=_("Institution id"), max_length=32, help_text=_("The AO field the machine sends, e.g. MAIN.")
    )
    branch = forms.ModelChoiceField(label=_("Lends at branch"), queryset=Branch.objects.order_by("code"))
    acts_as = forms.ModelChoiceField(
        label=_("Acts as staff user"),
        queryset=staff_users(),
        help_text=_("The staff account whose permissions the machine uses; give it the circulation role."),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=False), required=True, max_length=128
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acts_as"].queryset = staff_users()
        if editing:
            self.fields["password"].required = False
            self.fields["password"].label = _("New password")
            self.fields["password"].help_text = _("Leave empty to keep the current password.")
