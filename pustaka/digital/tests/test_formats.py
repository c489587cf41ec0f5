"""Format identification by signature (never by name), with FIDO and with our own table; store paths."""

import gzip
import io
import tarfile

import pytest

from pustaka.digital import formats, storage

from .conftest import ebook, make_zip

SAMPLES = {
    "png": (b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png", "fmt/13"),
    "gif": (b"GIF89a" + bytes(64), "image/gif", "fmt/4"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x02" + bytes(64), "image/jpeg", "fmt/44"),
    "mp3": (b"ID3\x03\x00" + bytes(64), "audio/mpeg", "fmt/134"),
    "wav": (b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64), "audio/x-wav", "fmt/6"),
    "ogg": (b"OggS\x00\x02" + bytes(20) + b"\x01vorbis" + bytes(40), "audio/ogg", "fmt/203"),
    "mp4": (b"\x00\x00\x00\x18ftypisom" + bytes(64), "video/mp4", "fmt/199"),
    "exe": (b"MZ\x90\x00" + bytes(200), "application/vnd.microsoft.portable-executable", "x-fmt/411"),
    "text": ("Perpustakaan Nasional — teks biasa.\n".encode() * 5, "text/plain", "x-fmt/111"),
    "html": (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/html", "fmt/96"),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_table_knows_the_formats_that_matter(name, tmp_path):
    data, mime, puid = SAMPLES[name]
    path = tmp_path / "no-extension"
    path.write_bytes(data)
    found = formats.identify_with_table(path)
    assert (found.mime_type, found.pronom_id) == (mime, puid)


def test_containers_epub_docx_zip_tar_gzip_and_deb(tmp_path):
    epub = make_zip(tmp_path / "a", {"mimetype": "application/epub+zip", "content.opf": "<package/>"})
    docx = make_zip(tmp_path / "b", {"[Content_Types].xml": "<x/>", "word/document.xml": "<w/>"})
    plain = make_zip(tmp_path / "c", {"data.csv": "a,b\n1,2\n"})
    assert formats.identify_with_table(epub).pronom_id == "fmt/483"
    assert formats.identify_with_table(docx).pronom_id == "fmt/412"
    assert formats.identify_with_table(plain).pronom_id == "x-fmt/263"
    tar_path = tmp_path / "d"
    with tarfile.open(tar_path, "w") as tar:
        info = tarfile.TarInfo("x.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    assert formats.identify_with_table(tar_path).pronom_id == "x-fmt/265"
    gz = tmp_path / "e"
    gz.write_bytes(gzip.compress(b"hello"))
    assert formats.identify_with_table(gz).pronom_id == "x-fmt/266"
    from pustaka.demo.digital import build_deb

    deb = tmp_path / "f"
    deb.write_bytes(build_deb())
    found = formats.identify(deb)
    assert found.mime_type == "application/vnd.debian.binary-package" and found.category == formats.EXECUTABLE


@pytest.mark.parametrize("use_fido", [True, False])
def test_a_pdf_renamed_epub_is_a_pdf_and_an_epub_renamed_pdf_is_an_epub(use_fido, tmp_path, monkeypatch):
    if not use_fido:
        monkeypatch.setitem(formats._fido_state, "fido", None)
    pdf = tmp_path / "book.epub"
    pdf.write_bytes(ebook("metadata.pdf").read_bytes())
    epub = tmp_path / "book.pdf"
    epub.write_bytes(ebook("childrens-literature.epub").read_bytes())
    assert formats.identify(pdf).pronom_id == "fmt/19"
    assert formats.identify(epub).pronom_id == "fmt/483"
    assert formats.identify(pdf).method == ("fido" if use_fido else "table")


def test_only_software_may_hold_programs_scripts_and_unknown_types(tmp_path):
    for name in ("exe", "html"):
        path = tmp_path / name
        path.write_bytes(SAMPLES[name][0])
        fmt = formats.identify(path)
        assert not formats.allowed_for(fmt, "ebook")
        assert formats.allowed_for(fmt, "software")
    assert not formats.allowed_for(formats.UNKNOWN, "dataset")
    assert formats.allowed_for(formats.UNKNOWN, "software")


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "/etc/passwd", "ab/cd/" + "0" * 64, "ab/ab/ab" + "0" * 62 + "/..", ""]
)
def test_store_paths_are_only_hash_paths(bad):
    with pytest.raises(ValueError):
        storage.check_relative_path(bad)


def test_store_path_of_a_hash_and_clean_names():
    sha = "ab" + "cd" + "0" * 60
    assert storage.relative_path_for(sha) == f"ab/cd/{sha}"
    assert storage.clean_name("..\\..\\windows\\evil.exe") == "evil.exe"
    assert storage.clean_name("a\x00b\x1fc.pdf") == "abc.pdf"
    assert storage.clean_name("..") == ""
