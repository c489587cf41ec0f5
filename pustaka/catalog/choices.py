"""Catalogue choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# ClassificationScheme is declared in core (the library's settings name the default one).
from pustaka.core.choices import ClassificationScheme as ClassificationScheme
from pustaka.core.choices import template_kind


class MaterialType(models.TextChoices):
    """What kind of thing a record describes."""

    BOOK = "book", _("Book")
    THESIS = "thesis", _("Thesis or dissertation")
    MAGAZINE = "magazine", _("Magazine")
    NEWSPAPER = "newspaper", _("Newspaper")
    EBOOK = "ebook", _("E-book")
    EJOURNAL = "ejournal", _("E-journal")
    DATABASE = "database", _("Database")
    SOFTWARE = "software", _("Software")
    AUDIO = "audio", _("Audio recording")
    VIDEO = "video", _("Video")
    MAP = "map", _("Map")
    SCORE = "score", _("Music score")
    OTHER = "other", _("Other")

    @classmethod
    def serials(cls) -> set[str]:
        return {cls.MAGAZINE, cls.NEWSPAPER, cls.EJOURNAL}


@template_kind("contributor_role")
class ContributorRole(models.TextChoices):
    """MARC relator terms most used in a general library."""

    AUTHOR = "author", _("Author")
    EDITOR = "editor", _("Editor")
    TRANSLATOR = "translator", _("Translator")
    ILLUSTRATOR = "illustrator", _("Illustrator")
    COMPILER = "compiler", _("Compiler")
    CONTRIBUTOR = "contributor", _("Contributor")
    CORPORATE = "corporate", _("Corporate body")
    MEETING = "meeting", _("Meeting")
    PERFORMER = "performer", _("Performer")
    COMPOSER = "composer", _("Composer")
    DIRECTOR = "director", _("Director")
    PUBLISHER = "publisher", _("Publisher")
    THESIS_ADVISOR = "thesis_advisor", _("Thesis advisor")
    PROGRAMMER = "programmer", _("Programmer")
    DEVELOPER = "developer", _("Developer")


class ThesisKind(models.TextChoices):
    """The kind of thesis, by the degree it was written for (Indonesian S1, S2, S3)."""

    SKRIPSI = "skripsi", _("Skripsi (bachelor's thesis)")
    TESIS = "tesis", _("Tesis (master's thesis)")
    DISERTASI = "disertasi", _("Disertasi (doctoral dissertation)")


class RecordSource(models.TextChoices):
    MANUAL = "manual", _("Catalogued here")
    MARC = "marc", _("Imported from MARC")
