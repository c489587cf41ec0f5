"""The search-box language, parsed into the same tree (``Clause``/``BoolNode``) the SRU helper builds.

words            every word must match (typos forgiven on long words)
"exact phrase"   the words adjacent, in this order
-word -"phrase"  leave out records that match
a OR b           either (binds tighter than the implicit AND: ``a OR b c`` = (a or b) and c)
title: author: subject: isbn: callno: series: publisher: year:
year:2000-2010   a year range (``year:2000-`` and ``year:-1990`` are open ranges)
"""

import re

from django.utils.translation import gettext as _

from .query import BoolNode, Clause, Node, QuerySyntaxError

PREFIXES = {
    "title": "title",
    "judul": "title",
    "author": "contributor",
    "pengarang": "contributor",
    "contributor": "contributor",
    "subject": "subject",
    "subjek": "subject",
    "isbn": "isbn",
    "issn": "issn",
    "callno": "callno",
    "series": "series",
    "publisher": "publisher",
    "penerbit": "publisher",
    "year": "year",
    "tahun": "year",
}
_TOKEN = re.compile(r'\s*(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"|(\S+))')
_KNOWN = "|".join(sorted(PREFIXES, key=len, reverse=True))
_SPACED_PREFIX = re.compile(rf"(?i)(?<![\w:])({_KNOWN}):\s+(?=[^\s-])")
_DANGLING_PREFIX = re.compile(rf"(?i)(?<![\w:])-?({_KNOWN}):(?=\s|$)")
_YEAR = re.compile(r"^(\d{1,4})?\s*-\s*(\d{1,4})?$|^(\d{1,4})$")


def parse_year(text: str) -> tuple[int | None, int | None]:
    """``2000-2010`` → (2000, 2010); ``2005`` → (2005, 2005); open ends allowed; else QuerySyntaxError."""
    match = _YEAR.match(text.strip())
    if not match or text.strip() in {"-", ""}:
        raise QuerySyntaxError(
            _("“%(text)s” is not a year or a year range; write for example year:2005 or year:2000-2010.")
            % {"text": text}
        )
    if match.group(3):
        year = int(match.group(3))
        return year, year
    low = int(match.group(1)) if match.group(1) else None
    high = int(match.group(2)) if match.group(2) else None
    if low is not None and high is not None and low > high:
        raise QuerySyntaxError(_("The year range %(text)s starts after it ends.") % {"text": text})
    return low, high


def parse(text: str) -> Node | None:
    """The tree for a search-box text, or None when it is empty. Raises QuerySyntaxError with a message."""
    if text.count('"') % 2:
        raise QuerySyntaxError(_('A quotation mark is not closed: phrases go between two " marks.'))
    text = _SPACED_PREFIX.sub(lambda m: m.group(1) + ":", text)
    dangling = _DANGLING_PREFIX.search(text)
    if dangling:
        raise QuerySyntaxError(
            _("Nothing follows “%(prefix)s”; write what to look for after it.") % {"prefix": dangling.group(1) + ":"}
        )
    groups: list[list[Node]] = []  # each group is an OR of its members; groups are ANDed
    exclusions: list[Node] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        negated, prefix, phrase, word = match.groups()
        if phrase is None and word is not None and word == "OR" and not negated and not prefix:
            if not groups or pending_or:
                raise QuerySyntaxError(_("OR needs a word on each side, e.g. kucing OR anjing."))
            pending_or = True
            continue
        field = None
        if prefix:
            field = PREFIXES.get(prefix.lower())
            if field is None:  # not a field we know ("C++:" or "http:"): the whole thing is words
                word = f"{prefix}:{word}" if word is not None else word
                phrase = phrase if word is None else None
                if word is not None:
                    word = word.replace(":", " ")
        value = phrase if phrase is not None else word
        if value is None or not value.strip() or (word is not None and not any(ch.isalnum() for ch in value)):
            if prefix and field:
                raise QuerySyntaxError(
                    _("Nothing follows “%(prefix)s”; write what to look for after it.") % {"prefix": f"{prefix}:"}
                )
            if negated and not value:
                raise QuerySyntaxError(_("A minus sign must be followed by a word to leave out, e.g. -fiksi."))
            continue
        if field == "year":
            parse_year(value)
            node: Node = Clause(value.strip(), field="year", mode="all")
        elif phrase is not None:
            node = Clause(value, field=field, mode="phrase")
        else:
            node = Clause(value, field=field, mode="all")
        if negated:
            if pending_or:
                raise QuerySyntaxError(_("OR cannot be followed by an exclusion."))
            exclusions.append(node)
            continue
        if pending_or:
            groups[-1].append(node)
            pending_or = False
        else:
            groups.append([node])
    if pending_or:
        raise QuerySyntaxError(_("OR needs a word on each side, e.g. kucing OR anjing."))
    if not groups:
        if exclusions:
            raise QuerySyntaxError(_("Say what to look for, not only what to leave out (e.g. sejarah -jawa)."))
        return None
    tree: Node | None = None
    for group in groups:
        member: Node = group[0]
        for other in group[1:]:
            member = BoolNode("or", member, other)
        tree = member if tree is None else BoolNode("and", tree, member)
    for exclusion in exclusions:
        tree = BoolNode("not", tree, exclusion)
    return tree


def words_of(tree: Node | None) -> list[Clause]:
    """The positive clauses of a tree (for "did you mean")."""
    if tree is None:
        return []
    if isinstance(tree, Clause):
        return [tree]
    if tree.op == "not":
        return words_of(tree.left)
    return words_of(tree.left) + words_of(tree.right)
