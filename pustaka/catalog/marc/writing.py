"""Record columns to MARC 21: the stored original with edited fields rewritten, or a record built here."""

import pymarc
from django.utils.translation import gettext as _
from pymarc import Field, Indicators, Subfield

from ..choices import ClassificationScheme, ContributorRole, MaterialType
from ..identifiers import try_isbn
from .extras import ExportExtras, extras_of
from .reading import contributor_from_field, fields_from_marc, is_structured_502, subject_headings
from .tables import (
    _CONTRIBUTOR_TAG_SET,
    _SUBJECT_TAG_SET,
    CALL_NUMBER_TAGS,
    CONTRIBUTOR_TAGS,
    DIGITAL_TYPES,
    LEADER_TYPES,
    MATERIAL_RDA,
    NOTE_TAGS,
    PUSTAKA_ID_SOURCE,
    PUSTAKA_ID_TAG,
    RDA_CARRIER,
    RDA_CONTENT,
    RDA_MEDIA,
    ROLE_CODES,
    ROLE_TERMS,
    SERIES_TAGS,
    SUBJECT_TAGS,
)


def _isbd_245(title: str, subtitle: str, responsibility: str, extra: list[Subfield]) -> list[Subfield]:
    a = title
    subfields = []
    if subtitle:
        a += " :"
    elif responsibility:
        a += " /"
    else:
        a += "."
    subfields.append(Subfield("a", a))
    subfields.extend(extra)
    if subtitle:
        subfields.append(Subfield("b", subtitle + (" /" if responsibility else ".")))
    if responsibility:
        subfields.append(Subfield("c", responsibility if responsibility.endswith(".") else responsibility + "."))
    return subfields


