"""Fixtures of the clearance tests: a patron with a loan, a fine and a hold (test set-up, not actions)."""

import datetime
import subprocess

import pytest
from django.utils import timezone


@pytest.fixture
def owing(patron, item, branch, record):
    """P0001 with one copy on loan, Rp 5.000 of fines unpaid and a hold waiting."""
    from pustaka.circulation.models import FeeEntry, Hold, Loan

    now = timezone.now()
    item.status = "on_loan"
    item.save(update_fields=["status"])
    loan = Loan.objects.create(
        item=item, patron=patron, branch=branch, checked_out_at=now, due_at=now + datetime.timedelta(days=14)
    )
    fee = FeeEntry.objects.create(patron=patron, kind="overdue", amount=5000, branch=branch)
    hold = Hold.objects.create(record=record, patron=patron, pickup_branch=branch, placed_at=now)
    return {"loan": loan, "fee": fee, "hold": hold}


def pdf_text(body: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(body)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
