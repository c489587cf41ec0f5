"""The call-number helper: class number + author mark + title letter, by the library's rule.

- Indonesian convention: ``005.133 SUT p`` (three letters of the main entry in capitals, the first
  letter of the title in lower case).
- Cutter: ``005.133 S88p`` (a Cutter number for the main entry computed by the Library of
  Congress Cutter rules, then the title letter).

The result is a suggestion; the librarian may always edit it.
"""

import re
import unicodedata

from pustaka.core.choices import CallNumberRule

# Leading articles skipped when taking the title letter (Indonesian titles rarely have any).
ARTICLES = ("the ", "a ", "an ", "le ", "la ", "les ", "l'", "der ", "die ", "das ", "el ", "los ", "las ")


def _ascii_letters(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if ch.isascii() and ch.isalpha())


def entry_word(main_entry: str, title: str, *, corporate: bool = False) -> str:
    """The word the author mark is made from: the surname (``Surname, Given``), the first word of a
    corporate body's name (``Kementerian Kesehatan`` gives ``Kementerian``), or the title."""
    source = main_entry.strip() or strip_article(title)
    if corporate and main_entry.strip():
        return _ascii_letters(source.split()[0])
    if "," in source:
        source = source.split(",", 1)[0]
    elif main_entry.strip() and " " in source.strip():
        # "Budi Sutanto" (an Indonesian name written in direct order): Indonesian practice takes the
        # last name part, except when the name is a single word.
        source = source.strip().split()[-1]
    return _ascii_letters(source)


def strip_article(title: str) -> str:
    """The title without its leading article, also one the cataloguer supplied in brackets ("[Le] petit prince")."""
    title = title.lstrip(" [\"'")
    first, space, rest = title.partition(" ")
    if first.endswith("]"):
        title = first[:-1] + space + rest
    lowered = title.lower()
    for article in ARTICLES:
        if lowered.startswith(article):
            return title[len(article) :]
    return title


def title_letter(title: str) -> str:
    letters = _ascii_letters(strip_article(title))
    return letters[:1].lower()


def cutter(word: str) -> str:
    """A two-figure Cutter number for ``word`` by the Library of Congress Cutter rules."""
    word = _ascii_letters(word).lower()
    if not word:
        return ""
    first = word[0]
    digits = ""
    rest = word[1:]
    if first in "aeiou":
        table = [("b", 2), ("d", 3), ("lm", 4), ("n", 5), ("p", 6), ("r", 7), ("st", 8), ("uvwxy", 9)]
    elif first == "s":
        if rest.startswith("ch"):
            digits, rest = "3", rest[2:]
        table = [("a", 2), ("e", 4), ("hi", 5), ("mnop", 6), ("t", 7), ("u", 8), ("wxyz", 9)]
    elif first == "q" and rest.startswith("u"):
        rest = rest[1:]
        table = [("a", 3), ("e", 4), ("i", 5), ("o", 6), ("r", 7), ("t", 8), ("y", 9)]
    else:
        table = [("a", 3), ("e", 4), ("i", 5), ("o", 6), ("r", 7), ("u", 8), ("y", 9)]
    if not digits and rest:
        digits = _lookup(table, rest[0])
        rest = rest[1:]
    expansion = [("abcd", 3), ("efgh", 4), ("ijkl", 5), ("mno", 6), ("pqrs", 7), ("tuv", 8), ("wxyz", 9)]
    if rest:
        digits += _lookup(expansion, rest[0])
    return first.upper() + (digits or "2")


def _lookup(table, letter: str) -> str:
    best = ""
    for letters, digit in table:
        if letter in letters:
            return str(digit)
        if letters[0] < letter:
            best = str(digit)
    return best or "2"


def suggest(
    *, class_number: str, main_entry: str, title: str, rule: str = CallNumberRule.INDONESIAN, corporate: bool = False
) -> str:
    """Build a call number; parts that cannot be made are left out."""
    word = entry_word(main_entry, title, corporate=corporate)
    if rule == CallNumberRule.CUTTER:
        mark = cutter(word)
        parts = [class_number.strip(), f"{mark}{title_letter(title)}" if mark else ""]
    else:
        parts = [class_number.strip(), word[:3].upper(), title_letter(title)]
    return " ".join(p for p in parts if p)


_TOKEN = re.compile(r"(\.\d+)|(\d+)|([A-Za-z]+)")


def shelf_key(call_number: str) -> str:
    """A string that sorts call numbers as librarians shelve them, not as plain text.

    The class number's whole part compares by value (``QA76`` before ``QA100``), decimals digit by
    digit (``005.133`` before ``005.14``); digits written straight after a letter once the class
    number is past are Cutter decimals (``S87`` before ``S9``); letters compare without case; a shorter
    call number comes before its extensions (``005`` before ``005.1``); a separate number such as a
    year compares by value.
    """
    text = unicodedata.normalize("NFKD", call_number or "")
    parts = []
    seen_class = False
    for match in _TOKEN.finditer(text):
        decimal, whole, letters = match.groups()
        if decimal:
            parts.append(decimal)
        elif whole:
            after_letter = match.start() > 0 and text[match.start() - 1].isalpha()
            if seen_class and after_letter:
                parts.append("." + whole)
            else:
                parts.append(" " + whole.lstrip("0").rjust(8, "0"))
                seen_class = True
        else:
            parts.append(" " + letters.lower())
    return "".join(parts).strip()[:255]
