"""A year of circulation history for the demo library, so every report has months to show.

Over the last twelve months (before the weeks ``load_circulation`` fills), copies on the shelf (and
whose title nobody waits for) go out
and come back through the desk's own actions (``checkout``, ``renew``, ``checkin`` with ``now`` in
the past): more loans in the school months, fewer in the holidays, a few titles lent again and
again. Every loan is back within its loan period, so the history leaves no fines and no copy off
the shelf; card ``D0001`` keeps no loans.
"""

import datetime
import random

from django.utils import timezone

from pustaka.circulation import actions
from pustaka.circulation.choices import HoldStatus
from pustaka.core.errors import PustakaError
from pustaka.holdings.choices import ItemStatus

from .circulation import KEEP_FREE_CARD, KEEP_FREE_ITEM

# Loans a month, oldest month first: quiet in the school holidays (June-July, December).
PER_MONTH = {1: 55, 2: 60, 3: 65, 4: 60, 5: 55, 6: 30, 7: 30, 8: 65, 9: 70, 10: 70, 11: 60, 12: 35}


def load_circulation_history(demo) -> None:
    """Lend and return copies over the past year (the months before the last five weeks)."""
    from pustaka.holdings.models import Item
    from pustaka.patrons.models import Patron

    rng = random.Random(11)
    now = timezone.now()
    fated = {item.pk for item, _fate in demo.desk_fates}
    copies = list(
        Item.objects.filter(status=ItemStatus.AVAILABLE, item_type__is_loanable=True)
        .exclude(pk__in=fated)
        .exclude(barcode=KEEP_FREE_ITEM)
        .exclude(record__holds__status__in=HoldStatus.open())
        .select_related("branch")
        .order_by("barcode")
    )
    patrons = list(
        Patron.objects.filter(is_active=True, expires_on__gte=timezone.localdate(), blocks__isnull=True)
        .exclude(card_number=KEEP_FREE_CARD)
        .order_by("card_number")
    )
    if not copies or not patrons:
        demo.say("Circulation history: no copies or patrons to lend.")
        return
    favourites = copies[: max(1, len(copies) // 10)]  # a tenth of the copies are lent far more often
    lent = renewed = 0
    busy_until: dict[int, datetime.datetime] = {}
    for months_ago in range(12, 0, -1):
        month_start = now - datetime.timedelta(days=30 * months_ago + 35)
        wanted = PER_MONTH[timezone.localtime(month_start).month]
        for _n in range(wanted):
            item = rng.choice(favourites) if rng.random() < 0.4 else rng.choice(copies)
            out = month_start + datetime.timedelta(days=rng.randrange(28), hours=rng.randint(8, 15))
            if busy_until.get(item.pk, out) > out or out > now - datetime.timedelta(days=40):
                continue
            try:
                loan = actions.checkout(item=item, patron=rng.choice(patrons), branch=item.branch,
                                        actor=demo.actor, now=out)  # fmt: skip
                back = out + datetime.timedelta(days=rng.randint(2, 10))
                if rng.random() < 0.15:
                    actions.renew(loan=loan, actor=demo.actor, now=back - datetime.timedelta(days=1))
                    renewed += 1
                actions.checkin(item=item, branch=item.branch, actor=demo.actor, now=back)
            except PustakaError:
                continue
            busy_until[item.pk] = back
            lent += 1
    demo.say(f"Circulation history: {lent} loans over the past year ({renewed} renewed), all returned.")
