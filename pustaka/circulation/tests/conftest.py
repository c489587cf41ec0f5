"""Circulation test fixtures: branches open Monday to Saturday, a fixed clock, loans made by the actions."""

import datetime
import zoneinfo

import pytest

WEEK = {str(day): [["08:00", "16:00"]] for day in range(5)} | {"5": [["08:00", "12:00"]]}  # Sunday closed
TZ = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(y, m, d, hh=10, mm=0):
    """A Jakarta time."""
    return datetime.datetime(y, m, d, hh, mm, tzinfo=TZ)


# Monday 3 August 2026, 10:00 in Jakarta; 17 August (Independence Day) is a Monday two weeks later.
NOW = at(2026, 8, 3)


@pytest.fixture
def branch(db):
    from pustaka.core.models import Branch

    return Branch.objects.create(code="MAIN", name="Perpustakaan Pusat", opening_hours=WEEK)


@pytest.fixture
def other_branch(db):
    from pustaka.core.models import Branch

    return Branch.objects.create(code="NORTH", name="Cabang Utara", opening_hours=WEEK)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def desk(circulation):
    """A circulation desk user (DESK_WORK permissions)."""
    return circulation


@pytest.fixture
def rule(db, branch):
    """The library's default rule: 14 days, 2 renewals, 3 items, Rp 1,000 a day up to Rp 5,000."""
    from pustaka.circulation.models import LoanRule

    return LoanRule.objects.create(
        loan_days=14, renewals=2, max_items=3, fine_per_day=1000, max_fine=5000, grace_days=0, hold_shelf_days=5
    )


@pytest.fixture
def lend(desk, branch, now, rule):
    """``lend(item, patron, when=None)`` checks an item out through the action."""
    from pustaka.circulation import actions

    def do(item, patron, when=None, at_branch=None):
        return actions.checkout(item=item, patron=patron, branch=at_branch or branch, actor=desk, now=when or now)

    return do


@pytest.fixture
def second_record(db):
    from pustaka.catalog.models import Record

    return Record.objects.create(title="Laskar pelangi", language="ind", call_number="899.221 HIR l")


@pytest.fixture
def new_item(db, branch, location, item_type, record):
    """``new_item("B000123", item_type=av, branch=north)``: like ``make_item`` but any field may change."""
    from pustaka.holdings.models import Item

    def make(barcode, **fields):
        fields.setdefault("record", record)
        fields.setdefault("branch", branch)
        fields.setdefault("item_type", item_type)
        fields.setdefault("status", "available")
        if fields["branch"] == branch:
            fields.setdefault("location", location)
        return Item.objects.create(barcode=barcode, **fields)

    return make
