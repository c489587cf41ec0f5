"""E-journal (and e-book) holdings from a KBART file (NISO RP-9-2014, KBART phase II, tab-separated).

Each row is one title a provider offers: it creates or updates the catalogue record (matched by
ISSN for serials, ISBN for monographs, print or online identifier) and the record's digital resource
with the coverage dates, the embargo (a moving wall on the coverage, :mod:`pustaka.digital.embargo`)
and the title's link. Good rows are imported, bad rows are rejected with the
line number and the reason; a row is all or nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pustaka.catalog import actions as catalog_actions
from pustaka.catalog.identifiers import try_isbn, try_issn
from pustaka.catalog.models import Record
from pustaka.core.audit import audit
from pustaka.core.errors import PustakaError
from pustaka.core.permissions import require
from pustaka.core.registry import action

from .. import embargo
from ..choices import ResourceKind
from ..errors_ingest import KbartFileError
from ..models import Collection, DigitalResource, Licence
from .resources import KEEP, create_resource, update_resource

REQUIRED_COLUMNS = ["publication_title", "print_identifier", "online_identifier", "title_url"]
KNOWN_COLUMNS = [
    "publication_title",
    "print_identifier",
    "online_identifier",
    "date_first_issue_online",
    "num_first_vol_online",
    "num_first_issue_online",
    "date_last_issue_online",
    "num_last_vol_online",
    "num_last_issue_online",
    "title_url",
    "first_author",
    "title_id",
    "embargo_info",
    "coverage_depth",
    "notes",
    "publisher_name",
    "publication_type",
    "date_monograph_published_print",
    "date_monograph_published_online",
    "monograph_volume",
    "monograph_edition",
    "first_editor",
    "parent_publication_title_id",
    "preceding_publication_title_id",
    "access_type",
]
MAX_BYTES = 20 * 1024 * 1024


class RowRejected(Exception):
    """One KBART row that cannot be imported (the reason is shown to the librarian)."""


@dataclass
class KbartResult:
    """Counts of an import and the rejected rows ``(line, title, reason)``."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    resources: list[int] = field(default_factory=list)


