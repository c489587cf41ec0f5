"""Background jobs of circulation, run by ``pustaka worker`` (huey; crontabs are in UTC).

The system is the actor (``actor=None``), as for every job the worker runs on its own.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="7"))
def send_notices() -> dict:
    """Every hour: send the due-soon, overdue, hold-ready and membership-expiring notices not sent yet."""
    from .notices import send_due_notices

    return send_due_notices().as_dict()


@db_periodic_task(crontab(hour="17", minute="5"))
def expire_holds() -> int:
    """Every day at 17:05 UTC (00:05 in Jakarta, just after the library's day has turned): close the
    holds past their "not needed after" date and those left on the hold shelf past their last day;
    their copies go to the next hold or back to be shelved. Returns how many holds expired. Running
    it again the same day (or pressing the hold shelf's button as well) finds nothing more to do."""
    from . import actions

    return actions.expire_holds(actor=None)
