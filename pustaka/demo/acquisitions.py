"""Where the demo library's copies came from, for the accession register (buku induk).

Indonesian titles were mostly bought from Indonesian bookshops and publishers, some given by
members and foundations, a few received as legal deposit (serah simpan); the Library of Congress
records came as gifts and exchanges. One copy in four was acquired in the last twelve months, so
the register of this year and last year both have lines.
"""

import datetime
from decimal import Decimal

from pustaka.accessions.choices import AcquisitionSource

SUPPLIERS = ["Toko Buku Gramedia Matraman", "CV Pustaka Ilmu Bandung", "Penerbit Erlangga", "Toko Buku Togamas"]
DONORS = ["Ibu Sri Wahyuni", "Bapak Hendra Gunawan", "Yayasan Literasi Nusantara", "Alumni SMA Negeri 3"]
FOREIGN_DONORS = ["Kedutaan Besar Amerika Serikat", "The Asia Foundation"]
EXCHANGE = ["Perpustakaan Universitas Indonesia", "Perpustakaan Daerah Jawa Barat"]
DEPOSIT = "Perpustakaan Nasional RI"


def acquisition(number: int, *, indonesian: bool, today: datetime.date) -> dict:
    """The acquisition of the demo copy with barcode number ``number``: source, supplier, price, date."""
    if number % 4 == 0:
        acquired_on = today - datetime.timedelta(days=(number * 53) % 360 + 1)
    else:
        acquired_on = datetime.date(2015, 1, 1) + datetime.timedelta(days=(number * 37) % 3600)
    if not indonesian:
        if number % 5 == 0:
            return {
                "acquisition_source": AcquisitionSource.EXCHANGE,
                "supplier": EXCHANGE[number % 2],
                "acquired_on": acquired_on,
            }
        return {
            "acquisition_source": AcquisitionSource.GIFT,
            "supplier": FOREIGN_DONORS[number % 2],
            "acquired_on": acquired_on,
        }
    if number % 11 == 0:
        return {"acquisition_source": AcquisitionSource.DEPOSIT, "supplier": DEPOSIT, "acquired_on": acquired_on}
    if number % 3 == 0:
        return {
            "acquisition_source": AcquisitionSource.GIFT,
            "supplier": DONORS[number % len(DONORS)],
            "acquired_on": acquired_on,
        }
    return {
        "acquisition_source": AcquisitionSource.PURCHASE,
        "supplier": SUPPLIERS[number % len(SUPPLIERS)],
        "price": Decimal(35000 + (number * 7919) % 90 * 1000),
        "acquired_on": acquired_on,
    }
