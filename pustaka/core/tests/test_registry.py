"""The @action decorator: it checks the permission, runs the body in one transaction and registers the
action with its verb and label."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pustaka.core import registry
from pustaka.core.actions import create_branch, issue_api_token
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent, Branch


def test_a_declared_action_knows_its_verb_permission_and_label():
    entry = create_branch.action
    assert (entry.verb, entry.permission, entry.app_label) == ("core.branch.create", create_branch.permission, "core")
    assert entry.qualname == "pustaka.core.actions.create_branch"
    assert registry.ACTIONS[entry.qualname] is entry
    assert entry in registry.by_verb("core.branch.create")
    with translation.override("en"):
        assert registry.verb_label("core.branch.create") == "Branch opened"


def test_a_verb_without_a_label_is_shown_as_it_is():
    assert registry.verb_label("nobody.wrote.this") == "nobody.wrote.this"


def test_an_actor_without_the_permission_is_refused_before_anything_is_written(technician):
    with pytest.raises(PermissionDenied):
        create_branch(actor=technician, code="EAST", name="Cabang Timur")
    assert not Branch.objects.filter(code="EAST").exists()
    assert not AuditEvent.objects.filter(verb="core.branch.create").exists()


def test_the_system_may_do_anything(db):
    branch = create_branch(actor=None, code="EAST", name="Cabang Timur")
    assert AuditEvent.objects.get(verb="core.branch.create", object_id=str(branch.pk)).actor_name == "system"


def test_the_body_runs_in_one_transaction(db, monkeypatch):
    """A failure after the first write leaves nothing behind: the branch and its audit event go together."""
    import pustaka.core.actions as core_actions

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(core_actions, "audit", fail)
    with pytest.raises(RuntimeError):
        create_branch(actor=None, code="EAST", name="Cabang Timur")
    assert not Branch.objects.filter(code="EAST").exists()


def test_an_action_that_checks_inside_says_so_and_still_refuses(technician, circulation):
    """Issuing a token for someone else needs a permission the decorator cannot know in advance."""
    assert issue_api_token.permission is None
    assert "Permission checked inside" in issue_api_token.__doc__
    with pytest.raises(PermissionDenied):
        issue_api_token(user=circulation, actor=technician)
    assert issue_api_token(user=technician, actor=technician)


def test_an_action_must_have_a_docstring_and_an_actor_when_it_needs_a_permission():
    with pytest.raises(TypeError, match="docstring"):

        @registry.action("test.thing.do", permission="core.manage_branches", label=_("Thing done"))
        def undocumented(*, actor):
            pass

    with pytest.raises(TypeError, match="no actor"):

        @registry.action("test.thing.do", permission="core.manage_branches", label=_("Thing done"))
        def actorless(*, thing):
            """Does a thing."""
