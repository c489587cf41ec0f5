"""Supervision pages end to end: assign by scanning, take, my work, finish, review and send back,
with who may use each page and every refusal shown as a message."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pustaka.holdings.models import Item
from pustaka.technical.models import Assignment, ProcessingProfile, ProcessingStep, ProcessingStepDone, Review


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


PAGES = [
    ("/staff/technical/my-work/", "technician", "circulation"),
    ("/staff/technical/assign/", "senior_technician", "technician"),
    ("/staff/technical/review/", "librarian", "technician"),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), PAGES)
def test_each_supervision_page_admits_its_roles_and_refuses_the_others(client, make_staff, url, allowed, refused):
    client.force_login(make_staff(allowed))
    assert client.get(url).status_code == 200
    client.force_login(make_staff(refused))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [p[0] for p in PAGES])
def test_anonymous_visitors_log_in_and_patrons_are_refused(client, patron_user, url):
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(patron_user)
    assert client.get(url).status_code == 403


def test_supervisor_assigns_items_by_scanning_one_after_another(client, senior_technician, technician, make_item):
    make_item("N1", status="in_processing")
    make_item("N2", status="received")
    client.force_login(senior_technician)
    page = client.get("/staff/technical/assign/")
    assert b"autofocus" in page.content and technician.username.encode() in page.content

    for barcode in ("N1", " n2 "):  # a scanner's padding and letter case do not matter
        response = client.post(
            "/staff/technical/assign/",
            {"technician": technician.pk, "queue": "processing", "barcode": barcode},
            follow=True,
        )
        assert response.status_code == 200
    assert "N2: technician-user, “Processing” queue." in _messages(response)
    assert response.redirect_chain[-1][0] == f"/staff/technical/assign/?technician={technician.pk}&queue=processing"
    html = response.content.decode()
    assert 'data-barcode="N1"' in html and 'data-barcode="N2"' in html  # their open work, below the scan field
    assert set(Assignment.objects.values_list("item__barcode", flat=True)) == {"N1", "N2"}


@pytest.mark.parametrize(
    ("barcode", "message"),
    [
        ("NOPE", "No item has the barcode “NOPE”."),
        ("AV1", "Item AV1 is not in the “Processing” queue (it is “Available”)."),
    ],
)
def test_assigning_an_unknown_or_wrong_item_says_exactly_what_is_wrong(
    client, senior_technician, technician, make_item, barcode, message
):
    make_item("AV1", status="available")
    client.force_login(senior_technician)
    response = client.post(
        "/staff/technical/assign/",
        {"technician": technician.pk, "queue": "processing", "barcode": barcode},
        follow=True,
    )
    assert _messages(response) == [message]
    assert not Assignment.objects.exists()


def test_assigning_to_a_circulation_user_is_refused_on_the_page(client, senior_technician, circulation, make_item):
    make_item("N1", status="in_processing")
    client.force_login(senior_technician)
    response = client.post(
        "/staff/technical/assign/", {"technician": circulation.pk, "queue": "processing", "barcode": "N1"}, follow=True
    )
    assert "not a technician" in _messages(response)[0]
    assert not Assignment.objects.exists()


def test_technician_cannot_assign_through_the_page(client, technician, make_item):
    make_item("N1", status="in_processing")
    client.force_login(technician)
    response = client.post(
        "/staff/technical/assign/", {"technician": technician.pk, "queue": "processing", "barcode": "N1"}
    )
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_technician_takes_work_sees_it_and_finishes_it(client, technician, make_item):
    make_item("N1", status="in_processing")
    client.force_login(technician)

    response = client.post("/staff/technical/my-work/take/", {"queue": "processing", "barcode": "N1"}, follow=True)

    assert "N1: taken by you, “Processing” queue." in _messages(response)
    assert 'data-barcode="N1"' in response.content.decode()
    assignment = Assignment.objects.get()
    response = client.post(f"/staff/technical/assignments/{assignment.pk}/finish/", follow=True)
    assert "Work on N1 finished." in _messages(response)
    assert "Nothing is assigned to you." in response.content.decode()


def test_technician_cannot_finish_someone_elses_work_on_the_page(client, technician, make_staff, make_item):
    item = make_item("N1", status="in_processing")
    theirs = Assignment.objects.create(item=item, queue="processing", assigned_to=make_staff("technician", "tika"))
    client.force_login(technician)
    response = client.post(f"/staff/technical/assignments/{theirs.pk}/finish/", follow=True)
    assert "only they or a supervisor can finish it" in _messages(response)[0]
    theirs.refresh_from_db()
    assert theirs.finished_at is None


@pytest.fixture
def processed(make_item, technician, branch):
    """An item the technician processed (steps ticked) that reached ready-for-shelving just now."""
    from django.utils import timezone

    profile = ProcessingProfile.objects.create(branch=branch, name="Main")
    step = ProcessingStep.objects.create(profile=profile, kind="stamp")
    item = make_item("DONE1", status="ready_for_shelving", status_changed_at=timezone.now())
    ProcessingStepDone.objects.create(item=item, step=step, done_by=technician)
    return item


def test_librarian_sends_work_back_and_the_technician_reads_the_note_on_top_of_my_work(
    client, librarian, technician, processed, make_item
):
    Assignment.objects.create(item=make_item("N9", status="in_processing"), queue="processing", assigned_to=technician)
    client.force_login(librarian)
    page = client.get("/staff/technical/review/").content.decode()
    assert 'data-barcode="DONE1"' in page and technician.username in page

    refused = client.post(
        "/staff/technical/review/DONE1/", {"queue": "processing", "outcome": "sent_back", "note": ""}, follow=True
    )
    assert _messages(refused) == ["Say in a note what needs to be done again before sending the work back."]
    assert not Review.objects.exists()

    response = client.post(
        "/staff/technical/review/DONE1/",
        {"queue": "processing", "outcome": "sent_back", "note": "Stamp on the wrong page"},
        follow=True,
    )
    assert "Work on DONE1 sent back." in _messages(response)
    processed.refresh_from_db()
    assert processed.status == "in_processing"
    assert not ProcessingStepDone.objects.filter(item=processed).exists()

    client.force_login(technician)
    html = client.get("/staff/technical/my-work/").content.decode()
    sent_back = html.split('id="sent-back-title"')[1].split("</section>")[0]
    assert 'data-barcode="DONE1"' in sent_back and "Stamp on the wrong page" in sent_back
    assert html.index('data-barcode="DONE1"') < html.index('data-barcode="N9"')  # not "N9" in a CSRF token


def test_reviewer_approves_work_and_the_row_shows_it(client, senior_technician, processed):
    client.force_login(senior_technician)
    response = client.post(
        "/staff/technical/review/DONE1/", {"queue": "processing", "outcome": "approved"}, follow=True
    )
    assert "Work on DONE1 approved." in _messages(response)
    row = response.content.decode().split('data-barcode="DONE1"')[1].split("</tr>")[0]
    assert 'data-value="approved"' in row


def test_technician_cannot_review_through_the_page(client, technician, processed):
    client.force_login(technician)
    response = client.post("/staff/technical/review/DONE1/", {"queue": "processing", "outcome": "approved"})
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_my_work_and_review_pages_use_a_constant_number_of_queries(client, technician, librarian, make_item, processed):
    from django.utils import timezone

    def add(prefix, n):
        for i in range(n):
            item = make_item(f"{prefix}{i}", status="ready_for_shelving", status_changed_at=timezone.now())
            Assignment.objects.create(item=item, queue="shelving", assigned_to=technician)
            Review.objects.create(item=item, queue="shelving", outcome="sent_back", note="x", reviewer=librarian)

    def count(user, url):
        client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    add("A", 2)
    few = (count(technician, "/staff/technical/my-work/"), count(librarian, "/staff/technical/review/"))
    add("B", 25)
    assert Item.objects.count() > 25
    many = (count(technician, "/staff/technical/my-work/"), count(librarian, "/staff/technical/review/"))
    assert many == few
    assert max(many) <= 10
