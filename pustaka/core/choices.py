"""Choices shared by every app: a label and a badge colour travel with each value."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: Choices that templates name by a short kind (``{% badge item.status "item_status" %}``); each app
#: declares its own with :func:`template_kind`, so core's template tags import no domain app.
CHOICE_KINDS: dict[str, type] = {}


def template_kind(kind: str):
    """Register a choices class under ``kind`` for the badge and label template tags."""

    def register(choices):
        CHOICE_KINDS[kind] = choices
        return choices

    return register


class ColouredChoices(models.TextChoices):
    """TextChoices whose members know their badge colour (set with ``set_colours`` after the class)."""

    @classmethod
    def set_colours(cls, colours: dict[str, str]) -> None:
        cls._colours = colours

    @classmethod
    def colour(cls, value: str) -> str:
        return getattr(cls, "_colours", {}).get(value, "grey")


class ClassificationScheme(models.TextChoices):
    """The classification schemes a record's class number can follow (the library sets a default)."""

    DDC = "ddc", _("Dewey Decimal Classification (DDC)")
    UDC = "udc", _("Universal Decimal Classification (UDC)")
    LCC = "lcc", _("Library of Congress Classification (LCC)")
    LOCAL = "local", _("Local scheme")


class Role(models.TextChoices):
    """The staff roles; each is a Django group of the same name, created by a migration."""

    ADMINISTRATOR = "administrator", _("Administrator")
    IT_MANAGER = "it_manager", _("IT manager")
    LIBRARIAN = "librarian", _("Librarian")
    SENIOR_TECHNICIAN = "senior_technician", _("Senior technician")
    TECHNICIAN = "technician", _("Technician")
    CIRCULATION = "circulation", _("Circulation")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class CallNumberRule(models.TextChoices):
    """How the call-number helper builds the author mark."""

    INDONESIAN = "indonesian", _("Indonesian: class number, three letters of the author, title letter")
    CUTTER = "cutter", _("Cutter: class number, Cutter number of the author, title letter")


class PaymentMethod(ColouredChoices):
    """How money was paid: a fine at the desk, over the API or at the self-check machine; a book at a sale."""

    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    QRIS = "qris", _("QRIS")
    CARD = "card", _("Debit or credit card")
    SELF_CHECK = "self_check", _("Self-check machine")
    OTHER = "other", _("Other")

    @classmethod
    def for_fees(cls) -> list[tuple[str, str]]:
        """The ways a fine or fee is paid (everything but "other")."""
        return [choice for choice in cls.choices if choice[0] != cls.OTHER]

    @classmethod
    def for_sales(cls) -> list[tuple[str, str]]:
        """The ways a book at a sale is paid for (no self-check machine sells books)."""
        return [choice for choice in cls.choices if choice[0] != cls.SELF_CHECK]
