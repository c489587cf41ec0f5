"""The state-machine table itself (core/transitions.py): what a table accepts, and how a move is checked."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models

from pustaka.core.errors import Conflict, PermissionDenied, TransitionNotAllowed
from pustaka.core.transitions import MACHINES, StateMachine, Transition


class Colour(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"


def _machine(name, rows, **options):
    machine = StateMachine(f"tests.{name}", Colour, rows, **options)
    MACHINES.pop(machine.model.lower())  # keep the registry to the real tables
    return machine


def _thing(status):
    return SimpleNamespace(status=status, pk=None)


TABLE = [
    Transition(Colour.RED, Colour.GREEN, "holdings.withdraw_item", "tests.go"),
    Transition(Colour.GREEN, Colour.RED, "holdings.withdraw_item", "tests.stop", patrons=True),
    Transition(Colour.GREEN, Colour.BLUE, "", "tests.follow"),
]


def test_a_move_listed_twice_or_naming_an_unknown_status_is_a_mistake_in_the_table():
    with pytest.raises(ValueError, match="listed twice"):
        _machine("Twice", [TABLE[0], Transition(Colour.RED, Colour.GREEN, "x.y", "tests.again")])
    with pytest.raises(ValueError, match="unknown status"):
        _machine("Unknown", [Transition(Colour.RED, "purple", "x.y", "tests.paint")])


def test_the_table_answers_where_a_move_comes_from_and_what_is_final():
    machine = _machine("Lights", TABLE)
    assert machine.sources("tests.go") == (Colour.RED,)
    assert machine.targets(Colour.GREEN) == [Colour.RED, Colour.BLUE]
    assert machine.final == (Colour.BLUE,)
    assert machine.verbs == ("tests.go", "tests.stop", "tests.follow")


def test_a_listed_move_sets_the_status_and_returns_its_row():
    machine = _machine("Lights", TABLE)
    thing = _thing(Colour.RED)
    rule = machine.move(thing, to=Colour.GREEN, actor=None)
    assert (thing.status, rule.verb) == (Colour.GREEN, "tests.go")


def test_an_unlisted_move_is_refused_in_words_or_with_the_actions_own_error_and_changes_nothing():
    machine = _machine("Lights", TABLE)
    thing = _thing(Colour.BLUE)
    with pytest.raises(TransitionNotAllowed) as refused:
        machine.move(thing, to=Colour.RED, actor=None)
    assert str(refused.value) == "tests.Lights cannot go from “Blue” to “Red”."
    with pytest.raises(Conflict, match="already blue"):
        machine.move(thing, to=Colour.RED, actor=None, refused=lambda: Conflict("It is already blue."))
    assert thing.status == Colour.BLUE


@pytest.mark.django_db
def test_the_permission_of_the_row_is_required_and_patrons_pass_only_where_the_row_says(
    circulation, librarian, patron_user
):
    machine = _machine("Lights", TABLE)
    with pytest.raises(PermissionDenied):
        machine.move(_thing(Colour.RED), to=Colour.GREEN, actor=circulation)
    with pytest.raises(PermissionDenied):  # staff need the permission even on a move patrons may make
        machine.move(_thing(Colour.GREEN), to=Colour.RED, actor=circulation)
    with pytest.raises(PermissionDenied):  # a patron only where the row says so
        machine.move(_thing(Colour.RED), to=Colour.GREEN, actor=patron_user)
    with pytest.raises(PermissionDenied):  # and never someone who is not signed in
        machine.move(_thing(Colour.GREEN), to=Colour.RED, actor=AnonymousUser())

    assert machine.move(_thing(Colour.GREEN), to=Colour.RED, actor=patron_user).verb == "tests.stop"
    assert machine.move(_thing(Colour.RED), to=Colour.GREEN, actor=librarian).verb == "tests.go"
    assert machine.move(_thing(Colour.GREEN), to=Colour.BLUE, actor=circulation).verb == "tests.follow"


def test_a_table_whose_moves_need_more_than_a_status_refuses_the_plain_move():
    machine = _machine("Copies", TABLE, via="pustaka.holdings.actions.move_item")
    with pytest.raises(TypeError, match="move_item"):
        machine.move(_thing(Colour.RED), to=Colour.GREEN, actor=None)
    assert machine.find(Colour.RED, Colour.GREEN) is TABLE[0]


def test_a_move_asked_for_by_verb_must_be_that_actions_own():
    rows = [*TABLE, Transition(Colour.BLUE, Colour.GREEN, "", "tests.repaint")]
    machine = _machine("Paint", rows)
    thing = _thing(Colour.BLUE)
    with pytest.raises(TransitionNotAllowed):  # blue -> green is listed, but as another action's move
        machine.move(thing, to=Colour.GREEN, actor=None, verb="tests.go")
    assert thing.status == Colour.BLUE
    assert machine.move(thing, to=Colour.GREEN, actor=None, verb="tests.repaint").verb == "tests.repaint"


def _every_table():
    from pustaka.core import registry

    registry.discover()  # imports every app's actions, and so their tables
    return {label: machine for label, machine in MACHINES.items() if not label.startswith("tests.")}


def test_every_status_table_belongs_to_a_model_whose_status_field_has_the_tables_choices():
    from django.apps import apps

    tables = _every_table()
    assert len(tables) >= 11  # items, registrations, help requests, holds and seven technical-services tables
    for label, machine in tables.items():
        field = apps.get_model(label)._meta.get_field(machine.field)
        assert list(field.choices) == list(machine.choices.choices), label


def test_every_verb_of_every_status_table_has_a_label_for_the_history_pages():
    from pustaka.core import registry

    tables = _every_table()
    verbs = {rule.verb for machine in tables.values() for rule in machine.transitions}
    assert sorted(verbs - set(registry.labels())) == []


@pytest.mark.django_db
def test_every_permission_a_status_table_names_exists_and_some_role_holds_it():
    from django.contrib.auth.models import Group, Permission

    named = {rule.permission for machine in _every_table().values() for rule in machine.transitions if rule.permission}
    held = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(group__in=Group.objects.all()).values_list(
            "content_type__app_label", "codename"
        )
    }
    assert sorted(named - held) == []
