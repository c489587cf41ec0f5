"""Mail that an action sends after its transaction commits: one message from a template pair, in the
reader's language; trouble sending is returned as text (recorded by the caller), never raised."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def send_templated_mail(to: str, template: str, context: dict, language: str) -> str:
    """Send ``template``'s ``_subject.txt`` and ``.txt`` (e.g. ``"reference/email/answer"``) to ``to`` in
    ``language``; return "" when sent, else why not."""
    if not to:
        return str(_("no email address"))
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception as error:  # noqa: BLE001 - any mail failure is recorded, not raised
        logger.warning("mail to %s failed: %s", to, error)
        return str(error)[:300]
    return ""
