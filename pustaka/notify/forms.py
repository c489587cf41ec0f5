"""Forms of notice deliveries: the staff list's filters and the reason of a retry or a cancel."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pustaka.circulation.choices import NoticeKind
from pustaka.patrons.choices import NoticeChannel

from .choices import DeliveryState
from .delivery import GATEWAY_CHANNELS


def _any(choices):
    return [("", _("Any")), *choices]


class DeliveryFilterForm(forms.Form):
    """Which deliveries to list: channel, state, notice kind, patron's card, queued from/to."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=_any([(c.value, c.label) for c in NoticeChannel if c in GATEWAY_CHANNELS]),
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=_any(DeliveryState.choices))
    kind = forms.ChoiceField(label=_("Notice"), required=False, choices=_any(NoticeKind.choices))
    card = forms.CharField(label=_("Card number"), required=False, max_length=32)
    since = forms.DateField(label=_("Queued from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Queued until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data


class ReasonForm(forms.Form):
    """Why staff send a delivery again or cancel it (kept in its history)."""

    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)