def _read_text(source) -> str:
    if isinstance(source, str | Path):
        with open(source, "rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    else:
        raw = source.read(MAX_BYTES + 1)
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise KbartFileError(reason=_("the file is larger than 20 MB"))
    if b"\x00" in raw:
        raise KbartFileError(reason=_("it is not a text file"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KbartFileError(reason=_("it is not UTF-8 text, as KBART requires")) from None


def _date(value: str, *, end: bool) -> datetime.date | None:
    """KBART dates are YYYY, YYYY-MM or YYYY-MM-DD; an end date rounds to the end of its period."""
    value = value.strip()
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = map(int, value.split("-"))
            if end:
                following = datetime.date(year + (month == 12), month % 12 + 1, 1)
                return following - datetime.timedelta(days=1)
            return datetime.date(year, month, 1)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise RowRejected(_("“%(value)s” is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") % {"value": value}) from None


def _volumes(row: dict, prefix: str) -> str:
    vol, issue = row.get(f"num_{prefix}_vol_online", "").strip(), row.get(f"num_{prefix}_issue_online", "").strip()
    text = f"vol. {vol}" if vol else ""
    if issue:
        text = f"{text} no. {issue}".strip()
    return text


def _note(row: dict) -> str:
    parts = []
    first, last = _volumes(row, "first"), _volumes(row, "last")
    if first or last:
        parts.append(f"{first or '…'} – {last or '…'}")
    depth = row.get("coverage_depth", "").strip()
    if depth:
        parts.append(_("coverage: %(depth)s") % {"depth": depth})
    return "; ".join(parts)[:300]


def _embargo(row: dict) -> str:
    """The row's ``embargo_info`` in KBART's form (``P1Y``: all but the current year; ``R1Y``: only the
    current year; see :mod:`pustaka.digital.embargo`), kept as the resource's moving wall."""
    value = row.get("embargo_info", "").strip()
    try:
        return embargo.normalise(value)
    except ValueError:
        raise RowRejected(_("the embargo “%(value)s” is not like R1Y, P6M or R10Y;P30D") % {"value": value}) from None


def _clean_row(row: dict) -> dict:
    title = row.get("publication_title", "").strip()
    if not title:
        raise RowRejected(_("the publication_title is empty"))
    monograph = row.get("publication_type", "").strip().lower() == "monograph"
    check = try_isbn if monograph else try_issn
    identifiers = []
    for column in ("print_identifier", "online_identifier"):
        raw = row.get(column, "").strip()
        if raw:
            value = check(raw)
            if value is None:
                what = "ISBN" if monograph else "ISSN"
                raise RowRejected(
                    _("the %(column)s “%(value)s” is not a valid %(what)s")
                    % {"column": column, "value": raw, "what": what}
                )
            identifiers.append(value)
    if not identifiers:
        raise RowRejected(_("the row has neither a print_identifier nor an online_identifier"))
    url = row.get("title_url", "").strip()
    if not re.match(r"^https?://[^\s/]+", url):
        raise RowRejected(_("the title_url “%(value)s” is not an http(s) link") % {"value": url})
    start = _date(row.get("date_first_issue_online", ""), end=False)
    end = _date(row.get("date_last_issue_online", ""), end=True)
    if start and end and start > end:
        raise RowRejected(_("the coverage ends before it starts"))
    return {
        "title": title[:1000],
        "monograph": monograph,
        "identifiers": identifiers,
        "url": url[:1000],
        "start": start,
        "end": end,
        "note": _note(row),
        "embargo": _embargo(row),
        "publisher": row.get("publisher_name", "").strip()[:500],
        "author": row.get("first_author", "").strip()[:300],
    }


def _find_record(data: dict) -> Record | None:
    if data["monograph"]:
        return Record.objects.filter(isbn__in=data["identifiers"]).order_by("pk").first()
    return Record.objects.filter(issn__in=data["identifiers"]).order_by("pk").first()


def _find_resource(record: Record, kind: str, url: str) -> DigitalResource | None:
    resources = list(record.digital_resources.filter(kind=kind).order_by("pk"))
    for resource in resources:
        if resource.remote_url == url:
            return resource
    linked = [r for r in resources if not r.files.exists()]
    return linked[0] if len(linked) == 1 else None


def _import_row(
    data: dict, *, actor, collection: Collection | None, result: KbartResult, licence: Licence | None = None
) -> None:
    kind = ResourceKind.EBOOK if data["monograph"] else ResourceKind.EJOURNAL
    record = _find_record(data)
    created = False
    if record is None:
        fields = {
            "title": data["title"],
            "material_type": "ebook" if data["monograph"] else "ejournal",
            "publisher": data["publisher"],
        }
        if data["monograph"]:
            fields["isbns"] = data["identifiers"]
        else:
            fields["issn"] = data["identifiers"][0]
            if len(data["identifiers"]) > 1:
                fields["notes"] = _("Online ISSN: %(issn)s") % {"issn": data["identifiers"][1]}
        if data["author"]:
            fields["contributors"] = [{"name": data["author"], "role": "author"}]
        record = catalog_actions.create_record(actor=actor, **fields)
        created = True
    elif data["publisher"] and not record.publisher:
        record = catalog_actions.update_record(record=record, actor=actor, publisher=data["publisher"])
    values = {
        "remote_url": data["url"],
        "coverage_start": data["start"],
        "coverage_end": data["end"],
        "coverage_note": data["note"],
        "embargo": data["embargo"],
    }
    resource = _find_resource(record, kind, data["url"])
    collections = [collection] if collection is not None else ()
    if resource is None:
        resource = create_resource(
            record=record, kind=kind, actor=actor, collections=collections, licence=licence, **values
        )
        created = True
    else:
        changed = any(getattr(resource, k) != v for k, v in values.items())
        in_collection = collection is None or resource.collections.filter(pk=collection.pk).exists()
        licence_changed = licence is not None and resource.licence_id != licence.pk
        if changed or not in_collection or licence_changed:
            keep = list(resource.collections.all())
            resource = update_resource(
                resource=resource,
                actor=actor,
                collections=None if in_collection else [*keep, collection],
                licence=licence if licence_changed else KEEP,
                **values,
            )
            if not created:
                result.updated += 1
        elif not created:
            result.unchanged += 1
    if created:
        result.created += 1
    result.resources.append(resource.pk)


@action("digital.kbart.import", permission="digital.manage_resources", label=gettext_lazy("KBART list imported"))
def import_kbart(
    *,
    source,
    actor,
    collection: Collection | None = None,
    file_name: str = "",
    licence: Licence | None = None,
) -> KbartResult:
    """Import a KBART file: create or update e-journal records and their resources; reject bad rows.

    ``licence``: put every imported resource (new or already there) under this licence (through
    ``assign_licence``).
    """
    require(actor, "catalog.catalogue")
    text = _read_text(source)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise KbartFileError(
            reason=_("the header line lacks the column(s) %(columns)s; is it a tab-separated KBART file?")
            % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = columns
    result = KbartResult()
    for row in reader:
        line = reader.line_num
        row = {k: (v or "") for k, v in row.items() if k is not None}
        if not any(v.strip() for v in row.values()):
            continue
        title = row.get("publication_title", "").strip()[:200]
        try:
            data = _clean_row(row)
            with transaction.atomic():
                _import_row(data, actor=actor, collection=collection, result=result, licence=licence)
        except RowRejected as exc:
            result.rejected.append((line, title, str(exc)))
        except PustakaError as exc:
            result.rejected.append((line, title, str(exc)))
    audit(
        actor,
        "digital.kbart.import",
        collection,
        after={
            "file": file_name,
            "licence": licence.pk if licence is not None else None,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rejected": len(result.rejected),
        },
    )
    return result
