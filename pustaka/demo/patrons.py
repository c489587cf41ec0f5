"""Demo library part: patron categories and patrons (card D0001, PIN 1234, no loans).

Everything goes through :mod:`pustaka.patrons.actions` with the demo's actor:

- categories STUDENT (Pelajar/Mahasiswa), STAFF (Staf), PUBLIC (Umum) and CHILD (Anak, needs a guardian);
- 30 patrons with Indonesian names, cards D0001 to D0030, at MAIN and NORTH;
- D0001 (Dewi Lestari, MAIN): PIN 1234, no loans, catalogue login ``D0001`` / ``pustaka-demo``;
- D0002 (Budi Santoso) is the guardian of D0003 (Putri Santoso, CHILD);
- D0004 has an expired membership; D0005 is blocked by staff.

Later parts (circulation) find them in ``demo.patrons`` by card number and must leave D0001 without loans.
"""

import datetime

from django.utils import timezone

from pustaka.patrons import actions

from .identity import identity_for, load_units

#: The OPAC login of card D0001 (printed by the loader with the staff accounts).
PATRON_LOGIN = ("D0001", "pustaka-demo")
PATRON_PIN = "1234"

#: code, name, children's category, membership days, blocked at overdue items, blocked above fines.
CATEGORIES = [
    ("STUDENT", "Pelajar/Mahasiswa", False, 365, 3, 25000),
    ("STAFF", "Staf", False, 730, 10, 100000),
    ("PUBLIC", "Umum", False, 365, 5, 50000),
    ("CHILD", "Anak", True, 365, 3, 10000),
]

#: card, first name, last name, category, branch, phone, year of birth.
PATRONS = [
    ("D0001", "Dewi", "Lestari", "PUBLIC", "MAIN", "0812-2345-6701", 1988),
    ("D0002", "Budi", "Santoso", "PUBLIC", "MAIN", "0813-2210-4402", 1979),
    ("D0003", "Putri", "Santoso", "CHILD", "MAIN", "", 2016),
    ("D0004", "Hendra", "Gunawan", "PUBLIC", "MAIN", "0857-1122-3304", 1965),
    ("D0005", "Rina", "Wulandari", "STUDENT", "MAIN", "0819-5566-7705", 2003),
    ("D0006", "Ahmad", "Fauzi", "STUDENT", "MAIN", "0812-7788-9906", 2002),
    ("D0007", "Siti", "Nurhaliza", "STUDENT", "MAIN", "0821-3344-5507", 2004),
    ("D0008", "Agus", "Salim", "STAFF", "MAIN", "0811-2020-3008", 1975),
    ("D0009", "Ratna", "Sari", "STAFF", "MAIN", "0852-9090-1109", 1983),
    ("D0010", "Yusuf", "Maulana", "PUBLIC", "MAIN", "0878-4455-6610", 1991),
    ("D0011", "Indah", "Permatasari", "PUBLIC", "MAIN", "0813-6677-8811", 1995),
    ("D0012", "Rizky", "Pratama", "STUDENT", "MAIN", "0896-1212-3412", 2005),
    ("D0013", "Fitri", "Handayani", "PUBLIC", "MAIN", "0812-9988-7713", 1986),
    ("D0014", "Dimas", "Saputra", "STUDENT", "MAIN", "0838-5656-7814", 2001),
    ("D0015", "Nur", "Aini", "PUBLIC", "MAIN", "0817-3434-5615", 1970),
    ("D0016", "Bayu", "Nugroho", "PUBLIC", "NORTH", "0812-1111-2216", 1984),
    ("D0017", "Lestari", "Nugroho", "CHILD", "NORTH", "", 2015),
    ("D0018", "Wahyu", "Hidayat", "STUDENT", "NORTH", "0856-2323-4518", 2003),
    ("D0019", "Kartika", "Dewi", "STUDENT", "NORTH", "0813-4545-6719", 2004),
    ("D0020", "Eko", "Prasetyo", "STAFF", "NORTH", "0821-6767-8920", 1980),
    ("D0021", "Mega", "Puspita", "PUBLIC", "NORTH", "0877-8989-0121", 1992),
    ("D0022", "Hadi", "Susanto", "PUBLIC", "NORTH", "0812-0101-2322", 1958),
    ("D0023", "Anisa", "Rahmawati", "STUDENT", "NORTH", "0815-2323-4523", 2002),
    ("D0024", "Teguh", "Wibowo", "PUBLIC", "NORTH", "0858-4545-6724", 1977),
    ("D0025", "Sri", "Mulyani", "PUBLIC", "NORTH", "0813-6767-8925", 1969),
    ("D0026", "Fajar", "Ramadhan", "STUDENT", "NORTH", "0899-8989-0126", 2006),
    ("D0027", "Intan", "Permata", "PUBLIC", "NORTH", "0812-3030-4027", 1999),
    ("D0028", "Joko", "Susilo", "STAFF", "NORTH", "0822-5050-6028", 1973),
    ("D0029", "Maya", "Anggraini", "PUBLIC", "MAIN", "0857-7070-8029", 1994),
    ("D0030", "Galih", "Permana", "STUDENT", "MAIN", "0811-9090-1030", 2004),
]

