"""Typed errors of licences, access and software seats."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class LicenceNotFound(NotFound):
    code = "licence_not_found"
    message = _("No licence has the id %(licence)s.")


class UnknownLicence(NotFound):
    """A licence named by id or name that does not exist."""

    code = "licence_not_found"
    message = _("No licence has the id or name “%(licence)s”.")


class AmbiguousLicence(ValidationFailed):
    code = "licence_ambiguous"
    message = _("Several licences are called “%(licence)s”; give the licence's id instead.")


class ResourceNotFound(NotFound):
    code = "resource_not_found"
    message = _("No digital resource has the id %(resource)s.")


class InvalidLicence(ValidationFailed):
    """A licence field that does not make sense (the message names it)."""

    code = "invalid_licence"
    message = _("The licence is not valid.")


class InvalidIpRange(InvalidLicence):
    code = "invalid_ip_range"
    message = _("“%(value)s” is not an IP range in CIDR form (for example 10.0.0.0/8).")


class LicenceDatesReversed(InvalidLicence):
    code = "licence_dates_reversed"
    message = _("The licence cannot end before it starts.")


class UnknownPatronCategory(InvalidLicence):
    code = "unknown_patron_category"
    message = _("There is no patron category “%(category)s”.")


class AccessRefused(PermissionDenied):
    """A reader may not use a resource; ``reason`` is the RefusalReason value."""

    code = "access_refused"
    message = _("Access refused: %(reason)s")


class NotSoftware(ValidationFailed):
    code = "not_software"
    message = _("“%(resource)s” is not software; only software has seats to lend.")


class NoSeatFree(Conflict):
    code = "no_seat_free"
    message = _("Every seat of “%(resource)s” is lent out (%(seats)s in all); try again when one is returned.")


class SeatAlreadyHeld(Conflict):
    code = "seat_already_held"
    message = _("%(patron)s already holds a seat of “%(resource)s”.")


class SeatNotLent(Conflict):
    code = "seat_not_lent"
    message = _("Seat #%(seat)s is not lent out.")


class SeatNotFound(NotFound):
    code = "seat_not_found"
    message = _("No software seat has the id %(seat)s.")


class SeatRefused(Conflict):
    """The licence does not let this patron have a seat (the reason says why)."""

    code = "seat_refused"
    message = _("%(patron)s may not have a seat of “%(resource)s”: %(reason)s")
