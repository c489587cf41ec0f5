"""Background jobs of notice deliveries (huey): a scheduled retry, and a sweep for anything due."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def deliver_later(delivery_id: int):
    """Try a failed delivery again (scheduled at its next attempt time)."""
    from .delivery import deliver

    delivery = deliver(delivery_id)
    return delivery.state if delivery is not None else None


@db_periodic_task(crontab(minute="*/5"))
def retry_due_deliveries() -> int:
    """Every five minutes: every queued or failed delivery whose time has come."""
    from .delivery import retry_due

    return retry_due()
