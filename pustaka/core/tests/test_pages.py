"""Core staff pages: branches and locations, library settings, the history of any object and the
global audit list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pustaka.catalog.actions import create_record, delete_record, update_record
from pustaka.core.models import AuditEvent, Branch, Library, Location


def branch_data(**overrides):
    data = {
        "code": "south",
        "name": "Cabang Selatan",
        "address": "Jl. Merdeka 1\nBandung",
        "phone": "022-123",
        "email": "selatan@example.org",
        "hours_0": "08:00-16:00",
        "hours_5": "8:00-12:00, 13:00–15:00",
    }
    data.update(overrides)
    return data


# Who may use the pages ----------------------------------------------------------------------------

PAGES = [
    ("/staff/core/branches/", "technician", None),
    ("/staff/core/branches/{branch}/", "circulation", None),
    ("/staff/core/branches/new/", "it_manager", "librarian"),
    ("/staff/core/branches/{branch}/edit/", "it_manager", "librarian"),
    ("/staff/core/branches/{branch}/locations/new/", "librarian", "senior_technician"),
    ("/staff/core/settings/", "it_manager", "librarian"),
    ("/staff/core/history/", "senior_technician", "technician"),
    ("/staff/core/history/core/branch/{branch}/", "librarian", "circulation"),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), PAGES)
def test_each_core_page_admits_its_roles_and_refuses_the_others(client, make_staff, branch, url, allowed, refused):
    AuditEvent.objects.create(verb="core.branch.create", content_type_id=None, object_repr="x")
    from django.contrib.contenttypes.models import ContentType

    AuditEvent.objects.create(
        verb="core.branch.update",
        content_type=ContentType.objects.get_for_model(Branch),
        object_id=str(branch.pk),
        object_repr=str(branch),
    )
    url = url.format(branch=branch.pk)
    client.force_login(make_staff(allowed))
    assert client.get(url).status_code == 200
    if refused:
        client.force_login(make_staff(refused))
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [p[0] for p in PAGES])
def test_anonymous_visitors_go_to_the_login_page_and_patrons_are_refused(client, patron_user, branch, url):
    url = url.format(branch=branch.pk)
    response = client.get(url)
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]
    client.force_login(patron_user)
    assert client.get(url).status_code == 403


# Branches and locations ---------------------------------------------------------------------------


def test_it_manager_opens_a_branch_with_opening_hours(client, it_manager):
    client.force_login(it_manager)
    response = client.post("/staff/core/branches/new/", branch_data())
    branch = Branch.objects.get(code="SOUTH")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/core/branches/{branch.pk}/"
    assert branch.opening_hours == {"0": [["08:00", "16:00"]], "5": [["08:00", "12:00"], ["13:00", "15:00"]]}
    assert branch.address == "Jl. Merdeka 1\nBandung"
    event = AuditEvent.objects.get(verb="core.branch.create")
    assert event.actor == it_manager and event.object_id == str(branch.pk)
    page = client.get(response["Location"]).content.decode()
    assert "08:00–12:00, 13:00–15:00" in page


def test_opening_hours_that_cannot_be_read_are_refused_on_their_day(client, it_manager):
    client.force_login(it_manager)
    response = client.post("/staff/core/branches/new/", branch_data(hours_2="from eight to four"))
    assert response.status_code == 200
    assert "08:00-16:00" in response.context["form"].errors["hours_2"][0]
    assert not Branch.objects.filter(code="SOUTH").exists()


def test_an_opening_period_that_ends_before_it_starts_is_refused(client, it_manager):
    client.force_login(it_manager)
    response = client.post("/staff/core/branches/new/", branch_data(hours_1="16:00-08:00"))
    assert response.status_code == 200
    assert "start and an end time" in response.content.decode()
    assert not Branch.objects.filter(code="SOUTH").exists()


def test_a_branch_code_already_in_use_is_refused_on_the_code_field(client, it_manager, branch):
    client.force_login(it_manager)
    response = client.post("/staff/core/branches/new/", branch_data(code="main"))
    assert "already exists" in response.context["form"].errors["code"][0]
    assert Branch.objects.count() == 1


def test_it_manager_edits_a_branch_and_the_change_is_audited(client, it_manager, branch):
    client.force_login(it_manager)
    form = client.get(f"/staff/core/branches/{branch.pk}/edit/").context["form"]
    assert form.initial["hours_0"] == "08:00-16:00"
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data["is_active"] = "on"
    data["name"] = "Perpustakaan Pusat Kota"
    data["hours_6"] = "09:00-12:00"
    response = client.post(f"/staff/core/branches/{branch.pk}/edit/", data)
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.name == "Perpustakaan Pusat Kota"
    assert branch.opening_hours == {"0": [["08:00", "16:00"]], "6": [["09:00", "12:00"]]}
    event = AuditEvent.objects.get(verb="core.branch.update")
    assert event.after["name"] == "Perpustakaan Pusat Kota"


def test_librarian_adds_a_shelving_location(client, librarian, branch):
    client.force_login(librarian)
    response = client.post(
        f"/staff/core/branches/{branch.pk}/locations/new/", {"code": "ref", "name": "Referensi", "is_public": "on"}
    )
    assert response.status_code == 302
    location = Location.objects.get(branch=branch, code="REF")
    assert location.name == "Referensi"
    assert AuditEvent.objects.filter(verb="core.location.create", object_id=str(location.pk), actor=librarian).exists()
    assert "Referensi" in client.get(f"/staff/core/branches/{branch.pk}/").content.decode()


def test_a_location_code_used_in_the_branch_is_refused(client, librarian, branch, location):
    client.force_login(librarian)
    response = client.post(f"/staff/core/branches/{branch.pk}/locations/new/", {"code": "stacks", "name": "Lagi"})
    assert response.status_code == 200
    assert "already has a location" in response.context["form"].errors["code"][0]
    assert Location.objects.filter(branch=branch).count() == 1


def test_senior_technician_cannot_add_a_location(client, senior_technician, branch):
    client.force_login(senior_technician)
    response = client.post(f"/staff/core/branches/{branch.pk}/locations/new/", {"code": "X", "name": "X"})
    assert response.status_code == 403
    assert not Location.objects.exists()


def test_the_branch_list_shows_counts_without_a_query_per_branch(
    client, technician, branch, location, django_assert_max_num_queries
):
    for i in range(30):
        Branch.objects.create(code=f"B{i}", name=f"Cabang {i}")
    client.force_login(technician)
    with django_assert_max_num_queries(8):
        response = client.get("/staff/core/branches/")
    html = response.content.decode()
    assert "Cabang 29" in html and "Perpustakaan Pusat" in html


def test_the_library_settings_change_the_call_number_rule(client, it_manager):
    client.force_login(it_manager)
    response = client.post(
        "/staff/core/settings/",
        {"name": "Perpustakaan Kota", "call_number_rule": "cutter", "default_classification_scheme": "ddc"},
    )
    assert response.status_code == 302
    library = Library.current()
    assert (library.name, library.call_number_rule) == ("Perpustakaan Kota", "cutter")
    assert AuditEvent.objects.get(verb="core.library.update").after["call_number_rule"] == "cutter"


def test_librarian_cannot_change_the_library_settings(client, librarian):
    client.force_login(librarian)
    response = client.post("/staff/core/settings/", {"name": "X", "call_number_rule": "cutter"})
    assert response.status_code == 403
    assert Library.current().call_number_rule == "indonesian"


# History ------------------------------------------------------------------------------------------


def test_the_history_of_a_record_shows_each_change_as_a_readable_table(client, librarian):
    record = create_record(actor=librarian, title="Sejarah Bandung", material_type="book")
    update_record(record=record, actor=librarian, title="Sejarah Kota Bandung", material_type="magazine")
    client.force_login(librarian)
    response = client.get(f"/staff/core/history/catalog/record/{record.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Record catalogued" in html and "Record edited" in html
    assert (
        '<th scope="row">Title</th><td class="before">Sejarah Bandung</td><td class="after">Sejarah Kota Bandung</td>'
        in html
    )
    assert '<td class="before">Book</td><td class="after">Magazine</td>' in html  # choices by their label
    assert librarian.username in html
    assert f"/staff/catalog/{record.pk}/" in html


def test_the_history_of_a_deleted_record_is_still_shown(client, librarian):
    record = create_record(actor=librarian, title="Buku yang dihapus")
    pk = record.pk
    delete_record(record=record, actor=librarian)
    client.force_login(librarian)
    response = client.get(f"/staff/core/history/catalog/record/{pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buku yang dihapus" in html and "Record deleted" in html


def test_the_history_of_an_item_lists_its_moves(client, librarian, item):
    from pustaka.holdings.actions import move_item

    move_item(item=item, to="on_loan", actor=librarian, workflow="desk")
    client.force_login(librarian)
    html = client.get(f"/staff/core/history/holdings/item/{item.pk}/").content.decode()
    assert "Lent" in html
    assert '<td class="before">Available</td><td class="after">On loan</td>' in html


def test_a_change_naming_related_rows_shows_in_the_history(client, librarian, item):
    """An event may list related rows by the reverse relation's name (a profile's ``steps``, a
    resource's ``seats``): the page shows them under that name instead of failing."""
    from pustaka.core.audit import audit

    audit(librarian, "catalog.record.update", item.record, before={"items": []}, after={"items": ["B000001"]})
    client.force_login(librarian)
    response = client.get(f"/staff/core/history/catalog/record/{item.record.pk}/")
    assert response.status_code == 200
    assert "B000001" in response.content.decode()
    assert client.get("/staff/core/history/").status_code == 200


