"""The demo's remote catalogues: the Library of Congress over SRU and Z39.50 switched on, the national
library and a neighbouring Pustaka/SLiMS listed but switched off (never searched from the tests)."""

import io

import pytest

from pustaka.copycat.models import Target
from pustaka.demo.copycat import load_copy_targets

pytestmark = pytest.mark.django_db


class _Demo:
    def __init__(self, actor):
        self.actor, self.out = actor, io.StringIO()

    def say(self, text):
        self.out.write(text + "\n")


def test_the_demo_lists_the_library_of_congress_the_national_library_and_a_neighbour(administrator):
    demo = _Demo(administrator)
    load_copy_targets(demo)
    rows = {t.name: (t.protocol, t.address, t.enabled) for t in Target.objects.all()}
    assert rows == {
        "Library of Congress (SRU)": ("sru", "http://lx2.loc.gov:210/LCDB", True),
        "Library of Congress (Z39.50)": ("z3950", "lx2.loc.gov:210/LCDB", True),
        "Perpustakaan Nasional RI": ("z3950", "opac.perpusnas.go.id:210", False),
        "Perpustakaan tetangga (Pustaka/SLiMS)": ("sru", "http://perpustakaan-tetangga.example.org/sru", False),
    }
    assert "4 remote catalogues (2 on)" in demo.out.getvalue()
