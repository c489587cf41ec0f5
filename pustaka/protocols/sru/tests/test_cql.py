"""The CQL parser: clauses, relations, booleans, context sets, and the diagnostics it raises."""

import unicodedata

import pytest

from pustaka.protocols.sru.cql import CQLError, parse
from pustaka.search.query import BoolNode, Clause


def tree(query):
    return parse(query).tree


def test_a_bare_word_searches_anywhere():
    assert tree("kucing") == Clause(text="kucing", field=None, mode="phrase")


def test_booleans_bind_left_to_right_without_precedence_as_cql_says():
    assert tree("a or b and c") == BoolNode(
        "and", BoolNode("or", Clause("a", None, "phrase"), Clause("b", None, "phrase")), Clause("c", None, "phrase")
    )


def test_parentheses_group_clauses():
    assert tree("a or (b and c)") == BoolNode(
        "or", Clause("a", None, "phrase"), BoolNode("and", Clause("b", None, "phrase"), Clause("c", None, "phrase"))
    )
    assert tree("((dc.title all x))") == Clause("x", "title", "all")


def test_not_means_and_not_and_booleans_are_case_insensitive():
    assert tree("dc.title all python NOT dc.subject any java") == BoolNode(
        "not", Clause("python", "title", "all"), Clause("java", "subject", "any")
    )


def test_quoted_terms_keep_spaces_and_escaped_quotes():
    assert tree('dc.title adj "the \\"real\\" thing"') == Clause('the "real" thing', "title", "phrase")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('dc.title = "sejarah indonesia"', Clause("sejarah indonesia", "title", "phrase")),
        ('dc.title scr "sejarah indonesia"', Clause("sejarah indonesia", "title", "phrase")),
        ('dc.title adj "sejarah indonesia"', Clause("sejarah indonesia", "title", "phrase")),
        ('dc.title all "sejarah indonesia"', Clause("sejarah indonesia", "title", "all")),
        ('dc.title any "sejarah indonesia"', Clause("sejarah indonesia", "title", "any")),
        ('dc.title == "sejarah indonesia"', Clause("sejarah indonesia", "title", "exact")),
        ('dc.title exact "sejarah indonesia"', Clause("sejarah indonesia", "title", "exact")),
        ("dc.date = 2021", Clause("2021", "year", "exact")),
        ("dc.date = 2000-2010", Clause("2000-2010", "year", "exact")),
        ("bath.isbn = 978-602-03-3295-6", Clause("978-602-03-3295-6", "isbn", "exact")),
    ],
)
def test_relations_become_clause_modes(query, expected):
    assert tree(query) == expected


@pytest.mark.parametrize(
    ("index", "field"),
    [
        ("dc.title", "title"),
        ("bath.title", "title"),
        ("dc.creator", "contributor"),
        ("bath.author", "contributor"),
        ("bath.name", "contributor"),
        ("dc.subject", "subject"),
        ("bath.subject", "subject"),
        ("dc.identifier", "identifier"),
        ("bath.isbn", "isbn"),
        ("bath.issn", "issn"),
        ("dc.date", "year"),
        ("cql.anywhere", None),
        ("cql.serverChoice", None),
        ("bath.any", None),
        ("DC.Title", "title"),
        ("title", "title"),
        ("author", "contributor"),
    ],
)
def test_dc_bath_and_cql_indexes_map_to_search_fields(index, field):
    assert tree(f"{index} all 2000").field == field


def test_a_prefix_assignment_names_a_known_context_set():
    query = '> d = "info:srw/cql-context-set/1/dc-v1.1" d.title = kucing'
    assert tree(query) == Clause("kucing", "title", "phrase")


def test_harmless_relation_modifiers_are_ignored():
    assert tree("dc.title any/relevant/stem kucing") == Clause("kucing", "title", "any")


def test_sortby_title_and_date_descending_choose_the_sort():
    assert parse("kucing sortBy dc.title").sort == "title"
    assert parse("kucing sortBy dc.date/sort.descending").sort == "-year"
    assert parse("kucing").sort == "relevance"


def test_all_records_as_the_whole_query_means_no_tree():
    assert parse("cql.allRecords = 1").tree is None


def test_decomposed_accents_in_a_query_are_composed():
    decomposed = unicodedata.normalize("NFD", "Comédie")
    assert tree(f"dc.title = {decomposed}").text == "Comédie"


@pytest.mark.parametrize(
    ("query", "code", "details"),
    [
        ("dc.shelf = x", 16, "dc.shelf"),
        ("colour = red", 16, "colour"),
        ("foo.title = x", 15, "foo"),
        ('> x = "urn:unknown" x.title = a', 15, "urn:unknown"),
        ("dc.date < 2000", 19, "<"),
        ("dc.title within x", 19, "within"),
        ("cql.anywhere == x", 19, "== on cql.anywhere"),
        ("dc.title any/fuzzy/colour kucing", 20, "colour"),
        ("a prox b", 37, "prox"),
        ("a and/rel.combine=sum b", 46, "and"),
        ("dc.title = pyth*", 28, "pyth*"),
        ("dc.date = soon", 36, "soon"),
        ('dc.title = ""', 27, "dc.title"),
        ("cql.allRecords = 1 and kucing", 16, "cql.allRecords (only as the whole query)"),
    ],
)
def test_unsupported_parts_raise_their_sru_diagnostic(query, code, details):
    with pytest.raises(CQLError) as caught:
        parse(query)
    assert (caught.value.code, caught.value.details) == (code, details)
    assert caught.value.uri == f"info:srw/diagnostic/1/{code}"


@pytest.mark.parametrize(
    "query",
    ["", "   ", "(kucing", "kucing)", "()", "kucing and", "dc.title =", '"unterminated', '"q" any x', "a b"],
)
def test_bad_syntax_is_diagnostic_10(query):
    with pytest.raises(CQLError) as caught:
        parse(query)
    assert caught.value.code == 10
