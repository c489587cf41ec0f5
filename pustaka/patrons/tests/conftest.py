"""Fixtures of the patrons tests: a children's category, a guardian, staff of the other branch."""

import pytest


@pytest.fixture
def child_category(db):
    from pustaka.patrons.models import PatronCategory

    return PatronCategory.objects.create(code="CHILD", name="Anak", is_child=True)


@pytest.fixture
def guardian(make_patron):
    return make_patron("G0001", first_name="Budi", last_name="Hartono", email="budi@example.org")


def _at(user, branch):
    user.home_branch = branch
    user.save(update_fields=["home_branch"])
    return user


@pytest.fixture
def north_circulation(make_staff, other_branch):
    """A circulation desk member whose home branch is NORTH."""
    return _at(make_staff("circulation", "desk-north"), other_branch)


@pytest.fixture
def north_librarian(make_staff, other_branch):
    return _at(make_staff("librarian", "librarian-north"), other_branch)
