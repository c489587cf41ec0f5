"""Repair pages: who may use them, the scan-first queue, the whole ticket through the pages, refusals
shown as messages, and no query per row on the lists."""

import pytest

from pustaka.holdings.choices import Condition, ItemStatus, PullReason
from pustaka.technical import actions
from pustaka.technical.choices import RepairStatus
from pustaka.technical.models import RepairTicket

BASE = "/staff/technical/repair/"


@pytest.fixture
def pulled(make_item):
    return make_item("B100001", status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR, condition=Condition.DAMAGED)


@pytest.fixture
def ticket(pulled, technician):
    return actions.open_repair(item=pulled, damage_type="broken_spine", actor=technician)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


PAGES = [
    (BASE, "technician", "circulation"),
    (BASE + "history/", "technician", "circulation"),
    (BASE + "{ticket}/", "technician", "circulation"),
    (BASE + "new/B100001/", "technician", "circulation"),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), PAGES)
def test_each_repair_page_admits_technicians_and_refuses_circulation(client, make_staff, pulled, url, allowed, refused):
    if "{ticket}" in url:
        opened = actions.open_repair(item=pulled, damage_type="water", actor=make_staff("senior_technician"))
        url = url.format(ticket=opened.pk)
    client.force_login(make_staff(allowed))
    assert client.get(url).status_code == 200
    client.force_login(make_staff(refused))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [BASE, BASE + "history/", BASE + "new/B100001/"])
def test_anonymous_visitors_go_to_login_and_patrons_are_refused(client, patron_user, pulled, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(patron_user)
    assert client.get(url).status_code == 403


def test_circulation_cannot_post_work_on_a_ticket(client, circulation, ticket):
    client.force_login(circulation)
    response = client.post(f"{BASE}{ticket.pk}/finish/", {"condition_after": "good"})
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == RepairStatus.OPEN


def test_a_repair_from_scan_to_shelving_queue_through_the_pages(client, technician, pulled):
    client.force_login(technician)
    page = client.get(BASE)
    assert b'id="repair-barcode"' in page.content and b"autofocus" in page.content
    assert b"B100001" in page.content  # waiting for a ticket

    scanned = client.post(BASE + "scan/", {"barcode": " B100001 "})
    assert scanned["Location"] == f"{BASE}new/B100001/"
    opened = client.post(scanned["Location"], {"damage_type": "loose_pages", "notes": "Signature 3 loose"}, follow=True)
    ticket = RepairTicket.objects.get()
    assert opened.redirect_chain[-1][0] == f"{BASE}{ticket.pk}/"
    assert "is in repair" in _messages(opened)
    pulled.refresh_from_db()
    assert pulled.status == ItemStatus.IN_REPAIR

    # Scanning again goes straight to the open ticket.
    assert client.post(BASE + "scan/", {"barcode": "B100001"})["Location"] == f"{BASE}{ticket.pk}/"
    queue = client.get(BASE)
    assert f"#{ticket.pk}".encode() in queue.content and b"technician-user" in queue.content

    worked = client.post(
        f"{BASE}{ticket.pk}/work/", {"minutes": "25", "materials_cost": "4000", "notes": "Sewn"}, follow=True
    )
    assert "Work recorded" in _messages(worked)
    assert b"Sewn" in worked.content
    finished = client.post(f"{BASE}{ticket.pk}/finish/", {"condition_after": "fair", "notes": ""}, follow=True)
    assert "goes to the shelving queue" in _messages(finished)
    ticket.refresh_from_db()
    pulled.refresh_from_db()
    assert (ticket.status, ticket.minutes_spent, pulled.status, pulled.condition) == (
        RepairStatus.DONE,
        25,
        ItemStatus.READY_FOR_SHELVING,
        Condition.FAIR,
    )
    history = client.get(BASE + "history/")
    assert f"#{ticket.pk}".encode() in history.content


def test_scanning_an_unknown_barcode_or_an_available_item_says_why(client, technician, item):
    client.force_login(technician)

    unknown = client.post(BASE + "scan/", {"barcode": "NOPE"}, follow=True)
    assert "No item has the barcode “NOPE”." in _messages(unknown)
    available = client.post(BASE + "scan/", {"barcode": "B000001"}, follow=True)
    assert "B000001 is “Available”; only an item pulled for repair" in _messages(available)
    assert not RepairTicket.objects.exists()


def test_finishing_a_closed_ticket_on_the_page_shows_the_refusal(client, technician, ticket):
    actions.finish_repair(ticket=ticket, condition_after="good", actor=technician)
    client.force_login(technician)

    response = client.post(f"{BASE}{ticket.pk}/finish/", {"condition_after": "worn"}, follow=True)

    assert f"Repair ticket #{ticket.pk} is already closed" in _messages(response)
    ticket.refresh_from_db()
    assert ticket.condition_after == Condition.GOOD


def test_negative_cost_on_the_page_is_refused(client, technician, ticket):
    client.force_login(technician)
    response = client.post(f"{BASE}{ticket.pk}/work/", {"minutes": "5", "materials_cost": "-1"}, follow=True)
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.minutes_spent == 0


def test_beyond_repair_and_bindery_buttons_close_the_ticket(client, technician, make_item):
    client.force_login(technician)
    items = [make_item(f"B10001{n}", status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR) for n in (1, 2)]
    first, second = (actions.open_repair(item=i, damage_type="mould", actor=technician) for i in items)

    client.post(f"{BASE}{first.pk}/bindery/", {"notes": "case binding"})
    client.post(f"{BASE}{second.pk}/beyond-repair/", {"notes": "mould"})

    for item in items:
        item.refresh_from_db()
    assert [i.pulled_reason for i in items] == [PullReason.BIND, PullReason.WEED]
    assert set(RepairTicket.objects.values_list("status", flat=True)) == {
        RepairStatus.SENT_TO_BINDERY,
        RepairStatus.BEYOND_REPAIR,
    }


def test_the_queue_and_history_do_not_query_per_ticket(client, technician, make_item, django_assert_max_num_queries):
    for n in range(12):
        it = make_item(f"B3000{n:02d}", status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR)
        t = actions.open_repair(item=it, damage_type="torn_pages", actor=technician)
        if n % 2:
            actions.finish_repair(ticket=t, condition_after="good", actor=technician)
    for n in range(5):
        make_item(f"B4000{n:02d}", status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR)
    client.force_login(technician)

    with django_assert_max_num_queries(12):
        queue = client.get(BASE)
    with django_assert_max_num_queries(12):
        history = client.get(BASE + "history/")

    assert queue.content.count(b'data-age-days="0"') == 6
    assert history.content.count(b'data-value="done"') == 6


def test_the_repair_pages_render_in_indonesian(client, technician, ticket):
    client.force_login(technician)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    for url in (BASE, BASE + "history/", f"{BASE}{ticket.pk}/"):
        assert client.get(url).status_code == 200
