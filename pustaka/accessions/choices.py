"""How a copy came to the library (the source of acquisition), with the code its accession number carries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AcquisitionSource(models.TextChoices):
    """Where a copy came from: bought, given, legal deposit, exchanged."""

    PURCHASE = "purchase", _("Purchase")
    GIFT = "gift", _("Gift")
    DEPOSIT = "deposit", _("Deposit")
    EXCHANGE = "exchange", _("Exchange")

    @classmethod
    def code(cls, value: str) -> str:
        """The short code written in accession numbers: B (beli), H (hadiah), SS (serah simpan), T (tukar)."""
        return SOURCE_CODES.get(value, "")


SOURCE_CODES = {
    AcquisitionSource.PURCHASE: "B",
    AcquisitionSource.GIFT: "H",
    AcquisitionSource.DEPOSIT: "SS",
    AcquisitionSource.EXCHANGE: "T",
}
