"""The demo library that ``pustaka init --demo`` builds (ARCHITECTURE, "The demo library").

Everything is made through the actions, with the admin user as the actor, so the audit trail shows
how the library was built. The loader is one function per part (:data:`PARTS`); a later issue adds
its part (patrons, circulation, SIP2, digital resources, programs) by writing one more function
and appending it to :data:`PARTS`. Running it on a database that already has the ``MAIN`` branch
does nothing, so ``init --demo`` may be run again safely.

What the demo holds (also printed at the end of the load):

- branches ``MAIN`` (Perpustakaan Pusat) and ``NORTH`` (Perpustakaan Cabang Utara), each with the
  locations STACKS, REF, CHILD, PERIODICALS and STORE (closed stacks, not public);
- item types BOOK, REF (not loanable), MAG and AV;
- staff users for every role, all with the password :data:`DEMO_PASSWORD` (see :data:`STAFF`);
- 300 Library of Congress records (``data/loc-demo.mrc``) and 55 Indonesian records
  (``data/indonesian.py``);
- items in every status of the lifecycle, each reached by a legal chain of moves; barcode
  ``B000001`` is an available copy of *Laskar pelangi* at MAIN;
- work waiting in every technical-services queue (``technical.py``).
"""

import datetime
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from pustaka.catalog import actions as catalog_actions
from pustaka.core import actions as core_actions
from pustaka.core.choices import CallNumberRule, Role
from pustaka.core.models import Branch, User
from pustaka.holdings import actions as holdings_actions
from pustaka.holdings import transitions
from pustaka.holdings.choices import Condition, ItemStatus, PullReason

from .acquisitions import acquisition
from .authorities import load_authorities
from .circulation import load_circulation
from .clearance import load_clearances
from .copycat import load_copy_targets
from .data.indonesian import RECORDS as INDONESIAN_RECORDS
from .digital import load_digital_library
from .history import load_circulation_history
from .orders import load_orders
from .patrons import load_patrons
from .programs import load_programs
from .sip2 import load_sip2
from .technical import load_technical_services
from .theses import load_theses
from .visitors import load_visitors

DATA_DIR = Path(__file__).resolve().parent / "data"
LOC_MARC_FILE = DATA_DIR / "loc-demo.mrc"
LIBRARY_NAME = "Perpustakaan Demo Pustaka"

#: The one password of every demo staff account (documented in the README and printed by the loader).
DEMO_PASSWORD = "pustaka-demo"

#: Demo staff: username, role, home branch, first name, last name.
STAFF = [
    ("kepala", Role.ADMINISTRATOR, "MAIN", "Hartono", "Wijaya"),
    ("pustakawan", Role.LIBRARIAN, "MAIN", "Sri", "Wahyuni"),
    ("itmanager", Role.IT_MANAGER, "MAIN", "Budi", "Santoso"),
    ("teknisi.senior", Role.SENIOR_TECHNICIAN, "MAIN", "Agus", "Setiawan"),
    ("teknisi", Role.TECHNICIAN, "MAIN", "Dewi", "Kartika"),
    ("sirkulasi", Role.CIRCULATION, "MAIN", "Rina", "Marlina"),
    ("teknisi.utara", Role.TECHNICIAN, "NORTH", "Joko", "Prasetyo"),
]

WEEKDAYS = {str(day): [["08:00", "16:00"]] for day in range(5)} | {"5": [["08:00", "12:00"]]}  # Sunday closed

BRANCHES = [
    {
        "code": "MAIN",
        "name": "Perpustakaan Pusat",
        "address": "Jl. Merdeka No. 12\nKelurahan Sukamaju, Kecamatan Sukajadi\nBandung 40162, Jawa Barat",
        "phone": "(022) 420 1234",
        "email": "pusat@perpustakaan.example",
    },
    {
        "code": "NORTH",
        "name": "Perpustakaan Cabang Utara",
        "address": "Jl. Setiabudi No. 45\nKelurahan Ledeng, Kecamatan Cidadap\nBandung 40143, Jawa Barat",
        "phone": "(022) 201 5678",
        "email": "utara@perpustakaan.example",
    },
]

