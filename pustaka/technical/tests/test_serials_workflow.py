"""Serials end to end: subscribe, predict, check in, late issues, claims — through actions, pages and API."""

import datetime as dt

import pytest
from django.urls import reverse

from pustaka.catalog.models import Record
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.models import Item
from pustaka.technical.actions import (
    check_in_issue,
    claim_issues,
    create_subscription,
    mark_late_issues,
    predict_issues,
)
from pustaka.technical.errors.serials import IssueAlreadyReceived, IssueNotClaimable, IssueNotLateYet, NotASerial
from pustaka.technical.models import SerialIssue

START = dt.date(2025, 1, 31)


@pytest.fixture
def magazine(db):
    return Record.objects.create(
        title="Majalah Tempo", material_type="magazine", call_number="050 TEM", issn="0126-4273"
    )


@pytest.fixture
def subscription(librarian, magazine, branch, location, item_type):
    return create_subscription(
        actor=librarian,
        record=magazine,
        branch=branch,
        location=location,
        item_type=item_type,
        frequency="monthly",
        starts_on=START,
        ends_on=dt.date(2025, 12, 31),
        numbering="Vol. {year} No. {n}",
        vendor="Agen Pos",
    )


def test_a_monthly_subscription_predicts_its_issues_once(subscription, librarian):
    issues = list(subscription.issues.order_by("number"))
    assert len(issues) == 12
    assert [i.expected_on for i in issues[:3]] == [dt.date(2025, 1, 31), dt.date(2025, 2, 28), dt.date(2025, 3, 31)]
    assert issues[0].label == "Vol. 2025 No. 1"
    assert predict_issues(subscription=subscription, actor=librarian) == []  # idempotent
    assert subscription.issues.count() == 12


def test_weekly_issues_are_seven_days_apart(librarian, magazine, branch, item_type):
    weekly = create_subscription(
        actor=librarian,
        record=magazine,
        branch=branch,
        item_type=item_type,
        frequency="weekly",
        starts_on=START,
        ends_on=START + dt.timedelta(days=30),
    )
    assert [i.expected_on.day for i in weekly.issues.all()] == [31, 7, 14, 21, 28]


def test_a_book_cannot_get_a_subscription(librarian, record, branch, item_type):
    with pytest.raises(NotASerial):
        create_subscription(
            actor=librarian, record=record, branch=branch, item_type=item_type, frequency="monthly", starts_on=START
        )


def test_a_technician_cannot_create_a_subscription(technician, magazine, branch, item_type):
    with pytest.raises(PermissionDenied):
        create_subscription(
            actor=technician, record=magazine, branch=branch, item_type=item_type, frequency="monthly", starts_on=START
        )


def test_technician_checks_in_an_issue_and_its_item_is_created(subscription, technician):
    issue = subscription.issues.get(number=1)
    check_in_issue(issue=issue, barcode="MJ0001", actor=technician, received_on=dt.date(2025, 2, 2))

    issue.refresh_from_db()
    assert issue.status == "received" and issue.received_on == dt.date(2025, 2, 2)
    item = Item.objects.get(barcode="MJ0001")
    assert issue.item == item and item.status == "available" and item.record == subscription.record
    assert item.call_number == "050 TEM Vol. 2025 No. 1"
    assert AuditEvent.objects.filter(verb="maintenance.serials.check_in", actor=technician).exists()


def test_checking_in_an_issue_twice_is_refused(subscription, technician):
    issue = subscription.issues.get(number=1)
    check_in_issue(issue=issue, barcode="MJ0001", actor=technician)
    with pytest.raises(IssueAlreadyReceived):
        check_in_issue(issue=issue, barcode="MJ0002", actor=technician)
    assert not Item.objects.filter(barcode="MJ0002").exists()


