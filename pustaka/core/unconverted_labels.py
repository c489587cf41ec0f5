"""Labels of audit verbs whose actions are not declared with ``@action`` yet (technical
services, digital resources, programs).

Transitional: each entry leaves this table when its action is declared with
:func:`pustaka.core.registry.action` (the label then lives beside the action). Delete the file when it
is empty. :func:`pustaka.core.registry.labels` reads it after the registry.
"""

from django.utils.translation import gettext_lazy as _

UNCONVERTED_LABELS = {
    "maintenance.processing.profile_create": _("Processing profile created"),
    "maintenance.supervision.take": _("Work taken"),
    "maintenance.supervision.finish": _("Work finished"),
    "maintenance.sale.sell": _("Sale recorded"),
    "maintenance.serials.predict": _("Issues predicted"),
    "maintenance.serials.mark_late": _("Issues marked late"),
    "programs.attendance.mark": _("Attendance marked"),
    "programs.attendance.take": _("Attendance taken"),
    "programs.help.answer": _("Question answered"),
    "programs.help.ask": _("Question asked"),
    "programs.help.assign": _("Question assigned"),
    "programs.help.close": _("Question closed"),
    "programs.program.create": _("Program created"),
    "programs.program.update": _("Program changed"),
    "programs.registration.cancel": _("Registration cancelled"),
    "programs.registration.create": _("Registered for a program"),
    "programs.registration.promote": _("Moved up from the waiting list"),
    "programs.reminders.send": _("Reminders sent"),
    "programs.session.create": _("Session added"),
    "programs.session.update": _("Session changed"),
}
