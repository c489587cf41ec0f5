"""Staff pages of digital resources: upload with the prefilled record form, lists, seats, KBART; who may."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pustaka.catalog.models import Record
from pustaka.digital.actions.collections import create_collection
from pustaka.digital.actions.resources import create_resource
from pustaka.digital.models import DigitalResource, SoftwareSeat, StoredFile

from .conftest import ebook

KBART = Path(__file__).resolve().parent / "data" / "kbart-teknik.txt"


def test_upload_prefills_the_record_form_and_cataloguing_creates_record_and_resource(client, it_manager):
    collection = create_collection(actor=it_manager, code="ebook-id", name="Buku Elektronik Indonesia")
    client.force_login(it_manager)
    response = client.post(
        "/staff/digital/upload/",
        {"file": SimpleUploadedFile("guide.epub", ebook("eng.epub").read_bytes()), "kind": ""},
    )
    assert response.status_code == 302
    file = StoredFile.objects.get(mime_type="application/epub+zip")
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Quick Start Guide"' in html and "John Schember | author" in html and "fmt/483" in html
    form = page.context["record_form"]
    data = {f"record-{k}": v for k, v in form.initial.items() if isinstance(v, str | int)}
    data.update({"record-title": "Quick Start Guide", "record-class_number": "005.3", "record-language": "eng"})
    data.update({"resource-kind": "ebook", "resource-collections": [collection.pk], "resource-is_active": "on"})
    done = client.post(response["Location"], data)
    assert done.status_code == 302, done.context and done.context["record_form"].errors
    resource = DigitalResource.objects.get()
    assert resource.record.class_number == "005.3"
    assert list(resource.collections.all()) == [collection]
    assert set(resource.files.values_list("role", flat=True)) == {"content", "cover"}
    assert resource.files.filter(file=file).exists()


def test_a_damaged_upload_shows_the_reason_on_the_form(client, it_manager):
    client.force_login(it_manager)
    response = client.post(
        "/staff/digital/upload/", {"file": SimpleUploadedFile("x.epub", ebook("invalid.epub").read_bytes())}
    )
    assert response.status_code == 200
    assert "The EPUB is damaged" in response.content.decode()
    assert not StoredFile.objects.exists()


def test_resource_list_filters_and_makes_few_queries(
    client, it_manager, librarian, record, django_assert_max_num_queries
):
    teknik = create_collection(actor=it_manager, code="jurnal-teknik", name="Koleksi Jurnal Teknik")
    for n in range(8):
        create_resource(record=record, kind="ejournal" if n % 2 else "database", actor=it_manager, collections=[teknik])
    client.force_login(librarian)
    with django_assert_max_num_queries(16):
        response = client.get("/staff/digital/resources/")
    assert response.status_code == 200 and len(response.context["resources"]) == 8
    assert len(client.get("/staff/digital/resources/?kind=ejournal").context["resources"]) == 4
    assert len(client.get("/staff/digital/resources/?collection=jurnal-teknik").context["resources"]) == 8


def test_seats_page_adds_keys(client, it_manager, record):
    resource = create_resource(record=record, kind="software", actor=it_manager)
    client.force_login(it_manager)
    response = client.post(f"/staff/digital/resources/{resource.pk}/seats/", {"keys": "K-1\nK-2\nK-3", "count": "0"})
    assert response.status_code == 302
    assert list(SoftwareSeat.objects.values_list("licence_key", flat=True)) == ["K-1", "K-2", "K-3"]


def test_kbart_page_shows_counts_and_rejected_rows(client, it_manager):
    client.force_login(it_manager)
    response = client.post("/staff/digital/kbart/", {"file": SimpleUploadedFile("k.txt", KBART.read_bytes())})
    html = response.content.decode()
    assert "Created 3, updated 0, unchanged 0, rejected 5." in html
    assert "is not a valid ISSN" in html
    assert Record.objects.filter(material_type="ejournal").count() == 3


def test_collection_create_and_edit(client, it_manager):
    client.force_login(it_manager)
    assert (
        client.post("/staff/digital/collections/new/", {"code": "jt", "name": "Jurnal", "is_public": "on"}).status_code
        == 302
    )
    again = client.post("/staff/digital/collections/new/", {"code": "jt", "name": "Lagi"})
    assert "already exists" in again.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/staff/digital/upload/", "/staff/digital/kbart/", "/staff/digital/collections/new/"],
)
def test_librarian_sees_the_list_but_cannot_upload_import_or_create(client, librarian, url):
    client.force_login(librarian)
    assert client.get("/staff/digital/resources/").status_code == 200
    assert client.get(url).status_code == 403


def test_patron_gets_403_and_anonymous_goes_to_login(client, patron_user, it_manager, record):
    resource = create_resource(record=record, kind="software", actor=it_manager)
    for url in ["/staff/digital/resources/", f"/staff/digital/resources/{resource.pk}/", "/staff/digital/upload/"]:
        client.logout()
        assert client.get(url).status_code == 302
        client.force_login(patron_user)
        assert client.get(url).status_code == 403
    response = client.post(f"/staff/digital/resources/{resource.pk}/seats/", {"keys": "X"})
    assert response.status_code == 403 and not SoftwareSeat.objects.exists()


def test_technician_cannot_edit_a_resource_or_add_seats(client, technician, it_manager, record):
    resource = create_resource(record=record, kind="software", actor=it_manager)
    client.force_login(technician)
    assert client.get(f"/staff/digital/resources/{resource.pk}/edit/").status_code == 403
    assert client.post(f"/staff/digital/resources/{resource.pk}/seats/", {"keys": "X"}).status_code == 403
