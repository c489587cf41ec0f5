"""Digital files on a store every node shares: S3 through django-storages (``STORAGES["files"]``), tested
against a local S3-compatible server, moto's ``moto_server`` (installed from PyPI with the dev extra)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pustaka.digital.models import AccessEvent, StoredFile
from pustaka.digital.storage import StorageFileStore, get_store

from .conftest import ebook
from .fixtures_access import *  # noqa: F403

BIN = Path(sys.executable).parent
KEYS = {"AWS_ACCESS_KEY_ID": "pustaka-test", "AWS_SECRET_ACCESS_KEY": "pustaka-test-secret"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """A local S3-compatible server for this module (moto_server on a free port)."""
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("moto_server did not start")
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    """A fresh bucket, and ``STORAGES["files"]`` pointing at it as ``PUSTAKA_S3_BUCKET`` would."""
    import boto3

    for key, value in KEYS.items():
        monkeypatch.setenv(key, value)
    name = f"pustaka-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "files": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "location": "files",
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "file_overwrite": True,
                "default_acl": None,
            },
        },
    }
    client.bucket = name
    return client


def objects(bucket) -> dict:
    listed = bucket.list_objects_v2(Bucket=bucket.bucket).get("Contents", [])
    return {entry["Key"]: entry["Size"] for entry in listed}


def test_an_upload_is_stored_in_the_bucket_under_its_hash_and_not_on_this_node(client, it_manager, bucket, files_dir):
    assert isinstance(get_store(), StorageFileStore)
    client.force_login(it_manager)
    data = ebook("Seige_of_Vicksburg_Sample_OCR.pdf").read_bytes()
    response = client.post("/api/v1/files", {"file": SimpleUploadedFile("vicksburg.pdf", data)})
    assert response.status_code == 201, response.content
    stored = StoredFile.objects.get(sha256=response.json()["file"]["sha256"])
    assert objects(bucket) == {f"files/{stored.relative_path}": len(data)}
    assert not (files_dir / stored.relative_path).exists()  # only the shared store has it
    assert list((files_dir / ".incoming").iterdir()) == []  # the spooled copy is gone

    again = client.post("/api/v1/files", {"file": SimpleUploadedFile("again.pdf", data)})
    assert again.json()["outcome"] == "duplicate"
    assert len(objects(bucket)) == 1  # the same bytes are one object


def test_a_licence_checked_download_is_read_from_the_bucket(
    client, it_manager, bucket, resource, patron_user, patron, tmp_path
):
    from pustaka.digital.actions.ingest import ingest_file

    source = tmp_path / "laporan.pdf"
    source.write_bytes(ebook("Seige_of_Vicksburg_Sample_OCR.pdf").read_bytes())
    data = source.read_bytes()
    result = ingest_file(source=source, original_name="laporan.pdf", actor=it_manager, resource=resource)
    link = resource.files.get(file=result.file)
    assert f"files/{result.file.relative_path}" in objects(bucket)
    url = reverse("digital_public:download_file", args=[resource.pk, link.pk])

    refused = client.get(url)  # restricted by licence: anonymous readers are refused
    assert refused.status_code == 403 and b"%PDF" not in refused.content
    client.force_login(patron_user)
    granted = client.get(url)
    assert granted.status_code == 200
    assert b"".join(granted.streaming_content) == data
    assert granted["Content-Length"] == str(len(data))
    part = client.get(url, HTTP_RANGE="bytes=0-9")
    assert part.status_code == 206 and b"".join(part.streaming_content) == data[:10]
    assert list(AccessEvent.objects.order_by("id").values_list("granted", flat=True)) == [False, True, True]


def test_the_environment_selects_the_s3_store(s3_server, bucket, tmp_path):
    """A node started with PUSTAKA_S3_BUCKET and PUSTAKA_S3_ENDPOINT_URL writes its files to the bucket."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTEST_") and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= KEYS | {
        "PUSTAKA_HOME": str(tmp_path / "node"),
        "PUSTAKA_S3_BUCKET": bucket.bucket,
        "PUSTAKA_S3_ENDPOINT_URL": s3_server,
        "PUSTAKA_S3_REGION": "us-east-1",
    }
    code = (
        "from pustaka.digital import storage; s = storage.get_store();"
        " p = s.put(storage.spool(__import__('io').BytesIO(b'isi berkas bersama')));"
        " print(type(s).__name__, p, s.size(p), s.open(p).read().decode())"
    )
    shell = [str(BIN / "pustaka"), "manage", "shell", "-c", code]
    printed = subprocess.run(shell, env=env, capture_output=True, text=True, check=True).stdout
    out = printed.splitlines()[-1].split()  # the last line: what the code printed
    assert out[0] == "StorageFileStore" and out[2] == "18" and " ".join(out[3:]) == "isi berkas bersama"
    assert objects(bucket) == {f"files/{out[1]}": 18}
