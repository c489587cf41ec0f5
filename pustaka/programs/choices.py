"""Programs choices: kinds of program, who may register, registration and help-request statuses."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.choices import ColouredChoices, template_kind


@template_kind("kind")
class ProgramKind(ColouredChoices):
    """What sort of program a series is."""

    STORY_TIME = "story_time", _("Story time")
    COMPUTER_CLASS = "computer_class", _("Computer class")
    DIGITAL_TRAINING = "digital_training", _("Digital library training")
    WORKSHOP = "workshop", _("Workshop")
    TALK = "talk", _("Talk or book discussion")
    OTHER = "other", _("Other")


@template_kind("mode")
class RegistrationMode(ColouredChoices):
    """Who may register: patrons themselves in the catalogue (and staff), or staff only."""

    PUBLIC = "public", _("Patrons register in the catalogue")
    STAFF_ONLY = "staff_only", _("Staff register patrons")


@template_kind("registration")
class RegistrationStatus(ColouredChoices):
    """A registration holds a place, waits for one, or was cancelled."""

    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def active(cls) -> set[str]:
        return {cls.REGISTERED, cls.WAITING}


ProgramKind.set_colours(
    {"story_time": "purple", "computer_class": "blue", "digital_training": "green", "workshop": "orange"}
)
RegistrationMode.set_colours({"public": "green", "staff_only": "grey"})
RegistrationStatus.set_colours({"registered": "green", "waiting": "orange", "cancelled": "grey"})
