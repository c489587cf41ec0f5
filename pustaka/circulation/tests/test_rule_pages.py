"""The loan-rule and closed-day pages: who may see and change them, what they show, refusals."""

import datetime

import pytest

from pustaka.circulation.models import ClosedDay, LoanRule

LIST = "/staff/circulation/rules/"


def _login(client, user):
    client.force_login(user)
    return client


def test_who_may_see_the_rules(client, patron_user, it_manager, circulation, librarian):
    assert client.get(LIST).status_code == 302  # anonymous → login
    assert _login(client, patron_user).get(LIST).status_code == 403
    assert _login(client, it_manager).get(LIST).status_code == 403
    page = _login(client, circulation).get(LIST)
    assert page.status_code == 200 and "New rule" not in page.content.decode()  # the desk may only look
    assert _login(client, circulation).get(LIST + "new/").status_code == 403
    page = _login(client, librarian).get(LIST).content.decode()
    assert "New rule" in page and "Add a closed day" in page


def test_list_shows_rules_and_closed_days_in_few_queries(
    client, librarian, item_type, branch, django_assert_max_num_queries
):
    for days in (7, 14, 21):
        LoanRule.objects.create(
            loan_days=days, item_type=item_type if days == 7 else None, branch=branch if days == 21 else None
        )
    ClosedDay.objects.create(date=datetime.date(2026, 8, 17), reason="Hari Kemerdekaan")
    _login(client, librarian)
    with django_assert_max_num_queries(12):
        page = client.get(LIST).content.decode()
    assert "Hari Kemerdekaan" in page and page.count("/staff/circulation/rules/") >= 3


def test_create_edit_delete_a_rule(client, librarian, item_type, circulation):
    _login(client, librarian)
    data = {
        "item_type": item_type.pk,
        "loan_days": "7",
        "renewals": "1",
        "max_items": "3",
        "fine_per_day": "2000",
        "max_fine": "30000",
        "grace_days": "0",
        "holds_allowed": "on",
        "hold_shelf_days": "5",
        "replacement_charge": "50000",
        "processing_fee": "10000",
    }
    assert client.post(LIST + "new/", data).status_code == 302
    rule = LoanRule.objects.get()
    assert rule.item_type == item_type and rule.loan_days == 7 and rule.holds_allowed
    again = client.post(LIST + "new/", data)
    assert again.status_code == 200 and "already exists" in again.content.decode()
    bad = client.post(f"{LIST}{rule.pk}/", {**data, "loan_days": "0"})
    assert bad.status_code == 200 and "nothing was saved" in bad.content.decode()
    assert client.post(f"{LIST}{rule.pk}/", {**data, "loan_days": "10"}).status_code == 302
    rule.refresh_from_db()
    assert rule.loan_days == 10
    _login(client, circulation)
    assert client.post(f"{LIST}{rule.pk}/delete/").status_code == 403
    _login(client, librarian)
    assert client.get(f"{LIST}{rule.pk}/delete/").status_code == 405
    assert client.post(f"{LIST}{rule.pk}/delete/").status_code == 302
    assert not LoanRule.objects.exists()


def test_closed_days(client, librarian, circulation, branch):
    _login(client, circulation)
    assert client.post(LIST + "closed-days/", {"date": "2026-12-25"}).status_code == 403
    _login(client, librarian)
    assert client.post(LIST + "closed-days/", {"date": "2026-12-25", "reason": "Natal"}).status_code == 302
    twice = client.post(LIST + "closed-days/", {"date": "2026-12-25"})
    assert twice.status_code == 400 and "already a closed day" in twice.content.decode()
    assert client.post(LIST + "closed-days/", {"date": "not a date"}).status_code == 400
    day = ClosedDay.objects.get()
    assert day.branch is None and day.reason == "Natal"
    assert client.post(f"{LIST}closed-days/{day.pk}/delete/").status_code == 302
    assert not ClosedDay.objects.exists()


@pytest.mark.browser
def test_rules_page_in_a_browser(live_server, page, librarian, item_type, branch):
    LoanRule.objects.create(loan_days=14)
    LoanRule.objects.create(item_type=item_type, loan_days=7, fine_per_day=2000)
    ClosedDay.objects.create(date=datetime.date(2026, 8, 17), reason="Hari Kemerdekaan RI")
    page.goto(live_server.url + "/staff/login/")
    page.fill("input[name=username]", librarian.username)
    page.fill("input[name=password]", "test-password-123")
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.goto(live_server.url + LIST)
    assert page.locator("#rules tbody tr").count() == 2
    page.screenshot(path="/tmp/circulation-rules.png", full_page=True)
    page.goto(live_server.url + LIST + "new/")
    page.fill("input[name=loan_days]", "0")
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    page.screenshot(path="/tmp/circulation-rule-form.png", full_page=True)
