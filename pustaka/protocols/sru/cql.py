"""A CQL parser (CQL 1.2 / 2.0 syntax) that turns a query into the search tree of ``pustaka.search.query``.

What it understands
-------------------
- Search clauses ``term`` or ``index relation term``; quoted terms with backslash escapes.
- Booleans ``and``, ``or``, ``not`` with parentheses. CQL gives the booleans *no* precedence over
  one another: they bind left to right, so ``a or b and c`` is ``(a or b) and c``.
- Prefix assignments ``> dc = "info:srw/cql-context-set/1/dc-v1.1" dc.title = x`` (known context
  sets only) and a trailing ``sortBy`` (``dc.title``, ``dc.date`` with ``/sort.descending``).
- ``cql.allRecords = 1`` as the whole query: every record (newest first unless sorted).
- Context sets ``dc``, ``bath`` and ``cql``; an index without a prefix is looked up in ``dc``, then
  ``bath``, then ``cql``.

Relations and the clause modes they become
------------------------------------------
- ``all`` → ``all`` (every word), ``any`` → ``any`` (at least one word), ``adj`` → ``phrase``.
- ``==`` (and CQL 1.1's ``exact``) → ``exact``: the whole field value equals the term.
- ``=`` (and ``scr``): CQL 1.2 and 2.0 define ``=`` as the server's choice, suggesting ``adj`` for a
  string term and ``==`` for a numeric one (CQL 1.1 defined ``=`` on several words as adjacency).
  So ``=`` is ``phrase`` on text indexes and ``exact`` on the identifier and date indexes
  (``dc.date = 2021``, ``bath.isbn = 978-602-...``).
- ``<``, ``>``, ``<=``, ``>=``, ``<>``, ``within`` and the rest → diagnostic 19 (unsupported relation).

A ``dc.date`` term must be a year or a range (``2000-2010``), else diagnostic 36.

Relation modifiers that change nothing here (``relevant``, ``stem``, ``ignoreCase``, ``ignoreAccents``,
``word``, ``string``, ``unmasked``...) are accepted and ignored; any other → diagnostic 20. Boolean
modifiers → diagnostic 46; ``prox`` → diagnostic 37. Terms are normalised to Unicode NFC (the engine
folds accents as well), so a query typed with composed accents finds decomposed ones and back.
"""

import unicodedata
from dataclasses import dataclass

from pustaka.search.query import BoolNode, Clause, Node, QuerySyntaxError
from pustaka.search.textquery import parse_year

DIAGNOSTIC_PREFIX = "info:srw/diagnostic/1/"

CONTEXT_SETS = {
    "cql": "info:srw/cql-context-set/1/cql-v1.2",
    "dc": "info:srw/cql-context-set/1/dc-v1.1",
    "bath": "http://zing.z3950.org/cql/bath/2.0/",
}
# Other identifiers clients use for the same sets (prefix assignments may name any of them).
_SET_ALIASES = {
    "info:srw/cql-context-set/1/cql-v1.1": "cql",
    "info:srw/cql-context-set/1/cql-v1.2": "cql",
    "info:srw/cql-context-set/1/cql-v2.0": "cql",
    "info:srw/cql-context-set/1/dc-v1.1": "dc",
    "info:srw/cql-context-set/1/dc-v1.0": "dc",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://www.loc.gov/zing/cql/dc-indexes/v1.0/": "dc",
    "http://zing.z3950.org/cql/bath/2.0/": "bath",
}

# (context set, lower-case index name) → engine field (None: anywhere). Listed in explain.
INDEXES: dict[tuple[str, str], str | None] = {
    ("dc", "title"): "title",
    ("dc", "creator"): "contributor",
    ("dc", "contributor"): "contributor",
    ("dc", "subject"): "subject",
    ("dc", "identifier"): "identifier",
    ("dc", "date"): "year",
    ("dc", "publisher"): "publisher",
    ("dc", "language"): "language",
    ("bath", "title"): "title",
    ("bath", "keytitle"): "title",
    ("bath", "author"): "contributor",
    ("bath", "name"): "contributor",
    ("bath", "personalname"): "contributor",
    ("bath", "corporatename"): "contributor",
    ("bath", "subject"): "subject",
    ("bath", "topicalsubject"): "subject",
    ("bath", "isbn"): "isbn",
    ("bath", "issn"): "issn",
    ("bath", "standardidentifier"): "identifier",
    ("bath", "any"): None,
    ("cql", "anywhere"): None,
    ("cql", "serverchoice"): None,
    ("cql", "keywords"): None,
}
# Index names as CQL spells them (for explain), in the order above.
INDEX_NAMES = {
    "keytitle": "keyTitle",
    "personalname": "personalName",
    "corporatename": "corporateName",
    "topicalsubject": "topicalSubject",
    "standardidentifier": "standardIdentifier",
    "serverchoice": "serverChoice",
}
_EXACT_FIELDS = {"isbn", "issn", "identifier", "year", "control_number"}
_RELATIONS = {"all": "all", "any": "any", "adj": "phrase", "==": "exact", "exact": "exact"}
_SERVER_CHOICE = {"=", "scr"}
_HARMLESS_MODIFIERS = {
    "relevant",
    "stem",
    "ignorecase",
    "ignoreaccents",
    "respectcase",
    "respectaccents",
    "word",
    "string",
    "unmasked",
    "masked",
    "lang",
    "fuzzy",
    "partial",
}
_SYMBOLS = ("==", "<>", "<=", ">=", "=", "<", ">")
_BOOLEANS = {"and", "or", "not", "prox"}
SORT_KEYS = {("dc", "title"): "title", ("bath", "title"): "title", ("dc", "date"): "year"}


