"""History pages name every audited change in words: each verb the code writes has a label."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from pustaka.core.registry import labels, verb_label
from pustaka.holdings.transitions import TRANSITIONS

TECHNICAL_DIR = Path(__file__).resolve().parents[2] / "technical"
VERB = r"maintenance(?:\.[a-z_]+){2,3}"


def maintenance_verbs() -> set[str]:
    """Every verb written in pustaka/technical (its actions and transitions tables), including the ones
    built from two parts:
    ``f"maintenance.supervision.{'approve' if ... else 'send_back'}"`` and
    ``"maintenance.processing.step_" + ("enable" if ... else "disable")``."""
    verbs = set()
    for path in sorted(TECHNICAL_DIR.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        verbs |= set(re.findall(rf'"({VERB})"(?!\s*\+)', source))
        for prefix, choice in re.findall(r'f"(maintenance\.[a-z_.]+)\{([^}]*)\}"', source):
            verbs |= {prefix + word for word in re.findall(r"'([a-z_]+)'", choice)}
        for prefix, choice in re.findall(r'"(maintenance\.[a-z_.]+)"\s*\+\s*\(([^)]*)\)', source):
            verbs |= {prefix + word for word in re.findall(r'"([a-z_]+)"', choice)}
    return verbs


def test_the_verb_scan_finds_the_actions_verbs_including_the_ones_built_from_parts():
    verbs = maintenance_verbs()
    assert len(verbs) > 40
    assert {
        "maintenance.repair.open",
        "maintenance.bindery.vendor.create",
        "maintenance.supervision.approve",
        "maintenance.supervision.send_back",
        "maintenance.processing.step_enable",
        "maintenance.processing.step_disable",
    } <= verbs
    assert "maintenance.processing.step_" not in verbs


@pytest.mark.parametrize("verb", sorted({t.verb for t in TRANSITIONS}))
def test_every_item_move_in_the_lifecycle_table_has_a_label(verb):
    assert verb in labels()
    assert verb_label(verb) != verb


@pytest.mark.parametrize("verb", sorted(maintenance_verbs()))
def test_every_technical_services_verb_has_a_label(verb):
    assert verb in labels()
    assert verb_label(verb) != verb


def test_labels_are_short_capitalised_phrases_without_a_full_stop():
    with translation.override("en"):
        texts = {verb: str(label) for verb, label in labels().items()}
    for verb, text in texts.items():
        assert text[0].isupper() and not text.endswith("."), verb
        assert len(text) <= 40, verb
