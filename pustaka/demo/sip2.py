"""Demo library part: the SIP2 login selfcheck/selfcheck for institution MAIN."""

import secrets

from pustaka.circulation.actions_sip import create_sip_account
from pustaka.core import actions as core_actions
from pustaka.core.choices import Role

#: The demo self-check machine's login and password (documented in the README).
SIP2_LOGIN = "selfcheck"
SIP2_PASSWORD = "selfcheck"
#: The staff account the machine acts as (circulation role); nobody logs in to the pages with it.
SIP2_STAFF_USER = "mesin.swalayan"


def load_sip2(demo) -> None:
    """The SIP2 login ``selfcheck`` / ``selfcheck`` for institution MAIN, lending at MAIN as a
    dedicated staff user with the circulation role."""
    main = demo.branches["MAIN"]
    machine_user = core_actions.create_staff_user(
        actor=demo.actor,
        username=SIP2_STAFF_USER,
        password=secrets.token_urlsafe(24),  # not meant for the staff pages
        roles=[Role.CIRCULATION],
        home_branch=main,
        first_name="Mesin",
        last_name="Swalayan",
    )
    create_sip_account(
        actor=demo.actor,
        login=SIP2_LOGIN,
        password=SIP2_PASSWORD,
        institution="MAIN",
        branch=main,
        acts_as=machine_user,
    )
    demo.say(f"SIP2: login {SIP2_LOGIN} / {SIP2_PASSWORD}, institution MAIN (run `pustaka sip2`, port 6001).")
