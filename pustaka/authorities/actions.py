"""Every write to authority records: creating and editing one (with its see-from and see-also forms),
deleting, linking records to it (automatically by heading or see-from form, or by hand), merging two,
and importing MARC 21 authority files and subject heading lists.

Each action that changes which authority a record's heading belongs to, or the forms of an authority
records are linked to, writes those records to the search change log (``search.changes``) in its
transaction, so the indexer gives them their new see-from forms and authorised facets.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from pustaka.catalog.models import Record
from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import PustakaError
from pustaka.core.registry import action
from pustaka.search import changes

from . import errors, queries
from .choices import AuthorityKind, LinkField, Relation
from .headings import clean_heading, heading_key, main_heading
from .marc import Entry, Rejected, read_file
from .models import Authority, AuthorityLink, SeeAlso, SeeFrom
from .subject_list import decode, read_subject_list

__all__ = [
    "ImportReport",
    "create_authority",
    "delete_authority",
    "import_authority_file",
    "import_subject_list",
    "link_authority",
    "link_catalogue",
    "link_record",
    "merge_authorities",
    "unlink_record",
    "update_authority",
]

MAINTAIN = "authorities.maintain_authorities"


@dataclass
class ImportReport:
    """What an import did: authorities created and updated, record headings linked, what was rejected."""

    created: int = 0
    updated: int = 0
    linked: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.created + self.updated + len(self.rejected)


# --- Helpers (inside the actions' transactions) --------------------------------------------------


def _clean(kind, heading, dates="", source="", control_number="", notes="") -> dict:
    if kind not in AuthorityKind.values:
        raise errors.InvalidAuthority(
            _("Choose a kind: personal name, corporate name or topical subject."), field="kind"
        )
    heading = clean_heading(heading)
    if not heading_key(heading):
        raise errors.InvalidAuthority(_("An authority record needs a heading."), field="heading")
    limits = {
        "heading": (heading, 500),
        "dates": (dates, 100),
        "source": (source, 60),
        "control_number": (control_number, 64),
    }
    for name, (value, limit) in limits.items():
        if len(str(value or "")) > limit:
            raise errors.InvalidAuthority(
                _("%(field)s: at most %(limit)s characters.")
                % {"field": Authority._meta.get_field(name).verbose_name.capitalize(), "limit": limit},
                field=name,
            )
    return {
        "kind": kind,
        "heading": heading,
        "key": heading_key(heading),
        "dates": " ".join(str(dates or "").split()),
        "source": str(source or "").strip(),
        "control_number": str(control_number or "").strip(),
        "notes": str(notes or "").strip(),
    }


def _forms_of(authority: Authority) -> dict:
    return {
        "variants": sorted(authority.variants.values_list("heading", flat=True)),
        "see_also": sorted(f"{r}: {h}" for r, h in authority.see_also.values_list("relation", "heading")),
    }


def _set_forms(authority: Authority, variants, see_also) -> None:
    """Replace the authority's see-from and see-also forms (deduplicated by key; its own heading dropped)."""
    seen = {authority.key}
    wanted = []
    for text in variants or []:
        text = clean_heading(text)
        key = heading_key(text)
        if not key or key in seen:
            continue
        if len(text) > 500:
            raise errors.InvalidAuthority(_("A see-from form is longer than 500 characters."), field="variants")
        other = Authority.objects.filter(kind=authority.kind, key=key).exclude(pk=authority.pk).first()
        if other is not None:
            raise errors.HeadingUsedElsewhere(heading=text, other=other.pk, field="variants")
        seen.add(key)
        wanted.append(SeeFrom(authority=authority, heading=text, key=key))
    authority.variants.all().delete()
    SeeFrom.objects.bulk_create(wanted)
    terms, seen_terms = [], set()
    for relation, text in see_also or []:
        text = clean_heading(text)
        key = heading_key(text)
        if relation not in Relation.values:
            raise errors.InvalidAuthority(
                _("A see-also term needs a relation: broader, narrower or related."), field="see_also"
            )
        if not key or key == authority.key or (relation, key) in seen_terms:
            continue
        if len(text) > 500:
            raise errors.InvalidAuthority(_("A see-also term is longer than 500 characters."), field="see_also")
        seen_terms.add((relation, key))
        target = Authority.objects.filter(kind=authority.kind, key=key).first()
        terms.append(SeeAlso(authority=authority, relation=relation, heading=text, key=key, target=target))
    authority.see_also.all().delete()
    SeeAlso.objects.bulk_create(terms)
    # Terms elsewhere that name this heading now point at it.
    SeeAlso.objects.filter(key=authority.key, target=None, authority__kind=authority.kind).update(target=authority)


