"""What fixity and link checks say about a file or a link, translated when it is shown.

The database keeps the English text of :data:`MESSAGES` as a stable code (``FixityCheck.note``,
``LinkCheck.error``), never a translation: pages, the API (``note_label``, ``error_label``), commands
and e-mails translate it at display time with :func:`describe`, in the reader's language. Some notes
carry detail that has no translation (an operating-system error); those are shown as they are.
"""

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Fixity (pustaka.digital.fixity, pustaka.digital.actions.preservation)
NO_SUCH_FILE = "no such file"
RESTORED = "restored from an uploaded copy"
# Link checks (pustaka.digital.linkcheck)
NOT_HTTP = "not an http(s) link"
NO_LOCATION = "redirect without a Location"
TOO_MANY_REDIRECTS = "too many redirects"
REDIRECTED_NOT_HTTP = "redirected to a non-http(s) link"
TIMED_OUT = "timed out"
UNKNOWN_HOST = "unknown host"
CONNECTION_REFUSED = "connection refused"
CONNECTION_RESET = "connection reset"
CERTIFICATE_INVALID = "TLS certificate not valid"
TLS_FAILED = "TLS failure"
BAD_ANSWER = "not a valid HTTP answer"

MESSAGES = {
    NO_SUCH_FILE: _("no such file"),
    RESTORED: _("restored from an uploaded copy"),
    NOT_HTTP: _("not an http(s) link"),
    NO_LOCATION: _("a redirect without a target address (Location)"),
    TOO_MANY_REDIRECTS: _("too many redirects"),
    REDIRECTED_NOT_HTTP: _("redirected to a link that is not http(s)"),
    TIMED_OUT: _("timed out"),
    UNKNOWN_HOST: _("unknown host"),
    CONNECTION_REFUSED: _("connection refused"),
    CONNECTION_RESET: _("connection reset"),
    CERTIFICATE_INVALID: _("the site's TLS certificate is not valid"),
    TLS_FAILED: _("the secure (TLS) connection failed"),
    BAD_ANSWER: _("the server's answer is not valid HTTP"),
}
HTTP_STATUS = re.compile(r"HTTP (\d{3})")


def http_status(status: int) -> str:
    """The stored error of a link answered with an HTTP error status."""
    return f"HTTP {status}"


def describe(text: str) -> str:
    """The stored note or error ``text`` in the active language (unknown detail as it is)."""
    if not text:
        return ""
    known = MESSAGES.get(text)
    if known is not None:
        return str(known)
    match = HTTP_STATUS.fullmatch(text)
    if match:
        return gettext("the server answered HTTP %(status)s") % {"status": match.group(1)}
    return text
