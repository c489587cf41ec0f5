"""The search-box language: words, phrases, exclusions, OR, field prefixes, year ranges, errors."""

import pytest

from pustaka.search.query import BoolNode, Clause, QuerySyntaxError
from pustaka.search.textquery import parse


def test_words_must_all_match():
    assert parse("sejarah jawa") == BoolNode("and", Clause("sejarah"), Clause("jawa"))


def test_a_quoted_phrase_becomes_a_phrase_clause():
    assert parse('"laskar pelangi"') == Clause("laskar pelangi", mode="phrase")


def test_minus_excludes():
    assert parse("sejarah -jawa") == BoolNode("not", Clause("sejarah"), Clause("jawa"))
    assert parse('python -"computer science"') == BoolNode(
        "not", Clause("python"), Clause("computer science", mode="phrase")
    )


def test_or_binds_tighter_than_the_implicit_and():
    assert parse("kucing OR anjing lucu") == BoolNode(
        "and", BoolNode("or", Clause("kucing"), Clause("anjing")), Clause("lucu")
    )


def test_field_prefixes_target_fields():
    assert parse("title:python author:lutz") == BoolNode(
        "and", Clause("python", field="title"), Clause("lutz", field="contributor")
    )
    assert parse('subject:"computer programming"') == Clause("computer programming", field="subject", mode="phrase")
    assert parse("isbn:978-602-03-3295-6") == Clause("978-602-03-3295-6", field="isbn")
    assert parse("callno:005.133") == Clause("005.133", field="callno")


def test_year_ranges():
    assert parse("year:2000-2010") == Clause("2000-2010", field="year")
    assert parse("python year:2015") == BoolNode("and", Clause("python"), Clause("2015", field="year"))


def test_an_unknown_prefix_is_just_words():
    assert parse("note:penting") == Clause("note penting")


def test_a_space_after_a_prefix_is_forgiven():
    assert parse("title: python") == Clause("python", field="title")


def test_empty_text_is_no_query():
    assert parse("") is None
    assert parse("   ") is None


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ('"laskar pelangi', "quotation mark"),
        ("OR python", "OR needs"),
        ("python OR", "OR needs"),
        ("-jawa", "not only what to leave out"),
        ("title:", "Nothing follows"),
        ("year:abc", "not a year"),
        ("year:2010-2000", "starts after it ends"),
    ],
)
def test_a_bad_query_says_what_is_wrong(text, hint):
    with pytest.raises(QuerySyntaxError) as error:
        parse(text)
    assert hint in str(error.value)
