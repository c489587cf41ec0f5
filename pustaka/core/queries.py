"""Reads that staff pages and the API share: the audit trail, readable field changes, branches."""

import json
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Branch
from .numbers import format_amount

# What each audit verb means, in words. Verbs not listed are shown as they are.
VERB_LABELS = {
    "catalog.record.create": _("Record catalogued"),
    "catalog.record.update": _("Record edited"),
    "catalog.record.delete": _("Record deleted"),
    "catalog.record.import": _("Record imported from MARC"),
    "core.branch.create": _("Branch opened"),
    "core.branch.update": _("Branch changed"),
    "core.location.create": _("Location added"),
    "core.library.update": _("Library settings changed"),
    "core.user.create": _("Staff account created"),
    "core.user.roles": _("Roles changed"),
    "core.user.set_password": _("Password set"),
    "core.api_token.issue": _("API token issued"),
    "core.api_token.revoke": _("API token revoked"),
    "holdings.item.create": _("Item added"),
    "holdings.item.update": _("Item edited"),
    "holdings.item.delete": _("Item deleted"),
    "holdings.item.condition": _("Condition recorded"),
    "holdings.item.receive": _("Received"),
    "holdings.item.start_processing": _("Processing started"),
    "holdings.item.finish_processing": _("Processing finished"),
    "holdings.item.shelve": _("Shelved"),
    "holdings.item.lend": _("Lent"),
    "holdings.item.return": _("Returned"),
    "holdings.item.return_to_hold_shelf": _("Returned to the hold shelf"),
    "holdings.item.return_in_transit": _("Returned, sent in transit"),
    "holdings.item.trap_hold": _("Put on the hold shelf"),
    "holdings.item.send_in_transit": _("Sent in transit"),
    "holdings.item.clear_hold_shelf": _("Cleared from the hold shelf"),
    "holdings.item.receive_transit": _("Received from transit"),
    "holdings.item.pull": _("Pulled"),
    "holdings.item.cancel_pull": _("Pull cancelled"),
    "holdings.item.start_repair": _("Repair started"),
    "holdings.item.finish_repair": _("Repair finished"),
    "holdings.item.send_to_bindery": _("Sent to the bindery"),
    "holdings.item.receive_from_bindery": _("Back from the bindery"),
    "holdings.item.withdraw": _("Withdrawn"),
    "holdings.item.offer_for_sale": _("Offered for sale"),
    "holdings.item.sell": _("Sold"),
    "holdings.item.discard": _("Discarded"),
    "holdings.item.mark_missing": _("Marked missing"),
    "holdings.item.mark_lost": _("Marked lost"),
    "holdings.item.found": _("Found"),
    "holdings.item.write_off": _("Written off"),
    "holdings.item.pull_from_repair": _("Pulled from repair"),
    "holdings.item.send_back": _("Sent back to processing"),
    "holdings.item_type.create": _("Item type added"),
    "maintenance.processing.profile_create": _("Processing profile created"),
    "maintenance.processing.step_add": _("Processing step added"),
    "maintenance.processing.step_rename": _("Processing step renamed"),
    "maintenance.processing.step_enable": _("Processing step turned on"),
    "maintenance.processing.step_disable": _("Processing step turned off"),
    "maintenance.processing.step_order": _("Processing steps reordered"),
    "maintenance.processing.start": _("Scanned into processing"),
    "maintenance.processing.tick": _("Processing step done"),
    "maintenance.shelving.confirm": _("Shelving confirmed"),
    "maintenance.supervision.assign": _("Work assigned"),
    "maintenance.supervision.take": _("Work taken"),
    "maintenance.supervision.finish": _("Work finished"),
    "maintenance.supervision.approve": _("Work approved"),
    "maintenance.supervision.send_back": _("Work sent back"),
    "maintenance.pulling.create": _("Pull list created"),
    "maintenance.pulling.add": _("Added to a pull list"),
    "maintenance.pulling.scan": _("Pulled from the shelf"),
    "maintenance.pulling.not_found": _("Not found on the shelf"),
    "maintenance.pulling.close": _("Pull list closed"),
    "maintenance.weeding.create_criteria": _("Weeding criteria defined"),
    "maintenance.weeding.update_criteria": _("Weeding criteria changed"),
    "maintenance.weeding.propose": _("Weeding candidates proposed"),
    "maintenance.weeding.approve": _("Weeding approved"),
    "maintenance.weeding.reject": _("Weeding rejected"),
    "maintenance.weeding.pull": _("Approved candidates put on a pull list"),
    "maintenance.repair.open": _("Repair ticket opened"),
    "maintenance.repair.work": _("Repair work recorded"),
    "maintenance.repair.finish": _("Repair finished"),
    "maintenance.repair.send_to_bindery": _("Repair passed to the bindery"),
    "maintenance.repair.beyond_repair": _("Declared beyond repair"),
    "maintenance.bindery.vendor.create": _("Bindery added"),
    "maintenance.bindery.create": _("Bindery shipment started"),
    "maintenance.bindery.update": _("Bindery shipment changed"),
    "maintenance.bindery.add_item": _("Added to a bindery shipment"),
    "maintenance.bindery.remove_item": _("Removed from a bindery shipment"),
    "maintenance.bindery.instructions": _("Binding instructions written"),
    "maintenance.bindery.send": _("Bindery shipment sent"),
    "maintenance.bindery.receive": _("Received back from the bindery"),
    "maintenance.sale.withdraw": _("Items withdrawn"),
    "maintenance.sale.create_event": _("Sale event created"),
    "maintenance.sale.offer": _("Price set for sale"),
    "maintenance.sale.sell": _("Sale recorded"),
    "maintenance.stocktake.start": _("Stocktake started"),
    "maintenance.stocktake.seen": _("Seen on the shelf"),
    "maintenance.stocktake.finish": _("Stocktake finished"),
    "maintenance.stocktake.confirm": _("Stocktake confirmed"),
    "maintenance.stocktake.cancel": _("Stocktake cancelled"),
    "maintenance.serials.subscribe": _("Subscription started"),
    "maintenance.serials.update": _("Subscription changed"),
    "maintenance.serials.predict": _("Issues predicted"),
    "maintenance.serials.check_in": _("Issue checked in"),
    "maintenance.serials.mark_late": _("Issues marked late"),
    "maintenance.serials.claim": _("Issue claimed"),
    "maintenance.serials.missing": _("Issue never arrived"),
    "circulation.closed_day.add": _("Closed day added"),
    "circulation.closed_day.delete": _("Closed day removed"),
    "circulation.fee.charge": _("Charge added"),
    "circulation.fee.pay": _("Payment received"),
    "circulation.fee.refund": _("Refund given"),
    "circulation.fee.waive": _("Charge waived"),
    "circulation.hold.cancel": _("Hold cancelled"),
    "circulation.hold.change": _("Hold changed"),
    "circulation.hold.expire": _("Hold expired"),
    "circulation.hold.fulfil": _("Hold fulfilled by a loan"),
    "circulation.hold.place": _("Hold placed"),
    "circulation.hold.ready": _("Hold ready for pickup"),
    "circulation.hold.trap": _("Copy set aside for a hold"),
    "circulation.hold.untrap": _("Copy released from a hold"),
    "circulation.loan.checkin": _("Returned"),
    "circulation.loan.checkout": _("Lent"),
    "circulation.loan.claim_returned": _("Patron says it was returned"),
    "circulation.loan.lost": _("Declared lost"),
    "circulation.loan.renew": _("Loan renewed"),
    "circulation.notice.fail": _("Notice not sent"),
    "circulation.notice.send": _("Notice sent"),
    "circulation.rule.create": _("Loan rule added"),
    "circulation.rule.delete": _("Loan rule removed"),
    "circulation.rule.update": _("Loan rule changed"),
    "circulation.sip_account.create": _("Self-check account created"),
    "circulation.sip_account.deactivate": _("Self-check account switched off"),
    "circulation.sip_account.password": _("Self-check password changed"),
    "circulation.sip_account.reactivate": _("Self-check account switched on"),
    "circulation.sip_account.update": _("Self-check account changed"),
    "circulation.transit.receive": _("Received from transit"),
    "digital.collection.create": _("Collection created"),
    "digital.collection.update": _("Collection changed"),
    "digital.file.duplicate": _("File already stored"),
    "digital.file.ingest": _("File ingested"),
    "digital.file.restore": _("File restored"),
    "digital.file.state": _("File state changed"),
    "digital.fixity.run": _("Fixity check run"),
    "digital.kbart.import": _("KBART list imported"),
    "digital.licence.create": _("Licence created"),
    "digital.licence.update": _("Licence changed"),
    "digital.linkcheck.run": _("Link check run"),
    "digital.resource.attach_file": _("File attached"),
    "digital.resource.create": _("Digital resource created"),
    "digital.resource.detach_file": _("File detached"),
    "digital.resource.licence": _("Licence assigned"),
    "digital.resource.update": _("Digital resource changed"),
    "digital.seat.lend": _("Software seat lent"),
    "digital.seat.return": _("Software seat returned"),
    "digital.seats.add": _("Software seats added"),
    "digital.seats.remove": _("Software seats removed"),
    "patrons.category.create": _("Patron category created"),
    "patrons.category.update": _("Patron category changed"),
    "patrons.patron.block": _("Patron blocked"),
    "patrons.patron.change_own_pin": _("PIN changed by the patron"),
    "patrons.patron.create": _("Patron registered"),
    "patrons.patron.link_login": _("Catalogue login linked"),
    "patrons.patron.renew": _("Membership renewed"),
    "patrons.patron.set_pin": _("PIN set"),
    "patrons.patron.unblock": _("Block lifted"),
    "patrons.patron.update": _("Patron details changed"),
    "patrons.patron.update_own": _("Details changed by the patron"),
    "programs.attendance.mark": _("Attendance marked"),
    "programs.attendance.take": _("Attendance taken"),
    "programs.help.answer": _("Question answered"),
    "programs.help.ask": _("Question asked"),
    "programs.help.assign": _("Question assigned"),
    "programs.help.close": _("Question closed"),
    "programs.program.create": _("Program created"),
    "programs.program.update": _("Program changed"),
    "programs.registration.cancel": _("Registration cancelled"),
    "programs.registration.create": _("Registered for a program"),
    "programs.registration.promote": _("Moved up from the waiting list"),
    "programs.reminders.send": _("Reminders sent"),
    "programs.session.create": _("Session added"),
    "programs.session.update": _("Session changed"),
}


