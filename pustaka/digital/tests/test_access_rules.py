"""The licence rules: each refusal, the one reason logged, and who is always let in."""

import datetime

import pytest
from django.utils import timezone

from pustaka.digital.access import decide, months_before
from pustaka.digital.actions.access import check_access
from pustaka.digital.choices import AccessAction, RefusalReason
from pustaka.digital.models import AccessEvent

from .fixtures_access import *  # noqa: F403

VIEW, DOWNLOAD, LINK = AccessAction.VIEW, AccessAction.DOWNLOAD, AccessAction.LINK
HOME_IP = "203.0.113.7"


def check(resource, user, action=VIEW, ip=HOME_IP, **kw):
    return check_access(resource=resource, user=user, action=action, ip=ip, **kw)


def test_a_patron_reads_a_licensed_resource_and_the_access_is_logged(resource, patron_user, patron):
    decision = check(resource, patron_user)
    assert decision.granted and decision.reason == ""
    event = AccessEvent.objects.get()
    assert (event.resource, event.user, event.patron, event.action) == (resource, patron_user, patron, "view")
    assert event.granted and event.ip_address == HOME_IP and event.reason == ""


def test_anonymous_readers_get_only_open_access(make_resource, open_licence, licence):
    from django.contrib.auth.models import AnonymousUser

    assert check(make_resource(open_licence), AnonymousUser()).granted
    refused = check(make_resource(licence), None)
    assert not refused.granted and refused.reason == RefusalReason.LOGIN_REQUIRED
    assert AccessEvent.objects.filter(granted=False, reason="login_required", user=None).count() == 1


def test_a_resource_without_a_licence_is_refused(make_resource, patron_user, patron):
    decision = check(make_resource(None), patron_user)
    assert decision.reason == RefusalReason.NO_LICENCE


def test_licence_dates(make_resource, make_licence, patron_user, patron):
    today = timezone.localdate()
    future = make_resource(make_licence("Future", starts_on=today + datetime.timedelta(days=1)))
    past = make_resource(make_licence("Past", ends_on=today - datetime.timedelta(days=1)))
    last_day = make_resource(make_licence("Last day", ends_on=today))
    assert check(future, patron_user).reason == RefusalReason.NOT_STARTED
    assert check(past, patron_user).reason == RefusalReason.EXPIRED
    assert check(last_day, patron_user).granted


def test_only_licensed_patron_categories(make_resource, make_licence, reader, student_category, patron_category):
    student_only = make_resource(make_licence("Students", categories=[student_category]))
    student = reader("S0001", category=student_category)
    public = reader("U0001", category=patron_category)
    assert check(student_only, student).granted
    decision = check(student_only, public)
    assert not decision.granted and decision.reason == RefusalReason.CATEGORY
    assert str(decision.reason_label) == "Not licensed for your patron category"


def test_a_login_without_an_active_membership_is_refused(resource, reader, patron_user):
    expired = reader("X0001", expires_on=timezone.localdate() - datetime.timedelta(days=1))
    inactive = reader("X0002", is_active=False)
    assert check(resource, expired).reason == RefusalReason.MEMBERSHIP
    assert check(resource, inactive).reason == RefusalReason.MEMBERSHIP
    assert check(resource, patron_user).reason == RefusalReason.MEMBERSHIP  # a login with no patron record


@pytest.mark.parametrize(
    ("ip", "granted"),
    [
        ("10.1.2.3", True),
        ("192.168.5.9", True),
        ("::ffff:10.0.0.1", True),
        ("203.0.113.7", False),
        ("", False),
        ("not-an-ip", False),
        ("127.0.0.1", False),
    ],
)
def test_on_site_ip_ranges(make_resource, make_licence, patron_user, patron, ip, granted):
    on_site = make_resource(make_licence("LAN", ip_ranges="10.0.0.0/8\n192.168.0.0/16"))
    decision = check(on_site, patron_user, ip=ip)
    assert decision.granted is granted
    if not granted:
        assert decision.reason == RefusalReason.OFF_SITE


def test_on_site_ranges_apply_to_open_access_too(make_resource, make_licence):
    walk_in = make_resource(make_licence("Walk-in", is_open_access=True, ip_ranges="10.0.0.0/8"))
    assert check(walk_in, None, ip="10.9.9.9").granted
    assert check(walk_in, None, ip=HOME_IP).reason == RefusalReason.OFF_SITE


def test_download_not_allowed_means_read_online_only(make_resource, make_licence, patron_user, patron):
    online_only = make_resource(make_licence("Read online", download_allowed=False))
    assert check(online_only, patron_user, VIEW).granted
    assert check(online_only, patron_user, DOWNLOAD).reason == RefusalReason.NO_DOWNLOAD


