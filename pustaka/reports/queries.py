"""Every report's figures, computed by database aggregation (``values().annotate()`` grouped by a
period key or a dimension); Python only merges the few grouped rows and names them.

Each function takes :class:`Filters` and returns a :class:`~pustaka.reports.tables.Table`. The page,
the API and the exports call the same functions. What each figure counts:

- loans: loans lent in the period (``checked_out_at``); renewals and overdue: those of the loans
  lent in the period (overdue: returned late, or still out past the due date); returns: loans
  returned in the period (at the branch filtered, when one is); holds: holds placed in the period.
- the collection: copies that are not withdrawn, for sale, sold or discarded; titles are the
  distinct records of those copies; additions: copies acquired in the period (their acquisition
  date, else the day they were entered); withdrawals: copies withdrawn in the period (audit trail).
- members: registered and active patrons at the end of the period, new (registered in it),
  expired (membership ended in it), borrowers (lent at least once in it).

Loans, renewals, returns and overdue loans, and the visitor book's figures, are read from the daily
summaries (:mod:`pustaka.reports.stats`) when they hold every loan and visit: whole months from the
month rows, the days at either end from the day rows; the loans still out past their due date come
live from the open loans. Distinct counts (borrowers, titles lent) cannot be added up from
summaries: they are counted from the loans. When the summaries miss rows (written behind the
actions' back, until ``rebuild_report_stats``), every figure is counted from the raw tables.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import CharField, Count, F, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, NullIf, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pustaka.catalog.choices import MaterialType
from pustaka.catalog.models import Record
from pustaka.circulation.models import Hold, Loan
from pustaka.core.models import AuditEvent, Branch
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item, ItemType
from pustaka.patrons.models import Patron, PatronCategory

from . import stats
from .models import DailyLoanStat, DailyVisitStat, SummarySpan
from .periods import Period, PeriodKey, label
from .tables import Chart, Column, Table, with_totals

#: Copies that have left the collection.
GONE = (ItemStatus.WITHDRAWN, ItemStatus.FOR_SALE, ItemStatus.SOLD, ItemStatus.DISCARDED)
WITHDRAW_VERB = "holdings.item.withdraw"
PAGE_ROWS = 500  # list reports show this many rows on the page; the exports carry all of them

DDC_CLASSES = {
    "0": gettext_lazy("Computer science, information and general works"),
    "1": gettext_lazy("Philosophy and psychology"),
    "2": gettext_lazy("Religion"),
    "3": gettext_lazy("Social sciences"),
    "4": gettext_lazy("Language"),
    "5": gettext_lazy("Science"),
    "6": gettext_lazy("Technology"),
    "7": gettext_lazy("Arts and recreation"),
    "8": gettext_lazy("Literature"),
    "9": gettext_lazy("History and geography"),
}
OTHER_CLASS = "other"


@dataclass
class Filters:
    """What a report is asked for: the period and the optional branch, patron category, item type,
    the dimension to break figures down by (``by``) and how many rows a ranking shows (``limit``)."""

    period: Period
    branch: Branch | None = None
    category: PatronCategory | None = None
    item_type: ItemType | None = None
    by: str = ""
    limit: int = 50
    full: bool = False  # exports: every row of a list report, not only the first PAGE_ROWS
    extra: dict = field(default_factory=dict)


# --- dimensions -----------------------------------------------------------------------------------


def class_key(prefix: str = ""):
    """The first digit of the DDC class number (else of the call number): '8' for 899.221."""
    source = Coalesce(NullIf(F(prefix + "class_number"), Value("")), F(prefix + "call_number"), Value(""))
    return Substr(source, 1, 1, output_field=CharField())


def class_name(key) -> str:
    """'8' → '800 Literature'; anything that is not a DDC digit → 'Other or unclassified'."""
    if key in DDC_CLASSES:
        return f"{key}00 {DDC_CLASSES[key]}"
    return _("Other or unclassified")


def _names(model, ids) -> dict:
    return {pk: str(obj) for pk, obj in model.objects.in_bulk([i for i in ids if i is not None]).items()}


def _language_name(code: str) -> str:
    from django.conf.locale import LANG_INFO

    two = {"ind": "id", "eng": "en", "jav": "jv", "sun": "su", "msa": "ms", "may": "ms", "ara": "ar", "chi": "zh",
           "zho": "zh", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "jpn": "ja", "dut": "nl", "nld": "nl",
           "spa": "es", "rus": "ru", "ita": "it", "por": "pt", "kor": "ko", "lat": "la"}.get(code, code)  # fmt: skip
    info = LANG_INFO.get(two)
    if info:
        return f"{_(info['name'])} ({code})"
    return code or _("Not recorded")


#: For each dimension: the grouping expression on loans and on items, and how a key is named.
LOAN_DIMENSIONS = {
    "branch": F("branch_id"),
    "category": F("patron__category_id"),
    "item_type": F("item__item_type_id"),
    "class": "class",
    "language": F("item__record__language"),
}
ITEM_DIMENSIONS = {
    "class": "class",
    "item_type": F("item_type_id"),
    "language": F("record__language"),
    "branch": F("branch_id"),
    "material_type": F("record__material_type"),
    "year": "year",
}
DIMENSION_LABELS = {
    "branch": gettext_lazy("Branch"),
    "category": gettext_lazy("Patron category"),
    "item_type": gettext_lazy("Item type"),
    "class": gettext_lazy("Class (DDC hundreds)"),
    "language": gettext_lazy("Language"),
    "material_type": gettext_lazy("Material type"),
    "year": gettext_lazy("Year acquired"),
    "day": gettext_lazy("Day"),
    "hour": gettext_lazy("Hour"),
    "purpose": gettext_lazy("Purpose"),
}


def _dimension_expr(by: str, table: dict, prefix: str):
    expr = table[by]
    if expr == "class":
        return class_key(prefix)
    if expr == "year":
        return Coalesce(PeriodKey("acquired_on", "year", is_date=True), PeriodKey("created_at", "year"))
    return expr


def _name_keys(by: str, keys) -> dict:
    """Each key of dimension ``by`` in words, looked up in one query for the related tables."""
    keys = list(keys)
    if by == "branch":
        return _names(Branch, keys)
    if by == "category":
        return _names(PatronCategory, keys)
    if by == "item_type":
        return _names(ItemType, keys)
    if by == "class":
        return {k: class_name(k) for k in keys}
    if by == "language":
        return {k: _language_name(k) for k in keys}
    if by == "material_type":
        return {k: str(MaterialType(k).label) if k in MaterialType.values else k for k in keys}
    return {k: (k or _("Not recorded")) for k in keys}


def _merge_classes(rows: list[dict], by: str, sums: tuple[str, ...]) -> list[dict]:
    """For the class dimension: every key that is not a DDC digit becomes one 'other' row."""
    if by != "class":
        return rows
    merged: dict[str, dict] = {}
    for row in rows:
        key = row["key"] if row["key"] in DDC_CLASSES else OTHER_CLASS
        into = merged.setdefault(key, {"key": key, **{s: 0 for s in sums}})
        for s in sums:
            into[s] += row[s] or 0
    return sorted(merged.values(), key=lambda r: (r["key"] == OTHER_CLASS, r["key"]))


# --- circulation ----------------------------------------------------------------------------------


def _loans(f: Filters, *, branch_field: str = "branch"):
    loans = Loan.objects.order_by()
    if f.branch:
        loans = loans.filter(**{branch_field: f.branch})
    if f.category:
        loans = loans.filter(patron__category=f.category)
    if f.item_type:
        loans = loans.filter(item__item_type=f.item_type)
    return loans


def _in(period: Period, column: str) -> Q:
    return Q(**{f"{column}__gte": period.since, f"{column}__lt": period.until})


def _by_period(queryset, column: str, grain: str, **aggregates) -> dict:
    rows = queryset.values(key=PeriodKey(column, grain)).annotate(**aggregates).order_by()
    return {row["key"]: row for row in rows}


def _whole_months(period: Period) -> tuple[list[datetime.date], list[tuple[datetime.date, datetime.date]]]:
    """The first days of the calendar months wholly inside ``period``, and the ranges of days left over
    (at most one at either end)."""
    months, ranges = [], []
    first = period.start.replace(day=1)
    while first <= period.end:
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        last = following - datetime.timedelta(days=1)
        if first >= period.start and last <= period.end:
            months.append(first)
        else:
            ranges.append((max(first, period.start), min(last, period.end)))
        first = following
    return months, ranges


def _loan_summary(f: Filters, dimension: str = "", *, days: bool = False):
    """The loan summary rows that cover ``f.period`` exactly (``days``: the day rows only)."""
    p = f.period
    rows = DailyLoanStat.objects.order_by().filter(dimension=dimension)
    if f.branch:
        rows = rows.filter(branch=f.branch)
    if f.category:
        rows = rows.filter(category=f.category)
    if f.item_type:
        rows = rows.filter(item_type=f.item_type)
    if days:
        return rows.filter(span=SummarySpan.DAY, day__gte=p.start, day__lte=p.end)
    months, ranges = _whole_months(p)
    covered = Q(span=SummarySpan.MONTH, day__in=months) if months else Q(pk__in=[])
    for first, last in ranges:
        covered |= Q(span=SummarySpan.DAY, day__gte=first, day__lte=last)
    return rows.filter(covered)


def _still_out_late(f: Filters, grain: str, now) -> dict:
    """Loans lent in the period still out past their due date, per period key (the open loans' index)."""
    still_out = _loans(f).filter(_in(f.period, "checked_out_at"), returned_at__isnull=True, due_at__lt=now)
    return {k: row["n"] for k, row in _by_period(still_out, "checked_out_at", grain, n=Count("id")).items()}


def circulation(f: Filters) -> Table:
    """Loans, renewals, returns, holds placed and overdue loans per day, month or year."""
    p, now = f.period, timezone.now()
    if stats.loans_counted():
        summary = _loan_summary(f, days=p.grain == "day")
        counted = {
            row["key"]: row
            for row in summary.values(key=PeriodKey("day", p.grain, is_date=True))
            .annotate(n_loans=Sum("loans"), n_renewals=Sum("renewals"), n_late=Sum("late"), n_returns=Sum("returns"))
            .order_by()
        }
        still_out = _still_out_late(f, p.grain, now)
        lent = {
            key: {
                "loans": row["n_loans"],
                "renewals": row["n_renewals"],
                "overdue": row["n_late"] + still_out.get(key, 0),
            }
            for key, row in counted.items()
        }
        returned = {key: {"n": row["n_returns"]} for key, row in counted.items()}
    else:
        late = Q(returned_at__isnull=True, due_at__lt=now) | Q(returned_at__gt=F("due_at"))
        # One pass over the lending index (loan_lent_report_idx) gives loans, renewals and overdue loans.
        lent = _by_period(
            _loans(f).filter(_in(p, "checked_out_at")),
            "checked_out_at",
            p.grain,
            loans=Count("id"),
            renewals=Sum("renewals"),
            overdue=Count("id", filter=late),
        )
        returned = _by_period(
            _loans(f, branch_field="return_branch").filter(_in(p, "returned_at")),
            "returned_at",
            p.grain,
            n=Count("id"),
        )
    holds = Hold.objects.order_by().filter(_in(p, "placed_at"))
    if f.branch:
        holds = holds.filter(pickup_branch=f.branch)
    if f.category:
        holds = holds.filter(patron__category=f.category)
    placed = _by_period(holds, "placed_at", p.grain, n=Count("id"))
    rows = []
    for key in p.periods():
        rows.append({
            "period": label(key, p.grain),
            "key": key,
            "loans": lent.get(key, {}).get("loans", 0),
            "renewals": lent.get(key, {}).get("renewals") or 0,
            "returns": returned.get(key, {}).get("n", 0),
            "holds": placed.get(key, {}).get("n", 0),
            "overdue": lent.get(key, {}).get("overdue", 0),
        })  # fmt: skip
    columns = [
        Column("period", _("Period"), "text"),
        Column("loans", _("Loans")),
        Column("renewals", _("Renewals")),
        Column("returns", _("Returns")),
        Column("holds", _("Holds placed")),
        Column("overdue", _("Overdue")),
    ]
    notes = [
        _(
            "Renewals and overdue loans are those of the loans lent in each period "
            "(overdue: returned late, or still out past the due date)."
        )
    ]
    if f.item_type:
        notes.append(_("Holds are placed on titles, not item types: the item type does not filter them."))
    return Table(
        columns,
        rows,
        totals=with_totals(columns, rows, "period", _("Total")),
        chart=Chart("period", ("loans", "returns"), _("Loans and returns")),
        notes=notes,
    )


def loans_by(f: Filters) -> Table:
    """Loans in the period broken down by branch, patron category, item type, class or language."""
    by = f.by if f.by in LOAN_DIMENSIONS else "branch"
    # Distinct borrowers and titles cannot be added up from the summaries: one pass over the loans
    # of the period counts them with the loans and renewals.
    grouped = (
        _loans(f)
        .filter(_in(f.period, "checked_out_at"))
        .values(key=_dimension_expr(by, LOAN_DIMENSIONS, "item__record__"))
        .annotate(
            loans=Count("id"),
            renewals=Sum("renewals"),
            borrowers=Count("patron_id", distinct=True),
            titles=Count("item__record_id", distinct=True),
        )
        .order_by()
    )
    rows = list(grouped)
    if by == "class":  # distinct borrowers and titles do not add up across merged keys: keep loans and renewals
        rows = _merge_classes(rows, by, ("loans", "renewals", "borrowers", "titles"))
    names = _name_keys(by, [r["key"] for r in rows])
    total = sum(r["loans"] for r in rows) or 1
    for row in rows:
        row["group"] = names.get(row["key"], row["key"])
        row["renewals"] = row["renewals"] or 0
        row["share"] = round(100 * row["loans"] / total, 1)
    if by != "class":
        rows.sort(key=lambda r: (-r["loans"], str(r["group"])))
    columns = [
        Column("group", DIMENSION_LABELS[by], "text"),
        Column("loans", _("Loans")),
        Column("renewals", _("Renewals")),
        Column("borrowers", _("Borrowers")),
        Column("titles", _("Titles lent")),
        Column("share", _("Share of loans (%)"), "percent"),
    ]
    totals = {"group": _("Total"), "loans": sum(r["loans"] for r in rows), "renewals": sum(r["renewals"] for r in rows)}
    return Table(columns, rows, totals=totals, chart=Chart("group", ("loans",), _("Loans")))


def top_titles(f: Filters) -> Table:
    """The titles lent most often in the period (all their copies together)."""
    grouped = list(
        _loans(f)
        .filter(_in(f.period, "checked_out_at"))
        .values("item__record_id")
        .annotate(loans=Count("id"), borrowers=Count("patron_id", distinct=True))
        .order_by("-loans", "item__record_id")[: max(1, min(f.limit, 1000))]
    )
    records = Record.objects.only("title", "subtitle", "contributors", "call_number", "year").in_bulk(
        [r["item__record_id"] for r in grouped]
    )
    rows = []
    for rank, row in enumerate(grouped, start=1):
        record = records[row["item__record_id"]]
        rows.append({
            "rank": rank, "title": record.full_title, "author": record.main_contributor,
            "call_number": record.call_number, "year": record.year or "", "loans": row["loans"],
            "borrowers": row["borrowers"], "record_id": record.pk,
        })  # fmt: skip
    columns = [
        Column("rank", _("Rank")),
        Column("title", _("Title"), "text"),
        Column("author", _("Author"), "text"),
        Column("call_number", _("Call number"), "text"),
        Column("loans", _("Loans")),
        Column("borrowers", _("Borrowers")),
    ]
    return Table(columns, rows)


def overdue(f: Filters) -> Table:
    """Loans still out past their due date, oldest first, with the patron's contact for a reminder call."""
    now = timezone.now()
    today = timezone.localdate()
    loans = _loans(f).filter(returned_at__isnull=True, due_at__lt=now)
    total = loans.count()
    listed = loans.select_related("item__record", "patron__category", "branch").order_by("due_at", "id")
    if not f.full:
        listed = listed[:PAGE_ROWS]
    rows = []
    for loan in listed:
        due = timezone.localtime(loan.due_at).date()
        rows.append({
            "due": due, "days": (today - due).days, "patron": loan.patron.full_name,
            "card": loan.patron.card_number, "phone": loan.patron.phone, "email": loan.patron.email,
            "barcode": loan.item.barcode, "title": loan.item.record.title, "branch": loan.branch.code,
        })  # fmt: skip
    columns = [
        Column("due", _("Due"), "date"),
        Column("days", _("Days overdue")),
        Column("patron", _("Patron"), "text"),
        Column("card", _("Card number"), "text"),
        Column("phone", _("Phone"), "text"),
        Column("email", _("Email"), "text"),
        Column("barcode", _("Barcode"), "text"),
        Column("title", _("Title"), "text"),
        Column("branch", _("Branch"), "text"),
    ]
    return Table(columns, rows, total_rows=total)


# --- the collection -------------------------------------------------------------------------------


def _items(f: Filters, *, current: bool = True):
    items = Item.objects.order_by()
    if current:
        items = items.exclude(status__in=GONE)
    if f.branch:
        items = items.filter(branch=f.branch)
    if f.item_type:
        items = items.filter(item_type=f.item_type)
    return items


def collection(f: Filters) -> Table:
    """Titles and copies in the collection today, by class, item type, language, branch, material
    type or year acquired."""
    by = f.by if f.by in ITEM_DIMENSIONS else "class"
    rows = list(
        _items(f)
        .values(key=_dimension_expr(by, ITEM_DIMENSIONS, "record__"))
        .annotate(titles=Count("record_id", distinct=True), copies=Count("id"))
        .order_by()
    )
    rows = _merge_classes(rows, by, ("titles", "copies"))
    names = _name_keys(by, [r["key"] for r in rows])
    for row in rows:
        row["group"] = names.get(row["key"], row["key"])
    if by in ("year",):
        rows.sort(key=lambda r: str(r["key"]))
    elif by != "class":
        rows.sort(key=lambda r: (-r["copies"], str(r["group"])))
    columns = [
        Column("group", DIMENSION_LABELS[by], "text"),
        Column("titles", _("Titles")),
        Column("copies", _("Copies")),
    ]
    totals = {
        "group": _("Total"),
        "titles": _items(f).aggregate(n=Count("record_id", distinct=True))["n"],
        "copies": sum(r["copies"] for r in rows),
    }
    notes = [_("The collection today: copies withdrawn, for sale, sold or discarded are not counted.")]
    return Table(columns, rows, totals=totals, chart=Chart("group", ("copies",), _("Copies")), notes=notes)


def _added(f: Filters):
    p = f.period
    return _items(f, current=False).filter(
        Q(acquired_on__gte=p.start, acquired_on__lte=p.end) | (Q(acquired_on__isnull=True) & _in(p, "created_at"))
    )


def _withdrawn(f: Filters):
    events = AuditEvent.objects.order_by().filter(verb=WITHDRAW_VERB).filter(_in(f.period, "occurred_at"))
    if f.branch or f.item_type:
        ids = _items(f, current=False).values(text=Cast("pk", CharField()))
        events = events.filter(object_id__in=ids)
    return events


def collection_changes(f: Filters) -> Table:
    """Copies added (acquired) and withdrawn per day, month or year."""
    p = f.period
    added = {
        row["key"]: row["n"]
        for row in _added(f)
        .values(key=Coalesce(PeriodKey("acquired_on", p.grain, is_date=True), PeriodKey("created_at", p.grain)))
        .annotate(n=Count("id"))
        .order_by()
    }
    withdrawn = {
        row["key"]: row["n"] for row in _by_period(_withdrawn(f), "occurred_at", p.grain, n=Count("id")).values()
    }
    rows = [
        {"period": label(k, p.grain), "key": k, "added": added.get(k, 0), "withdrawn": withdrawn.get(k, 0)}
        for k in p.periods()
    ]
    for row in rows:
        row["net"] = row["added"] - row["withdrawn"]
    columns = [
        Column("period", _("Period"), "text"),
        Column("added", _("Copies added")),
        Column("withdrawn", _("Copies withdrawn")),
        Column("net", _("Net change")),
    ]
    return Table(
        columns,
        rows,
        totals=with_totals(columns, rows, "period", _("Total")),
        chart=Chart("period", ("added", "withdrawn"), _("Copies added and withdrawn")),
    )


def never_borrowed(f: Filters) -> Table:
    """Copies in the collection that were never lent, acquired on or before the end of the period
    (weeding candidates), oldest first."""
    p = f.period
    items = (
        _items(f)
        .filter(loan_count=0)
        .filter(Q(acquired_on__lte=p.end) | Q(acquired_on__isnull=True, created_at__lt=p.until))
    )
    total = items.count()
    listed = items.select_related("record", "branch", "item_type").order_by("acquired_on", "barcode")
    if not f.full:
        listed = listed[:PAGE_ROWS]
    rows = [
        {
            "barcode": i.barcode, "title": i.record.title, "call_number": i.effective_call_number,
            "branch": i.branch.code, "item_type": i.item_type.name,
            "acquired": i.acquired_on or timezone.localtime(i.created_at).date(),
            "status": str(ItemStatus(i.status).label),
        }
        for i in listed
    ]  # fmt: skip
    columns = [
        Column("barcode", _("Barcode"), "text"),
        Column("title", _("Title"), "text"),
        Column("call_number", _("Call number"), "text"),
        Column("branch", _("Branch"), "text"),
        Column("item_type", _("Item type"), "text"),
        Column("acquired", _("Acquired"), "date"),
        Column("status", _("Status"), "text"),
    ]
    return Table(columns, rows, total_rows=total)


# --- members and visits ---------------------------------------------------------------------------


def visit_model():
    """The visitor book's ``Visit`` model, or None while the visitors app has none."""
    try:
        return apps.get_model("visitors", "Visit")
    except LookupError:
        return None


def members(f: Filters) -> Table:
    """Members per patron category: registered and active at the end of the period, new, expired,
    borrowers, and member visits when the visitor book counts them."""
    p = f.period
    patrons = Patron.objects.order_by()
    if f.branch:
        patrons = patrons.filter(home_branch=f.branch)
    registered = Q(created_at__lt=p.until, is_active=True)
    grouped = {
        row["category_id"]: row
        for row in patrons.values("category_id").annotate(
            members=Count("id", filter=registered),
            active=Count("id", filter=registered & Q(expires_on__gte=p.end)),
            new=Count("id", filter=Q(**{"created_at__gte": p.since, "created_at__lt": p.until})),
            expired=Count("id", filter=Q(expires_on__gte=p.start, expires_on__lte=p.end)),
        )
    }
    # The patrons who borrowed in the period (each once: a semi-join on the lending index), per category.
    lent_to = _loans(f).filter(_in(p, "checked_out_at")).values("patron_id")
    borrowers = {
        row["category_id"]: row["n"]
        for row in Patron.objects.order_by().filter(pk__in=lent_to).values("category_id").annotate(n=Count("id"))
    }
    visits = {}
    Visit = visit_model()
    if Visit is not None and stats.visits_counted():
        visits = {
            (int(row["group_key"]) if row["group_key"] else None): row["n"]
            for row in _visit_summary(f, "member_category").values("group_key").annotate(n=Sum("people")).order_by()
        }
    elif Visit is not None:
        visits = {
            row["key"]: row["n"]
            for row in _visits(f)
            .filter(category="member")
            .values(key=F("patron_category_id"))
            .annotate(n=Sum("count"))
            .order_by()
        }
    rows = []
    for category in PatronCategory.objects.order_by("name"):
        g = grouped.get(category.pk, {})
        rows.append({
            "category": category.name, "members": g.get("members", 0), "active": g.get("active", 0),
            "new": g.get("new", 0), "expired": g.get("expired", 0), "borrowers": borrowers.get(category.pk, 0),
            "visits": visits.get(category.pk, 0),
        })  # fmt: skip
    columns = [
        Column("category", _("Patron category"), "text"),
        Column("members", _("Members")),
        Column("active", _("Active members")),
        Column("new", _("New members")),
        Column("expired", _("Memberships ended")),
        Column("borrowers", _("Borrowers")),
    ]
    if Visit is not None:
        columns.append(Column("visits", _("Member visits")))
    notes = [
        _(
            "Members and active members are counted on the last day of the period; "
            "active members' cards have not expired."
        )
    ]
    return Table(
        columns,
        rows,
        totals=with_totals(columns, rows, "category", _("Total")),
        chart=Chart("category", ("active", "new"), _("Active and new members")),
        notes=notes,
    )


def _visits(f: Filters):
    Visit = visit_model()
    visits = Visit.objects.order_by().filter(_in(f.period, "visited_at"))
    if f.branch:
        visits = visits.filter(branch=f.branch)
    return visits


VISIT_DIMENSIONS = ("day", "hour", "branch", "purpose", "category")


def _visit_summary(f: Filters, dimension: str):
    rows = DailyVisitStat.objects.order_by().filter(dimension=dimension, day__gte=f.period.start, day__lte=f.period.end)
    if f.branch:
        rows = rows.filter(branch=f.branch)
    return rows


def _visits_grouped(f: Filters, by: str, grain: str) -> list[dict]:
    """Visits (``visits``: entries, ``people``) per ``key`` of dimension ``by`` (``day`` by ``grain``)."""
    if stats.visits_counted():
        dimension, key = {
            "day": ("category", PeriodKey("day", grain, is_date=True)),
            "hour": ("hour", F("group_key")),
            "branch": ("category", F("branch_id")),
            "purpose": ("purpose", F("group_key")),
            "category": ("category", F("group_key")),
        }[by]
        summary = _visit_summary(f, dimension).values(key=key)
        rows = [
            {"key": row["key"], "people": row["n_people"], "visits": row["n_entries"]}
            for row in summary.annotate(n_people=Sum("people"), n_entries=Sum("entries")).order_by()
        ]
        if by == "purpose":
            for row in rows:
                row["key"] = int(row["key"])
        return rows
    visits = _visits(f)
    if by in ("day", "hour"):
        column_grain = grain if by == "day" else "hour"
        grouped = _by_period(visits, "visited_at", column_grain, people=Sum("count"), visits=Count("id"))
        return list(grouped.values())
    field_name = {"branch": "branch_id", "purpose": "purpose", "category": "category"}[by]
    return list(visits.values(key=F(field_name)).annotate(people=Sum("count"), visits=Count("id")).order_by())


def visits(f: Filters) -> Table:
    """Visitors (a group counts as its size) per day, hour, branch, purpose or visitor category."""
    by = f.by if f.by in VISIT_DIMENSIONS else "day"
    Visit = visit_model()
    if Visit is None:
        return Table([Column("group", _("Visits"), "text")], [], notes=[_("The visitor book is not installed.")])
    if by in ("day", "hour"):
        grain = by
        if by == "day" and (f.period.end - f.period.start).days > 366:
            grain = "month"  # more than a year of days is shown by month
        grouped = {row["key"]: row for row in _visits_grouped(f, by, grain)}
        keys = Period(f.period.start, f.period.end, grain).periods() if by == "day" else [f"{h:02d}" for h in range(24)]
        rows = [
            {"group": label(k, grain) if by == "day" else f"{k}:00", "key": k,
             "visits": grouped.get(k, {}).get("visits", 0), "people": grouped.get(k, {}).get("people") or 0}
            for k in keys
        ]  # fmt: skip
        if by == "hour":
            rows = [r for r in rows if r["people"]] or rows[8:17]
    else:
        grouped_rows = _visits_grouped(f, by, "day")
        names = _visit_names(by, [r["key"] for r in grouped_rows])
        rows = [
            {"group": names.get(r["key"], r["key"]), "key": r["key"], "visits": r["visits"], "people": r["people"] or 0}
            for r in grouped_rows
        ]
        rows.sort(key=lambda r: (-r["people"], str(r["group"])))
    columns = [
        Column(
            "group",
            DIMENSION_LABELS.get(by, _("Visitor category")) if by != "category" else _("Visitor category"),
            "text",
        ),
        Column("visits", _("Entries")),
        Column("people", _("Visitors")),
    ]
    return Table(
        columns,
        rows,
        totals=with_totals(columns, rows, "group", _("Total")),
        chart=Chart("group", ("people",), _("Visitors")),
        notes=[_("An entry is one line of the visitor book; a group counts as the number of people in it.")],
    )


def _visit_names(by: str, keys) -> dict:
    if by == "branch":
        return _names(Branch, keys)
    if by == "category":
        try:
            from pustaka.visitors.choices import VisitorCategory

            return {k: str(VisitorCategory(k).label) if k in VisitorCategory.values else k for k in keys}
        except ImportError:
            return {k: k for k in keys}
    if by == "purpose":
        Visit = visit_model()
        related = Visit._meta.get_field("purpose")
        if related.is_relation:
            return _names(related.related_model, keys)
    return {k: k for k in keys}


# --- digital --------------------------------------------------------------------------------------


def digital(f: Filters) -> Table:
    """The digital library's use per month (the figures of the usage statistics page)."""
    from pustaka.digital import queries_usage as usage

    first, last = usage.month_start(f.period.start), usage.month_start(f.period.end)
    months = usage.months_between(first, last)
    totals = usage.monthly_totals(usage.usage(first=first, last=last), months)
    rows = [
        {"period": label(m.month.strftime("%Y-%m"), "month"), "views": m.views, "downloads": m.downloads,
         "links": m.links, "unique": m.unique, "refused": m.refused}
        for m in totals
    ]  # fmt: skip
    columns = [
        Column("period", _("Month"), "text"),
        Column("views", _("Read online")),
        Column("downloads", _("Downloads")),
        Column("links", _("Links followed")),
        Column("unique", _("Unique requests")),
        Column("refused", _("Refusals")),
    ]
    return Table(
        columns,
        rows,
        totals=with_totals(columns, rows, "period", _("Total")),
        chart=Chart("period", ("views", "downloads"), _("Read online and downloads")),
    )


# --- the yearly national figures ------------------------------------------------------------------


def national(f: Filters) -> Table:
    """The figures a library reports each year to the national library (Perpustakaan Nasional, after
    the library statistics of ISO 2789 and the Standar Nasional Perpustakaan), for the period chosen."""
    from django.contrib.auth import get_user_model

    from pustaka.core.choices import Role
    from pustaka.digital.models import DigitalResource
    from pustaka.programs.models import Attendance, ProgramSession

    p = f.period
    items = _items(f)
    stock = items.aggregate(copies=Count("id"), titles=Count("record_id", distinct=True))
    added = _added(f).aggregate(n=Count("id"), titles=Count("record_id", distinct=True))
    if stats.loans_counted():
        circ = _loan_summary(f).aggregate(n=Sum("loans"), n_renewals=Sum("renewals"), n_returns=Sum("returns"))
        circ["loans"], circ["renewals"], returns = circ["n"] or 0, circ["n_renewals"], circ["n_returns"] or 0
        circ["borrowers"] = (
            _loans(f).filter(_in(p, "checked_out_at")).aggregate(n=Count("patron_id", distinct=True))["n"]
        )
    else:
        circ = (
            _loans(f)
            .filter(_in(p, "checked_out_at"))
            .aggregate(loans=Count("id"), renewals=Sum("renewals"), borrowers=Count("patron_id", distinct=True))
        )
        returns = _loans(f, branch_field="return_branch").filter(_in(p, "returned_at")).count()
    holds = Hold.objects.filter(_in(p, "placed_at"))
    if f.branch:
        holds = holds.filter(pickup_branch=f.branch)
    patrons = Patron.objects.all()
    if f.branch:
        patrons = patrons.filter(home_branch=f.branch)
    registered = Q(created_at__lt=p.until, is_active=True)
    people = patrons.aggregate(
        members=Count("id", filter=registered),
        active=Count("id", filter=registered & Q(expires_on__gte=p.end)),
        new=Count("id", filter=Q(created_at__gte=p.since, created_at__lt=p.until)),
    )
    sessions = ProgramSession.objects.filter(date__gte=p.start, date__lte=p.end)
    attendance = Attendance.objects.filter(session__date__gte=p.start, session__date__lte=p.end)
    if f.branch:
        sessions, attendance = sessions.filter(branch=f.branch), attendance.filter(session__branch=f.branch)
    staff = (
        get_user_model()
        .objects.filter(is_active=True, groups__isnull=False)
        .values("groups__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("groups__name")
    )
    staff_total = get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct().count()
    usage = digital(f).totals or {}

    def row(section, indicator, value, code=""):
        return {"section": section, "code": code, "indicator": indicator, "value": value if value is not None else 0}

    s_col, s_mem, s_vis, s_use, s_staff, s_prog = (
        _("Collection"), _("Members"), _("Visits"), _("Use of the collection"), _("Staff"), _("Programs"),
    )  # fmt: skip
    rows = [
        row(s_col, _("Titles in the collection"), stock["titles"], "1.1"),
        row(s_col, _("Copies in the collection"), stock["copies"], "1.2"),
        row(s_col, _("Copies added in the period"), added["n"], "1.3"),
        row(s_col, _("Titles added in the period"), added["titles"], "1.4"),
        row(s_col, _("Copies withdrawn in the period"), _withdrawn(f).count(), "1.5"),
        row(s_col, _("Digital resources"), DigitalResource.objects.count(), "1.6"),
        row(s_mem, _("Registered members"), people["members"], "2.1"),
        row(s_mem, _("Active members"), people["active"], "2.2"),
        row(s_mem, _("New members in the period"), people["new"], "2.3"),
        row(s_mem, _("Borrowers in the period"), circ["borrowers"], "2.4"),
    ]
    Visit = visit_model()
    if Visit is not None:
        if stats.visits_counted():
            v = _visit_summary(f, "category").aggregate(
                total=Sum("people"), members=Sum("people", filter=Q(group_key="member"))
            )
            v["people"] = v["total"]
        else:
            v = _visits(f).aggregate(people=Sum("count"), members=Sum("count", filter=Q(category="member")))
        rows += [
            row(s_vis, _("Visitors"), v["people"], "3.1"),
            row(s_vis, _("Member visits"), v["members"], "3.2"),
            row(s_vis, _("Other visitors"), (v["people"] or 0) - (v["members"] or 0), "3.3"),
        ]
    copies = stock["copies"] or 0
    rows += [
        row(s_use, _("Loans"), circ["loans"], "4.1"),
        row(s_use, _("Renewals"), circ["renewals"], "4.2"),
        row(s_use, _("Returns"), returns, "4.3"),
        row(s_use, _("Holds placed"), holds.count(), "4.4"),
        row(s_use, _("Loans per copy (turnover)"), round(circ["loans"] / copies, 2) if copies else 0, "4.5"),
        row(
            s_use,
            _("Digital requests (read online and downloads)"),
            (usage.get("views") or 0) + (usage.get("downloads") or 0),
            "4.6",
        ),
        row(s_staff, _("Staff with a role"), staff_total, "5.1"),
    ]
    labels = dict(Role.choices)
    for n, entry in enumerate(staff, start=2):
        rows.append(row(s_staff, str(labels.get(entry["groups__name"], entry["groups__name"])), entry["n"], f"5.{n}"))
    rows += [
        row(s_prog, _("Program sessions held"), sessions.count(), "6.1"),
        row(s_prog, _("Attendances at program sessions"), attendance.count(), "6.2"),
    ]
    columns = [
        Column("code", _("No."), "text"),
        Column("section", _("Section"), "text"),
        Column("indicator", _("Indicator"), "text"),
        Column("value", _("Value"), "number"),
    ]
    notes = [
        _(
            "Figures after the library statistics of ISO 2789 and the Standar Nasional Perpustakaan, "
            "for the period chosen."
        )
    ]
    return Table(columns, rows, notes=notes)


def today_figures(branch=None, *, today: datetime.date | None = None) -> dict:
    """The desk's figures for today at ``branch`` (every branch when None): loans, returns, overdue
    loans now, holds waiting for a copy and holds ready on the shelf (four queries)."""
    today = today or timezone.localdate()
    day = Period(today, today, "day")
    loans = Loan.objects.order_by()
    holds = Hold.objects.order_by()
    if branch is not None:
        loans, holds = loans.filter(branch=branch), holds.filter(pickup_branch=branch)
    return {
        "loans_today": loans.filter(_in(day, "checked_out_at")).count(),
        "returns_today": Loan.objects.filter(
            _in(day, "returned_at"), **({"return_branch": branch} if branch else {})
        ).count(),
        "overdue": loans.filter(returned_at__isnull=True, due_at__lt=timezone.now()).count(),
        **holds.aggregate(
            holds_waiting=Count("id", filter=Q(status="waiting")), holds_ready=Count("id", filter=Q(status="ready"))
        ),
    }
