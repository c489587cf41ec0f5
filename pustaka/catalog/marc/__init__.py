"""MARC 21 in and out: MARC to record columns, a record back to MARC 21, and Dublin Core.

- :func:`fields_from_marc` maps a ``pymarc.Record`` to the columns of :class:`~pustaka.catalog.models.Record`
  (``reading``).
- :func:`record_to_marc` gives the MARC 21 record to export: the stored original with every field kept (the
  descriptive fields a cataloguer changed are rewritten from the columns), or a record built from the columns.
  Pustaka's own id always goes into ``999 $c`` (with ``$2 pustaka``) (``writing``).
- :func:`record_to_dc` / :func:`dc_xml`: simple Dublin Core (``oai_dc``) for OAI-PMH and SRU (``dublin_core``).
- :func:`marcxml`, :func:`record_marcxml`, :func:`export_records` streams records as ISO 2709 or MARCXML
  (UTF-8) (``marcxml``).
- :func:`attach_export_extras`, :func:`export_hook`: what other apps add to an export (the digital library's
  856 locations, software version and platform) (``extras``).
- :func:`marc8_to_unicode_strict`: MARC-8 to Unicode that refuses bad input instead of guessing (``marc8``).
- The tags and codes all of them go by are in ``tables``; text clean-up (NFC, ISBD punctuation) in ``text``.
"""

from .dublin_core import DC_ELEMENTS, DC_NS, OAI_DC_NS, dc_xml, record_to_dc
from .extras import ExportExtras, Location, attach_export_extras, export_hook, extras_of, public_base_url
from .marc8 import Marc8Error, marc8_to_unicode_strict
from .marcxml import export_records, marcxml, record_marcxml, write_marc
from .reading import (
    contributor_from_field,
    explicit_call_number,
    fields_from_marc,
    map_fields,
    material_type,
    subject_headings,
)
from .tables import (
    CALL_NUMBER_TAGS,
    CONTRIBUTOR_TAGS,
    MAPPED_TAGS,
    MARCXML_NS,
    MAX_LENGTHS,
    PUSTAKA_ID_SOURCE,
    PUSTAKA_ID_TAG,
    SUBJECT_TAGS,
)
from .text import clean_text, fit, strip_isbd
from .writing import parse_stored, pustaka_id, record_to_marc

__all__ = [
    "ExportExtras",
    "Location",
    "attach_export_extras",
    "export_hook",
    "extras_of",
    "public_base_url",
    "CALL_NUMBER_TAGS",
    "CONTRIBUTOR_TAGS",
    "DC_ELEMENTS",
    "DC_NS",
    "MAPPED_TAGS",
    "MARCXML_NS",
    "MAX_LENGTHS",
    "OAI_DC_NS",
    "PUSTAKA_ID_SOURCE",
    "PUSTAKA_ID_TAG",
    "SUBJECT_TAGS",
    "Marc8Error",
    "clean_text",
    "contributor_from_field",
    "dc_xml",
    "explicit_call_number",
    "export_records",
    "fields_from_marc",
    "fit",
    "map_fields",
    "marc8_to_unicode_strict",
    "marcxml",
    "material_type",
    "parse_stored",
    "pustaka_id",
    "record_marcxml",
    "record_to_dc",
    "record_to_marc",
    "strip_isbd",
    "subject_headings",
    "write_marc",
]
