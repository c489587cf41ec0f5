"""How the clearance actions that check inside are refused (read by core's action-registry test)."""

import pytest


def _refuse_own_clearance_for_staff(f, fn):
    """A member of staff may not use a patron's own request (even for a patron with a card), and
    nothing is written."""
    from pustaka.clearance.models import ClearanceLetter
    from pustaka.core.choices import Role
    from pustaka.core.errors import PermissionDenied
    from pustaka.core.models import AuditEvent

    events = AuditEvent.objects.count()
    for role in (Role.LIBRARIAN, Role.CIRCULATION, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            fn(actor=f["actors"][role])
    assert not ClearanceLetter.objects.exists()
    assert AuditEvent.objects.count() == events


CHECKED_INSIDE = {"pustaka.clearance.actions.request_own_clearance": _refuse_own_clearance_for_staff}
