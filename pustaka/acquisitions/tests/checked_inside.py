"""How the acquisitions actions that check inside are refused (read by core's action-registry test)."""

import pytest


def _refuse_suggestions_from_staff(f, fn):
    """A member of staff (any role) may not suggest a purchase as a patron, and nothing is written."""
    from pustaka.acquisitions.models import Suggestion
    from pustaka.core.choices import Role
    from pustaka.core.errors import PermissionDenied
    from pustaka.core.models import AuditEvent

    events = AuditEvent.objects.count()
    for role in (Role.LIBRARIAN, Role.TECHNICIAN, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            fn(actor=f["actors"][role], title="Laskar pelangi")
    assert not Suggestion.objects.exists()
    assert AuditEvent.objects.count() == events


CHECKED_INSIDE = {"pustaka.acquisitions.actions.suggest_purchase": _refuse_suggestions_from_staff}
