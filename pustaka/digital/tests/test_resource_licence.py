"""Putting a resource under a licence from the resource pages, the API and the ``ingest`` and
``import-kbart`` commands (all through ``assign_licence``), and seats never beyond the licence's count."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.digital.actions.resources import add_seats, create_resource
from pustaka.digital.errors_ingest import TooManySeats
from pustaka.digital.models import DigitalResource, SoftwareSeat

from .conftest import ebook
from .fixtures_access import *  # noqa: F403

KBART = Path(__file__).resolve().parent / "data" / "kbart-teknik.txt"


def licence_events(resource):
    return list(
        AuditEvent.objects.filter(verb="digital.resource.licence", object_id=str(resource.pk))
        .order_by("id")
        .values_list("after", flat=True)
    )


@pytest.fixture
def adder(make_staff):
    """Staff who may add and change resources (and records, files) but not licences: no licence assignment."""
    user = make_staff("technician", "penambah")
    group = Group.objects.create(name="penambah-sumber-digital")
    codes = ["manage_resources", "view_digitalresource", "ingest_file", "catalogue"]
    group.permissions.set(Permission.objects.filter(codename__in=codes))
    user.groups.set([group])
    return user


# Pages ---------------------------------------------------------------------------------------------


def test_it_manager_puts_a_resource_under_a_licence_on_the_edit_page(client, it_manager, record, licence):
    resource = create_resource(record=record, kind="ebook", actor=it_manager)
    client.force_login(it_manager)
    page = client.get(f"/staff/digital/resources/{resource.pk}/edit/").content.decode()
    assert 'name="licence"' in page and licence.name in page
    response = client.post(
        f"/staff/digital/resources/{resource.pk}/edit/", {"kind": "ebook", "licence": licence.pk, "is_active": "on"}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.licence == licence
    assert licence_events(resource) == [{"licence": licence.pk}]
    page = client.get(f"/staff/digital/resources/{resource.pk}/edit/").content.decode()
    assert f'<option value="{licence.pk}" selected>' in page
    client.post(f"/staff/digital/resources/{resource.pk}/edit/", {"kind": "ebook", "licence": "", "is_active": "on"})
    resource.refresh_from_db()
    assert resource.licence is None


def test_a_new_resource_gets_its_licence_on_the_create_page(client, it_manager, record, licence):
    client.force_login(it_manager)
    response = client.post(f"/staff/digital/records/{record.pk}/new/", {"kind": "database", "licence": licence.pk})
    assert response.status_code == 302
    assert DigitalResource.objects.get().licence == licence


def test_an_unknown_licence_on_the_page_is_an_error_on_that_field(client, it_manager, record):
    resource = create_resource(record=record, kind="ebook", actor=it_manager)
    client.force_login(it_manager)
    response = client.post(f"/staff/digital/resources/{resource.pk}/edit/", {"kind": "ebook", "licence": 987654})
    assert response.status_code == 200
    assert response.context["form"].errors["licence"] == ["There is no such licence; choose one from the list."]
    resource.refresh_from_db()
    assert resource.licence is None


def test_who_may_not_change_resources_cannot_set_a_licence_on_the_pages(client, librarian, adder, record, licence):
    resource = create_resource(record=record, kind="ebook", actor=None)
    client.force_login(librarian)
    response = client.post(f"/staff/digital/resources/{resource.pk}/edit/", {"kind": "ebook", "licence": licence.pk})
    assert response.status_code == 403
    client.force_login(adder)
    response = client.post(f"/staff/digital/records/{record.pk}/new/", {"kind": "ebook", "licence": licence.pk})
    assert response.status_code == 200
    assert "You do not have permission to do this." in response.content.decode()
    assert DigitalResource.objects.count() == 1  # nothing half-made
    resource.refresh_from_db()
    assert resource.licence is None


# API -----------------------------------------------------------------------------------------------


def send(client, method, path, data):
    return getattr(client, method)(path, json.dumps(data), content_type="application/json")


def test_api_creates_and_changes_the_licence_of_a_resource(client, it_manager, record, licence, open_licence):
    client.force_login(it_manager)
    response = send(
        client, "post", "/api/v1/digital-resources", {"record": record.pk, "kind": "ebook", "licence": licence.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["licence_id"] == licence.pk
    path = f"/api/v1/digital-resources/{body['id']}"
    assert send(client, "patch", path, {"licence": open_licence.pk}).json()["licence_id"] == open_licence.pk
    assert send(client, "patch", path, {"label": "Tanpa ubah lisensi"}).json()["licence_id"] == open_licence.pk
    assert send(client, "patch", path, {"licence": None}).json()["licence_id"] is None
    resource = DigitalResource.objects.get(pk=body["id"])
    assert licence_events(resource) == [{"licence": licence.pk}, {"licence": open_licence.pk}, {"licence": None}]


@pytest.mark.parametrize("method", ["post", "patch"])
def test_api_refuses_an_unknown_licence_naming_the_field(client, it_manager, record, method):
    client.force_login(it_manager)
    resource = create_resource(record=record, kind="ebook", actor=it_manager)
    if method == "post":
        response = send(
            client, "post", "/api/v1/digital-resources", {"record": record.pk, "kind": "ebook", "licence": 987654}
        )
    else:
        response = send(client, "patch", f"/api/v1/digital-resources/{resource.pk}", {"licence": 987654})
    assert response.status_code == 404
    assert response.json()["field"] == "licence" and response.json()["code"] == "licence_not_found"
    assert DigitalResource.objects.count() == 1
    bad = send(client, "patch", f"/api/v1/digital-resources/{resource.pk}", {"licence": "lisensi"})
    assert bad.status_code == 400 and bad.json()["field"] == "licence"


def test_api_refuses_a_licence_to_who_may_not_change_resources(client, librarian, adder, record, licence):
    resource = create_resource(record=record, kind="ebook", actor=None)
    client.force_login(librarian)
    response = send(client, "patch", f"/api/v1/digital-resources/{resource.pk}", {"licence": licence.pk})
    assert response.status_code == 403
    client.force_login(adder)
    response = send(
        client, "post", "/api/v1/digital-resources", {"record": record.pk, "kind": "ebook", "licence": licence.pk}
    )
    assert response.status_code == 403
    assert DigitalResource.objects.count() == 1
    resource.refresh_from_db()
    assert resource.licence is None


# Commands ------------------------------------------------------------------------------------------


def test_ingest_puts_new_resources_under_the_licence_by_name_or_id(db, licence, record):
    call_command("ingest", str(ebook("eng.epub")), "--licence", licence.name.upper(), stdout=io.StringIO())
    created = DigitalResource.objects.get()
    assert created.licence == licence
    call_command(
        "ingest", str(ebook("box.pdf")), "--record", str(record.pk), "--licence", str(licence.pk), stdout=io.StringIO()
    )
    assert record.digital_resources.get().licence == licence


@pytest.mark.parametrize("command", ["ingest", "import_kbart"])
def test_commands_refuse_an_unknown_licence_naming_the_option(db, command):
    source = str(ebook("eng.epub")) if command == "ingest" else str(KBART)
    with pytest.raises(CommandError) as error:
        call_command(command, source, "--licence", "Tidak ada", stdout=io.StringIO())
    assert str(error.value) == "--licence: No licence has the id or name “Tidak ada”."
    with pytest.raises(CommandError, match="--licence: No licence has the id or name “987654”"):
        call_command(command, source, "--licence", "987654", stdout=io.StringIO())
    assert not DigitalResource.objects.exists()


def test_commands_refuse_a_licence_name_several_licences_have(db, make_licence):
    make_licence("Sama")
    make_licence("sama")
    with pytest.raises(CommandError, match="Several licences are called “Sama”; give the licence's id instead."):
        call_command("ingest", str(ebook("eng.epub")), "--licence", "Sama", stdout=io.StringIO())


def test_ingest_with_a_licence_refuses_a_user_who_may_not_assign_it(db, adder, licence):
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 file was refused"):
        call_command("ingest", str(ebook("eng.epub")), "--licence", str(licence.pk), "--as", adder.username, stdout=out)
    assert "Created 0, duplicate 0, refused 1." in out.getvalue()
    assert "You do not have permission to do this." in out.getvalue()
    assert not DigitalResource.objects.exists()


def test_import_kbart_puts_every_resource_under_the_licence(db, licence, make_licence):
    call_command("import_kbart", str(KBART), "--licence", str(licence.pk), stdout=io.StringIO())
    journals = DigitalResource.objects.filter(kind="ejournal")
    assert journals.count() == 3 and {r.licence_id for r in journals} == {licence.pk}
    renewed = make_licence("Langganan 2027")
    out = io.StringIO()
    call_command("import_kbart", str(KBART), "--licence", renewed.name, stdout=out)
    assert "updated 3" in out.getvalue()
    assert {r.licence_id for r in journals.all()} == {renewed.pk}


# Seats never beyond the licence --------------------------------------------------------------------


def test_seats_are_refused_beyond_the_licences_seat_count(it_manager, record, make_licence):
    software = create_resource(record=record, kind="software", actor=it_manager, licence=make_licence("SPSS", seats=3))
    add_seats(resource=software, actor=it_manager, keys=["K-1", "K-2"])
    with pytest.raises(TooManySeats) as error:
        add_seats(resource=software, actor=it_manager, count=2)
    assert error.value.field == "count"
    assert str(error.value) == "The licence “SPSS” allows 3 seats; this resource has 2, so 2 more would be too many."
    with pytest.raises(TooManySeats) as error:
        add_seats(resource=software, actor=it_manager, keys=["K-3", "K-4"])
    assert error.value.field == "keys"
    add_seats(resource=software, actor=it_manager, keys=["K-3"])
    assert SoftwareSeat.objects.filter(resource=software).count() == 3


def test_seats_without_a_licence_seat_count_are_not_limited(it_manager, record, make_licence):
    software = create_resource(record=record, kind="software", actor=it_manager, licence=make_licence("Bebas"))
    assert len(add_seats(resource=software, actor=it_manager, count=5)) == 5


def test_the_seats_page_shows_the_refusal(client, it_manager, record, make_licence):
    software = create_resource(record=record, kind="software", actor=it_manager, licence=make_licence("SPSS", seats=1))
    client.force_login(it_manager)
    response = client.post(f"/staff/digital/resources/{software.pk}/seats/", {"keys": "A-1\nB-2", "count": 0})
    assert response.status_code == 200
    assert "allows 1 seat; this resource has 0, so 2 more would be too many" in response.content.decode()
    assert not SoftwareSeat.objects.exists()


def test_create_resource_with_a_licence_needs_the_change_permission(adder, record, licence):
    with pytest.raises(PermissionDenied):
        create_resource(record=record, kind="ebook", actor=adder, licence=licence)
    assert create_resource(record=record, kind="ebook", actor=adder).licence is None
