"""Generated from the action registry: every registered action, for every role, is allowed or refused as
the role's permissions say, and a refusal writes nothing.

The permission half covers every action that declares a permission: a role without it is refused by
the decorator before the body runs. An action that declares ``permission=None`` (or is
``self_service``: a patron may do it on their own account) checks inside; each one is named below
with a real call that a role (or another patron) must be refused, so an action registered without
any check fails this test until someone says how it is refused: here, or in its app's
``tests/checked_inside.py`` as ``CHECKED_INSIDE = {"pustaka.app.actions.name": refuse_fn}`` where
``refuse_fn(fixtures, action)`` makes a real call that must be refused (use :func:`refuse`).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from pustaka.core import registry
from pustaka.core.choices import Role
from pustaka.core.errors import PermissionDenied, PustakaError
from pustaka.core.models import AuditEvent
from pustaka.core.roles import ROLE_PERMISSIONS

ACTIONS = registry.all_actions()
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
PATRON = "patron"  # a public user with no role
ROLES = [*Role.values, PATRON]


def _ids(actions):
    return [a.qualname.removeprefix("pustaka.") for a in actions]


def may(role: str, permission: str) -> bool:
    """What the roles table (core/roles.py) says, independently of the database."""
    if role == Role.ADMINISTRATOR:
        return True
    if role == PATRON:
        return False
    return permission in ROLE_PERMISSIONS[role]


@pytest.fixture
def actors(make_staff, patron_user):
    """One user per role, and a patron."""
    return {**{role: make_staff(role) for role in Role.values}, PATRON: patron_user}


class NoWrites:
    """Assert that nothing inside the block wrote to the database: no INSERT, UPDATE or DELETE."""

    def __enter__(self):
        self.events = AuditEvent.objects.count()
        self.queries = CaptureQueriesContext(connection).__enter__()
        return self

    def __exit__(self, *exc):
        self.queries.__exit__(*exc)
        writes = [q["sql"] for q in self.queries.captured_queries if WRITES.match(q["sql"])]
        assert writes == []
        assert AuditEvent.objects.count() == self.events
        return False


def refuse(call, error=PermissionDenied):
    """``call()`` raises ``error`` and writes nothing."""
    with NoWrites(), pytest.raises(error):
        call()


# --- Every action is declared completely ---------------------------------------------------------


def test_the_registry_holds_the_actions_of_every_app_converted_so_far():
    apps = {a.app_label for a in ACTIONS}
    assert {"core", "catalog", "holdings", "circulation", "patrons"} <= apps
    assert {"programs", "reference", "technical", "digital"} <= apps
    assert len(ACTIONS) >= 60


#: Writes of programs, questions and technical services that once checked permission inside their body.
NEWLY_DECLARED = {
    "pustaka.programs.actions.create_program": "programs.manage_programs",
    "pustaka.programs.actions.update_program": "programs.manage_programs",
    "pustaka.programs.actions.add_session": "programs.manage_programs",
    "pustaka.programs.actions.update_session": "programs.manage_programs",
    "pustaka.programs.actions.register": "programs.register_patrons",
    "pustaka.programs.actions.cancel_registration": "programs.register_patrons",
    "pustaka.programs.actions.set_attendance": "programs.take_attendance",
    "pustaka.programs.actions.mark_present": "programs.take_attendance",
    "pustaka.programs.actions.send_reminders": "programs.send_reminders",
    "pustaka.reference.actions.ask_question": None,
    "pustaka.reference.actions.assign_helprequest": "reference.answer_questions",
    "pustaka.reference.actions.answer_helprequest": "reference.answer_questions",
    "pustaka.reference.actions.close_helprequest": "reference.answer_questions",
    "pustaka.technical.actions.processing.create_library_profile": "technical.manage_processing_profiles",
    "pustaka.technical.actions.sale.sell_item": "technical.hold_sales",
    "pustaka.technical.actions.sale.sell_items": "technical.hold_sales",
    "pustaka.technical.actions.serials.predict_issues": "technical.check_in_issue",
    "pustaka.technical.actions.serials.mark_late_issues": "technical.check_in_issue",
    "pustaka.technical.actions.supervision.take_work": None,
    "pustaka.technical.actions.supervision.finish_assignment": None,
}


def test_the_writes_that_checked_inside_are_declared_with_their_named_permission():
    """Each is in the registry (so the role-by-role refusals above cover it) with the permission named
    for the work; the ones that check inside have their refusal in their app's checked_inside.py."""
    declared = {a.qualname: a for a in ACTIONS}
    for name, permission in NEWLY_DECLARED.items():
        assert name in declared, name
        assert declared[name].permission == permission, name
        if declared[name].checks_inside:
            assert name in CHECKED_INSIDE, name


