"""The call-number helper's two rules."""

import pytest

from pustaka.catalog.callnumbers import cutter, entry_word, suggest, title_letter


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Smith", "S65"),
        ("Adams", "A33"),
        ("Quinn", "Q56"),
        ("Chase", "C43"),
        ("Schaefer", "S33"),
        ("Ibsen", "I27"),
        ("Hirata", "H57"),
        ("Toer", "T64"),
    ],
)
def test_cutter_numbers_follow_the_library_of_congress_rules(name, expected):
    assert cutter(name) == expected


def test_indonesian_convention_three_letters_and_title_letter():
    assert suggest(class_number="005.133", main_entry="Sutanto, Budi", title="Pemrograman Python") == "005.133 SUT p"


def test_direct_order_indonesian_names_use_the_last_part():
    assert entry_word("Pramoedya Ananta Toer", "Bumi Manusia") == "Toer"


def test_leading_articles_are_skipped_for_the_title_letter():
    assert title_letter("The Art of Computer Programming") == "a"
    assert title_letter("[Le] petit prince") == "p"  # an article the cataloguer supplied in brackets too


def test_accents_are_folded():
    assert suggest(class_number="840", main_entry="Émile, Zola", title="Ästhetik") == "840 EMI a"


def test_missing_parts_are_left_out():
    assert suggest(class_number="", main_entry="Sutanto, Budi", title="Python") == "SUT p"


def test_a_corporate_body_gives_its_first_word():
    assert (
        suggest(class_number="613.2", main_entry="Kementerian Kesehatan", title="Pedoman gizi", corporate=True)
        == "613.2 KEM p"
    )


def test_shelf_order_is_the_librarians_not_the_computers():
    from pustaka.catalog.callnumbers import shelf_key

    shelf = ["005 ABC a", "005.133 SUT p", "005.14 ABC a", "005.2 ZZZ z", "010 AAA a", "100 BBB b", "899.221 3 HIR l"]
    assert sorted(reversed(shelf), key=shelf_key) == shelf
    lcc = ["QA9 .A1", "QA76 .A1", "QA76.73.P98 S87 2019", "QA76.73.P98 S9 2001", "QA100 .B2", "QB1 .A1"]
    assert sorted(reversed(lcc), key=shelf_key) == lcc
