"""Link checks against a local web site: ok, broken, server errors, redirects, timeouts, HEAD refused."""

import io

import pytest
from django.core.management import CommandError, call_command

from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.digital import linkcheck
from pustaka.digital.actions.linkcheck import check_resource_link, run_link_checks
from pustaka.digital.choices import CheckOutcome
from pustaka.digital.errors_preservation import NoLink
from pustaka.digital.models import LinkCheck

from .preservation_fixtures import *  # noqa: F403


def test_a_working_link_is_ok_with_head_and_an_honest_user_agent(link_server):
    result = linkcheck.check_url(link_server.url("/ok"), timeout=2)
    assert (result.outcome, result.status_code, result.method) == (CheckOutcome.OK, 200, "HEAD")
    assert result.final_url == link_server.url("/ok")
    method, path, agent = link_server.seen[0]
    assert (method, path) == ("HEAD", "/ok")
    assert agent.startswith("Pustaka-LinkChecker/0.1 (+")


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/error", 500)])
def test_not_found_and_server_errors_are_broken(link_server, path, status):
    result = linkcheck.check_url(link_server.url(path), timeout=2)
    assert (result.outcome, result.status_code) == (CheckOutcome.BROKEN, status)
    assert result.error == f"HTTP {status}"


def test_a_permanent_redirect_is_followed_and_recorded(link_server):
    result = linkcheck.check_url(link_server.url("/moved"), timeout=2)
    assert result.outcome == CheckOutcome.REDIRECTED
    assert result.final_url == link_server.url("/ok")
    assert result.redirects == [[301, link_server.url("/ok")]]


def test_a_temporary_redirect_to_a_working_page_is_ok(link_server):
    result = linkcheck.check_url(link_server.url("/temporary"), timeout=2)
    assert result.outcome == CheckOutcome.OK
    assert result.redirects == [[302, link_server.url("/ok")]]


def test_a_redirect_to_a_missing_page_is_broken(link_server):
    result = linkcheck.check_url(link_server.url("/moved-to-missing"), timeout=2)
    assert (result.outcome, result.status_code) == (CheckOutcome.BROKEN, 404)


def test_a_redirect_loop_stops(link_server):
    result = linkcheck.check_url(link_server.url("/loop"), timeout=2)
    assert result.outcome == CheckOutcome.ERROR and result.error == "too many redirects"
    assert len(result.redirects) == linkcheck.MAX_REDIRECTS


def test_a_slow_site_times_out(link_server):
    result = linkcheck.check_url(link_server.url("/slow"), timeout=0.3)
    assert result.outcome == CheckOutcome.ERROR
    assert result.error == "timed out"
    assert result.status_code is None


@pytest.mark.parametrize("path", ["/no-head", "/forbidden-head"])
def test_head_refused_falls_back_to_get(link_server, path):
    result = linkcheck.check_url(link_server.url(path), timeout=2)
    assert (result.outcome, result.status_code, result.method) == (CheckOutcome.OK, 200, "GET")
    assert [m for m, p, _ in link_server.seen] == ["HEAD", "GET"]


def test_a_refused_connection_is_an_error():
    result = linkcheck.check_url("http://127.0.0.1:9/", timeout=1)
    assert result.outcome == CheckOutcome.ERROR and result.error


def test_only_http_links_are_checked():
    assert linkcheck.check_url("ftp://example.org/x").outcome == CheckOutcome.ERROR


def test_no_more_than_two_requests_to_one_host_at_once(link_server, monkeypatch):
    import threading
    import time

    active = {"now": 0, "max": 0}
    lock = threading.Lock()
    real = linkcheck.check_url

    def counting(url, **kwargs):
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        time.sleep(0.05)
        try:
            return real(url, **kwargs)
        finally:
            with lock:
                active["now"] -= 1

    monkeypatch.setattr(linkcheck, "check_url", counting)
    urls = [link_server.url(f"/ok?{i}") for i in range(8)]
    results = linkcheck.check_urls(urls, timeout=2, concurrency=8, per_host=2)
    assert len(results) == 8
    assert active["max"] == 2


def test_a_run_stores_a_check_per_resource_and_audits_it(link_server, make_linked, it_manager):
    ok = make_linked(link_server.url("/ok"))
    broken = make_linked(link_server.url("/missing"), kind="database")
    moved = make_linked(link_server.url("/moved"))
    make_linked("", label="no link")

    run = run_link_checks(actor=it_manager, timeout=2)

    assert run.checked == 3
    by_resource = {c.resource_id: c for c in LinkCheck.objects.all()}
    assert by_resource[ok.pk].outcome == CheckOutcome.OK
    assert (by_resource[broken.pk].outcome, by_resource[broken.pk].status_code) == (CheckOutcome.BROKEN, 404)
    assert by_resource[moved.pk].outcome == CheckOutcome.REDIRECTED
    assert by_resource[moved.pk].final_url == link_server.url("/ok")
    assert by_resource[moved.pk].redirects == [[301, link_server.url("/ok")]]
    event = AuditEvent.objects.get(verb="digital.linkcheck.run")
    assert event.after["checked"] == 3 and event.after["broken"] == 1


def test_inactive_resources_are_not_checked(link_server, make_linked):
    make_linked(link_server.url("/ok"), is_active=False)
    assert run_link_checks(actor=None, timeout=2).checked == 0


def test_check_one_resource_now(link_server, make_linked, it_manager):
    resource = make_linked(link_server.url("/error"))
    check = check_resource_link(resource=resource, actor=it_manager, timeout=2)
    assert (check.resource, check.outcome, check.status_code) == (resource, CheckOutcome.BROKEN, 500)


def test_a_resource_without_a_link_is_refused(make_linked, it_manager):
    resource = make_linked("")
    with pytest.raises(NoLink):
        check_resource_link(resource=resource, actor=it_manager)
    assert not LinkCheck.objects.exists()


@pytest.mark.parametrize("role", ["librarian", "technician", "circulation"])
def test_roles_without_the_permission_cannot_check_links(make_staff, make_linked, role):
    make_linked("http://127.0.0.1:9/")
    with pytest.raises(PermissionDenied):
        run_link_checks(actor=make_staff(role))
    assert not LinkCheck.objects.exists()


def test_link_check_command_prints_problems(link_server, make_linked):
    make_linked(link_server.url("/ok"))
    make_linked(link_server.url("/missing"))
    out = io.StringIO()
    call_command("link_check", "--timeout", "2", stdout=out)
    text = out.getvalue()
    assert "Checked 2 links" in text
    assert "broken" in text and link_server.url("/missing") in text
    assert link_server.url("/ok") not in text.split("\n", 1)[1]


def test_link_check_command_refuses_an_unknown_resource(db):
    with pytest.raises(CommandError, match="999"):
        call_command("link_check", "--resource", "999", stdout=io.StringIO())


def test_the_nightly_job_checks_links(link_server, make_linked):
    from pustaka.digital.tasks import nightly_link_check

    make_linked(link_server.url("/ok"))
    assert nightly_link_check.call_local()["checked"] == 1
