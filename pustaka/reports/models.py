"""Reports have no table of their own: every figure is aggregated from the other apps' tables.

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
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
