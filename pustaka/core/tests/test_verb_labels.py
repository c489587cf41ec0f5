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


#: Verbs whose labels lived in core until their actions were declared (technical services, programs,
#: questions): old audit rows keep these verbs, so their history must still read in words.
FORMERLY_UNDECLARED = {
    "maintenance.processing.profile_create": "Processing profile created",
    "maintenance.supervision.take": "Work taken",
    "maintenance.supervision.finish": "Work finished",
    "maintenance.sale.sell": "Sale recorded",
    "maintenance.serials.predict": "Issues predicted",
    "maintenance.serials.mark_late": "Issues marked late",
    "programs.attendance.mark": "Attendance marked",
    "programs.attendance.take": "Attendance taken",
    "programs.help.answer": "Question answered",
    "programs.help.ask": "Question asked",
    "programs.help.assign": "Question assigned",
    "programs.help.close": "Question closed",
    "programs.program.create": "Program created",
    "programs.program.update": "Program changed",
    "programs.registration.cancel": "Registration cancelled",
    "programs.registration.create": "Registered for a program",
    "programs.registration.promote": "Moved up from the waiting list",
    "programs.reminders.send": "Reminders sent",
    "programs.session.create": "Session added",
    "programs.session.update": "Session changed",
}


@pytest.mark.parametrize("verb", sorted(FORMERLY_UNDECLARED))
def test_verbs_once_labelled_in_core_are_named_by_their_actions_in_both_languages(verb):
    from pustaka.core.registry import by_verb

    assert by_verb(verb), f"no action writes {verb}"
    with translation.override("en"):
        assert verb_label(verb) == FORMERLY_UNDECLARED[verb]
    with translation.override("id"):
        assert verb_label(verb) not in (verb, FORMERLY_UNDECLARED[verb])


def test_an_old_audit_row_of_a_formerly_undeclared_verb_reads_in_words_on_the_history_page(client, administrator):
    from django.urls import reverse

    from pustaka.core.models import AuditEvent

    AuditEvent.objects.create(verb="programs.help.ask", object_repr="Where are the atlases?")  # an old row
    client.force_login(administrator)
    response = client.get(reverse("core:audit_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Question asked" in response.content.decode()
