"""The report summaries (:class:`~pustaka.reports.models.DailyLoanStat`,
:class:`~pustaka.reports.models.DailyVisitStat`): counted by the actions, rebuilt from the raw tables.

The lending, return and renewal actions (desk, API, SIP2 and the OPAC all call them) and the visit
actions call :func:`count_checkout`, :func:`count_return`, :func:`count_renewal` and
:func:`count_visits` inside their own transaction: one multi-row UPSERT each, so a rolled-back loan
is never counted and two desks never lose each other's count. :func:`rebuild` recounts everything
from the loans and the visitor book (after an import, or loans written by other means); it runs
through the ``reports.stats.rebuild`` action (``pustaka manage rebuild_report_stats``).

The summary covers today too: what the actions count is in it at once. Days are the library's local
days (``TIME_ZONE``), as the reports group them. A loan is counted under the patron's category, the
copy's type, class and language at the moment of the event; a rebuild counts history under today's
values (the raw reports always use today's).

:func:`loans_counted` and :func:`visits_counted` tell the reports whether the summary holds every
loan (visit): when rows were written behind the actions' back, the reports count the raw tables (slower,
the same figures) until the summary is rebuilt.
"""

import datetime
import re

from django.db import connection
from django.db.models import Max, Sum
from django.utils import timezone

from .models import DailyLoanStat, DailyVisitStat, SummarySpan

LOAN_TABLE = DailyLoanStat._meta.db_table
VISIT_TABLE = DailyVisitStat._meta.db_table
LOAN_KEY = ("span", "dimension", "day", "branch_id", "category_id", "item_type_id", "group_key")
LOAN_COUNTS = ("loans", "renewals", "late", "returns")
VISIT_KEY = ("dimension", "day", "branch_id", "group_key")
VISIT_COUNTS = ("entries", "people")
LOAN_DIMENSIONS = ("", "class", "language")
VISIT_DIMENSIONS = ("hour", "purpose", "category", "member_category")
CHUNK = 400  # rows per statement (SQLite allows 32,766 parameters)
_ZONE_NAME = re.compile(r"^[A-Za-z0-9_+\-/]+$")


def class_key(class_number: str, call_number: str) -> str:
    """The class group of a record: the first character of its class number, else of its call
    number (as the reports' ``class_key`` expression computes it in the database)."""
    return (class_number or call_number or "")[:1]


def _greatest() -> str:
    return "GREATEST" if connection.vendor == "postgresql" else "MAX"


def _upsert(table: str, key: tuple, counts: tuple, last: str, rows: dict) -> None:
    """Add ``rows`` ({key tuple: (count, ..., last id)}) to ``table``, one statement per chunk."""
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = (*key, *counts, last)
    sets = ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in counts)
    sets += f", {qn(last)} = {_greatest()}({table}.{qn(last)}, excluded.{qn(last)})"
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    items = list(rows.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            params = []
            for row_key, values in chunk:
                params.extend(_adapt(v) for v in row_key)
                params.extend(values)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES "
                f"{', '.join([marks] * len(chunk))} "
                f"ON CONFLICT ({', '.join(qn(c) for c in key)}) DO UPDATE SET {sets}",
                params,
            )


def _adapt(value):
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _add(rows: dict, key: tuple, values: tuple) -> None:
    """Merge ``values`` into ``rows[key]`` (a statement may not touch one row twice)."""
    if key in rows:
        old = rows[key]
        rows[key] = (*(a + b for a, b in zip(old[:-1], values[:-1], strict=True)), max(old[-1], values[-1]))
    else:
        rows[key] = values


def _loan_facts(loan_id: int) -> dict:
    from pustaka.circulation.models import Loan

    return (
        Loan.objects.filter(pk=loan_id)
        .values(
            "id",
            "checked_out_at",
            "due_at",
            "returned_at",
            "branch_id",
            "return_branch_id",
            "patron__category_id",
            "item__item_type_id",
            "item__record__class_number",
            "item__record__call_number",
            "item__record__language",
        )  # fmt: skip
        .get()
    )


def _loan_rows(rows: dict, facts: dict, when, branch_id: int, counts: tuple) -> None:
    day = timezone.localtime(when).date()
    keys = {
        "": "",
        "class": class_key(facts["item__record__class_number"], facts["item__record__call_number"]),
        "language": facts["item__record__language"] or "",
    }
    for span, start in ((SummarySpan.DAY, day), (SummarySpan.MONTH, day.replace(day=1))):
        for dimension in LOAN_DIMENSIONS:
            key = (span, dimension, start, branch_id, facts["patron__category_id"], facts["item__item_type_id"],
                   keys[dimension][:16])  # fmt: skip
            _add(rows, key, (*counts, facts["id"]))


