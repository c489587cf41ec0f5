"""Reports aggregate the other apps' tables, through summary tables where counting every row
would be slow: :class:`DailyLoanStat` and :class:`DailyVisitStat`, kept by the actions (see
:mod:`pustaka.reports.stats`).

:class:`ReportAccess` exists only to carry the permissions (a Django permission belongs to a model).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportAccess(models.Model):
    """No rows, no table: the holder of who may read which reports.

    ``view_reports``: every report (librarians, IT managers, administrators).
    ``view_circulation_reports``: the circulation reports only (loans, top titles, overdue list), for
    the circulation desk and senior technicians who supervise it.
    """

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("report access")
        verbose_name_plural = _("report access")
        permissions = [
            ("view_reports", _("Can read every report and statistic")),
            ("view_circulation_reports", _("Can read the circulation reports")),
            ("rebuild_report_stats", _("Can rebuild the report summaries from the loans and visits")),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class SummarySpan(models.TextChoices):
    """How long a summary row's period is: one day, or the calendar month that starts on its day."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class DailyLoanStat(models.Model):
    """Circulation counted per day (and per month) × branch × patron category × item type, in three
    grouping sets: every loan once (``dimension`` empty), by class (DDC hundreds, ``group_key`` the
    first character of the class number) and by language.

    Kept up to date inside the lending, return and renewal actions' transactions (one UPSERT each,
    :mod:`pustaka.reports.stats`), rebuilt from the loans by ``pustaka manage rebuild_report_stats``.
    ``loans``, ``renewals`` and ``late`` (returned after the due date) belong to the day and branch
    the loan was lent; ``returns`` to the day and branch it came back. ``last_loan`` is the highest
    loan counted, so the reports know whether the summary has every loan.
    """

    span = models.CharField(_("span"), max_length=5, choices=SummarySpan.choices)
    day = models.DateField(_("day"))
    branch = models.ForeignKey(
        "core.Branch", models.CASCADE, db_constraint=False, db_index=False, related_name="+", verbose_name=_("branch")
    )
    category = models.ForeignKey(
        "patrons.PatronCategory",
        models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("patron category"),
    )
    item_type = models.ForeignKey(
        "holdings.ItemType",
        models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("item type"),
    )
    dimension = models.CharField(_("dimension"), max_length=10, blank=True)
    group_key = models.CharField(_("group"), max_length=16, blank=True)
    loans = models.PositiveIntegerField(_("loans"), default=0)
    renewals = models.PositiveIntegerField(_("renewals"), default=0)
    late = models.PositiveIntegerField(_("returned late"), default=0)
    returns = models.PositiveIntegerField(_("returns"), default=0)
    last_loan = models.BigIntegerField(_("last loan counted"), default=0)

    class Meta:
        verbose_name = _("daily loan statistic")
        verbose_name_plural = _("daily loan statistics")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["span", "dimension", "day", "branch", "category", "item_type", "group_key"],
                name="dailyloanstat_key",
            )
        ]
        indexes = [models.Index(fields=["last_loan"], name="dailyloanstat_last_idx")]

    def __str__(self) -> str:
        return f"{self.span} {self.day} {self.dimension} {self.group_key}"


class DailyVisitStat(models.Model):
    """The visitor book counted per day × branch, in grouping sets: by hour (``group_key`` '00' to
    '23', local time), by purpose (its id), by visitor category and, for members, by their patron
    category at the time of the visit (``member_category``). ``entries`` are lines of the visitor
    book, ``people`` the visitors (a group counts as its size).

    Kept up to date inside the visit actions' transactions, rebuilt by ``rebuild_report_stats``.
    """

    day = models.DateField(_("day"))
    branch = models.ForeignKey(
        "core.Branch", models.CASCADE, db_constraint=False, db_index=False, related_name="+", verbose_name=_("branch")
    )
    dimension = models.CharField(_("dimension"), max_length=16)
    group_key = models.CharField(_("group"), max_length=32, blank=True)
    entries = models.PositiveIntegerField(_("entries"), default=0)
    people = models.PositiveIntegerField(_("visitors"), default=0)
    last_visit = models.BigIntegerField(_("last visit counted"), default=0)

    class Meta:
        verbose_name = _("daily visit statistic")
        verbose_name_plural = _("daily visit statistics")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["dimension", "day", "branch", "group_key"], name="dailyvisitstat_key")
        ]
        indexes = [models.Index(fields=["last_visit"], name="dailyvisitstat_last_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension} {self.group_key}"
