"""Who may call each API endpoint, generated from the OpenAPI document (as NetBox generates its
"without permission" tests): for every operation, anonymous callers get 401, a patron gets 403 on a
staff endpoint and never sees another patron's data on a shared one, each staff role without the
endpoint's declared permission gets 403, and no refusal writes anything.

The permission comes from the endpoint itself (``required_permission`` and ``audience``, set by
:func:`pustaka.core.api.staff_endpoint`, :func:`~pustaka.core.api.patron_endpoint` and
:func:`~pustaka.core.api.user_endpoint`), so a new endpoint is covered the day it is written and an
endpoint without a declaration fails here.
"""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

import pustaka.urls  # noqa: F401 - every app's router registers on import
from pustaka.core.api import ANYONE_LOGGED_IN, PATRONS, STAFF, api
from pustaka.core.choices import Role
from pustaka.core.tests.api_client import ApiClient

from .refusals import call_and_undo

PREFIX = "/api/v1"
SCHEMA = api.get_openapi_schema()


def _views() -> dict[str, object]:
    """operationId → the endpoint function ninja calls."""
    views = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                views[api.get_openapi_operation_id(operation)] = operation.view_func
    return views


VIEWS = _views()
OPERATIONS = sorted(
    (path, method, op["operationId"]) for path, ops in SCHEMA["paths"].items() for method, op in ops.items()
)
IDS = [f"{method.upper()} {path.removeprefix(PREFIX)}" for path, method, _ in OPERATIONS]
ROLES = [role.value for role in Role]
MISSING = 999_999  # an id no fixture row has: refusals come before any lookup, so it is never reached


def test_the_served_openapi_document_is_the_one_these_tests_walk(client):
    served = client.get(f"{PREFIX}/openapi.json").json()
    assert sorted((p, m) for p, ops in served["paths"].items() for m in ops) == [(p, m) for p, m, _ in OPERATIONS]
    assert len(OPERATIONS) > 150


def test_no_two_schemas_share_a_name_in_the_document():
    """The document keeps one schema per name: a second ``ScanIn`` would silently describe the first
    one's body for both endpoints (and these tests would send the wrong body)."""
    from ninja import Schema

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    by_name = {}
    for cls in subclasses(Schema):
        if cls.__module__.startswith("pustaka.") and cls.__name__ in SCHEMA["components"]["schemas"]:
            by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: sorted(where) for name, where in by_name.items() if len(where) > 1} == {}


@pytest.mark.parametrize(("path", "method", "operation_id"), OPERATIONS, ids=IDS)
def test_every_endpoint_declares_who_may_call_it(db, path, method, operation_id):
    view = VIEWS[operation_id]
    assert getattr(view, "audience", None) in {STAFF, PATRONS, ANYONE_LOGGED_IN}, (
        f"{method.upper()} {path}: decorate it with staff_endpoint(perm), patron_endpoint(perm) or user_endpoint()"
    )
    if view.audience == PATRONS:
        assert view.required_permissions, "a shared endpoint names the permission staff need"
    for perm in view.required_permissions:
        app_label, codename = perm.split(".")
        from django.contrib.auth.models import Permission

        assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), perm


# --- The objects path parameters and bodies point at -------------------------------------------------


@pytest.fixture
def world(db, branch, location, item_type, record, make_item, make_patron, patron):
    """A small library: a copy on loan to another patron (P0002) with a hold and a fine, a program with
    a session and that patron's registration; ``patron`` (P0001) is the caller."""
    from pustaka.circulation.models import FeeEntry, Hold, Loan
    from pustaka.programs.models import Program, ProgramSession, Registration

    now = timezone.now()
    other = make_patron("P0002", first_name="Andi", last_name="Wijaya")
    lent = make_item("B000002", status="on_loan")
    item = make_item("B000001")
    loan = Loan.objects.create(item=lent, patron=other, branch=branch, checked_out_at=now, due_at=now)
    hold = Hold.objects.create(record=record, patron=other, pickup_branch=branch, placed_at=now)
    fee = FeeEntry.objects.create(patron=other, kind="fine", amount=Decimal("1000"))
    program = Program.objects.create(title="Dongeng pagi", branch=branch, capacity=10)
    session = ProgramSession.objects.create(
        program=program,
        date=timezone.localdate(),
        start_time=datetime.time(9),
        end_time=datetime.time(10),
        branch=branch,
    )
    registration = Registration.objects.create(program=program, patron=other, status="registered", queued_at=now)
    return {
        "record_id": record.pk,
        "barcode": item.barcode,
        "code": branch.code,
        "patron_id": other.pk,
        "loan_id": loan.pk,
        "hold_id": hold.pk,
        "fee_id": fee.pk,
        "program_id": program.pk,
        "session_id": session.pk,
        "registration_id": registration.pk,
        # body fields that name things
        "card_number": other.card_number,
        "card": other.card_number,
        "patron": other.card_number,
        "record": record.pk,
        "program": program.pk,
        "session": session.pk,
        "branch": branch.code,
        "pickup_branch": branch.code,
        "item_type": item_type.code,
        "location": location.code,
    }


