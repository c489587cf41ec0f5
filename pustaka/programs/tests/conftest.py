"""Fixtures of the programs tests: a program with sessions, patrons of known ages; the question
fixture comes from the questions' tests."""

import datetime

import pytest
from django.utils import timezone

from pustaka.programs.choices import ProgramKind, RegistrationStatus
from pustaka.programs.models import Program, ProgramSession, Registration
from pustaka.reference.tests.conftest import help_request  # noqa: F401  (program pages link to questions)


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


@pytest.fixture
def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def make_program(db, branch):
    """``make_program(capacity=2, min_age=4, max_age=8)`` (test set-up, not an action)."""

    def make(title="Dongeng Anak", **fields):
        fields.setdefault("capacity", 10)
        fields.setdefault("kind", ProgramKind.STORY_TIME)
        fields.setdefault("branch", branch)
        return Program.objects.create(title=title, **fields)

    return make


@pytest.fixture
def program(make_program):
    return make_program()


@pytest.fixture
def make_session(db, branch, tomorrow):
    def make(program, date=None, start=datetime.time(9, 0), end=datetime.time(10, 0), **fields):
        fields.setdefault("branch", branch)
        return ProgramSession.objects.create(
            program=program, date=date or tomorrow, start_time=start, end_time=end, **fields
        )

    return make


@pytest.fixture
def session(make_session, program):
    return make_session(program, room="Ruang Anak")


@pytest.fixture
def make_registration(db):
    def make(program, patron, status=RegistrationStatus.REGISTERED, minutes_ago=0):
        return Registration.objects.create(
            program=program,
            patron=patron,
            status=status,
            queued_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        )

    return make