def _linked_record_ids(authority: Authority) -> list[int]:
    return list(authority.links.values_list("record_id", flat=True).distinct().order_by())


def _link_matches(found, authority_of) -> int:
    """Create the links ``found`` (``(record id, field, heading)``) that do not exist yet; log their records."""
    if not found:
        return 0
    record_ids = {rid for rid, _f, _h in found}
    taken = set()
    for chunk in _chunks(sorted(record_ids), 500):
        taken |= set(AuthorityLink.objects.filter(record_id__in=chunk).values_list("record_id", "field", "heading"))
    new = []
    for rid, fld, heading in found:
        if (rid, fld, heading) in taken:
            continue
        taken.add((rid, fld, heading))
        new.append(
            AuthorityLink(
                authority_id=authority_of(rid, fld, heading), record_id=rid, field=fld, heading=heading, automatic=True
            )
        )
    AuthorityLink.objects.bulk_create(new, batch_size=1000)
    changes.records_changed(sorted({link.record_id for link in new}))
    return len(new)


def _chunks(values, size):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _auto_link(authority: Authority) -> int:
    return _link_matches(queries.matching_headings(authority), lambda *_: authority.pk)


def _link_many(authority_ids=None) -> int:
    """One pass over the catalogue linking each heading to the one authority it is a form of (ambiguous forms,
    shared by two authorities, are left for a person)."""
    rows = Authority.objects.all()
    if authority_ids is not None:
        rows = rows.filter(pk__in=authority_ids)
    by_key: dict[tuple[str, str], set[int]] = {}
    kinds = dict(rows.values_list("pk", "kind"))
    if not kinds:
        return 0
    forms = list(rows.values_list("pk", "key"))
    for chunk in _chunks(list(kinds), 500):
        forms += list(SeeFrom.objects.filter(authority_id__in=chunk).values_list("authority_id", "key"))
    for pk, key in forms:
        for fld in queries.FIELDS_OF[AuthorityKind(kinds[pk])]:
            by_key.setdefault((fld, key), set()).add(pk)
    found, owner = [], {}
    for record in Record.objects.only("id", "contributors", "subjects").order_by("id").iterator(chunk_size=2000):
        for fld, heading in queries.record_headings(record):
            ids = by_key.get((fld, heading_key(heading)))
            if ids is None and fld == LinkField.SUBJECT:
                ids = by_key.get((fld, heading_key(main_heading(heading))))
            if ids and len(ids) == 1:
                found.append((record.pk, fld, heading))
                owner[(record.pk, fld, heading)] = next(iter(ids))
    return _link_matches(found, lambda *k: owner[k])


# --- Authority records ---------------------------------------------------------------------------


@action("authorities.authority.create", permission=MAINTAIN, label=_("Authority record created"))
def create_authority(
    *, actor, kind, heading, dates="", source="", control_number="", notes="", variants=(), see_also=(), link=True
) -> Authority:
    """Create an authority record with its see-from and see-also forms, then link the records that use
    its heading or a see-from form (``link=False`` leaves linking for later)."""
    data = _clean(kind, heading, dates, source, control_number, notes)
    other = Authority.objects.filter(kind=data["kind"], key=data["key"]).first()
    if other is not None:
        raise errors.DuplicateAuthority(heading=data["heading"], other=other.pk, field="heading")
    authority = Authority.objects.create(**data)
    _set_forms(authority, variants, see_also)
    linked = _auto_link(authority) if link else 0
    audit(
        actor,
        "authorities.authority.create",
        authority,
        after={**snapshot(authority), **_forms_of(authority), "linked": linked},
    )
    return authority


