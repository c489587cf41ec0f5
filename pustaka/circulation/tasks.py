"""Background jobs of circulation, run by ``pustaka worker`` (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="7"))
def send_notices() -> dict:
    """Every hour: send the due-soon, overdue, hold-ready and membership-expiring notices not sent yet."""
    from .notices import send_due_notices

    return send_due_notices().as_dict()
