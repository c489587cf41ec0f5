"""Demo library part: loan rules, closed days, loans, overdues, holds and fines.

Everything goes through the circulation actions with the admin as the actor. The loader creates the
copies whose fate belongs to the desk (on loan, returned, on the hold shelf, in transit, lost, found)
on the shelf; here each is lent to a demo patron with back-dated times and its fate made by the desk's
own actions, so no copy is ever "on loan" without its loan.
Patron D0001 gets no loans and B000001 stays available at MAIN.
"""

import contextlib
import datetime
from decimal import Decimal
from itertools import cycle

from django.utils import timezone

from pustaka.circulation import actions
from pustaka.circulation.choices import FeeKind, PaymentMethod
from pustaka.core.errors import PustakaError
from pustaka.holdings.choices import ItemStatus

KEEP_FREE_CARD = "D0001"
KEEP_FREE_ITEM = "B000001"

#: Closed days of every branch (national holidays), then one of NORTH only.
HOLIDAYS = [
    (datetime.date(2026, 1, 1), "Tahun Baru Masehi"),
    (datetime.date(2026, 3, 20), "Hari Raya Idul Fitri 1447 H"),
    (datetime.date(2026, 3, 21), "Hari Raya Idul Fitri 1447 H"),
    (datetime.date(2026, 5, 1), "Hari Buruh Internasional"),
    (datetime.date(2026, 6, 1), "Hari Lahir Pancasila"),
    (datetime.date(2026, 8, 17), "Hari Kemerdekaan Republik Indonesia"),
    (datetime.date(2026, 12, 25), "Hari Raya Natal"),
    (datetime.date(2027, 1, 1), "Tahun Baru Masehi"),
]
NORTH_CLOSED = [(datetime.date(2026, 12, 28), "Inventarisasi koleksi")]

#: Loan rules: (category, item type, branch) codes (None = any) and the rule's values.
RULES = [
    (
        (None, None, None),
        {
            "loan_days": 14,
            "renewals": 2,
            "max_items": 10,
            "fine_per_day": 1000,
            "max_fine": 25000,
            "grace_days": 1,
            "hold_shelf_days": 7,
        },
    ),
    (("STUDENT", None, None), {"loan_days": 14, "renewals": 2, "max_items": 5, "fine_per_day": 500, "max_fine": 15000}),
    (("STAFF", None, None), {"loan_days": 28, "renewals": 3, "max_items": 20, "fine_per_day": 500}),
    (("CHILD", None, None), {"loan_days": 7, "renewals": 1, "max_items": 3, "fine_per_day": 200, "max_fine": 5000}),
    ((None, "AV", None), {"loan_days": 7, "renewals": 1, "max_items": 3, "fine_per_day": 2000, "max_fine": 30000}),
    ((None, "MAG", None), {"loan_days": 7, "renewals": 1, "max_items": 5, "fine_per_day": 500, "max_fine": 10000}),
    ((None, "REF", None), {"loan_days": 1, "renewals": 0, "max_items": 0, "holds_allowed": False}),
    (("STAFF", "AV", None), {"loan_days": 14, "renewals": 2, "max_items": 5, "fine_per_day": 1000}),
    (("PUBLIC", "BOOK", "NORTH"), {"loan_days": 21, "renewals": 1, "max_items": 8}),
]


def _rules(demo) -> int:
    from pustaka.core.models import Branch
    from pustaka.holdings.models import ItemType
    from pustaka.patrons.models import PatronCategory

    categories = {c.code: c for c in PatronCategory.objects.all()}
    types = {t.code: t for t in ItemType.objects.all()}
    branches = {b.code: b for b in Branch.objects.all()}
    made = 0
    for (category, item_type, branch), values in RULES:
        if (category and category not in categories) or (item_type and item_type not in types):
            continue
        actions.create_loan_rule(
            actor=demo.actor,
            patron_category=categories.get(category),
            item_type=types.get(item_type),
            branch=branches.get(branch),
            **values,
        )
        made += 1
    for day, reason in HOLIDAYS:
        actions.add_closed_day(date=day, reason=reason, actor=demo.actor)
    if "NORTH" in branches:
        for day, reason in NORTH_CLOSED:
            actions.add_closed_day(date=day, reason=reason, branch=branches["NORTH"], actor=demo.actor)
    return made


