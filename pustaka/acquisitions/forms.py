"""Forms of the acquisitions pages: vendors, funds, orders and lines, sending, cancelling, claiming,
receiving (a scan or ticked lines), invoices, and purchase suggestions (the patron's and the review)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.forms import AmountField, CountField
from pustaka.core.models import Branch
from pustaka.holdings.models import ItemType

from .choices import OrderStatus
from .models import Fund, Order, Vendor

SCAN = {"autofocus": True, "autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}


class VendorForm(forms.Form):
    """A vendor: name, contact, email (the order goes there), phone, address."""

    name = forms.CharField(label=_("Name"), max_length=200)
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    email = forms.CharField(
        label=_("Email"), max_length=254, required=False, help_text=_("Orders can be emailed here.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class FundForm(forms.Form):
    """A fund of one year and its budget."""

    code = forms.CharField(label=_("Code"), max_length=16, help_text=_("For example BOOKS or REF."))
    name = forms.CharField(label=_("Name"), max_length=150)
    year = CountField(label=_("Year"), min_value=1900, max_value=2200)
    budget = AmountField(label=_("Budget"), max_digits=14, help_text=_("In Rupiah, e.g. 25.000.000."))
    is_active = forms.BooleanField(label=_("Open for orders"), required=False, initial=True)


class OrderForm(forms.Form):
    """A new order: the vendor, when the copies are expected, a note for the vendor."""

    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=Vendor.objects.filter(is_active=True))
    expected_by = forms.DateField(
        label=_("Expected by"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("An order not received by then is late and can be claimed."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note to the vendor"), max_length=500, required=False)


class LineForm(forms.Form):
    """A title to order: found by ISBN or record number; copies, branch, item type, price, fund."""

    title = forms.CharField(
        label=_("Title (ISBN or record number)"), max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip
    copies = CountField(label=_("Copies"), min_value=1, max_value=500, initial=1)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.all())
    item_type = forms.ModelChoiceField(label=_("Item type"), queryset=ItemType.objects.all())
    price = AmountField(label=_("Price per copy"), max_digits=14, help_text=_("In Rupiah, e.g. 85.000."))
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.filter(is_active=True))

    def clean_title(self):
        from pustaka.catalog.models import Record

        text = self.cleaned_data["title"].strip()
        compact = text.replace("-", "").replace(" ", "")
        record = None
        if compact.isdigit() and len(compact) in (10, 13):
            record = Record.objects.filter(isbn=compact).order_by("pk").first()
            if record is None and len(compact) == 10:
                from pustaka.catalog.identifiers import try_isbn

                record = Record.objects.filter(isbn=try_isbn(compact) or "-").order_by("pk").first()
        if record is None and compact.isdigit() and len(compact) < 10:
            record = Record.objects.filter(pk=int(compact)).first()
        if record is None:
            raise forms.ValidationError(
                _("No record in the catalogue has the ISBN or number “%(value)s”."), params={"value": text}
            )
        self.cleaned_data["record"] = record
        return text


class SendForm(forms.Form):
    email = forms.BooleanField(label=_("Also email the order (PDF) to the vendor"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CancelLineForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    copies = CountField(label=_("Copies to cancel"), min_value=1, max_value=500, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ClaimForm(forms.Form):
    note = forms.CharField(label=_("Note in the claim letter"), max_length=300, required=False)


class ScanForm(forms.Form):
    """One copy scanned for a line of the order (Enter submits)."""

    barcode = forms.CharField(label=_("Scan the copy's barcode"), max_length=32, widget=forms.TextInput(attrs=SCAN))
    line = forms.TypedChoiceField(label=_("For the title"), coerce=int)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [(line.pk, f"{line.record.title} ({line.outstanding})") for line in lines]


class InvoiceForm(forms.Form):
    """An invoice for copies of an order: number, date, amount; the lines it charges are ticked."""

    number = forms.CharField(label=_("Invoice number"), max_length=60)
    date = forms.DateField(label=_("Invoice date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = AmountField(label=_("Amount"), max_digits=14, help_text=_("In Rupiah, e.g. 1.250.000."))
    lines = forms.TypedMultipleChoiceField(
        label=_("Lines charged"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, order_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["lines"].choices = [(line.pk, line.record.title) for line in order_lines]


class SuggestionForm(forms.Form):
    """What a patron suggests the library buys."""

    title = forms.CharField(label=_("Title"), max_length=300)
    author = forms.CharField(label=_("Author"), max_length=200, required=False)
    isbn = forms.CharField(label=_("ISBN"), max_length=17, required=False, help_text=_("If you know it."))
    reason = forms.CharField(
        label=_("Why should the library have it?"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class AcceptForm(forms.Form):
    """Accepting a suggestion: the draft order it joins and the line's details."""

    order = forms.ModelChoiceField(label=_("Draft order"), queryset=Order.objects.filter(status=OrderStatus.DRAFT))
    copies = CountField(label=_("Copies"), min_value=1, max_value=500, initial=1)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.all())
    item_type = forms.ModelChoiceField(label=_("Item type"), queryset=ItemType.objects.all())
    price = AmountField(label=_("Price per copy"), max_digits=14)
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.filter(is_active=True))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *OrderStatus.choices], required=False)