#: Shelving locations of every branch: code, name, open to the public.
LOCATIONS = [
    ("STACKS", "Rak Umum", True),
    ("REF", "Referensi", True),
    ("CHILD", "Anak-anak", True),
    ("PERIODICALS", "Majalah", True),
    ("STORE", "Gudang", False),
]

#: Item types: code, name, loanable.
ITEM_TYPES = [
    ("BOOK", "Buku", True),
    ("REF", "Referensi", False),
    ("MAG", "Majalah", True),
    ("AV", "Audio-visual", True),
]

# How an item reaches each status from a status it may be created in: (initial status, moves).
# A move is a target status, or (``pulled``, reason). Every chain follows holdings/transitions.py.
PULL_WEED = (ItemStatus.PULLED, PullReason.WEED)
PULL_REPAIR = (ItemStatus.PULLED, PullReason.REPAIR)
PULL_BIND = (ItemStatus.PULLED, PullReason.BIND)
S = ItemStatus
CHAINS: dict[str, tuple[str, list]] = {
    "on_order": (S.ON_ORDER, []),
    "received": (S.ON_ORDER, [S.RECEIVED]),
    "in_processing": (S.ON_ORDER, [S.RECEIVED, S.IN_PROCESSING]),
    "ready_for_shelving": (S.RECEIVED, [S.IN_PROCESSING, S.READY_FOR_SHELVING]),
    "shelved_after_processing": (S.IN_PROCESSING, [S.READY_FOR_SHELVING, S.AVAILABLE]),
    "available": (S.AVAILABLE, []),
    # The fates of the desk (a loan, a return, a hold, a transit, a loss) are made by real loans in
    # circulation.py: the copy is created available here and lent there (see DESK_FATES).
    "on_loan": (S.AVAILABLE, []),
    "returned": (S.AVAILABLE, []),
    "on_hold_shelf": (S.AVAILABLE, []),
    "in_transit": (S.AVAILABLE, []),
    "pulled_weed": (S.AVAILABLE, [PULL_WEED]),
    "pulled_repair": (S.AVAILABLE, [PULL_REPAIR]),
    "pulled_bind": (S.AVAILABLE, [PULL_BIND]),
    "in_repair": (S.AVAILABLE, [PULL_REPAIR, S.IN_REPAIR]),
    "repaired": (S.AVAILABLE, [PULL_REPAIR, S.IN_REPAIR, S.READY_FOR_SHELVING]),
    "at_bindery": (S.AVAILABLE, [PULL_BIND]),  # technical.py sends the pulled copies to the bindery
    "withdrawn": (S.AVAILABLE, [PULL_WEED, S.WITHDRAWN]),
    "for_sale": (S.AVAILABLE, [PULL_WEED, S.WITHDRAWN, S.FOR_SALE]),
    "sold": (S.AVAILABLE, [PULL_WEED, S.WITHDRAWN, S.FOR_SALE, S.SOLD]),
    "discarded": (S.AVAILABLE, [PULL_WEED, S.WITHDRAWN, S.DISCARDED]),
    "missing": (S.AVAILABLE, [S.MISSING]),
    "lost": (S.AVAILABLE, []),
    "found": (S.AVAILABLE, []),
}

#: Fates only the desk makes, through real loans, once the patrons exist (``load_circulation``).
DESK_FATES = {"on_loan", "returned", "on_hold_shelf", "in_transit", "lost", "found"}

