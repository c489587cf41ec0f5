"""What authorities add to the search documents of linked records (registered with
:func:`pustaka.search.engine.documents.document_extras` when the app is ready).

A linked record is found by its authorities' authorised headings and see-from forms, and its subject
facets show the authorised form. Two queries for any number of records.
"""

from collections import defaultdict

from .choices import LinkField
from .headings import authorised_subject, heading_key
from .models import AuthorityLink, SeeFrom


def record_extras(record_ids) -> dict[int, dict]:
    """``{record id: {"contributor": [...], "subject": [...], "authorised": {subject: authorised form}}}``."""
    links = list(
        AuthorityLink.objects.filter(record_id__in=list(record_ids))
        .values_list("record_id", "field", "heading", "authority_id", "authority__heading", "authority__key")
        .order_by()
    )
    if not links:
        return {}
    variants = defaultdict(list)
    for authority_id, heading in (
        SeeFrom.objects.filter(authority_id__in={row[3] for row in links})
        .values_list("authority_id", "heading")
        .order_by()
    ):
        variants[authority_id].append(heading)
    extras: dict[int, dict] = {}
    for rid, field, heading, authority_id, authorised, key in links:
        extra = extras.setdefault(rid, {"contributor": [], "subject": [], "authorised": {}})
        forms = [authorised, *variants[authority_id]]
        extra[field].extend(form for form in forms if heading_key(form) != heading_key(heading))
        if field == LinkField.SUBJECT:
            whole = heading_key(heading) in {key, *(heading_key(form) for form in variants[authority_id])}
            extra["authorised"][heading] = authorised_subject(heading, authorised, whole=whole)
    return extras
