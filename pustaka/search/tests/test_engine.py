"""The golden corpus pins hit sets, facet counts and ranking properties of the tantivy engine."""

import unicodedata

import pytest

from pustaka.search import engine
from pustaka.search.query import BoolNode, Clause, QuerySyntaxError, SearchQuery


def keys(corpus, result):
    by_id = {record_id: key for key, record_id in corpus.items()}
    return [by_id[record_id] for record_id in result.ids]


def hits(corpus, text, **options):
    return set(keys(corpus, engine.search(SearchQuery(text=text, **options))))


def test_every_word_must_match(corpus):
    assert hits(corpus, "sejarah") == {"sejarah_indonesia", "sejarah_jawa", "bumi"}
    assert hits(corpus, "sejarah jawa") == {"sejarah_jawa"}


def test_teliti_finds_penelitian(corpus):
    assert hits(corpus, "teliti") == hits(corpus, "penelitian") == {"kualitatif", "metode"}


def test_english_stems_match_other_forms(corpus):
    assert hits(corpus, "library") == {"running", "libraries_mgmt"}


def test_composed_and_decomposed_accents_find_each_other(corpus):
    composed = unicodedata.normalize("NFC", "comédie")
    decomposed = unicodedata.normalize("NFD", "comédie")
    assert hits(corpus, composed) == hits(corpus, decomposed) == hits(corpus, "comedie") == {"balzac", "decomposed"}


def test_an_exact_phrase_needs_adjacent_words(corpus):
    assert hits(corpus, '"computer science"') == {"zelle"}
    assert hits(corpus, "computer science") == {"zelle", "science_age"}


def test_a_phrase_never_matches_across_two_subjects(corpus):
    # "Travels in Java" has subjects "Java (Indonesia)" and "History -- Sources": not "indonesia history".
    assert hits(corpus, '"indonesia history"') == {"sourcebook", "ricklefs"}
    assert hits(corpus, 'subject:"indonesia history"') == {"ricklefs"}


def test_exclusions_and_or(corpus):
    assert hits(corpus, "sejarah -jawa") == {"sejarah_indonesia", "bumi"}
    assert hits(corpus, "python OR kimia") == {"python_id", "zelle", "lutz", "kimia"}


def test_field_prefixes(corpus):
    assert hits(corpus, "author:ricklefs") == {"sejarah_indonesia", "ricklefs"}
    assert hits(corpus, "title:indonesia") == {"sejarah_indonesia", "kamus", "ricklefs", "sourcebook", "atlas"}
    assert hits(corpus, "subject:python") == {"python_id", "zelle", "lutz"}
    assert hits(corpus, "isbn:978-602-03-3295-6") == {"laskar"}
    assert hits(corpus, "9786020332956") == {"laskar"}
    assert hits(corpus, "callno:005.133") == {"zelle"}


def test_year_ranges(corpus):
    assert hits(corpus, "year:1990-1999") == {
        "sejarah_jawa",
        "pearls",
        "knuth",
        "balzac",
        "java_sources",
        "kimia",
        "chemistry",
        "gamelan",
    }
    assert hits(corpus, "python year:2015-") == {"python_id", "zelle"}


def test_typos_are_forgiven_on_long_words_only(corpus):
    assert hits(corpus, "statistcs") >= {"statistics"}
    assert hits(corpus, "pemrogaman") == {"python_id"}
    assert hits(corpus, "sel") == {"biologi"}
    assert hits(corpus, "seel") == set()  # four letters: no typo tolerance


def test_did_you_mean_when_there_are_few_hits(corpus):
    result = engine.search(SearchQuery(text="perpustakan digitl"))
    assert result.suggestion == "perpustakaan digital"
    result = engine.search(SearchQuery(text="pemrogaman"))
    assert result.suggestion == "pemrograman"
    assert engine.search(SearchQuery(text="python")).suggestion is None


def test_title_match_ranks_above_subject_only_match(corpus):
    result = engine.search(SearchQuery(text="cooking"))
    assert keys(corpus, result) == ["spices", "rendang"]


def test_exact_phrase_ranks_first(corpus):
    result = engine.search(SearchQuery(text="computer science"))
    assert keys(corpus, result)[0] == "zelle"
    result = engine.search(SearchQuery(text="indonesia history"))
    assert set(keys(corpus, result)[:2]) == {"sourcebook", "ricklefs"}  # adjacent words (title / one subject)
    assert keys(corpus, result)[2:] == ["java_sources"]  # both words, in two different subjects


def test_public_search_hides_suppressed_and_withdrawn_only_records_but_keeps_e_resources(corpus):
    assert hits(corpus, "politik") == set()
    assert hits(corpus, "rahasia") == set()
    assert hits(corpus, "politik", public_only=False) == {"suppressed", "withdrawn"}
    assert hits(corpus, "jurnal") == {"ejurnal"}


