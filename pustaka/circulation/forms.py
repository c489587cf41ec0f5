"""Forms of the circulation pages: the desk, check-in, the OPAC account and the loan rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from pustaka.core.api import MAX_ID
from pustaka.core.forms import AmountField, CountField
from pustaka.core.models import Branch
from pustaka.holdings.models import ItemType
from pustaka.patrons.models import PatronCategory

from .choices import PaymentMethod

SCAN_ATTRS = {
    "autocomplete": "off",
    "autocapitalize": "off",
    "spellcheck": "false",
    "class": "scan-input",
    "autofocus": True,
}


class CardForm(forms.Form):
    """Scan (or type) a patron's card number."""

    card = forms.CharField(label=_("Patron card"), max_length=32, widget=forms.TextInput(attrs=SCAN_ATTRS))


class BarcodeForm(forms.Form):
    """Scan (or type) an item's barcode; ``override`` lends despite an overridable refusal."""

    barcode = forms.CharField(label=_("Item barcode"), max_length=32, widget=forms.TextInput(attrs=SCAN_ATTRS))
    override = forms.BooleanField(required=False)


class PaymentForm(forms.Form):
    """A payment at the desk."""

    amount = AmountField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.for_fees(), initial=PaymentMethod.CASH)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [c for c in PaymentMethod.for_fees() if c[0] != PaymentMethod.SELF_CHECK]


class WaiveForm(forms.Form):
    """Waive (part of) one charge, with the reason."""

    fee = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    amount = AmountField(label=_("Amount to waive"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ExplainForm(forms.Form):
    """Patron category × item type × branch for "which rule applies and why"."""

    category = forms.ModelChoiceField(
        label=_("Patron category"), queryset=PatronCategory.objects.order_by("code"), required=False
    )
    item_type = forms.ModelChoiceField(label=_("Item type"), queryset=ItemType.objects.order_by("code"), required=False)
    branch = forms.ModelChoiceField(
        label=_("Branch"), queryset=Branch.objects.filter(is_active=True).order_by("code"), required=False
    )


class PlaceHoldForm(forms.Form):
    """A patron places a hold on a title from the OPAC, choosing where to collect it."""

    record = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    pickup_branch = forms.ModelChoiceField(
        label=_("Collect at"), queryset=Branch.objects.filter(is_active=True).order_by("code")
    )


MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}  # the loan rules' amounts


class LoanRuleForm(forms.Form):
    """One cell of the matrix: empty category, item type or branch means "any"."""

    patron_category = forms.ModelChoiceField(
        PatronCategory.objects.order_by("code"), required=False, empty_label=_("Any"), label=_("Patron category")
    )
    item_type = forms.ModelChoiceField(
        ItemType.objects.order_by("code"), required=False, empty_label=_("Any"), label=_("Item type")
    )
    branch = forms.ModelChoiceField(
        Branch.objects.order_by("code"), required=False, empty_label=_("Any"), label=_("Branch")
    )
    loan_days = CountField(label=_("Loan period (days)"), min_value=1, max_value=3650, initial=14)
    renewals = CountField(label=_("Renewals allowed"), min_value=0, max_value=100, initial=2)
    max_items = CountField(label=_("Maximum items on loan"), min_value=0, max_value=100000, initial=10)
    fine_per_day = AmountField(label=_("Fine per day"), initial=1000, **MONEY)
    max_fine = AmountField(label=_("Maximum fine per item"), initial=50000, **MONEY)
    grace_days = CountField(label=_("Grace days"), min_value=0, max_value=365, initial=0)
    holds_allowed = forms.BooleanField(label=_("Holds allowed"), required=False, initial=True)
    holds_when_available = forms.BooleanField(label=_("Holds while a copy is on the shelf"), required=False)
    hold_shelf_days = CountField(label=_("Days on the hold shelf"), min_value=0, max_value=365, initial=7)
    replacement_charge = AmountField(label=_("Replacement charge"), initial=50000, **MONEY)
    processing_fee = AmountField(label=_("Processing fee for a lost item"), initial=10000, **MONEY)


class ClosedDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    branch = forms.ModelChoiceField(
        Branch.objects.order_by("code"), required=False, empty_label=_("Every branch"), label=_("Branch")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