def count_checkout(loan) -> None:
    """Count a new loan: one loan on the day and at the branch it was lent."""
    facts = _loan_facts(loan.pk)
    rows = {}
    _loan_rows(rows, facts, facts["checked_out_at"], facts["branch_id"], (1, 0, 0, 0))
    _upsert(LOAN_TABLE, LOAN_KEY, LOAN_COUNTS, "last_loan", rows)


def count_renewal(loan) -> None:
    """Count a renewal, under the day and branch the loan was lent (as the reports count renewals)."""
    facts = _loan_facts(loan.pk)
    rows = {}
    _loan_rows(rows, facts, facts["checked_out_at"], facts["branch_id"], (0, 1, 0, 0))
    _upsert(LOAN_TABLE, LOAN_KEY, LOAN_COUNTS, "last_loan", rows)


def count_return(loan) -> None:
    """Count a return on the day and at the branch it came back; a late one (after the due date)
    also under the day and branch it was lent."""
    facts = _loan_facts(loan.pk)
    rows = {}
    back_at = facts["return_branch_id"] or facts["branch_id"]
    _loan_rows(rows, facts, facts["returned_at"], back_at, (0, 0, 0, 1))
    if facts["returned_at"] > facts["due_at"]:
        _loan_rows(rows, facts, facts["checked_out_at"], facts["branch_id"], (0, 0, 1, 0))
    _upsert(LOAN_TABLE, LOAN_KEY, LOAN_COUNTS, "last_loan", rows)


def count_visits(visits) -> None:
    """Count saved visits (one, or a batch) in the visitor summary."""
    rows = {}
    for visit in visits:
        local = timezone.localtime(visit.visited_at)
        keys = {
            "hour": f"{local.hour:02d}",
            "purpose": str(visit.purpose_id),
            "category": visit.category,
        }
        if visit.category == "member":
            keys["member_category"] = str(visit.patron_category_id or "")
        for dimension, group in keys.items():
            _add(rows, (dimension, local.date(), visit.branch_id, group[:32]), (1, visit.count, visit.pk or 0))
    _upsert(VISIT_TABLE, VISIT_KEY, VISIT_COUNTS, "last_visit", rows)


# --- are the summaries complete? ------------------------------------------------------------------


def loans_counted() -> bool:
    """True when the loan summary holds every loan (the same number of loans, up to the newest)."""
    from pustaka.circulation.models import Loan

    newest = Loan.objects.aggregate(n=Max("id"))["n"] or 0
    summary = DailyLoanStat.objects.filter(span=SummarySpan.MONTH, dimension="")
    if (DailyLoanStat.objects.aggregate(n=Max("last_loan"))["n"] or 0) != newest:
        return False
    return (summary.aggregate(n=Sum("loans"))["n"] or 0) == Loan.objects.order_by().count()


def visits_counted() -> bool:
    """True when the visitor summary holds every visit."""
    from pustaka.visitors.models import Visit

    newest = Visit.objects.aggregate(n=Max("id"))["n"] or 0
    if (DailyVisitStat.objects.aggregate(n=Max("last_visit"))["n"] or 0) != newest:
        return False
    counted = DailyVisitStat.objects.filter(dimension="category").aggregate(n=Sum("entries"))["n"] or 0
    return counted == Visit.objects.order_by().count()


# --- rebuilding from the raw tables ---------------------------------------------------------------


