"""The institution id (AO) a machine sends must be its SIP2 account's: otherwise the request is
refused (its response with the ok/valid flags off and "institution mismatch" on the screen) and
nothing is written. 99 (and the 93 login) are answered whatever they carry."""

import pytest

from .conftest import field

pytestmark = pytest.mark.library_language("en")

NOW = "20261122    120000"
BLANK = " " * 18


def nothing_written(item):
    from pustaka.circulation.models import FeeEntry, Hold, Loan
    from pustaka.patrons.models import PatronBlock

    item.refresh_from_db()
    assert item.status == "available"
    assert not Loan.objects.exists()
    assert not Hold.objects.exists()
    assert not FeeEntry.objects.filter(kind="payment").exists()
    assert not PatronBlock.objects.exists()


@pytest.fixture
def may_block(ask, sip_actor):
    from django.contrib.auth.models import Permission

    sip_actor.user_permissions.add(Permission.objects.get(content_type__app_label="patrons", codename="block"))
    ask.session.account_loaded_at = 0
    return sip_actor


@pytest.mark.parametrize(
    ("request_text", "refused"),
    [
        # (request, the start of its refusal: code and the flags that say no)
        (f"23001{NOW}AONORTH|AAD0001|AD1234|", "24" + "Y" * 14),
        (f"63001{NOW}Y         AONORTH|AAD0001|AD1234|", "64" + "Y" * 14),
        (f"17{NOW}AONORTH|ABB000001|", "1801"),
        (f"11NN{NOW}{BLANK}AONORTH|AAD0001|ABB000001|AD1234|", "120NNN"),
        (f"09N{NOW}{NOW}APMAIN|AONORTH|ABB000001|", "100NNN"),
        (f"29NN{NOW}{BLANK}AONORTH|AAD0001|ABB000001|AD1234|", "300NNN"),
        (f"65{NOW}AONORTH|AAD0001|AD1234|", "66000000000"),
        (f"35{NOW}AONORTH|AAD0001|", "36N"),
        (f"37{NOW}0100IDRBV1000|AONORTH|AAD0001|AD1234|", "38N"),
        (f"15+{NOW}AONORTH|AAD0001|ABB000001|AD1234|", "160N"),
        (f"01Y{NOW}AONORTH|ALStolen|AAD0001|AC|", "24" + "Y" * 14),
        (f"19{NOW}AONORTH|ABB000001|AC|CH001|", "200"),
        (f"25{NOW}AONORTH|AAD0001|AD1234|", "26" + "Y" * 14),
    ],
)
def test_a_request_for_another_institution_is_refused(ask, reader, item, may_block, request_text, refused):
    answer = ask(request_text)
    assert answer.startswith(refused), answer
    assert field(answer, "AF") == "There is an institution mismatch: this machine sent NORTH. Please ask at the desk."
    assert "institution mismatch" in field(answer, "AF")
    if answer[:2] in {"24", "64", "26"}:
        assert field(answer, "BL") == "N"  # valid patron: off
        assert "Dewi" not in answer
    if "AO" in request_text and answer[:2] not in {"18", "20"}:
        assert field(answer, "AO") == "MAIN"  # the account's institution, not the one sent
    nothing_written(item)


def test_the_accounts_institution_in_another_case_or_left_empty_is_accepted(ask, reader, item):
    assert ask(f"11NN{NOW}{BLANK}AOmain|AAD0001|ABB000001|AD1234|")[:3] == "121"
    assert ask(f"17{NOW}AO|ABB000001|")[:4] == "1804"
    assert ask(f"23001{NOW}AAD0001|AD1234|")[:2] == "24"


def test_sc_status_is_answered_whatever_institution_it_names(ask):
    answer = ask("9900302.00AONORTH|")
    assert answer.startswith("98YYYY")
    assert field(answer, "AO") == "MAIN"
    assert field(answer, "AF") == ""


def test_an_account_for_another_institution_is_refused_for_ours(ask, reader, item, librarian):
    from pustaka.circulation.actions_sip import update_sip_account

    update_sip_account(account=ask.session.account, actor=librarian, institution="NORTH")
    ask.session.account_loaded_at = 0  # read again: the account now speaks for NORTH
    answer = ask(f"11NN{NOW}{BLANK}AOMAIN|AAD0001|ABB000001|AD1234|")
    assert answer[:3] == "120"
    assert field(answer, "AF") == "There is an institution mismatch: this machine sent MAIN. Please ask at the desk."
    assert ask(f"11NN{NOW}{BLANK}AONORTH|AAD0001|ABB000001|AD1234|")[:3] == "121"
