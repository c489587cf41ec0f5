"""Refusals of the search index's bookkeeping: each says what was wrong."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import ValidationFailed


class InvalidReplicaName(ValidationFailed):
    """A replica needs a name: one line of at most 200 characters (the node's name)."""

    code = "invalid_replica_name"
    message = _("An index replica needs a name of one line, at most 200 characters.")


class InvalidSequence(ValidationFailed):
    """A replica reports a sequence that is not a whole number of zero or more."""

    code = "invalid_sequence"
    message = _("The applied sequence must be a whole number of zero or more.")
