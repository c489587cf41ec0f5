"""What the index holds for a record: its document, built from the database (two queries for many)."""

import tantivy

from .. import analysis

#: Functions other apps register (:func:`document_extras`) that add to the records' documents: each takes
#: the record ids and returns ``{record id: {"contributor": [...], "subject": [...], "authorised": {...}}}``:
#: more names and subjects to find the record by (an authority's see-from forms) and, for a subject as the
#: record writes it, the authorised form its facet shows. One query or two for the lot, like the rest.
EXTRAS: list = []


def document_extras(func):
    """Register ``func`` (see :data:`EXTRAS`); registering it twice keeps one."""
    if func not in EXTRAS:
        EXTRAS.append(func)
    return func


def _extras(ids) -> dict[int, dict]:
    found: dict[int, dict] = {}
    for func in EXTRAS:
        for rid, extra in func(ids).items():
            mine = found.setdefault(rid, {"contributor": [], "subject": [], "authorised": {}})
            mine["contributor"] += extra.get("contributor", [])
            mine["subject"] += extra.get("subject", [])
            mine["authorised"].update(extra.get("authorised", {}))
    return found


def _decade(year: int | None) -> str:
    if not year:
        return ""
    start = year - year % 10
    return f"{start}-{start + 9}"


def record_documents(record_ids) -> dict[int, tantivy.Document]:
    """Index documents for the records that exist among ``record_ids`` (two queries for the lot)."""
    from pustaka.catalog.models import Record
    from pustaka.holdings.choices import ItemStatus
    from pustaka.holdings.models import Item

    ids = list(record_ids)
    hidden = ItemStatus.public_hidden()
    holdings: dict[int, dict] = {}
    rows = (
        Item.objects.filter(record_id__in=ids)
        .values_list("record_id", "branch__code", "status", "call_number")
        .distinct()
        .order_by()
    )
    for rid, branch_code, status, call_number in rows:
        h = holdings.setdefault(rid, {"public": set(), "any": False, "available": False, "callno": set()})
        h["any"] = True
        if status not in hidden:
            h["public"].add(branch_code)
            if status == ItemStatus.AVAILABLE:
                h["available"] = True
        if call_number:
            h["callno"].add(call_number)
    fields = (
        "id",
        "title",
        "subtitle",
        "contributors",
        "subjects",
        "series",
        "publisher",
        "summary",
        "year",
        "isbn",
        "isbns",
        "issn",
        "language",
        "material_type",
        "call_number",
        "control_number",
        "is_suppressed",
        "created_at",
        "updated_at",
    )
    docs = {}
    extras = _extras(ids) if EXTRAS else {}
    for row in Record.objects.filter(id__in=ids).values(*fields).order_by():
        docs[row["id"]] = _document(row, holdings.get(row["id"]), extras.get(row["id"]))
    return docs


def _document(row: dict, holding: dict | None, extra: dict | None = None) -> tantivy.Document:
    lang = row["language"] or ""
    doc = tantivy.Document()
    doc.add_unsigned("rid", row["id"])
    public_copies = holding["public"] if holding else set()
    visible = not row["is_suppressed"] and (holding is None or bool(public_copies))
    doc.add_text("scope", "all")
    if visible:
        doc.add_text("scope", "public")
    title = f"{row['title']} {row['subtitle']}".strip()
    values = {
        "title": [title] if title else [],
        "contributor": [c.get("name", "") for c in row["contributors"] or [] if isinstance(c, dict) and c.get("name")],
        "subject": [s for s in row["subjects"] or [] if isinstance(s, str) and s.strip()],
        "series": [row["series"]] if row["series"] else [],
        "publisher": [row["publisher"]] if row["publisher"] else [],
        "summary": [row["summary"]] if row["summary"] else [],
    }
    authorised = extra["authorised"] if extra else {}
    facets = dict.fromkeys(authorised.get(s, s).split(" -- ")[0].strip()[:200] for s in values["subject"])
    if extra:
        values["contributor"] = values["contributor"] + extra["contributor"]
        values["subject"] = values["subject"] + extra["subject"]
    for group, texts in values.items():
        for text in texts:
            folded, stemmed = analysis.analysed(text, lang)
            if not folded:
                continue
            doc.add_text(group, folded)
            doc.add_text(f"{group}_s", stemmed)
            doc.add_text("all", folded)
            doc.add_text("all_s", stemmed)
    doc.add_text("title_x", analysis.folded_text(row["title"]))
    if title != row["title"]:
        doc.add_text("title_x", analysis.folded_text(title))
    for name in values["contributor"]:
        doc.add_text("contributor_x", analysis.folded_text(name))
    for subject in values["subject"]:
        doc.add_text("subject_x", analysis.folded_text(subject))
    for facet in facets:
        doc.add_text("f_subject", facet)
    identifiers = {analysis.normalise_identifier(v) for v in [row["isbn"], row["issn"], *(row["isbns"] or [])]}
    identifiers.add(analysis.fold(row["control_number"]).replace(" ", ""))
    for ident in sorted(i for i in identifiers if i):
        doc.add_text("ident", ident.lower())
        doc.add_text("all", ident.lower())
    callnos = {row["call_number"], *(holding["callno"] if holding else ())}
    for callno in sorted(c for c in callnos if c):
        doc.add_text("callno", analysis.normalise_callno(callno))
    if lang:
        doc.add_text("lang", lang)
        doc.add_text("f_lang", lang)
    doc.add_text("type", row["material_type"])
    doc.add_text("f_type", row["material_type"])
    if row["year"]:
        doc.add_integer("year", row["year"])
        doc.add_text("f_decade", _decade(row["year"]))
    doc.add_integer("s_year", row["year"] or 0)
    for code in sorted(public_copies):
        doc.add_text("f_branch", code)
    if holding is not None:
        doc.add_text("f_avail", "available" if holding["available"] else "unavailable")
    doc.add_text("s_title", analysis.fold(title)[:200])
    doc.add_text("s_callno", analysis.normalise_callno(row["call_number"] or "")[:200])
    for name, moment in (("created", row["created_at"]), ("updated", row["updated_at"])):
        doc.add_unsigned(name, int(moment.timestamp() * 1_000_000) if moment else 0)
    return doc


def _meta_document(seq: int) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("scope", "meta")
    doc.add_unsigned("seq", seq)
    return doc
