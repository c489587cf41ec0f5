"""The readers in a real browser (Debian's Chromium through Playwright): a patron opens a licensed
PDF in the browser's own viewer and reads an EPUB chapter by chapter; an anonymous visitor is refused."""

from pathlib import Path

import pytest

from .epub_sample import build_epub
from .fixtures_access import *  # noqa: F403

pytestmark = pytest.mark.browser
PDF = Path(__file__).resolve().parents[2] / "demo" / "data" / "ebooks" / "metadata.pdf"


def _log_in(page, live_server, user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.django_db(transaction=True)
def test_a_patron_reads_a_pdf_and_an_epub_in_the_browser(new_page, live_server, resource, make_file, reader):
    pdf = make_file(resource, PDF.read_bytes(), "application/pdf", "metadata.pdf")
    epub = make_file(resource, build_epub(), "application/epub+zip", "hikayat.epub")
    record_id = resource.record_id
    page = new_page()
    _log_in(page, live_server, reader("P0101"))

    page.goto(f"{live_server.url}/record/{record_id}/")
    online = page.locator("section.digital")
    assert online.get_by_role("link", name="Read online").count() == 2
    page.screenshot(path="/tmp/access-record.png", full_page=True)

    online.get_by_role("link", name="Read online").first.click()
    page.wait_for_url(f"**/digital/{resource.pk}/read/{pdf.pk}/")
    frame = page.locator("object.pdf-frame")
    frame.wait_for()
    file_url = frame.get_attribute("data")
    response = page.request.get(f"{live_server.url}{file_url}")  # with the patron's session
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.body()[:5] == b"%PDF-"
    page.screenshot(path="/tmp/access-reader-pdf.png")

    page.goto(f"{live_server.url}/digital/{resource.pk}/read/{epub.pk}/")
    page.get_by_role("heading", name="Bab Satu: Permulaan").wait_for()
    assert page.get_by_role("heading", name="Hikayat Contoh").is_visible()
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
    page.get_by_role("link", name="Ke bab dua").click()
    page.get_by_role("heading", name="Bab Dua: Akhir").wait_for()
    assert "#lanjut" in page.url
    page.get_by_role("link", name="Previous").click()
    page.get_by_role("heading", name="Bab Satu: Permulaan").wait_for()
    assert page.get_by_role("img", name="Gambar raja").evaluate("img => img.complete && img.naturalWidth > 0")
    assert dialogs == []  # no script from the book ran
    page.screenshot(path="/tmp/access-reader-epub.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_visitor_is_refused_with_the_reason(new_page, live_server, resource, make_file):
    pdf = make_file(resource, PDF.read_bytes(), "application/pdf", "metadata.pdf")
    page = new_page(width=375)
    page.goto(f"{live_server.url}/record/{resource.record_id}/")
    assert page.get_by_text("Login required").is_visible()
    assert (
        page.get_by_role("link", name="Ask for help").get_attribute("href") == f"/help/ask/?record={resource.record_id}"
    )
    response = page.goto(f"{live_server.url}/digital/{resource.pk}/read/{pdf.pk}/")
    assert response.status == 403
    page.screenshot(path="/tmp/access-refused-phone.png", full_page=True)


LOADED = (
    "() => { const img = document.querySelector('figure.pdf-page img');"
    " return !!img && img.complete && img.naturalWidth > 0; }"
)


@pytest.mark.django_db(transaction=True)
def test_a_read_only_pdf_turns_its_page_images_with_the_arrow_keys(
    new_page, live_server, make_resource, make_licence, make_file, reader, settings, tmp_path
):
    from .conftest import ebook

    settings.PUSTAKA_PAGE_CACHE_DIR = tmp_path / "pages"
    online_only = make_resource(make_licence("Baca daring saja", download_allowed=False))
    pdf = make_file(online_only, ebook("Seige_of_Vicksburg_Sample_OCR.pdf").read_bytes(), "application/pdf", "v.pdf")
    page = new_page()
    _log_in(page, live_server, reader("P0101"))
    page.goto(f"{live_server.url}/digital/{online_only.pk}/read/{pdf.pk}/")
    page.get_by_text("Page 1 of 6").wait_for()
    page.wait_for_function(LOADED)  # the page image is rendered on the server: wait for it, then it is there
    assert page.locator("object.pdf-frame").count() == 0  # no PDF in the page
    page.keyboard.press("ArrowRight")
    page.get_by_text("Page 2 of 6").wait_for()
    page.keyboard.press("ArrowLeft")
    page.get_by_text("Page 1 of 6").wait_for()
    page.get_by_role("link", name="Next page").click()
    page.get_by_text("Page 2 of 6").wait_for()
    page.wait_for_function(LOADED)
