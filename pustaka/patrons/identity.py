"""Patron identity for schools and universities: ID numbers checked per type, classes, faculties and
programmes, and the notice channels a patron chooses.

==========  ===============================================================================
type        what is accepted
==========  ===============================================================================
NIK         16 digits; digits 7 to 12 are the date of birth (day + 40 for women), DDMMYY
NISN        10 digits
NIM         5 to 20 letters, digits, dots or dashes (each university writes its own)
NIP         18 digits: date of birth YYYYMMDD, appointment YYYYMM, 1 or 2, then 3 digits
==========  ===============================================================================

Spaces, dots and dashes people type between groups of a NIK, NISN or NIP are dropped.
"""

import datetime
import re

from django.utils.translation import gettext as _

from . import errors
from .choices import IdType, NoticeChannel
from .models import InstitutionUnit, Patron

SEPARATORS = re.compile(r"[\s.\-]+")
NIM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{3,19}$")
DIGITS = {IdType.NIK: 16, IdType.NISN: 10, IdType.NIP: 18}


def _label(id_type: str) -> str:
    return id_type.upper()


def _date_ok(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def clean_id(id_type, id_number) -> tuple[str, str]:
    """``(type, number)`` checked and normalised; both empty when no number is given."""
    id_type = str(id_type or "").strip().lower()
    raw = str(id_number or "").strip()
    if not raw:
        return "", ""
    if not id_type:
        raise errors.IdTypeRequired(field="id_type")
    if id_type not in IdType.values:
        raise errors.IdTypeRequired(field="id_type")
    name = _label(id_type)
    if id_type == IdType.NIM:
        if not NIM_RE.match(raw):
            raise errors.InvalidIdNumber(
                field="id_number",
                type=name,
                reason=_("a NIM is 5 to 20 letters, digits, dots or dashes; “%(value)s” is not.") % {"value": raw[:40]},
            )
        return id_type, raw.upper()
    number = SEPARATORS.sub("", raw)
    wanted = DIGITS[id_type]
    if not number.isdigit() or not number.isascii():
        raise errors.InvalidIdNumber(
            field="id_number", type=name, reason=_("only digits, e.g. %(example)s.") % {"example": "1" * wanted}
        )
    if len(number) != wanted:
        raise errors.InvalidIdNumber(
            field="id_number",
            type=name,
            reason=_("%(wanted)s digits are needed; “%(value)s” has %(count)s.")
            % {"wanted": wanted, "value": number[:40], "count": len(number)},
        )
    if id_type == IdType.NIK:
        day, month, year = int(number[6:8]), int(number[8:10]), int(number[10:12])
        if day > 40:
            day -= 40
        if not _date_ok(2000 + year, month, day):
            raise errors.InvalidIdNumber(
                field="id_number", type=name, reason=_("digits 7 to 12 must be a date of birth (DDMMYY).")
            )
    if id_type == IdType.NIP:
        born = (int(number[0:4]), int(number[4:6]), int(number[6:8]))
        appointed_month = int(number[12:14])
        if not _date_ok(*born) or not 1 <= appointed_month <= 12 or number[14] not in "12":
            raise errors.InvalidIdNumber(
                field="id_number",
                type=name,
                reason=_("it must start with the date of birth (YYYYMMDD), then the appointment (YYYYMM) and 1 or 2."),
            )
    return id_type, number


def check_id_unique(id_type: str, id_number: str, *, instance: Patron | None) -> None:
    """Refuse a NIK, NISN, NIM or NIP another patron already has."""
    if not id_number:
        return
    others = Patron.objects.filter(id_type=id_type, id_number=id_number)
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    other = others.only("first_name", "last_name").first()
    if other is not None:
        raise errors.DuplicateIdNumber(
            field="id_number", patron=other.full_name, type=_label(id_type), number=id_number
        )


def find_unit(value) -> InstitutionUnit | None:
    """A unit given as an object or a code (any case); empty gives None; an unknown code is refused."""
    if value in (None, ""):
        return None
    if isinstance(value, InstitutionUnit):
        return value
    code = str(value).strip()
    found = InstitutionUnit.objects.filter(code__iexact=code).first()
    if found is None:
        raise errors.UnknownUnit(field="unit", code=code[:40])
    return found


def clean_channels(channels, *, email: str, phone: str, strict: bool = True) -> list[str]:
    """The patron's notice channels, in a fixed order; each needs its contact (e-mail or phone).

    ``strict``: a channel without its contact is refused (the channels were chosen just now);
    otherwise it is dropped (the e-mail or phone was removed later)."""
    if channels in (None, ""):
        channels = []
    if isinstance(channels, str):
        channels = [c for c in re.split(r"[\s,;]+", channels) if c]
    chosen = []
    for channel in channels:
        channel = str(channel).strip().lower()
        if channel not in NoticeChannel.values:
            raise errors.UnknownChannel(field="notice_channels", channel=channel[:20])
        if channel not in chosen:
            chosen.append(channel)
    if not strict:
        chosen = [c for c in chosen if (email if c == NoticeChannel.EMAIL else phone)]
    for channel in chosen:
        if channel == NoticeChannel.EMAIL and not email:
            raise errors.ChannelNeedsContact(
                field="notice_channels", channel=NoticeChannel(channel).label, contact=_("an e-mail address")
            )
        if channel in (NoticeChannel.WHATSAPP, NoticeChannel.SMS) and not phone:
            raise errors.ChannelNeedsContact(
                field="notice_channels", channel=NoticeChannel(channel).label, contact=_("a phone number")
            )
    return [c for c in NoticeChannel.values if c in chosen]
