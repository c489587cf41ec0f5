"""Demo library part: digital resources with real files, licences, an e-journal with KBART holdings.

``_load_resources`` (ingest): collections, real EPUB and PDF files ingested into records made from
their own metadata, a PDF attached to an Indonesian record that also has printed copies, a software
package (a small Debian package built here from bytes in this module) with three licence-key seats,
and e-journals from a KBART file (``data/kbart-jurnal-teknik.txt``).
``_load_licences`` (access): the licences, one resource restricted by licence.
"""

import io
import tarfile
import time
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
EBOOKS_DIR = DATA_DIR / "ebooks"
KBART_FILE = DATA_DIR / "kbart-jurnal-teknik.txt"

COLLECTIONS = [
    (
        "jurnal-teknik",
        "Koleksi Jurnal Teknik",
        "Jurnal-jurnal teknik (sipil, elektro, mesin) yang dilanggan perpustakaan.",
    ),
    (
        "buku-elektronik-indonesia",
        "Buku Elektronik Indonesia",
        "Buku elektronik berbahasa Indonesia dan tentang Indonesia.",
    ),
]

#: Real files ingested into new records (made from the files' metadata): file, collection code.
EBOOKS = [
    ("childrens-literature.epub", None),
    ("eng.epub", None),
    ("tur.epub", None),
    ("metadata.pdf", None),
    ("encrypted-file.pdf", None),
]

#: Records whose file metadata is poor (a placeholder title, or none readable because the PDF is
#: encrypted), as the IT manager corrects them after ingest.
CORRECTED_RECORDS = {
    "metadata.pdf": {
        "title": "Contoh metadata PDF",
        "subtitle": "berkas uji pypdf dengan Info dan XMP; hanya dapat dibaca di jaringan perpustakaan",
        "language": "eng",
    },
    "encrypted-file.pdf": {
        "title": "Contoh PDF terenkripsi",
        "subtitle": "berkas uji pypdf; metadatanya tidak dapat dibaca karena terenkripsi",
        "language": "eng",
    },
}

SOFTWARE_KEYS = ["PSTK-7Q2M-4XRA-91KD", "PSTK-8W3N-5YSB-02LE", "PSTK-9E4P-6ZTC-13MF"]
SOFTWARE_CONTROL = b"""Package: katalog-offline
Version: 1.0.0
Architecture: all
Maintainer: Perpustakaan Demo Pustaka <it@perpustakaan.example>
Description: Katalog offline perpustakaan
 Aplikasi kecil untuk membaca ekspor katalog perpustakaan tanpa internet.
"""
SOFTWARE_SCRIPT = b"""#!/bin/sh
echo "Katalog offline perpustakaan (demo)"
"""


def build_deb() -> bytes:
    """A small, real Debian package (``ar`` archive of debian-binary, control and data tarballs)."""

    def tarball(files: dict[str, tuple[bytes, int]]) -> bytes:
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w:gz", format=tarfile.GNU_FORMAT) as tar:
            for name, (data, mode) in files.items():
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = len(data), mode, 1_700_000_000
                tar.addfile(info, io.BytesIO(data))
        return out.getvalue()

    members = [
        ("debian-binary", b"2.0\n"),
        ("control.tar.gz", tarball({"./control": (SOFTWARE_CONTROL, 0o644)})),
        ("data.tar.gz", tarball({"./usr/bin/katalog-offline": (SOFTWARE_SCRIPT, 0o755)})),
    ]
    out = io.BytesIO()
    out.write(b"!<arch>\n")
    for name, data in members:
        header = f"{name:<16}{1_700_000_000:<12}{0:<6}{0:<6}{'100644':<8}{len(data):<10}`\n"
        out.write(header.encode("ascii"))
        out.write(data)
        if len(data) % 2:
            out.write(b"\n")
    return out.getvalue()


def load_digital_library(demo) -> None:
    """Load digital resources with real files, then the licences that govern them."""
    _load_resources(demo)
    _load_licences(demo)


