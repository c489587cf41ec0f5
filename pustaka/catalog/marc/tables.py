"""The MARC 21 tables Pustaka reads and writes by: tags, relator codes and terms, leader and DCMI types."""

from ..choices import ContributorRole, MaterialType

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
PUSTAKA_ID_TAG = "999"
PUSTAKA_ID_SOURCE = "pustaka"

# Columns and their max_length, so imported text always fits (PostgreSQL refuses longer values).
MAX_LENGTHS = {
    "title": 1000,
    "subtitle": 1000,
    "responsibility": 1000,
    "publisher": 500,
    "place": 300,
    "edition": 200,
    "extent": 500,
    "series": 500,
    "class_number": 100,
    "call_number": 200,
    "control_number": 64,
    "control_number_source": 32,
}
CONTRIBUTOR_TAGS = ("100", "110", "111", "700", "710", "711")
SUBJECT_TAGS = ("600", "610", "611", "630", "647", "648", "650", "651", "653", "654", "655", "656", "657", "658")
_CONTRIBUTOR_TAG_SET = frozenset(CONTRIBUTOR_TAGS)
_SUBJECT_TAG_SET = frozenset(SUBJECT_TAGS)
SERIES_TAGS = ("490", "440", "830")
CALL_NUMBER_TAGS = ("090", "092", "099")
# 5xx notes worth showing to a reader (520 is the summary; 588 and the like are for cataloguers).
NOTE_TAGS = (
    "500",
    "501",
    "502",
    "504",
    "505",
    "508",
    "511",
    "518",
    "521",
    "530",
    "533",
    "534",
    "538",
    "546",
    "550",
    "586",
)
# Every tag fields_from_marc reads (the importer decodes only these; the rest stay in the stored original).
MAPPED_TAGS = frozenset(
    [
        "001",
        "003",
        "008",
        "020",
        "022",
        "041",
        "050",
        "080",
        "082",
        "245",
        "250",
        "260",
        "264",
        "300",
        "520",
        *CALL_NUMBER_TAGS,
        *CONTRIBUTOR_TAGS,
        *SUBJECT_TAGS,
        *SERIES_TAGS,
        *NOTE_TAGS,
    ]
)
CONTROL_SUBFIELDS = frozenset("0123456789")
# Words that keep their final full stop ("24 cm.", "2nd ed.", "Co.").
_ABBREVIATIONS = """
abr al approx assn b bd bros c ca cent cf cm co comp corp d dept diss dr ed eds edn enl et etc fig figs ft govt
hrsg ill illus in inc incl jr jt lb ltd m mm mr mrs ms mt n no nos num oz p pp pref prof pseud pt pts pub publ
repr rev s sec ser sr st suppl tr trans transl univ v vol vols viz vs wt yr hlm jil cet terj
fol col port ports facsim facsims diagr diagrs front pl pls geneal tab tabs fasc
"""
ABBREVIATIONS = frozenset(_ABBREVIATIONS.split())

