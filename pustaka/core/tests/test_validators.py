"""The checks every action shares (``core/validators.py``): text is trimmed and refused when blank, too
long or unstorable, in the action's own error and words; amounts read as people type them, to the sen,
within the action's bounds."""

from decimal import Decimal

import pytest
from django.utils import translation

from pustaka.core.errors import AmountNotUnderstood, ValidationFailed
from pustaka.core.validators import BAD_CHARACTERS, TOO_LONG, clean_amount, clean_text


class ShelfRefused(ValidationFailed):
    code = "shelf_refused"
    message = "The shelf says no."


def test_text_is_trimmed_and_spaces_inside_are_joined_when_asked():
    assert clean_text("  Ruang baca  ", field="room", max_length=20) == "Ruang baca"
    assert clean_text(" Ruang \t  baca\n", field="room", max_length=20, squeeze=True) == "Ruang baca"
    assert clean_text(None, field="room", max_length=20) == ""


@pytest.mark.parametrize(
    ("value", "required", "words"),
    [
        ("", True, "Room is required."),
        ("x" * 21, False, "Room: at most 20 characters."),
        ("Ruang\x00baca", False, "Room contains characters that cannot be stored."),
    ],
)
def test_bad_text_is_refused_naming_the_field_in_the_default_words(value, required, words):
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        clean_text(value, field="room", label="Room", max_length=20, required=required)
    assert refused.value.field == "room"
    assert str(refused.value) == words


def test_an_action_keeps_its_own_error_type_and_words():
    with pytest.raises(ShelfRefused) as refused:
        clean_text("x" * 6, field="shelf", label="Shelf", max_length=5, error=ShelfRefused)
    assert refused.value.code == "shelf_refused"
    with pytest.raises(ShelfRefused) as refused:
        clean_text("x" * 6, field="shelf", max_length=5, error=ShelfRefused, words={TOO_LONG: "%(max)s at most."})
    assert str(refused.value) == "5 at most."
    with pytest.raises(ShelfRefused) as refused:
        clean_text("a\x00", field="shelf", max_length=5, error={BAD_CHARACTERS: ShelfRefused})
    assert str(refused.value) == "The shelf says no."


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("5.000,50", "5000.50"), ("5,000.50", "5000.50"), ("Rp 5.000,-", "5000.00"), (2500, "2500.00")],
)
def test_amounts_are_read_as_people_type_them_to_the_sen(typed, amount):
    assert clean_amount(typed, field="cost", label="Cost", error=ShelfRefused) == Decimal(amount)


def test_amounts_outside_the_bounds_or_unreadable_are_refused_in_the_actions_error():
    with pytest.raises(ShelfRefused) as refused:
        clean_amount("-1", field="cost", label="Cost", error=ShelfRefused, at_least=0)
    assert refused.value.field == "cost"
    with pytest.raises(ShelfRefused):
        clean_amount("100", field="cost", label="Cost", error=ShelfRefused, at_most=Decimal("99.99"))
    with pytest.raises(ShelfRefused):
        clean_amount("NaN", field="cost", label="Cost", error=ShelfRefused)
    with translation.override("en"), pytest.raises(AmountNotUnderstood) as refused:
        clean_amount("5.00.0", field="cost", label="Cost", error=AmountNotUnderstood)
    assert str(refused.value).startswith("Cost: “5.00.0” is not an amount")


def test_an_empty_amount_stands_for_what_the_action_says():
    assert clean_amount("", field="cost", label="Cost", error=ShelfRefused, blank=0) == Decimal("0.00")
    with pytest.raises(ShelfRefused):
        clean_amount("", field="cost", label="Cost", error=ShelfRefused)
