"""Helpers of the generated refusal tests: "a refusal writes nothing", seen in the SQL a call sends."""

import re

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

#: Bookkeeping a refused request may touch without writing library data: a token's last use, the
#: session a login creates, login-limit counters.
NOT_LIBRARY_DATA = ("core_apitoken", "django_session", "axes_")
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.IGNORECASE)


class Undo(Exception):
    """Raised inside ``transaction.atomic()`` to roll back whatever a call did."""


def call_and_undo(call):
    """``(result, writes)``: what ``call()`` returned and the tables it wrote to (bookkeeping left out);
    whatever it wrote is rolled back, so the next call starts from the same data."""
    result = None
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            result = call()
            raise Undo
    except Undo:
        pass
    tables = [m.group(1) for q in queries.captured_queries if (m := WRITE.match(q["sql"]))]
    return result, sorted({t for t in tables if not t.startswith(NOT_LIBRARY_DATA)})
