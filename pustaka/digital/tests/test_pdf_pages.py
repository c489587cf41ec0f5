"""Read-online-only PDFs are read page by page as images rendered on the server; the PDF never leaves."""

import pytest
from django.urls import reverse

from pustaka.digital import pdf_pages
from pustaka.digital.models import AccessEvent

from .conftest import ebook
from .fixtures_access import *  # noqa: F403

BOOK = ebook("Seige_of_Vicksburg_Sample_OCR.pdf")  # six pages


@pytest.fixture
def page_cache(settings, tmp_path):
    settings.PUSTAKA_PAGE_CACHE_DIR = tmp_path / "pages"
    return settings.PUSTAKA_PAGE_CACHE_DIR


@pytest.fixture
def online_only_pdf(make_resource, make_licence, make_file, page_cache):
    resource = make_resource(make_licence("Baca daring saja", download_allowed=False))
    return make_file(resource, BOOK.read_bytes(), "application/pdf", "vicksburg.pdf")


def reader_url(name, link, *extra):
    return reverse(f"digital_public:{name}", args=[link.resource_id, link.pk, *extra])


def test_a_read_only_pdf_is_read_page_by_page_as_images(client, online_only_pdf, reader, page_cache):
    client.force_login(reader("P0101"))
    page = client.get(reader_url("read", online_only_pdf))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Page 1 of 6" in html
    assert reader_url("pdf_page_image", online_only_pdf, 1) in html
    assert f'href="{reader_url("pdf_page", online_only_pdf, 2)}" rel="next"' in html
    assert reader_url("read_file", online_only_pdf) not in html  # no way to the PDF itself
    assert reader_url("download_file", online_only_pdf) not in html
    assert "pdf-pages.js" in html  # the arrow keys turn the pages
    image = client.get(reader_url("pdf_page_image", online_only_pdf, 1))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"%PDF" not in image.content
    assert image["X-Content-Type-Options"] == "nosniff"
    assert list(page_cache.rglob("1-*.png"))  # rendered once, kept for the next reader
    last = client.get(
        reader_url("pdf_page", online_only_pdf, 6), HTTP_REFERER=reader_url("pdf_page", online_only_pdf, 5)
    )
    assert last.status_code == 200 and "Page 6 of 6" in last.content.decode()
    assert 'rel="next"' not in last.content.decode()
    assert client.get(reader_url("pdf_page", online_only_pdf, 7)).status_code == 404
    assert client.get(reader_url("pdf_page_image", online_only_pdf, 0)).status_code == 404
    # opening the reader is one logged reading; turning its pages is checked, not counted again
    assert list(AccessEvent.objects.values_list("action", "granted")) == [("view", True)]


def test_a_cached_page_is_not_rendered_again(online_only_pdf, monkeypatch):
    first = pdf_pages.page_png(online_only_pdf.file, 2)

    def no_poppler(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf_pages.subprocess, "run", no_poppler)
    assert pdf_pages.page_png(online_only_pdf.file, 2) == first


def test_someone_the_licence_refuses_gets_neither_the_page_nor_its_image(client, online_only_pdf):
    page = client.get(reader_url("read", online_only_pdf))  # anonymous, restricted licence
    assert page.status_code == 403
    assert "Login required" in page.content.decode()
    assert client.get(reader_url("pdf_page_image", online_only_pdf, 1)).status_code == 403
    assert not AccessEvent.objects.filter(granted=True).exists()


def test_the_record_page_says_plainly_what_read_online_only_means(client, online_only_pdf, reader, record):
    client.force_login(reader("P0101"))
    html = client.get(reverse("opac:record", args=[record.pk])).content.decode()
    assert reader_url("read", online_only_pdf) in html
    assert "the pages are shown one at a time; the file cannot be downloaded or printed" in html
    assert reader_url("read_file", online_only_pdf) not in html
    assert reader_url("download_file", online_only_pdf) not in html


def test_a_downloadable_pdf_still_opens_in_the_browsers_viewer(client, make_resource, licence, make_file, reader):
    pdf = make_file(make_resource(licence), BOOK.read_bytes(), "application/pdf", "vicksburg.pdf")
    client.force_login(reader("P0101"))
    html = client.get(reader_url("read", pdf)).content.decode()
    assert reader_url("read_file", pdf) in html and "Page 1 of" not in html


def test_the_licence_form_says_what_read_online_only_does(client, it_manager):
    client.force_login(it_manager)
    html = client.get("/staff/digital/licences/new/").content.decode()
    assert "a PDF is shown page by page as images" in html
    assert "which can keep a copy of them" in html


def test_a_damaged_pdf_shows_the_friendly_reader_page(
    client, make_resource, make_licence, make_file, reader, page_cache
):
    resource = make_resource(make_licence("Baca daring saja", download_allowed=False))
    broken = make_file(resource, b"%PDF-1.4 not really a pdf", "application/pdf", "rusak.pdf")
    client.force_login(reader("P0101"))
    response = client.get(reader_url("read", broken))
    assert response.status_code == 404
    assert f"/help/ask/?record={resource.record_id}" in response.content.decode()
    assert b"%PDF" not in response.content