def _split_for_marc(text: str, limit: int = 8000) -> list[str]:
    """Long text in pieces small enough for one ISO 2709 field (9,999 bytes at most)."""
    pieces = []
    while len(text.encode("utf-8")) > limit:
        cut = text[: limit // 4]
        space = cut.rfind(" ")
        cut = cut[:space] if space > 0 else cut
        pieces.append(cut)
        text = text[len(cut) :].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _contributor_field(entry: dict, *, main: bool) -> Field:
    role = entry.get("role") or ContributorRole.AUTHOR
    if role == ContributorRole.CORPORATE:
        tag, ind = ("110" if main else "710"), Indicators("2", " ")
    elif role == ContributorRole.MEETING:
        tag, ind = ("111" if main else "711"), Indicators("2", " ")
    else:
        tag, ind = ("100" if main else "700"), Indicators("1" if "," in entry["name"] else "0", " ")
    subfields = [Subfield("a", entry["name"] + ("," if entry.get("dates") or role in ROLE_TERMS else ""))]
    if entry.get("dates"):
        subfields.append(Subfield("d", entry["dates"] + ("," if role in ROLE_TERMS else "")))
    if role in ROLE_TERMS:
        subfields.append(Subfield("e", ROLE_TERMS[role] + "."))
    if not subfields[-1].value.endswith((".", "-", ")")):
        last = subfields[-1]
        subfields[-1] = Subfield(last.code, last.value + ".")
    if role in ROLE_CODES:
        subfields.append(Subfield("4", ROLE_CODES[role]))
    return Field(tag, ind, subfields)


def _subject_field(heading: str) -> Field:
    parts = [p.strip() for p in heading.split(" -- ") if p.strip()]
    subfields = [Subfield("a", parts[0])]
    subfields.extend(Subfield("x", part) for part in parts[1:])
    return Field("650", Indicators(" ", "4"), subfields)


def _set_008(rec: pymarc.Record, start: int, value: str) -> None:
    field = rec.get("008")
    if field is None or field.data is None:
        return
    data = field.data.ljust(40)
    field.data = data[:start] + value + data[start + len(value) :]


def _new_008(record) -> str:
    created = record.created_at.strftime("%y%m%d") if getattr(record, "created_at", None) else "000000"
    dates = f"s{record.year:04d}    " if record.year else "nuuuu    "
    form = "o" if record.material_type in (MaterialType.EBOOK, MaterialType.EJOURNAL) else " "
    serial = {MaterialType.NEWSPAPER: "n", MaterialType.MAGAZINE: "p", MaterialType.EJOURNAL: "p"}.get(
        record.material_type, " "
    )
    language = record.language if record.language else "und"
    if serial != " ":
        middle = "   " + serial + " " + form + " " + "   " + " " + "0" + "   " + " " + "0"
    else:
        nature = "m   " if record.material_type == MaterialType.THESIS else "    "  # 008/24-27: theses
        middle = "    " + " " + form + nature + " " + "000" + " " + "0" + " "
    value = created + dates + "xx " + middle + language[:3].ljust(3) + " d"
    return value[:40].ljust(40)


#: Initial articles a title may start with (245 second indicator: characters to skip when filing).
INITIAL_ARTICLES = (
    "the ",
    "a ",
    "an ",
    "le ",
    "la ",
    "les ",
    "l'",
    "un ",
    "une ",
    "der ",
    "die ",
    "das ",
    "el ",
    "los ",
    "las ",
)


def _nonfiling(title: str, old_title: str, old_skip: str) -> str:
    """The 245 second indicator for ``title``: the cataloguer's count while the title still starts
    with the same characters it skipped, else the length of a known initial article, else 0."""
    if (
        old_skip.isdigit()
        and int(old_skip) > 0
        and old_title[: int(old_skip)].lower() == title[: int(old_skip)].lower()
    ):
        return old_skip
    lowered = title.lower()
    return next((str(len(a)) for a in INITIAL_ARTICLES if lowered.startswith(a) and len(a) <= 9), "0")


class _Rewriter:
    """Writes the descriptive fields owned by the record's columns into a pymarc record.

    Each ``write_*`` method removes the fields of its group (keeping those that still say what the
    columns say) and adds fields built from the columns.
    """

    def __init__(self, rec: pymarc.Record, record, original: dict | None):
        self.rec = rec
        self.record = record
        self.original = original or {}

    def _remove(self, *tags: str) -> None:
        self.rec.remove_fields(*tags)

    def _add(self, *fields: Field) -> None:
        for field in fields:
            self.rec.add_ordered_field(field)

    def write_title(self) -> None:
        r = self.record
        old = self.rec.get("245")
        extra = [s for s in old.subfields if s.code in "hfgks6"] if old is not None else []
        subfields = _isbd_245(r.title, r.subtitle, r.responsibility, [s for s in extra if s.code == "h"])
        subfields.extend(s for s in extra if s.code != "h")
        if old is not None:
            skip = _nonfiling(r.title, old.get("a") or "", old.indicator2)
            old.subfields = subfields
            old.indicators = Indicators(old.indicator1, skip)
        else:
            skip = _nonfiling(r.title, "", "0")
            self._add(Field("245", Indicators("1" if r.contributors else "0", skip), subfields))

    def write_edition(self) -> None:
        self._remove("250")
        if self.record.edition:
            self._add(Field("250", Indicators(" ", " "), [Subfield("a", self.record.edition)]))

    def write_publication(self) -> None:
        r = self.record
        use_264 = self.rec.get("264") is not None and self.rec.get("260") is None
        if use_264:
            self._remove_264_publication()
        else:
            self._remove("260", "264")
        subfields = []
        if r.place:
            subfields.append(Subfield("a", r.place + (" :" if r.publisher else "," if r.year else "")))
        if r.publisher:
            subfields.append(Subfield("b", r.publisher + ("," if r.year else "")))
        if r.year:
            subfields.append(Subfield("c", f"{r.year}."))
        if subfields:
            tag, ind = ("264", Indicators(" ", "1")) if use_264 else ("260", Indicators(" ", " "))
            self._add(Field(tag, ind, subfields))
        if r.year and r.year != self.original.get("year"):
            _set_008(self.rec, 7, f"{r.year:04d}")

    def _remove_264_publication(self) -> None:
        for field in self.rec.get_fields("264"):
            if field.indicator2 in ("1", " "):
                self.rec.remove_field(field)

    def write_isbns(self) -> None:
        wanted = list(self.record.isbns or [])
        for field in self.rec.get_fields("020"):
            values = [try_isbn(v.strip().split(" ", 1)[0]) for c, v in field.subfields if c == "a" and v]
            if not values:
                continue  # 020 $z only (cancelled ISBN): keep
            if values[0] in wanted:
                wanted.remove(values[0])
            else:
                self.rec.remove_field(field)
        for isbn in wanted:
            self._add(Field("020", Indicators(" ", " "), [Subfield("a", isbn)]))

    def write_issn(self) -> None:
        self._remove("022")
        if self.record.issn:
            self._add(Field("022", Indicators(" ", " "), [Subfield("a", self.record.issn)]))

    def _insert_after(self, tags, fields: list[Field]) -> None:
        """Insert ``fields`` right after the last field with one of ``tags`` (else in tag order), keeping
        the tags in order."""
        if not fields:
            return
        positions = [i for i, f in enumerate(self.rec.fields) if f.tag in tags]
        if not positions:
            self._add(*fields)
            return
        at = positions[-1] + 1
        # ... but never before a field of a lower tag (a 700 goes after the 245 that follows a new 100)
        while at < len(self.rec.fields) and self.rec.fields[at].tag < fields[0].tag:
            at += 1
        self.rec.fields[at:at] = fields

    def write_contributors(self) -> None:
        wanted = [dict(c) for c in self.record.contributors or []]
        kept = []
        for field in self.rec.get_fields(*CONTRIBUTOR_TAGS):
            entry = contributor_from_field(field)
            if entry in wanted:
                kept.append(entry)
            else:
                self.rec.remove_field(field)
        missing = [entry for entry in wanted if entry not in kept]
        if not missing:
            return
        if not self.rec.get_fields("100", "110", "111") and missing[0] == wanted[0]:
            self._add(_contributor_field(missing.pop(0), main=True))
        self._insert_after(_CONTRIBUTOR_TAG_SET, [_contributor_field(entry, main=False) for entry in missing])

    def write_subjects(self) -> None:
        wanted = list(self.record.subjects or [])
        covered = set()
        for field in self.rec.get_fields(*SUBJECT_TAGS):
            headings = subject_headings(field)
            if headings and all(h in wanted for h in headings):
                covered.update(headings)
            else:
                self.rec.remove_field(field)
        missing = [_subject_field(h) for h in wanted if h.strip() and h not in covered]
        if missing:
            self._insert_after(_SUBJECT_TAG_SET, missing)

    def write_classification(self) -> None:
        r = self.record
        tag = {ClassificationScheme.DDC: "082", ClassificationScheme.UDC: "080", ClassificationScheme.LCC: "050"}
        old_scheme = self.original.get("classification_scheme")
        for scheme in {r.classification_scheme, old_scheme}:
            if scheme in tag:
                self._remove(tag[scheme])
        if r.class_number and r.classification_scheme in tag:
            if r.classification_scheme == ClassificationScheme.LCC and " " in r.class_number:
                a, b = r.class_number.split(" ", 1)
                subfields = [Subfield("a", a), Subfield("b", b)]
            else:
                subfields = [Subfield("a", r.class_number)]
            ind = Indicators("0", "4") if r.classification_scheme != ClassificationScheme.UDC else Indicators(" ", " ")
            self._add(Field(tag[r.classification_scheme], ind, subfields))

    def write_call_number(self) -> None:
        self._remove(*CALL_NUMBER_TAGS)
        if self.record.call_number:
            self._add(Field("099", Indicators(" ", " "), [Subfield("a", self.record.call_number)]))

    def write_series(self) -> None:
        self._remove(*SERIES_TAGS)
        if self.record.series:
            title, _, volume = self.record.series.partition(" ; ")
            subfields = [Subfield("a", title + (" ;" if volume else ""))]
            if volume:
                subfields.append(Subfield("v", volume))
            self._add(Field("490", Indicators("0", " "), subfields))

    def write_summary(self) -> None:
        self._remove("520")
        for paragraph in (p.strip() for p in (self.record.summary or "").split("\n\n")):
            for piece in _split_for_marc(paragraph):
                self._add(Field("520", Indicators(" ", " "), [Subfield("a", piece)]))

    def write_notes(self) -> None:
        for note in self.rec.get_fields(*NOTE_TAGS):
            if not is_structured_502(note):  # a structured dissertation note belongs to write_thesis
                self.rec.remove_field(note)
        for line in (x.strip() for x in (self.record.notes or "").splitlines()):
            for piece in _split_for_marc(line):
                self._add(Field("500", Indicators(" ", " "), [Subfield("a", piece)]))

    def write_extent(self) -> None:
        self._remove("300")
        if self.record.extent:
            self._add(Field("300", Indicators(" ", " "), [Subfield("a", self.record.extent)]))

    def write_language(self) -> None:
        language = self.record.language or "und"
        _set_008(self.rec, 35, language[:3].ljust(3))
        f041 = self.rec.get("041")
        if f041 is not None and self.record.language:
            subfields = list(f041.subfields)
            for i, s in enumerate(subfields):
                if s.code == "a":
                    subfields[i] = Subfield("a", self.record.language)
                    break
            f041.subfields = subfields

    def write_thesis(self) -> None:
        r = self.record
        for note in self.rec.get_fields("502"):
            if is_structured_502(note):
                self.rec.remove_field(note)
        subfields = []
        if r.thesis_kind:
            subfields.append(Subfield("g", r.thesis_kind.capitalize()))
        if r.degree:
            subfields.append(Subfield("b", r.degree))
        if r.degree_institution:
            subfields.append(Subfield("c", r.degree_institution))
        if r.degree_year or (subfields and r.year):
            subfields.append(Subfield("d", str(r.degree_year or r.year)))
        if subfields:
            self._add(Field("502", Indicators(" ", " "), subfields))
        if r.material_type == MaterialType.THESIS:
            _set_008(self.rec, 24, "m")

    def write_material_type(self) -> None:
        leader = str(self.rec.leader)
        code = LEADER_TYPES.get(self.record.material_type, "am")
        self.rec.leader = pymarc.Leader(leader[:6] + code + leader[8:])


# Which columns each rewrite owns, in the order they are written.
REWRITES = [
    (("title", "subtitle", "responsibility"), "write_title"),
    (("edition",), "write_edition"),
    (("place", "publisher", "year"), "write_publication"),
    (("isbns",), "write_isbns"),
    (("issn",), "write_issn"),
    (("contributors",), "write_contributors"),
    (("subjects",), "write_subjects"),
    (("classification_scheme", "class_number"), "write_classification"),
    (("call_number",), "write_call_number"),
    (("series",), "write_series"),
    (("summary",), "write_summary"),
    (("notes",), "write_notes"),
    (("extent",), "write_extent"),
    (("language",), "write_language"),
    (("thesis_kind", "degree", "degree_institution", "degree_year"), "write_thesis"),
    (("material_type",), "write_material_type"),
]


def parse_stored(marc: bytes | memoryview) -> pymarc.Record:
    """The stored original (UTF-8 ISO 2709) as a pymarc record."""
    return pymarc.Record(bytes(marc), to_unicode=True, force_utf8=True, utf8_handling="replace")


def record_to_marc(record, *, call_number_rule: str | None = None) -> pymarc.Record:
    """The MARC 21 record to export for ``record`` (UTF-8, leader/09 ``a``), with ``999 $c <id> $2 pustaka``.

    With a stored original every field is kept, 001 included; when a cataloguer has edited the record
    since import, the descriptive fields whose columns changed are rewritten from the columns. A
    record catalogued here is built from its columns, with the system id in 001.
    """
    if record.marc:
        rec = parse_stored(record.marc)
        if record.marc_edited:
            original = fields_from_marc(rec, call_number_rule=call_number_rule or _rule())
            rewriter = _Rewriter(rec, record, original)
            for columns, method in REWRITES:
                if any(_column(record, name) != original.get(name) for name in columns):
                    getattr(rewriter, method)()
    else:
        rec = pymarc.Record(leader="00000n" + LEADER_TYPES.get(record.material_type, "am") + " a2200000 i 4500")
        rec.add_field(Field("001", data=str(record.pk)))
        rec.add_field(Field("003", data=PUSTAKA_ID_SOURCE))
        rec.add_field(Field("008", data=_new_008(record)))
        rewriter = _Rewriter(rec, record, None)
        for columns, method in REWRITES:
            if method in ("write_language", "write_material_type"):
                continue  # already in the leader and 008
            if any(_column(record, name) not in (None, "", []) for name in columns):
                getattr(rewriter, method)()
    write_extras(rec, record, extras_of(record), built_here=not record.marc)
    for field in rec.get_fields(PUSTAKA_ID_TAG):
        if PUSTAKA_ID_SOURCE in field.get_subfields("2"):
            rec.remove_field(field)
    rec.add_ordered_field(
        Field(PUSTAKA_ID_TAG, Indicators(" ", " "), [Subfield("c", str(record.pk)), Subfield("2", PUSTAKA_ID_SOURCE)])
    )
    rec.leader = pymarc.Leader(str(rec.leader)[:9] + "a" + str(rec.leader)[10:])
    return rec


def rda_types(record, extras: ExportExtras) -> tuple[list, list, list]:
    """The record's RDA content, media and carrier types as ``(term, code)`` lists: the material type's
    own, then those of its digital formats (computer / online resource) when it has an online copy."""
    content, media, carrier = MATERIAL_RDA.get(record.material_type, MATERIAL_RDA["other"])
    contents, medias, carriers = [content], [media], [carrier]
    if extras.locations:
        if record.material_type in DIGITAL_TYPES:
            # the record describes the online thing itself: it is not also on a disc or on paper
            medias, carriers = ["computer"], ["online"]
            contents = extras.contents or contents
        else:
            medias.append("computer")
            carriers.append("online")
            contents.extend(extras.contents)
    unique = lambda keys: list(dict.fromkeys(keys))  # noqa: E731
    return (
        [RDA_CONTENT[k] for k in unique(contents)],
        [RDA_MEDIA[k] for k in unique(medias)],
        [RDA_CARRIER[k] for k in unique(carriers)],
    )


def write_extras(rec: pymarc.Record, record, extras: ExportExtras, *, built_here: bool) -> None:
    """Add what the record's digital resources say: 856 per online location (a link the record already
    has is not repeated), 250 and 538 for software, and 336-338 when the record has none of them and
    was catalogued here or is online."""
    present = {u for f in rec.get_fields("856") for u in f.get_subfields("u")}
    second = "0" if record.material_type in DIGITAL_TYPES else "1"  # the resource itself, or a version of it
    for location in extras.locations:
        if location.url in present:
            continue
        present.add(location.url)
        subfields = [Subfield("u", location.url)]
        if location.media_type:
            subfields.append(Subfield("q", location.media_type))
        if location.link_text:
            subfields.append(Subfield("y", str(location.link_text)))
        if location.access_note:
            subfields.append(Subfield("z", str(location.access_note)))
        rec.add_ordered_field(Field("856", Indicators("4", second), subfields))
    editions = " ".join(v for f in rec.get_fields("250") for v in f.get_subfields("a", "b"))
    for version in extras.versions:
        if version not in editions:
            rec.add_ordered_field(
                Field("250", Indicators(" ", " "), [Subfield("a", _("Version %(version)s") % {"version": version})])
            )
    details = " ".join(v for f in rec.get_fields("538") for v in f.get_subfields("a"))
    for platform in extras.platforms:
        if platform not in details:
            note = _("Platform: %(platform)s") % {"platform": platform}
            rec.add_ordered_field(Field("538", Indicators(" ", " "), [Subfield("a", note)]))
    if rec.get_fields("336", "337", "338") or not (built_here or extras.locations):
        return
    contents, medias, carriers = rda_types(record, extras)
    groups = (("336", contents, "rdacontent"), ("337", medias, "rdamedia"), ("338", carriers, "rdacarrier"))
    for tag, values, source in groups:
        for term, code in values:
            rec.add_ordered_field(
                Field(tag, Indicators(" ", " "), [Subfield("a", term), Subfield("b", code), Subfield("2", source)])
            )


def _column(record, name: str):
    value = getattr(record, name)
    return list(value) if isinstance(value, list | tuple) else value


def _rule() -> str:
    from pustaka.core.models import Library

    return Library.current().call_number_rule


def pustaka_id(rec: pymarc.Record) -> int | None:
    """The Pustaka record id in ``999 $c`` (with ``$2 pustaka``), if the record carries one."""
    for field in rec.get_fields(PUSTAKA_ID_TAG):
        if PUSTAKA_ID_SOURCE in field.get_subfields("2"):
            for value in field.get_subfields("c"):
                if value.strip().isdigit():
                    return int(value)
    return None
