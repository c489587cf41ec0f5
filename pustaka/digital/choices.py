"""Digital library choices."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.choices import ColouredChoices


class ResourceKind(ColouredChoices):
    """What kind of digital resource is attached to a record."""

    EBOOK = "ebook", _("E-book")
    EJOURNAL = "ejournal", _("E-journal")
    DATABASE = "database", _("Database")
    SOFTWARE = "software", _("Software")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    DATASET = "dataset", _("Dataset")
    OTHER = "other", _("Other")


class FileRole(ColouredChoices):
    """What a file is to its resource."""

    CONTENT = "content", _("Content")
    COVER = "cover", _("Cover image")
    INSTALLER = "installer", _("Installer")
    SUPPLEMENT = "supplement", _("Supplement")


class FileState(ColouredChoices):
    """The preservation state of a stored file, set by fixity checks."""

    OK = "ok", _("Intact")
    MISSING = "missing", _("Missing")
    CHANGED = "changed", _("Changed (damaged)")


class AccessAction(ColouredChoices):
    """What a reader asked to do with a resource."""

    VIEW = "view", _("Read online")
    DOWNLOAD = "download", _("Download")
    LINK = "link", _("Follow link")


class RefusalReason(ColouredChoices):
    """Why an access was refused (one reason per refusal; used by usage statistics)."""

    LOGIN_REQUIRED = "login_required", _("Login required")
    NO_LICENCE = "no_licence", _("No licence covers this resource")
    NOT_STARTED = "not_started", _("Licence not yet in force")
    EXPIRED = "expired", _("Licence expired")
    MEMBERSHIP = "membership", _("Your library membership is not active")
    BLOCKED = "blocked", _("Your library account is blocked; please ask at the library desk")
    CATEGORY = "category", _("Not licensed for your patron category")
    OFF_SITE = "off_site", _("Only available inside the library")
    CONCURRENCY = "concurrency", _("Too many readers at the same time")
    NO_DOWNLOAD = "no_download", _("Download not allowed; read online")
    EMBARGO = "embargo", _("Under embargo")
    FILE_UNAVAILABLE = "file_unavailable", _("File unavailable")
    SEAT_REQUIRED = "seat_required", _("Borrow a seat of this software at the desk first")


class CheckOutcome(ColouredChoices):
    """The result of a fixity check or a link check."""

    OK = "ok", _("OK")
    CHANGED = "changed", _("Changed")
    MISSING = "missing", _("Missing")
    BROKEN = "broken", _("Broken")
    REDIRECTED = "redirected", _("Redirected")
    ERROR = "error", _("Error")


FileState.set_colours({"ok": "green", "missing": "red", "changed": "red"})
CheckOutcome.set_colours(
    {"ok": "green", "changed": "red", "missing": "red", "broken": "red", "redirected": "yellow", "error": "orange"}
)
