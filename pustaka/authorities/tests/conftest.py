"""Fixtures of the authority tests: records that write the same names and subjects in different forms."""

import pytest


@pytest.fixture
def make_record(db):
    from pustaka.catalog.models import Record

    def make(title, *, names=(), subjects=(), language="ind"):
        return Record.objects.create(
            title=title,
            contributors=[{"name": name, "role": "author"} for name in names],
            subjects=list(subjects),
            language=language,
        )

    return make


@pytest.fixture
def novels(make_record):
    """Four novels: two say "Fiksi Indonesia", one the variant "Novel Indonesia", one has subdivisions."""
    return {
        "bumi": make_record("Bumi manusia", names=["Toer, Pramoedya Ananta"], subjects=["Fiksi Indonesia"]),
        "anak": make_record("Anak semua bangsa", names=["Pramoedya Ananta Toer"], subjects=["Novel Indonesia"]),
        "laskar": make_record(
            "Laskar pelangi", names=["Hirata, Andrea"], subjects=["Fiksi Indonesia", "Pendidikan -- Belitung -- Fiksi"]
        ),
        "ronggeng": make_record("Ronggeng Dukuh Paruk", names=["Tohari, Ahmad"], subjects=["Cerita rekaan Indonesia"]),
    }


def links_of(authority):
    return sorted(authority.links.values_list("record__title", "heading"))
