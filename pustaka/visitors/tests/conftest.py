"""Fixtures of the visitor-book tests: purposes, and a kiosk screen opened by a circulation clerk."""

import pytest

from pustaka.visitors import actions


@pytest.fixture
def purposes(db):
    """Membaca (reading), Internet, and Kunjungan rombongan, no longer offered."""
    reading = actions.create_purpose(actor=None, code="membaca", name_id="Membaca", name_en="Reading", sort_order=1)
    internet = actions.create_purpose(actor=None, code="internet", name_id="Internet", name_en="Internet", sort_order=2)
    old = actions.create_purpose(
        actor=None, code="lama", name_id="Kunjungan lama", name_en="Old purpose", is_active=False, sort_order=3
    )
    return {"reading": reading, "internet": internet, "old": old}


@pytest.fixture
def reading(purposes):
    return purposes["reading"]