def test_concurrent_user_limit_counts_distinct_patrons_in_the_window(make_resource, make_licence, reader, settings):
    settings.PUSTAKA_CONCURRENCY_MINUTES = 15
    two_readers = make_resource(make_licence("2 users", concurrent_users=2))
    first, second, third = reader("C1"), reader("C2"), reader("C3")
    now = timezone.now()
    assert check(two_readers, first, now=now).granted
    assert check(two_readers, first, now=now).granted  # reading on does not use a second place
    assert check(two_readers, second, now=now).granted
    refused = check(two_readers, third, now=now)
    assert refused.reason == RefusalReason.CONCURRENCY
    assert check(two_readers, first, now=now).granted  # a reader already counted keeps reading
    later = now + datetime.timedelta(minutes=16)  # the others have gone quiet
    assert check(two_readers, third, now=later).granted


def test_a_licence_embargo_holds_back_only_the_most_recent_months_of_an_ejournal(
    make_resource, make_licence, patron_user, patron
):
    embargo = make_licence("Embargo 12", embargo_months=12)
    today = timezone.localdate()
    current = make_resource(embargo, kind="ejournal", coverage_start=datetime.date(2010, 1, 1))  # a current run
    recent_end = make_resource(embargo, kind="ejournal", coverage_end=today - datetime.timedelta(days=30))
    new_title = make_resource(embargo, kind="ejournal", coverage_start=months_before(today, 3))
    ebook = make_resource(embargo, kind="ebook", coverage_start=months_before(today, 3))
    assert check(current, patron_user).granted  # its older issues are there: the link is not blocked
    assert check(recent_end, patron_user).granted
    assert check(new_title, patron_user).reason == RefusalReason.EMBARGO  # every issue behind the wall
    assert check(ebook, patron_user).granted


def test_months_before_keeps_month_ends():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 13) == datetime.date(2024, 12, 15)


def test_staff_who_manage_digital_resources_always_get_in_logged_without_a_reason(
    make_resource, make_licence, it_manager, administrator
):
    locked_down = make_resource(make_licence("Past", ends_on=timezone.localdate() - datetime.timedelta(days=9)))
    decision = check(locked_down, it_manager, DOWNLOAD)
    assert decision.granted
    event = AccessEvent.objects.get()
    assert event.granted and event.reason == "" and event.user == it_manager
    assert check(locked_down, administrator, DOWNLOAD).granted
    assert check(make_resource(None), it_manager).granted  # even without any licence


@pytest.mark.parametrize("role", ["librarian", "circulation", "technician", "senior_technician"])
def test_staff_who_only_see_resources_go_through_the_licence(make_resource, make_licence, make_staff, role):
    """Seeing digital resources (the desk, librarians) is not managing them: no bypass of the licence."""
    staff = make_staff(role)
    past = make_resource(make_licence("Past", ends_on=timezone.localdate() - datetime.timedelta(days=9)))
    assert check(past, staff).reason == RefusalReason.EXPIRED
    assert check(make_resource(None), staff).reason == RefusalReason.NO_LICENCE
    current = make_resource(make_licence("Current"))
    assert check(current, staff).reason == RefusalReason.MEMBERSHIP  # a staff login is not a patron


def test_desk_staff_read_an_open_access_resource_like_anyone(make_resource, open_licence, circulation):
    assert check(make_resource(open_licence), circulation, DOWNLOAD).granted


def test_staff_without_digital_permissions_follow_the_licence(make_resource, make_licence, make_staff, settings):
    from django.contrib.auth.models import Group

    past = make_resource(make_licence("Past", ends_on=timezone.localdate() - datetime.timedelta(days=9)))
    nobody = make_staff("technician", "no-digital")
    group = Group.objects.create(name="no-digital-role")
    nobody.groups.set([group])
    assert check(past, nobody).reason == RefusalReason.EXPIRED


def test_inactive_resource_and_damaged_file_are_unavailable(resource, make_file, patron_user, patron):
    content = make_file(resource)
    content.file.state = "changed"
    content.file.save()
    assert check(resource, patron_user, file=content.file).reason == RefusalReason.FILE_UNAVAILABLE
    resource.is_active = False
    resource.save()
    assert check(resource, patron_user).reason == RefusalReason.FILE_UNAVAILABLE


def test_follow_up_requests_are_checked_but_not_logged_unless_refused(resource, make_licence, patron_user, patron):
    assert check(resource, patron_user, log=False).granted
    assert not AccessEvent.objects.exists()
    resource.licence = make_licence("Past", ends_on=timezone.localdate() - datetime.timedelta(days=1))
    assert not check(resource, patron_user, log=False).granted
    assert AccessEvent.objects.get().reason == RefusalReason.EXPIRED


def test_decide_alone_writes_nothing(resource, patron_user, patron):
    assert decide(resource=resource, user=patron_user, action=LINK, ip=HOME_IP).granted
    assert not AccessEvent.objects.exists()


def test_every_refusal_reason_has_a_label():
    for value in RefusalReason.values:
        assert str(RefusalReason(value).label)
