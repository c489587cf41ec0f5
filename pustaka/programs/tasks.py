"""Background jobs of programs (run by ``pustaka worker``): reminders the day before each session.

The job runs every hour; each reminder is logged with a unique key first, so running it again (or
running the ``send_program_reminders`` command as well) never sends one twice.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import actions


@db_periodic_task(crontab(minute="5"))
def program_reminders() -> int:
    """Remind tomorrow's registered patrons by the channels they chose (each reminder once)."""
    return actions.send_reminders(actor=None)
