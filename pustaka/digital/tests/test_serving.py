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
    assert client.get(url("read_file", link)).status_code == 200
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
        assert response.status_code in (403, 404), path
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
