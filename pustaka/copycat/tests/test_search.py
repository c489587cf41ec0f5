"""Searching remote catalogues: a second Pustaka's /sru (SRU, CQL) and a local Zebra (Z39.50), never the
internet. By ISBN (either form), title and author, keywords; a MARC-8 record comes out as UTF-8; the
cover link a record carries; a catalogue that hangs or is down is named in its message while the
others answer; local duplicates beside each result."""

import time

import pytest

from pustaka.catalog import actions as catalog_actions
from pustaka.copycat import errors, queries
from pustaka.copycat.clients import Terms, cql, pqf
from pustaka.copycat.models import Target

from .conftest import COVER, LOOM, MONK, SHADOWINGS_MARC8

pytestmark = pytest.mark.django_db


def by_name(answers):
    return {answer.name: answer for answer in answers}


@pytest.mark.parametrize("isbn", [LOOM[1], LOOM[0], "978-0-8369-3272-0"])
def test_an_isbn_finds_the_record_over_sru_and_z3950_with_its_cover(sru_target, z3950_target, isbn):
    answers = by_name(queries.search([sru_target, z3950_target], Terms(isbn=isbn)))
    for name in ("Remote Pustaka", "Local Zebra"):
        answer = answers[name]
        assert answer.error is None, answer.error
        assert answer.hits == 1
        (found,) = answer.records
        assert found.title == "The loom of destiny"
        assert found.author.startswith("Stringer, Arthur")
        assert LOOM[1] in found.columns["isbns"]
        assert found.cover_url == COVER
        assert found.token


def test_a_title_and_an_author_find_the_record_in_both_catalogues(sru_target, z3950_target):
    answers = by_name(queries.search([sru_target, z3950_target], Terms(title="monk dancer", author="Smith")))
    for answer in answers.values():
        assert answer.error is None, answer.error
        assert [r.title for r in answer.records] == ["The monk and the dancer"]
        assert answer.records[0].isbn == MONK[1]
        assert answer.records[0].cover_url == ""
    nobody = by_name(queries.search([sru_target, z3950_target], Terms(title="monk dancer", author="Stringer")))
    assert all(answer.hits == 0 and not answer.records for answer in nobody.values())


def test_keywords_search_every_field(sru_target, z3950_target):
    answers = by_name(queries.search([sru_target, z3950_target], Terms(keywords="television advertising")))
    for answer in answers.values():
        assert answer.error is None, answer.error
        assert [r.isbn for r in answer.records] == ["9780965406338"]


def test_a_marc8_record_from_z3950_is_read_as_utf8(z3950_target):
    (answer,) = queries.search([z3950_target], Terms(isbn=SHADOWINGS_MARC8[0]))
    (found,) = answer.records
    assert found.title == "Shadowings"
    assert found.author.startswith("Hearn, Lafcadio")
    assert found.raw[9:10] == b"a"  # the leader says UTF-8 now
    assert "Sémi (Cicadae)".encode() in found.raw
    assert b"\xe2emi" not in found.raw  # no MARC-8 combining acute left


def test_a_hung_catalogue_times_out_by_name_while_the_others_answer(sru_target, z3950_target, silent_server):
    hung_sru = Target.objects.create(
        name="Hung SRU", protocol="sru", base_url=f"http://127.0.0.1:{silent_server}/sru", timeout=1
    )
    hung_z = Target.objects.create(
        name="Hung Z39.50", protocol="z3950", host="127.0.0.1", port=silent_server, timeout=1
    )
    started = time.monotonic()
    answers = by_name(queries.search([hung_sru, sru_target, hung_z, z3950_target], Terms(isbn=MONK[1])))
    elapsed = time.monotonic() - started
    for name in ("Hung SRU", "Hung Z39.50"):
        assert isinstance(answers[name].error, errors.TargetTimeout)
        assert answers[name].error.text == f"{name} did not answer within 1 second."
        assert answers[name].records == []
    for name in ("Remote Pustaka", "Local Zebra"):
        assert answers[name].error is None and answers[name].records[0].title == "The monk and the dancer"
    assert elapsed < 12  # in parallel: far less than one timeout after another would take on a busy machine


