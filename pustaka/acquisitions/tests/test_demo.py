"""The demo library's acquisitions: vendors, this year's fund, an open (late, claimed) order, a received
order whose copies went to processing with their accession numbers, a draft, and patrons' suggestions;
the staff pages show them."""

import pytest
from django.utils import timezone

from pustaka.accessions.models import Accession
from pustaka.acquisitions import queries
from pustaka.acquisitions.choices import OrderStatus, SuggestionStatus
from pustaka.acquisitions.models import Invoice, Order, ReceivedCopy, Suggestion, Vendor
from pustaka.core.models import User
from pustaka.demo.tests.test_demo import demo_output  # noqa: F401  (the demo, loaded once for this module)
from pustaka.holdings.choices import ItemStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_output, db):  # noqa: F811
    return demo_output


def test_the_demo_has_vendors_and_this_years_fund_with_money_committed(demo):
    assert Vendor.objects.count() == 3
    fund = queries.funds_with_figures().get(code="BUKU", year=timezone.localdate().year)
    assert fund.budget == 25_000_000
    assert fund.encumbered > 0 and fund.spent > 0
    assert fund.available == fund.budget - fund.encumbered - fund.spent


def test_the_demo_has_an_open_late_order_claimed_once_and_a_draft(demo):
    late = list(queries.late_orders())
    assert len(late) == 1 and late[0].status == OrderStatus.SENT and late[0].claim_count == 1
    assert Order.objects.filter(status=OrderStatus.DRAFT).count() == 1


def test_the_demo_has_a_received_order_whose_copies_went_to_processing_with_accession_numbers(demo):
    received = Order.objects.get(status=OrderStatus.RECEIVED)
    copies = list(ReceivedCopy.objects.filter(line__order=received).select_related("item"))
    assert len(copies) == 3
    assert {c.item.status for c in copies} <= {ItemStatus.IN_PROCESSING, ItemStatus.READY_FOR_SHELVING}
    accessions = Accession.objects.filter(barcode__in=[c.barcode for c in copies])
    assert {(a.source, a.supplier) for a in accessions} == {("purchase", received.vendor.name)}
    assert Invoice.objects.filter(vendor=received.vendor).count() == 1


def test_the_demo_has_a_suggestion_waiting_and_one_rejected_with_its_reason(demo):
    assert Suggestion.objects.filter(status=SuggestionStatus.PENDING).count() == 1
    rejected = Suggestion.objects.get(status=SuggestionStatus.REJECTED)
    assert rejected.rejection_reason


def test_the_demo_librarian_sees_the_orders_and_the_patron_sees_the_answer(demo, client):
    client.force_login(User.objects.get(username="pustakawan"))
    page = client.get("/staff/acquisitions/").content.decode()
    assert "Toko Buku Gramedia Matraman" in page and "late" in page
    patron = Suggestion.objects.get(status=SuggestionStatus.REJECTED).patron
    client.force_login(patron.user)
    mine = client.get("/account/suggestions/").content.decode()
    assert "Sudah ada 3 eksemplar di Cabang Utara." in mine
