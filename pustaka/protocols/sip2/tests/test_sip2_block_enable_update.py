"""01 Block Patron, 19 Item Status Update and 25 Patron Enable (SIP2 2.00), through the handlers.

Before these were understood a machine sending them got 96 (please resend), sent them again and was
disconnected after ten tries; now each gets the response the standard gives it."""

import pytest

from .conftest import field

pytestmark = pytest.mark.library_language("en")

NOW = "20261122    120000"


@pytest.fixture
def may_block(ask, sip_actor):
    """The machine's staff user holds ``patrons.block`` (the circulation role alone does not)."""
    from django.contrib.auth.models import Permission

    sip_actor.user_permissions.add(Permission.objects.get(content_type__app_label="patrons", codename="block"))
    ask.session.account_loaded_at = 0  # the session reads its account (and staff user) again
    return sip_actor


def open_blocks(patron):
    from pustaka.patrons.models import PatronBlock

    return list(PatronBlock.objects.filter(patron=patron, lifted_at__isnull=True))


# --- 01 Block Patron → 24 Patron Status -----------------------------------------------------------


def test_block_patron_blocks_through_the_action_and_answers_the_new_patron_status(ask, reader, may_block):
    from pustaka.core.models import AuditEvent

    assert ask(f"23001{NOW}AOMAIN|AAD0001|AD1234|")[2:6] == "    "  # may borrow before
    answer = ask(f"01Y{NOW}AOMAIN|ALCard used by someone else|AAD0001|AC|")
    assert answer[:2] == "24", answer
    assert answer[2:6] == "YYYY"  # charge, renewal, recall and hold privileges denied
    assert field(answer, "AO") == "MAIN"
    assert field(answer, "AA") == "D0001"
    assert field(answer, "BL") == "Y"
    assert field(answer, "AF") == "Your card was kept by the machine and is blocked. Please ask at the desk."
    [block] = open_blocks(reader)
    assert block.note == "Card retained by self-check machine selfcheck (MAIN): Card used by someone else"
    assert block.created_by == may_block
    assert AuditEvent.objects.filter(verb="patrons.patron.block", actor=may_block).count() == 1
    # The patron can no longer borrow, at the machine or anywhere else.
    assert ask(f"23001{NOW}AOMAIN|AAD0001|AD1234|")[2:6] == "YYYY"


def test_block_patron_sent_again_adds_no_second_block(ask, reader, may_block):
    for _ in range(2):
        assert ask(f"01Y{NOW}AOMAIN|ALCard used by someone else|AAD0001|AC|")[:6] == "24YYYY"
    assert len(open_blocks(reader)) == 1


def test_block_patron_without_keeping_the_card_or_a_reason(ask, reader, may_block):
    answer = ask(f"01N{NOW}AOMAIN|AL|AAD0001|AC|")
    assert answer[:6] == "24YYYY"
    assert field(answer, "AF") == "Your card is blocked. Please ask at the desk."
    [block] = open_blocks(reader)
    assert block.note == "Blocked by self-check machine selfcheck (MAIN): no reason given"


def test_block_patron_note_is_written_in_the_librarys_language(ask, reader, may_block, settings):
    """Staff read the note at the desk: it is in the library's language, not the patron's (English)."""
    from django.utils import translation
    from django.utils.translation import gettext

    settings.LANGUAGE_CODE = "id"
    ask(f"01Y{NOW}AOMAIN|ALKartu curian|AAD0001|AC|")
    with translation.override("id"):
        expected = gettext("Card retained by self-check machine %(machine)s: %(reason)s") % {
            "machine": "selfcheck (MAIN)",
            "reason": "Kartu curian",
        }
    [block] = open_blocks(reader)
    assert block.note == expected


def test_block_patron_needs_the_block_permission_of_the_machines_staff_user(ask, reader):
    answer = ask(f"01Y{NOW}AOMAIN|ALCard used by someone else|AAD0001|AC|")
    assert answer[:2] == "24"
    assert answer[2:16] == "Y" * 14
    assert field(answer, "AF") == "You do not have permission to do this."
    assert open_blocks(reader) == []


def test_block_patron_of_an_unknown_card(ask, may_block):
    answer = ask(f"01Y{NOW}AOMAIN|ALStolen|AAX9999|AC|")
    assert answer[:16] == "24" + "Y" * 14
    assert field(answer, "BL") == "N"
    assert "X9999" in field(answer, "AF")


# --- 19 Item Status Update → 20 -------------------------------------------------------------------


def test_item_status_update_changes_nothing_and_says_so(ask, item):
    before = (item.status, item.item_type_id, item.location_id, item.updated_at)
    answer = ask(f"19{NOW}AOMAIN|ABB000001|AC|CHmagnetic media|")
    assert answer[:3] == "200", answer  # item properties ok: 0
    assert len(answer[3:21]) == 18 and answer[3:11].isdigit()  # transaction date
    assert field(answer, "AB") == "B000001"
    assert field(answer, "AJ") == "Pemrograman Python"
    assert field(answer, "AF") == "A self-check machine cannot change an item's details: nothing was changed."
    item.refresh_from_db()
    assert (item.status, item.item_type_id, item.location_id, item.updated_at) == before


def test_item_status_update_of_an_unknown_barcode(ask):
    answer = ask(f"19{NOW}AOMAIN|ABNOPE|AC|CH001|")
    assert answer[:3] == "200"
    assert field(answer, "AB") == "NOPE"
    assert field(answer, "AF") == "No item has the barcode “NOPE”."


# --- 25 Patron Enable → 26 ------------------------------------------------------------------------


def test_patron_enable_never_lifts_a_staff_block(ask, reader, librarian):
    from pustaka.patrons.models import PatronBlock

    block = PatronBlock.objects.create(patron=reader, note="Owes us a secret explanation", created_by=librarian)
    answer = ask(f"25{NOW}AOMAIN|AAD0001|AC|AD1234|")
    assert answer[:2] == "26", answer
    assert answer[2:6] == "YYYY"  # still denied: the status is what it was
    assert answer[16:19] == "001"  # the patron's language (English)
    assert field(answer, "AO") == "MAIN"
    assert field(answer, "AA") == "D0001"
    assert field(answer, "AE") == "Dewi Lestari"
    assert field(answer, "BL") == "Y"
    assert field(answer, "CQ") == "Y"
    screen = field(answer, "AF")
    assert "Blocked by staff" in screen
    assert screen.endswith("A self-check machine cannot lift a block: nothing was changed.")
    assert "secret" not in answer
    block.refresh_from_db()
    assert block.lifted_at is None


def test_patron_enable_of_a_patron_who_is_not_blocked(ask, reader):
    answer = ask(f"25{NOW}AOMAIN|AAD0001|AC|AD1234|")
    assert answer[:16] == "26" + " " * 14
    assert field(answer, "AF") == "A self-check machine cannot lift a block: nothing was changed."
    assert "BV" not in answer[35:]  # 26 has no amounts


def test_patron_enable_with_a_wrong_pin_hides_the_name(ask, reader):
    answer = ask(f"25{NOW}AOMAIN|AAD0001|AC|AD9999|")
    assert answer[:2] == "26"
    assert field(answer, "CQ") == "N"
    assert field(answer, "AE") == ""
    assert field(answer, "AF") == "The PIN is not correct."


def test_patron_enable_of_an_unknown_card(ask):
    answer = ask(f"25{NOW}AOMAIN|AAX9999|AC|")
    assert answer[:16] == "26" + "Y" * 14
    assert field(answer, "BL") == "N"
    assert "X9999" in field(answer, "AF")
