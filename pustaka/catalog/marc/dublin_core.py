"""Simple Dublin Core (``oai_dc``) for OAI-PMH and SRU."""

from django.utils.translation import gettext as _

from pustaka.core.xml import xml_text

from ..choices import ContributorRole, MaterialType
from .extras import extras_of
from .tables import DCMI_TYPES

DC_ELEMENTS = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
)
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"


def record_to_dc(record) -> dict[str, list[str]]:
    """Simple Dublin Core for a record: element name to its values (elements without a value are left out)."""
    creators = [c["name"] for c in record.contributors or [] if c.get("role") == ContributorRole.AUTHOR]
    others = [c["name"] for c in record.contributors or [] if c.get("role") != ContributorRole.AUTHOR]
    if not creators and others:
        creators, others = others[:1], others[1:]
    identifiers = [f"urn:isbn:{isbn}" for isbn in record.isbns or []]
    if record.issn:
        identifiers.append(f"urn:issn:{record.issn}")
    identifiers.append(f"pustaka:record:{record.pk}")
    descriptions = [text for text in (record.summary, record.notes) if text]
    extras = extras_of(record)
    from .writing import rda_types

    contents, medias, carriers = rda_types(record, extras)
    types = [DCMI_TYPES.get(record.material_type, "Text")]
    if record.material_type == MaterialType.THESIS:
        types.append("Thesis")
    online = bool(extras.locations)  # RDA terms only where they tell more than the DCMI type (online)
    types += [term for term, _code in contents] if online else []
    if record.thesis_note:
        descriptions.append(record.thesis_note)
    descriptions += [_("Version %(version)s") % {"version": v} for v in extras.versions]
    descriptions += [_("Platform: %(platform)s") % {"platform": p} for p in extras.platforms]
    formats = [record.extent] if record.extent else []
    formats += [loc.media_type for loc in extras.locations if loc.media_type]
    formats += [term for term, _code in medias + carriers] if online else []
    identifiers += [loc.url for loc in extras.locations]
    rights = [str(loc.access_note) for loc in extras.locations if loc.access_note]
    values = {
        "title": [record.full_title],
        "creator": creators,
        "subject": list(record.subjects or []),
        "description": descriptions,
        "publisher": [record.publisher] if record.publisher else [],
        "contributor": others,
        "date": [str(record.year)] if record.year else [],
        "type": list(dict.fromkeys(types)),
        "format": list(dict.fromkeys(formats)),
        "identifier": identifiers,
        "language": [record.language] if record.language else [],
        "relation": [record.series] if record.series else [],
        "rights": list(dict.fromkeys(rights)),
    }
    if record.degree_institution:
        values["publisher"] = values["publisher"] or [record.degree_institution]
    return {name: values[name] for name in DC_ELEMENTS if values.get(name)}


def dc_xml(record) -> str:
    """The record as an ``oai_dc:dc`` element (namespaces declared; text escaped)."""
    lines = [
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd">'
    ]
    for name, values in record_to_dc(record).items():
        for value in values:
            lines.append(f"  <dc:{name}>{xml_text(value)}</dc:{name}>")
    lines.append("</oai_dc:dc>")
    return "\n".join(lines)