def test_an_unknown_object_has_no_history_page(client, librarian):
    client.force_login(librarian)
    assert client.get("/staff/core/history/catalog/record/999999/").status_code == 404
    assert client.get("/staff/core/history/nothing/here/1/").status_code == 404


def test_technician_cannot_see_the_history(client, technician, record):
    client.force_login(technician)
    assert client.get(f"/staff/core/history/catalog/record/{record.pk}/").status_code == 403


@pytest.fixture
def events(librarian, it_manager):
    records = [create_record(actor=librarian, title=f"Buku {i}") for i in range(20)]
    for record in records[:10]:
        update_record(record=record, actor=it_manager, title=record.title + " (edisi baru)")
    old = AuditEvent.objects.filter(verb="catalog.record.update").order_by("id")[:3]
    AuditEvent.objects.filter(pk__in=[e.pk for e in old]).update(occurred_at=timezone.now() - timedelta(days=10))
    return records


def test_the_audit_list_filters_by_action_user_and_date(client, librarian, events):
    client.force_login(librarian)
    page = client.get("/staff/core/history/", {"verb": "catalog.record.up"}).context["page"]
    assert page.paginator.count == 10
    page = client.get("/staff/core/history/", {"actor": "it_manager-user"}).context["page"]
    assert page.paginator.count == 10
    page = client.get("/staff/core/history/", {"actor": "librarian-user", "verb": "catalog"}).context["page"]
    assert page.paginator.count == 20
    today = timezone.localdate().isoformat()
    page = client.get("/staff/core/history/", {"verb": "catalog.record.update", "date_from": today}).context["page"]
    assert page.paginator.count == 7
    long_ago = (timezone.localdate() - timedelta(days=5)).isoformat()
    page = client.get("/staff/core/history/", {"date_to": long_ago}).context["page"]
    assert page.paginator.count == 3


