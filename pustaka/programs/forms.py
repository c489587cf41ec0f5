"""The forms of the programs and help pages, staff and public."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pustaka.core.forms import CountField
from pustaka.core.models import Branch, User

from . import actions
from .choices import HelpTopic, ProgramKind, RegistrationMode


def staff_users():
    """Users who hold a staff role (leaders, assignees)."""
    return (
        User.objects.filter(Q(groups__isnull=False) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


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


class AssignForm(forms.Form):
    assignee = StaffChoiceField(label=_("Assign to"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_users().filter(
            Q(is_superuser=True)
            | Q(
                groups__permissions__codename="answer_helprequest",
                groups__permissions__content_type__app_label="programs",
            )
        )


class AnswerForm(forms.Form):
    body = forms.CharField(label=_("Answer"), max_length=actions.MAX_ANSWER, widget=forms.Textarea(attrs={"rows": 6}))


class RegisterForm(forms.Form):
    """Whom to register: the patron or one of their children."""

    patron = forms.TypedChoiceField(label=_("Register"), coerce=int)

    def __init__(self, *args, family=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patron"].choices = [(p.pk, p.full_name) for p in family]


class AskForm(forms.Form):
    """A question; anonymous visitors also give their name and e-mail. ``website`` is a honeypot:
    people never see it, robots fill it in."""

    name = forms.CharField(label=_("Your name"), max_length=actions.MAX_NAME, required=False)
    email = forms.EmailField(label=_("Your e-mail"), required=False)
    topic = forms.ChoiceField(label=_("About"), choices=HelpTopic.choices)
    question = forms.CharField(
        label=_("Your question"),
        max_length=actions.MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": actions.MAX_QUESTION}),
    )
    record = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, patron=None, **kwargs):
        super().__init__(*args, **kwargs)
        if patron is not None:
            del self.fields["name"]
            del self.fields["email"]
        else:
            self.fields["name"].required = True
            self.fields["email"].required = True