def _local(column: str, grain: str) -> str:
    """SQL for the local day (or the first day of the month, or the two-digit hour) of ``column``."""
    if connection.vendor == "postgresql":
        zone = timezone.get_current_timezone_name()
        if not _ZONE_NAME.match(zone):
            raise ValueError(f"Unexpected time zone name {zone!r}")
        local = f"({column} AT TIME ZONE '{zone}')"
        return {
            "day": f"CAST({local} AS date)",
            "month": f"CAST(date_trunc('month', {local}) AS date)",
            "hour": f"to_char({local}, 'HH24')",
        }[grain]
    minutes = int(timezone.localtime().utcoffset().total_seconds() // 60)
    shift = f"'{minutes:+d} minutes'"
    return {
        "day": f"date({column}, {shift})",
        "month": f"date({column}, {shift}, 'start of month')",
        "hour": f"strftime('%H', {column}, {shift})",
    }[grain]


def rebuild() -> dict:
    """Recount both summaries from the loans and the visitor book; returns how many rows each has."""
    _rebuild_loans()
    visits = _rebuild_visits()
    return {"loan_rows": DailyLoanStat.objects.count(), "visit_rows": visits}


def _rebuild_loans() -> None:
    from pustaka.catalog.models import Record
    from pustaka.circulation.models import Loan
    from pustaka.holdings.models import Item
    from pustaka.patrons.models import Patron

    facts = "reports_loan_facts"
    loan, item, patron, record = (m._meta.db_table for m in (Loan, Item, Patron, Record))
    columns = ", ".join(LOAN_KEY + LOAN_COUNTS + ("last_loan",))
    conflict = ", ".join(LOAN_KEY)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LOAN_TABLE}")
        cursor.execute(f"DROP TABLE IF EXISTS {facts}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {facts} AS SELECT l.id AS id, "
            f"{_local('l.checked_out_at', 'day')} AS out_day, {_local('l.checked_out_at', 'month')} AS out_month, "
            f"{_local('l.returned_at', 'day')} AS back_day, {_local('l.returned_at', 'month')} AS back_month, "
            "l.branch_id AS branch_id, COALESCE(l.return_branch_id, l.branch_id) AS back_branch_id, "
            "p.category_id AS category_id, i.item_type_id AS item_type_id, "
            "SUBSTR(COALESCE(NULLIF(r.class_number, ''), r.call_number, ''), 1, 1) AS class_key, "
            "COALESCE(r.language, '') AS language, l.renewals AS renewals, "
            "CASE WHEN l.returned_at > l.due_at THEN 1 ELSE 0 END AS late "
            f"FROM {loan} l JOIN {patron} p ON p.id = l.patron_id JOIN {item} i ON i.id = l.item_id "
            f"JOIN {record} r ON r.id = i.record_id"
        )
        for span in (SummarySpan.DAY, SummarySpan.MONTH):
            lent, back = ("out_day", "back_day") if span == SummarySpan.DAY else ("out_month", "back_month")
            for dimension, group in (("", "''"), ("class", "class_key"), ("language", "language")):
                by_group = f", {group}" if dimension else ""  # PostgreSQL refuses a constant in GROUP BY
                cursor.execute(
                    f"INSERT INTO {LOAN_TABLE} ({columns}) SELECT '{span}', '{dimension}', {lent}, branch_id, "
                    f"category_id, item_type_id, {group}, COUNT(*), SUM(renewals), SUM(late), 0, MAX(id) "
                    f"FROM {facts} GROUP BY {lent}, branch_id, category_id, item_type_id{by_group}"
                )
                cursor.execute(
                    f"INSERT INTO {LOAN_TABLE} ({columns}) SELECT '{span}', '{dimension}', {back}, back_branch_id, "
                    f"category_id, item_type_id, {group}, 0, 0, 0, COUNT(*), MAX(id) FROM {facts} "
                    f"WHERE {back} IS NOT NULL GROUP BY {back}, back_branch_id, category_id, item_type_id{by_group} "
                    f"ON CONFLICT ({conflict}) DO UPDATE SET returns = excluded.returns, "
                    f"last_loan = {_greatest()}({LOAN_TABLE}.last_loan, excluded.last_loan)"
                )
        cursor.execute(f"DROP TABLE {facts}")


def _rebuild_visits() -> int:
    from pustaka.visitors.models import Visit

    visit = Visit._meta.db_table
    columns = ", ".join(VISIT_KEY + VISIT_COUNTS + ("last_visit",))
    day = _local("visited_at", "day")
    groups = {
        "hour": _local("visited_at", "hour"),
        "purpose": "CAST(purpose_id AS TEXT)",
        "category": "category",
        "member_category": "COALESCE(CAST(patron_category_id AS TEXT), '')",
    }
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {VISIT_TABLE}")
        for dimension, group in groups.items():
            where = "WHERE category = 'member'" if dimension == "member_category" else ""
            cursor.execute(
                f"INSERT INTO {VISIT_TABLE} ({columns}) SELECT '{dimension}', {day}, branch_id, {group}, "
                f'COUNT(*), SUM("count"), MAX(id) FROM {visit}'
                f" {where} GROUP BY {day}, branch_id, {group}"
            )
    return DailyVisitStat.objects.count()
