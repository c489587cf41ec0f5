"""What other apps add to a record's export: where it is online (856 $u $y $z $q), the version and
platform of software (250, 538), and the kinds of content its files hold (336; 337/338 computer, online).

The catalogue knows no digital resources: the digital app registers an :func:`export_hook` that
answers for a whole page of records in one or two queries. Pages that export many records (OAI-PMH,
SRU, ``export-marc``) call :func:`attach_export_extras` once per page; a single record without them
is looked up on its own by :func:`extras_of`.
"""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings


@dataclass(frozen=True)
class Location:
    """One place a record can be used online: an 856 field."""

    url: str  # $u: absolute, or a path on this server ("/digital/...") made absolute by attach_export_extras
    link_text: str = ""  # $y
    access_note: str = ""  # $z: open, or restricted by licence
    media_type: str = ""  # $q: the file's MIME type
    content: str = ""  # a key of tables.RDA_CONTENT the file's format gives ("text", "program", ...)


@dataclass
class ExportExtras:
    """Everything the hooks add to one record's export."""

    locations: list[Location] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)

    def merge(self, other: "ExportExtras") -> None:
        for name in ("locations", "versions", "platforms"):
            mine = getattr(self, name)
            mine.extend(value for value in getattr(other, name) if value not in mine)

    def __bool__(self) -> bool:
        return bool(self.locations or self.versions or self.platforms)

    @property
    def contents(self) -> list[str]:
        return list(dict.fromkeys(loc.content for loc in self.locations if loc.content))


#: Functions registered with :func:`export_hook`: each takes a list of records and answers
#: ``{record id: ExportExtras}`` for those it has something to add to.
HOOKS: list[Callable[[list], dict[int, ExportExtras]]] = []


def export_hook(func):
    """Register ``func`` (see :data:`HOOKS`); registering it twice keeps one."""
    if func not in HOOKS:
        HOOKS.append(func)
    return func


def public_base_url(request=None) -> str:
    """The address links in exports start with: the request's own, else setting or environment
    ``PUSTAKA_PUBLIC_URL``, else ``http://localhost:8000`` (the default port of ``pustaka serve``)."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    configured = getattr(settings, "PUSTAKA_PUBLIC_URL", None) or os.environ.get("PUSTAKA_PUBLIC_URL")
    return (configured or "http://localhost:8000").rstrip("/")


def attach_export_extras(records: Iterable, *, base_url: str | None = None) -> list:
    """Set ``record.export_extras`` on every record (one round of hook queries for all of them)."""
    records = [r for r in records if r is not None]
    base = (base_url or public_base_url()).rstrip("/")
    found: dict[int, ExportExtras] = {}
    if records:
        for hook in HOOKS:
            for record_id, extra in hook(records).items():
                found.setdefault(record_id, ExportExtras()).merge(extra)
    for record in records:
        extras = found.get(record.pk, ExportExtras())
        extras.locations = [
            Location(base + loc.url, loc.link_text, loc.access_note, loc.media_type, loc.content)
            if loc.url.startswith("/")
            else loc
            for loc in extras.locations
        ]
        record.export_extras = extras
    return records


def extras_of(record) -> ExportExtras:
    """The record's export extras, looked up now if no page attached them."""
    if getattr(record, "export_extras", None) is None:
        if record.pk is None:
            return ExportExtras()
        attach_export_extras([record])
    return record.export_extras