def test_late_issues_are_marked_and_claimed_but_a_received_one_cannot_be(subscription, technician, senior_technician):
    today = dt.date(2025, 4, 20)
    check_in_issue(issue=subscription.issues.get(number=1), barcode="MJ0001", actor=technician)
    assert mark_late_issues(today=today) == 2  # Feb 28 and Mar 31 (+7 days grace); Apr 30 not yet
    late = list(subscription.issues.filter(status="late"))
    assert [i.number for i in late] == [2, 3]

    claimed = claim_issues(issues=late, actor=senior_technician, today=today)
    assert {(i.status, i.claim_count, i.claimed_on) for i in claimed} == {("claimed", 1, today)}
    with pytest.raises(IssueNotClaimable):
        claim_issues(issues=[subscription.issues.get(number=1)], actor=senior_technician, today=today)
    with pytest.raises(IssueNotLateYet):
        claim_issues(issues=[subscription.issues.get(number=4)], actor=senior_technician, today=today)
    with pytest.raises(PermissionDenied):
        claim_issues(issues=late, actor=technician, today=today)


def test_serials_pages_from_subscription_to_claim_letter(client, librarian, technician, magazine, branch, item_type):
    client.force_login(librarian)
    response = client.post(
        reverse("technical:serial_create"),
        {
            "record": magazine.pk,
            "branch": branch.pk,
            "item_type": item_type.pk,
            "frequency": "monthly",
            "starts_on": "2024-01-15",
            "ends_on": "2024-06-30",
            "grace_days": 7,
            "numbering": "No. {n}",
            "first_number": 1,
            "vendor": "Agen Pos",
        },
    )
    issue = SerialIssue.objects.get(number=1)
    detail_url = reverse("technical:serial_detail", args=[issue.subscription_id])
    assert response.status_code == 302 and response.url == detail_url
    assert "No. 6" in client.get(detail_url).content.decode()

    client.force_login(technician)
    check_in_url = reverse("technical:serial_check_in", args=[issue.subscription_id])
    assert "autofocus" in client.get(check_in_url).content.decode()
    response = client.post(check_in_url, {"issue": issue.pk, "barcode": "MJ9", "item_status": "available"}, follow=True)
    assert "No. 1 checked in as MJ9." in response.content.decode()
    again = client.post(check_in_url, {"issue": issue.pk, "barcode": "MJ10", "item_status": "available"})
    assert again.status_code == 200 and not Item.objects.filter(barcode="MJ10").exists()

    late_page = client.get(reverse("technical:serial_late")).content.decode()
    assert "No. 2" in late_page and "No. 1<" not in late_page
    assert client.post(reverse("technical:serial_claim"), {"issue": [issue.pk + 1]}).status_code == 403

    client.force_login(librarian)
    response = client.post(reverse("technical:serial_claim"), {"issue": [issue.pk + 1, issue.pk + 2]}, follow=True)
    letter = response.content.decode()
    assert "2 issues claimed." in letter and "Agen Pos" in letter and "No. 3" in letter


def test_serials_pages_refuse_anonymous_patrons_and_roles_without_permission(
    client, patron_user, circulation, technician, subscription
):
    list_url = reverse("technical:serial_list")
    assert client.get(list_url).status_code == 302
    client.force_login(patron_user)
    assert client.get(list_url).status_code == 403
    client.force_login(circulation)
    assert client.get(list_url).status_code == 403
    client.force_login(technician)
    assert client.get(list_url).status_code == 200
    assert client.get(reverse("technical:serial_create")).status_code == 403
    assert client.get(reverse("technical:serial_edit", args=[subscription.pk])).status_code == 403


def test_serials_lists_use_a_fixed_number_of_queries(
    client, librarian, subscription, magazine, branch, item_type, django_assert_max_num_queries
):
    for n in range(4):
        create_subscription(
            actor=librarian,
            record=magazine,
            branch=branch,
            item_type=item_type,
            frequency="weekly",
            starts_on=dt.date(2024, 1, 1 + n),
            ends_on=dt.date(2024, 6, 1),
        )
    client.force_login(librarian)
    for url in ("serial_list", "serial_late", "serial_claim_letter"):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(f"technical:{url}")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("technical:serial_detail", args=[subscription.pk])).status_code == 200
    api = ApiClient.as_user(librarian)
    for path in ("/serials/subscriptions", "/serials/issues", "/serials/issues?status=late"):
        with django_assert_max_num_queries(8):
            assert api.get(path).status_code == 200


