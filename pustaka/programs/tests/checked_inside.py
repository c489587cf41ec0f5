"""How the programs actions that check inside are refused (read by core's action-registry test).

Registering and cancelling are the patron's own too (``self_service``): staff without the permission
are refused with 403, another patron with "not your account", and nothing is written."""

import datetime


def _program(f):
    from pustaka.programs.models import Program

    return Program.objects.create(title="Dongeng Anak", branch=f["branch"], capacity=10)


def _another_patrons_login(f):
    from pustaka.core.models import User

    user = User.objects.create_user(username="another-reader", password="x-password-123")
    f["make_patron"]("P0002", user=user)
    return user


def _refuse_registering(f, fn):
    from pustaka.circulation.errors import NotYourAccount
    from pustaka.core.choices import Role
    from pustaka.core.tests.test_action_registry import refuse

    program = _program(f)
    refuse(lambda: fn(program=program, patron=f["patron"], actor=f["actors"][Role.IT_MANAGER]))
    other = _another_patrons_login(f)
    refuse(lambda: fn(program=program, patron=f["patron"], actor=other), NotYourAccount)
    assert not program.registrations.exists()


def _refuse_cancelling(f, fn):
    from django.utils import timezone

    from pustaka.circulation.errors import NotYourAccount
    from pustaka.core.choices import Role
    from pustaka.core.tests.test_action_registry import refuse
    from pustaka.programs.models import Registration

    program = _program(f)
    registration = Registration.objects.create(
        program=program, patron=f["patron"], status="registered", queued_at=timezone.now() - datetime.timedelta(hours=1)
    )
    refuse(lambda: fn(registration=registration, actor=f["actors"][Role.IT_MANAGER]))
    other = _another_patrons_login(f)
    refuse(lambda: fn(registration=registration, actor=other), NotYourAccount)
    registration.refresh_from_db()
    assert registration.status == "registered"


CHECKED_INSIDE = {
    "pustaka.programs.actions.register": _refuse_registering,
    "pustaka.programs.actions.cancel_registration": _refuse_cancelling,
}