def test_facet_counts_over_the_public_catalogue(corpus):
    facets = engine.search(SearchQuery()).facets
    assert engine.search(SearchQuery()).total == 39
    assert dict(facets["material_type"]) == {"book": 36, "ejournal": 1, "magazine": 1, "map": 1}
    assert dict(facets["language"]) == {"ind": 19, "eng": 18, "fre": 2}
    assert facets["year"] == [
        ("2020-2029", 3),
        ("2010-2019", 14),
        ("2000-2009", 10),
        ("1990-1999", 8),
        ("1980-1989", 4),
    ]
    assert dict(facets["branch"]) == {"MAIN": 30, "NORTH": 10}
    assert dict(facets["availability"]) == {"available": 35, "unavailable": 3}
    assert facets["subject"][0] == ("Indonesia", 3)


def test_facet_counts_follow_the_query_and_filters_narrow_it(corpus):
    result = engine.search(SearchQuery(text="python"))
    assert dict(result.facets["language"]) == {"ind": 1, "eng": 2}
    narrowed = engine.search(SearchQuery(text="python", filters={"language": ["eng"], "branch": ["NORTH"]}))
    assert keys(corpus, narrowed) == ["lutz"]
    decade = engine.search(SearchQuery(text="python", filters={"year": ["2010-2019"]}))
    assert set(keys(corpus, decade)) == {"zelle", "lutz"}
    on_shelf = engine.search(SearchQuery(text="sejarah", filters={"availability": ["available"]}))
    assert keys(corpus, on_shelf) == ["sejarah_jawa"]


def test_sorting_and_paging(corpus):
    by_title = engine.search(SearchQuery(text="python", sort="title"))
    assert keys(corpus, by_title) == ["lutz", "python_id", "zelle"]
    by_year = engine.search(SearchQuery(text="python", sort="-year"))
    assert keys(corpus, by_year) == ["python_id", "zelle", "lutz"]
    newest = engine.search(SearchQuery(sort="newest", limit=1))
    assert keys(corpus, newest) == ["libraries_mgmt"]
    page_two = engine.search(SearchQuery(text="python", sort="title", offset=1, limit=1))
    assert keys(corpus, page_two) == ["python_id"] and page_two.total == 3


def test_the_sru_tree_works_like_the_search_box(corpus):
    tree = BoolNode("and", Clause("python", field="subject"), Clause("computer science", mode="phrase"))
    assert keys(corpus, engine.search(SearchQuery(tree=tree))) == ["zelle"]
    anyof = Clause("kimia fisika", field="title", mode="any")
    assert set(keys(corpus, engine.search(SearchQuery(tree=anyof)))) == {"kimia", "fisika"}
    exact = Clause("Sejarah Jawa", field="title", mode="exact")
    assert keys(corpus, engine.search(SearchQuery(tree=exact))) == ["sejarah_jawa"]
    not_node = BoolNode("not", Clause("python"), Clause("Lutz", field="contributor"))
    assert set(keys(corpus, engine.search(SearchQuery(tree=not_node)))) == {"python_id", "zelle"}


def test_a_bad_query_raises_a_helpful_error_not_a_crash(corpus):
    with pytest.raises(QuerySyntaxError):
        engine.search(SearchQuery(text='"unclosed'))
    with pytest.raises(QuerySyntaxError):
        engine.search(SearchQuery(tree=Clause("x", field="colour")))
    with pytest.raises(QuerySyntaxError):
        engine.search(SearchQuery(text="python", filters={"colour": ["red"]}))


def test_search_without_an_index_finds_nothing(db, index_dir):
    result = engine.search(SearchQuery(text="python"))
    assert result.total == 0 and result.ids == []


def test_identifier_searches_accept_isbn_with_hyphens_and_control_numbers(corpus):
    from pustaka.catalog.models import Record

    Record.objects.filter(id=corpus["zelle"]).update(control_number="ocm12345")
    engine.rebuild()
    assert keys(corpus, engine.search(SearchQuery(tree=Clause("978-602-03-3295-6", field="identifier")))) == ["laskar"]
    assert keys(corpus, engine.search(SearchQuery(tree=Clause("OCM12345", field="identifier")))) == ["zelle"]


def test_an_absurd_page_number_gives_the_count_and_an_empty_page_not_a_crash(corpus):
    everything = engine.search(SearchQuery(text="", limit=5, facets=False, public_only=False))
    far = engine.search(SearchQuery(text="", offset=2_147_483_646, limit=10, facets=False, public_only=False))
    assert far.ids == []
    assert far.total == everything.total > 0