def _load_resources(demo) -> None:
    """Collections, real e-books and PDFs, a software package with seats, e-journals from KBART."""
    from pustaka.catalog import actions as catalog_actions
    from pustaka.digital.actions.collections import create_collection
    from pustaka.digital.actions.ingest import ingest_file
    from pustaka.digital.actions.kbart import import_kbart
    from pustaka.digital.actions.resources import add_seats, create_resource

    started = time.monotonic()
    actor = demo.actor
    collections = {}
    for code, name, description in COLLECTIONS:
        collections[code] = create_collection(actor=actor, code=code, name=name, description=description)
    demo.collections = collections

    results = []
    for name, code in EBOOKS:
        result = ingest_file(
            source=EBOOKS_DIR / name,
            original_name=name,
            actor=actor,
            collections=[collections[code]] if code else (),
        )
        results.append(result)
        # The IT manager corrects what the file's own metadata got wrong (content matters).
        fix = CORRECTED_RECORDS.get(name)
        if fix and result.record is not None:
            catalog_actions.update_record(record=result.record, actor=actor, **fix)

    # A printed book that also has its e-book: the Indonesian Python textbook (the Vicksburg PDF stands in).
    python_book = getattr(demo, "records", {}).get("dasar-pemrograman-python")
    if python_book is not None:
        results.append(
            ingest_file(
                source=EBOOKS_DIR / "Seige_of_Vicksburg_Sample_OCR.pdf",
                original_name="dasar-pemrograman-python.pdf",
                actor=actor,
                record=python_book,
                kind="ebook",
                collections=[collections["buku-elektronik-indonesia"]],
            )
        )

    # Software: a Debian package built from the bytes above, three seats with licence keys.
    software_record = catalog_actions.create_record(
        actor=actor,
        material_type="software",
        title="Katalog offline perpustakaan",
        publisher="Perpustakaan Demo Pustaka",
        year=2026,
        language="ind",
        subjects=["Katalog perpustakaan -- Perangkat lunak"],
        classification_scheme="ddc",
        class_number="025.3",
    )
    software = create_resource(
        record=software_record, kind="software", actor=actor, version="1.0.0", platform="Debian/Ubuntu Linux"
    )
    ingest_file(
        source=io.BytesIO(build_deb()),
        original_name="katalog-offline_1.0.0_all.deb",
        actor=actor,
        resource=software,
        role="installer",
    )
    add_seats(resource=software, actor=actor, keys=SOFTWARE_KEYS)
    demo.software = software

    kbart = import_kbart(
        source=KBART_FILE, actor=actor, collection=collections["jurnal-teknik"], file_name=KBART_FILE.name
    )
    demo.digital_results = results
    demo.say(
        f"Digital resources: {len(results)} files ingested, 1 software package with {len(SOFTWARE_KEYS)} seats, "
        f"{kbart.created} e-journals from KBART ({time.monotonic() - started:.1f} s)."
    )


#: The library's own network: the on-site licence below only opens from these addresses.
LIBRARY_LAN = "10.0.0.0/8\n192.168.0.0/16"


