"""Demo library part: clearance letters (surat bebas pustaka) in the year of history.

Four students who graduated or moved away this year (cards D0031 to D0034, enrolled through
``patrons.create_patron``; the other demo patrons still have loans) came for their letter, each
issued through :func:`pustaka.clearance.actions.issue_clearance` on that day, so the numbers run
001/BP/<year>, 002/BP/<year>, ... in date order: the graduates' letters block further loans, the
transfer's does not, and one letter written with the wrong details was revoked and issued again.
A letter of a past year is numbered from 001 in that year.
"""

import datetime

from django.utils import timezone

from pustaka.clearance import actions, queries
from pustaka.patrons import actions as patron_actions

#: (card, first name, last name, branch, days ago, purpose, details, blocks loans, revoked as an error)
LETTERS = [
    (
        "D0031",
        "Nadia",
        "Putri Anjani",
        "MAIN",
        120,
        "graduation",
        "S1 Ilmu Perpustakaan, Universitas Indonesia",
        True,
        False,
    ),
    ("D0032", "Raka", "Aditya", "NORTH", 75, "transfer", "Pindah ke SMA Negeri 1 Bandung", False, True),
    ("D0032", "Raka", "Aditya", "NORTH", 74, "transfer", "Pindah ke SMA Negeri 3 Bandung", False, False),
    ("D0033", "Salsabila", "Zahra", "MAIN", 40, "graduation", "D3 Perpustakaan, Universitas Terbuka", True, False),
    ("D0034", "Bima", "Prakoso", "NORTH", 12, "graduation", "Lulus SMK Bina Karya", True, False),
]


def _student(demo, card, first_name, last_name, branch):
    if card not in demo.patrons:
        demo.patrons[card] = patron_actions.create_patron(
            actor=demo.actor,
            card_number=card,
            first_name=first_name,
            last_name=last_name,
            category=demo.patron_categories.get("STUDENT") or "STUDENT",
            home_branch=demo.branches[branch],
        )
    return demo.patrons[card]


def load_clearances(demo) -> None:
    """Enrol the leaving students and issue their clearance letters."""
    if "STUDENT" not in demo.patron_categories:
        demo.say("Clearance letters: no student category, none issued.")
        return
    issued = []
    now = timezone.now()
    for card, first, last, branch, days_ago, purpose, note, blocks, revoke in LETTERS:
        patron = _student(demo, card, first, last, branch)
        if queries.blockers(patron):
            continue
        letter = actions.issue_clearance(
            actor=demo.actor,
            patron=patron,
            purpose=purpose,
            purpose_note=note,
            blocks_loans=blocks,
            now=now - datetime.timedelta(days=days_ago),
        )
        if revoke:
            actions.revoke_clearance(
                actor=demo.actor, letter=letter, reason="Salah tulis nama sekolah; diganti surat baru."
            )
        issued.append(letter.number)
    demo.say(f"Clearance letters: {len(issued)} issued ({', '.join(issued) or 'none'}).")
