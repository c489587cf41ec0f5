"""Actions as declared data: every write is a function decorated with :func:`action`.

::

    @action("circulation.loan.checkout", permission="circulation.checkout", label=_("Checked out"))
    def checkout(*, item, patron, actor) -> Loan:
        \"\"\"Lend ``item`` to ``patron``.\"\"\"
        ...
        audit(actor, "circulation.loan.checkout", loan, after=...)

The decorator registers the action (its verb, permission, label, function, module and app), refuses
an ``actor`` (the keyword argument) without the permission with :class:`PermissionDenied` before
the body runs (``actor=None`` is the system, which may do anything), and runs the body in one
transaction. The body still writes its audit events with :func:`pustaka.core.audit.audit`; the words
for each verb live beside the action (``label`` for its own verb, ``labels`` for the other verbs it
writes), and :func:`verb_label` reads them from here for the history pages and the API.

An action whose permission depends on its arguments (a token issued to oneself, a status move whose
permission the lifecycle table names) declares ``permission=None`` and checks inside; its docstring
says so. An action a patron may do on their own account without the staff permission (renew, place
a hold) declares ``permission=...`` with ``self_service=True``: the decorator leaves the check to the
body, which calls ``_authorize(actor, patron, renew.permission, self_service=True)``. The generated test
(``core/tests/test_action_registry.py``) refuses every role that lacks an action's permission and
knows each action that checks inside by name.

Verbs written outside any action (a notice the worker sends) are declared with :func:`declare_verbs`.
"""

import inspect
from dataclasses import dataclass, field
from functools import wraps

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from .errors import PermissionDenied
from .permissions import has


@dataclass(frozen=True)
class Action:
    """One thing a person (or the system) does: a verb, the permission it needs, its label, its function."""

    verb: str
    permission: str | None
    label: object  # a lazy translation
    func: object  # the decorated function: calling it checks the permission
    module: str
    name: str
    labels: dict = field(default_factory=dict)  # other verbs this action writes, with their labels
    self_service: bool = False  # a patron may do it on their own account: the body checks

    @property
    def app_label(self) -> str:
        """The app the action belongs to (``circulation`` for ``pustaka.circulation.actions.lending``)."""
        parts = self.module.split(".")
        return parts[1] if parts[0] == "pustaka" and len(parts) > 1 else parts[0]

    @property
    def qualname(self) -> str:
        """``module.function``: the action's unique name."""
        return f"{self.module}.{self.name}"

    @property
    def verbs(self) -> dict:
        """Every verb the action writes, with its label (its own first)."""
        return {self.verb: self.label, **self.labels}

    def allows(self, actor) -> bool:
        """Whether ``actor`` holds the declared permission (always true when the action checks inside)."""
        return self.permission is None or has(actor, self.permission)

    @property
    def checks_inside(self) -> bool:
        """Whether the body, not the decorator, decides who may (no permission, or self-service)."""
        return self.permission is None or self.self_service

    def require(self, actor) -> None:
        """Raise :class:`PermissionDenied` unless ``actor`` holds the declared permission."""
        if not self.allows(actor):
            raise PermissionDenied()


#: Every registered action, by its unique name (``module.function``).
ACTIONS: dict[str, Action] = {}
#: Labels of verbs written outside any action (see :func:`declare_verbs`).
DECLARED_VERBS: dict[str, object] = {}
_discovered = False
_labels: dict | None = None  # built once from the registry, dropped when an action is registered


def _add_label(table: dict, verb: str, label, where: str) -> None:
    known = table.get(verb)
    if known is not None and str(known) != str(label):
        raise ValueError(f"The verb {verb} has two labels ({known!r} and {label!r}); {where} must agree.")
    table[verb] = label


def action(
    verb: str,
    *,
    permission: str | None,
    label,
    labels: dict | None = None,
    atomic: bool = True,
    self_service: bool = False,
):
    """Declare the decorated keyword-only function an action (see the module docstring).

    ``permission`` is ``app_label.codename`` or None when the action checks inside (say so in its
    docstring). ``label`` names ``verb`` for people; ``labels`` names every other verb the action writes.
    ``atomic=False`` is for a long action that writes in batches of its own transactions (the MARC
    importer); its docstring says where each transaction begins and ends. ``self_service=True``: a
    patron may do it on their own account, so the body checks ``permission`` for staff.
    """

    def decorator(func):
        parameters = inspect.signature(func).parameters
        if permission is not None and "actor" not in parameters:
            raise TypeError(f"{func.__qualname__} declares a permission but takes no actor")
        if not (func.__doc__ or "").strip():
            raise TypeError(f"The action {func.__qualname__} needs a docstring")

        @wraps(func)
        def wrapper(*args, **kwargs):
            if not wrapper.action.self_service:
                wrapper.action.require(kwargs.get("actor"))
            if not atomic:
                return func(*args, **kwargs)
            with transaction.atomic():
                return func(*args, **kwargs)

        entry = Action(
            verb=verb,
            permission=permission,
            label=label,
            func=wrapper,
            module=func.__module__,
            name=func.__name__,
            labels=dict(labels or {}),
            self_service=self_service,
        )
        wrapper.action = entry
        wrapper.verb = verb
        wrapper.permission = permission
        wrapper.label = label
        global _labels
        ACTIONS[entry.qualname] = entry
        _labels = None
        return wrapper

    return decorator


def declare_verbs(labels: dict) -> None:
    """Name verbs that are written outside any action (by a background job, a bulk importer)."""
    global _labels
    for verb, label in labels.items():
        _add_label(DECLARED_VERBS, verb, label, "declare_verbs")
    _labels = None


def discover() -> None:
    """Import every installed app's ``actions`` module (once), so the registry is complete."""
    global _discovered
    if not _discovered:
        autodiscover_modules("actions")
        _discovered = True


def all_actions() -> list[Action]:
    """Every registered action, ordered by verb then name."""
    discover()
    return sorted(ACTIONS.values(), key=lambda a: (a.verb, a.qualname))


def by_verb(verb: str) -> list[Action]:
    """The actions that write ``verb`` (as their own verb or one of their other verbs)."""
    return [a for a in all_actions() if verb in a.verbs]


def labels() -> dict:
    """Every known verb and its label: the actions' own and other verbs, then the declared ones."""
    global _labels
    if _labels is not None:
        return _labels
    table: dict = {}
    for entry in all_actions():
        for verb, label in entry.verbs.items():
            _add_label(table, verb, label, entry.qualname)
    for verb, label in DECLARED_VERBS.items():
        _add_label(table, verb, label, "declare_verbs")
    _labels = table
    return table


def verb_label(verb: str) -> str:
    """The verb in words (or the verb itself when it has no label yet)."""
    return str(labels().get(verb, verb))
