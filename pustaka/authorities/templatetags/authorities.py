"""Template tags that show a record's headings in their authorised form (the OPAC record page).

``{% authorised_headings record as authorised %}`` gives ``authorised.subjects`` (the record's subjects,
authorised, subdivisions kept) and ``authorised.names`` (contributor name → authorised heading);
``{{ person.name|authorised_name:authorised }}`` shows one name. Two queries per record page."""

from django import template

from .. import queries
from ..choices import LinkField

register = template.Library()


@register.simple_tag
def authorised_headings(record) -> dict:
    linked = queries.authorities_of(record)
    names = {heading: a.heading for (field, heading), a in linked.items() if field == LinkField.CONTRIBUTOR}
    return {"subjects": queries.authorised_subjects(record, linked=linked), "names": names}


@register.filter
def authorised_name(name: str, authorised: dict) -> str:
    return (authorised or {}).get("names", {}).get(name, name)
