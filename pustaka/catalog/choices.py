"""Catalogue choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MaterialType(models.TextChoices):
    """What kind of thing a record describes."""

    BOOK = "book", _("Book")
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


class ClassificationScheme(models.TextChoices):
    DDC = "ddc", _("Dewey Decimal Classification (DDC)")
    UDC = "udc", _("Universal Decimal Classification (UDC)")
    LCC = "lcc", _("Library of Congress Classification (LCC)")
    LOCAL = "local", _("Local scheme")


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


class RecordSource(models.TextChoices):
    MANUAL = "manual", _("Catalogued here")
    MARC = "marc", _("Imported from MARC")
