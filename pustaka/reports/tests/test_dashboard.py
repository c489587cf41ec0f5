"""The staff home shows each role the figures it acts on, and none of another role's."""

import datetime

from django.utils import timezone

from pustaka.circulation.models import Hold, Loan


def test_the_desk_sees_todays_loans_returns_overdue_and_holds(client, circulation, make_item, make_patron, record):
    now = timezone.now()
    patron = make_patron("P9")
    a, b, c = make_item("A1", status="on_loan"), make_item("A2", status="on_loan"), make_item("A3")
    Loan.objects.create(
        item=a, patron=patron, branch=a.branch, checked_out_at=now, due_at=now + datetime.timedelta(days=14)
    )
    Loan.objects.create(item=b, patron=patron, branch=b.branch, checked_out_at=now - datetime.timedelta(days=20),
                        due_at=now - datetime.timedelta(days=6))  # fmt: skip
    Loan.objects.create(item=c, patron=patron, branch=c.branch, checked_out_at=now - datetime.timedelta(days=3),
                        due_at=now + datetime.timedelta(days=11), returned_at=now, return_branch=c.branch)  # fmt: skip
    Hold.objects.create(record=record, patron=patron, pickup_branch=a.branch, placed_at=now)
    client.force_login(circulation)
    response = client.get("/staff/")
    (desk,) = [p for p in response.context["panels"] if p["key"] == "desk"]
    assert {str(f["label"]): f["value"] for f in desk["figures"]} == {
        "Loans today": 1, "Returns today": 1, "Overdue now": 1, "Holds waiting for a copy": 1,
        "Holds ready on the shelf": 0,
    }  # fmt: skip
    html = response.content.decode()
    assert 'href="/staff/reports/overdue/"' in html
    assert [p["key"] for p in response.context["panels"]] == ["desk"]  # no queues, no month, no digital


def test_the_technician_sees_the_queues_linked(client, technician, make_item):
    make_item("R1", status="received")
    make_item("R2", status="in_processing")
    make_item("R3", status="ready_for_shelving")
    client.force_login(technician)
    response = client.get("/staff/")
    (queues,) = [p for p in response.context["panels"] if p["key"] == "queues"]
    figures = {str(f["label"]): (f["value"], f["url"]) for f in queues["figures"]}
    assert figures["Received"] == (1, "/staff/technical/processing/")
    assert figures["Ready for shelving"] == (1, "/staff/technical/shelving/")
    assert figures["In repair"][0] == 0
    assert "collection" not in [p["key"] for p in response.context["panels"]]


def test_the_librarian_sees_this_months_additions_and_withdrawals(client, librarian, make_item):
    from pustaka.holdings.actions import move_item

    make_item("N1", acquired_on=timezone.localdate())
    old = make_item("N2", status="pulled", pulled_reason="weed", acquired_on=datetime.date(2001, 1, 1))
    move_item(item=old, to="withdrawn", actor=librarian, workflow="weeding")
    client.force_login(librarian)
    response = client.get("/staff/")
    (month,) = [p for p in response.context["panels"] if p["key"] == "collection"]
    figures = {str(f["label"]): f["value"] for f in month["figures"]}
    assert (figures["Copies added this month"], figures["Copies withdrawn this month"]) == (1, 1)


def test_the_it_manager_sees_digital_use_and_no_desk(client, it_manager):
    client.force_login(it_manager)
    keys = [p["key"] for p in client.get("/staff/").context["panels"]]
    assert keys == ["digital"]