# Relator codes ($4) and terms ($e, $j) to the roles a library uses; terms in English and Indonesian.
RELATOR_CODES = {
    "aut": ContributorRole.AUTHOR,
    "cre": ContributorRole.AUTHOR,
    "aus": ContributorRole.AUTHOR,
    "lyr": ContributorRole.AUTHOR,
    "lbt": ContributorRole.AUTHOR,
    "edt": ContributorRole.EDITOR,
    "edc": ContributorRole.EDITOR,
    "trl": ContributorRole.TRANSLATOR,
    "ill": ContributorRole.ILLUSTRATOR,
    "pht": ContributorRole.ILLUSTRATOR,
    "art": ContributorRole.ILLUSTRATOR,
    "com": ContributorRole.COMPILER,
    "ctb": ContributorRole.CONTRIBUTOR,
    "prf": ContributorRole.PERFORMER,
    "nrt": ContributorRole.PERFORMER,
    "act": ContributorRole.PERFORMER,
    "sng": ContributorRole.PERFORMER,
    "itr": ContributorRole.PERFORMER,
    "cnd": ContributorRole.PERFORMER,
    "cmp": ContributorRole.COMPOSER,
    "drt": ContributorRole.DIRECTOR,
    "fmd": ContributorRole.DIRECTOR,
    "pbl": ContributorRole.PUBLISHER,
    "isb": ContributorRole.CORPORATE,
}
RELATOR_TERMS = {
    "author": ContributorRole.AUTHOR,
    "joint author": ContributorRole.AUTHOR,
    "writer": ContributorRole.AUTHOR,
    "creator": ContributorRole.AUTHOR,
    "lyricist": ContributorRole.AUTHOR,
    "librettist": ContributorRole.AUTHOR,
    "screenwriter": ContributorRole.AUTHOR,
    "pengarang": ContributorRole.AUTHOR,
    "penulis": ContributorRole.AUTHOR,
    "editor": ContributorRole.EDITOR,
    "ed": ContributorRole.EDITOR,
    "eds": ContributorRole.EDITOR,
    "editor of compilation": ContributorRole.EDITOR,
    "penyunting": ContributorRole.EDITOR,
    "translator": ContributorRole.TRANSLATOR,
    "tr": ContributorRole.TRANSLATOR,
    "trans": ContributorRole.TRANSLATOR,
    "penerjemah": ContributorRole.TRANSLATOR,
    "alih bahasa": ContributorRole.TRANSLATOR,
    "illustrator": ContributorRole.ILLUSTRATOR,
    "ill": ContributorRole.ILLUSTRATOR,
    "photographer": ContributorRole.ILLUSTRATOR,
    "artist": ContributorRole.ILLUSTRATOR,
    "ilustrator": ContributorRole.ILLUSTRATOR,
    "compiler": ContributorRole.COMPILER,
    "comp": ContributorRole.COMPILER,
    "penyusun": ContributorRole.COMPILER,
    "contributor": ContributorRole.CONTRIBUTOR,
    "performer": ContributorRole.PERFORMER,
    "narrator": ContributorRole.PERFORMER,
    "actor": ContributorRole.PERFORMER,
    "singer": ContributorRole.PERFORMER,
    "instrumentalist": ContributorRole.PERFORMER,
    "conductor": ContributorRole.PERFORMER,
    "composer": ContributorRole.COMPOSER,
    "director": ContributorRole.DIRECTOR,
    "film director": ContributorRole.DIRECTOR,
    "publisher": ContributorRole.PUBLISHER,
    "issuing body": ContributorRole.CORPORATE,
}
# The English relator term written into $e on export (authors of a 1xx get none).
ROLE_TERMS = {
    ContributorRole.EDITOR: "editor",
    ContributorRole.TRANSLATOR: "translator",
    ContributorRole.ILLUSTRATOR: "illustrator",
    ContributorRole.COMPILER: "compiler",
    ContributorRole.CONTRIBUTOR: "contributor",
    ContributorRole.PERFORMER: "performer",
    ContributorRole.COMPOSER: "composer",
    ContributorRole.DIRECTOR: "director",
    ContributorRole.PUBLISHER: "publisher",
}
# Material type to leader/06-07 (type of record, bibliographic level) for records built here.
LEADER_TYPES = {
    MaterialType.BOOK: "am",
    MaterialType.EBOOK: "am",
    MaterialType.MAGAZINE: "as",
    MaterialType.NEWSPAPER: "as",
    MaterialType.EJOURNAL: "as",
    MaterialType.DATABASE: "ai",
    MaterialType.SOFTWARE: "mm",
    MaterialType.AUDIO: "jm",
    MaterialType.VIDEO: "gm",
    MaterialType.MAP: "em",
    MaterialType.SCORE: "cm",
    MaterialType.OTHER: "rm",
}
DCMI_TYPES = {
    MaterialType.BOOK: "Text",
    MaterialType.EBOOK: "Text",
    MaterialType.MAGAZINE: "Text",
    MaterialType.NEWSPAPER: "Text",
    MaterialType.EJOURNAL: "Text",
    MaterialType.SCORE: "Text",
    MaterialType.DATABASE: "Dataset",
    MaterialType.SOFTWARE: "Software",
    MaterialType.AUDIO: "Sound",
    MaterialType.VIDEO: "MovingImage",
    MaterialType.MAP: "StillImage",
    MaterialType.OTHER: "PhysicalObject",
}
