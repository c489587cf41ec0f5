"""Patron choices: why a patron may be blocked."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.choices import ColouredChoices


class BlockReason(ColouredChoices):
    """Why a patron may not borrow. ``manual`` blocks are stored; the others are computed."""

    MANUAL = "manual", _("Blocked by staff")
    EXPIRED = "expired", _("Membership expired")
    OVERDUES = "overdues", _("Too many overdue items")
    FINES = "fines", _("Fines over the limit")


BlockReason.set_colours({"manual": "red", "expired": "yellow", "overdues": "orange", "fines": "orange"})


class IdType(ColouredChoices):
    """The national or institutional number a patron is known by (schools and universities)."""

    NIK = "nik", _("NIK (national identity number)")
    NISN = "nisn", _("NISN (national student number)")
    NIM = "nim", _("NIM (university student number)")
    NIP = "nip", _("NIP (civil servant number)")


class UnitKind(ColouredChoices):
    """What an institution unit is: a school class, a faculty, a study programme."""

    CLASS = "class", _("Class")
    FACULTY = "faculty", _("Faculty")
    PROGRAMME = "programme", _("Study programme")


class NoticeChannel(ColouredChoices):
    """How a patron is sent notices: e-mail, WhatsApp, SMS (chosen by the patron)."""

    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
