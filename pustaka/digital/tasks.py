"""Background jobs of the digital library, run by ``pustaka worker`` (huey).

- every night at 02:00 Jakarta time: fixity of the files not checked in ``PUSTAKA_FIXITY_DAYS`` days
  (at most ``PUSTAKA_FIXITY_LIMIT`` files a night when set, so a large store is covered over several
  nights), reporting problems to the IT managers;
- every night at 03:00 Jakarta time: the remote links of resources;
- on demand: a fixity run or a link check started from the API for many files.

huey runs crontabs in UTC (``HUEY["utc"]``); 19:00 and 20:00 UTC are 02:00 and 03:00 in Jakarta.
"""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from pustaka.core.models import User

from .actions.linkcheck import run_link_checks
from .actions.preservation import run_fixity
from .models import DigitalResource


def _actor(user_id):
    return User.objects.filter(pk=user_id).first() if user_id else None


@db_periodic_task(crontab(hour="19", minute="0"))
def nightly_fixity():
    """Re-hash the files due for a check and report problems (the system is the actor)."""
    limit = getattr(settings, "PUSTAKA_FIXITY_LIMIT", 0) or None
    days = getattr(settings, "PUSTAKA_FIXITY_DAYS", 30)
    return run_fixity(actor=None, not_checked_days=days, limit=limit).as_dict()


@db_periodic_task(crontab(hour="20", minute="0"))
def nightly_link_check():
    """Check every active resource's remote link."""
    return run_link_checks(actor=None).as_dict()


@db_task()
def fixity_files(file_ids: list[int], actor_id: int | None = None):
    """A fixity run for the given files, started from the API (the actor's permission was checked there)."""
    return run_fixity(actor=_actor(actor_id), files=file_ids).as_dict()


@db_task()
def link_check_resources(resource_ids: list[int], actor_id: int | None = None):
    """Link checks for the given resources, started from the API."""
    resources = list(DigitalResource.objects.filter(pk__in=resource_ids))
    return run_link_checks(actor=_actor(actor_id), resources=resources).as_dict()