# The condition that goes with a fate (an item pulled for repair is damaged...), with a note.
FATE_CONDITIONS = {
    "pulled_repair": (Condition.DAMAGED, "Jilidan lepas"),
    "in_repair": (Condition.DAMAGED, "Sampul robek"),
    "repaired": (Condition.FAIR, "Sudah diperbaiki"),
    "pulled_bind": (Condition.WORN, "Punggung buku aus"),
    "at_bindery": (Condition.WORN, "Punggung buku aus"),
    "pulled_weed": (Condition.WORN, "Halaman menguning"),
    "withdrawn": (Condition.WORN, "Halaman menguning"),
    "for_sale": (Condition.FAIR, ""),
    "sold": (Condition.FAIR, ""),
    "discarded": (Condition.DAMAGED, "Rusak kena air"),
}

# What happens to the copies of the Indonesian books, in turn (the first copy, B000001, stays available).
INDONESIAN_FATES = [
    "available",
    "on_loan",
    "available",
    "returned",
    "on_hold_shelf",
    "available",
    "on_loan",
    "in_transit",
    "available",
    "shelved_after_processing",
    "on_loan",
    "missing",
    "available",
    "lost",
    "found",
]

# New copies of popular Indonesian titles still on their way to the shelf: the technicians' queues.
NEW_COPIES = [
    ("laut-bercerita", "MAIN", "on_order"),
    ("hujan", "NORTH", "on_order"),
    ("bumi-tere-liye", "MAIN", "received"),
    ("negeri-5-menara", "NORTH", "received"),
    ("pulang", "MAIN", "received"),
    ("ilmu-tanah", "NORTH", "received"),
    ("perahu-kertas", "MAIN", "in_processing"),
    ("dasar-pemrograman-python", "NORTH", "in_processing"),
    ("rindu", "MAIN", "in_processing"),
    ("5-cm", "MAIN", "ready_for_shelving"),
    ("si-kancil", "NORTH", "ready_for_shelving"),
    ("buku-kia", "MAIN", "ready_for_shelving"),
]

# The old Library of Congress books are where weeding, repair and binding happen. Every fifth copy
# takes the next fate of this list; the others are on the shelf (or, now and then, on loan).
LOC_FATES = [
    "pulled_weed",
    "pulled_repair",
    "pulled_bind",
    "in_repair",
    "at_bindery",
    "withdrawn",
    "on_loan",
    "for_sale",
    "sold",
    "discarded",
    "missing",
    "pulled_weed",
    "pulled_repair",
    "pulled_bind",
    "lost",
    "repaired",
    "on_loan",
    "withdrawn",
    "for_sale",
    "in_repair",
    "at_bindery",
    "pulled_weed",
    "pulled_repair",
    "pulled_bind",
    "discarded",
    "missing",
    "on_loan",
]


@dataclass
class Demo:
    """What the parts of the loader share: the actor and what earlier parts made."""

    actor: User | None
    stdout: object
    branches: dict = field(default_factory=dict)
    locations: dict = field(default_factory=dict)  # (branch code, location code) -> Location
    item_types: dict = field(default_factory=dict)
    staff: list = field(default_factory=list)
    records: dict = field(default_factory=dict)  # Indonesian record key -> Record
    loc_records: list = field(default_factory=list)
    items: list = field(default_factory=list)
    next_barcode: int = 1
    patron_categories: dict = field(default_factory=dict)  # code -> PatronCategory
    patrons: dict = field(default_factory=dict)  # card number -> Patron
    desk_fates: list = field(default_factory=list)  # (item, fate) for load_circulation to lend
    pull_lists: dict = field(default_factory=dict)  # (branch code, reason) -> the loader's own pull list

    def say(self, text: str) -> None:
        self.stdout.write(text if text.endswith("\n") else text + "\n")

    def barcode(self) -> str:
        code = f"B{self.next_barcode:06d}"
        self.next_barcode += 1
        return code


