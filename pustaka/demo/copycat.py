"""Demo library part: the remote catalogues copy cataloguing searches, added through
:func:`pustaka.copycat.actions.create_target`.

The Library of Congress answers SRU and Z39.50 at ``lx2.loc.gov:210/LCDB`` (both switched on). The
national library's catalogue (``opac.perpusnas.go.id``) is listed as Z39.50 on the usual port, as best
known, but switched off: whether it offers Z39.50 or SRU there could not be confirmed, so a librarian
checks it before searching it. Another Pustaka (any Pustaka answers SRU at ``/sru``) or a SLiMS server is the
example of a neighbouring library, also switched off until its real address is filled in.
"""

from pustaka.copycat import actions

TARGETS = [
    {
        "name": "Library of Congress (SRU)",
        "protocol": "sru",
        "base_url": "http://lx2.loc.gov:210/LCDB",
        "schema": "marcxml",
        "timeout": 10,
        "priority": 1,
        "note": "MARC 21 records of the Library of Congress over SRU (CQL).",
    },
    {
        "name": "Library of Congress (Z39.50)",
        "protocol": "z3950",
        "host": "lx2.loc.gov",
        "port": 210,
        "database": "LCDB",
        "record_syntax": "usmarc",
        "timeout": 10,
        "priority": 2,
        "note": "The same catalogue over Z39.50.",
    },
    {
        "name": "Perpustakaan Nasional RI",
        "protocol": "z3950",
        "host": "opac.perpusnas.go.id",
        "port": 210,
        "database": "",
        "timeout": 10,
        "priority": 3,
        "enabled": False,
        "note": "Protocol and port as best known, not confirmed: check that it answers before switching it on.",
    },
    {
        "name": "Perpustakaan tetangga (Pustaka/SLiMS)",
        "protocol": "sru",
        "base_url": "http://perpustakaan-tetangga.example.org/sru",
        "schema": "marcxml",
        "timeout": 10,
        "priority": 5,
        "enabled": False,
        "note": "Example: another Pustaka answers SRU at /sru; for a SLiMS server give its SRU address.",
    },
]


def load_copy_targets(demo) -> None:
    """The remote catalogues of copy cataloguing: the Library of Congress, the national library, a neighbour."""
    for data in TARGETS:
        actions.create_target(actor=demo.actor, **data)
    demo.say(f"Copy cataloguing: {len(TARGETS)} remote catalogues ({sum(t.get('enabled', True) for t in TARGETS)} on).")
