"""Repair errors: each says exactly why a repair ticket could not be opened, worked on or closed."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, TransitionNotAllowed, ValidationFailed


class RepairTicketNotFound(NotFound):
    code = "repair_ticket_not_found"
    message = _("There is no repair ticket #%(ticket)s.")


class ItemNotPulledForRepair(TransitionNotAllowed):
    code = "item_not_pulled_for_repair"
    message = _(
        "Item %(barcode)s is “%(status)s”; only an item pulled for repair can get a repair ticket. "
        "Pull it for repair first (pull list or item page)."
    )


class RepairAlreadyOpen(Conflict):
    code = "repair_already_open"
    message = _("Item %(barcode)s already has an open repair ticket (#%(ticket)s).")


class RepairTicketClosed(Conflict):
    code = "repair_ticket_closed"
    message = _("Repair ticket #%(ticket)s is already closed (“%(status)s”); nothing was changed.")


class UnknownDamageType(ValidationFailed):
    code = "unknown_damage_type"
    message = _("Choose the kind of damage from the list.")


class InvalidRepairWork(ValidationFailed):
    code = "invalid_repair_work"
    message = _("Minutes and materials cost must be numbers of zero or more.")


class UnknownConditionAfter(ValidationFailed):
    code = "unknown_condition"
    message = _("Choose the item's condition after the repair from the list.")
