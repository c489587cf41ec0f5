"""Question pages: the staff queue, asking as a visitor or a patron, the limits."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pustaka.reference.models import HelpRequest

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_the_help_queue_shows_tabs_counts_age_and_response_times(
    client, circulation, help_request, django_assert_max_num_queries
):
    for n in range(4):
        HelpRequest.objects.create(name=f"V{n}", email="v@example.org", question=f"Q{n}", asked_at=timezone.now())
    login(client, circulation)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reference:help_queue"))
    text = response.content.decode()
    assert "The oldest open question has waited 3 h" in text
    assert text.count('class="responsive help-queue"') == 1 and text.count("<tr>") == 6


def test_an_anonymous_visitor_asks_a_question(client, record):
    response = client.get(f"/help/ask/?record={record.pk}")
    assert "Pemrograman Python" in response.content.decode()
    response = client.post(
        "/help/ask/",
        {
            "name": "Budi",
            "email": "budi@example.org",
            "topic": "finding",
            "question": "Where is it?",
            "record": record.pk,
        },
    )
    assert response.status_code == 302
    asked = HelpRequest.objects.get()
    assert asked.record == record and asked.ip_hash


def test_anonymous_questions_are_rate_limited_and_size_limited(client, settings):
    settings.PUSTAKA_HELP_MAX_PER_HOUR = 1
    data = {"name": "Budi", "email": "b@example.org", "topic": "other", "question": "One?"}
    assert client.post("/help/ask/", data).status_code == 302
    response = client.post("/help/ask/", data)
    assert "Too many questions" in response.content.decode()
    response = client.post("/help/ask/", data | {"question": "x" * 2001})
    assert "at most 2000 characters" in response.content.decode()
    assert HelpRequest.objects.count() == 1


def test_a_patron_asks_without_name_and_sees_only_their_own_questions(
    client, patron, make_patron, circulation, django_assert_max_num_queries
):
    other = make_patron("P0002")
    HelpRequest.objects.create(
        patron=other, name="Other", email="o@example.org", question="Secret?", asked_at=timezone.now()
    )
    login(client, patron.user)
    client.post("/help/ask/", {"topic": "using", "question": "How do I read e-books?"})
    mine = HelpRequest.objects.get(patron=patron)
    from pustaka.reference import actions

    actions.answer_helprequest(help_request=mine, body="Use the reader app.", actor=circulation)
    with django_assert_max_num_queries(12):
        page = client.get("/account/questions/").content.decode()
    assert "How do I read e-books?" in page and "Use the reader app." in page and "Secret?" not in page


def test_staff_assign_answer_and_close_from_the_pages(
    client, circulation, help_request, django_capture_on_commit_callbacks
):
    login(client, circulation)
    client.post(reverse("reference:help_assign", args=[help_request.pk]), {"self": "1"})
    help_request.refresh_from_db()
    assert help_request.assigned_to == circulation
    response = client.get(reverse("reference:help_queue") + "?tab=mine")
    assert "books about Python" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reference:help_answer", args=[help_request.pk]), {"body": "Shelf 005."})
    assert mail.outbox[0].to == ["siti@example.org"]
    response = client.post(reverse("reference:help_answer", args=[help_request.pk]), {"body": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    client.post(reverse("reference:help_close", args=[help_request.pk]))
    help_request.refresh_from_db()
    assert help_request.status == "closed"


def test_the_honeypot_keeps_robots_out_quietly(client):
    response = client.post(
        "/help/ask/",
        {"name": "Bot", "email": "bot@example.org", "topic": "other", "question": "Buy!", "website": "http://spam"},
    )
    assert response.status_code == 302 and not HelpRequest.objects.exists()


@pytest.mark.parametrize("bad", ["²", "٣", "abc", "1" * 25, "-1", "0"])
def test_a_bad_record_id_on_the_ask_page_is_ignored(client, record, bad):
    response = client.get("/help/ask/", {"record": bad})
    assert response.status_code == 200
    assert "Pemrograman Python" not in response.content.decode()
