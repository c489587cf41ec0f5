"""Both languages: the browser's language is followed, the switcher works, the Indonesian catalogue is complete."""

import gettext
from pathlib import Path

import polib
from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_indonesian_is_the_default_language(client, db):
    response = client.get("/staff/login/", HTTP_ACCEPT_LANGUAGE="")
    assert response["Content-Language"] == "id"
    assert "Masuk" in response.content.decode()


def test_the_browser_language_is_followed(client, db):
    english = client.get("/staff/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english["Content-Language"] == "en"
    assert "Staff login" in english.content.decode()
    indonesian = client.get("/staff/login/", HTTP_ACCEPT_LANGUAGE="id-ID,id;q=0.9")
    assert "Masuk staf" in indonesian.content.decode()


def test_the_switcher_remembers_the_choice(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/staff/login/"})
    assert response.status_code == 302
    page = client.get("/staff/login/", HTTP_ACCEPT_LANGUAGE="id")
    assert page["Content-Language"] == "en"  # the cookie wins over the browser


def test_api_errors_speak_the_callers_language(client, librarian, record):
    client.force_login(librarian)
    english = client.get("/api/v1/items/NOPE-1", HTTP_ACCEPT_LANGUAGE="en")
    indonesian = client.get("/api/v1/items/NOPE-1", HTTP_ACCEPT_LANGUAGE="id")
    assert english.status_code == indonesian.status_code == 404
    assert english.json()["code"] == indonesian.json()["code"] == "item_not_found"
    assert "No item has the barcode" in english.json()["message"]
    assert indonesian.json()["message"] != english.json()["message"]
    assert "NOPE-1" in indonesian.json()["message"]


def test_typed_errors_translate_at_display_time(db):
    from django.utils import translation

    from pustaka.holdings.errors import ItemNotFound

    error = ItemNotFound(barcode="B123")
    with translation.override("en"):
        english = str(error)
    with translation.override("id"):
        indonesian = str(error)
    assert english != indonesian
    assert "B123" in english and "B123" in indonesian


def test_every_string_has_an_indonesian_translation():
    catalogue = polib.pofile(str(PO_FILE))
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and (not entry.translated() or entry.fuzzy)]
    assert missing == []


def test_the_compiled_catalogue_holds_every_translation():
    """The .mo file shipped in the package was compiled from the current .po file."""
    with open(PO_FILE.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        entry.msgid
        for entry in polib.pofile(str(PO_FILE))
        if entry.translated()
        and not entry.msgid_plural
        and (compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid))
        != entry.msgstr
    ]
    assert stale == []


def test_error_pages_speak_the_readers_language(client, patron_user, db):
    missing = client.get("/record/999999/", HTTP_ACCEPT_LANGUAGE="id")
    assert missing.status_code == 404
    assert "Halaman tidak ditemukan" in missing.content.decode()
    assert "Page not found" in client.get("/record/999999/").content.decode()
    client.force_login(patron_user)
    refused = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="id")
    assert refused.status_code == 403
    assert "Tidak diizinkan" in refused.content.decode()


def test_the_server_error_page_needs_nothing_from_the_database():
    from django.template import loader
    from django.utils import translation

    with translation.override("id"):
        html = loader.get_template("500.html").render()
    assert "Terjadi kesalahan" in html
