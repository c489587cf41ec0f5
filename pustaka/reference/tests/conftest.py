"""Fixtures of the questions tests: a patron's question asked three hours ago."""

import datetime

import pytest
from django.utils import timezone

from pustaka.reference.models import HelpRequest


@pytest.fixture
def help_request(db, patron):
    return HelpRequest.objects.create(
        patron=patron,
        name=patron.full_name,
        email=patron.email,
        question="Where can I find books about Python?",
        asked_at=timezone.now() - datetime.timedelta(hours=3),
        language="en",
    )
