"""Reads that the authority pages, the API and the actions share: lists, a heading's forms, and which
headings of which records an authority matches."""

from django.db.models import Count, Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast

from pustaka.catalog.models import Record

from .choices import AuthorityKind, LinkField
from .headings import authorised_subject, heading_key, main_heading, prefilter_word
from .models import Authority, AuthorityLink, SeeFrom

#: Which record fields each kind of authority is looked for in (a person may also be a subject).
FIELDS_OF = {
    AuthorityKind.PERSONAL: (LinkField.CONTRIBUTOR, LinkField.SUBJECT),
    AuthorityKind.CORPORATE: (LinkField.CONTRIBUTOR, LinkField.SUBJECT),
    AuthorityKind.TOPICAL: (LinkField.SUBJECT,),
}
JSON_COLUMN = {LinkField.CONTRIBUTOR: "contributors", LinkField.SUBJECT: "subjects"}


def authorities(*, text: str = "", kind: str = ""):
    """Authority records with their number of linked records, filtered by a heading or variant and a kind."""
    rows = Authority.objects.annotate(link_count=Count("links"))
    if kind:
        rows = rows.filter(kind=kind)
    key = heading_key(text)
    if key:
        variant = SeeFrom.objects.filter(authority=OuterRef("pk"), key__contains=key)
        rows = rows.filter(Q(key__contains=key) | Q(Exists(variant)))
    return rows.order_by("key", "id")


def forms(authority: Authority) -> set[str]:
    """The keys of every form of ``authority``: its heading and its see-from variants."""
    return {authority.key, *authority.variants.values_list("key", flat=True)}


def record_headings(record: Record, fields=(LinkField.CONTRIBUTOR, LinkField.SUBJECT)) -> list[tuple[str, str]]:
    """The headings a record writes, as ``(field, heading)``: contributors' names, then subjects."""
    found = []
    if LinkField.CONTRIBUTOR in fields:
        for entry in record.contributors or []:
            if isinstance(entry, dict) and str(entry.get("name") or "").strip():
                found.append((LinkField.CONTRIBUTOR, entry["name"]))
    if LinkField.SUBJECT in fields:
        found += [(LinkField.SUBJECT, s) for s in record.subjects or [] if isinstance(s, str) and s.strip()]
    return found


def matches(field: str, heading: str, keys: set[str]) -> bool:
    """Whether a record's heading is one of ``keys`` (a subject also by its main heading)."""
    if heading_key(heading) in keys:
        return True
    return field == LinkField.SUBJECT and heading_key(main_heading(heading)) in keys


def matching_headings(authority: Authority, *, keys: set[str] | None = None, variants=()) -> list[tuple[int, str, str]]:
    """``(record id, field, heading)`` of every record heading that is a form of ``authority``.

    A cheap SQL filter on the JSON columns (the longest plain word of each form) narrows the records;
    each candidate's headings are then compared by key."""
    keys = keys if keys is not None else forms(authority)
    texts = (
        [authority.heading, *variants]
        if variants
        else [authority.heading, *authority.variants.values_list("heading", flat=True)]
    )
    fields = FIELDS_OF[AuthorityKind(authority.kind)]
    words = [prefilter_word(text) for text in texts]
    rows = Record.objects.all()
    if all(words):
        condition = Q()
        for field in fields:
            column = JSON_COLUMN[field]
            rows = rows.annotate(**{f"{column}_text": Cast(column, TextField())})
            for word in set(words):
                condition |= Q(**{f"{column}_text__icontains": word})
        rows = rows.filter(condition)
    found = []
    for record in rows.only("id", "contributors", "subjects").order_by("id").iterator(chunk_size=2000):
        for field, heading in record_headings(record, fields):
            if matches(field, heading, keys):
                found.append((record.pk, field, heading))
    return found


def linked_records(authority: Authority):
    """The records linked to ``authority`` with the heading each writes, in title order."""
    return (
        AuthorityLink.objects.filter(authority=authority)
        .select_related("record")
        .only("id", "field", "heading", "automatic", "record__id", "record__title", "record__subtitle", "record__year")
        .order_by("record__title", "record_id", "id")
    )


def authorities_of(record: Record) -> dict[tuple[str, str], Authority]:
    """The authority of each linked heading of ``record``, by ``(field, heading)``, variants fetched (two queries)."""
    links = (
        AuthorityLink.objects.filter(record=record).select_related("authority").prefetch_related("authority__variants")
    )
    return {(link.field, link.heading): link.authority for link in links}


def authorised_subjects(record: Record, *, linked: dict | None = None) -> list[str]:
    """The record's subjects in their authorised form (subdivisions kept), in the record's order
    (``linked``: :func:`authorities_of` already read)."""
    linked = linked if linked is not None else authorities_of(record)
    linked = {h: a for (f, h), a in linked.items() if f == LinkField.SUBJECT}
    shown = []
    for subject in [s for s in record.subjects or [] if isinstance(s, str) and s.strip()]:
        authority = linked.get(subject)
        if authority is not None:
            keys = {authority.key, *(v.key for v in authority.variants.all())}
            subject = authorised_subject(subject, authority.heading, whole=heading_key(subject) in keys)
        if subject not in shown:
            shown.append(subject)
    return shown
