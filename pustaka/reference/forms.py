"""Forms of the question pages: ask (public), assign and answer (staff)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pustaka.core.forms import StaffChoiceField, staff_users
from pustaka.core.models import User

from . import actions
from .choices import HelpTopic


class AnswerForm(forms.Form):
    body = forms.CharField(label=_("Answer"), max_length=actions.MAX_ANSWER, widget=forms.Textarea(attrs={"rows": 6}))


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


class AssignForm(forms.Form):
    assignee = StaffChoiceField(label=_("Assign to"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_users().filter(
            Q(is_superuser=True)
            | Q(
                groups__permissions__codename="answer_questions",
                groups__permissions__content_type__app_label="reference",
            )
        )