@pytest.mark.parametrize("entry", ACTIONS, ids=_ids(ACTIONS))
def test_every_action_has_a_docstring_a_verb_and_a_label(entry):
    assert (entry.func.__doc__ or "").strip()
    assert re.fullmatch(r"[a-z_]+(\.[a-z_]+){1,3}", entry.verb)
    with translation.override("en"):
        for verb, label in entry.verbs.items():
            text = str(label)
            assert text and text != verb and text[0].isupper() and not text.endswith("."), verb
    with translation.override("id"):
        assert str(entry.label) != entry.verb


WITH_PERMISSION = [a for a in ACTIONS if a.permission is not None]
#: The decorator checks these: a patron may do none of them on their own account.
CHECKED_BY_THE_DECORATOR = [a for a in ACTIONS if not a.checks_inside]


@pytest.mark.parametrize("entry", WITH_PERMISSION, ids=_ids(WITH_PERMISSION))
def test_every_declared_permission_exists_and_administrators_hold_it(entry, actors):
    """A permission no other role holds is one only administrators have (fine), but it must exist."""
    from django.contrib.auth.models import Permission

    app_label, codename = entry.permission.split(".", 1)
    assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()
    assert actors[Role.ADMINISTRATOR].has_perm(entry.permission)


# --- The permission half: every action with a permission, every role -----------------------------


@pytest.mark.parametrize("entry", CHECKED_BY_THE_DECORATOR, ids=_ids(CHECKED_BY_THE_DECORATOR))
def test_each_role_may_or_is_refused_and_a_refusal_writes_nothing(entry, actors):
    for role, actor in actors.items():
        expected = may(role, entry.permission)
        assert entry.allows(actor) is expected, f"{role} and {entry.permission}"
        if expected:
            continue
        # The decorator refuses before the body runs, so no other argument is needed.
        refuse(lambda actor=actor: entry.func(actor=actor))


def test_the_system_may_do_every_action():
    assert all(entry.allows(None) for entry in ACTIONS)


# --- The actions that check inside, each with a real refused call ----------------------------------


def _loan(item, patron, branch):
    from pustaka.circulation.models import Loan

    now = timezone.now()
    item.status = "on_loan"
    item.save(update_fields=["status"])
    return Loan.objects.create(
        item=item, patron=patron, branch=branch, checked_out_at=now, due_at=now + datetime.timedelta(days=14)
    )


def _hold(record, patron, branch):
    from pustaka.circulation.models import Hold

    return Hold.objects.create(record=record, patron=patron, pickup_branch=branch, placed_at=timezone.now())


def _other_patron(make_patron):
    from pustaka.core.models import User

    return make_patron("P0002", user=User.objects.create_user(username="other-reader", password="x-password-123"))


def _refuse_token_for_another(f, fn):
    refuse(lambda: fn(user=f["actors"][Role.CIRCULATION], actor=f["actors"][Role.TECHNICIAN]))


def _refuse_revoking_another_token(f, fn):
    from pustaka.core.actions import issue_api_token
    from pustaka.core.models import ApiToken

    issue_api_token(user=f["actors"][Role.CIRCULATION], actor=None)
    token = ApiToken.objects.get(user=f["actors"][Role.CIRCULATION])
    refuse(lambda: fn(token=token, actor=f["actors"][Role.TECHNICIAN]))


def _refuse_pulling_by_circulation(f, fn):
    from pustaka.holdings.choices import Workflow

    refuse(lambda: fn(item=f["item"], to="pulled", actor=f["actors"][Role.CIRCULATION], workflow=Workflow.PULLING))
    assert f["item"].status == "available"


def _refuse_pulling_many_by_circulation(f, fn):
    from pustaka.holdings.choices import Workflow

    refuse(lambda: fn(items=[f["item"]], to="pulled", actor=f["actors"][Role.CIRCULATION], workflow=Workflow.PULLING))


def _refuse_receiving_by_circulation(f, fn):
    ordered = f["make_item"]("B000009", status="on_order")
    refuse(lambda: fn(item=ordered, to="received", actor=f["actors"][Role.CIRCULATION]))


