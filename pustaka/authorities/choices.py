"""Kinds of authority records, of see-also references and of the record fields they are linked from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthorityKind(models.TextChoices):
    """What the authorised heading names: MARC 21 authority 100, 110 or 150."""

    PERSONAL = "personal", _("Personal name")
    CORPORATE = "corporate", _("Corporate name")
    TOPICAL = "topical", _("Topical subject")

    @property
    def tag(self) -> str:
        """The heading's tag (``1xx``); ``4xx`` and ``5xx`` use the same last two digits."""
        return {"personal": "100", "corporate": "110", "topical": "150"}[self.value]


class Relation(models.TextChoices):
    """A see-also (5xx) reference: a broader, narrower or related heading (``$w g``, ``$w h``, none)."""

    BROADER = "broader", _("Broader term")
    NARROWER = "narrower", _("Narrower term")
    RELATED = "related", _("Related term")


class LinkField(models.TextChoices):
    """Where in a bibliographic record the linked heading is written."""

    CONTRIBUTOR = "contributor", _("Contributor")
    SUBJECT = "subject", _("Subject")
