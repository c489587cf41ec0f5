"""Fixtures of the access tests (licences, resources, stored files with bytes on disk).

Imported with ``from .fixtures_access import *`` by the access, serving, OPDS and usage tests (the
digital app's tests are shared by several modules, so they do not live in one conftest).
"""

import datetime
import hashlib

import pytest
from django.utils import timezone

__all__ = [
    "files_dir",
    "licence",
    "make_file",
    "make_licence",
    "make_resource",
    "open_licence",
    "reader",
    "resource",
    "student_category",
]


@pytest.fixture
def files_dir(settings, tmp_path):
    """The content-addressed store in a temporary folder."""
    settings.PUSTAKA_FILES_DIR = tmp_path / "files"
    settings.PUSTAKA_FILES_DIR.mkdir()
    return settings.PUSTAKA_FILES_DIR


@pytest.fixture
def make_licence(db):
    from pustaka.digital.models import Licence

    def make(name="Lisensi Penerbit", categories=(), **fields):
        licence = Licence.objects.create(name=name, **fields)
        licence.patron_categories.set(categories)
        return licence

    return make


@pytest.fixture
def open_licence(make_licence):
    return make_licence("Domain publik", is_open_access=True)


@pytest.fixture
def licence(make_licence):
    """A restricted licence for every patron, anywhere, without limits."""
    return make_licence(
        "Lisensi Gramedia Digital",
        vendor="Gramedia",
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() + datetime.timedelta(days=300),
    )


@pytest.fixture
def make_resource(db, record):
    from pustaka.digital.models import DigitalResource

    def make(licence=None, kind="ebook", **fields):
        fields.setdefault("record", record)
        return DigitalResource.objects.create(kind=kind, licence=licence, **fields)

    return make


@pytest.fixture
def resource(make_resource, licence):
    return make_resource(licence)


@pytest.fixture
def make_file(files_dir):
    """``make_file(resource, b"bytes", "application/pdf", "buku.pdf")`` stores the bytes and attaches them."""
    from pustaka.digital.models import ResourceFile, StoredFile

    def make(resource, content=b"%PDF-1.4 test", mime_type="application/pdf", name="buku.pdf", role="content"):
        sha = hashlib.sha256(content).hexdigest()
        stored, _created = StoredFile.objects.get_or_create(
            sha256=sha, defaults={"size": len(content), "mime_type": mime_type, "original_name": name}
        )
        path = files_dir / stored.relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return ResourceFile.objects.create(resource=resource, file=stored, role=role)

    return make


@pytest.fixture
def student_category(db):
    from pustaka.patrons.models import PatronCategory

    return PatronCategory.objects.create(code="STUDENT", name="Mahasiswa")


@pytest.fixture
def reader(make_patron):
    """``reader("P0101")`` a patron with an OPAC login (username = card number, password ``secret-pass-1``)."""
    from pustaka.core.models import User

    def make(card="P0101", **fields):
        user = User.objects.create_user(username=card, password="secret-pass-1")
        make_patron(card, user=user, **fields)
        return user

    return make
