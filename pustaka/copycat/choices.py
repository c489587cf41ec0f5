"""Copy cataloguing choices: the protocol a remote catalogue speaks, and what a search looks for."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.choices import ColouredChoices, template_kind


@template_kind("copycat_protocol")
class Protocol(ColouredChoices):
    """How Pustaka talks to a remote catalogue."""

    SRU = "sru", _("SRU (CQL over HTTP)")
    Z3950 = "z3950", _("Z39.50")


Protocol.set_colours({Protocol.SRU: "blue", Protocol.Z3950: "grey"})


class SearchKind(ColouredChoices):
    """What the librarian typed: an ISBN, a title and/or an author, or keywords."""

    ISBN = "isbn", _("ISBN")
    TITLE_AUTHOR = "title_author", _("Title and author")
    KEYWORD = "keyword", _("Keywords")
