"""Registrations and help requests as data: every status change, the permission it needs and its verb.

The actions in :mod:`pustaka.programs.actions` change these statuses only through
:func:`pustaka.core.transitions.move`; the tests in ``tests/test_transitions.py`` iterate both tables.
"""

from pustaka.core.transitions import StateMachine, Transition

from .choices import RegistrationStatus as R

#: A registration holds a place or waits for one; a cancelled one is final (register again instead).
REGISTRATIONS = StateMachine(
    "programs.Registration",
    R,
    [
        # A freed place (a cancellation, more places) goes to the first person waiting: this move follows
        # from the action that freed the place, which checked who may do that.
        Transition(R.WAITING, R.REGISTERED, "", "programs.registration.promote"),
        # Staff, or the patron (or their guardian) for their own registration.
        Transition(
            R.REGISTERED, R.CANCELLED, "programs.register_patrons", "programs.registration.cancel", patrons=True
        ),
        Transition(R.WAITING, R.CANCELLED, "programs.register_patrons", "programs.registration.cancel", patrons=True),
    ],
    initial=(R.REGISTERED, R.WAITING),
)