@action("authorities.authority.update", permission=MAINTAIN, label=_("Authority record edited"))
def update_authority(
    *,
    authority: Authority,
    actor,
    kind,
    heading,
    dates="",
    source="",
    control_number="",
    notes="",
    variants=(),
    see_also=(),
    link=True,
) -> Authority:
    """Change an authority's heading, details and forms. Its linked records are re-indexed (their
    see-from forms and authorised heading changed), and records using a new form are linked."""
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    data = _clean(kind, heading, dates, source, control_number, notes)
    other = Authority.objects.filter(kind=data["kind"], key=data["key"]).exclude(pk=authority.pk).first()
    if other is not None:
        raise errors.DuplicateAuthority(heading=data["heading"], other=other.pk, field="heading")
    record_ids = _linked_record_ids(authority)
    if data["kind"] == AuthorityKind.TOPICAL:  # a topic is not a contributor: those links go
        authority.links.filter(field=LinkField.CONTRIBUTOR).delete()
    before = {**snapshot(authority), **_forms_of(authority)}
    for name, value in data.items():
        setattr(authority, name, value)
    authority.save()
    _set_forms(authority, variants, see_also)
    old, new = diff(before, {**snapshot(authority), **_forms_of(authority)})
    changes.records_changed(record_ids)
    linked = _auto_link(authority) if link else 0
    if new or linked:
        audit(actor, "authorities.authority.update", authority, before=old, after={**new, "linked": linked})
    return authority


@action("authorities.authority.delete", permission=MAINTAIN, label=_("Authority record deleted"))
def delete_authority(*, authority: Authority, actor) -> None:
    """Delete an authority record; its links go with it and the records are re-indexed without it."""
    record_ids = _linked_record_ids(authority)
    audit(
        actor,
        "authorities.authority.delete",
        authority,
        before={**snapshot(authority), **_forms_of(authority), "records": record_ids},
    )
    authority.delete()
    changes.records_changed(record_ids)


# --- Links ---------------------------------------------------------------------------------------


@action("authorities.authority.link", permission=MAINTAIN, label=_("Records linked by heading"))
def link_authority(*, authority: Authority, actor) -> int:
    """Link every record whose contributor or subject is the authority's heading or a see-from form;
    returns how many headings were linked (headings linked already stay as they are)."""
    linked = _auto_link(authority)
    if linked:
        audit(actor, "authorities.authority.link", authority, after={"linked": linked})
    return linked


@action("authorities.catalogue.link", permission=MAINTAIN, label=_("Catalogue linked to authorities"))
def link_catalogue(*, actor) -> int:
    """One pass over the whole catalogue: every heading that is the form of exactly one authority is linked
    to it (a form two authorities share is left for a person); returns how many were linked."""
    linked = _link_many()
    audit(actor, "authorities.catalogue.link", None, after={"linked": linked})
    return linked