def _refuse_renewal(f, fn):
    loan = _loan(f["item"], f["patron"], f["branch"])
    refuse(lambda: fn(loan=loan, actor=f["actors"][Role.IT_MANAGER]))
    from pustaka.circulation.errors import NotYourAccount

    other = _other_patron(f["make_patron"]).user
    refuse(lambda: fn(loan=loan, actor=other), NotYourAccount)


def _refuse_renewing_all(f, fn):
    _loan(f["item"], f["patron"], f["branch"])
    refuse(lambda: fn(patron=f["patron"], actor=f["actors"][Role.IT_MANAGER]))


def _refuse_placing_a_hold(f, fn):
    from pustaka.circulation.errors import NotYourAccount

    args = {"patron": f["patron"], "record": f["record"], "pickup_branch": f["branch"]}
    refuse(lambda: fn(**args, actor=f["actors"][Role.IT_MANAGER]))
    other = _other_patron(f["make_patron"]).user
    refuse(lambda: fn(**args, actor=other), NotYourAccount)


def _refuse_cancelling_a_hold(f, fn):
    hold = _hold(f["record"], f["patron"], f["branch"])
    refuse(lambda: fn(hold=hold, actor=f["actors"][Role.IT_MANAGER]))


def _refuse_changing_a_hold(f, fn):
    hold = _hold(f["record"], f["patron"], f["branch"])
    refuse(lambda: fn(hold=hold, actor=f["actors"][Role.IT_MANAGER], expires_on=timezone.localdate()))


def _refuse_own_details_for_staff(f, fn):
    from pustaka.circulation.errors import NotYourAccount

    refuse(
        lambda: fn(
            patron=f["patron"],
            actor=f["actors"][Role.LIBRARIAN],
            email="x@example.org",
            phone="",
            address="",
            language="id",
            keep_history=False,
        ),
        NotYourAccount,
    )


def _refuse_own_pin_for_another(f, fn):
    from pustaka.circulation.errors import NotYourAccount

    other = _other_patron(f["make_patron"]).user
    refuse(lambda: fn(patron=f["patron"], actor=other, password="x", pin="4321", pin_again="4321"), NotYourAccount)


#: Every action that declares ``permission=None``, with how a real call is refused.
CHECKED_INSIDE = {
    "pustaka.core.actions.issue_api_token": _refuse_token_for_another,
    "pustaka.core.actions.revoke_api_token": _refuse_revoking_another_token,
    "pustaka.holdings.actions.move_item": _refuse_pulling_by_circulation,
    "pustaka.holdings.actions.move_items": _refuse_pulling_many_by_circulation,
    "pustaka.holdings.actions.change_item_status": _refuse_receiving_by_circulation,
    "pustaka.circulation.actions.lending.renew": _refuse_renewal,
    "pustaka.circulation.actions.lending.renew_all": _refuse_renewing_all,
    "pustaka.circulation.actions.holds.place_hold": _refuse_placing_a_hold,
    "pustaka.circulation.actions.holds.cancel_hold": _refuse_cancelling_a_hold,
    "pustaka.circulation.actions.holds.change_hold": _refuse_changing_a_hold,
    "pustaka.patrons.actions.update_own_details": _refuse_own_details_for_staff,
    "pustaka.patrons.actions.change_own_pin": _refuse_own_pin_for_another,
}


def _apps_checked_inside() -> dict:
    """The refusals each app declares in its own ``tests/checked_inside.py``."""
    import importlib

    found = {}
    for app_label in sorted({a.app_label for a in ACTIONS}):
        try:
            module = importlib.import_module(f"pustaka.{app_label}.tests.checked_inside")
        except ModuleNotFoundError as error:
            if error.name != f"pustaka.{app_label}.tests.checked_inside":
                raise
            continue
        found.update(module.CHECKED_INSIDE)
    return found


CHECKED_INSIDE.update(_apps_checked_inside())
#: Actions only the system performs: they take no ``actor`` at all.
SYSTEM_ONLY = {"pustaka.core.actions.bootstrap_administrator"}

CHECKING_INSIDE = [a for a in ACTIONS if a.checks_inside]


