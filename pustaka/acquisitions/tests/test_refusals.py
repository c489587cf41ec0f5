"""Who may NOT use acquisitions: every staff page and API endpoint refuses anonymous users, patrons and
the staff roles without its permission (technicians do not order, circulation staff do not receive,
librarians do not set funds), and a refused request writes nothing."""

import datetime

import pytest
from django.utils import timezone

from pustaka.acquisitions import actions
from pustaka.acquisitions.models import (
    Claim,
    Delivery,
    Fund,
    Invoice,
    Order,
    OrderLine,
    ReceivedCopy,
    Suggestion,
    Vendor,
)
from pustaka.core.models import AuditEvent
from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings.models import Item

pytestmark = pytest.mark.django_db

MODELS = [Vendor, Fund, Order, OrderLine, Delivery, ReceivedCopy, Claim, Invoice, Suggestion, Item, AuditEvent]


def rows() -> dict:
    """How many rows each table that acquisitions writes holds, and each order's status."""
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["statuses"] = sorted(Order.objects.values_list("number", "status"))
    counts["suggestions"] = sorted(Suggestion.objects.values_list("pk", "status"))
    counts["budgets"] = sorted(Fund.objects.values_list("pk", "budget"))
    counts["paid"] = sorted(Invoice.objects.values_list("pk", "paid_on"))
    return counts


@pytest.fixture
def world(librarian, patron, vendor, fund, draft, record, branch, item_type):
    """A draft and a late sent order, an invoice, a waiting suggestion: something for every page."""
    late = actions.create_order(actor=librarian, vendor=vendor)
    line = actions.add_order_line(
        actor=librarian, order=late, record=record, copies=2, branch=branch, item_type=item_type, price="50.000",
        fund=fund,
    )  # fmt: skip
    actions.send_order(actor=librarian, order=late)
    Order.objects.filter(pk=late.pk).update(expected_by=timezone.localdate() - datetime.timedelta(days=9))
    claim = actions.claim_order(actor=librarian, order=late)
    invoice = actions.record_invoice(
        actor=librarian, vendor=vendor, number="F-1", date=timezone.localdate(), amount="100.000"
    )
    suggestion = actions.suggest_purchase(actor=patron.user, title="Laut Bercerita")
    return {
        "draft": draft.pk,
        "draft_line": draft.lines.get().pk,
        "order": late.pk,
        "line": line.pk,
        "claim": claim.number,
        "invoice": invoice.pk,
        "suggestion": suggestion.pk,
        "vendor": vendor.pk,
        "fund": fund.pk,
        "branch": branch.pk,
        "branch_code": branch.code,
        "item_type": item_type.pk,
        "item_type_code": item_type.code,
        "record": record.pk,
        "isbn": record.isbn,
    }


BASE = "/staff/acquisitions"

#: (method, path, data, a staff role without the page's permission)
PAGES = [
    ("get", "/", None, "circulation"),
    ("get", "/orders/late/", None, "circulation"),
    ("get", "/orders/{order}/", None, "circulation"),
    ("get", "/orders/{order}/order.pdf", None, "circulation"),
    ("get", "/orders/{order}/claims/{claim}.pdf", None, "circulation"),
    ("get", "/vendors/", None, "circulation"),
    ("get", "/funds/", None, "circulation"),
    ("get", "/invoices/", None, "circulation"),
    ("get", "/suggestions/", None, "circulation"),
    ("get", "/orders/new/", None, "technician"),
    ("post", "/orders/new/", {"vendor": "{vendor}", "note": "x"}, "technician"),
    (
        "post",
        "/orders/{draft}/lines/",
        {
            "title": "{isbn}",
            "copies": "1",
            "branch": "{branch}",
            "item_type": "{item_type}",
            "price": "5.000",
            "fund": "{fund}",
        },
        "technician",
    ),  # fmt: skip
    ("post", "/orders/{draft}/lines/{draft_line}/remove/", {}, "technician"),
    ("post", "/orders/{draft}/send/", {}, "technician"),
    ("post", "/orders/{order}/cancel/", {"reason": "Tutup"}, "technician"),
    ("post", "/orders/{order}/cancel-line/", {"line": "{line}", "reason": "Habis"}, "technician"),
    ("post", "/orders/{order}/claim/", {"note": ""}, "technician"),
    ("get", "/orders/{order}/receive/", None, "circulation"),
    ("post", "/orders/{order}/receive/", {"do": "receive", "tick-{line}": "1"}, "circulation"),
    ("get", "/orders/{order}/invoice/", None, "technician"),
    ("post", "/orders/{order}/invoice/", {"number": "F-2", "date": "2026-01-05", "amount": "1.000"}, "technician"),
    ("post", "/invoices/{invoice}/pay/", {}, "technician"),
    ("get", "/vendors/new/", None, "technician"),
    ("post", "/vendors/new/", {"name": "Toko Baru", "is_active": "on"}, "technician"),
    ("post", "/vendors/{vendor}/", {"name": "Nama Lain", "is_active": "on"}, "technician"),
    ("get", "/funds/new/", None, "librarian"),
    ("post", "/funds/new/", {"code": "NEW", "name": "Baru", "year": "2026", "budget": "1.000"}, "librarian"),
    ("post", "/funds/{fund}/", {"code": "BOOKS", "name": "x", "year": "2026", "budget": "9.000.000"}, "librarian"),
    ("post", "/suggestions/{suggestion}/reject/", {"reason": "Tidak"}, "technician"),
    (
        "post",
        "/suggestions/{suggestion}/accept/",
        {
            "order": "{draft}",
            "copies": "1",
            "branch": "{branch}",
            "item_type": "{item_type}",
            "price": "5.000",
            "fund": "{fund}",
        },
        "technician",
    ),  # fmt: skip
]