GUARDIANS = {"D0003": "D0002", "D0017": "D0016"}
EXPIRED = "D0004"
BLOCKED = ("D0005", "Kartu dilaporkan hilang; tunggu kartu pengganti")
STREETS = ["Jl. Merdeka", "Jl. Braga", "Jl. Dago", "Jl. Setiabudi", "Jl. Cihampelas", "Jl. Riau", "Jl. Asia Afrika"]


def load_patrons(demo) -> None:
    """Load patron categories and patrons (card D0001, PIN 1234, no loans), all through the actions."""
    for code, name, is_child, days, max_overdues, max_fines in CATEGORIES:
        demo.patron_categories[code] = actions.create_category(
            actor=demo.actor,
            code=code,
            name=name,
            is_child=is_child,
            membership_days=days,
            max_overdues=max_overdues,
            max_fines=max_fines,
        )
    units = load_units(demo)
    today = timezone.localdate()
    for number, (card, first, last, category, branch, phone, born) in enumerate(PATRONS, start=1):
        expires = today + datetime.timedelta(days=90 + (number * 37) % 300)
        if card == EXPIRED:
            expires = today - datetime.timedelta(days=45)
        email = f"{first}.{last}".lower().replace(" ", "") + "@contoh.id" if category != "CHILD" else ""
        birthday = datetime.date(born, 1 + number % 12, 1 + (number * 7) % 28)
        demo.patrons[card] = actions.create_patron(
            actor=demo.actor,
            card_number=card,
            first_name=first,
            last_name=last,
            category=demo.patron_categories[category],
            home_branch=demo.branches[branch],
            email=email,
            phone=phone,
            address=f"{STREETS[number % len(STREETS)]} No. {number * 3 + 1}, Bandung",
            date_of_birth=birthday,
            expires_on=expires,
            guardian=demo.patrons.get(GUARDIANS.get(card, ""), None),
            language="en" if card in {"D0011", "D0027"} else "id",
            keep_history=number % 4 == 0,
            pin=PATRON_PIN if card == "D0001" else f"{(number * 7919) % 10000:04d}",
            **identity_for(number, card, first, category, birthday, phone, units),
        )
    username, password = PATRON_LOGIN
    actions.link_login(patron=demo.patrons[username], actor=demo.actor, password=password)
    card, reason = BLOCKED
    actions.block_patron(patron=demo.patrons[card], actor=demo.actor, reason=reason)
    demo.say(
        f"Patrons: {len(demo.patrons)} in {len(demo.patron_categories)} categories"
        f" (D0001 with PIN {PATRON_PIN}; {EXPIRED} expired; {card} blocked; D0003 and D0017 with a guardian)."
    )
