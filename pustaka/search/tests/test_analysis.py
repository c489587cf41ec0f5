"""Analysis in Python: folding, stemming in both languages, identifiers, typo distances."""

import unicodedata

from pustaka.search import analysis


def test_composed_and_decomposed_accents_fold_to_the_same_word():
    composed = unicodedata.normalize("NFC", "Comédie")
    decomposed = unicodedata.normalize("NFD", "Comédie")
    assert composed != decomposed
    assert analysis.fold_tokens(composed) == analysis.fold_tokens(decomposed) == ["comedie"]


def test_folding_lowers_case_and_drops_punctuation():
    assert analysis.fold_tokens("Python: An Introduction — ÉTUDES, vol. 2") == [
        "python",
        "an",
        "introduction",
        "etudes",
        "vol",
        "2",
    ]
    assert analysis.fold_tokens("005.133 SUT p") == ["005.133", "sut", "p"]


def test_indonesian_stemming_brings_penelitian_to_teliti():
    assert analysis.stem("penelitian", "ind") == analysis.stem("teliti", "ind") == "teliti"
    assert analysis.stem("membaca", "ind") == "baca"


def test_english_stemming_uses_snowball():
    assert analysis.stem("libraries", "eng") == analysis.stem("library", "eng") == "librari"
    assert analysis.stem("programming", "eng") == "program"


def test_stemmed_text_keeps_one_token_per_word_so_positions_line_up():
    text = "Metode penelitian sosial"
    assert len(analysis.stemmed_text(text, "ind").split()) == len(analysis.folded_text(text).split()) == 3


def test_query_words_try_both_languages_stems():
    assert set(analysis.query_stems("penelitian")) >= {"teliti"}
    assert set(analysis.query_stems("libraries")) >= {"librari"}


def test_identifiers_are_normalised():
    assert analysis.normalise_identifier("978-602-03-3295-6") == "9786020332956"
    assert analysis.normalise_identifier("0317-847x") == "0317847X"


def test_typo_tolerance_grows_with_word_length():
    assert [analysis.fuzzy_distance(w) for w in ("buku", "sejarah", "pendidikan")] == [0, 1, 2]
    assert analysis.edit_distance("statistcs", "statistics") == 1
    assert analysis.edit_distance("pemrogaman", "pemrograman") == 1
    assert analysis.edit_distance("teh", "the") == 1  # a transposition is one edit
