"""API /api/v1/digital-resources and /api/v1/files: who may, uploads, filters, query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pustaka.digital.actions.collections import create_collection
from pustaka.digital.actions.ingest import ingest_file
from pustaka.digital.actions.resources import create_resource
from pustaka.digital.models import DigitalResource, StoredFile

from .conftest import ebook


def _upload(client, name, data, **fields):
    return client.post("/api/v1/files", {"file": SimpleUploadedFile(name, data), **fields})


def test_it_manager_uploads_a_file_and_gets_format_size_hash_and_pages(client, it_manager):
    client.force_login(it_manager)
    data = ebook("Seige_of_Vicksburg_Sample_OCR.pdf").read_bytes()
    response = _upload(client, "vicksburg.pdf", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "created"
    assert body["file"]["pronom_id"] == "fmt/19" and body["file"]["page_count"] == 6
    assert body["file"]["size"] == len(data)
    again = _upload(client, "again.pdf", data)
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    detail = client.get(f"/api/v1/files/{body['file']['id']}")
    assert detail.json()["sha256"] == body["file"]["sha256"]


def test_a_damaged_upload_is_a_400_with_the_reason(client, it_manager):
    client.force_login(it_manager)
    response = _upload(client, "invalid.epub", ebook("invalid.epub").read_bytes())
    assert response.status_code == 400
    assert response.json()["code"] == "epub_damaged"
    assert not StoredFile.objects.exists()


def test_an_upload_over_the_limit_is_refused(client, it_manager, settings):
    settings.PUSTAKA_MAX_FILE_MB = 0
    client.force_login(it_manager)
    response = _upload(client, "box.pdf", ebook("box.pdf").read_bytes())
    assert response.status_code == 400 and response.json()["code"] == "file_too_large"


def test_create_and_update_a_resource_through_the_api(client, it_manager, record):
    create_collection(actor=it_manager, code="jurnal-teknik", name="Koleksi Jurnal Teknik")
    client.force_login(it_manager)
    response = client.post(
        "/api/v1/digital-resources",
        {
            "record": record.pk,
            "kind": "ejournal",
            "remote_url": "https://journals.example.org/a",
            "coverage_start": "2001-01-01",
            "collections": ["jurnal-teknik"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["collections"] == [{"code": "jurnal-teknik", "name": "Koleksi Jurnal Teknik"}]
    assert body["record"]["classification_scheme"] == "ddc"
    patch = client.patch(
        f"/api/v1/digital-resources/{body['id']}", {"coverage_end": "1999-01-01"}, content_type="application/json"
    )
    assert patch.status_code == 400 and patch.json()["field"] == "coverage_end"
    patch = client.patch(
        f"/api/v1/digital-resources/{body['id']}",
        {"label": "Arsip", "collections": []},
        content_type="application/json",
    )
    assert patch.status_code == 200 and patch.json()["label"] == "Arsip" and patch.json()["collections"] == []
    unknown = client.post(
        "/api/v1/digital-resources",
        {"record": record.pk, "kind": "ebook", "collections": ["nope"]},
        content_type="application/json",
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "collection_not_found"


def test_resource_list_filters_by_kind_and_collection_without_n_plus_one(
    client, it_manager, librarian, record, django_assert_max_num_queries
):
    teknik = create_collection(actor=it_manager, code="jurnal-teknik", name="Koleksi Jurnal Teknik")
    for n in range(6):
        create_resource(record=record, kind="ejournal" if n % 2 else "ebook", actor=it_manager, collections=[teknik])
    ingest_file(source=ebook("eng.epub"), original_name="eng.epub", actor=it_manager)
    client.force_login(librarian)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/digital-resources?page_size=100")
    assert response.json()["count"] == 7
    assert client.get("/api/v1/digital-resources?kind=ejournal").json()["count"] == 3
    assert client.get("/api/v1/digital-resources?collection=jurnal-teknik").json()["count"] == 6
    with django_assert_max_num_queries(10):
        files = client.get("/api/v1/files")
    assert files.status_code == 200 and files.json()["count"] == 2  # the EPUB and its cover


def test_librarian_can_view_but_not_upload_or_create(client, librarian, record):
    client.force_login(librarian)
    assert client.get("/api/v1/digital-resources").status_code == 200
    assert _upload(client, "box.pdf", ebook("box.pdf").read_bytes()).status_code == 403
    response = client.post(
        "/api/v1/digital-resources", {"record": record.pk, "kind": "ebook"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not DigitalResource.objects.exists()


@pytest.mark.parametrize("role", ["technician", "senior_technician", "circulation"])
def test_other_staff_cannot_see_stored_files_or_change_resources(client, make_staff, role, record):
    client.force_login(make_staff(role))
    assert client.get("/api/v1/files").status_code == 403
    response = client.post(
        "/api/v1/digital-resources", {"record": record.pk, "kind": "ebook"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_patron_gets_403_and_anonymous_401(client, patron_user):
    assert client.get("/api/v1/files").status_code == 401
    client.force_login(patron_user)
    assert client.get("/api/v1/digital-resources").status_code == 403
    assert _upload(client, "box.pdf", ebook("box.pdf").read_bytes()).status_code == 403
    assert not StoredFile.objects.exists()
