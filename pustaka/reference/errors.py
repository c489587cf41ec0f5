"""Why a question could not be asked, answered or closed."""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, PustakaError, ValidationFailed


class HelpRequestNotFound(NotFound):
    code = "help_request_not_found"
    message = _("There is no question #%(help_request)s.")


class HelpRequestClosed(Conflict):
    code = "help_request_closed"
    message = _("Question #%(help_request)s is closed; nothing was changed.")


class InvalidQuestion(ValidationFailed):
    code = "invalid_question"
    message = _("The question is not valid.")


class TooManyQuestions(PustakaError):
    code = "too_many_questions"
    status = 429
    message = _("Too many questions were sent from here in the last hour; please try again later.")


class CannotAnswer(ValidationFailed):
    code = "cannot_answer"
    message = _("%(user)s cannot answer questions; choose a staff member who can.")
