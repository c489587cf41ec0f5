"""Fixtures of the acquisitions tests: a vendor, a fund of this year, a sent order with two lines."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone


@pytest.fixture
def vendor(db):
    from pustaka.acquisitions.models import Vendor

    return Vendor.objects.create(name="Toko Buku Gramedia", email="order@gramedia.example", address="Jl. Matraman 46")


@pytest.fixture
def fund(db):
    from pustaka.acquisitions.models import Fund

    return Fund.objects.create(
        code="BOOKS", name="Buku umum", year=timezone.localdate().year, budget=Decimal("1000000")
    )


@pytest.fixture
def draft(librarian, vendor, fund, record, branch, item_type):
    """A draft order: 3 copies of the fixture record at Rp 85.000 for MAIN."""
    from pustaka.acquisitions import actions

    order = actions.create_order(
        actor=librarian, vendor=vendor, expected_by=timezone.localdate() + datetime.timedelta(days=14)
    )
    actions.add_order_line(
        actor=librarian,
        order=order,
        record=record,
        copies=3,
        branch=branch,
        item_type=item_type,
        price="85.000",
        fund=fund,
    )
    return order


@pytest.fixture
def sent(librarian, draft):
    from pustaka.acquisitions import actions

    return actions.send_order(actor=librarian, order=draft)


@pytest.fixture
def line(sent):
    return sent.lines.get()
