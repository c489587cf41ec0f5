"""What fixity and link checks say is stored as a code and translated only when shown (pages, API,
commands), in the reader's language."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext_lazy

from pustaka.digital import check_messages, linkcheck
from pustaka.digital.actions.linkcheck import check_resource_link
from pustaka.digital.actions.preservation import run_fixity
from pustaka.digital.models import FixityCheck, LinkCheck

from .preservation_fixtures import *  # noqa: F403
from .preservation_fixtures import path_of

PDF = b"%PDF-1.4 berkas uji\n"


@pytest.fixture
def missing_file(make_stored_file, it_manager):
    gone = make_stored_file(PDF, name="hilang.pdf")
    path_of(gone).unlink()
    with translation.override("id"):  # whatever language the run happens in
        run_fixity(actor=it_manager, notify=False)
    return gone


@pytest.fixture
def marked(monkeypatch):
    """Stand-ins for the translations of two codes: msgids the catalogue already translates, so the test
    shows the text is translated when shown (in the reader's language), whatever is stored."""
    monkeypatch.setitem(check_messages.MESSAGES, check_messages.NO_SUCH_FILE, gettext_lazy("Not found."))
    monkeypatch.setitem(check_messages.MESSAGES, check_messages.CONNECTION_REFUSED, gettext_lazy("Not found."))


def test_a_fixity_note_is_stored_as_its_code(missing_file):
    assert FixityCheck.objects.get(file=missing_file).note == check_messages.NO_SUCH_FILE


def test_the_fixity_page_translates_the_note_when_shown(client, it_manager, missing_file, marked):
    client.force_login(it_manager)
    indonesian = client.get(f"/staff/digital/fixity/files/{missing_file.pk}/", HTTP_ACCEPT_LANGUAGE="id")
    assert "Tidak ditemukan." in indonesian.content.decode()
    english = client.get(f"/staff/digital/fixity/files/{missing_file.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Not found." in english.content.decode()


def test_the_fixity_api_gives_the_code_and_its_label(client, it_manager, missing_file, marked):
    client.force_login(it_manager)
    item = client.get(f"/api/v1/fixity-checks?file={missing_file.pk}", HTTP_ACCEPT_LANGUAGE="id").json()["items"][0]
    assert item["note"] == "no such file" and item["note_label"] == "Tidak ditemukan."


def test_the_restore_note_is_a_code_too(make_stored_file, it_manager):
    from pustaka.digital.actions.preservation import restore_file

    stored = make_stored_file(PDF)
    path_of(stored).unlink()
    with translation.override("id"):
        check = restore_file(stored_file=stored, upload=io.BytesIO(PDF), actor=it_manager)
    assert check.note == check_messages.RESTORED
    with translation.override("en"):
        assert check_messages.describe(check.note) == "restored from an uploaded copy"


def test_the_fixity_command_prints_the_note_in_the_library_language(missing_file, marked):
    out = io.StringIO()
    with translation.override("id"), pytest.raises(CommandError):  # problems: the command fails (exit 1)
        call_command("fixity", "--no-email", stdout=out)
    assert "Tidak ditemukan." in out.getvalue()


def test_a_link_error_is_stored_as_its_code_and_shown_translated(client, it_manager, make_linked, marked):
    assert linkcheck.check_url("http://127.0.0.1:9/", timeout=1).error == check_messages.CONNECTION_REFUSED
    resource = make_linked("http://127.0.0.1:9/jurnal")
    with translation.override("id"):
        check_resource_link(resource=resource, actor=it_manager, timeout=1)
    assert LinkCheck.objects.get().error == "connection refused"
    client.force_login(it_manager)
    page = client.get("/staff/digital/links/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Tidak ditemukan." in page and "connection refused" not in page
    item = client.get("/api/v1/link-checks", HTTP_ACCEPT_LANGUAGE="id").json()["items"][0]
    assert item["error"] == "connection refused" and item["error_label"] == "Tidak ditemukan."


def test_describe_keeps_unknown_detail_and_words_http_statuses():
    with translation.override("en"):
        assert check_messages.describe("") == ""
        assert check_messages.describe("[Errno 13] Permission denied") == "[Errno 13] Permission denied"
        assert check_messages.describe("HTTP 404") == "the server answered HTTP 404"
        assert check_messages.describe("too many redirects") == "too many redirects"


def test_every_code_has_a_message_marked_for_translation():
    codes = {value for name, value in vars(check_messages).items() if name.isupper() and isinstance(value, str)}
    assert codes == set(check_messages.MESSAGES)