def _url(path: str, world: dict) -> str:
    return re.sub(r"{(\w+)}", lambda m: str(world.get(m.group(1), MISSING)), path).removeprefix(PREFIX)


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _value(name: str, schema: dict, world: dict):
    """A value the schema accepts (the fixture's own object for fields that name one)."""
    schema = _resolve(schema)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(o).get("type") != "null"]
            return _value(name, options[0], world)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if name in world:
        return world[name]
    kind = schema.get("type")
    if kind == "object":
        return _body(schema, world)
    if kind == "array":
        return [_value(name, schema.get("items", {}), world) for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "date":
        return timezone.localdate().isoformat()
    if fmt == "date-time":
        return timezone.now().isoformat()
    if fmt == "time":
        return "09:00"
    if fmt == "email" or name == "email":
        return "tamu@example.org"
    return "x" * max(schema.get("minLength", 1), 1)


def _body(schema: dict, world: dict) -> dict:
    """The required fields; a body whose fields are all optional (a PATCH) gets its first one."""
    schema = _resolve(schema)
    properties = schema.get("properties", {})
    names = [name for name in properties if name in schema.get("required", [])] or list(properties)[:1]
    return {name: _value(name, properties[name], world) for name in names}


def _call(caller: ApiClient, method: str, path: str, world: dict):
    """Call one operation with a body its schema accepts."""
    operation = SCHEMA["paths"][path][method]
    url = _url(path, world)
    content = operation.get("requestBody", {}).get("content", {})
    params = {
        p["name"]: _value(p["name"], p.get("schema", {}), world)
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }
    if "multipart/form-data" in content:
        from django.core.files.uploadedfile import SimpleUploadedFile

        form = _body(content["multipart/form-data"]["schema"], world)
        data = {k: v for k, v in form.items() if not isinstance(v, dict)}
        data["file"] = SimpleUploadedFile("buku.txt", b"isi buku")
        return caller.client.post(PREFIX + url, data, headers=caller.headers)
    if method == "get":
        return caller.get(url, params)
    if method == "delete":
        return caller.delete(url)
    body = _body(content["application/json"]["schema"], world) if "application/json" in content else {}
    query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    return caller._send(method, url + query, body)


def _status_and_change(caller, method, path, world):
    """Call, see which tables the call wrote to, then undo whatever it did."""
    return call_and_undo(lambda: _call(caller, method, path, world))


def _holds(user, view) -> bool:
    any_of = view.required_any_permission
    return all(user.has_perm(p) for p in view.required_permissions) and (
        not any_of or any(user.has_perm(p) for p in any_of)
    )


@pytest.mark.parametrize(("path", "method", "operation_id"), OPERATIONS, ids=IDS)
def test_each_caller_may_call_only_what_its_permissions_allow(
    path, method, operation_id, world, make_staff, patron_user
):
    view = VIEWS[operation_id]
    perms = view.required_permissions
    callers = {"anonymous": ApiClient(), "patron": ApiClient.as_user(patron_user)}
    staff = {role: make_staff(role) for role in ROLES}
    callers.update({role: ApiClient.as_user(user) for role, user in staff.items()})
    where = f"{method.upper()} {path}"

    response, changed = _status_and_change(callers["anonymous"], method, path, world)
    assert response.status_code == 401, f"{where} anonymous: {response.status_code}"
    assert not changed, f"{where}: an anonymous refusal wrote to {changed}"

    response, changed = _status_and_change(callers["patron"], method, path, world)
    if view.audience == STAFF:
        assert response.status_code == 403, f"{where} patron: {response.status_code} {response.content[:200]}"
        assert not changed, f"{where}: a patron's refusal wrote to {changed}"
    else:
        assert response.status_code < 500 and response.status_code not in (401,), (
            f"{where} patron: {response.status_code}"
        )
        if view.audience == PATRONS:
            answer = response.content.decode()
            assert "P0002" not in answer and "Wijaya" not in answer, f"{where}: a patron saw another patron's data"
            if response.status_code >= 400:
                assert not changed, f"{where}: a patron's refusal wrote to {changed}"
        else:
            assert response.status_code != 403, f"{where}: any logged-in user may call it"

    for role, user in staff.items():
        response, changed = _status_and_change(callers[role], method, path, world)
        assert response.status_code < 500, f"{where} {role}: {response.status_code} {response.content[:300]}"
        if response.status_code == 403:
            assert not changed, f"{where}: the refusal of {role} wrote to {changed}"
        declared = [*perms, *[f"one of {p}" for p in view.required_any_permission]]
        if not declared:
            assert response.status_code != 401, f"{where} {role}"
        elif _holds(user, view):
            assert response.status_code not in (401, 403), (
                f"{where}: {role} holds {declared} but was refused: {json.loads(response.content or b'{}')}"
            )
        else:
            assert response.status_code == 403, f"{where}: {role} lacks {declared} but got {response.status_code}"
