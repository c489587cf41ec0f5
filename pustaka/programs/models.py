"""Programs and events (a series with sessions, registrations, a waiting list, attendance) and help requests."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pustaka.core.models import Branch, TimeStamped

from .choices import ProgramKind, RegistrationMode, RegistrationStatus


class Program(TimeStamped):
    """A program (story time, a computer class, digital library training): a series of sessions.

    Patrons register for the whole series. ``capacity`` places; when they are taken, new registrations
    go on the waiting list and move up in order when a place frees. ``min_age``/``max_age`` (years,
    either may be empty) are checked against the patron's date of birth.
    """

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgramKind.choices, default=ProgramKind.OTHER)
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="programs", verbose_name=_("branch"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="programs_led",
        verbose_name=_("leader"),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    registration_mode = models.CharField(
        _("who registers"), max_length=12, choices=RegistrationMode.choices, default=RegistrationMode.PUBLIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        permissions = [("manage_programs", _("Can create and change programs and their sessions"))]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="program_capacity_positive"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="program_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.registration_mode == RegistrationMode.PUBLIC

    @property
    def age_range(self) -> str:
        if self.min_age is not None and self.max_age is not None:
            return _("%(min)s–%(max)s years") % {"min": self.min_age, "max": self.max_age}
        if self.min_age is not None:
            return ngettext("%(min)s year and over", "%(min)s years and over", self.min_age) % {"min": self.min_age}
        if self.max_age is not None:
            return ngettext("up to %(max)s year", "up to %(max)s years", self.max_age) % {"max": self.max_age}
        return ""


class ProgramSession(models.Model):
    """One meeting of a program: a date, start and end time, a room at a branch, who leads it."""

    program = models.ForeignKey(Program, models.CASCADE, related_name="sessions", verbose_name=_("program"))
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("branch"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("leader")
    )

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("program session")
        verbose_name_plural = _("program sessions")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="session_ends_after_start")
        ]
        permissions = [("take_attendance", _("Can take attendance at program sessions"))]

    def __str__(self) -> str:
        return f"{self.program.title} · {self.date:%Y-%m-%d} {self.start_time:%H:%M}"


class Registration(models.Model):
    """A patron's place in a program (``registered``), or their turn on the waiting list (``waiting``).

    The waiting list is served in order of ``queued_at`` (then id). One active registration per patron
    and program (a partial unique constraint).
    """

    program = models.ForeignKey(Program, models.CASCADE, related_name="registrations", verbose_name=_("program"))
    patron = models.ForeignKey(
        "patrons.Patron", models.PROTECT, related_name="program_registrations", verbose_name=_("patron")
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    queued_at = models.DateTimeField(_("registered"))
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    class Meta:
        ordering = ["queued_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        permissions = [
            ("register_patrons", _("Can register patrons for programs and cancel registrations")),
            ("send_reminders", _("Can send program reminders")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "patron"],
                condition=Q(status__in=["registered", "waiting"]),
                name="one_active_registration_per_patron",
            )
        ]
        indexes = [models.Index(fields=["program", "status", "queued_at"], name="registration_queue_idx")]

    def __str__(self) -> str:
        return f"{self.program.title} · {self.patron.card_number}"


class Attendance(models.Model):
    """A registered patron was present at a session (a row per patron and session)."""

    session = models.ForeignKey(ProgramSession, models.CASCADE, related_name="attendances", verbose_name=_("session"))
    registration = models.ForeignKey(
        Registration, models.CASCADE, related_name="attendances", verbose_name=_("registration")
    )
    marked_at = models.DateTimeField(_("marked"), auto_now_add=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("marked by")
    )

    class Meta:
        ordering = ["session", "registration"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "registration"], name="one_attendance_per_session")]

    def __str__(self) -> str:
        return f"{self.session} · {self.registration.patron.card_number}"