def verb_label(verb: str) -> str:
    """The verb in words (or the verb itself when it has no label yet)."""
    return str(VERB_LABELS.get(verb, verb))


def audit_events(
    *,
    verb: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet:
    """The audit trail, newest first, filtered by verb prefix, actor username and local dates."""
    events = AuditEvent.objects.select_related("content_type").order_by("-occurred_at", "-id")
    if verb:
        events = events.filter(verb__startswith=verb.strip())
    if actor:
        events = events.filter(actor_name__iexact=actor.strip())
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events


def object_events(content_type: ContentType, object_id: str) -> QuerySet:
    """Every audit event about one object (even one deleted since), newest first."""
    return AuditEvent.objects.filter(content_type=content_type, object_id=str(object_id)).order_by(
        "-occurred_at", "-id"
    )


# Fields a person never needs to see in a list of changes.
HIDDEN_IN_CHANGES = {"id", "created_at", "updated_at", "marc", "marc_edited", "password"}


def _field(model, key: str):
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        field = None
    if field is not None and not field.is_relation or field is not None and not field.auto_created:
        return field  # a reverse relation (``seats``, ``steps``) is no field of this model: shown by its key
    if field is None:
        for field in model._meta.concrete_fields:
            if field.attname == key:
                return field
    return None


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _display(field, value, names: dict) -> str:
    if _empty(value):
        return "—"
    if field is not None and field.is_relation and field.related_model is not None:
        pk = _as_pk(field.related_model, value)
        return names.get((field.related_model, str(pk)), f"#{value}" if pk is not None else str(value))
    if field is not None and getattr(field, "choices", None):
        labels = {str(k): v for k, v in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return date_format(
                timezone.localtime(moment) if timezone.is_aware(moment) else moment, "SHORT_DATETIME_FORMAT"
            )
    if isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(field, models.DecimalField) and isinstance(value, str | int | float | Decimal):
        return format_amount(value)  # every decimal field of Pustaka is an amount of Rupiah: Rp 35.000
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, list) and all(isinstance(v, dict) and "name" in v for v in value):
        return "; ".join(f"{v['name']} ({v.get('role', '')})" if v.get("role") else v["name"] for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _keys(event: AuditEvent) -> list[str]:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = []
    for key in dict.fromkeys([*before, *after]):
        if key in HIDDEN_IN_CHANGES:
            continue
        if _empty(before.get(key)) and _empty(after.get(key)):
            continue  # e.g. the empty fields of a newly created object
        keys.append(key)
    return keys


def _as_pk(model, value):
    """``value`` as a primary key of ``model``, or None when it is something else (e.g. a branch code)."""
    if isinstance(value, dict | list | bool):
        return None
    try:
        return model._meta.pk.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None


def _related_names(events) -> dict:
    """``{(model, "pk"): "name"}`` for every foreign key value in ``events``: one query per related model."""
    wanted: dict = {}
    for event in events:
        model = event.content_type.model_class() if event.content_type_id else None
        for key in _keys(event):
            field = _field(model, key)
            if field is None or not field.is_relation or field.related_model is None:
                continue
            for side in (event.before, event.after):
                if isinstance(side, dict) and not _empty(side.get(key)):
                    pk = _as_pk(field.related_model, side[key])
                    if pk is not None:
                        wanted.setdefault(field.related_model, set()).add(pk)
    names = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model, str(obj.pk))] = str(obj)
    return names