@pytest.mark.parametrize("entry", CHECKING_INSIDE, ids=_ids(CHECKING_INSIDE))
def test_every_action_that_checks_inside_refuses(entry, actors, item, make_item, patron, make_patron, record, branch):
    if entry.qualname in SYSTEM_ONLY:
        import inspect

        assert "actor" not in inspect.signature(entry.func).parameters
        assert "no permission is checked" in entry.func.__doc__
        return
    assert "Permission checked inside" in entry.func.__doc__, "say in the docstring who may and how it is checked"
    assert entry.qualname in CHECKED_INSIDE, f"{entry.qualname} checks no declared permission: add its refusal here"
    fixtures = {
        "actors": actors,
        "item": item,
        "make_item": make_item,
        "patron": patron,
        "make_patron": make_patron,
        "record": record,
        "branch": branch,
    }
    CHECKED_INSIDE[entry.qualname](fixtures, entry.func)


def test_the_table_of_inside_checks_names_only_registered_actions():
    assert set(CHECKED_INSIDE) | SYSTEM_ONLY <= {a.qualname for a in CHECKING_INSIDE}


# --- A representative set of real calls: the body runs for those allowed ---------------------------


def test_a_circulation_clerk_lends_and_a_technician_without_the_desk_in_its_role_would_be_refused(
    actors, item, patron, branch
):
    """The real call: allowed roles get a loan and its audit event; the decorator's refusal is the same
    error a refused role gets from the desk page, and leaves the copy on the shelf."""
    from pustaka.circulation.actions import checkout
    from pustaka.circulation.models import LoanRule

    LoanRule.objects.create(loan_days=14, renewals=2, max_items=5)
    refuse(lambda: checkout(item=item, patron=patron, branch=branch, actor=actors[Role.IT_MANAGER]))
    item.refresh_from_db()
    assert item.status == "available"
    loan = checkout(item=item, patron=patron, branch=branch, actor=actors[Role.CIRCULATION])
    assert AuditEvent.objects.filter(verb=checkout.verb, object_id=str(loan.pk)).exists()


def test_a_refused_catalogue_edit_keeps_the_record(actors, record):
    from pustaka.catalog.actions import update_record

    refuse(lambda: update_record(record=record, actor=actors[Role.CIRCULATION], title="Judul lain"))
    record.refresh_from_db()
    assert record.title == "Pemrograman Python"
    update_record(record=record, actor=actors[Role.LIBRARIAN], title="Judul lain")
    record.refresh_from_db()
    assert record.title == "Judul lain"


def test_a_refused_block_leaves_the_patron_free_to_borrow(actors, patron):
    from pustaka.patrons.actions import block_patron

    refuse(lambda: block_patron(patron=patron, actor=actors[Role.TECHNICIAN], reason="Buku rusak"))
    assert not patron.blocks.exists()
    block_patron(patron=patron, actor=actors[Role.LIBRARIAN], reason="Buku rusak")
    assert patron.blocks.exists()


def test_a_failure_inside_an_action_leaves_nothing(actors, record, make_item, branch, item_type):
    """The body runs in one transaction: a copy with a barcode already taken is not half-made."""
    from pustaka.holdings.actions import create_item

    make_item("B000100")
    with pytest.raises(PustakaError):
        create_item(record=record, barcode="b000100", branch=branch, item_type=item_type, actor=actors[Role.LIBRARIAN])
    assert not AuditEvent.objects.filter(verb=create_item.verb).exists()


# --- Every audit verb in the code has a label --------------------------------------------------------

ROOT = Path(registry.__file__).resolve().parents[1]
VERB = r'"([a-z_]+(?:\.[a-z_]+){1,3})"'


def verbs_in_the_code() -> set[str]:
    """The verbs passed to ``audit(...)`` and ``build(...)``, and those named in transition tables."""
    found = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"\b(?:audit|build|build_audit)\(\s*[^,()]+,\s*" + VERB, text))
        found |= set(re.findall(r"\bverb\s*=\s*" + VERB, text))
        found |= set(re.findall(r'\b(?:audit|build)\(\s*[^,()]+,\s*"[^"]+" if [^"]+ else ' + VERB, text))
        found |= set(re.findall(r"\b(?:audit|build)\(\s*[^,()]+,\s*" + VERB + r" if ", text))
    return {verb for verb in found if not verb.endswith("_")}


def test_the_verb_scan_finds_verbs_of_every_kind():
    verbs = verbs_in_the_code()
    assert {"core.branch.create", "circulation.notice.fail", "circulation.notice.send", "patrons.import"} <= verbs


def test_every_audit_verb_in_the_code_has_a_label():
    labels = registry.labels()
    assert sorted(verbs_in_the_code() - set(labels)) == []
