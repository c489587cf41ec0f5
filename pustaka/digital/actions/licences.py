"""Licence actions: create and change licences, and put a resource under a licence.

A licence says when (start and end dates), who (patron categories; open access for anyone), where
(on-site CIDR ranges), how many (concurrent users, software seats) and how (download or read online
only, embargo). :mod:`pustaka.digital.access` applies it.
"""

from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.registry import action
from pustaka.patrons.models import PatronCategory
from pustaka.search import changes as change_log

from ..access import parse_ranges
from ..errors_access import InvalidIpRange, InvalidLicence, LicenceDatesReversed, UnknownPatronCategory
from ..models import DigitalResource, Licence

__all__ = ["assign_licence", "create_licence", "update_licence"]

FIELDS = (
    "name",
    "vendor",
    "terms",
    "starts_on",
    "ends_on",
    "is_open_access",
    "ip_ranges",
    "concurrent_users",
    "download_allowed",
    "embargo_months",
    "seats",
)
MAX_EMBARGO_MONTHS = 1200


def normalise_ranges(text: str) -> str:
    """CIDR ranges one per line in canonical form; the first bad one raises :class:`InvalidIpRange`."""
    lines = []
    for part in (text or "").replace(",", "\n").split():
        try:
            lines.append(str(parse_ranges(part)[0]))
        except ValueError:
            raise InvalidIpRange(field="ip_ranges", value=part[:60]) from None
    return "\n".join(dict.fromkeys(lines))


def _categories(values) -> list[PatronCategory]:
    """Patron categories given as objects, ids or codes."""
    found = []
    for value in values or []:
        if isinstance(value, PatronCategory):
            found.append(value)
            continue
        lookup = {"pk": value} if isinstance(value, int) else {"code": str(value).strip()}
        category = PatronCategory.objects.filter(**lookup).first()
        if category is None:
            raise UnknownPatronCategory(field="patron_categories", category=str(value)[:40])
        found.append(category)
    return found


POSITIVE = _("“%(name)s” must be a positive whole number.")


def _clean(licence: Licence) -> None:
    licence.name = (licence.name or "").strip()
    if not licence.name:
        raise InvalidLicence(_("A licence needs a name."), field="name")
    licence.vendor = (licence.vendor or "").strip()
    licence.ip_ranges = normalise_ranges(licence.ip_ranges)
    if licence.starts_on and licence.ends_on and licence.ends_on < licence.starts_on:
        raise LicenceDatesReversed(field="ends_on")
    if licence.concurrent_users is not None and licence.concurrent_users < 1:
        raise InvalidLicence(POSITIVE, field="concurrent_users", name="concurrent_users")
    if licence.seats is not None and licence.seats < 0:
        raise InvalidLicence(POSITIVE, field="seats", name="seats")
    if not 0 <= (licence.embargo_months or 0) <= MAX_EMBARGO_MONTHS:
        raise InvalidLicence(POSITIVE, field="embargo_months", name="embargo_months")


def _state(licence: Licence) -> dict:
    data = snapshot(licence, list(FIELDS))
    data["patron_categories"] = sorted(licence.patron_categories.values_list("code", flat=True))
    for key in ("starts_on", "ends_on"):
        data[key] = data[key].isoformat() if data[key] else None
    return data


@action("digital.licence.create", permission="digital.manage_licences", label=_("Licence created"))
def create_licence(*, actor, name: str, patron_categories=(), **fields) -> Licence:
    """Create a licence (``digital.manage_licences``); categories by object, id or code."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown licence fields: {sorted(unknown)}")
    licence = Licence(name=name, **fields)
    _clean(licence)
    categories = _categories(patron_categories)
    licence.save()
    licence.patron_categories.set(categories)
    audit(actor, "digital.licence.create", licence, after=_state(licence))
    return licence


@action("digital.licence.update", permission="digital.manage_licences", label=_("Licence changed"))
def update_licence(*, licence: Licence, actor, patron_categories=None, **changes) -> Licence:
    """Change a licence's terms (``digital.manage_licences``); ``patron_categories=None`` leaves them."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown licence fields: {sorted(unknown)}")
    locked = Licence.objects.select_for_update().get(pk=licence.pk)
    before = _state(locked)
    for key, value in changes.items():
        setattr(locked, key, value)
    _clean(locked)
    categories = _categories(patron_categories) if patron_categories is not None else None
    locked.save()
    if categories is not None:
        locked.patron_categories.set(categories)
    old, new = diff(before, _state(locked))
    if new:
        audit(actor, "digital.licence.update", locked, before=old, after=new)
        # Exports carry the licence's access note (856 $z, dc:rights): every record under it changed.
        change_log.records_changed(
            DigitalResource.objects.filter(licence=locked).values_list("record_id", flat=True).distinct()
        )
    return locked


@action("digital.resource.licence", permission="digital.manage_licences", label=_("Licence assigned"))
def assign_licence(*, resource: DigitalResource, licence: Licence | None, actor) -> DigitalResource:
    """Put a resource under ``licence`` (or none: then nobody but staff may use it)."""
    locked = DigitalResource.objects.select_for_update().get(pk=resource.pk)
    before = locked.licence_id
    locked.licence = licence
    locked.save(update_fields=["licence", "updated_at"])
    if before != locked.licence_id:
        change_log.record_changed(locked.record_id)  # its exports' access note changes
    audit(actor, "digital.resource.licence", locked, before={"licence": before}, after={"licence": locked.licence_id})
    return locked