@action("authorities.link.add", permission=MAINTAIN, label=_("Record linked to an authority"))
def link_record(*, authority: Authority, record: Record, actor, heading: str = "", field: str = "") -> AuthorityLink:
    """Link a record's heading to ``authority`` by hand. Without ``heading``, the record's heading that is a
    form of the authority is taken, or else the authorised heading itself (a name the record lacks)."""
    fields = queries.FIELDS_OF[AuthorityKind(authority.kind)]
    if field and field not in fields:
        raise errors.InvalidAuthority(_("This kind of authority cannot be linked from that field."), field="field")
    candidates = [(f, h) for f, h in queries.record_headings(record, (field,) if field else fields)]
    heading = clean_heading(heading) if heading else ""
    if heading:
        chosen = next(((f, h) for f, h in candidates if heading_key(h) == heading_key(heading)), None)
        if chosen is None:
            where = LinkField(field).label if field else _("contributor or subject")
            raise errors.HeadingNotInRecord(heading=heading, where=str(where).lower(), field="heading")
    else:
        keys = queries.forms(authority)
        chosen = next(((f, h) for f, h in candidates if queries.matches(f, h, keys)), None)
        if chosen is None:
            chosen = (field or fields[0], authority.heading)
    link_field, link_heading = chosen
    existing = (
        AuthorityLink.objects.filter(record=record, field=link_field, heading=link_heading)
        .select_related("authority")
        .first()
    )
    if existing is not None:
        raise errors.AlreadyLinked(heading=link_heading, authority=existing.authority.heading)
    try:
        with transaction.atomic():
            link = AuthorityLink.objects.create(
                authority=authority, record=record, field=link_field, heading=link_heading
            )
    except IntegrityError as exc:  # another desk linked it at the same instant
        raise errors.AlreadyLinked(heading=link_heading, authority=authority.heading) from exc
    audit(
        actor,
        "authorities.link.add",
        authority,
        after={"record": record.pk, "field": link_field, "heading": link_heading},
    )
    changes.record_changed(record.pk)
    return link


@action("authorities.link.remove", permission=MAINTAIN, label=_("Record unlinked from an authority"))
def unlink_record(*, link: AuthorityLink, actor) -> None:
    """Remove a record's link to an authority (the record keeps its heading as written)."""
    audit(
        actor,
        "authorities.link.remove",
        link.authority,
        before={"record": link.record_id, "field": link.field, "heading": link.heading},
    )
    changes.record_changed(link.record_id)
    link.delete()


# --- Merging -------------------------------------------------------------------------------------


@action("authorities.authority.merge", permission=MAINTAIN, label=_("Authority records merged"))
def merge_authorities(*, winner: Authority, loser: Authority, actor) -> Authority:
    """Merge ``loser`` into ``winner`` in one transaction: every record linked to the loser is relinked to
    the winner, the loser's heading and see-from forms become see-from forms of the winner, its see-also
    terms move over, references to it point at the winner, and the loser is deleted. The relinked records
    are re-indexed."""
    if winner.pk == loser.pk:
        raise errors.CannotMergeWithItself()
    locked = {a.pk: a for a in Authority.objects.select_for_update().filter(pk__in=[winner.pk, loser.pk])}
    if len(locked) != 2:
        raise errors.AuthorityNotFound(authority=loser.pk if loser.pk not in locked else winner.pk)
    winner, loser = locked[winner.pk], locked[loser.pk]
    if winner.kind != loser.kind:
        raise errors.KindsDiffer(first=winner.get_kind_display(), second=loser.get_kind_display())
    before = {"winner": {**snapshot(winner), **_forms_of(winner)}, "loser": {**snapshot(loser), **_forms_of(loser)}}
    record_ids = sorted(set(_linked_record_ids(loser)) | set(_linked_record_ids(winner)))
    moved = loser.links.update(authority=winner)
    variants = [
        *winner.variants.values_list("heading", flat=True),
        loser.heading,
        *loser.variants.values_list("heading", flat=True),
    ]
    see_also = [
        *winner.see_also.values_list("relation", "heading"),
        *((r, h) for r, h in loser.see_also.values_list("relation", "heading") if heading_key(h) != winner.key),
    ]
    SeeAlso.objects.filter(target=loser).update(target=winner, heading=winner.heading, key=winner.key)
    SeeAlso.objects.filter(authority=winner, key=loser.key).delete()
    loser_pk, loser_heading = loser.pk, loser.heading
    if not winner.notes and loser.notes:
        winner.notes = loser.notes
        winner.save(update_fields=["notes", "updated_at"])
    loser.delete()
    _set_forms(winner, variants, [(r, h) for r, h in see_also if heading_key(h) != heading_key(loser_heading)])
    changes.records_changed(record_ids)
    audit(
        actor,
        "authorities.authority.merge",
        winner,
        before=before,
        after={
            "merged": loser_pk,
            "heading": loser_heading,
            "relinked": moved,
            "records": record_ids,
            **_forms_of(winner),
        },
    )
    return winner