def load_demo(*, stdout, actor=None) -> bool:
    """Build the demo library (once). Returns False when the database already has a MAIN branch."""
    if Branch.objects.filter(code="MAIN").exists():
        stdout.write("Demo library: a branch MAIN already exists, nothing loaded.\n")
        return False
    if actor is None:
        actor = User.objects.filter(username="admin").first() or User.objects.filter(is_superuser=True).first()
    started = time.monotonic()
    demo = Demo(actor=actor, stdout=stdout)
    with transaction.atomic():
        for part in PARTS:
            part(demo)
    report_credentials(demo)
    demo.say(f"Demo library loaded in {time.monotonic() - started:.1f} s.")
    return True


# --- The parts ----------------------------------------------------------------------------------


def load_library_settings(demo: Demo) -> None:
    """The library's name and its cataloguing rules: DDC with the Indonesian call-number convention."""
    core_actions.update_library_settings(
        actor=demo.actor,
        name=LIBRARY_NAME,
        call_number_rule=CallNumberRule.INDONESIAN,
        default_classification_scheme="ddc",
        barcode_prefix="B",
    )


def load_branches(demo: Demo) -> None:
    """Two branches with addresses and opening hours, and their shelving locations."""
    for data in BRANCHES:
        branch = core_actions.create_branch(actor=demo.actor, opening_hours=WEEKDAYS, **data)
        demo.branches[branch.code] = branch
        for order, (code, name, is_public) in enumerate(LOCATIONS):
            demo.locations[(branch.code, code)] = core_actions.create_location(
                actor=demo.actor, branch=branch, code=code, name=name, is_public=is_public, sort_order=order
            )
    demo.say(f"Branches: {', '.join(demo.branches)} with {len(LOCATIONS)} locations each.")


def load_item_types(demo: Demo) -> None:
    """Book, reference (not for loan), magazine and audio-visual."""
    for code, name, is_loanable in ITEM_TYPES:
        demo.item_types[code] = holdings_actions.create_item_type(
            actor=demo.actor, code=code, name=name, is_loanable=is_loanable
        )


def load_staff(demo: Demo) -> None:
    """One staff account per role, and a technician at NORTH."""
    for username, role, branch_code, first_name, last_name in STAFF:
        demo.staff.append(
            core_actions.create_staff_user(
                actor=demo.actor,
                username=username,
                password=DEMO_PASSWORD,
                roles=[role],
                home_branch=demo.branches[branch_code],
                first_name=first_name,
                last_name=last_name,
            )
        )


def load_indonesian_records(demo: Demo) -> None:
    """The Indonesian records written for the demo (call numbers from the library's rule)."""
    for entry in INDONESIAN_RECORDS:
        data = {k: v for k, v in entry.items() if k not in {"key", "copies", "shelf", "item_type"}}
        data.setdefault("language", "ind")
        demo.records[entry["key"]] = catalog_actions.create_record(actor=demo.actor, **data)
    demo.say(f"Indonesian records: {len(demo.records)}.")


def load_loc_records(demo: Demo) -> None:
    """The Library of Congress records shipped in ``data/loc-demo.mrc``, through the MARC import action."""
    from pustaka.catalog.models import Record

    try:
        from pustaka.catalog.actions import import_marc
    except ImportError:
        demo.say("Library of Congress records: skipped (this version cannot import MARC yet).")
        return
    before = set(Record.objects.values_list("pk", flat=True))
    result = import_marc(source=LOC_MARC_FILE, actor=demo.actor)
    demo.loc_records = list(Record.objects.exclude(pk__in=before).order_by("pk"))
    demo.say(
        f"Library of Congress records: {getattr(result, 'created', len(demo.loc_records))} imported"
        f" ({getattr(result, 'rejected', 0)} rejected)."
    )