def _load_licences(demo) -> None:
    """Licences for the demo's digital resources: the access part.

    - *Domain publik*: open access (anyone, no login) for the public-domain e-books;
    - *Lisensi Mahasiswa*: patrons of category STUDENT only, 3 concurrent readers: the Python textbook
      PDF (D0001, a PUBLIC patron, is refused with the reason shown);
    - *Akses di perpustakaan*: every patron but only from the library LAN (10.0.0.0/8, 192.168.0.0/16),
      read online only: the readable "Contoh metadata PDF" (from localhost it is refused: "only
      available inside the library"; from the LAN any patron reads it in the browser);
    - *Arsip internal*: patrons of category STAFF only (and, as for every resource, the staff who manage
      the digital library): the encrypted PDF, kept as an example of a file whose metadata could not
      be read at ingest (its record was catalogued by hand);
    - *Lisensi Katalog Offline*: the software package, 3 seats lent at the desk;
    - *Langganan Jurnal Teknik*: the KBART e-journals, ending in 45 days (on the IT manager's
      "ending within 60 days" list).
    """
    import datetime

    from django.utils import timezone

    from pustaka.digital.actions.licences import assign_licence, create_licence
    from pustaka.digital.models import DigitalResource

    actor = demo.actor
    today = timezone.localdate()
    year_start = today.replace(month=1, day=1)
    results = getattr(demo, "digital_results", [])
    by_name = {r.file.original_name: r.resource for r in results if r.resource is not None}

    def assign(resources, licence):
        for resource in resources:
            if resource is not None:
                assign_licence(resource=resource, licence=licence, actor=actor)

    public_domain = create_licence(
        actor=actor, name="Domain publik (akses terbuka)", vendor="Project Gutenberg / IDPF",
        terms="Karya domain publik: boleh dibaca dan diunduh siapa saja.", is_open_access=True,
    )  # fmt: skip
    public_books = ("childrens-literature.epub", "eng.epub", "tur.epub")
    assign([by_name.get(name) for name in public_books], public_domain)

    students = create_licence(
        actor=actor, name="Lisensi Mahasiswa – Penerbit Informatika", vendor="Penerbit Informatika",
        terms="Hanya untuk anggota kategori Pelajar/Mahasiswa; 3 pembaca bersamaan.",
        starts_on=year_start, ends_on=year_start.replace(year=year_start.year + 2),
        patron_categories=["STUDENT"], concurrent_users=3,
    )  # fmt: skip
    assign([by_name.get("dasar-pemrograman-python.pdf")], students)

    on_site = create_licence(
        actor=actor, name="Akses di perpustakaan (LAN)", vendor="Penerbit Demo",
        terms="Hanya dari jaringan perpustakaan; baca daring saja.", ip_ranges=LIBRARY_LAN, download_allowed=False,
    )  # fmt: skip
    assign([by_name.get("metadata.pdf")], on_site)

    internal = create_licence(
        actor=actor, name="Arsip internal (staf perpustakaan)", vendor="Perpustakaan Demo Pustaka",
        terms="Berkas uji untuk staf: PDF terenkripsi yang metadatanya tidak dapat dibaca saat diunggah.",
        patron_categories=["STAFF"],
    )  # fmt: skip
    assign([by_name.get("encrypted-file.pdf")], internal)

    software = create_licence(
        actor=actor, name="Lisensi Katalog Offline", vendor="Perpustakaan Demo Pustaka", seats=3,
        starts_on=year_start, ends_on=today + datetime.timedelta(days=365),
    )  # fmt: skip
    assign([getattr(demo, "software", None)], software)

    journals = create_licence(
        actor=actor, name="Langganan Jurnal Teknik", vendor="Garuda Digital",
        terms="Langganan tahunan jurnal teknik; akses melalui tautan penerbit.",
        starts_on=today - datetime.timedelta(days=320), ends_on=today + datetime.timedelta(days=45),
    )  # fmt: skip
    unlicensed = DigitalResource.objects.filter(licence__isnull=True)
    assign(list(unlicensed.filter(kind="ejournal")), journals)
    assign(list(unlicensed.exclude(kind="ejournal")), public_domain)  # anything else the demo made is public domain
    demo.say(
        "Licences: open access for the public-domain e-books; STUDENT-only for the Python textbook "
        "(D0001 is PUBLIC, so it is refused with the reason); the PDF “Contoh metadata PDF” only from the library "
        f"LAN ({LIBRARY_LAN.replace(chr(10), ', ')}), read online only: from localhost it is refused; the encrypted "
        "PDF (metadata unreadable) for STAFF patrons and the IT manager only; the software has 3 seats to lend "
        f"at the desk; “Langganan Jurnal Teknik” ends on {journals.ends_on:%Y-%m-%d} (within 60 days)."
    )
