"""Settings of the test suite (``pytest``): the production settings with what tests need changed.

- A private home folder per test process when ``PUSTAKA_HOME`` is not given: parallel runs never
  share files.
- ``testserver`` allowed (Django's test client).
- No persistent database connections: test threads (live servers, SIP2) must not keep databases open.
- One in-memory cache per process; the per-address login slow-down starts only where a test asks.
- Background jobs run at once, in the calling thread.

A test that starts a ``pustaka`` program as a user would removes ``DJANGO_SETTINGS_MODULE`` from its
environment, so the program runs with the production settings.
"""

import os
import tempfile

if "PUSTAKA_HOME" not in os.environ:
    os.environ["PUSTAKA_HOME"] = tempfile.mkdtemp(prefix="pustaka-test-")

from .settings import *  # noqa: E402,F403
from .settings import ALLOWED_HOSTS, DATABASES, HUEY  # noqa: E402

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
DATABASES["default"]["CONN_MAX_AGE"] = 0
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PUSTAKA_LOGIN_ADDRESS_FREE_FAILURES = int(os.environ.get("PUSTAKA_LOGIN_ADDRESS_FREE_FAILURES", "1000000"))
HUEY = {**HUEY, "immediate": True}
