"""Every write to the accession register: numbering a new copy, correcting its acquisition, the pattern.

A copy is numbered by :func:`number_copy` inside :func:`pustaka.holdings.actions.create_item` (every
way a copy is made: the item page, the API, serial check-in, the demo), in create_item's transaction.
The year's counter row is locked while the number is taken and never goes down, and numbers are
unique in the database, so a number is never given twice, even after its copy is deleted.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import ValidationFailed
from pustaka.core.numbers import NumberNotUnderstood, parse_decimal
from pustaka.core.permissions import acting_user
from pustaka.core.registry import action

from . import pattern as patterns
from .choices import AcquisitionSource
from .errors import UnknownSource
from .models import Accession, AccessionCounter, RegisterSettings


def _check_source(source: str) -> str:
    source = source or AcquisitionSource.PURCHASE
    if source not in AcquisitionSource.values:
        raise UnknownSource(field="acquisition_source")
    return source


def check_acquisition(*, source: str = "", supplier: str = "", price=None) -> tuple[str, str, Decimal | None]:
    """Check what a new copy says about its acquisition before anything is written: (source, supplier, price)."""
    source = _check_source(source)
    supplier = (supplier or "").strip()
    if len(supplier) > 200:
        raise ValidationFailed(_("A supplier or donor is at most 200 characters."), field="supplier")
    if price is not None and price != "":
        try:
            price = parse_decimal(price, allow_negative=True)
        except NumberNotUnderstood as error:
            raise ValidationFailed(str(error), field="price") from None
        if price < 0:
            raise ValidationFailed(_("A price is zero or more."), field="price")
    else:
        price = None
    return source, supplier, price


def _locked_counter(year: int) -> AccessionCounter:
    """The counter row of ``year``, locked until the transaction ends (created the first time)."""
    counter = AccessionCounter.objects.select_for_update().filter(year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():  # two desks numbering the year's first copy: one creates, one waits
            AccessionCounter.objects.create(year=year, last=0)
    except IntegrityError:
        pass
    return AccessionCounter.objects.select_for_update().get(year=year)


def next_number(*, year: int, source: str, branch: str, item_type: str) -> tuple[int, int, str]:
    """Take the next free number of the pattern for ``year``: (counter year, sequence, number).

    Call inside a transaction. A number already in the register (the pattern changed, or a number was
    typed in by hand elsewhere) is passed over, so the counter only moves forward."""
    current = patterns.parse(RegisterSettings.current().pattern)
    counter_year = year if current.yearly else 0
    counter = _locked_counter(counter_year)
    sequence = counter.last
    while True:
        sequence += 1
        number = current.render(
            seq=sequence, year=year, source=AcquisitionSource.code(source), branch=branch, item_type=item_type
        )
        taken = Accession.objects.filter(number=number).exists() or (
            Accession.objects.filter(counter_year=counter_year, sequence=sequence).exists()
        )
        if not taken:
            break
    counter.last = sequence
    counter.save(update_fields=["last"])
    return counter_year, sequence, number


def number_copy(*, item, actor, source: str = "", supplier: str = "", price=None) -> Accession:
    """Give a new copy the next accession number (called by create_item, in its transaction).

    Not an action of its own: create_item's permission and audit event cover it (its event carries
    the number)."""
    source, supplier, price = check_acquisition(source=source, supplier=supplier, price=price)
    acquired_on = item.acquired_on or timezone.localdate()
    counter_year, sequence, number = next_number(
        year=acquired_on.year, source=source, branch=item.branch.code, item_type=item.item_type.code
    )
    return Accession.objects.create(
        number=number,
        counter_year=counter_year,
        sequence=sequence,
        year=acquired_on.year,
        item=item,
        barcode=item.barcode,
        title=(item.record.title or "")[:300],
        source=source,
        supplier=supplier,
        price=price,
        acquired_on=acquired_on,
        created_by=acting_user(actor),
    )


@action("accessions.acquisition.update", permission="accessions.edit_acquisition", label=_("Acquisition corrected"))
def update_acquisition(*, accession: Accession, actor, source: str, supplier: str = "", price=None) -> Accession:
    """Correct where a copy came from, its supplier or donor and its price. The number stays as given."""
    source, supplier, price = check_acquisition(source=source, supplier=supplier, price=price)
    locked = Accession.objects.select_for_update().get(pk=accession.pk)
    before = snapshot(locked, ["source", "supplier", "price"])
    locked.source, locked.supplier, locked.price = source, supplier, price
    locked.save(update_fields=["source", "supplier", "price"])
    old, new = diff(before, snapshot(locked, ["source", "supplier", "price"]))
    if new:
        audit(actor, "accessions.acquisition.update", locked, before=old, after=new)
    for name in ("source", "supplier", "price"):
        setattr(accession, name, getattr(locked, name))
    return locked


@action("accessions.pattern.set", permission="accessions.set_accession_pattern", label=_("Accession pattern set"))
def set_pattern(*, actor, pattern: str) -> RegisterSettings:
    """Set the pattern new accession numbers follow; numbers already given keep their form."""
    checked = patterns.parse(pattern)
    settings = RegisterSettings.current()
    RegisterSettings.objects.select_for_update().filter(pk=settings.pk).first()
    before = settings.pattern
    if before != checked.text:
        settings.pattern = checked.text
        settings.save(update_fields=["pattern", "updated_at"])
        audit(actor, "accessions.pattern.set", settings, before={"pattern": before}, after={"pattern": checked.text})
    return settings