# --- Imports -------------------------------------------------------------------------------------


def _upsert(entry: Entry, report: ImportReport) -> Authority | None:
    """Create or update the authority of ``entry`` (by control number, else by kind and heading); a
    conflicting entry is rejected on its own savepoint and the rest of the import goes on."""
    key = heading_key(entry.heading)
    existing = None
    if entry.control_number:
        existing = Authority.objects.filter(control_number=entry.control_number, kind=entry.kind).first()
    existing = existing or Authority.objects.filter(kind=entry.kind, key=key).first()
    try:
        with transaction.atomic():
            data = _clean(entry.kind, entry.heading, entry.dates, entry.source, entry.control_number, entry.notes)
            if existing is None:
                authority = Authority.objects.create(**data)
                _set_forms(authority, entry.variants, entry.see_also)
                report.created += 1
            else:
                clash = Authority.objects.filter(kind=data["kind"], key=data["key"]).exclude(pk=existing.pk).first()
                if clash is not None:
                    raise errors.DuplicateAuthority(heading=data["heading"], other=clash.pk)
                variants = [*existing.variants.values_list("heading", flat=True), *entry.variants]
                see_also = [*existing.see_also.values_list("relation", "heading"), *entry.see_also]
                for name, value in data.items():
                    if value or name in {"kind", "heading", "key"}:
                        setattr(existing, name, value)
                existing.save()
                _set_forms(existing, variants, see_also)
                changes.records_changed(_linked_record_ids(existing))
                authority = existing
                report.updated += 1
    except (PustakaError, IntegrityError) as exc:  # reported; this entry's savepoint is rolled back
        report.rejected.append(Rejected(entry.where, str(exc)))
        return None
    return authority


def _import(entries, rejected, actor, verb: str, filename: str, link: bool) -> ImportReport:
    report = ImportReport(rejected=list(rejected))
    ids = [a.pk for a in (_upsert(entry, report) for entry in entries) if a is not None]
    if link and ids:
        report.linked = _link_many(ids)
    audit(
        actor,
        verb,
        None,
        after={
            "file": filename[:200],
            "created": report.created,
            "updated": report.updated,
            "linked": report.linked,
            "rejected": [f"{r.where}: {r.reason}" for r in report.rejected[:100]],
        },
    )
    return report


@action("authorities.import.marc", permission=MAINTAIN, label=_("Authority file imported"))
def import_authority_file(*, data: bytes, actor, filename: str = "", link: bool = True) -> ImportReport:
    """Import a MARC 21 authority file (ISO 2709 or MARCXML, told apart by their first byte). Records that
    cannot be read or are not personal names, corporate names or topical subjects are rejected with the
    reason; the rest are created or updated (by 001, else by heading) and the catalogue is linked to them."""
    entries, rejected = read_file(bytes(data))
    return _import(entries, rejected, actor, "authorities.import.marc", filename, link)


@action("authorities.import.subjects", permission=MAINTAIN, label=_("Subject heading list imported"))
def import_subject_list(
    *, data: bytes, actor, filename: str = "", source: str = "DTSPN", link: bool = True
) -> ImportReport:
    """Import a subject heading list (the national library's Daftar Tajuk Subjek or a library's own) as a
    CSV/TSV table or thesaurus text (:mod:`pustaka.authorities.subject_list`); lines that cannot be read are
    rejected with their number and reason, the other headings are created or updated and linked."""
    source = " ".join(str(source or "").split())[:60]
    entries, rejected = read_subject_list(decode(bytes(data)), source=source)
    return _import(entries, rejected, actor, "authorities.import.subjects", filename, link)
