"""Search: a see-from form finds the linked records, facets show the authorised form, and a merge or an
edit reaches the index through the change log."""

import pytest

from pustaka.authorities import actions
from pustaka.search import SearchQuery, engine, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(settings, tmp_path):
    settings.PUSTAKA_INDEX_DIR = tmp_path / "index"
    return settings.PUSTAKA_INDEX_DIR


def found(text: str) -> set[int]:
    return set(search(SearchQuery(text=text, limit=50)).ids)


def subject_facets(text: str) -> dict:
    return dict(search(SearchQuery(text=text, limit=50)).facets.get("subject", []))


def test_a_see_from_form_finds_the_linked_records(index, librarian, novels):
    actions.create_authority(
        actor=librarian, kind="personal", heading="Toer, Pramoedya Ananta", variants=["Pram", "Pramoedya Ananta Toer"]
    )
    actions.create_authority(actor=librarian, kind="topical", heading="Pendidikan", variants=["Edukasi"])
    engine.rebuild()
    assert found("Pram") == {novels["bumi"].pk, novels["anak"].pk}
    assert found("edukasi") == {novels["laskar"].pk}
    assert found("Ahmad Tohari") == {novels["ronggeng"].pk}  # unlinked records are found as before


def test_facets_show_the_authorised_form(index, librarian, novels):
    actions.create_authority(
        actor=librarian,
        kind="topical",
        heading="Fiksi Indonesia",
        variants=["Novel Indonesia", "Cerita rekaan Indonesia"],
    )
    engine.rebuild()
    facets = subject_facets("Indonesia")
    assert facets.get("Fiksi Indonesia") == 4
    assert "Novel Indonesia" not in facets and "Cerita rekaan Indonesia" not in facets


def test_after_a_merge_the_indexer_refreshes_the_relinked_records(index, librarian, novels):
    winner = actions.create_authority(actor=librarian, kind="topical", heading="Fiksi Indonesia")
    loser = actions.create_authority(
        actor=librarian, kind="topical", heading="Roman Indonesia", variants=["Cerita rekaan Indonesia"]
    )
    engine.rebuild()
    assert found("Roman") == {novels["ronggeng"].pk}
    actions.merge_authorities(actor=librarian, winner=winner, loser=loser)
    engine.apply_changes()
    # The loser's heading is now a see-from of "Fiksi Indonesia": it finds every linked record.
    assert found("Roman") == {novels["bumi"].pk, novels["laskar"].pk, novels["ronggeng"].pk}
    assert subject_facets("Roman").get("Fiksi Indonesia") == 3


def test_the_opac_record_page_shows_the_authorised_subject_with_its_subdivisions(client, librarian, novels):
    actions.create_authority(actor=librarian, kind="topical", heading="Pendidikan", variants=["Edukasi"])
    actions.create_authority(
        actor=librarian, kind="personal", heading="Toer, Pramoedya Ananta", variants=["Pramoedya Ananta Toer"]
    )
    page = client.get(f"/record/{novels['laskar'].pk}/").content.decode()
    assert "Pendidikan -- Belitung -- Fiksi" in page
    page = client.get(f"/record/{novels['anak'].pk}/").content.decode()
    assert "Toer, Pramoedya Ananta" in page
