"""Patrons (anggota): their categories, cards, PINs, guardians and manual blocks."""

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.models import Branch, TimeStamped

from .choices import IdType, NoticeChannel, UnitKind


class PatronCategory(models.Model):
    """A kind of member (student, staff, public, child); loan rules and licences key on it.

    ``max_overdues`` and ``max_fines`` set when a patron of this category is blocked automatically.
    """

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_child = models.BooleanField(_("children's category (needs a guardian)"), default=False)
    membership_days = models.PositiveIntegerField(_("membership period (days)"), default=365)
    max_overdues = models.PositiveIntegerField(_("block when this many items are overdue"), default=5)
    max_fines = models.DecimalField(_("block when fines owed exceed"), max_digits=12, decimal_places=2, default=50000)

    class Meta:
        ordering = ["code"]
        verbose_name = _("patron category")
        verbose_name_plural = _("patron categories")
        permissions = [
            ("manage_categories", _("Can add and change patron categories")),
        ]

    def __str__(self) -> str:
        return self.name


def default_channels() -> list[str]:
    return ["email"]


class InstitutionUnit(models.Model):
    """A class of a school (``VII-A``), a faculty or a study programme of a university.

    ``next_unit`` is where the unit's members move at the new academic year (VII-A → VIII-A);
    members of a ``is_final`` unit graduate then (their membership ends)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=UnitKind.choices, default=UnitKind.CLASS)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("part of")
    )
    next_unit = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moves up to"),
        help_text=_("Where members go at the new academic year."),
    )
    is_final = models.BooleanField(
        _("final year"), default=False, help_text=_("Members graduate at the new academic year.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("class, faculty or programme")
        verbose_name_plural = _("classes, faculties and programmes")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="unit_code_not_empty"),
            models.CheckConstraint(
                condition=Q(is_final=False) | Q(next_unit__isnull=True), name="unit_final_has_no_next"
            ),
        ]
        permissions = [
            ("manage_units", _("Can add and change classes, faculties and programmes")),
            ("start_academic_year", _("Can start a new academic year (move classes up, graduates leave)")),
        ]

    def __str__(self) -> str:
        return self.code if self.name == self.code else f"{self.code} · {self.name}"


class AcademicYearRun(models.Model):
    """One "new academic year": who moved up and who graduated, kept so it can be undone exactly.

    ``changes`` holds, per patron, the unit and expiry before and after
    (``{"patron": 7, "unit": [3, 4], "expires_on": ["2027-06-30", "2027-06-30"]}``)."""

    label = models.CharField(_("academic year"), max_length=20)
    ran_at = models.DateTimeField(_("started"), auto_now_add=True)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    graduates_leave_on = models.DateField(_("graduates' membership ends"))
    moved = models.PositiveIntegerField(_("moved up"), default=0)
    graduated = models.PositiveIntegerField(_("graduated"), default=0)
    changes = models.JSONField(_("changes"), default=list)
    undo_until = models.DateTimeField(_("can be undone until"))
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("undone by")
    )

    class Meta:
        ordering = ["-ran_at", "-id"]
        verbose_name = _("new academic year")
        verbose_name_plural = _("new academic years")

    def __str__(self) -> str:
        return self.label

    @property
    def can_undo(self) -> bool:
        return self.undone_at is None and timezone.now() <= self.undo_until


class Patron(TimeStamped):
    """A member of the library (anggota), identified at the desk and at self-check by the card number.

    ``user`` is the optional OPAC login; ``pin`` (hashed like a password) is for self-check machines.
    """

    card_number = models.CharField(_("card number"), max_length=32, unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150)
    category = models.ForeignKey(PatronCategory, models.PROTECT, related_name="patrons", verbose_name=_("category"))
    home_branch = models.ForeignKey(Branch, models.PROTECT, related_name="patrons", verbose_name=_("home branch"))
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.TextField(_("address"), blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    expires_on = models.DateField(_("membership expires"))
    pin = models.CharField(_("PIN"), max_length=128, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="patron",
        verbose_name=_("catalogue login"),
    )
    guardian = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="wards", verbose_name=_("guardian")
    )
    language = models.CharField(_("preferred language"), max_length=8, default="id")
    keep_history = models.BooleanField(_("keep my reading history"), default=False)
    # When the patron last chose to keep a history: only loans from then on are shown to them.
    history_since = models.DateTimeField(_("reading history kept since"), null=True, blank=True, editable=False)
    staff_note = models.TextField(_("staff note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    id_type = models.CharField(_("ID type"), max_length=8, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    unit = models.ForeignKey(
        InstitutionUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="patrons",
        verbose_name=_("class, faculty or programme"),
    )
    notice_channels = models.JSONField(
        _("notices by"), default=default_channels, blank=True, help_text=_("E-mail, WhatsApp, SMS: one or more.")
    )

    class Meta:
        ordering = ["last_name", "first_name", "card_number"]
        verbose_name = _("patron")
        verbose_name_plural = _("patrons")
        constraints = [
            models.CheckConstraint(condition=~Q(card_number=""), name="patron_card_not_empty"),
            # One card number whatever its case; also the index of every lookup by card (queries.by_card).
            models.UniqueConstraint(Upper("card_number"), name="patron_card_unique_ci"),
            # One patron per NIK, NISN, NIM or NIP.
            models.UniqueConstraint(
                fields=["id_type", "id_number"], condition=~Q(id_number=""), name="patron_id_number_once"
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="patron_name_idx"),
            models.Index(
                fields=["home_branch", "last_name", "first_name", "card_number"], name="patron_branch_name_idx"
            ),
        ]
        permissions = [
            ("register", _("Can register patrons")),
            ("edit_patron", _("Can edit patrons, their PINs, memberships and logins")),
            ("block", _("Can block and unblock patrons")),
            ("import_patrons", _("Can import patrons from CSV")),
            ("print_cards", _("Can print patron cards")),
        ]

    def save(self, *args, **kwargs):
        """Keep ``history_since`` in step with the choice: set when a history starts being kept,
        cleared when the patron stops keeping one (what came before is never shown)."""
        from django.utils import timezone

        if self.keep_history and self.history_since is None:
            self.history_since = timezone.now()
        elif not self.keep_history:
            self.history_since = None
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "history_since"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.full_name} ({self.card_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def set_pin(self, raw: str) -> None:
        self.pin = make_password(raw) if raw else ""

    def check_pin(self, raw: str) -> bool:
        return bool(self.pin) and check_password(raw, self.pin)

    @property
    def notice_channel_labels(self) -> list[str]:
        """The patron's notice channels in words, in the reader's language."""
        return [str(NoticeChannel(c).label) for c in self.notice_channels or [] if c in NoticeChannel.values]

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()


class PatronBlock(models.Model):
    """A manual block put on a patron by staff, until it is lifted."""

    patron = models.ForeignKey(Patron, models.CASCADE, related_name="blocks", verbose_name=_("patron"))
    note = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lifted by")
    )
    lift_note = models.CharField(_("reason for lifting"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("patron block")
        verbose_name_plural = _("patron blocks")

    def __str__(self) -> str:
        return f"{self.patron.card_number}: {self.note}"
