"""The digital library's part of a record's export (MARC 856/250/538/336-338, Dublin Core, OAI-PMH).

Registered with the catalogue's :func:`~pustaka.catalog.marc.extras.export_hook` when the app is ready.
Each active resource of a record gives one location per file a reader can open (content, supplement,
installer; covers are not the resource) or, for a remote resource, its link through this library (so
the licence is still checked and the use counted). The access note says whether anyone may open it or
only the library's members under a licence. Software gives its version and platform.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from pustaka.catalog.marc.extras import ExportExtras, Location, export_hook

from .choices import FileRole, FileState, ResourceKind
from .models import DigitalResource

#: MIME types of programs one installs (the rest of a software resource's files are its documentation).
PROGRAM_TYPES = frozenset(
    {
        "application/vnd.debian.binary-package",
        "application/x-debian-package",
        "application/x-msdownload",
        "application/x-msi",
        "application/x-ms-installer",
        "application/vnd.microsoft.portable-executable",
        "application/x-executable",
        "application/x-rpm",
        "application/vnd.android.package-archive",
        "application/x-apple-diskimage",
    }
)
DATASET_TYPES = frozenset({"text/csv", "application/json", "application/vnd.ms-excel", "application/x-sqlite3"})
KIND_CONTENT = {
    ResourceKind.EBOOK: "text",
    ResourceKind.EJOURNAL: "text",
    ResourceKind.DATABASE: "text",
    ResourceKind.SOFTWARE: "program",
    ResourceKind.DATASET: "dataset",
    ResourceKind.AUDIO: "music",
    ResourceKind.VIDEO: "moving",
}


def content_of(mime_type: str, *, role: str, kind: str) -> str:
    """The RDA content (a key of ``catalog.marc.tables.RDA_CONTENT``) a file of this format holds."""
    mime = (mime_type or "").lower()
    if role == FileRole.INSTALLER or mime in PROGRAM_TYPES:
        return "program"
    if mime in DATASET_TYPES or kind == ResourceKind.DATASET:
        return "dataset"
    if mime.startswith("audio/"):
        return "music"
    if mime.startswith("video/"):
        return "moving"
    if mime.startswith("image/"):
        return "still"
    if mime.startswith("text/") or mime in ("application/pdf", "application/epub+zip") or "document" in mime:
        return "text"
    return KIND_CONTENT.get(kind, "")


def access_note(*, has_licence: bool, licence_name: str, is_open: bool, on_site: bool) -> str:
    """856 $z: who may open it (open access, or library members under the licence)."""
    if not has_licence:
        return _("Restricted: no licence covers it yet; ask the library")
    if is_open:
        return _("Open access inside the library") if on_site else _("Open access")
    if on_site:
        return _("Restricted by licence (%(licence)s): library members, inside the library only") % {
            "licence": licence_name
        }
    return _("Restricted by licence (%(licence)s): library members only") % {"licence": licence_name}


def _link_text(label: str, role: str, fmt: str) -> str:
    if label:
        return f"{label} ({fmt})" if fmt else label
    if role == FileRole.INSTALLER:
        return _("Installer (%(format)s)") % {"format": fmt}
    if role == FileRole.SUPPLEMENT:
        return _("Supplement (%(format)s)") % {"format": fmt}
    return _("Full text (%(format)s)") % {"format": fmt}


@export_hook
def digital_extras(records) -> dict[int, ExportExtras]:
    """Locations, versions and platforms of the records' active resources, in one query for all."""
    rows = (
        DigitalResource.objects.filter(record_id__in=[r.pk for r in records], is_active=True)
        .order_by("record_id", "pk", "files__role", "files__id")
        .values_list(
            "record_id",
            "pk",
            "kind",
            "label",
            "remote_url",
            "version",
            "platform",
            "licence_id",
            "licence__name",
            "licence__is_open_access",
            "licence__ip_ranges",
            "files__id",
            "files__role",
            "files__label",
            "files__file__mime_type",
            "files__file__format_name",
            "files__file__state",
        )
    )
    found: dict[int, ExportExtras] = {}
    linked: set[int] = set()
    for (
        record_id,
        resource_id,
        kind,
        label,
        remote_url,
        version,
        platform,
        licence_id,
        licence_name,
        is_open,
        ip_ranges,
        file_id,
        role,
        file_label,
        mime_type,
        format_name,
        state,
    ) in rows:
        extras = found.setdefault(record_id, ExportExtras())
        note = access_note(
            has_licence=licence_id is not None,
            licence_name=licence_name or "",
            is_open=bool(is_open),
            on_site=bool((ip_ranges or "").strip()),
        )
        if version and version not in extras.versions:
            extras.versions.append(version)
        if platform and platform not in extras.platforms:
            extras.platforms.append(platform)
        if remote_url and resource_id not in linked:
            linked.add(resource_id)
            extras.locations.append(
                Location(
                    reverse("digital_public:follow_link", args=[resource_id]),
                    label or _("Online access"),
                    note,
                    "",
                    KIND_CONTENT.get(kind, ""),
                )
            )
        if file_id is None or role == FileRole.COVER or state != FileState.OK:
            continue
        name = "digital_public:download_file" if role == FileRole.INSTALLER else "digital_public:read_file"
        extras.locations.append(
            Location(
                reverse(name, args=[resource_id, file_id]),
                _link_text(file_label or label, role, format_name or mime_type),
                note,
                mime_type or "",
                content_of(mime_type, role=role, kind=kind),
            )
        )
    return found
