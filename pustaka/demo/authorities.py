"""Demo library part: authority records linked to the demo's records.

The Indonesian subject headings come from the sample list shipped in ``data/tajuk-subjek-contoh.txt``
(the layout of the national library's Daftar Tajuk Subjek), imported through
:func:`pustaka.authorities.actions.import_subject_list`; authors and a ministry are created with their
see-from forms through :func:`pustaka.authorities.actions.create_authority`. Each links the records that
use its heading or a see-from form, so "Novel remaja" records show the authorised "Fiksi remaja" and a
search for "Pramoedya Ananta Toer" finds "Toer, Pramoedya Ananta". A duplicate entered by mistake
("Tere Liye") is merged into the authorised "Liye, Tere", as a librarian would.
"""

from pathlib import Path

from pustaka.authorities import actions

SUBJECT_LIST = Path(__file__).parent / "data" / "tajuk-subjek-contoh.txt"

#: (kind, heading, dates, see-from forms)
NAMES = [
    ("personal", "Toer, Pramoedya Ananta", "1925-2006", ["Pramoedya Ananta Toer", "Pram"]),
    ("personal", "Hirata, Andrea", "1967-", ["Andrea Hirata", "Hirata Seman Said Harun, Andrea"]),
    ("personal", "Liye, Tere", "1979-", ["Darwis"]),
    ("personal", "Lestari, Dewi", "1976-", ["Dee Lestari", "Dee"]),
    ("personal", "Shihab, M. Quraish", "1944-", ["Muhammad Quraish Shihab", "Quraish Shihab"]),
    ("corporate", "Indonesia. Kementerian Kesehatan", "", ["Kementerian Kesehatan Republik Indonesia", "Kemenkes RI"]),
]


def load_authorities(demo) -> None:
    """Import the sample subject list, create the name authorities, merge one duplicate."""
    report = actions.import_subject_list(
        actor=demo.actor, data=SUBJECT_LIST.read_bytes(), filename=SUBJECT_LIST.name, source="DTSPN"
    )
    made = {}
    for kind, heading, dates, variants in NAMES:
        made[heading] = actions.create_authority(
            actor=demo.actor, kind=kind, heading=heading, dates=dates, source="local", variants=variants
        )
    duplicate = actions.create_authority(actor=demo.actor, kind="personal", heading="Tere Liye", source="local")
    actions.merge_authorities(actor=demo.actor, winner=made["Liye, Tere"], loser=duplicate)
    from pustaka.authorities.models import AuthorityLink

    demo.say(
        f"Authorities: {report.created + len(NAMES)} (subject list: {report.created} headings, "
        f"{len(report.rejected)} rejected lines); {AuthorityLink.objects.count()} record headings linked."
    )
