"""State machines as data: every object with a status moves only along its app's table.

Each app that has statuses writes a ``transitions.py`` with a list of :class:`Transition` rows and one
:class:`StateMachine` per model. An action changes a status only with :func:`move` (or
``MACHINE.move``), which looks the move up in the object's table, checks the permission the row
names, refuses a move the table does not list, sets the status and returns the row; the action then
saves the object and writes its audit event with the row's ``verb``. Tests iterate the tables.

A worked example, the registrations of a program (``programs/transitions.py``)::

    REGISTRATIONS = StateMachine(
        "programs.Registration",
        RegistrationStatus,
        [
            Transition(S.WAITING, S.REGISTERED, "", "programs.registration.promote"),
            Transition(S.REGISTERED, S.CANCELLED, "programs.register_patrons",
                       "programs.registration.cancel", patrons=True),
            ...
        ],
    )

    # programs/actions.py
    rule = move(registration, to=RegistrationStatus.CANCELLED, actor=actor, refused=RegistrationNotActive())
    registration.save(update_fields=["status", ...])
    audit(actor, rule.verb, registration, before=..., after=...)
"""

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.text import capfirst, format_lazy

from .errors import PustakaError, TransitionNotAllowed
from .permissions import is_staff_member, require


@dataclass(frozen=True)
class Transition:
    """``source`` → ``target`` is allowed to holders of ``permission`` and audited as ``verb``.

    ``permission`` empty: the move only follows from another action (a freed place promotes the next
    person waiting), which checks who may do it. ``patrons``: a patron may make the move for their own
    account without a staff permission (the action checks whose account it is); staff still need
    ``permission``.
    """

    source: str
    target: str
    permission: str
    verb: str
    patrons: bool = dataclasses.field(default=False, kw_only=True)


class StateMachine:
    """The status table of one model: which moves exist, who may make them and what they are called.

    ``model`` is the model's label (``"programs.Registration"``), ``choices`` its status TextChoices
    (their labels name the states in refusals), ``field`` the status field, ``initial`` the statuses
    an object may be created in. ``via`` names the function that makes the moves when they need more
    than a status change (the item lifecycle: ``holdings.actions.move_item``); :meth:`move` then refuses.
    """

    def __init__(
        self,
        model: str,
        choices,
        transitions: Iterable[Transition],
        *,
        field: str = "status",
        initial: Iterable[str] = (),
        via: str = "",
    ):
        self.model = model
        self.via = via
        self.choices = choices
        self.transitions: list[Transition] = list(transitions)
        self.field = field
        self.initial = tuple(initial)
        self._by_move: dict[tuple[str, str], Transition] = {}
        for rule in self.transitions:
            key = (str(rule.source), str(rule.target))
            if key in self._by_move:
                raise ValueError(f"{model}: {key[0]} -> {key[1]} is listed twice")
            if rule.source not in choices.values or rule.target not in choices.values:
                raise ValueError(f"{model}: {key[0]} -> {key[1]} names an unknown status")
            self._by_move[key] = rule
        for status in self.initial:
            if status not in choices.values:
                raise ValueError(f"{model}: unknown initial status {status!r}")
        MACHINES[model.lower()] = self

    def __repr__(self) -> str:
        return f"<StateMachine {self.model}: {len(self.transitions)} moves>"

    def find(self, source: str, target: str) -> Transition | None:
        """The row from ``source`` to ``target``, or None when that move is not allowed."""
        return self._by_move.get((str(source), str(target)))

    def sources(self, verb: str) -> tuple[str, ...]:
        """Every status from which the move named ``verb`` may be made."""
        return tuple(dict.fromkeys(t.source for t in self.transitions if t.verb == verb))

    def targets(self, source: str) -> list[str]:
        """Every status an object in ``source`` may move to."""
        return [t.target for t in self.transitions if t.source == source]

    @property
    def verbs(self) -> tuple[str, ...]:
        """Every verb of the table, in table order."""
        return tuple(dict.fromkeys(t.verb for t in self.transitions))

    @property
    def final(self) -> tuple[str, ...]:
        """The statuses nothing moves out of (a closed question, a returned shipment)."""
        return tuple(s for s in self.choices.values if not self.targets(s))

    def label(self, status: str):
        """A status in words (a lazy translation: said in the language active when it is shown)."""
        return self.choices(status).label if status in self.choices.values else str(status)

    def refusal(self, obj, to: str) -> TransitionNotAllowed:
        """The error that says ``obj`` cannot go from its status to ``to``, both named in words."""
        noun = capfirst(obj._meta.verbose_name) if hasattr(obj, "_meta") else self.model
        return TransitionNotAllowed(
            object=format_lazy("{} #{}", noun, obj.pk) if getattr(obj, "pk", None) else noun,
            source=self.label(getattr(obj, self.field)),
            target=self.label(to),
        )

    def check(
        self,
        obj,
        *,
        to: str,
        actor,
        refused: PustakaError | Callable[[], PustakaError] | None = None,
        verb: str = "",
    ):
        """The row for moving ``obj`` to ``to`` if the table lists it and ``actor`` may make it.

        Raises ``refused`` (an error, or a function that makes one: the action's own words, such as
        "this registration is already cancelled") or :meth:`refusal` when the table has no such move,
        and :class:`~pustaka.core.errors.PermissionDenied` when ``actor`` lacks the row's permission.
        ``verb``: the move must be this action's own (a hold reaches the hold shelf by being set aside
        from the queue or by arriving in transit; setting aside refuses a hold already in transit).
        Changes nothing.
        """
        rule = self.find(getattr(obj, self.field), to)
        if rule is not None and verb and rule.verb != verb:
            rule = None
        if rule is None:
            if refused is None:
                raise self.refusal(obj, to)
            raise refused() if callable(refused) else refused
        if rule.permission and not (rule.patrons and _is_patron(actor)):
            require(actor, rule.permission)
        return rule

    def move(self, obj, *, to: str, actor, refused=None, verb: str = "") -> Transition:
        """Check the move (:meth:`check`), set ``obj``'s status to ``to`` (not saved) and return the row."""
        if self.via:
            raise TypeError(f"{self.model} moves only through {self.via}")
        rule = self.check(obj, to=to, actor=actor, refused=refused, verb=verb)
        setattr(obj, self.field, rule.target)
        return rule


def _is_patron(actor) -> bool:
    """A signed-in account with no staff role (a patron acting in the catalogue)."""
    return actor is not None and actor.is_authenticated and not is_staff_member(actor)


#: Every state machine, by its model's label in lower case (``"programs.registration"``).
MACHINES: dict[str, StateMachine] = {}


def machine_for(obj) -> StateMachine:
    """The state machine of ``obj``'s model (its app's ``transitions.py`` must have been imported)."""
    try:
        return MACHINES[obj._meta.label_lower]
    except KeyError:
        raise LookupError(f"{obj._meta.label} has no state machine") from None


def move(obj, *, to: str, actor, refused=None, verb: str = "") -> Transition:
    """Move ``obj`` to the status ``to`` along its model's table (see :meth:`StateMachine.move`)."""
    return machine_for(obj).move(obj, to=to, actor=actor, refused=refused, verb=verb)