class CQLError(Exception):
    """A query SRU must refuse, with its diagnostic number and details (the offending part)."""

    def __init__(self, code: int, message: str, details: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    @property
    def uri(self) -> str:
        return f"{DIAGNOSTIC_PREFIX}{self.code}"


def _syntax(details: str) -> CQLError:
    return CQLError(10, "Query syntax error", details)


@dataclass
class ParsedQuery:
    """The search tree, and the sort the query asked for (``relevance`` when none)."""

    tree: Node | None  # None: every record (``cql.allRecords = 1``)
    sort: str = "relevance"


# ``cql.allRecords``: answered only as the whole query (``parse`` turns it into ``tree=None``).
_ALL_RECORDS = Clause(text="\x00allRecords", field=None, mode="all")


def _mentions_all_records(node: Node) -> bool:
    if isinstance(node, Clause):
        return node is _ALL_RECORDS
    return _mentions_all_records(node.left) or _mentions_all_records(node.right)


# --- tokens ---------------------------------------------------------------------------------------


@dataclass
class _Token:
    kind: str  # "(", ")", "/", "sym", "word", "quoted", "end"
    text: str = ""

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.lower() in words


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()/":
            tokens.append(_Token(ch))
            i += 1
        elif ch in "=<>":
            for symbol in _SYMBOLS:
                if query.startswith(symbol, i):
                    tokens.append(_Token("sym", symbol))
                    i += len(symbol)
                    break
        elif ch == '"':
            i += 1
            out = []
            while True:
                if i >= n:
                    raise _syntax("unterminated quoted term")
                ch = query[i]
                if ch == "\\" and i + 1 < n:
                    following = query[i + 1]
                    # \" is a quote; other escapes (\*, \?, \^) keep their backslash for the masking rules.
                    out.append(following if following in '"\\' else "\\" + following)
                    i += 2
                elif ch == '"':
                    i += 1
                    break
                else:
                    out.append(ch)
                    i += 1
            tokens.append(_Token("quoted", "".join(out)))
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in '()/=<>"':
                i += 1
            tokens.append(_Token("word", query[start:i]))
    tokens.append(_Token("end"))
    return tokens


# --- parser ---------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, query: str):
        self.tokens = _tokens(query)
        self.pos = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.pos]

    def peek(self, ahead: int = 1) -> _Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> ParsedQuery:
        if self.token.kind == "end":
            raise _syntax("empty query")
        tree = self.query({})
        sort = "relevance"
        if self.token.is_word("sortby"):
            self.take()
            sort = self.sort_spec()
        if self.token.kind != "end":
            raise _syntax(f"unexpected {self.token.text or self.token.kind!r}")
        if tree is _ALL_RECORDS:
            return ParsedQuery(tree=None, sort=sort)
        if _mentions_all_records(tree):
            raise CQLError(16, "Unsupported index", "cql.allRecords (only as the whole query)")
        return ParsedQuery(tree=tree, sort=sort)

    def query(self, prefixes: dict[str, str]) -> Node:
        """``cqlQuery ::= prefixAssignment cqlQuery | scopedClause``."""
        if self.token.kind == "sym" and self.token.text == ">":
            self.take()
            prefixes = dict(prefixes)
            if self.token.kind in ("word", "quoted") and self.peek().kind == "sym" and self.peek().text == "=":
                prefix = self.take().text.lower()
                self.take()
            else:
                prefix = ""
            if self.token.kind not in ("word", "quoted"):
                raise _syntax("prefix assignment without a context set identifier")
            identifier = self.take().text
            known = _SET_ALIASES.get(identifier) or _SET_ALIASES.get(identifier.rstrip("/") + "/")
            if known is None:
                raise CQLError(15, "Unsupported context set", identifier)
            prefixes[prefix] = known
            return self.query(prefixes)
        node = self.clause(prefixes)
        while self.token.kind == "word" and self.token.text.lower() in _BOOLEANS:
            op = self.take().text.lower()
            if self.token.kind == "/":
                self.modifiers()  # parsed for syntax; any boolean modifier is refused below
                raise CQLError(46, "Unsupported boolean modifier", op)
            if op == "prox":
                raise CQLError(37, "Unsupported boolean operator", op)
            node = BoolNode(op=op, left=node, right=self.clause(prefixes))
        return node

    def clause(self, prefixes: dict[str, str]) -> Node:
        """``searchClause ::= '(' cqlQuery ')' | index relation term | term``."""
        token = self.token
        if token.kind == "(":
            self.take()
            node = self.query(prefixes)
            if self.token.kind != ")":
                raise _syntax("missing closing parenthesis")
            self.take()
            return node
        if token.kind not in ("word", "quoted"):
            raise _syntax(f"expected a search term, found {token.text or token.kind!r}")
        following = self.peek()
        has_relation = following.kind == "sym" or (
            following.kind == "word" and following.text.lower() not in _BOOLEANS | {"sortby"}
        )
        if not has_relation:
            self.take()
            return self.make_clause(("cql", "serverchoice"), "=", token.text)
        if token.kind == "quoted":
            raise _syntax(f"an index cannot be quoted: {token.text!r}")
        index = self.take().text
        relation = self.take().text.lower()
        if self.token.kind == "/":
            for name, _comparitor, _value in self.modifiers():
                if name.split(".")[-1].lower() not in _HARMLESS_MODIFIERS:
                    raise CQLError(20, "Unsupported relation modifier", name)
        if self.token.kind not in ("word", "quoted"):
            raise _syntax(f"missing search term after {index} {relation}")
        term = self.take().text
        return self.make_clause(self.resolve(index, prefixes), relation, term, index=index)

    def modifiers(self) -> list[tuple[str, str, str]]:
        found = []
        while self.token.kind == "/":
            self.take()
            if self.token.kind != "word":
                raise _syntax("a modifier name must follow '/'")
            name = self.take().text
            comparitor = value = ""
            if self.token.kind == "sym":
                comparitor = self.take().text
                if self.token.kind not in ("word", "quoted"):
                    raise _syntax(f"missing value for modifier {name}")
                value = self.take().text
            found.append((name, comparitor, value))
        return found

    def sort_spec(self) -> str:
        if self.token.kind != "word":
            raise _syntax("sortBy without a sort key")
        sort = None
        while self.token.kind == "word":
            index = self.take().text
            key = self.resolve(index, {})
            descending = any(name.lower().endswith("descending") for name, _c, _v in self.modifiers())
            field = SORT_KEYS.get(key)
            if field is None:
                raise CQLError(16, "Unsupported index", index)
            if sort is None:  # only the first key counts; the engine sorts by one key
                sort = ("-" + field if descending else field) if field == "year" else field
        return sort or "relevance"

    def resolve(self, index: str, prefixes: dict[str, str]) -> tuple[str, str]:
        """``(context set, name)`` for an index as written, or diagnostic 15/16."""
        if "." in index:
            prefix, name = index.rsplit(".", 1)
            prefix = prefix.lower()
            context_set = prefixes.get(prefix, prefix if prefix in CONTEXT_SETS else None)
            if context_set is None:
                raise CQLError(15, "Unsupported context set", prefix)
            candidates = [context_set]
        else:
            name = index
            default = prefixes.get("")
            candidates = [default] if default else ["dc", "bath", "cql"]
        name = name.lower()
        for context_set in candidates:
            if (context_set, name) in INDEXES or (context_set, name) == ("cql", "allrecords"):
                return (context_set, name)
        raise CQLError(16, "Unsupported index", index)

    def make_clause(self, key: tuple[str, str], relation: str, term: str, *, index: str = "") -> Node:
        term = unicodedata.normalize("NFC", term)
        if key == ("cql", "allrecords"):
            return _ALL_RECORDS
        field = INDEXES[key]
        if relation in _SERVER_CHOICE:
            mode = "exact" if field in _EXACT_FIELDS else "phrase"
        elif relation in _RELATIONS:
            mode = _RELATIONS[relation]
        else:
            raise CQLError(19, "Unsupported relation", relation)
        if field is None and mode == "exact":
            raise CQLError(19, "Unsupported relation", f"{relation} on {index or 'cql.serverChoice'}")
        if "*" in term.replace("\\*", "") or "?" in term.replace("\\?", ""):
            raise CQLError(28, "Masking character not supported", term)
        term = term.replace("\\*", "*").replace("\\?", "?").replace("\\^", "\x00")
        term = term.replace("^", "").replace("\x00", "^").strip()
        if not term:
            raise CQLError(27, "Empty term unsupported", index)
        if field == "year":
            try:
                parse_year(term)
            except QuerySyntaxError:
                raise CQLError(36, "Term in invalid format for index or relation", term) from None
        return Clause(text=term, field=field, mode=mode)


def parse(query: str) -> ParsedQuery:
    """Parse a CQL query; raise ``CQLError`` (with its SRU diagnostic number) when it cannot be answered."""
    return _Parser(query).parse()