def load_circulation(demo) -> None:
    """Loan rules, closed days, loans (some overdue), holds waiting and ready, a transit, fines, a
    payment, a waiver, a lost item and a claim of return."""
    from pustaka.holdings.models import Item
    from pustaka.patrons.models import Patron

    rules = _rules(demo)
    now = timezone.now()
    actor = demo.actor
    # The copies the loader created for the desk's fates, still on the shelf (technical services may
    # have taken one for the bindery or a stocktake since): each fate is made here by real loans.
    fated = {item.pk: fate for item, fate in demo.desk_fates}
    waiting_copies = Item.objects.filter(pk__in=fated, status=ItemStatus.AVAILABLE).select_related("branch")
    fates: dict[str, list] = {}
    for item in waiting_copies.order_by("barcode"):
        fates.setdefault(fated[item.pk], []).append(item)
    patrons = list(
        Patron.objects.filter(is_active=True, expires_on__gte=timezone.localdate())
        .exclude(card_number=KEEP_FREE_CARD)
        .select_related("category")
        .order_by("card_number")
    )
    if not patrons:
        demo.say(f"Circulation: {rules} loan rules, {len(HOLIDAYS)} closed days; no patrons to lend to.")
        return
    ring = cycle(patrons)

    def lend(item, days_ago, exclude=()):
        """Lend to the next patron who may borrow it; None when nobody may."""
        for _ in range(len(patrons)):
            patron = next(ring)
            if patron.pk in exclude:
                continue
            try:
                return actions.checkout(
                    item=item,
                    patron=patron,
                    branch=item.branch,
                    actor=actor,
                    now=now - datetime.timedelta(days=days_ago, hours=3),
                )
            except PustakaError:
                continue
        return None

    loans = []
    for index, item in enumerate(i for i in fates.get("on_loan", []) if i.barcode != KEEP_FREE_ITEM):
        loan = lend(item, 30 + index % 10 if index % 4 == 0 else 1 + index % 10)
        if loan is not None:
            loans.append(loan)
    # Copies that went out three weeks ago and came back a week later: their loans are history.
    for item in fates.get("returned", []):
        if lend(item, 21) is not None:
            actions.checkin(item=item, branch=item.branch, actor=actor, now=now - datetime.timedelta(days=7))
    # Holds ready on the hold shelf: lent, a hold placed by someone else, returned today.
    ready = 0
    for item in fates.get("on_hold_shelf", []):
        loan = lend(item, 12)
        if loan is None:
            continue
        hold = _try_hold(
            demo, patrons, item.record, item.branch, exclude={loan.patron_id}, when=now - datetime.timedelta(days=4)
        )
        actions.checkin(item=item, branch=item.branch, actor=actor, now=now)
        ready += hold is not None
    # Copies returned today at the other branch travel home.
    transit = 0
    for item in fates.get("in_transit", []):
        other = next((b for b in demo.branches.values() if b.pk != item.branch_id), None)
        if other is not None and lend(item, 5) is not None:
            actions.checkin(item=item, branch=other, actor=actor, now=now)
            transit += 1
    # Copies declared lost two weeks ago; some of them found and returned since.
    for item in fates.get("lost", []):
        loan = lend(item, 60)
        if loan is not None:
            actions.declare_lost(loan=loan, actor=actor, now=now - datetime.timedelta(days=14))
    for item in fates.get("found", []):
        loan = lend(item, 90)
        if loan is not None:
            actions.declare_lost(loan=loan, actor=actor, now=now - datetime.timedelta(days=30))
            actions.checkin(item=item, branch=item.branch, actor=actor, now=now - datetime.timedelta(days=2))
    # Holds waiting in the queue for titles that are out.
    waiting = 0
    for loan in loans[1::5]:
        hold = _try_hold(
            demo,
            patrons,
            loan.item.record,
            loan.item.branch,
            exclude={loan.patron_id},
            when=now - datetime.timedelta(days=2),
        )
        waiting += hold is not None
    overdue = [loan for loan in loans if loan.due_at < now]
    current = [loan for loan in loans if loan.due_at >= now]
    # Two overdue copies come back today (fines by the calendar); one patron pays part, one fine is waived.
    fines = []
    for loan in overdue[:2]:
        result = actions.checkin(item=loan.item, branch=loan.item.branch, actor=actor, now=now)
        if result.fine is not None:
            fines.append(result.fine)
    if fines:
        actions.pay(
            patron=fines[0].patron,
            amount=(fines[0].amount / 2).quantize(Decimal("1")),
            method=PaymentMethod.CASH,
            actor=actor,
            branch=fines[0].branch,
            note="Bayar sebagian",
        )
    if len(fines) > 1:
        actions.waive(fee=fines[1], amount=fines[1].amount, reason="Sakit, ada surat dokter", actor=actor)
    # A lost copy; a claim of return; a renewal.
    if len(overdue) > 2:
        actions.declare_lost(loan=overdue[2], actor=actor, now=now)
    if len(overdue) > 3:
        actions.claim_returned(loan=overdue[3], actor=actor, now=now - datetime.timedelta(days=1))
    for loan in current[1:3]:
        with contextlib.suppress(PustakaError):
            actions.renew(loan=loan, actor=actor, now=now)
    actions.charge(
        patron=patrons[0], kind=FeeKind.CARD, amount=Decimal(10000), actor=actor, note="Kartu anggota hilang"
    )
    demo.say(
        f"Circulation: {rules} loan rules, {len(HOLIDAYS) + len(NORTH_CLOSED)} closed days, {len(loans)} loans"
        f" ({len(overdue)} overdue), {ready} holds on the hold shelf, {waiting} waiting, {transit} in transit,"
        f" {len(fines)} fines."
    )


def _try_hold(demo, patrons, record, pickup, *, exclude, when):
    """Place a hold for the first patron who may; None when the rules refuse everyone."""
    for patron in patrons:
        if patron.pk in exclude:
            continue
        try:
            return actions.place_hold(patron=patron, record=record, pickup_branch=pickup, actor=demo.actor, now=when)
        except PustakaError:
            continue
    return None