def describe_events(events) -> list[AuditEvent]:
    """Give each event ``change_rows``: its before/after as rows ``{"field", "before", "after"}`` a person
    can read (choices by label, related objects by name, times localised); a fixed number of queries."""
    events = list(events)
    names = _related_names(events)
    for event in events:
        before = event.before if isinstance(event.before, dict) else {}
        after = event.after if isinstance(event.after, dict) else {}
        model = event.content_type.model_class() if event.content_type_id else None
        rows = []
        for key in _keys(event):
            field = _field(model, key)
            label = str(field.verbose_name) if field is not None else str(_("note") if key == "note" else key)
            label = label.replace("_", " ")
            rows.append(
                {
                    "field": label[:1].upper() + label[1:],
                    "before": _display(field, before.get(key), names) if key in before else "",
                    "after": _display(field, after.get(key), names) if key in after else "",
                }
            )
        event.change_rows = rows
    return events


def describe_changes(event: AuditEvent) -> list[dict]:
    """One event's readable change rows (see :func:`describe_events`)."""
    return describe_events([event])[0].change_rows


def branches() -> QuerySet:
    """Every branch with the number of its locations and items."""
    return Branch.objects.annotate(
        location_count=Count("locations", distinct=True), item_count=Count("items", distinct=True)
    ).order_by("code")