def load_items(demo: Demo) -> None:
    """Copies at both branches in every status of the lifecycle, each reached by legal moves."""
    from pustaka.technical import actions as maintenance_actions

    # The Indonesian books first, so that B000001 is the first copy of Laskar pelangi at MAIN.
    fates = iter(INDONESIAN_FATES * 20)
    for entry in INDONESIAN_RECORDS:
        record = demo.records[entry["key"]]
        for branch_code, copies in entry["copies"]:
            for _ in range(copies):
                fate = "available" if demo.next_barcode == 1 else next(fates)
                if not _is_loanable(entry) and fate not in {"available", "missing", "shelved_after_processing"}:
                    fate = "available"
                _add_copy(demo, record, branch_code, entry.get("shelf", "STACKS"), _item_type(entry), fate)
    for key, branch_code, fate in NEW_COPIES:
        entry = next(e for e in INDONESIAN_RECORDS if e["key"] == key)
        _add_copy(demo, demo.records[key], branch_code, entry.get("shelf", "STACKS"), _item_type(entry), fate)
    # The Library of Congress books: one copy each, every third at NORTH, older ones in the store.
    # (Without them, older copies of the Indonesian books take their part, so every status still occurs.)
    back_catalogue = (
        demo.loc_records
        or [demo.records[e["key"]] for e in INDONESIAN_RECORDS if _item_type(e) == "BOOK" and e["copies"]] * 3
    )
    loc_fates = iter(LOC_FATES)
    for index, record in enumerate(back_catalogue):
        branch_code = "NORTH" if index % 3 == 2 else "MAIN"
        shelf = "STORE" if record.year and record.year < 1905 and index % 2 else "STACKS"
        fate = "available"
        if index % 5 == 4:
            fate = next(loc_fates, "on_loan" if index % 2 else "available")
        _add_copy(demo, record, branch_code, shelf, "BOOK", fate)
        if index % 10 == 0:  # a second copy at the other branch
            _add_copy(demo, record, "MAIN" if branch_code == "NORTH" else "NORTH", "STACKS", "BOOK", "available")
    for pull_list in demo.pull_lists.values():  # last year's lists: done
        maintenance_actions.close_pull_list(pull_list=pull_list, actor=demo.actor)
    counts = {}
    for item in demo.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    demo.say(f"Items: {len(demo.items)} (" + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ").")


def report_credentials(demo: Demo) -> None:
    """Print who can log in to the staff pages."""
    demo.say(f"Demo staff accounts (password for all: {DEMO_PASSWORD}):")
    for user in demo.staff:
        role = user.groups.values_list("name", flat=True).first()
        demo.say(f"  {user.username:<16} {role:<18} {user.home_branch.code}")
    demo.say("Public catalogue: /    Staff pages: /staff/")
    if "D0001" in demo.patrons:
        demo.say("Patron account: /account/login/  D0001 / pustaka-demo  (self-check PIN 1234)")


#: The parts, in order, all in one transaction. A later issue appends its own part here
#: (``load_patrons``, ``load_circulation``, ``load_sip2``, ``load_digital_resources``, ``load_programs``).
PARTS = [
    load_library_settings,
    load_branches,
    load_item_types,
    load_staff,
    load_loc_records,
    load_indonesian_records,
    load_items,
    load_technical_services,
    load_patrons,
    load_circulation,
    load_circulation_history,
    load_sip2,
    load_digital_library,
    load_theses,
    load_programs,
    load_visitors,
    load_clearances,
    load_authorities,
    load_copy_targets,
    load_orders,
]


# --- Helpers -----------------------------------------------------------------------------------


def _item_type(entry: dict) -> str:
    if "item_type" in entry:
        return entry["item_type"]
    return "MAG" if entry.get("material_type") in {"magazine", "newspaper"} else "BOOK"


def _is_loanable(entry: dict) -> bool:
    return _item_type(entry) != "REF"


