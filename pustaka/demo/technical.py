"""The demo's technical services: work waiting in every technician queue (a part of the demo loader).

Everything goes through the actions of :mod:`pustaka.technical.actions`, mostly with the admin as the
actor; where the story needs a person (a technician ticking steps, the senior technician sending work
back, a stocktake scanned at NORTH) that person is the actor, so the audit trail reads like a working day.

What it leaves:

- processing: the library's profile, and a NORTH profile with the label steps turned off (items arrive
  pre-labelled); items in processing with some steps ticked; work assigned to ``teknisi``, one item sent
  back with a note by ``teknisi.senior``, one approved; two donated books waiting for a call number;
- pulling and weeding: criteria for the MAIN store room with candidates proposed, approved and rejected;
  the approved ones on an open pull list, some pulled, one not found, two still to pull;
- repair: open repair tickets (one with work recorded);
- bindery: a bindery, one shipment sent and overdue, one partly returned;
- sale: withdrawn items, a book sale with sales in cash and by QRIS, items still for sale;
- stocktake: the NORTH store room scanned and finished, waiting for the librarian's confirmation;
- serials: Bobo (weekly), Intisari (monthly) and Kompas (daily) with predicted issues, some received,
  some late and one claimed.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from pustaka.catalog import actions as catalog_actions
from pustaka.holdings import actions as holdings_actions
from pustaka.holdings.choices import ItemStatus, PullReason
from pustaka.holdings.models import Item
from pustaka.technical import actions as m
from pustaka.technical.choices import (
    DamageType,
    Frequency,
    IssueStatus,
    PaymentMethod,
    Queue,
    ReviewOutcome,
    StepKind,
    WeedingDecision,
)
from pustaka.technical.models import SerialIssue
from pustaka.technical.queries import queue_items
from pustaka.technical.queries.processing import library_profile
from pustaka.technical.queries.pulling import candidates as weeding_candidates
from pustaka.technical.queries.stocktake import ON_THE_SHELF

#: Donated books that arrived without classification: the cataloguer's queue ("waiting for a call number").
DONATED_BOOKS = [
    (
        "MAIN",
        {
            "title": "Cantik itu luka",
            "responsibility": "Eka Kurniawan",
            "contributors": [{"name": "Kurniawan, Eka", "role": "author"}],
            "publisher": "Gramedia Pustaka Utama",
            "place": "Jakarta",
            "year": 2004,
            "subjects": ["Fiksi Indonesia"],
            "notes": "Sumbangan pembaca.",
            "language": "ind",
        },
    ),
    (
        "NORTH",
        {
            "title": "Orang-orang Bloomington",
            "responsibility": "Budi Darma",
            "contributors": [{"name": "Darma, Budi", "role": "author"}],
            "publisher": "Noura Books",
            "place": "Jakarta",
            "year": 2016,
            "subjects": ["Cerita pendek Indonesia"],
            "notes": "Sumbangan pembaca.",
            "language": "ind",
        },
    ),
]

BINDERY_NAME = "CV Sinar Jilid Bandung"
BINDERY_CONTACT = "Jl. Cibadak No. 88, Bandung 40241\n(022) 601 2345 · sinarjilid@example.id"

#: Serial subscriptions at MAIN: record key, frequency, numbering, first number, grace days, supplier.
SUBSCRIPTIONS = [
    ("bobo", Frequency.WEEKLY, "Edisi {n}", 31, 7, "Agen Majalah Sinar Pagi"),
    ("intisari", Frequency.MONTHLY, "No. {n}/{year}", 741, 14, "Agen Majalah Sinar Pagi"),
    ("kompas", Frequency.DAILY, "No. {n}", 120, 2, "Loper Koran Pak Ujang"),
]


def load_technical_services(demo) -> None:
    """Work waiting in every technical-services queue (see the module's docstring)."""
    today = timezone.localdate()
    staff = {user.username: user for user in demo.staff}
    _processing(demo, staff)
    _cataloguing(demo)
    _repair(demo, staff)
    _bindery(demo, staff, today)
    pulled_for_weeding = _weeding(demo, staff)
    _sale(demo, pulled_for_weeding, today)
    _stocktake(demo, staff)
    _serials(demo, staff, today)
    counts = ", ".join(f"{queue} {queue_items(queue).count()}" for queue in Queue.values)
    demo.say(f"Technical services, items waiting: {counts}.")


# --- The parts -----------------------------------------------------------------------------------


def _processing(demo, staff) -> None:
    """Profiles, steps ticked, assignments, one item sent back with a note and one approved."""
    actor, technician, senior = demo.actor, staff["teknisi"], staff["teknisi.senior"]
    main, north = demo.branches["MAIN"], demo.branches["NORTH"]
    m.create_library_profile(actor=actor)
    profile = library_profile()
    north_profile = m.create_branch_profile(branch=north, actor=actor)
    for step in north_profile.steps.filter(kind__in=[StepKind.SPINE_LABEL, StepKind.BARCODE_LABEL]):
        m.set_processing_step_enabled(step=step, is_enabled=False, actor=actor)
    steps = [s for s in profile.steps.order_by("position", "id") if s.is_enabled]
    north_steps = [s for s in north_profile.steps.order_by("position", "id") if s.is_enabled]

    in_processing = list(_items(status=ItemStatus.IN_PROCESSING, branch=main))
    if in_processing:
        # The technician's work: two items assigned; the first half done, the other finished but sent back.
        m.assign_work(items=in_processing[:2], queue=Queue.PROCESSING, technician=technician, actor=actor)
        for step in steps[:3]:
            m.tick_processing_step(items=[in_processing[0]], step=step, actor=technician)
    if len(in_processing) > 1:
        for step in steps:
            m.tick_processing_step(items=[in_processing[1]], step=step, actor=technician)
        m.review_work(
            item=in_processing[1],
            queue=Queue.PROCESSING,
            outcome=ReviewOutcome.SENT_BACK,
            note="Label punggung terpasang terbalik dan sampul plastiknya menggelembung. Tolong pasang ulang.",
            actor=senior,
        )
    north_item = _items(status=ItemStatus.IN_PROCESSING, branch=north).first()
    if north_item is not None:
        for step in north_steps[:2]:
            m.tick_processing_step(items=[north_item], step=step, actor=staff["teknisi.utara"])

    ready = list(_items(status=ItemStatus.READY_FOR_SHELVING, branch=main)[:3])
    if ready:
        m.assign_work(items=ready[:2], queue=Queue.SHELVING, technician=technician, actor=actor)
        m.review_work(item=ready[-1], queue=Queue.PROCESSING, outcome=ReviewOutcome.APPROVED, actor=senior)


def _cataloguing(demo) -> None:
    """Donated books received without a call number: they wait for the cataloguer."""
    for branch_code, data in DONATED_BOOKS:
        record = catalog_actions.create_record(actor=demo.actor, **data)
        demo.items.append(
            holdings_actions.create_item(
                record=record,
                barcode=demo.barcode(),
                branch=demo.branches[branch_code],
                location=demo.locations[(branch_code, "STACKS")],
                item_type=demo.item_types["BOOK"],
                status=ItemStatus.RECEIVED,
                acquired_on=timezone.localdate(),
                acquisition_source="gift",
                supplier="Keluarga Bapak Suharto Wiryo",
                staff_note="Sumbangan; belum diklasifikasi.",
                actor=demo.actor,
            )
        )


def _repair(demo, staff) -> None:
    """Two of the items pulled for repair get a ticket; one already has work recorded."""
    technician = staff["teknisi"]
    pulled = list(_items(status=ItemStatus.PULLED, pulled_reason=PullReason.REPAIR, branch=demo.branches["MAIN"]))
    damages = [
        (DamageType.LOOSE_PAGES, "Beberapa halaman lepas dari jilidan."),
        (DamageType.COVER_DAMAGE, "Sampul depan sobek di bagian punggung."),
    ]
    # Keep one item pulled for repair, waiting for its ticket.
    for item, (damage, notes) in zip(pulled[:-1], damages, strict=False):
        ticket = m.open_repair(item=item, damage_type=damage, notes=notes, actor=technician)
        if damage == DamageType.LOOSE_PAGES:
            m.record_repair_work(
                ticket=ticket,
                minutes=45,
                materials_cost=Decimal("15000"),
                notes="Halaman ditempel ulang dengan lem PVA; menunggu kering.",
                actor=technician,
            )


def _bindery(demo, staff, today) -> None:
    """Old books of the MAIN store pulled for binding, a bindery, one shipment overdue, one partly back."""
    actor, technician = demo.actor, staff["teknisi"]
    main = demo.branches["MAIN"]
    store = demo.locations[("MAIN", "STORE")]
    to_bind = list(_items(status=ItemStatus.AVAILABLE, branch=main, location=store)[:3])
    if to_bind:
        pull_list = m.create_pull_list(
            name="Jilid ulang: buku tua gudang", reason=PullReason.BIND, branch=main, actor=actor
        )
        m.add_to_pull_list(pull_list=pull_list, barcodes=[i.barcode for i in to_bind], actor=actor)
        for item in to_bind:
            m.scan_pulled_item(pull_list=pull_list, barcode=item.barcode, actor=technician)
        m.close_pull_list(pull_list=pull_list, actor=actor)
    pulled = list(_items(status=ItemStatus.PULLED, pulled_reason=PullReason.BIND, branch=main))
    if len(pulled) < 2:
        return
    vendor = m.create_bindery_vendor(name=BINDERY_NAME, contact=BINDERY_CONTACT, actor=actor)
    overdue = m.create_shipment(
        vendor=vendor, branch=main, instructions="Jilid buku (hard cover), kain biru tua.", cost=150000, actor=actor
    )
    for item in pulled[:2]:
        m.add_to_shipment(
            shipment=overdue, item=item, instructions="Punggung baru; pertahankan sampul asli.", actor=actor
        )
    m.send_shipment(
        shipment=overdue,
        sent_on=today - datetime.timedelta(days=42),
        expected_on=today - datetime.timedelta(days=14),
        actor=actor,
    )
    rest = pulled[2:]
    if not rest:
        return
    partly = m.create_shipment(vendor=vendor, branch=main, instructions="Jilid ulang, sampul kain.", actor=actor)
    for item in rest:
        m.add_to_shipment(shipment=partly, item=item, instructions="Jahit ulang halaman yang lepas.", actor=actor)
    m.send_shipment(
        shipment=partly,
        sent_on=today - datetime.timedelta(days=21),
        expected_on=today + datetime.timedelta(days=7),
        actor=actor,
    )
    if len(rest) > 1:
        m.receive_from_bindery(
            shipment=partly,
            item=rest[0],
            binding_note="Sampul kain biru tua, judul huruf emas di punggung.",
            returned_on=today - datetime.timedelta(days=2),
            actor=technician,
        )


def _weeding(demo, staff) -> list[Item]:
    """Weeding criteria for the MAIN store room; candidates decided; the approved ones on a pull list.

    Returns the items the technician pulled.
    """
    actor, librarian, technician = demo.actor, staff["pustakawan"], staff["teknisi"]
    main = demo.branches["MAIN"]
    criteria = m.create_weeding_criteria(
        name="Gudang pusat: terbitan lebih dari 120 tahun",
        branch=main,
        location=demo.locations[("MAIN", "STORE")],
        min_years_since_publication=120,
        actor=librarian,
    )
    m.propose_weeding_candidates(criteria=criteria, actor=librarian)
    found = list(weeding_candidates(criteria))
    approve, reject = found[:8], found[8:11]
    if approve:
        m.decide_weeding_candidates(candidates=approve, decision=WeedingDecision.APPROVED, actor=librarian)
    if reject:
        m.decide_weeding_candidates(candidates=reject, decision=WeedingDecision.REJECTED, actor=librarian)
    if not approve:
        return []
    pull_list = m.pull_approved_candidates(criteria=criteria, actor=librarian)
    entries = list(pull_list.entries.select_related("item").order_by("item__location__sort_order", "item__shelf_key"))
    pulled = []
    for entry in entries[:5]:
        pulled.append(m.scan_pulled_item(pull_list=pull_list, barcode=entry.item.barcode, actor=technician).item)
    if len(entries) > 5:
        m.flag_not_found(entry=entries[5], note="Tidak ada di rak; mungkin terselip di ruang baca.", actor=technician)
    waiting = [e.item for e in entries[6:]]
    if waiting:
        m.assign_work(items=waiting, queue=Queue.PULLING, technician=technician, actor=actor)
    return pulled


def _sale(demo, pulled_for_weeding: list[Item], today) -> None:
    """Withdraw weeded items, offer most for sale, a book sale with sales in cash and by QRIS."""
    actor = demo.actor
    main = demo.branches["MAIN"]
    earlier = list(_items(status=ItemStatus.PULLED, pulled_reason=PullReason.WEED, branch=main))
    # One item the technician pulled stays pulled, waiting for the librarian to withdraw it.
    keep = {i.pk for i in pulled_for_weeding[-1:]}
    to_withdraw = [i for i in earlier if i.pk not in keep]
    if not to_withdraw:
        return
    withdrawn = m.withdraw_items(items=to_withdraw, confirm_last_copy=True, note="Penyiangan gudang pusat", actor=actor)
    offered = withdrawn[:-1]  # the last one stays withdrawn (it may yet be discarded)
    for n, item in enumerate(offered):
        m.offer_for_sale(item=item, price=Decimal(5000 if n % 2 else 10000), actor=actor)
    event = m.create_sale_event(name="Bazar Buku Bekas Perpustakaan", branch=main, held_on=today, actor=actor)
    if len(offered) >= 2:
        m.sell_items(items=offered[:2], event=event, payment_method=PaymentMethod.CASH, receipt="BZR-001", actor=actor)
    if len(offered) >= 3:
        m.sell_item(item=offered[2], event=event, payment_method=PaymentMethod.QRIS, receipt="BZR-002", actor=actor)


def _stocktake(demo, staff) -> None:
    """The NORTH store room scanned shelf by shelf and finished: the report waits for the librarian.

    Two items were not on the shelf (confirming marks them missing), two were scanned out of order,
    one belongs to another shelf, and one label could not be read.
    """
    technician = staff["teknisi.utara"]
    north = demo.branches["NORTH"]
    store = demo.locations[("NORTH", "STORE")]
    on_shelf = list(
        Item.objects.filter(branch=north, location=store, status__in=ON_THE_SHELF).order_by("shelf_key", "barcode")
    )
    if len(on_shelf) < 8:
        return
    scanned = [i.barcode for i in on_shelf]
    del scanned[len(scanned) // 2]  # not on the shelf
    del scanned[len(scanned) // 4]  # not on the shelf either
    scanned[3], scanned[4] = scanned[4], scanned[3]  # two books in the wrong order
    stray = (
        _items(status=ItemStatus.AVAILABLE, branch=north, location=demo.locations[("NORTH", "STACKS")])
        .values_list("barcode", flat=True)
        .first()
    )
    if stray:
        scanned.insert(len(scanned) // 3, stray)
    scanned.append("B9999999")
    stocktake = m.start_stocktake(branch=north, location=store, actor=technician)
    m.scan_barcodes(stocktake=stocktake, barcodes=scanned, actor=technician)
    m.finish_stocktake(stocktake=stocktake, actor=technician)


def _serials(demo, staff, today) -> None:
    """Subscriptions with predicted issues; the past ones received except a few, now late; one claimed."""
    actor = demo.actor
    main = demo.branches["MAIN"]
    late_to_claim = []
    for key, frequency, numbering, first_number, grace_days, vendor in SUBSCRIPTIONS:
        record = demo.records.get(key)
        if record is None:
            continue
        if frequency == Frequency.WEEKLY:
            starts_on, months, missed = today - datetime.timedelta(weeks=8), 6, {6}
        elif frequency == Frequency.MONTHLY:
            starts_on, months, missed = _add_months(today.replace(day=1), -5), 12, {4}
        else:
            starts_on, months, missed = today - datetime.timedelta(days=13), 1, {5}
        subscription = m.create_subscription(
            record=record,
            branch=main,
            location=demo.locations[("MAIN", "PERIODICALS")],
            item_type=demo.item_types["MAG"],
            frequency=frequency,
            starts_on=starts_on,
            grace_days=grace_days,
            vendor=vendor,
            numbering=numbering,
            first_number=first_number,
            predict_months=months,
            actor=actor,
        )
        past = SerialIssue.objects.filter(subscription=subscription, expected_on__lte=today).order_by("number")
        for index, issue in enumerate(past):
            past_grace = issue.expected_on + datetime.timedelta(days=grace_days) < today
            if index in missed or not past_grace:
                continue  # never came, or not here yet (still within the days of grace)
            m.check_in_issue(issue=issue, barcode=demo.barcode(), received_on=issue.expected_on, actor=actor)
        if frequency == Frequency.WEEKLY:
            late_to_claim = [i for n, i in enumerate(past) if n in missed]
    m.mark_late_issues(actor=actor, today=today)
    claimable = [i for i in late_to_claim if SerialIssue.objects.get(pk=i.pk).status == IssueStatus.LATE]
    if claimable:
        m.claim_issues(issues=claimable, today=today, actor=staff["teknisi.senior"])


# --- Helpers ------------------------------------------------------------------------------------


def _items(**filters):
    """Items in shelf order (then barcode), so the demo picks the same ones every time."""
    return Item.objects.filter(**filters).select_related("record", "branch").order_by("shelf_key", "barcode")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    return day.replace(year=day.year + month0 // 12, month=month0 % 12 + 1)
