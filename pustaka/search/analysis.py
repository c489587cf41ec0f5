"""Text analysis done once in Python before tantivy sees the text (ARCHITECTURE, Search).

Every text is NFC-normalised, case- and accent-folded and split into word tokens (``fold_tokens``);
the stemmed form uses PySastrawi for Indonesian and Snowball for English (``stem``). Both the index
and the query side go through the same functions, so "Comédie" typed with a composed or a decomposed
accent finds either form, and ``teliti`` finds ``penelitian``.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

INDONESIAN = frozenset({"ind", "may", "msa", "jav", "sun"})
WORD = _WORD = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*'?", re.UNICODE)
_english = snowballstemmer.stemmer("english")
_sastrawi = None


#: Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"ı": "i", "ß": "ss", "œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ð": "d", "þ": "th"})
#: Apostrophes and the modifier letters romanisations use for them (ALA-LC Arabic ʻayn and hamza).
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "ʹ": "'", "`": "'", "´": "'", "′": "'"})
#: French elisions: ``l'étranger`` is found by ``etranger``, ``coup d'état`` by ``etat``.
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'(?=[^\W\d_])")


def fold(text: str) -> str:
    """NFC + lower case + accents removed (``Comédie`` → ``comedie``), whatever form the input had."""
    text = text or ""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES)).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text.translate(_LETTERS))


def _word(token: str) -> str:
    """One token's apostrophes as readers type them: French elision dropped (``l'etranger`` →
    ``etranger``), English possessive dropped (``children's`` → ``children``), and inside a word
    the apostrophe left out (``qur'an`` → ``quran``, ``o'reilly`` → ``oreilly``)."""
    if "'" not in token:
        return token
    token = _ELISION.sub("", token)
    if token.endswith("'s"):
        token = token[:-2]
    return token.replace("'", "")


def fold_tokens(text: str) -> list[str]:
    """The folded word tokens of a text, punctuation dropped (``"Python: a guide"`` → python, a, guide)."""
    return [word for word in (_word(token) for token in _WORD.findall(fold(text))) if word]


def _indonesian_stemmer():
    global _sastrawi
    if _sastrawi is None:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        _sastrawi = StemmerFactory().create_stemmer()
    return _sastrawi


@lru_cache(maxsize=500_000)
def stem_indonesian(token: str) -> str:
    """Sastrawi stem of one folded token (cached: Sastrawi is slow on a term it has not seen)."""
    if not token.isalpha() or len(token) < 4:
        return token
    return _indonesian_stemmer().stem(token) or token


@lru_cache(maxsize=500_000)
def stem_english(token: str) -> str:
    """Snowball English stem of one folded token (cached)."""
    if not token.isalpha():
        return token
    return _english.stemWord(token)


def stem(token: str, language: str) -> str:
    """The stem of a folded token for a record in ``language`` (a MARC code; Indonesian or else English)."""
    return stem_indonesian(token) if language in INDONESIAN else stem_english(token)


def query_stems(token: str) -> list[str]:
    """The stems a query word may have in the index (we do not know the record's language when searching)."""
    stems = [stem_english(token), stem_indonesian(token)]
    return list(dict.fromkeys(stems))


def folded_text(text: str) -> str:
    """Whitespace-joined folded tokens: what a folded field stores for tantivy's whitespace tokenizer."""
    return " ".join(fold_tokens(text))


def analysed(text: str, language: str) -> tuple[str, str]:
    """Folded and stemmed forms of a text at once (one tokenisation): what the index stores."""
    tokens = fold_tokens(text)
    stemmer = stem_indonesian if language in INDONESIAN else stem_english
    return " ".join(tokens), " ".join([stemmer(token) for token in tokens])


def stemmed_text(text: str, language: str) -> str:
    """Whitespace-joined stems, one per folded token (positions line up with ``folded_text``)."""
    return " ".join(stem(token, language) for token in fold_tokens(text))


def normalise_identifier(text: str) -> str:
    """ISBN/ISSN/control-number form used in the index: digits and X only, upper case (``978-0-13`` → ``978013``)."""
    return re.sub(r"[^0-9X]", "", (text or "").upper())


def normalise_callno(text: str) -> str:
    """Call numbers are matched as folded tokens (``005.133 PYT`` → ``005.133 pyt``)."""
    return " ".join(fold(text).split())


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance with adjacent transpositions, giving up (returning ``limit``) past ``limit``."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)


def fuzzy_distance(token: str) -> int:
    """Typo tolerance: 1 edit for words of 5+ letters, 2 for 9+, none for shorter words."""
    if len(token) >= 9:
        return 2
    if len(token) >= 5:
        return 1
    return 0
