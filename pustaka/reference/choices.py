"""Statuses and topics of questions to the librarians."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pustaka.core.choices import ColouredChoices, template_kind


@template_kind("help")
class HelpStatus(ColouredChoices):
    """Where a question to the librarians is: waiting for an answer, answered, or closed."""

    OPEN = "open", pgettext_lazy("status", "Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("status", "Closed")


@template_kind("topic")
class HelpTopic(ColouredChoices):
    """What a question is about."""

    FINDING = "finding", _("Finding a book or resource")
    USING = "using", _("Using a resource or the digital library")
    ACCOUNT = "account", _("My membership or account")
    OTHER = "other", _("Something else")


HelpStatus.set_colours({"open": "orange", "answered": "green", "closed": "grey"})
