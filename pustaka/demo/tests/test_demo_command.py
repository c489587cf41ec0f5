"""``pustaka init --demo`` builds the demo library once; running it again adds nothing."""

import io

import pytest
from django.core.management import call_command

from pustaka.core.models import AuditEvent, User
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item

pytestmark = pytest.mark.django_db


def test_init_demo_builds_the_demo_library_once_and_prints_the_staff_credentials(db):
    out = io.StringIO()
    call_command("init", demo=True, admin_password="demo-admin-1", stdout=out)
    assert Item.objects.get(barcode="B000001").status == ItemStatus.AVAILABLE
    assert "pustakawan" in out.getvalue() and "pustaka-demo" in out.getvalue()
    counts = (Item.objects.count(), User.objects.count(), AuditEvent.objects.count())
    again = io.StringIO()
    call_command("init", demo=True, stdout=again)
    assert (Item.objects.count(), User.objects.count(), AuditEvent.objects.count()) == counts
    assert "already" in again.getvalue()
