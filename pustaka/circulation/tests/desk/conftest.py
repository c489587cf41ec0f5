"""Fixtures of the desk, check-in, notices and OPAC account tests: real time (the pages use the clock),
a default loan rule, staff logged in by role, loans made through the actions."""

import pytest


@pytest.fixture
def loan_rule(db):
    """14 days, 2 renewals, 3 items, Rp 1,000 a day up to Rp 5,000, 5 days on the hold shelf."""
    from pustaka.circulation.models import LoanRule

    return LoanRule.objects.create(
        loan_days=14, renewals=2, max_items=3, fine_per_day=1000, max_fine=5000, grace_days=0, hold_shelf_days=5
    )


@pytest.fixture
def lend_now(circulation, branch, loan_rule):
    """``lend_now(item, patron, when=None)``: a checkout through the action, by default now."""
    from pustaka.circulation import actions

    def do(item, patron, when=None):
        return actions.checkout(item=item, patron=patron, branch=branch, actor=circulation, now=when)

    return do


@pytest.fixture
def staff_client(client):
    """``staff_client(user)``: the test client logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def desk_client(staff_client, circulation, loan_rule):
    return staff_client(circulation)


@pytest.fixture
def patron_client(client, patron):
    client.force_login(patron.user)
    return client


@pytest.fixture
def second_record_item(db, branch, location, item_type):
    """Copy B9 of a second title ("Laskar pelangi")."""
    from pustaka.catalog.models import Record
    from pustaka.holdings.models import Item

    title = Record.objects.create(title="Laskar pelangi", language="ind", call_number="899.221 HIR l")
    return Item.objects.create(
        barcode="B9", record=title, branch=branch, location=location, item_type=item_type, status="available"
    )
