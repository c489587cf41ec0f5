"""Who may open each staff page, generated from the URL resolver (as NetBox generates its "without
permission" tests): every page under ``/staff/`` declares its permission (``required_permission``,
set by :func:`pustaka.core.permissions.staff_view`; ``staff_view()`` without one says any staff
member may open it). Anonymous visitors go to the login page, a patron gets 403, each role without
the permission gets 403 for GET and POST and the POST writes nothing; each role with it gets the page.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from pustaka.core.choices import Role

from .refusals import call_and_undo

#: Pages under /staff/ that are not staff pages: the login and logout pages themselves, and Django's
#: admin (which has its own staff check).
NOT_STAFF_PAGES = ("staff/login/", "staff/logout/", "staff/admin/")
ROLES = [role.value for role in Role]
MISSING = 999_999


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


PAGES = sorted(
    (route, view)
    for route, view in _walk(get_resolver().url_patterns)
    if route.startswith("staff/") and not route.startswith(NOT_STAFF_PAGES)
)


def test_the_walk_finds_the_staff_pages():
    routes = [route for route, _ in PAGES]
    assert "staff/" in routes and "staff/circulation/desk/" in routes and "staff/technical/bindery/" in routes
    assert len(routes) > 150


@pytest.mark.parametrize(("route", "view"), PAGES, ids=[route for route, _ in PAGES])
def test_every_staff_page_declares_its_permission(db, route, view):
    assert hasattr(view, "required_permission"), f"/{route}: decorate the view with staff_view(perm)"
    if view.required_permission:
        from django.contrib.auth.models import Permission

        app_label, codename = view.required_permission.split(".")
        assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()


@pytest.fixture
def world(db, branch, record, item, make_patron, patron):
    """The objects a page's path names: a record, an item, a branch, a patron with a loan, a program
    with a session and a registration. Other ids name nothing (the refusal comes first)."""
    from pustaka.circulation.models import Loan
    from pustaka.programs.models import Program, ProgramSession, Registration

    now = timezone.now()
    other = make_patron("P0002", first_name="Andi", last_name="Wijaya")
    loan = Loan.objects.create(item=item, patron=other, branch=branch, checked_out_at=now, due_at=now)
    program = Program.objects.create(title="Dongeng pagi", branch=branch, capacity=10)
    session = ProgramSession.objects.create(
        program=program, date=now.date(), start_time=datetime.time(9), end_time=datetime.time(10), branch=branch
    )
    registration = Registration.objects.create(program=program, patron=other, status="registered", queued_at=now)
    pks = {  # the object ``<int:pk>`` names, by the page's prefix (longest first)
        "staff/programs/sessions/": session.pk,
        "staff/programs/registrations/": registration.pk,
        "staff/circulation/desk/loans/": loan.pk,
        "staff/core/branches/": branch.pk,
        "staff/catalog/": record.pk,
        "staff/patrons/categories/": other.category_id,
        "staff/patrons/": other.pk,
        "staff/programs/": program.pk,
        "staff/users/": patron.user_id,
    }
    values = {
        "barcode": item.barcode,
        "record_pk": record.pk,
        "record_id": record.pk,
        "code": branch.code,
        "fmt": "marcxml",
        "app_label": "catalog",
        "model": "record",
        "object_id": str(record.pk),
        "report": "titles",
        "token": "x",
    }
    return pks, values


def _path(route: str, world) -> str:
    pks, values = world

    def fill(match):
        name = match.group(2)
        if name == "pk":
            return str(next((pk for prefix, pk in pks.items() if route.startswith(prefix)), MISSING))
        return str(values.get(name, MISSING))

    return "/" + re.sub(r"<(\w+:)?(\w+)>", fill, route)


def _request(client, method, path):
    """GET or POST ``path``, see which tables the request wrote to, then undo whatever it did."""
    return call_and_undo(lambda: getattr(client, method)(path))


def _client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _may(user, view) -> bool:
    perm = view.required_permission
    any_of = getattr(view, "required_any_permission", ())
    return (not perm or user.has_perm(perm)) and (not any_of or any(user.has_perm(p) for p in any_of))


def _refused(clients, who, path, expected) -> None:
    """GET and POST are both refused with ``expected`` (a page that takes only one of them may answer
    405 to the other, but not to both) and neither writes anything."""
    statuses = []
    for method in ("get", "post"):
        response, changed = _request(clients[who], method, path)
        assert not changed, f"{method.upper()} {path}: the refusal of {who} wrote to {changed}"
        assert expected(response) or response.status_code == 405, (
            f"{method.upper()} {path} {who}: {response.status_code}"
        )
        statuses.append(response.status_code)
    assert statuses != [405, 405], f"{path} takes neither GET nor POST"


@pytest.mark.parametrize(("route", "view"), PAGES, ids=[route for route, _ in PAGES])
def test_each_role_opens_only_the_pages_its_permissions_allow(route, view, world, make_staff, patron):
    path = _path(route, world)
    staff = {role: make_staff(role) for role in ROLES}
    clients = {"anonymous": _client(), "patron": _client(patron.user)}
    clients.update({role: _client(user) for role, user in staff.items()})
    login = reverse(settings.LOGIN_URL)

    _refused(clients, "anonymous", path, lambda r: r.status_code == 302 and r["Location"].startswith(login))
    _refused(clients, "patron", path, lambda r: r.status_code == 403)
    for role, user in staff.items():
        if not _may(user, view):
            _refused(clients, role, path, lambda r: r.status_code == 403)
            continue
        response, _changed = _request(clients[role], "get", path)
        assert response.status_code != 403, f"GET {path}: {role} may open it but was refused"
        assert response.status_code < 500, f"GET {path} {role}: {response.status_code}"
