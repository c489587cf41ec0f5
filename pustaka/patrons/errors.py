"""Patron errors: each says exactly why a patron, a block, a PIN, a login or an import was refused.

``PatronNotFound`` (an unknown card number) lives in :mod:`pustaka.circulation.errors`, because the desk,
the API and SIP2 all answer it the same way.
"""

from django.utils.translation import gettext_lazy as _

from pustaka.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class DuplicateCard(Conflict):
    code = "duplicate_card"
    message = _("The card number %(card)s already belongs to %(patron)s.")


class InvalidCardNumber(ValidationFailed):
    code = "invalid_card_number"
    message = _("A card number is 1 to 32 letters, digits, dashes or dots, without spaces.")


class NameRequired(ValidationFailed):
    code = "name_required"
    message = _("A patron needs a last name (or the single name they use).")


class InvalidEmail(ValidationFailed):
    code = "invalid_email"
    message = _("“%(email)s” is not a valid email address.")


class InvalidDate(ValidationFailed):
    code = "invalid_date"
    message = _("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2027-06-30.")


class BirthInFuture(ValidationFailed):
    code = "birth_in_future"
    message = _("The date of birth %(date)s is in the future.")


class ExpiryBeforeBirth(ValidationFailed):
    code = "expiry_before_birth"
    message = _("The membership cannot expire (%(expires)s) before the patron was born (%(born)s).")


class UnknownCategory(ValidationFailed):
    code = "unknown_category"
    message = _("There is no patron category with the code “%(code)s”.")


class UnknownBranch(ValidationFailed):
    code = "unknown_branch"
    message = _("There is no branch with the code “%(code)s”.")


class UnknownLanguage(ValidationFailed):
    code = "unknown_language"
    message = _("Choose Indonesian (id) or English (en).")


class GuardianRequired(ValidationFailed):
    code = "guardian_required"
    message = _("%(category)s is a children's category: a patron in it needs a guardian.")


class InvalidGuardian(ValidationFailed):
    code = "invalid_guardian"
    message = _("%(guardian)s cannot be the guardian: %(reason)s.")


class GuardianNotFound(ValidationFailed):
    code = "guardian_not_found"
    message = _("No patron has the card number “%(card)s” to be the guardian.")


class InvalidPin(ValidationFailed):
    code = "invalid_pin"
    message = _("A PIN is 4 to 8 digits.")


class PinsDoNotMatch(ValidationFailed):
    code = "pins_do_not_match"
    message = _("The two PINs are not the same.")


class WrongPassword(ValidationFailed):
    code = "wrong_password"
    message = _("Your password is not correct; the PIN was not changed.")


class ReasonRequired(ValidationFailed):
    code = "reason_required"
    message = _("Say why (the reason is kept in the patron's history).")


class NotBlocked(Conflict):
    code = "not_blocked"
    message = _("%(patron)s has no block set by staff to lift.")


class LoginExists(Conflict):
    code = "login_exists"
    message = _("%(patron)s already has a catalogue login (%(username)s).")


class UsernameTaken(Conflict):
    code = "username_taken"
    message = _("The username %(username)s is already in use.")


class InvalidPassword(ValidationFailed):
    code = "invalid_password"
    message = _("The password is not acceptable: %(reason)s")


class InvalidCategory(ValidationFailed):
    code = "invalid_category"
    message = _("The category is not valid: %(reason)s.")


class DuplicateCategory(Conflict):
    code = "duplicate_category"
    message = _("A patron category with the code %(code)s already exists.")


class NotYourBranch(PermissionDenied):
    code = "not_your_branch"
    message = _("%(patron)s belongs to another branch; only staff of that branch may do this.")


class PatronRecordNotFound(NotFound):
    """An id (API, pages) that names no patron the user may see."""

    code = "patron_not_found"
    message = _("There is no patron #%(id)s.")


class CsvUnreadable(ValidationFailed):
    code = "csv_unreadable"
    message = _("The file cannot be read as CSV text: %(reason)s.")


class CsvMissingColumns(ValidationFailed):
    code = "csv_missing_columns"
    message = _("The CSV file lacks the column(s) %(columns)s; the first line must name the columns.")


class CsvTooManyRows(ValidationFailed):
    code = "csv_too_many_rows"
    message = _("The file has more than %(limit)s rows; split it into smaller files.")


class TextTooLong(ValidationFailed):
    code = "text_too_long"
    message = _("%(label)s is longer than %(limit)s characters.")


class ValueRequired(ValidationFailed):
    code = "value_required"
    message = _("%(label)s is required.")


class BadCharacters(ValidationFailed):
    code = "bad_characters"
    message = _("%(label)s contains characters that cannot be stored.")


class InvalidIdNumber(ValidationFailed):
    """An ID number that cannot be of its type (NIK 16 digits, NISN 10, NIP 18, NIM 5 to 20 letters or digits)."""

    code = "invalid_id_number"
    message = _("%(type)s: %(reason)s")


class IdTypeRequired(ValidationFailed):
    code = "id_type_required"
    message = _("Choose the type of the ID number (NIK, NISN, NIM or NIP).")


class DuplicateIdNumber(Conflict):
    code = "duplicate_id_number"
    message = _("%(patron)s already has the %(type)s %(number)s.")


class UnknownUnit(ValidationFailed):
    code = "unknown_unit"
    message = _("No class, faculty or study programme has the code “%(code)s”.")


class UnitInvalid(ValidationFailed):
    code = "unit_invalid"
    message = _("%(reason)s")


class AcademicYearPlanChanged(Conflict):
    code = "academic_year_plan_changed"
    message = _("Classes or members changed since the preview; look at the preview again before starting the year.")


class AcademicYearNothingToDo(ValidationFailed):
    code = "academic_year_nothing_to_do"
    message = _("No member moves up or graduates: set where each class goes next first.")


class UndoWindowClosed(Conflict):
    code = "undo_window_closed"
    message = _("The new academic year of %(date)s can no longer be undone (it could be until %(until)s).")


class AlreadyUndone(Conflict):
    code = "already_undone"
    message = _("This new academic year was already undone.")


class UnknownChannel(ValidationFailed):
    code = "unknown_notice_channel"
    message = _("Unknown notice channel “%(channel)s”: choose e-mail, WhatsApp or SMS.")


class ChannelNeedsContact(ValidationFailed):
    code = "notice_channel_needs_contact"
    message = _("Notices by %(channel)s need %(contact)s.")
