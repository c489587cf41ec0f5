"""Purchase suggestions: a patron suggests in the account, the librarian accepts (an order line) or
rejects with a reason the patron reads."""

import pytest

from pustaka.acquisitions import actions
from pustaka.acquisitions.choices import SuggestionStatus
from pustaka.acquisitions.errors import AcquisitionInvalid, NoPatronRecord, SuggestionReviewed
from pustaka.acquisitions.models import Suggestion
from pustaka.catalog.models import Record
from pustaka.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestion(patron):
    return actions.suggest_purchase(
        actor=patron.user, title="Bumi Manusia", author="Pramoedya Ananta Toer", isbn="979-97312-3-2",
        reason="Untuk tugas sastra",
    )  # fmt: skip


def test_a_patron_suggests_a_title_with_a_checked_isbn(suggestion, patron):
    assert (suggestion.patron, suggestion.isbn, suggestion.status) == (patron, "9789799731234", "pending")


def test_a_bad_isbn_or_no_title_is_refused(patron):
    with pytest.raises(ValidationFailed):
        actions.suggest_purchase(actor=patron.user, title="X", isbn="123")
    with pytest.raises(AcquisitionInvalid):
        actions.suggest_purchase(actor=patron.user, title="  ")
    assert not Suggestion.objects.exists()


def test_a_login_without_a_card_cannot_suggest(patron_user):
    with pytest.raises(NoPatronRecord):
        actions.suggest_purchase(actor=patron_user, title="Bumi Manusia")


def test_accepting_makes_an_order_line_with_a_brief_record(librarian, suggestion, draft, fund, branch, item_type):
    line = actions.accept_suggestion(
        actor=librarian, suggestion=suggestion, order=draft, fund=fund, price="95.000", branch=branch,
        item_type=item_type, copies=2,
    )  # fmt: skip
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED and suggestion.order_line == line
    assert (line.record.title, line.record.isbn, line.copies, int(line.price)) == (
        "Bumi Manusia",
        "9789799731234",
        2,
        95000,
    )
    assert Record.objects.filter(isbn="9789799731234").count() == 1
    with pytest.raises(SuggestionReviewed):
        actions.reject_suggestion(actor=librarian, suggestion=suggestion, reason="lagi")


def test_accepting_reuses_the_catalogue_record_of_the_isbn(librarian, patron, record, draft, fund, branch, item_type):
    Record.objects.filter(pk=record.pk).update(isbn="9789799731234")
    suggestion = actions.suggest_purchase(actor=patron.user, title="Bumi", isbn="9789799731234")
    line = actions.accept_suggestion(
        actor=librarian, suggestion=suggestion, order=draft, fund=fund, price=1000, branch=branch, item_type=item_type
    )
    assert line.record == record


def test_rejecting_needs_a_reason_which_the_patron_sees(librarian, suggestion, client, patron):
    with pytest.raises(AcquisitionInvalid):
        actions.reject_suggestion(actor=librarian, suggestion=suggestion, reason="")
    actions.reject_suggestion(actor=librarian, suggestion=suggestion, reason="Sudah ada di perpustakaan daerah")
    client.force_login(patron.user)
    page = client.get("/account/suggestions/").content.decode()
    assert "Bumi Manusia" in page and "Sudah ada di perpustakaan daerah" in page and "Not accepted" in page


def test_a_technician_may_not_review(technician, suggestion):
    with pytest.raises(PermissionDenied):
        actions.reject_suggestion(actor=technician, suggestion=suggestion, reason="Tidak")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING


def test_the_patron_suggests_on_the_account_page(client, patron):
    client.force_login(patron.user)
    response = client.post("/account/suggestions/", {"title": "Ronggeng Dukuh Paruk", "author": "Ahmad Tohari"})
    assert response.status_code == 302
    assert Suggestion.objects.get().title == "Ronggeng Dukuh Paruk"
    bad = client.post("/account/suggestions/", {"title": "", "isbn": "12"})
    assert bad.status_code == 400 and Suggestion.objects.count() == 1
