"""The forms of the programs and help pages, staff and public."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pustaka.core.forms import CountField, StaffChoiceField, staff_users
from pustaka.core.models import Branch, User

from . import actions
from .choices import ProgramKind, RegistrationMode


class ProgramForm(forms.Form):
    """A program's details."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgramKind.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.filter(is_active=True))
    capacity = CountField(label=pgettext_lazy("capacity", "Places"), min_value=1, max_value=actions.MAX_CAPACITY)
    min_age = CountField(label=_("Minimum age"), required=False, min_value=0, max_value=actions.MAX_AGE)
    max_age = CountField(label=_("Maximum age"), required=False, min_value=0, max_value=actions.MAX_AGE)
    leader = StaffChoiceField(label=_("Leader"), queryset=User.objects.none(), required=False)
    registration_mode = forms.ChoiceField(label=_("Who registers"), choices=RegistrationMode.choices)
    registration_open = forms.BooleanField(label=_("Registration open"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = staff_users()


class SessionForm(forms.Form):
    """A session's date, times, room, branch and leader."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.filter(is_active=True))
    leader = StaffChoiceField(label=_("Leader"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = staff_users()


class CardForm(forms.Form):
    """A patron card number (typed or scanned)."""

    card = forms.CharField(
        label=_("Patron card"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
    )


class RegisterForm(forms.Form):
    """Whom to register: the patron or one of their children."""

    patron = forms.TypedChoiceField(label=_("Register"), coerce=int)

    def __init__(self, *args, family=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patron"].choices = [(p.pk, p.full_name) for p in family]