def _fill(value, world):
    if isinstance(value, dict):
        return {_fill(k, world): _fill(v, world) for k, v in value.items()}
    return value.format(**world) if isinstance(value, str) else value


def _request(client, method, path, data, world):
    url = BASE + _fill(path, world)
    return client.get(url) if method == "get" else client.post(url, _fill(data, world))


def _page_id(case):
    return f"{case[0]} {case[1]}"


@pytest.mark.parametrize("case", PAGES, ids=_page_id)
def test_staff_pages_refuse_anonymous_users_patrons_and_the_wrong_role_and_write_nothing(
    case, client, world, patron, make_staff
):
    method, path, data, wrong_role = case
    before = rows()

    anonymous = _request(client, method, path, data, world)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/staff/login")

    client.force_login(patron.user)
    assert _request(client, method, path, data, world).status_code == 403

    client.force_login(make_staff(wrong_role, username=f"other-{wrong_role}"))
    assert _request(client, method, path, data, world).status_code == 403

    assert rows() == before


def test_the_patrons_suggestion_page_sends_anonymous_users_to_the_login_and_writes_nothing(client, world):
    before = rows()
    response = client.post("/account/suggestions/", {"title": "Laskar Pelangi"})
    assert response.status_code == 302 and "/account/login" in response["Location"]
    assert rows() == before


def test_a_member_of_staff_without_a_card_gets_no_suggestion_page(client, world, librarian):
    before = rows()
    client.force_login(librarian)
    assert client.get("/account/suggestions/").status_code == 403
    assert client.post("/account/suggestions/", {"title": "Laskar Pelangi"}).status_code == 403
    assert rows() == before


#: (method, path, body, a staff role without the endpoint's permission)
ENDPOINTS = [
    ("get", "/acquisitions/vendors", None, "circulation"),
    ("post", "/acquisitions/vendors", {"name": "Toko Baru"}, "technician"),
    ("get", "/acquisitions/funds", None, "circulation"),
    ("post", "/acquisitions/funds", {"code": "NEW", "name": "Baru", "year": 2026, "budget": "1.000"}, "librarian"),
    ("get", "/acquisitions/orders", None, "circulation"),
    ("post", "/acquisitions/orders", {"vendor_id": "{vendor}"}, "technician"),
    ("get", "/acquisitions/orders/{order}", None, "circulation"),
    (
        "post",
        "/acquisitions/orders/{draft}/lines",
        {
            "record_id": "{record}",
            "copies": 1,
            "branch": "{branch_code}",
            "item_type": "{item_type_code}",
            "price": "5.000",
            "fund_id": "{fund}",
        },
        "technician",
    ),  # fmt: skip
    ("post", "/acquisitions/orders/{draft}/send", {}, "technician"),
    ("post", "/acquisitions/orders/{order}/cancel", {"reason": "Tutup"}, "technician"),
    ("post", "/acquisitions/orders/{order}/lines/{line}/cancel", {"reason": "Habis"}, "technician"),
    ("post", "/acquisitions/orders/{order}/claim", {}, "technician"),
    ("post", "/acquisitions/orders/{order}/receive", {"counts": {"{line}": 1}}, "circulation"),
    ("get", "/acquisitions/invoices", None, "circulation"),
    (
        "post",
        "/acquisitions/invoices",
        {
            "vendor_id": "{vendor}",
            "number": "F-9",
            "date": "2026-01-05",
            "amount": "1.000",
        },
        "technician",
    ),  # fmt: skip
    ("post", "/acquisitions/invoices/{invoice}/pay", {}, "technician"),
    ("get", "/acquisitions/suggestions", None, "circulation"),
    ("post", "/acquisitions/suggestions/{suggestion}/reject", {"reason": "Tidak"}, "technician"),
    (
        "post",
        "/acquisitions/suggestions/{suggestion}/accept",
        {
            "order_id": "{draft}",
            "fund_id": "{fund}",
            "price": "5.000",
            "branch": "{branch_code}",
            "item_type": "{item_type_code}",
        },
        "technician",
    ),  # fmt: skip
]


def _json(value, world):
    """The body with its placeholders filled; ids become numbers."""
    if isinstance(value, dict):
        return {_json(k, world): _json(v, world) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        filled = value.format(**world)
        return int(filled) if filled.isdigit() else filled
    return value


def _call(api, method, path, body, world):
    path = path.format(**world)
    return api.get(path) if method == "get" else api.post(path, {str(k): v for k, v in _json(body, world).items()})


@pytest.mark.parametrize("case", ENDPOINTS, ids=_page_id)
def test_the_api_refuses_anonymous_users_patrons_and_the_wrong_role_and_writes_nothing(case, world, patron, make_staff):
    method, path, body, wrong_role = case
    as_patron, as_wrong_role = (
        ApiClient.as_user(patron.user),
        ApiClient.as_user(make_staff(wrong_role, username=f"other-{wrong_role}")),
    )
    before = rows()

    assert _call(ApiClient(), method, path, body, world).status_code == 401
    assert _call(as_patron, method, path, body, world).status_code == 403
    assert _call(as_wrong_role, method, path, body, world).status_code == 403

    assert rows() == before


def test_the_patrons_own_suggestions_in_the_api_need_a_login_and_staff_do_not_suggest(world, librarian):
    staff = ApiClient.as_user(librarian)
    before = rows()
    assert ApiClient().get("/acquisitions/my-suggestions").status_code == 401
    assert ApiClient().post("/acquisitions/my-suggestions", {"title": "Laskar Pelangi"}).status_code == 401
    assert staff.post("/acquisitions/my-suggestions", {"title": "Laskar Pelangi"}).status_code == 403
    assert rows() == before
