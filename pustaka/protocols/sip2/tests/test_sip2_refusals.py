"""The refusal table: every message a machine may send has a refusal, and each says no the same way."""

import pytest
from django.utils import translation

from pustaka.protocols.sip2 import handlers
from pustaka.protocols.sip2.codec import Message
from pustaka.protocols.sip2.errors import WrongPin
from pustaka.protocols.sip2.refusals import DENIED, REFUSALS, refusal
from pustaka.protocols.sip2.session import Context

pytestmark = pytest.mark.library_language("en")

#: Request → (the response that refuses it, and how its first fixed field says "not done").
NOT_DONE = {
    "23": ("24", DENIED),
    "01": ("24", DENIED),  # Block Patron is answered with a Patron Status
    "25": ("26", DENIED),
    "63": ("64", DENIED),
    "11": ("12", "0"),
    "09": ("10", "0"),
    "29": ("30", "0"),
    "65": ("66", "0"),
    "35": ("36", "N"),
    "37": ("38", "N"),
    "15": ("16", "0"),
    "19": ("20", "0"),
    "17": ("18", "01"),  # circulation status "other"
}


def test_every_handled_message_has_a_refusal():
    assert set(REFUSALS) | {"99"} == set(handlers.HANDLERS)
    assert set(NOT_DONE) == set(REFUSALS)


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_a_refusal_is_the_response_message_saying_not_done_with_the_reason_last(code, make_session, sip_account):
    session = make_session()
    msg = Message(code=code, fields={"AA": ["D9999"], "AB": ["B404"], "AO": ["MAIN"]})
    with translation.override("en"):
        response = refusal(Context(session=session, msg=msg, language="en"), WrongPin())
        frame = response.encode().decode()

    assert (response.code, response.fixed[0]) == NOT_DONE[code]
    assert response.fields[-1][0] == "AF"
    assert frame.endswith("AFThe PIN is not correct.|")
    sent = dict(response.fields)
    if "AA" in sent:  # the card the machine sent is echoed when the patron is not known
        assert sent["AA"] == "D9999"
    if "AB" in sent:
        assert sent["AB"] == "B404"


def test_a_refused_status_request_is_the_acs_status_with_the_reason(make_session, sip_account):
    session = make_session()
    with translation.override("en"):
        response = refusal(Context(session=session, msg=Message(code="99"), language="en"), WrongPin())
        frame = response.encode().decode()
    assert response.code == "98"
    assert frame.endswith("AFThe PIN is not correct.|")


def test_a_message_without_a_refusal_is_a_programming_error(make_session, sip_account):
    with pytest.raises(ValueError):
        refusal(Context(session=make_session(), msg=Message(code="97"), language="en"), WrongPin())
