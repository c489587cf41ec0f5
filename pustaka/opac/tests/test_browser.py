"""The public catalogue in a real browser (Debian's Chromium): search, facet, record page, language."""

import pytest

from pustaka.catalog.models import Record
from pustaka.holdings.models import Item
from pustaka.search import engine


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reader_searches_narrows_by_facet_opens_a_record_and_switches_to_indonesian(
    page, live_server, branch, location, item_type
):
    for title, language in [("Learning Python", "eng"), ("Pemrograman Python", "ind"), ("Python cookbook", "eng")]:
        record = Record.objects.create(
            title=title, contributors=[{"name": "Penulis, Contoh", "role": "author"}], language=language, year=2020
        )
        Item.objects.create(
            record=record,
            barcode=f"B-{record.pk}",
            branch=branch,
            location=location,
            item_type=item_type,
            call_number=f"005.133 PEN {record.pk}",
        )
    engine.rebuild()

    page.goto(f"{live_server.url}/")
    page.fill("#q", "python")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("ol.results > li").count() == 3

    with page.expect_navigation():
        page.locator('[data-facet="language"] a', has_text="Indonesian").click()
    assert "language=ind" in page.url
    assert page.locator("ol.results > li").count() == 1
    assert page.locator(".selected-filters a").count() == 1

    with page.expect_navigation():
        page.locator("ol.results h2 a").first.click()
    assert page.locator("h1").inner_text() == "Pemrograman Python"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator('a[href$="cite.ris"]').count() == 1

    with page.expect_navigation():
        page.locator('form.lang button[value="id"]').click()
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Pemrograman Python"  # still the same record page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_facets_start_folded_and_open_on_a_tap(
    new_page, live_server, record, branch, location, item_type
):
    Item.objects.create(record=record, barcode="B1", branch=branch, location=location, item_type=item_type)
    engine.rebuild()
    phone = new_page(width=375, height=740)
    phone.goto(f"{live_server.url}/search/?q=python")
    assert phone.locator("details.facets-box").get_attribute("open") is None
    phone.locator("details.facets-box > summary").click()
    assert phone.locator('[data-facet="language"] a').first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
