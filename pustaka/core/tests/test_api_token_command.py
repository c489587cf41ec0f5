"""`pustaka api-token USERNAME` prints a token that works as `Authorization: Bearer <token>`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pustaka.core.models import ApiToken, AuditEvent
from pustaka.core.tests.api_client import ApiClient


def test_the_command_prints_a_token_that_works_against_the_api(librarian):
    out = StringIO()

    call_command("api_token", "librarian-user", stdout=out)

    token = out.getvalue().strip()
    assert token.startswith("pst_")
    response = ApiClient(token).get("/me")
    assert response.status_code == 200
    assert response.json()["username"] == "librarian-user"
    stored = ApiToken.objects.get(user=librarian)
    assert stored.key_hash == ApiToken.hash(token) and token not in stored.key_hash
    assert stored.name == "command line"
    assert AuditEvent.objects.filter(verb="core.api_token.issue").exists()


def test_each_run_prints_a_new_token(librarian):
    first, second = StringIO(), StringIO()
    call_command("api_token", "librarian-user", "--name", "katalog", stdout=first)
    call_command("api_token", "librarian-user", stdout=second)
    assert first.getvalue() != second.getvalue()
    assert ApiToken.objects.filter(user=librarian).count() == 2


def test_an_unknown_user_gets_no_token(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("api_token", "nobody", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_a_deactivated_user_gets_no_token(librarian):
    librarian.is_active = False
    librarian.save()
    with pytest.raises(CommandError):
        call_command("api_token", "librarian-user", stdout=StringIO())
    assert not ApiToken.objects.exists()
