"""Authority records: the one authorised form of a name or subject, its see-from variants and see-also
references, and the links from bibliographic records that use it.

An :class:`Authority` is a MARC 21 authority record in columns: the authorised heading (1xx: 100
personal name, 110 corporate name, 150 topical subject), :class:`SeeFrom` variants (4xx, "used for")
and :class:`SeeAlso` references (5xx: broader, narrower, related). ``key`` is the heading's comparison
key (:func:`pustaka.authorities.headings.heading_key`): one authority per kind and key, one variant per
authority and key. An :class:`AuthorityLink` says that a heading written in a record (a contributor's
name or a subject) is that authority; a record's heading links to at most one authority. Catalog's
models are only read: the links live here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pustaka.core.models import TimeStamped

from .choices import AuthorityKind, LinkField, Relation


class Authority(TimeStamped):
    """One authorised heading (a person, a body or a topic) with its source and notes."""

    kind = models.CharField(_("kind"), max_length=12, choices=AuthorityKind.choices)
    heading = models.CharField(_("authorised heading"), max_length=500)
    dates = models.CharField(_("dates"), max_length=100, blank=True, help_text=_("A person's dates, e.g. 1925-2006."))
    key = models.CharField(max_length=500, editable=False, db_index=True)
    source = models.CharField(
        _("source"), max_length=60, blank=True, help_text=_("The list the heading comes from, e.g. DTSPN, LCSH, local.")
    )
    control_number = models.CharField(_("control number (001)"), max_length=64, blank=True, db_index=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["key", "id"]
        verbose_name = _("authority record")
        verbose_name_plural = _("authority records")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="authority_one_per_heading")]
        permissions = [("maintain_authorities", _("Can edit, import, link and merge authority records"))]

    def __str__(self) -> str:
        return f"{self.heading}, {self.dates}" if self.dates else self.heading


class SeeFrom(models.Model):
    """A variant form (4xx, "used for"): searching it finds the records of the authorised heading."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="variants")
    heading = models.CharField(_("variant"), max_length=500)
    key = models.CharField(max_length=500, editable=False, db_index=True)

    class Meta:
        ordering = ["heading", "id"]
        verbose_name = _("see-from reference")
        verbose_name_plural = _("see-from references")
        constraints = [models.UniqueConstraint(fields=["authority", "key"], name="seefrom_one_per_form")]

    def __str__(self) -> str:
        return self.heading


class SeeAlso(models.Model):
    """A see-also reference (5xx) to a broader, narrower or related heading (an authority when one has it)."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="see_also")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices, default=Relation.RELATED)
    heading = models.CharField(_("heading"), max_length=500)
    key = models.CharField(max_length=500, editable=False)
    target = models.ForeignKey(
        Authority, on_delete=models.SET_NULL, null=True, blank=True, related_name="referred_from", editable=False
    )

    class Meta:
        ordering = ["relation", "heading", "id"]
        verbose_name = _("see-also reference")
        verbose_name_plural = _("see-also references")
        constraints = [models.UniqueConstraint(fields=["authority", "relation", "key"], name="seealso_one_per_term")]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.heading}"


class AuthorityLink(models.Model):
    """A heading of a bibliographic record (as the record writes it) is this authority."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="links")
    record = models.ForeignKey("catalog.Record", on_delete=models.CASCADE, related_name="authority_links")
    field = models.CharField(_("field"), max_length=12, choices=LinkField.choices)
    heading = models.CharField(_("heading in the record"), max_length=1000)
    automatic = models.BooleanField(_("linked automatically"), default=False)
    created_at = models.DateTimeField(_("linked"), auto_now_add=True)

    class Meta:
        ordering = ["record_id", "field", "id"]
        verbose_name = _("authority link")
        verbose_name_plural = _("authority links")
        constraints = [
            models.UniqueConstraint(fields=["record", "field", "heading"], name="authoritylink_one_per_heading")
        ]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.heading} → {self.authority_id}"