def test_serials_api_subscribe_check_in_and_claim(
    librarian, technician, patron_user, magazine, record, location, item_type
):
    api = ApiClient.as_user(librarian)
    body = {
        "record_id": magazine.pk,
        "branch": "MAIN",
        "location": "STACKS",
        "item_type": "BOOK",
        "frequency": "monthly",
        "starts_on": "2024-01-10",
        "ends_on": "2024-04-30",
    }
    created = api.post("/serials/subscriptions", body)
    assert created.status_code == 201, created.content
    sid = created.json()["id"]
    refused = api.post("/serials/subscriptions", {**body, "record_id": record.pk})
    assert refused.status_code == 400 and refused.json()["code"] == "not_a_serial"
    issues = api.get(f"/serials/subscriptions/{sid}/issues").json()
    assert issues["count"] == 4
    first = issues["items"][0]["id"]

    tech = ApiClient.as_user(technician)
    checked = tech.post(f"/serials/issues/{first}/check-in", {"barcode": "MJ1"})
    assert checked.status_code == 200 and checked.json()["barcode"] == "MJ1"
    twice = tech.post(f"/serials/issues/{first}/check-in", {"barcode": "MJ2"})
    assert twice.status_code == 409 and twice.json()["code"] == "issue_already_received"
    assert tech.post(f"/serials/issues/{first + 1}/claim").status_code == 403

    received_claim = api.post(f"/serials/issues/{first}/claim")
    assert received_claim.status_code == 409 and received_claim.json()["code"] == "issue_not_claimable"
    claimed = api.post(f"/serials/issues/{first + 1}/claim")
    assert claimed.status_code == 200 and claimed.json()["status"] == "claimed"
    assert ApiClient.as_user(patron_user).get("/serials/subscriptions").status_code == 403
    assert ApiClient().get("/serials/issues").status_code == 401


def test_the_serials_api_root_gives_the_counts_and_where_to_look(
    subscription, technician, senior_technician, librarian
):
    check_in_issue(issue=subscription.issues.get(number=1), barcode="MJ0001", actor=technician)
    mark_late_issues(today=dt.date(2025, 4, 20))
    claim_issues(issues=list(subscription.issues.filter(status="late")), actor=senior_technician)
    answer = ApiClient.as_user(librarian).get("/serials")
    assert answer.status_code == 200
    body = answer.json()
    open_issues = subscription.issues.exclude(status__in=["received", "missing"]).count()
    assert body["active_subscriptions"] == 1
    assert body["claimed_issues"] == 2
    assert body["expected_issues"] == subscription.issues.filter(status="expected").count() == open_issues - 2
    assert body["late_issues"] == open_issues  # today every open issue of 2025 is past its grace days
    assert body["late_url"] == "/api/v1/serials/issues?status=late"
    assert ApiClient.as_user(technician).get("/serials").status_code == 200
    assert ApiClient.as_user(librarian).get(body["subscriptions_url"].removeprefix("/api/v1")).status_code == 200


def test_the_serials_api_root_is_for_staff_only(db, patron_user):
    assert ApiClient().get("/serials").status_code == 401
    assert ApiClient.as_user(patron_user).get("/serials").status_code == 403


def test_check_in_preselects_the_issue_expected_nearest_today_not_the_oldest_late_one(
    client, technician, subscription, monkeypatch
):
    """Issues 1-5 are open (January to May 2025) and it is 27 May: the issue in the clerk's hands is
    No. 5 (due 31 May), so scan + Enter checks in No. 5, not the long-late No. 1."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2025, 5, 27))
    client.force_login(technician)
    url = reverse("technical:serial_check_in", args=[subscription.pk])
    page = client.get(url).content.decode()
    no5 = subscription.issues.get(number=5)
    assert f'<option value="{no5.pk}" selected>' in page
    assert page.count(" selected>") == 1  # only the issue is chosen for the clerk

    response = client.post(url, {"issue": no5.pk, "barcode": "MJ0505", "item_status": "available"}, follow=True)
    assert "Vol. 2025 No. 5 checked in as MJ0505." in response.content.decode()
    assert subscription.issues.get(number=1).status != "received"
