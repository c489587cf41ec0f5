"""One open loan per item, enforced by the database: six desks lending one copy at once give one loan.

Runs on whichever database the suite uses (SQLite file in WAL mode with IMMEDIATE transactions, or
PostgreSQL through DATABASE_URL).
"""

import threading

import pytest
from django.db import connection

from pustaka.circulation import actions
from pustaka.circulation.errors import AlreadyOnLoan, ItemNotAvailable
from pustaka.circulation.models import Loan
from pustaka.holdings.choices import ItemStatus

from .conftest import NOW

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_six_desks_lending_one_copy_give_exactly_one_loan(item, make_patron, branch, rule, circulation):
    patrons = [make_patron(f"C{n:04d}") for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes: list = [None] * THREADS

    def desk(n):
        try:
            barrier.wait(timeout=30)
            outcomes[n] = actions.checkout(item=item, patron=patrons[n], branch=branch, actor=circulation, now=NOW)
        except Exception as error:  # recorded and checked below
            outcomes[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    loans = [o for o in outcomes if isinstance(o, Loan)]
    refusals = [o for o in outcomes if not isinstance(o, Loan)]
    assert len(loans) == 1, outcomes
    assert all(isinstance(o, AlreadyOnLoan | ItemNotAvailable) for o in refusals), refusals
    assert Loan.objects.filter(item=item, returned_at__isnull=True).count() == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.ON_LOAN and item.loan_count == 1
    # The loser is told who has it.
    assert any(loans[0].patron.full_name in str(o) for o in refusals if isinstance(o, AlreadyOnLoan))


@pytest.mark.django_db(transaction=True)
def test_database_refuses_a_second_open_loan(item, patron, make_patron, branch):
    from django.db import IntegrityError, transaction

    from .conftest import NOW as when

    Loan.objects.create(item=item, patron=patron, branch=branch, checked_out_at=when, due_at=when)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(item=item, patron=make_patron("P0002"), branch=branch, checked_out_at=when, due_at=when)
