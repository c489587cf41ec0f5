"""Demo library part: classes and programmes, and the patrons' NIK, NISN, NIM, NIP and notice channels.

The demo serves a junior high school (SMP: classes VII-A → VIII-A → IX-A, which graduates) and a
university (Fakultas Teknik with the study programme Teknik Informatika S1, Fakultas Ekonomi with
Manajemen S1): pupils born 2005 or later have a NISN and a class, older students a NIM and a
programme, staff a NIP, some adults their NIK. About one patron in three with a phone also chose
WhatsApp, a few SMS only; D0001 keeps e-mail.
"""

import datetime

from pustaka.patrons import actions

WOMEN = {"Dewi", "Putri", "Rina", "Siti", "Ratna", "Indah", "Fitri", "Nur", "Lestari", "Kartika", "Mega", "Anisa"}
WOMEN |= {"Sri", "Intan", "Maya"}


def load_units(demo) -> dict:
    """The school's classes and the university's faculties and programmes, through the actions."""
    units = {}
    units["IX-A"] = actions.create_unit(actor=demo.actor, code="IX-A", name="Kelas IX A", is_final=True)
    units["VIII-A"] = actions.create_unit(actor=demo.actor, code="VIII-A", name="Kelas VIII A", next_unit=units["IX-A"])
    units["VII-A"] = actions.create_unit(actor=demo.actor, code="VII-A", name="Kelas VII A", next_unit=units["VIII-A"])
    for code, name in [("FT", "Fakultas Teknik"), ("FE", "Fakultas Ekonomi")]:
        units[code] = actions.create_unit(actor=demo.actor, code=code, name=name, kind="faculty")
    units["TI-S1"] = actions.create_unit(
        actor=demo.actor, code="TI-S1", name="Teknik Informatika S1", kind="programme", parent=units["FT"]
    )
    units["MAN-S1"] = actions.create_unit(
        actor=demo.actor, code="MAN-S1", name="Manajemen S1", kind="programme", parent=units["FE"]
    )
    demo.units = units
    return units


def identity_for(number: int, card: str, first: str, category: str, born: datetime.date, phone: str, units) -> dict:
    """The ID, unit and notice channels of the demo patron ``card`` (keyword arguments of create_patron)."""
    fields: dict = {}
    if category == "STUDENT" and born.year >= 2005:
        fields.update(
            id_type="nisn",
            id_number=f"{born.year % 100:03d}{number:07d}",
            unit=units["VIII-A" if number % 4 == 2 else "IX-A"],
        )
    elif category == "STUDENT":
        programme = "TI-S1" if number % 2 else "MAN-S1"
        fields.update(
            id_type="nim", id_number=f"{'1351' if programme == 'TI-S1' else '2141'}9{number:03d}", unit=units[programme]
        )
    elif category == "STAFF":
        fields.update(
            id_type="nip",
            id_number=f"{born:%Y%m%d}{born.year + 25}0{1 + number % 2}{1 if first not in WOMEN else 2}{number:03d}",
        )
    elif category == "PUBLIC" and number % 2 == 0:
        day = born.day + (40 if first in WOMEN else 0)
        fields.update(id_type="nik", id_number=f"327301{day:02d}{born:%m}{born:%y}{number:04d}")
    if card != "D0001" and phone:
        if number % 7 == 0:
            fields["notice_channels"] = ["sms"]
        elif number % 3 == 0:
            fields["notice_channels"] = ["email", "whatsapp"]
    return fields
