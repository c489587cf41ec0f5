"""Bindery errors: each says exactly why an item could not go into, leave or come back from a shipment."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, TransitionNotAllowed, ValidationFailed


class ShipmentNotFound(NotFound):
    code = "shipment_not_found"
    message = _("There is no bindery shipment #%(shipment)s.")


class VendorNotFound(NotFound):
    code = "bindery_vendor_not_found"
    message = _("There is no bindery “%(vendor)s”.")


class VendorNameTaken(Conflict):
    code = "bindery_vendor_taken"
    message = _("A bindery named “%(name)s” already exists.")


class ItemNotPulledForBinding(TransitionNotAllowed):
    code = "item_not_pulled_for_binding"
    message = _("Item %(barcode)s is “%(status)s”; only items pulled for binding can go in a bindery shipment.")


class ItemInAnotherShipment(Conflict):
    code = "item_in_another_shipment"
    message = _("Item %(barcode)s is already in bindery shipment #%(shipment)s.")


class ItemAlreadyInShipment(Conflict):
    code = "item_already_in_shipment"
    message = _("Item %(barcode)s is already in this shipment.")


class ShipmentNotDraft(Conflict):
    code = "shipment_not_draft"
    message = _(
        "Shipment #%(shipment)s is “%(status)s”; items can only be added, removed or changed before it is sent."
    )


class EmptyShipment(ValidationFailed):
    code = "shipment_empty"
    message = _("Shipment #%(shipment)s has no items; scan the items to bind before sending it.")


class ShipmentNotOut(Conflict):
    code = "shipment_not_out"
    message = _("Shipment #%(shipment)s is “%(status)s”; only a shipment that was sent can be received.")


class ItemNotInShipment(Conflict):
    code = "item_not_in_shipment"
    message = _("Item %(barcode)s is not in shipment #%(shipment)s.")


class ItemAlreadyReceived(Conflict):
    code = "item_already_received"
    message = _("Item %(barcode)s already came back from the bindery on %(date)s.")


class InvalidShipmentDates(ValidationFailed):
    code = "invalid_shipment_dates"
    message = _("The date expected back cannot be before the date sent.")


class InvalidShipmentCost(ValidationFailed):
    code = "invalid_shipment_cost"
    message = _("The cost must be a number of zero or more.")
