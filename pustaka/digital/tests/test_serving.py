"""Files are served only through the checked views: Range, headers, refusals, bypass attempts, readers."""

import hashlib

import pytest
from django.urls import reverse

from pustaka.digital.choices import RefusalReason
from pustaka.digital.models import AccessEvent

from .epub_sample import PNG, build_epub
from .fixtures_access import *  # noqa: F403

CONTENT = bytes(range(256)) * 4  # 1,024 bytes


@pytest.fixture
def open_pdf(make_resource, open_licence, make_file):
    resource = make_resource(open_licence)
    return make_file(resource, CONTENT, "application/pdf", "Sejarah Indonésia – jilid 1.pdf")


@pytest.fixture
def restricted_pdf(resource, make_file):
    return make_file(resource, b"%PDF-1.7 restricted", "application/pdf", "rahasia.pdf")


def url(name, link, *extra):
    return reverse(f"digital_public:{name}", args=[link.resource_id, link.pk, *extra])


def test_anyone_reads_an_open_access_pdf_inline(client, open_pdf):
    response = client.get(url("read_file", open_pdf))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == "1024"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # the reader page frames it
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AccessEvent.objects.get()
    assert event.granted and event.action == "view" and event.file == open_pdf.file and event.user is None


def test_download_is_an_attachment_with_an_rfc_6266_name(client, open_pdf):
    response = client.get(url("download_file", open_pdf))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Sejarah%20Indon%C3%A9sia%20%E2%80%93%20jilid%201.pdf" in disposition
    assert AccessEvent.objects.get().action == "download"


def test_a_type_that_could_run_script_is_never_shown_inline(client, make_resource, open_licence, make_file):
    page = make_file(make_resource(open_licence), b"<script>alert(1)</script>", "text/html", "page.html")
    response = client.get(url("read_file", page))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("header", "status", "content_range", "body"),
    [
        ("bytes=0-99", 206, "bytes 0-99/1024", CONTENT[:100]),
        ("bytes=-10", 206, "bytes 1014-1023/1024", CONTENT[-10:]),
        ("bytes=1000-", 206, "bytes 1000-1023/1024", CONTENT[1000:]),
        ("bytes=1000-5000", 206, "bytes 1000-1023/1024", CONTENT[1000:]),
        ("bytes=-5000", 206, "bytes 0-1023/1024", CONTENT),
        ("bytes=0-0,5-9", 200, None, CONTENT),  # several ranges: the whole file
        ("bytes=9-2", 200, None, CONTENT),  # invalid: ignored
        ("items=0-9", 200, None, CONTENT),
    ],
)
def test_range_requests(client, open_pdf, header, status, content_range, body):
    response = client.get(url("read_file", open_pdf), HTTP_RANGE=header)
    assert response.status_code == status
    assert response.get("Content-Range") == content_range
    assert b"".join(response.streaming_content) == body
    assert response["Content-Length"] == str(len(body))


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=5000-6000", "bytes=-0"])
def test_unsatisfiable_ranges_get_416(client, open_pdf, header):
    response = client.get(url("read_file", open_pdf), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


def test_later_ranges_are_checked_but_logged_once(client, open_pdf):
    client.get(url("read_file", open_pdf), HTTP_RANGE="bytes=0-99")
    client.get(url("read_file", open_pdf), HTTP_RANGE="bytes=100-199")
    client.get(url("read_file", open_pdf), HTTP_RANGE="bytes=200-")
    assert AccessEvent.objects.count() == 1


def test_restricted_file_refused_to_anonymous_with_reason_login_and_help(client, restricted_pdf):
    response = client.get(url("read_file", restricted_pdf))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Login required" in text
    assert "/account/login/?next=" in text
    assert f"/help/ask/?record={restricted_pdf.resource.record_id}" in text
    assert b"%PDF" not in response.content
    event = AccessEvent.objects.get()
    assert not event.granted and event.reason == RefusalReason.LOGIN_REQUIRED


def test_restricted_file_for_a_logged_in_patron(client, restricted_pdf, patron_user, patron):
    client.force_login(patron_user)
    response = client.get(url("download_file", restricted_pdf))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 restricted"
    event = AccessEvent.objects.get()
    assert event.patron == patron and event.session_key


def test_download_refused_when_the_licence_is_read_online_only(client, make_resource, make_licence, make_file):
    link = make_file(make_resource(make_licence("Online", is_open_access=True, download_allowed=False)))
    assert client.get(url("read_file", link)).status_code == 403  # a PDF inline could be saved: pages only
    response = client.get(url("download_file", link))
    assert response.status_code == 403
    assert "Download not allowed" in response.content.decode()


def test_sendfile_hands_the_bytes_to_the_front_server(client, open_pdf, settings):
    settings.PUSTAKA_SENDFILE = "nginx"
    settings.PUSTAKA_SENDFILE_PREFIX = "/protected-files/"
    response = client.get(url("download_file", open_pdf))
    assert response["X-Accel-Redirect"] == f"/protected-files/{open_pdf.file.relative_path}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")
    settings.PUSTAKA_SENDFILE = "apache"
    response = client.get(url("read_file", open_pdf))
    assert response["X-Sendfile"].endswith(open_pdf.file.relative_path)


