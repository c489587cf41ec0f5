"""A small library with known figures for the report tests (set up directly, at fixed local times)."""

import datetime

import pytest
from django.utils import timezone

from pustaka.catalog.models import Record
from pustaka.circulation.models import Hold, Loan
from pustaka.core.models import AuditEvent
from pustaka.holdings.actions import move_item
from pustaka.holdings.models import Item, ItemType
from pustaka.patrons.models import Patron, PatronCategory


def at(text: str) -> datetime.datetime:
    """'2026-03-02 10:00' in the library's time zone (Asia/Jakarta)."""
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


@pytest.fixture
def library(db, branch, other_branch, location, item_type, patron_category, librarian):
    """Three titles, six copies (one withdrawn), four patrons, five loans, one hold.

    Loans (local time): L1 i1 p1 MAIN out 2 Mar, back 10 Mar, 1 renewal; L2 i2 p2 MAIN out 20 Mar, due
    3 Apr, back 10 Apr (late); L3 i3 p2 NORTH out 5 Apr, due 19 Apr, still out; L4 i1 p2 MAIN out
    12 Apr, back 20 Apr, 2 renewals; L5 i2 p1 MAIN out 31 May 23:30, back 1 Jun 00:30.
    """
    student = PatronCategory.objects.create(code="STUDENT", name="Pelajar")
    magazine = ItemType.objects.create(code="MAG", name="Majalah")
    novel = Record.objects.create(
        title="Laskar Pelangi",
        class_number="899.221",
        call_number="899.221 HIR l",
        language="ind",
        contributors=[{"name": "Andrea Hirata", "role": "author"}],
    )
    python = Record.objects.create(
        title="Python untuk Pemula", class_number="005.133", call_number="005.133 SUT p", language="eng"
    )
    atlas = Record.objects.create(title="Atlas Indonesia", call_number="R 030 KAM a", language="ind")

    def copy(barcode, record, acquired, *, branch=branch, item_type=item_type, status="available", loans=0, **more):
        return Item.objects.create(
            barcode=barcode,
            record=record,
            branch=branch,
            location=location,
            item_type=item_type,
            status=status,
            acquired_on=acquired,
            loan_count=loans,
            **more,
        )

    i1 = copy("I1", novel, datetime.date(2026, 1, 10), loans=2)
    i2 = copy("I2", novel, datetime.date(2026, 2, 5), loans=2)
    i3 = copy("I3", python, datetime.date(2025, 6, 1), branch=other_branch, item_type=magazine, loans=1)
    i4 = copy("I4", atlas, datetime.date(2020, 1, 1), status="pulled", loans=5, pulled_reason="weed")
    i5 = copy("I5", python, datetime.date(2024, 3, 3))
    i6 = copy("I6", atlas, datetime.date(2026, 5, 15))
    move_item(item=Item.objects.get(pk=i4.pk), to="withdrawn", actor=librarian, workflow="weeding")
    AuditEvent.objects.filter(verb="holdings.item.withdraw").update(occurred_at=at("2026-03-15 09:00"))

    def member(card, category, created, expires, **fields):
        p = Patron.objects.create(
            card_number=card,
            last_name=f"Anggota {card}",
            category=category,
            home_branch=branch,
            expires_on=expires,
            **fields,
        )
        Patron.objects.filter(pk=p.pk).update(created_at=at(created))
        return p

    p1 = member(
        "P1",
        patron_category,
        "2025-05-01 10:00",
        datetime.date(2027, 1, 1),
        first_name="Siti",
        phone="0812-1111",
        email="siti@example.org",
    )
    p2 = member("P2", student, "2026-02-10 10:00", datetime.date(2026, 12, 31), first_name="Budi", phone="0813-2222")
    member("P3", patron_category, "2024-01-01 10:00", datetime.date(2026, 3, 31))
    member("P4", student, "2026-08-01 10:00", datetime.date(2027, 8, 1))

    def loan(item, patron, where, out, due, back=None, renewals=0):
        return Loan.objects.create(
            item=item,
            patron=patron,
            branch=where,
            checked_out_at=at(out),
            due_at=at(due),
            returned_at=at(back) if back else None,
            return_branch=where if back else None,
            renewals=renewals,
        )

    loan(i1, p1, branch, "2026-03-02 10:00", "2026-03-16 23:59", "2026-03-10 11:00", renewals=1)
    loan(i2, p2, branch, "2026-03-20 10:00", "2026-04-03 23:59", "2026-04-10 09:00")
    loan(i3, p2, other_branch, "2026-04-05 10:00", "2026-04-19 23:59")
    loan(i1, p2, branch, "2026-04-12 10:00", "2026-04-26 23:59", "2026-04-20 15:00", renewals=2)
    loan(i2, p1, branch, "2026-05-31 23:30", "2026-06-14 23:59", "2026-06-01 00:30")
    Hold.objects.create(record=novel, patron=p1, pickup_branch=branch, placed_at=at("2026-04-01 08:00"))
    return {"records": (novel, python, atlas), "items": (i1, i2, i3, i4, i5, i6), "student": student,
            "magazine": magazine}  # fmt: skip
