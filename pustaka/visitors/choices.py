"""Visitor book choices: who a visitor who is not a member is, and where a visit was recorded."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.choices import ColouredChoices


class VisitorCategory(ColouredChoices):
    """Who came in: a member (their patron category is kept beside it) or a kind of visitor."""

    MEMBER = "member", _("Member")
    PUBLIC = "public", _("General public")
    SCHOOL_STUDENT = "school_student", _("School student")
    UNIVERSITY_STUDENT = "university_student", _("University student")
    RESEARCHER = "researcher", _("Researcher")
    GUEST = "guest", _("Official guest")

    @classmethod
    def for_non_members(cls) -> list[tuple[str, str]]:
        return [(value, label) for value, label in cls.choices if value != cls.MEMBER]


class VisitSource(ColouredChoices):
    """Where a visit was counted: the kiosk, the desk, a gate counter (API), or the demo history."""

    KIOSK = "kiosk", _("Visitor kiosk")
    DESK = "desk", _("Desk")
    GATE = "gate", _("Gate counter")
    IMPORT = "import", _("Imported")  # the demo history and bulk loads
