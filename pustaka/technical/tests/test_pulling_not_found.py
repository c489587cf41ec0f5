"""A pull list's "not found" changes the copy: it becomes missing (the pull list's own move) and goes on
the follow-up list of copies to look for, on the page and in the API; a copy away for a known reason is
not missing and is refused; a copy found again drops off the list."""

import pytest
from django.urls import reverse

from pustaka.core.models import AuditEvent
from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.choices import ItemStatus, Workflow
from pustaka.holdings.models import Item
from pustaka.technical import actions
from pustaka.technical.errors.pulling import NotMissingElsewhere
from pustaka.technical.models import PullListEntry


@pytest.fixture
def pull_list(librarian, branch, make_item):
    for barcode, call_number in (("W1", "100 ABC a"), ("W2", "200 ABC a"), ("W3", "300 ABC a")):
        make_item(barcode, call_number=call_number)
    pull_list = actions.create_pull_list(name="Penyiangan 2026", reason="weed", branch=branch, actor=librarian)
    actions.add_to_pull_list(pull_list=pull_list, barcodes=["W1", "W2", "W3"], actor=librarian)
    return pull_list


def _entry(pull_list, barcode):
    return PullListEntry.objects.select_related("item", "pull_list").get(pull_list=pull_list, item__barcode=barcode)


def _status(barcode):
    return Item.objects.get(barcode=barcode).status


def test_not_found_on_the_page_makes_the_copy_missing_and_lists_it_to_look_for(client, technician, pull_list):
    client.force_login(technician)
    entry = _entry(pull_list, "W2")

    response = client.post(
        reverse("technical:pulling_not_found", args=[pull_list.pk, entry.pk]), {"note": "rak 3 kosong"}, follow=True
    )

    assert "W2 is not on its shelf: it is now missing" in response.content.decode()
    assert _status("W2") == ItemStatus.MISSING
    assert AuditEvent.objects.filter(verb="holdings.item.mark_missing", object_id=str(entry.item_id)).exists()
    followup = client.get(reverse("technical:pulling_followup")).content.decode()
    assert 'href="/staff/holdings/items/W2/"' in followup and "rak 3 kosong" in followup
    assert "W1" not in followup
    assert (
        'href="/staff/technical/pull-lists/not-found/"'
        in client.get(reverse("technical:pulling_list")).content.decode()
    )


def test_not_found_in_the_api_makes_the_copy_missing_and_the_follow_up_list_shows_it(technician, pull_list):
    api = ApiClient.as_user(technician)
    entry = _entry(pull_list, "W3")

    answer = api.post(f"/pull-lists/{pull_list.pk}/entries/{entry.pk}/not-found")

    assert answer.status_code == 200 and answer.json()["item_status"] == ItemStatus.MISSING
    followup = api.get("/pull-lists/not-found").json()
    assert [(row["barcode"], row["pull_list_name"]) for row in followup["items"]] == [("W3", "Penyiangan 2026")]


def test_a_copy_lent_since_it_was_listed_is_not_missing_and_is_refused(technician, circulation, pull_list):
    from pustaka.holdings.actions import move_item

    entry = _entry(pull_list, "W1")
    move_item(item=entry.item, to=ItemStatus.ON_LOAN, actor=circulation, workflow=Workflow.DESK)

    with pytest.raises(NotMissingElsewhere) as refused:
        actions.flag_not_found(entry=entry, actor=technician)

    assert "W1 is “On loan”" in str(refused.value)
    assert _status("W1") == ItemStatus.ON_LOAN
    assert _entry(pull_list, "W1").state == "waiting"
    answer = ApiClient.as_user(technician).post(f"/pull-lists/{pull_list.pk}/entries/{entry.pk}/not-found")
    assert answer.status_code == 409 and answer.json()["code"] == "not_missing_elsewhere"


def test_closing_the_list_makes_the_copies_still_waiting_missing(technician, librarian, pull_list):
    actions.scan_pulled_item(pull_list=pull_list, barcode="W1", actor=technician)

    actions.close_pull_list(pull_list=pull_list, actor=librarian)

    assert (_status("W1"), _status("W2"), _status("W3")) == (ItemStatus.PULLED, ItemStatus.MISSING, ItemStatus.MISSING)


def test_a_copy_found_again_drops_off_the_follow_up_list(technician, librarian, pull_list, client):
    from pustaka.holdings.actions import move_item

    actions.flag_not_found(entry=_entry(pull_list, "W2"), actor=technician)
    found = Item.objects.get(barcode="W2")
    move_item(item=found, to=ItemStatus.READY_FOR_SHELVING, actor=librarian, workflow=Workflow.DESK)

    assert ApiClient.as_user(technician).get("/pull-lists/not-found").json()["count"] == 0
    client.force_login(technician)
    assert (
        "Every copy a pull list did not find has turned up."
        in client.get(reverse("technical:pulling_followup")).content.decode()
    )


def test_the_follow_up_list_answers_in_a_fixed_number_of_queries(
    client, technician, pull_list, django_assert_max_num_queries
):
    for barcode in ("W1", "W2", "W3"):
        actions.flag_not_found(entry=_entry(pull_list, barcode), actor=technician)
    client.force_login(technician)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("technical:pulling_followup"))
    assert page.content.decode().count('class="barcode"') == 3


def test_a_patron_may_not_see_the_follow_up_list(client, patron_user, patron):
    client.force_login(patron_user)
    assert client.get(reverse("technical:pulling_followup")).status_code == 403
    assert ApiClient.as_user(patron_user).get("/pull-lists/not-found").status_code == 403


def test_a_copy_not_found_that_turns_up_is_scanned_off_the_list_after_all(client, technician, pull_list):
    """Found after all, while the list is open: the scan brings it back (found) and pulls it."""
    actions.flag_not_found(entry=_entry(pull_list, "W2"), actor=technician)
    client.force_login(technician)

    response = client.post(reverse("technical:pulling_scan", args=[pull_list.pk]), {"barcode": "w2"}, follow=True)

    assert response.status_code == 200
    assert _status("W2") == ItemStatus.PULLED and _entry(pull_list, "W2").state == "pulled"
    moves = AuditEvent.objects.filter(object_id=str(_entry(pull_list, "W2").item_id), verb__startswith="holdings.item.")
    assert list(moves.order_by("id").values_list("verb", flat=True)) == [
        "holdings.item.mark_missing",
        "holdings.item.found",
        "holdings.item.pull",
    ]
    assert ApiClient.as_user(technician).get("/pull-lists/not-found").json()["count"] == 0


def test_a_missing_copy_checked_in_at_the_desk_or_through_the_api_comes_back(technician, circulation, pull_list):
    """The desk's check-in finds a missing copy (the same action behind the desk page, the API and SIP2):
    it goes to the shelving trolley and leaves the follow-up list."""
    actions.flag_not_found(entry=_entry(pull_list, "W1"), actor=technician)
    actions.flag_not_found(entry=_entry(pull_list, "W2"), actor=technician)

    answer = ApiClient.as_user(circulation).post("/circulation/checkin", {"barcode": "w1"})
    from pustaka.circulation import actions as desk

    desk.checkin(item=Item.objects.get(barcode="W2"), branch=Item.objects.get(barcode="W2").branch, actor=circulation)

    assert answer.status_code == 200, answer.content
    assert (_status("W1"), _status("W2")) == (ItemStatus.READY_FOR_SHELVING, ItemStatus.READY_FOR_SHELVING)
    assert ApiClient.as_user(technician).get("/pull-lists/not-found").json()["count"] == 0