def test_the_audit_list_does_not_grow_queries_with_events(client, librarian, events, django_assert_max_num_queries):
    client.force_login(librarian)
    with django_assert_max_num_queries(8):
        response = client.get("/staff/core/history/")
    assert response.status_code == 200
    assert len(response.context["events"]) == 30
    assert "Record edited" in response.content.decode()


def test_related_objects_are_named_and_empty_fields_left_out_in_the_history(
    client, librarian, record, branch, item_type
):
    from pustaka.holdings.actions import create_item

    item = create_item(record=record, barcode="B000321", branch=branch, item_type=item_type, actor=librarian)
    client.force_login(librarian)
    html = client.get(f"/staff/core/history/holdings/item/{item.pk}/").content.decode()
    assert '<th scope="row">Branch</th><td class="before"></td><td class="after">Perpustakaan Pusat (MAIN)</td>' in html
    assert '<th scope="row">Staff note</th>' not in html  # empty on creation: not worth a row
    assert '<th scope="row">ID</th>' not in html


def test_an_event_naming_a_related_object_by_code_is_shown_as_written(client, administrator, branch):
    from pustaka.core.actions import create_staff_user

    create_staff_user(
        actor=administrator, username="dewi", password="kata-sandi-panjang-9", roles=["circulation"], home_branch=branch
    )
    client.force_login(administrator)
    response = client.get("/staff/core/history/")
    assert response.status_code == 200
    assert "Home branch:</span> <ins>MAIN</ins>" in response.content.decode()


def test_every_audited_verb_has_words_for_the_history_page():
    """Each verb an action records reads as words on the history pages, never as a code."""
    import re
    from pathlib import Path

    from pustaka.core.registry import labels

    root = Path(__file__).resolve().parents[2]
    verbs = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        verbs |= set(re.findall(r'audit\(\s*[^,]+,\s*"([a-z_]+\.[a-z_]+\.[a-z_]+)"', text))
        verbs |= set(re.findall(r'verb\s*=\s*"([a-z_]+\.[a-z_]+\.[a-z_]+)"', text))
    verbs = {v for v in verbs if not v.endswith("_")}  # "…step_" + "enable": both halves are labelled
    assert len(verbs) > 50
    assert sorted(verbs - set(labels())) == []


def test_a_refused_staff_page_keeps_the_staff_menu(client, technician):
    """A technician refused the staff accounts page can go on from the 403 page: the staff menu is there,
    with the pages the role may open (and not the refused one)."""
    client.force_login(technician)
    response = client.get("/staff/users/")
    page = response.content.decode()
    assert response.status_code == 403
    assert 'aria-label="Staff menu"' in page
    assert 'href="/staff/technical/"' in page
    assert 'href="/staff/users/"' not in page
    assert "Your account may not open this page." in page


def test_a_patron_refused_a_staff_page_sees_the_catalogue_refusal(client, patron_user, patron):
    client.force_login(patron_user)
    response = client.get("/staff/users/")
    page = response.content.decode()
    assert response.status_code == 403
    assert 'aria-label="Staff menu"' not in page
    assert 'href="/staff/technical/"' not in page
    assert "Your account may not open this page." in page
