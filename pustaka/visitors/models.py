"""The visitor book (buku tamu): who came into which branch when, why, and how many of them.

A :class:`Visit` is a fact row, one per arrival (a group counts as ``count`` people); reports add up
``count``. :class:`VisitPurpose` is the library's own list of reasons for coming in. A
:class:`KioskSession` is a screen staff opened for one branch: its secret token, kept in a signed
cookie on that screen, lets the screen record visits and nothing else until staff close it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pustaka.core.models import Branch

from .choices import VisitorCategory, VisitSource


class VisitPurpose(models.Model):
    """A reason for visiting (Membaca, Meminjam/mengembalikan, ...), named in both languages.

    Librarians keep the list; an inactive purpose is no longer offered but its visits keep it.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("visit purpose")
        verbose_name_plural = _("visit purposes")
        constraints = [models.CheckConstraint(condition=~Q(code=""), name="visit_purpose_code_not_empty")]
        permissions = [("manage_purposes", _("Can manage the purposes of visits"))]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the reader's language (Indonesian when there is no English)."""
        if (get_language() or "id").startswith("en") and self.name_en:
            return self.name_en
        return self.name_id


class Visit(models.Model):
    """One arrival at a branch: a member (by card) or a visitor who is not one (name, institution).

    ``count`` is how many people came in (a school group is one row with its size). ``category`` is
    ``member`` for members (their patron category is copied to ``patron_category`` at the time of the
    visit, so a later change of category does not rewrite history) or the kind of visitor.
    """

    branch = models.ForeignKey(Branch, models.PROTECT, related_name="visits", verbose_name=_("branch"))
    visited_at = models.DateTimeField(_("time of visit"))
    patron = models.ForeignKey(
        "patrons.Patron", models.SET_NULL, null=True, blank=True, related_name="visits", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    category = models.CharField(
        _("visitor category"), max_length=20, choices=VisitorCategory.choices, default=VisitorCategory.PUBLIC
    )
    patron_category = models.ForeignKey(
        "patrons.PatronCategory",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member category"),
    )
    purpose = models.ForeignKey(VisitPurpose, models.PROTECT, related_name="visits", verbose_name=_("purpose"))
    count = models.PositiveIntegerField(_("number of people"), default=1)
    source = models.CharField(_("recorded at"), max_length=10, choices=VisitSource.choices, default=VisitSource.DESK)
    kiosk = models.ForeignKey(
        "KioskSession", models.SET_NULL, null=True, blank=True, related_name="visits", verbose_name=_("kiosk")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-visited_at", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="visit_count_positive"),
            # A member's visit names the member; anyone else's names a person or a group.
            models.CheckConstraint(condition=Q(category="member") | ~Q(name=""), name="visit_non_member_has_name"),
        ]
        indexes = [
            models.Index(fields=["visited_at"], name="visit_time_idx"),
            models.Index(fields=["branch", "visited_at"], name="visit_branch_time_idx"),
            models.Index(fields=["patron", "visited_at"], name="visit_patron_time_idx"),
        ]
        permissions = [
            ("record_visit", _("Can record visits")),
            ("open_kiosk", _("Can open and close the visitor kiosk")),
        ]

    def __str__(self) -> str:
        who = self.patron.full_name if self.patron_id and self.patron else self.name
        return f"{who} · {self.branch_id} · {self.visited_at:%Y-%m-%d %H:%M}"


class KioskSession(models.Model):
    """A visitor-kiosk screen opened by staff for one branch; open until staff close it.

    Only a SHA-256 of the screen's token is stored; the token itself lives in the screen's signed
    cookie and allows recording visits at this branch and nothing else.
    """

    branch = models.ForeignKey(Branch, models.PROTECT, related_name="kiosks", verbose_name=_("branch"))
    label = models.CharField(_("screen"), max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("closed by")
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("visitor kiosk")
        verbose_name_plural = _("visitor kiosks")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.branch.code} · {self.label or self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
