"""Demo library part: acquisitions (pengadaan). Three vendors, this year's book fund with its budget,
an order sent to Gramedia and still to come (expected last week, so it is late and claimed once),
an order received from CV Pustaka Ilmu whose copies went to processing, a draft, and two purchase
suggestions from a patron (one waiting, one rejected with its reason). All made through the
acquisitions actions, as the admin; the received copies take the next demo barcodes."""

import datetime

from django.utils import timezone

from pustaka.acquisitions import actions

VENDORS = [
    (
        "Toko Buku Gramedia Matraman",
        "Ibu Ratna",
        "pesanan@gramedia.example",
        "(021) 858 1234",
        "Jl. Matraman Raya No. 46-50\nJakarta Timur 13150",
    ),
    (
        "CV Pustaka Ilmu Bandung",
        "Bapak Dedi",
        "order@pustakailmu.example",
        "(022) 250 4321",
        "Jl. Palasari No. 9\nBandung 40262",
    ),
    ("Penerbit Erlangga", "", "", "(021) 871 7006", "Jl. H. Baping Raya No. 100\nCiracas, Jakarta Timur 13740"),
]


def load_orders(demo) -> None:
    """Vendors, a fund, a late sent order, a received order, a draft and two suggestions."""
    actor = demo.actor
    today = timezone.localdate()
    vendors = [
        actions.save_vendor(actor=actor, name=n, contact_name=c, email=e, phone=p, address=a)
        for n, c, e, p, a in VENDORS
    ]
    fund = actions.save_fund(actor=actor, code="BUKU", name="Pengadaan buku umum", year=today.year, budget="25.000.000")
    actions.save_fund(actor=actor, code="REF", name="Buku referensi", year=today.year, budget="7.500.000")
    main, north = demo.branches["MAIN"], demo.branches["NORTH"]
    book = demo.item_types["BOOK"]
    records = demo.records

    def order(vendor, lines, *, expected_days: int, note: str = ""):
        made = actions.create_order(
            actor=actor, vendor=vendor, expected_by=today + datetime.timedelta(days=expected_days), note=note
        )
        for key, copies, branch, price in lines:
            actions.add_order_line(
                actor=actor, order=made, record=records[key], copies=copies, branch=branch, item_type=book,
                price=price, fund=fund,
            )  # fmt: skip
        return made

    late = order(
        vendors[0],
        [("laskar-pelangi", 3, main, "89.000"), ("bumi-manusia", 2, main, "132.000"), ("hujan", 2, north, "98.500")],
        expected_days=-7,
        note="Mohon dikirim ke Perpustakaan Pusat.",
    )
    actions.send_order(actor=actor, order=late)
    actions.claim_order(actor=actor, order=late, note="Mohon konfirmasi tanggal pengiriman.")

    received = order(
        vendors[1], [("negeri-5-menara", 2, main, "85.000"), ("rindu", 1, north, "79.000")], expected_days=-20
    )
    actions.send_order(actor=actor, order=received)
    lines = list(received.lines.order_by("id"))
    actions.receive_delivery(
        actor=actor,
        order=received,
        barcodes={line.pk: [demo.barcode() for _ in range(line.copies)] for line in lines},
        note="Surat jalan SJ-0457",
    )
    actions.record_invoice(
        actor=actor, vendor=vendors[1], number="INV/PI/0457", date=today, amount="249.000",
        lines=[(line, line.copies, line.price * line.copies) for line in lines],
    )  # fmt: skip

    draft = order(vendors[2], [("siti-nurbaya", 2, main, "65.000")], expected_days=30)
    patron = next((p for p in demo.patrons.values() if p.user_id), None)
    if patron is not None:
        actions.suggest_purchase(
            actor=patron.user, title="Cantik Itu Luka", author="Eka Kurniawan", reason="Banyak teman yang mencarinya."
        )
        rejected = actions.suggest_purchase(
            actor=patron.user, title="Harry Potter dan Batu Bertuah", author="J.K. Rowling"
        )
        actions.reject_suggestion(actor=actor, suggestion=rejected, reason="Sudah ada 3 eksemplar di Cabang Utara.")
    demo.say(
        f"Acquisitions: {len(vendors)} vendors, fund BUKU {today.year}, order {late.number} sent and late, "
        f"{received.number} received, draft {draft.number}."
    )
