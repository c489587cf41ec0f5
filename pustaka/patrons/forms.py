"""Forms of the patron pages (staff) and of the patron's own account (OPAC).

The forms only collect input; the actions check it (duplicate card, guardian, dates...) and their
typed errors are shown on the field they name.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pustaka.core.forms import AmountField, CountField
from pustaka.core.models import Branch

from .choices import IdType, NoticeChannel
from .models import InstitutionUnit, PatronCategory
from .queries import is_administrator

DATE = {"type": "date"}


def _date_field(label, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )


def _channels_field():
    return forms.MultipleChoiceField(
        label=_("Send notices by"),
        choices=NoticeChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("E-mail needs an e-mail address; WhatsApp and SMS need a phone number."),
    )


def shown_channels(patron) -> list[str]:
    """The channels a form starts with: the patron's, without one whose contact is missing."""
    return [c for c in patron.notice_channels or [] if (patron.email if c == NoticeChannel.EMAIL else patron.phone)]


def _pin_field(label, required=True):
    return forms.CharField(
        label=label,
        required=required,
        max_length=8,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
        help_text=_("4 to 8 digits, for self-check machines."),
    )


class SearchForm(forms.Form):
    """The search box of the patron list."""

    q = forms.CharField(
        label=_("Card number or name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "type": "search"}),
    )


class PatronForm(forms.Form):
    """A patron's details, for enrolling (with a first PIN) and for editing (with ``is_active``)."""

    card_number = forms.CharField(label=_("Card number"), max_length=32)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, help_text=_("Or the single name the patron uses.")
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=PatronCategory.objects.order_by("code"))
    home_branch = forms.ModelChoiceField(label=_("Home branch"), queryset=Branch.objects.none())
    guardian = forms.CharField(
        label=_("Guardian's card number"),
        max_length=32,
        required=False,
        help_text=_("Required for a children's category."),
    )
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    date_of_birth = _date_field(_("Date of birth"))
    expires_on = _date_field(_("Membership expires"), help_text=_("Empty: today plus the category's period."))
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    keep_history = forms.BooleanField(label=_("Keep reading history"), required=False)
    id_type = forms.ChoiceField(label=_("ID type"), choices=[("", _("— none —")), *IdType.choices], required=False)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        required=False,
        help_text=_("NIK 16 digits, NISN 10, NIP 18; a NIM as the university writes it."),
    )
    unit = forms.ModelChoiceField(
        label=_("Class, faculty or programme"),
        queryset=InstitutionUnit.objects.filter(is_active=True),
        required=False,
        empty_label=_("— none —"),
    )
    notice_channels = _channels_field()
    staff_note = forms.CharField(
        label=_("Staff note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    pin = _pin_field(_("PIN"), required=False)

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        branches = Branch.objects.filter(is_active=True).order_by("code")
        if user is not None and not is_administrator(user):
            branches = Branch.objects.filter(pk=user.home_branch_id)
        self.fields["home_branch"].queryset = branches
        if user is not None and user.home_branch_id and not self.is_bound and "home_branch" not in self.initial:
            self.initial["home_branch"] = user.home_branch_id
        self.fields["category"].label_from_instance = lambda c: f"{c.name} ({c.code})"
        self.fields["home_branch"].label_from_instance = lambda b: f"{b.name} ({b.code})"
        if editing:
            del self.fields["pin"]
        else:
            del self.fields["is_active"]
            self.fields["card_number"].widget.attrs["autofocus"] = True

    @staticmethod
    def initial_for(patron) -> dict:
        return {
            "card_number": patron.card_number,
            "first_name": patron.first_name,
            "last_name": patron.last_name,
            "category": patron.category_id,
            "home_branch": patron.home_branch_id,
            "guardian": patron.guardian.card_number if patron.guardian_id else "",
            "email": patron.email,
            "phone": patron.phone,
            "address": patron.address,
            "date_of_birth": patron.date_of_birth,
            "expires_on": patron.expires_on,
            "language": patron.language,
            "keep_history": patron.keep_history,
            "staff_note": patron.staff_note,
            "is_active": patron.is_active,
            "id_type": patron.id_type,
            "id_number": patron.id_number,
            "unit": patron.unit_id,
            "notice_channels": shown_channels(patron),
        }

    def action_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["guardian"] = data.get("guardian") or None
        if self.editing and data.get("expires_on") is None:
            data.pop("expires_on")  # editing: an emptied expiry keeps the current one
        return data


class ReasonForm(forms.Form):
    """Blocking or lifting a block: the reason."""

    reason = forms.CharField(label=_("Reason"), max_length=300)


class PinForm(forms.Form):
    """Staff set a new PIN."""

    pin = _pin_field(_("New PIN"))
    pin_again = _pin_field(_("New PIN again"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pin"].widget.attrs["autofocus"] = True


class LoginForm(forms.Form):
    """Staff create the patron's catalogue login; the patron can then log in with card number and password."""

    password = forms.CharField(
        label=_("Password for the catalogue"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; the username is the card number."),
    )


class ImportForm(forms.Form):
    """A CSV file of patrons; checked by size here and by content in the action."""

    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8 text, first line the column names."))

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = min(self.MAX_BYTES, settings.PUSTAKA_MAX_UPLOAD_MB * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into smaller files.") % {"mb": limit // (1024 * 1024)}
            )
        return upload


class CategoryForm(forms.Form):
    """A patron category and its automatic block limits."""

    code = forms.CharField(label=_("Code"), max_length=16, help_text=_("e.g. STUDENT, STAFF, PUBLIC, CHILD"))
    name = forms.CharField(label=_("Name"), max_length=100)
    is_child = forms.BooleanField(label=_("Children's category (needs a guardian)"), required=False)
    membership_days = CountField(label=_("Membership period (days)"), min_value=0, max_value=36500)
    max_overdues = CountField(
        label=_("Block when this many items are overdue"),
        min_value=0,
        max_value=36500,
        help_text=_("0: never block for overdue items."),
    )
    max_fines = AmountField(label=_("Block when fines owed exceed"), min_value=0, max_digits=12, decimal_places=2)


class MyDetailsForm(forms.Form):
    """What a patron may change about themselves in the catalogue."""

    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    language = forms.ChoiceField(label=_("Language of emails and pages"), choices=settings.LANGUAGES)
    keep_history = forms.BooleanField(
        label=_("Keep a history of what I borrow"),
        required=False,
        help_text=_("Only you can see it; turn it off at any time."),
    )
    notice_channels = _channels_field()


class MyPinForm(forms.Form):
    """A patron changes their own PIN, confirming with their password."""

    password = forms.CharField(
        label=_("Your password"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    pin = _pin_field(_("New PIN"))
    pin_again = _pin_field(_("New PIN again"))