def _add_copy(demo: Demo, record, branch_code: str, shelf: str, item_type: str, fate: str):
    """Create one copy in the fate's initial status, then move it along the fate's chain."""
    initial, moves = CHAINS[fate]
    number = demo.next_barcode
    item = holdings_actions.create_item(
        record=record,
        barcode=demo.barcode(),
        branch=demo.branches[branch_code],
        location=demo.locations[(branch_code, shelf)],
        item_type=demo.item_types[item_type],
        actor=demo.actor,
        status=initial,
        **acquisition(number, indonesian=record.language == "ind", today=datetime.date.today()),
    )
    condition = FATE_CONDITIONS.get(fate)
    if condition is None and fate == "available" and number % 13 == 0:
        condition = (Condition.WORN, "Sering dipinjam")
    if condition and condition[0] != item.condition:
        item = holdings_actions.change_condition(item=item, condition=condition[0], actor=demo.actor, note=condition[1])
    for move in moves:
        target, reason = move if isinstance(move, tuple) else (move, "")
        item = _move(demo, item, target, reason)
    if fate in DESK_FATES:
        demo.desk_fates.append((item, fate))
    demo.items.append(item)
    return item


PULL_LIST_NAMES = {
    PullReason.WEED: "Penyiangan tahun lalu",
    PullReason.REPAIR: "Perbaikan tahun lalu",
    PullReason.BIND: "Penjilidan tahun lalu",
}


def _pull_list(demo: Demo, branch, reason: str):
    """The loader's own pull list of ``branch`` for ``reason`` (closed once every copy is loaded)."""
    from pustaka.technical import actions as maintenance_actions

    key = (branch.code, reason)
    if key not in demo.pull_lists:
        demo.pull_lists[key] = maintenance_actions.create_pull_list(
            name=f"{PULL_LIST_NAMES[reason]} ({branch.code})", reason=reason, branch=branch, actor=demo.actor
        )
    return demo.pull_lists[key]


def _move(demo: Demo, item, target: str, reason: str):
    """One move of a chain, made by the workflow that owns it, so every copy has the records its status
    implies: pulled from a pull list, in repair with its ticket, missing after a pull list did not find
    it, withdrawn, offered and sold through the sale actions. (The moves of processing and shelving are
    the processing queue's own; a copy goes to the bindery in technical.py's shipments.)"""
    from pustaka.technical import actions as m
    from pustaka.technical.choices import DamageType, PaymentMethod, RepairStatus
    from pustaka.technical.models import RepairTicket

    actor = demo.actor
    if target == S.PULLED:
        pull_list = _pull_list(demo, item.branch, reason)
        m.add_to_pull_list(pull_list=pull_list, barcodes=[item.barcode], actor=actor)
        m.scan_pulled_item(pull_list=pull_list, barcode=item.barcode, actor=actor)
    elif target == S.MISSING:
        pull_list = _pull_list(demo, item.branch, PullReason.WEED)
        (entry,) = m.add_to_pull_list(pull_list=pull_list, barcodes=[item.barcode], actor=actor)
        m.flag_not_found(entry=entry, note="Tidak ada di rak saat penarikan.", actor=actor)
    elif target == S.IN_REPAIR:
        m.open_repair(item=item, damage_type=DamageType.COVER_DAMAGE, notes="Sampul robek.", actor=actor)
    elif target == S.READY_FOR_SHELVING and item.status == S.IN_REPAIR:
        ticket = RepairTicket.objects.get(item=item, status=RepairStatus.OPEN)
        m.finish_repair(ticket=ticket, condition_after=Condition.FAIR, notes="Sampul diganti.", actor=actor)
    elif target == S.WITHDRAWN:
        m.withdraw_item(item=item, confirm_last_copy=True, note="Penyiangan tahun lalu", actor=actor)
    elif target == S.DISCARDED:
        m.discard_item(item=item, note="Rusak, didaur ulang.", actor=actor)
    elif target == S.FOR_SALE:
        m.offer_for_sale(item=item, price=Decimal(5000), actor=actor)
    elif target == S.SOLD:
        m.sell_item(item=item, payment_method=PaymentMethod.CASH, actor=actor)
    else:  # processing and shelving: the processing queue's moves
        rule = transitions.find(item.status, target)
        return holdings_actions.move_item(item=item, to=target, reason=reason, actor=actor, workflow=rule.workflow)
    item.refresh_from_db()
    return item
