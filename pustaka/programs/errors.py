"""Programs and help errors: each says exactly why a registration, attendance mark or answer was refused."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from pustaka.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class ProgramNotFound(NotFound):
    code = "program_not_found"
    message = _("There is no program #%(program)s.")


class SessionNotFound(NotFound):
    code = "session_not_found"
    message = _("There is no program session #%(session)s.")


class RegistrationNotFound(NotFound):
    code = "registration_not_found"
    message = _("There is no registration #%(registration)s.")


class InvalidProgram(ValidationFailed):
    """A program or session field is wrong; the message says which and why."""

    code = "invalid_program"
    message = _("The program's details are not valid.")


class RegistrationClosed(Conflict):
    code = "registration_closed"
    message = _("Registration for “%(program)s” is closed.")


class StaffOnlyRegistration(PermissionDenied):
    code = "staff_only_registration"
    message = _("Registration for “%(program)s” is done by the library staff; please ask at the desk.")


class AgeOutOfRange(Conflict):
    code = "age_out_of_range"
    message = ngettext_lazy(
        "%(patron)s is %(age)s year old; “%(program)s” is for %(range)s.",
        "%(patron)s is %(age)s years old; “%(program)s” is for %(range)s.",
        "age",
    )


class AgeUnknown(Conflict):
    code = "age_unknown"
    message = _(
        "“%(program)s” is for %(range)s and %(patron)s has no date of birth on record; the library staff can add it."
    )


class AlreadyRegistered(Conflict):
    code = "already_registered"
    message = _("%(patron)s is already registered for “%(program)s”.")


class AlreadyWaiting(Conflict):
    code = "already_waiting"
    message = _("%(patron)s is already on the waiting list of “%(program)s”.")


class PatronInactive(Conflict):
    code = "patron_inactive"
    message = _("%(patron)s is not an active member.")


class RegistrationNotActive(Conflict):
    code = "registration_not_active"
    message = _("This registration is already cancelled; nothing was changed.")


class NotRegisteredForProgram(Conflict):
    code = "not_registered"
    message = _("%(patron)s is not registered for “%(program)s”.")


class WaitingNotRegistered(Conflict):
    code = "waiting_not_registered"
    message = _("%(patron)s is on the waiting list of “%(program)s”, not registered.")
