"""Serials errors: subscriptions, predicted issues, check-in and claims."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, ValidationFailed


class SubscriptionNotFound(NotFound):
    code = "subscription_not_found"
    message = _("No subscription has the number %(id)s.")


class IssueNotFound(NotFound):
    code = "issue_not_found"
    message = _("No serial issue has the number %(id)s.")


class NotASerial(ValidationFailed):
    """Subscriptions are only for magazines, newspapers and e-journals."""

    code = "not_a_serial"
    message = _(
        "“%(title)s” is catalogued as “%(type)s”; subscriptions are only for magazines, newspapers and e-journals."
    )


class SubscriptionDatesInvalid(ValidationFailed):
    code = "subscription_dates_invalid"
    message = _("The subscription ends (%(ends)s) before its first issue is expected (%(starts)s).")


class NumberingInvalid(ValidationFailed):
    code = "numbering_invalid"
    message = _("The numbering must contain {n} (the issue number); it may also contain {year}.")


class IssueAlreadyReceived(Conflict):
    code = "issue_already_received"
    message = _("Issue %(label)s was already checked in on %(date)s.")


class IssueNotClaimable(Conflict):
    code = "issue_not_claimable"
    message = _("Issue %(label)s is “%(status)s” and cannot be claimed.")


class IssueNotLateYet(Conflict):
    code = "issue_not_late_yet"
    message = _("Issue %(label)s is not late yet: it is expected by %(date)s.")


class NothingToClaim(ValidationFailed):
    code = "nothing_to_claim"
    message = _("Choose at least one issue to claim.")


class LocationNotInBranch(ValidationFailed):
    code = "location_not_in_branch"
    message = _("The location %(location)s is not in branch %(branch)s.")
