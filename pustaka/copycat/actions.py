"""Every write of copy cataloguing: the list of remote catalogues, and copying a record with its copies.

:func:`import_copy` is one step and one transaction: the record through
:func:`pustaka.catalog.actions.create_record` (keeping the remote MARC as the record's original),
each copy through :func:`pustaka.holdings.actions.create_item` (with its accession number), and a
:class:`~pustaka.copycat.models.CopiedRecord` saying where it came from and the cover link the
remote record carried (the link only: no image is fetched). A refused copy (a barcode taken)
rolls everything back.
"""

import re

from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.registry import action

from . import errors, records
from .choices import Protocol
from .models import CopiedRecord, Target

__all__ = ["create_target", "delete_target", "import_copy", "update_target"]

MAX_COPIES = 50
AUTO_BARCODE = re.compile(r"^B[0-9]{6}$")
TARGET_FIELDS = [
    "name",
    "protocol",
    "base_url",
    "host",
    "port",
    "database",
    "record_syntax",
    "schema",
    "timeout",
    "enabled",
    "priority",
    "note",
]
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,198}[A-Za-z0-9])?$")


def _clean_target(data: dict) -> dict:
    unknown = set(data) - set(TARGET_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise errors.InvalidTarget(_("Unknown field: %(name)s."), field=name, name=name)
    cleaned = {k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in data.items()}
    if "name" in cleaned and not cleaned["name"]:
        raise errors.InvalidTarget(_("Name: give the catalogue a name."), field="name")
    if len(cleaned.get("name") or "") > 100:
        raise errors.InvalidTarget(_("Name: at most 100 characters."), field="name")
    if "protocol" in cleaned and cleaned["protocol"] not in Protocol.values:
        raise errors.InvalidTarget(_("Protocol: choose SRU or Z39.50."), field="protocol")
    if "port" in cleaned:
        if cleaned["port"] in ("", None):
            cleaned["port"] = None
        else:
            try:
                cleaned["port"] = int(cleaned["port"])
            except (TypeError, ValueError):
                raise errors.InvalidTarget(_("Port: give a number from 1 to 65535."), field="port") from None
            if not 1 <= cleaned["port"] <= 65535:
                raise errors.InvalidTarget(_("Port: give a number from 1 to 65535."), field="port")
    for name, low, high, message in (
        ("timeout", 1, 120, _("Timeout: give a number of seconds from 1 to 120.")),
        ("priority", 0, 999, _("Priority: give a number from 0 to 999.")),
    ):
        if name in cleaned:
            try:
                cleaned[name] = int(cleaned[name])
            except (TypeError, ValueError):
                raise errors.InvalidTarget(message, field=name) from None
            if not low <= cleaned[name] <= high:
                raise errors.InvalidTarget(message, field=name)
    if "enabled" in cleaned:
        cleaned["enabled"] = bool(cleaned["enabled"])
    for name, size in (("base_url", 300), ("host", 200), ("database", 100), ("record_syntax", 20), ("schema", 40)):
        if len(str(cleaned.get(name) or "")) > size:
            raise errors.InvalidTarget(_("At most %(limit)s characters."), field=name, limit=size)
    return cleaned


def _check_address(target: Target) -> None:
    if target.protocol == Protocol.SRU:
        if not re.match(r"^https?://[^\s/]+", target.base_url or ""):
            raise errors.InvalidTarget(
                _("Base URL: an SRU catalogue needs its address, starting with http:// or https://."),
                field="base_url",
            )
    else:
        if not _HOST.match(target.host or ""):
            raise errors.InvalidTarget(_("Host: a Z39.50 catalogue needs its host name."), field="host")
        if not target.port:
            raise errors.InvalidTarget(_("Port: a Z39.50 catalogue needs its port (often 210)."), field="port")
    if Target.objects.filter(name__iexact=target.name).exclude(pk=target.pk).exists():
        raise errors.InvalidTarget(
            _("Name: another remote catalogue is already called “%(name)s”."), field="name", name=target.name
        )


@action("copycat.target.create", permission="copycat.manage_targets", label=_("Remote catalogue added"))
def create_target(*, actor, **data) -> Target:
    """Add a remote catalogue to search (SRU: its base URL; Z39.50: host, port and database)."""
    target = Target(**_clean_target(data))
    _check_address(target)
    target.save()
    audit(actor, "copycat.target.create", target, after=snapshot(target))
    return target


@action("copycat.target.update", permission="copycat.manage_targets", label=_("Remote catalogue changed"))
def update_target(*, actor, target: Target, **data) -> Target:
    """Change a remote catalogue's address, format, timeout, order, or whether it is searched."""
    target = Target.objects.select_for_update().get(pk=target.pk)
    before = snapshot(target)
    for name, value in _clean_target(data).items():
        setattr(target, name, value)
    _check_address(target)
    old, new = diff(before, snapshot(target))
    if new:
        target.save()
        audit(actor, "copycat.target.update", target, before=old, after=new)
    return target


@action("copycat.target.delete", permission="copycat.manage_targets", label=_("Remote catalogue removed"))
def delete_target(*, actor, target: Target) -> None:
    """Remove a remote catalogue from the list (records copied from it keep its name)."""
    audit(actor, "copycat.target.delete", target, before=snapshot(target))
    target.delete()


def _auto_barcodes(count: int) -> list[str]:
    """The next ``count`` barcodes after the highest of the form B000123 (the library's own series)."""
    from pustaka.holdings.models import Item

    highest = (
        Item.objects.filter(barcode__regex=AUTO_BARCODE.pattern).order_by("-barcode").values_list("barcode", flat=True)
    ).first()
    start = int(highest[1:]) + 1 if highest else 1
    return [f"B{number:06d}" for number in range(start, start + count)]


def _barcodes(copies, barcodes) -> list[str]:
    try:
        count = int(copies)
    except (TypeError, ValueError):
        raise errors.InvalidCopies(_("Copies: give a whole number."), field="copies") from None
    given = [str(b or "").strip() for b in (barcodes or [])]
    if len(given) > count:
        count = len(given)
    if not 0 <= count <= MAX_COPIES:
        raise errors.InvalidCopies(_("Copies: give a number from 0 to %(max)s."), field="copies", max=MAX_COPIES)
    given += [""] * (count - len(given))
    typed = [b for b in given if b]
    if len({b.upper() for b in typed}) != len(typed):
        raise errors.InvalidCopies(_("Barcodes: the same barcode is given twice."), field="barcodes")
    auto = iter(_auto_barcodes(given.count("")))
    return [b or next(auto) for b in given]


@action(
    "copycat.record.import",
    permission="copycat.copy_catalogue",
    label=_("Record copied from a remote catalogue"),
)
def import_copy(
    *,
    actor,
    result,
    branch=None,
    item_type=None,
    copies: int = 1,
    barcodes: list[str] | None = None,
    status: str = "in_processing",
    location=None,
    acquisition_source: str = "",
    supplier: str = "",
    price=None,
):
    """Copy a remote record into the catalogue with ``copies`` new copies at ``branch`` in one step.

    ``result`` is a search result (:class:`~pustaka.copycat.records.RemoteRecord`) or its signed
    token. Barcodes left out are given the next of the library's B000123 series. The copies start
    in ``status`` (in processing by default; available for shelf-ready copies). Needs
    ``catalog.catalogue`` and ``holdings.add_copy`` too (the actions it calls check them).
    Returns the :class:`~pustaka.copycat.models.CopiedRecord`."""
    from pustaka.catalog.actions import RECORD_FIELDS, create_record
    from pustaka.holdings.actions import create_item
    from pustaka.holdings.transitions import INITIAL_STATUSES

    entry = records.unsign(result) if isinstance(result, str) else result
    if entry.error or not entry.raw:
        raise errors.BrokenRecord(field="result", reason=entry.error or _("it is empty"))
    wanted = _barcodes(copies, barcodes)
    if wanted and (branch is None or item_type is None):
        raise errors.InvalidCopies(_("Copies: choose the branch and the item type."), field="branch")
    if status not in INITIAL_STATUSES:
        raise errors.InvalidCopies(_("A new copy cannot start with this status."), field="status")
    fields = {name: entry.columns[name] for name in RECORD_FIELDS if name in entry.columns}
    fields.pop("is_suppressed", None)
    if entry.cover_url.startswith(("https://", "http://")):
        fields["cover_link"] = entry.cover_url[:500]
    record = create_record(actor=actor, marc=entry.raw, **fields)
    for barcode in wanted:
        create_item(
            record=record,
            barcode=barcode,
            branch=branch,
            item_type=item_type,
            location=location,
            status=status,
            actor=actor,
            acquisition_source=acquisition_source,
            supplier=supplier,
            price=price,
        )
    target = Target.objects.filter(pk=entry.target_id).first() if entry.target_id else None
    copied = CopiedRecord.objects.create(
        record=record,
        target=target,
        target_name=entry.target_name[:100],
        remote_id=entry.control_number[:64],
        isbn=entry.isbn,
        cover_url=entry.cover_url,
        item_count=len(wanted),
        imported_by=actor if actor is not None and actor.pk else None,
    )
    audit(
        actor,
        "copycat.record.import",
        record,
        after={
            "copied_from": copied.target_name,
            "remote_id": copied.remote_id,
            "isbn": copied.isbn,
            "cover_url": copied.cover_url,
            "barcodes": wanted,
            "status": status,
        },
    )
    return copied
