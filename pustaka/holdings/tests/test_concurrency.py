"""Two desks moving the same copy at the same instant: exactly one wins, on SQLite and PostgreSQL."""

import threading

import pytest
from django.db import connection

from pustaka.core.errors import PustakaError
from pustaka.holdings.actions import move_item
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item


@pytest.mark.django_db(transaction=True)
def test_only_one_of_several_desks_lends_the_same_copy(make_item, circulation):
    item = make_item("B777001")
    desks = 6
    barrier = threading.Barrier(desks)
    outcomes: list[str] = []
    lock = threading.Lock()

    def desk():
        try:
            barrier.wait()
            move_item(item=Item.objects.get(pk=item.pk), to=ItemStatus.ON_LOAN, actor=circulation, workflow="desk")
            result = "lent"
        except PustakaError as exc:
            result = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=desk) for _ in range(desks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes.count("lent") == 1
    assert set(outcomes) - {"lent"} == {"item_transition_not_allowed"}
    item.refresh_from_db()
    assert item.status == ItemStatus.ON_LOAN
    assert item.loan_count == 1