def test_sendfile_is_never_used_for_a_refusal(client, restricted_pdf, settings):
    settings.PUSTAKA_SENDFILE = "nginx"
    response = client.get(url("download_file", restricted_pdf))
    assert response.status_code == 403 and "X-Accel-Redirect" not in response


# Bypass attempts ------------------------------------------------------------------------------------


def test_direct_paths_to_the_store_are_not_found(client, restricted_pdf):
    sha = restricted_pdf.file.sha256
    for path in (
        f"/media/{restricted_pdf.file.relative_path}",
        f"/files/{restricted_pdf.file.relative_path}",
        f"/digital/files/{sha}",
        f"/digital/{sha}/",
        f"/protected-files/{restricted_pdf.file.relative_path}",
        f"/static/../files/{restricted_pdf.file.relative_path}",
    ):
        assert client.get(path).status_code == 404, path


def test_dot_dot_in_any_parameter_is_not_found(client, restricted_pdf):
    rid, fid = restricted_pdf.resource_id, restricted_pdf.pk
    for path in (
        f"/digital/{rid}/files/..%2F..%2Fsettings.py/",
        f"/digital/{rid}/files/../{fid}/",
        f"/digital/..%2F{rid}/files/{fid}/",
        f"/digital/{rid}/read/{fid}/chapter/..%2F1/",
        f"/digital/{rid}/read/{fid}/image/../../etc/passwd",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"%PDF" not in response.content
    response = client.get(f"/digital/{rid}/files/{fid}/?path=../../../../etc/passwd")
    assert response.status_code == 403  # the parameter is ignored; the licence still refuses


def test_another_resources_file_id_is_not_found(client, make_resource, open_licence, open_pdf, restricted_pdf):
    # the restricted file asked for through the open resource's id
    response = client.get(f"/digital/{open_pdf.resource_id}/files/{restricted_pdf.pk}/download/")
    assert response.status_code == 404
    assert not AccessEvent.objects.exists()


def test_inactive_resources_and_suppressed_records_are_not_found(client, open_pdf):
    open_pdf.resource.record.is_suppressed = True
    open_pdf.resource.record.save()
    assert client.get(url("read_file", open_pdf)).status_code == 404
    open_pdf.resource.record.is_suppressed = False
    open_pdf.resource.record.save()
    open_pdf.resource.is_active = False
    open_pdf.resource.save()
    assert client.get(url("read_file", open_pdf)).status_code == 404


def test_a_missing_file_in_the_store_is_not_found_not_a_crash(client, open_pdf, files_dir):
    (files_dir / open_pdf.file.relative_path).unlink()
    assert client.get(url("read_file", open_pdf)).status_code == 404


# Links and covers -----------------------------------------------------------------------------------


def test_follow_link_redirects_only_when_granted(client, make_resource, licence, open_licence, patron_user, patron):
    open_journal = make_resource(open_licence, kind="ejournal", remote_url="https://jurnal.example/oa")
    closed = make_resource(licence, kind="database", remote_url="https://db.example/")
    response = client.get(reverse("digital_public:follow_link", args=[open_journal.pk]))
    assert response.status_code == 302 and response["Location"] == "https://jurnal.example/oa"
    assert client.get(reverse("digital_public:follow_link", args=[closed.pk])).status_code == 403
    client.force_login(patron_user)
    assert client.get(reverse("digital_public:follow_link", args=[closed.pk])).status_code == 302
    assert list(AccessEvent.objects.order_by("id").values_list("action", "granted")) == [
        ("link", True),
        ("link", False),
        ("link", True),
    ]


def test_covers_are_public_but_only_covers(client, resource, make_file):
    cover = make_file(resource, PNG, "image/png", "cover.png", role="cover")
    content = make_file(resource, b"%PDF-1.4 isi", "application/pdf", "isi.pdf")
    response = client.get(url("cover", cover))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client.get(url("cover", content)).status_code == 404
    assert not AccessEvent.objects.exists()


# Reader pages ---------------------------------------------------------------------------------------


@pytest.fixture
def open_epub(make_resource, open_licence, make_file):
    return make_file(make_resource(open_licence), build_epub(), "application/epub+zip", "hikayat.epub")


def test_pdf_reader_page_frames_the_checked_file(client, open_pdf):
    response = client.get(url("read", open_pdf))
    assert response.status_code == 200
    text = response.content.decode()
    assert f'data="{url("read_file", open_pdf)}"' in text
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not AccessEvent.objects.exists()  # the framed file logs the reading


def test_pdf_reader_page_refuses_with_the_reason(client, restricted_pdf):
    response = client.get(url("read", restricted_pdf))
    assert response.status_code == 403
    assert AccessEvent.objects.get().reason == "login_required"


def test_epub_chapters_are_sanitised_html(client, open_epub):
    response = client.get(url("read", open_epub))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bab Satu: Permulaan" in text and "Pada zaman dahulu <em>kala</em> ada seorang raja." in text
    chapter = text[text.index('class="epub-chapter"') : text.index('class="chapter-nav"')]
    for bad in ("alert(", "<script", "onclick", "onload", "onerror", "javascript:", "<iframe", "<form",
                "style=", "evil.example", "tracker.example", "steal()"):  # fmt: skip
        assert bad not in chapter, bad
    assert "isi tetap ada" in chapter
    assert url("epub_chapter", open_epub, 1) + "#lanjut" in chapter
    assert url("epub_image", open_epub, 0) in chapter
    assert 'href="https://example.org/" rel="noopener noreferrer nofollow"' in chapter
    assert "Hikayat Contoh" in text
    second = client.get(url("epub_chapter", open_epub, 1)).content.decode()
    assert "Bab Dua: Akhir" in second and 'rel="prev"' in second
    image = client.get(url("epub_image", open_epub, 0))
    assert image.status_code == 200 and image.content == PNG and image["Content-Type"] == "image/png"
    assert client.get(url("epub_chapter", open_epub, 2)).status_code == 404
    assert client.get(url("epub_image", open_epub, 5)).status_code == 404
    assert AccessEvent.objects.filter(action="view", granted=True).count() == 2  # two chapters; the image is not


def test_epub_reader_is_refused_like_the_file(client, resource, make_file):
    link = make_file(resource, build_epub(), "application/epub+zip", "h.epub")
    assert client.get(url("epub_chapter", link, 0)).status_code == 403
    assert client.get(url("epub_image", link, 0)).status_code == 403


def test_a_broken_epub_is_not_found_not_a_crash(client, make_resource, open_licence, make_file):
    link = make_file(make_resource(open_licence), b"PK not really a zip", "application/epub+zip", "rusak.epub")
    assert client.get(url("read", link)).status_code == 404


# My seats -------------------------------------------------------------------------------------------


def test_patrons_see_only_their_own_seats(client, make_resource, make_licence, reader):
    from django.utils import timezone

    from pustaka.digital.models import SoftwareSeat

    software = make_resource(make_licence("SPSS", seats=2), kind="software")
    mine, theirs = reader("P1"), reader("P2")
    now = timezone.now()
    SoftwareSeat.objects.create(resource=software, licence_key="MINE-1111", patron=mine.patron, lent_at=now)
    SoftwareSeat.objects.create(resource=software, licence_key="THEIRS-2222", patron=theirs.patron, lent_at=now)
    assert client.get("/digital/seats/").status_code == 302
    client.force_login(mine)
    text = client.get("/digital/seats/").content.decode()
    assert "MINE-1111" in text and "THEIRS-2222" not in text


def test_the_content_hash_is_the_store_name(open_pdf):
    assert open_pdf.file.sha256 == hashlib.sha256(CONTENT).hexdigest()


# Audit fixes ----------------------------------------------------------------------------------------


def test_read_online_only_does_not_hand_over_a_whole_epub(client, make_resource, make_licence, make_file, reader):
    """A type a browser cannot show inline would arrive as an attachment: "read online" of it is checked
    as the download it is, so a read-online-only licence refuses both URLs."""
    online_only = make_licence("Baca daring saja", download_allowed=False)
    book = build_epub()
    epub = make_file(make_resource(online_only), book, "application/epub+zip", "baca-saja.epub")
    client.force_login(reader("P0101"))
    download = client.get(url("download_file", epub))
    assert download.status_code == 403
    read = client.get(url("read_file", epub))
    assert read.status_code == 403
    assert read["Content-Type"].startswith("text/html")  # the refusal page, not the book
    assert "Content-Disposition" not in read
    assert "Download not allowed" in read.content.decode()
    assert not read.content.startswith(b"PK\x03\x04")
    assert book[:64] not in read.content and book[-64:] not in read.content
    assert AccessEvent.objects.filter(action="download", granted=False, reason="no_download").count() == 2
    assert client.get(url("read", epub)).status_code == 200  # the EPUB reader still shows it chapter by chapter


def test_read_online_of_a_non_inline_type_is_a_logged_download_when_allowed(client, open_epub):
    response = client.get(url("read_file", open_epub))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert AccessEvent.objects.get().action == "download"


def test_read_online_only_never_sends_the_pdf_itself(client, make_resource, make_licence, make_file, reader):
    pdf = make_file(make_resource(make_licence("Baca daring saja", download_allowed=False)))
    client.force_login(reader("P0101"))
    for name in ("read_file", "download_file"):
        response = client.get(url(name, pdf))
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html") and b"%PDF" not in response.content
    assert set(AccessEvent.objects.values_list("action", "reason")) == {("download", "no_download")}


def _epub_with(opf=None, members=None, compression=None) -> bytes:
    import io
    import zipfile

    from .epub_sample import CHAPTER_1, CHAPTER_2, CONTAINER, OPF

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression or zipfile.ZIP_STORED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OEBPS/content.opf", opf or OPF)
        parts = {"OEBPS/text/bab1.xhtml": CHAPTER_1, "OEBPS/text/bab 2.xhtml": CHAPTER_2,
                 "OEBPS/images/gambar.png": PNG, **(members or {})}  # fmt: skip
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_epub_image_is_never_served_as_html(client, make_resource, open_licence, make_file):
    """The same file listed twice in the manifest, first as HTML: only the image entry counts."""
    from .epub_sample import OPF

    hostile = "<html><script>alert(document.cookie)</script></html>"
    opf = OPF.replace(
        '<item id="img" href="images/gambar.png"',
        '<item id="evil" href="images/gambar.png" media-type="text/html"/>\n'
        '    <item id="img" href="images/gambar.png"',
    )
    link = make_file(
        make_resource(open_licence), _epub_with(opf, {"OEBPS/images/gambar.png": hostile}), "application/epub+zip"
    )
    response = client.get(url("epub_image", link, 0))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_epub_chapter_pages_forbid_scripts(client, open_epub):
    response = client.get(url("epub_chapter", open_epub, 0))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"


def _corrupt(data: bytes, member: str) -> bytes:
    """``data`` with the compressed bytes of ``member`` scrambled (the ZIP directory stays readable)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    header = info.header_offset
    name_length = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(data[header + 28 : header + 30], "little")
    start = header + 30 + name_length + extra_length
    damaged = bytearray(data)
    for n in range(start, start + info.compress_size):
        damaged[n] ^= 0x5A
    return bytes(damaged)


@pytest.mark.parametrize(
    ("member", "content"),
    [
        ("OEBPS/text/bab1.xhtml", None),  # a broken deflate stream (zlib.error) or a bad CRC (BadZipFile)
        ("OEBPS/text/bab1.xhtml", b""),  # a chapter lxml cannot parse at all ("Document is empty")
    ],
)
def test_an_epub_with_damaged_bytes_shows_the_readers_friendly_error(
    client, make_resource, open_licence, make_file, member, content
):
    import zipfile

    if content is None:
        data = _corrupt(_epub_with(compression=zipfile.ZIP_DEFLATED), member)
    else:
        data = _epub_with(members={member: content})
    link = make_file(make_resource(open_licence), data, "application/epub+zip", "rusak.epub")
    response = client.get(url("read", link))
    assert response.status_code == 404
    text = response.content.decode()
    assert "The e-book cannot be opened" in text
    assert f"/help/ask/?record={link.resource.record_id}" in text


def test_an_epub_image_with_damaged_bytes_is_not_found(client, make_resource, open_licence, make_file):
    import zipfile

    data = _corrupt(_epub_with(compression=zipfile.ZIP_DEFLATED), "OEBPS/images/gambar.png")
    link = make_file(make_resource(open_licence), data, "application/epub+zip", "rusak.epub")
    assert client.get(url("epub_image", link, 0)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/digital/{big}/files/1/",
        "/digital/1/files/{big}/",
        "/digital/{big}/files/{big}/download/",
        "/digital/{big}/cover/1/",
        "/digital/{big}/link/",
        "/digital/{big}/read/1/",
        "/digital/1/read/{big}/chapter/0/",
        "/digital/1/read/1/image/{big}/",
    ],
)
def test_huge_ids_are_not_found(client, open_pdf, path):
    assert client.get(path.format(big="9" * 30)).status_code == 404


def test_the_login_link_of_a_refusal_keeps_the_whole_address(client, restricted_pdf):
    response = client.get(url("read_file", restricted_pdf) + "?a=1&b=2")
    assert response.status_code == 403
    text = response.content.decode()
    path = f"%2Fdigital%2F{restricted_pdf.resource_id}%2Ffiles%2F{restricted_pdf.pk}%2F"
    wanted = f"/account/login/?next={path}%3Fa%3D1%26b%3D2"
    assert wanted in text


# Software installers --------------------------------------------------------------------------------


@pytest.fixture
def software(make_resource, make_licence, make_file):
    resource = make_resource(make_licence("SPSS", seats=2), kind="software")
    setup = make_file(resource, b"MZ installer bytes", "application/x-msdownload", "setup.exe", role="installer")
    return resource, setup


def _lend(resource, patron):
    from django.utils import timezone

    from pustaka.digital.models import SoftwareSeat

    return SoftwareSeat.objects.create(resource=resource, licence_key="KEY-1", patron=patron, lent_at=timezone.now())


def test_an_installer_goes_only_to_a_patron_holding_a_seat(client, software, reader):
    resource, setup = software
    holder, other = reader("P1"), reader("P2")
    _lend(resource, holder.patron)
    client.force_login(other)
    response = client.get(url("download_file", setup))
    assert response.status_code == 403
    assert "Borrow a seat of this software at the desk first" in response.content.decode()
    assert client.get(url("read_file", setup)).status_code == 403
    client.force_login(holder)
    response = client.get(url("download_file", setup))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"MZ installer bytes"
    assert list(AccessEvent.objects.order_by("id").values_list("reason", flat=True)) == [
        "seat_required",
        "seat_required",
        "",
    ]


def test_an_open_access_installer_still_needs_a_seat(client, make_resource, open_licence, make_file, reader):
    resource = make_resource(open_licence, kind="software")
    setup = make_file(resource, b"MZ open installer", "application/x-msdownload", "setup.exe", role="installer")
    assert client.get(url("download_file", setup)).status_code == 403  # anonymous: log in first
    client.force_login(reader("P1"))
    assert client.get(url("download_file", setup)).status_code == 403
    holder = reader("P2")
    _lend(resource, holder.patron)
    client.force_login(holder)
    assert client.get(url("download_file", setup)).status_code == 200
    assert list(AccessEvent.objects.order_by("id").values_list("reason", flat=True)) == [
        "login_required",
        "seat_required",
        "",
    ]


def test_digital_managers_get_the_installer_and_the_desk_does_not(client, software, it_manager, circulation):
    _resource, setup = software
    client.force_login(circulation)
    assert client.get(url("download_file", setup)).status_code == 403
    client.force_login(it_manager)
    assert client.get(url("download_file", setup)).status_code == 200


def test_my_seats_links_the_installer_of_each_seat(client, software, reader, django_assert_max_num_queries):
    resource, setup = software
    holder = reader("P1")
    _lend(resource, holder.patron)
    client.force_login(holder)
    with django_assert_max_num_queries(8):
        text = client.get("/digital/seats/").content.decode()
    assert url("download_file", setup) in text and "Download the installer" in text
    client.force_login(reader("P2"))
    assert url("download_file", setup) not in client.get("/digital/seats/").content.decode()
