"""Fixtures shared by every app's tests: a branch, locations, item types, staff of each role, records, items."""

import pytest


@pytest.fixture(autouse=True)
def _english_unless_asked(request):
    """Tests speak English unless they ask: messages read outside a request (an action's error, a
    command's output) come in English whatever an earlier test in the same worker activated, and the
    ``client`` fixture's browser asks for English. The library's own default stays Indonesian
    (``LANGUAGE_CODE``); a test that reads what the library says in its own language before anyone is
    known (SIP2 screens, a command run from the shell) marks itself ``@pytest.mark.library_language("en")``.
    Tests about language choose theirs."""
    from django.utils import translation

    marker = request.node.get_closest_marker("library_language")
    if marker:
        request.getfixturevalue("settings").LANGUAGE_CODE = marker.args[0]
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _own_search_index(settings, tmp_path):
    """Each test starts without a search index of its own, so an index another test built in the same
    worker never answers for this test's database."""
    settings.PUSTAKA_INDEX_DIR = tmp_path / "index"


@pytest.fixture
def branch(db):
    from pustaka.core.models import Branch

    return Branch.objects.create(code="MAIN", name="Perpustakaan Pusat", opening_hours={"0": [["08:00", "16:00"]]})


@pytest.fixture
def other_branch(db):
    from pustaka.core.models import Branch

    return Branch.objects.create(code="NORTH", name="Cabang Utara")


@pytest.fixture
def location(branch):
    from pustaka.core.models import Location

    return Location.objects.create(branch=branch, code="STACKS", name="Rak umum")


@pytest.fixture
def item_type(db):
    from pustaka.holdings.models import ItemType

    return ItemType.objects.create(code="BOOK", name="Buku")


def _make_staff(username, role, branch):
    from django.contrib.auth.models import Group

    from pustaka.core.models import User

    if not Group.objects.filter(name=role).exists():  # a transactional test before this one flushed the roles
        from django.apps import apps

        from pustaka.core.roles import sync_roles

        sync_roles(apps)
    user = User.objects.create_user(username=username, password="test-password-123", home_branch=branch)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def make_staff(db, branch):
    """``make_staff("librarian")`` gives a user holding exactly that role."""

    def make(role, username=None):
        return _make_staff(username or f"{role}-user", role, branch)

    return make


@pytest.fixture
def administrator(make_staff):
    return make_staff("administrator")


@pytest.fixture
def it_manager(make_staff):
    return make_staff("it_manager")


@pytest.fixture
def librarian(make_staff):
    return make_staff("librarian")


@pytest.fixture
def senior_technician(make_staff):
    return make_staff("senior_technician")


@pytest.fixture
def technician(make_staff):
    return make_staff("technician")


@pytest.fixture
def circulation(make_staff):
    return make_staff("circulation")


@pytest.fixture
def patron_user(db):
    """A logged-in public user with no staff role (patrons proper come with circulation)."""
    from pustaka.core.models import User

    return User.objects.create_user(username="reader", password="test-password-123")


@pytest.fixture
def patron_category(db):
    from pustaka.patrons.models import PatronCategory

    return PatronCategory.objects.create(code="PUBLIC", name="Public")


@pytest.fixture
def make_patron(db, branch, patron_category):
    """Make a patron (anggota) at ``branch``: ``make_patron("P0002", last_name="Lubis", category=...)``."""
    import datetime

    from django.utils import timezone

    from pustaka.patrons.models import Patron

    def make(card="P0001", **fields):
        fields.setdefault("last_name", f"Patron {card}")
        fields.setdefault("category", patron_category)
        fields.setdefault("home_branch", branch)
        fields.setdefault("expires_on", timezone.localdate() + datetime.timedelta(days=365))
        return Patron.objects.create(card_number=card, **fields)

    return make


@pytest.fixture
def patron(make_patron, patron_user):
    """Patron P0001 (Siti Rahmawati), who logs in to the public catalogue as ``patron_user``."""
    return make_patron("P0001", first_name="Siti", last_name="Rahmawati", email="siti@example.org", user=patron_user)


@pytest.fixture
def record(db):
    from pustaka.catalog.models import Record

    return Record.objects.create(
        title="Pemrograman Python",
        subtitle="untuk pemula",
        contributors=[{"name": "Sutanto, Budi", "role": "author"}],
        publisher="Informatika",
        place="Bandung",
        year=2021,
        isbns=["9786020000005"],
        isbn="9786020000005",
        language="ind",
        subjects=["Python (Bahasa pemrograman)"],
        class_number="005.133",
        call_number="005.133 SUT p",
    )


@pytest.fixture
def make_item(db, branch, location, item_type, record):
    """``make_item("B000123", status="on_loan")`` creates an item directly (test set-up, not an action)."""
    from pustaka.holdings.models import Item

    def make(barcode="B000001", status="available", **fields):
        fields.setdefault("record", record)
        return Item.objects.create(
            barcode=barcode, branch=branch, location=location, item_type=item_type, status=status, **fields
        )

    return make


@pytest.fixture
def item(make_item):
    return make_item()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; PBKDF2's deliberate slowness is not what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Browser tests: Debian's Chromium through Playwright, never a downloaded browser. ----------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process."""
    import os

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """``new_page(locale="id-ID", width=375)`` opens a page in a fresh browser context."""
    contexts = []

    def make(locale="en-US", width=1280, height=900):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)  # generous: CI machines are busy
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def log_in_browser(live_server):
    """``log_in_browser(page, user)`` gives the browser page the session of ``user`` logged in."""
    from django.test import Client

    def log_in(page, user):
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )

    return log_in


@pytest.fixture
def page(new_page):
    """An English desktop page."""
    return new_page()


@pytest.fixture
def client():
    """Django's test client speaking English unless a test asks for another language.

    Pustaka's default language is Indonesian; tests that read page text assert the English source
    strings, and the tests about language choose theirs explicitly.
    """
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")
