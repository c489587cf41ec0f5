"""Demo library part: a skripsi with its two supervisors and its full text (a PDF made here) in the
university repository's open access, and the programmer and developer of the demo's software package,
so the exports (MARC 502, 700 $4 ths / prg, 856, 250/538, 336-338; Dublin Core; OAI-PMH) show them."""

import io
import time

THESIS = {
    "material_type": "thesis",
    "title": "Rancang bangun sistem informasi perpustakaan sekolah berbasis web",
    "subtitle": "studi kasus SMA Negeri 1 Sleman",
    "responsibility": "Ayu Lestari Putri",
    "contributors": [
        {"name": "Putri, Ayu Lestari", "role": "author"},
        {"name": "Wibowo, Agus", "role": "thesis_advisor"},
        {"name": "Handayani, Sri", "role": "thesis_advisor"},
    ],
    "place": "Yogyakarta",
    "publisher": "Universitas Gadjah Mada",
    "year": 2024,
    "extent": "xiv, 96 halaman : ilustrasi ; 30 cm",
    "language": "ind",
    "subjects": ["Sistem informasi perpustakaan", "Perpustakaan sekolah -- Otomasi"],
    "summary": (
        "Skripsi ini merancang sistem informasi perpustakaan sekolah berbasis web untuk katalog, peminjaman"
        " dan pengembalian, diuji di perpustakaan SMA Negeri 1 Sleman."
    ),
    "classification_scheme": "ddc",
    "class_number": "025.04",
    "thesis_kind": "skripsi",
    "degree": "Sarjana Komputer (S.Kom.)",
    "degree_institution": "Universitas Gadjah Mada. Fakultas Matematika dan Ilmu Pengetahuan Alam",
    "degree_year": 2024,
}
SOFTWARE_PEOPLE = [
    {"name": "Santoso, Budi", "role": "programmer"},
    {"name": "Lestari, Dewi", "role": "developer"},
]


def thesis_pdf() -> bytes:
    """A two-page PDF: the title page and the approval page of the skripsi (reportlab)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(THESIS["title"])
    pdf.setAuthor("Ayu Lestari Putri")
    width, height = A4
    lines = [
        "SKRIPSI",
        "RANCANG BANGUN SISTEM INFORMASI PERPUSTAKAAN SEKOLAH BERBASIS WEB",
        "Studi kasus SMA Negeri 1 Sleman",
        "",
        "Ayu Lestari Putri",
        "",
        "Program Studi Ilmu Komputer",
        "Fakultas Matematika dan Ilmu Pengetahuan Alam",
        "Universitas Gadjah Mada",
        "Yogyakarta 2024",
    ]
    for number, line in enumerate(lines):
        pdf.drawCentredString(width / 2, height - 150 - 24 * number, line)
    pdf.showPage()
    pdf.drawCentredString(width / 2, height - 150, "HALAMAN PENGESAHAN")
    pdf.drawCentredString(width / 2, height - 200, "Pembimbing I: Dr. Agus Wibowo")
    pdf.drawCentredString(width / 2, height - 224, "Pembimbing II: Sri Handayani, M.Kom.")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def load_theses(demo) -> None:
    """The skripsi with its PDF in open access, and the software package's programmer and developer."""
    from pustaka.catalog import actions as catalog_actions
    from pustaka.digital.actions.ingest import ingest_file
    from pustaka.digital.actions.licences import create_licence

    started = time.monotonic()
    repository = create_licence(
        actor=demo.actor,
        name="Repositori institusi (akses terbuka)",
        terms="Karya akhir mahasiswa: boleh dibaca dan diunduh siapa saja.",
        is_open_access=True,
    )
    thesis = catalog_actions.create_record(actor=demo.actor, **THESIS)
    ingest_file(
        source=io.BytesIO(thesis_pdf()),
        original_name="skripsi-ayu-lestari-putri-2024.pdf",
        actor=demo.actor,
        record=thesis,
        licence=repository,
    )
    demo.thesis = thesis
    software = getattr(demo, "software", None)
    if software is not None:
        record = software.record
        catalog_actions.update_record(
            record=record, actor=demo.actor, contributors=[*record.contributors, *SOFTWARE_PEOPLE]
        )
    demo.say(
        f"Theses: 1 skripsi with 2 supervisors and its PDF in open access; the software package's programmer"
        f" and developer ({time.monotonic() - started:.1f} s)."
    )
