"""Queue membership, the technical-services overview (counts, oldest age, assigned counts, who works on
what) and its constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pustaka.catalog.models import Record
from pustaka.holdings.models import Item
from pustaka.technical.choices import Queue
from pustaka.technical.models import Assignment, PullList, PullListEntry, RepairTicket
from pustaka.technical.queries import queue_items, queue_overview

DAY = timedelta(days=1)


def stock_every_queue(*, make_item, branch, other_branch, item_type, librarian, now=None, prefix="", n=1):
    """Items waiting in every queue at known ages (plus items in none); returns the times used."""
    now = now or timezone.now()
    bare = Record.objects.create(title="Belum berkelas", call_number="")

    def item(barcode, status, age_days, **fields):
        made = make_item(f"{prefix}{barcode}", status=status, **fields)
        Item.objects.filter(pk=made.pk).update(status_changed_at=now - age_days * DAY)
        return made

    for i in range(n):
        s = f"{i}-" if n > 1 else ""
        item(f"C1{s}", "received", 10, record=bare)
        item(f"C2{s}", "in_processing", 2, record=bare)
        item(f"P1{s}", "received", 5)
        item(f"P2{s}", "in_processing", 1)
        item(f"P3{s}", "in_processing", 3, call_number="005.133 SUT p c.2")
        item(f"S1{s}", "ready_for_shelving", 4)
        open_list = PullList.objects.create(name=f"Weed {prefix}{s}", reason="weed", branch=branch)
        PullList.objects.filter(pk=open_list.pk).update(created_at=now - 6 * DAY)
        PullListEntry.objects.create(pull_list=open_list, item=item(f"PL1{s}", "available", 400))
        PullListEntry.objects.create(
            pull_list=open_list,
            item=item(f"PL2{s}", "pulled", 1, pulled_reason="repair"),
            state="pulled",
        )
        closed = PullList.objects.create(name=f"Old {prefix}{s}", reason="weed", branch=branch, status="closed")
        PullListEntry.objects.create(pull_list=closed, item=item(f"PL3{s}", "available", 300))
        item(f"R1{s}", "in_repair", 7)
        RepairTicket.objects.create(item=item(f"R2{s}", "pulled", 8, pulled_reason="repair"), damage_type="water")
        item(f"B1{s}", "at_bindery", 20)
        item(f"W1{s}", "pulled", 9, pulled_reason="weed")
        item(f"SA1{s}", "for_sale", 30)
        item(f"AV{s}", "available", 100)
        item(f"LOAN{s}", "on_loan", 3)
        Item.objects.filter(pk=item(f"N1{s}", "in_processing", 50).pk).update(branch=other_branch)
    return now


@pytest.fixture
def stocked(make_item, branch, other_branch, item_type, librarian):
    return stock_every_queue(
        make_item=make_item, branch=branch, other_branch=other_branch, item_type=item_type, librarian=librarian
    )


def _barcodes(queue, branch=None):
    return sorted(queue_items(queue, branch).values_list("barcode", flat=True))


def test_each_queue_holds_exactly_the_items_waiting_in_it(stocked, branch):
    assert _barcodes(Queue.CATALOGUING) == ["C1", "C2"]
    assert _barcodes(Queue.PROCESSING) == ["N1", "P1", "P2", "P3"]
    assert _barcodes(Queue.PROCESSING, branch) == ["P1", "P2", "P3"]
    assert _barcodes(Queue.SHELVING) == ["S1"]
    assert _barcodes(Queue.PULLING) == ["PL1"]  # PL2 is already pulled, PL3's list is closed
    assert _barcodes(Queue.REPAIR) == ["R1", "R2"]  # in repair, or with an open repair ticket
    assert _barcodes(Queue.BINDERY) == ["B1"]
    assert _barcodes(Queue.WITHDRAWAL) == ["W1"]
    assert _barcodes(Queue.SALE) == ["SA1"]


def test_an_item_given_its_call_number_moves_from_the_cataloguers_queue_to_processing(stocked):
    Item.objects.filter(barcode="C1").update(call_number="899.221 BEL b")

    assert _barcodes(Queue.CATALOGUING) == ["C2"]
    assert "C1" in _barcodes(Queue.PROCESSING)


def test_the_overview_counts_every_queue_with_the_age_of_its_oldest_item(stocked, branch, technician):
    now = stocked
    for barcode in ("P1", "P2"):
        Assignment.objects.create(item=Item.objects.get(barcode=barcode), queue="processing", assigned_to=technician)
    # Work that already left its queue (shelved) is not counted even though nobody finished it.
    Assignment.objects.create(item=Item.objects.get(barcode="AV"), queue="shelving", assigned_to=technician)

    everywhere = {s.queue: s for s in queue_overview()}
    at_main = {s.queue: s for s in queue_overview(branch)}

    expected = {  # queue: (count at MAIN, oldest in days at MAIN)
        "cataloguing": (2, 10),
        "processing": (3, 5),
        "shelving": (1, 4),
        "pulling": (1, 6),  # the age of the pull list, not of the item on the shelf
        "repair": (2, 8),
        "bindery": (1, 20),
        "withdrawal": (1, 9),
        "sale": (1, 30),
    }
    for queue, (count, days) in expected.items():
        assert at_main[queue].count == count, queue
        assert at_main[queue].oldest == now - days * DAY, queue
    assert everywhere["processing"].count == 4
    assert everywhere["processing"].oldest == now - 50 * DAY
    assert at_main["processing"].assigned == 2 and at_main["processing"].unassigned == 1
    assert at_main["shelving"].assigned == 0 and at_main["shelving"].unassigned == 1
    assert at_main["processing"].workers == [
        {
            "queue": "processing",
            "user_id": technician.pk,
            "username": technician.username,
            "name": technician.username,
            "count": 2,
            "since": at_main["processing"].workers[0]["since"],
        }
    ]
    assert at_main["shelving"].workers == []


def test_the_overview_page_shows_counts_ages_and_who_is_working(client, stocked, senior_technician, technician):
    Assignment.objects.create(item=Item.objects.get(barcode="P1"), queue="processing", assigned_to=technician)
    client.force_login(senior_technician)

    response = client.get("/staff/technical/?branch=MAIN")

    assert response.status_code == 200
    html = response.content.decode()
    row = html.split('id="queue-processing"')[1].split("</tr>")[0]
    assert 'class="count" data-count="3"' in row
    assert 'class="assigned" data-count="1"' in row
    assert 'class="unassigned" data-count="2"' in row
    assert "5\xa0days ago" in row
    assert f'data-username="{technician.username}"' in row
    repair_row = html.split('id="queue-repair"')[1].split("</tr>")[0]
    assert 'data-count="2"' in repair_row and "1\xa0week" in repair_row
    assert '<a href="/staff/technical/repair/">Repair</a>' in repair_row


def test_the_overview_uses_the_same_number_of_queries_however_many_items_wait(
    client, make_item, branch, other_branch, item_type, librarian, technician, senior_technician
):
    client.force_login(senior_technician)
    stock_every_queue(
        make_item=make_item, branch=branch, other_branch=other_branch, item_type=item_type, librarian=librarian
    )
    client.get("/staff/technical/")  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        assert client.get("/staff/technical/").status_code == 200

    stock_every_queue(
        make_item=make_item,
        branch=branch,
        other_branch=other_branch,
        item_type=item_type,
        librarian=librarian,
        prefix="X",
        n=15,
    )
    for item in Item.objects.filter(status__in=["received", "in_processing", "ready_for_shelving"]):
        Assignment.objects.create(
            item=item, queue="shelving" if item.status == "ready_for_shelving" else "processing", assigned_to=technician
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/staff/technical/")
    assert response.status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 10  # session, user, roles, permissions, home branch; then 3 of ours


def test_the_queue_overview_is_two_queries(stocked, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        summaries = queue_overview()
    assert len(summaries) == len(Queue.values)


# Who may see the overview -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["technician", "senior_technician", "librarian", "circulation", "administrator"])
def test_staff_who_work_the_queues_see_the_overview(client, make_staff, role):
    client.force_login(make_staff(role))
    response = client.get("/staff/technical/")
    assert response.status_code == 200
    assert b"Technical services" in response.content


def test_the_staff_menu_links_to_technical_services_for_technicians_only(client, technician, it_manager):
    client.force_login(technician)
    assert b'href="/staff/technical/"' in client.get("/staff/").content
    client.force_login(it_manager)
    assert b'href="/staff/technical/"' not in client.get("/staff/").content


def test_an_it_manager_without_queue_work_is_refused_the_overview(client, it_manager):
    client.force_login(it_manager)
    assert client.get("/staff/technical/").status_code == 403


def test_anonymous_visitors_log_in_and_patrons_are_refused_the_overview(client, patron_user):
    response = client.get("/staff/technical/")
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(patron_user)
    assert client.get("/staff/technical/").status_code == 403
