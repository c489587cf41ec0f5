"""Every move of the lifecycle table is owned by a workflow: the generic item move (action, item page,
items API) makes only the moves the ``item`` workflow owns, and no workflow's action makes another's."""

import pytest
from django.urls import reverse
from django.utils import translation

from pustaka.core.models import AuditEvent
from pustaka.core.tests.api_client import ApiClient
from pustaka.holdings import transitions
from pustaka.holdings.actions import change_item_status, move_item, move_items
from pustaka.holdings.choices import ItemStatus, PullReason, Workflow
from pustaka.holdings.errors import MoveBelongsToAnotherWorkflow
from pustaka.holdings.models import Item

OWNED = [t for t in transitions.TRANSITIONS if not t.generic]
GENERIC = [t for t in transitions.TRANSITIONS if t.generic]


def _name(rule) -> str:
    return f"{rule.source}->{rule.target}"


def _start(make_item, rule, barcode="B900001") -> Item:
    pulled_reason = rule.reason or (PullReason.WEED if rule.source == ItemStatus.PULLED else "")
    return make_item(barcode, status=rule.source, pulled_reason=pulled_reason)


def _reason(rule) -> str:
    return PullReason.REPAIR if rule.target == ItemStatus.PULLED else ""


def _unchanged(item: Item, rule) -> None:
    item.refresh_from_db()
    assert item.status == rule.source
    assert not AuditEvent.objects.filter(verb__startswith="holdings.item.", object_id=str(item.pk)).exists()


def test_every_move_names_known_workflows_and_a_page_for_each():
    for rule in transitions.TRANSITIONS:
        assert rule.owners and set(rule.owners) <= set(Workflow.values), rule
    assert set(transitions.WORKFLOW_PAGES) == set(Workflow.values)
    for name in transitions.WORKFLOW_PAGES.values():
        assert reverse(name).startswith("/staff/")


def test_the_desk_still_owns_every_move_that_goes_with_a_loan_or_a_hold():
    circulation = {ItemStatus.ON_LOAN, ItemStatus.ON_HOLD_SHELF, ItemStatus.IN_TRANSIT}
    for rule in transitions.TRANSITIONS:
        if rule.source in circulation or rule.target in circulation or rule.target == ItemStatus.LOST:
            assert rule.owners == (Workflow.DESK,), rule


@pytest.mark.parametrize("rule", OWNED, ids=_name)
def test_the_generic_move_refuses_a_move_a_workflow_owns_and_names_its_page(rule, make_item, administrator):
    item = _start(make_item, rule)

    with pytest.raises(MoveBelongsToAnotherWorkflow) as refused:
        change_item_status(item=item, to=rule.target, actor=administrator, reason=_reason(rule))

    page = refused.value.url
    assert page == reverse(transitions.WORKFLOW_PAGES[rule.workflow])
    assert f"Use the {Workflow(rule.workflow).label} page: {page}" in str(refused.value)
    _unchanged(item, rule)


@pytest.mark.parametrize("rule", OWNED, ids=_name)
def test_the_item_page_refuses_a_move_a_workflow_owns(rule, make_item, administrator, client):
    item = _start(make_item, rule)
    client.force_login(administrator)

    page = client.get(f"/staff/holdings/items/{item.barcode}/").content.decode()
    response = client.post(
        f"/staff/holdings/items/{item.barcode}/move/", {"to": rule.target, "reason": _reason(rule)}, follow=True
    )

    assert f'name="to" value="{rule.target}"' not in page  # no button for it...
    assert f'data-workflow="{rule.workflow}"' in page  # ...but a link to the page that makes it
    assert response.status_code == 200
    assert f"Use the {Workflow(rule.workflow).label} page:" in response.content.decode()
    _unchanged(item, rule)


@pytest.mark.parametrize("rule", OWNED, ids=_name)
def test_the_items_api_refuses_a_move_a_workflow_owns_with_409(rule, make_item, administrator):
    item = _start(make_item, rule)

    response = ApiClient.as_user(administrator).post(
        f"/items/{item.barcode}/status", {"to": rule.target, "reason": _reason(rule)}
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "move_belongs_to_workflow"
    assert body["workflow"] == rule.workflow
    assert body["message"].endswith(f"page: {body['page']}")
    _unchanged(item, rule)


def test_the_items_api_patch_cannot_change_the_status(make_item, administrator):
    item = make_item("B900001", status=ItemStatus.IN_REPAIR)

    response = ApiClient.as_user(administrator).patch(f"/items/{item.barcode}", {"status": "ready_for_shelving"})

    assert response.status_code == 400
    assert response.json()["field"] == "status"
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REPAIR


@pytest.mark.parametrize("rule", GENERIC, ids=_name)
def test_the_items_api_makes_the_moves_no_workflow_owns(rule, make_item, administrator):
    item = _start(make_item, rule)

    response = ApiClient.as_user(administrator).post(f"/items/{item.barcode}/status", {"to": rule.target})

    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.status == rule.target
    assert AuditEvent.objects.filter(verb=rule.verb, object_id=str(item.pk)).exists()


@pytest.mark.parametrize("rule", transitions.TRANSITIONS, ids=_name)
def test_a_workflow_action_cannot_make_another_workflows_move(rule, make_item, administrator):
    item = _start(make_item, rule)
    for workflow in Workflow.values:
        if rule.owned_by(workflow):
            continue
        with pytest.raises(MoveBelongsToAnotherWorkflow):
            move_item(item=item, to=rule.target, actor=administrator, workflow=workflow, reason=_reason(rule))
        with pytest.raises(MoveBelongsToAnotherWorkflow):
            move_items(items=[item], to=rule.target, actor=administrator, workflow=workflow, reason=_reason(rule))
    _unchanged(item, rule)


def test_a_repair_move_cannot_be_made_from_the_stocktake(make_item, administrator):
    item = make_item("B900001", status=ItemStatus.IN_REPAIR)

    with pytest.raises(MoveBelongsToAnotherWorkflow) as refused:
        move_item(item=item, to=ItemStatus.READY_FOR_SHELVING, actor=administrator, workflow=Workflow.STOCKTAKE)

    assert str(refused.value) == (
        "Item B900001 cannot become “Ready for shelving” here. Use the repair page: /staff/technical/repair/"
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REPAIR


def test_an_unknown_workflow_is_a_programming_error(item, administrator):
    with pytest.raises(ValueError):
        move_item(item=item, to=ItemStatus.MISSING, actor=administrator, workflow="shortcut")
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE


def test_the_refusal_speaks_indonesian(make_item, administrator):
    item = make_item("B900001", status=ItemStatus.AT_BINDERY)

    with pytest.raises(MoveBelongsToAnotherWorkflow) as refused:
        change_item_status(item=item, to=ItemStatus.READY_FOR_SHELVING, actor=administrator)

    with translation.override("id"):
        assert str(refused.value) == (
            "Eksemplar B900001 tidak dapat menjadi “Siap dijajarkan” di sini. "
            "Gunakan halaman penjilidan: /staff/technical/bindery/"
        )
