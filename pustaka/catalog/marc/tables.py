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
    "ths": ContributorRole.THESIS_ADVISOR,
    "dgs": ContributorRole.THESIS_ADVISOR,
    "prg": ContributorRole.PROGRAMMER,
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
    "thesis advisor": ContributorRole.THESIS_ADVISOR,
    "degree supervisor": ContributorRole.THESIS_ADVISOR,
    "supervisor": ContributorRole.THESIS_ADVISOR,
    "pembimbing": ContributorRole.THESIS_ADVISOR,
    "dosen pembimbing": ContributorRole.THESIS_ADVISOR,
    "programmer": ContributorRole.PROGRAMMER,
    "pemrogram": ContributorRole.PROGRAMMER,
    "developer": ContributorRole.DEVELOPER,
    "software developer": ContributorRole.DEVELOPER,
    "pengembang": ContributorRole.DEVELOPER,
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
    ContributorRole.THESIS_ADVISOR: "thesis advisor",
    ContributorRole.PROGRAMMER: "programmer",
    ContributorRole.DEVELOPER: "developer",
}
# The relator code written into $4 beside the term (LoC MARC Code List for Relators). The list has no
# code for a developer (only "prg" programmer), so a developer is written with the term alone.
ROLE_CODES = {
    ContributorRole.EDITOR: "edt",
    ContributorRole.TRANSLATOR: "trl",
    ContributorRole.ILLUSTRATOR: "ill",
    ContributorRole.COMPILER: "com",
    ContributorRole.CONTRIBUTOR: "ctb",
    ContributorRole.PERFORMER: "prf",
    ContributorRole.COMPOSER: "cmp",
    ContributorRole.DIRECTOR: "drt",
    ContributorRole.PUBLISHER: "pbl",
    ContributorRole.THESIS_ADVISOR: "ths",
    ContributorRole.PROGRAMMER: "prg",
}
# Material type to leader/06-07 (type of record, bibliographic level) for records built here.
LEADER_TYPES = {
    MaterialType.BOOK: "am",
    MaterialType.THESIS: "am",
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
    MaterialType.THESIS: "Text",
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

# RDA content (336), media (337) and carrier (338) types: (term, code), sources rdacontent, rdamedia,
# rdacarrier. A record built here gets them from its material type (print) and, when it has digital
# resources, from their formats (online).
RDA_CONTENT = {
    "text": ("text", "txt"),
    "program": ("computer program", "cop"),
    "dataset": ("computer dataset", "cod"),
    "music": ("performed music", "prm"),
    "spoken": ("spoken word", "spw"),
    "sounds": ("sounds", "snd"),
    "moving": ("two-dimensional moving image", "tdi"),
    "still": ("still image", "sti"),
    "map": ("cartographic image", "cri"),
    "score": ("notated music", "ntm"),
    "other": ("other", "xxx"),
}
RDA_MEDIA = {
    "unmediated": ("unmediated", "n"),
    "computer": ("computer", "c"),
    "audio": ("audio", "s"),
    "video": ("video", "v"),
    "other": ("other", "x"),
}
RDA_CARRIER = {
    "volume": ("volume", "nc"),
    "sheet": ("sheet", "nb"),
    "online": ("online resource", "cr"),
    "disc": ("computer disc", "cd"),
    "audio_disc": ("audio disc", "sd"),
    "videodisc": ("videodisc", "vd"),
    "other": ("other", "nz"),
}
# Material type to (content, media, carrier) of the thing itself, before any digital resource.
MATERIAL_RDA = {
    MaterialType.BOOK: ("text", "unmediated", "volume"),
    MaterialType.THESIS: ("text", "unmediated", "volume"),
    MaterialType.MAGAZINE: ("text", "unmediated", "volume"),
    MaterialType.NEWSPAPER: ("text", "unmediated", "volume"),
    MaterialType.EBOOK: ("text", "computer", "online"),
    MaterialType.EJOURNAL: ("text", "computer", "online"),
    MaterialType.DATABASE: ("text", "computer", "online"),
    MaterialType.SOFTWARE: ("program", "computer", "disc"),
    MaterialType.AUDIO: ("music", "audio", "audio_disc"),
    MaterialType.VIDEO: ("moving", "video", "videodisc"),
    MaterialType.MAP: ("map", "unmediated", "sheet"),
    MaterialType.SCORE: ("score", "unmediated", "volume"),
    MaterialType.OTHER: ("other", "other", "other"),
}
# Material types whose records describe the digital thing itself (its online copy is not another version).
DIGITAL_TYPES = frozenset({MaterialType.EBOOK, MaterialType.EJOURNAL, MaterialType.DATABASE, MaterialType.SOFTWARE})