def test_a_catalogue_that_is_down_is_named_and_the_others_still_answer(z3950_target, closed_port):
    down_sru = Target.objects.create(name="Closed SRU", protocol="sru", base_url=f"http://127.0.0.1:{closed_port}/sru")
    down_z = Target.objects.create(name="Closed Z39.50", protocol="z3950", host="127.0.0.1", port=closed_port)
    answers = by_name(queries.search([down_sru, down_z, z3950_target], Terms(isbn=LOOM[1])))
    for name in ("Closed SRU", "Closed Z39.50"):
        assert isinstance(answers[name].error, errors.TargetUnreachable)
        assert answers[name].error.text.startswith(f"{name} cannot be reached")
    assert answers["Local Zebra"].records[0].title == "The loom of destiny"


def test_a_server_that_is_not_sru_is_named_with_the_reason(remote_sru, db):
    not_sru = Target.objects.create(name="Health page", protocol="sru", base_url=remote_sru.replace("/sru", "/health"))
    (answer,) = queries.search([not_sru], Terms(isbn=LOOM[1]))
    assert isinstance(answer.error, errors.TargetRefused)
    assert answer.error.text.startswith("Health page answered with an error: the answer is not")


def test_the_failure_message_is_in_the_searchers_language(db, closed_port):
    from django.utils import translation

    down = Target.objects.create(name="Tutup", protocol="sru", base_url=f"http://127.0.0.1:{closed_port}/sru")
    with translation.override("id"):
        (answer,) = queries.search([down], Terms(isbn=LOOM[1]))
        assert answer.error.text == (
            "Tutup tidak dapat dihubungi (sambungan ditolak). Periksa alamatnya, atau coba lagi nanti."
        )
    (answer,) = queries.search([down], Terms(isbn=LOOM[1]))
    assert answer.error.text == (
        "Tutup cannot be reached (the connection was refused). Check its address, or try again later."
    )


@pytest.mark.parametrize(
    ("terms", "error"),
    [
        (Terms(), errors.NothingToSearch),
        (Terms(isbn="   "), errors.NothingToSearch),
        (Terms(isbn="9780836932723"), errors.InvalidIsbn),
    ],
)
def test_an_empty_search_or_a_wrong_isbn_is_refused_before_any_catalogue_is_asked(db, terms, error, closed_port):
    target = Target.objects.create(name="Never asked", protocol="sru", base_url=f"http://127.0.0.1:{closed_port}/")
    with pytest.raises(error):
        queries.search([target], terms)


def test_the_queries_sent_are_cql_and_pqf():
    terms = Terms(isbn=LOOM[1], title='loom "destiny"', author="Stringer")
    assert cql(terms) == (
        '(bath.isbn = "9780836932720" or bath.isbn = "0836932722") and dc.title all "loom \\"destiny\\"" '
        'and dc.creator all "Stringer"'
    )
    assert pqf(Terms(isbn=LOOM[1])) == '@or @attr 1=7 "9780836932720" @attr 1=7 "0836932722"'
    assert pqf(Terms(keywords="loom destiny")) == '@and @attr 1=1016 "loom" @attr 1=1016 "destiny"'


def test_local_duplicates_by_isbn_or_by_title_are_shown_beside_each_result(
    sru_target, z3950_target, librarian, django_assert_max_num_queries
):
    same_isbn = catalog_actions.create_record(actor=librarian, title="Loom of destiny (old entry)", isbn=LOOM[0])
    same_title = catalog_actions.create_record(actor=librarian, title="THE MONK AND  the dancer,")
    catalog_actions.create_record(actor=librarian, title="Something else entirely")
    with django_assert_max_num_queries(4):
        answers = by_name(queries.search([sru_target, z3950_target], Terms(keywords="Arthur")))
    for answer in answers.values():
        found = {r.title: r for r in answer.records}
        assert [d.pk for d in found["The loom of destiny"].duplicates] == [same_isbn.pk]
        assert [d.pk for d in found["The monk and the dancer"].duplicates] == [same_title.pk]


def test_only_enabled_catalogues_are_searched(db, closed_port):
    Target.objects.create(name="Off", protocol="sru", base_url="http://127.0.0.1:1/", enabled=False)
    with pytest.raises(errors.NoTargetChosen):
        queries.chosen_targets()
    on = Target.objects.create(name="On", protocol="sru", base_url=f"http://127.0.0.1:{closed_port}/")
    assert queries.chosen_targets() == [on]
