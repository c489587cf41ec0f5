"""Simple Dublin Core (``oai_dc``) for OAI-PMH and SRU."""

from pustaka.core.xml import xml_text

from ..choices import ContributorRole
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
    values = {
        "title": [record.full_title],
        "creator": creators,
        "subject": list(record.subjects or []),
        "description": descriptions,
        "publisher": [record.publisher] if record.publisher else [],
        "contributor": others,
        "date": [str(record.year)] if record.year else [],
        "type": [DCMI_TYPES.get(record.material_type, "Text")],
        "format": [record.extent] if record.extent else [],
        "identifier": identifiers,
        "language": [record.language] if record.language else [],
        "relation": [record.series] if record.series else [],
    }
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
