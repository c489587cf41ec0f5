"""Demo library part: the visitor book (buku tamu) with a year of visits at both branches.

- the purposes Membaca, Meminjam/mengembalikan, Mengerjakan tugas, Internet, Kunjungan rombongan
  sekolah and Mengikuti kegiatan (programs), each named in both languages;
- a year of visits up to yesterday (closed on Sundays, Saturday mornings only): about 40 a day at MAIN
  and 15 at NORTH, busiest late in the morning and after lunch, fewer in the school holidays; about
  four in ten by members (the demo patrons, by card), the others school and university students, the
  public, researchers and an official guest now and then, with Indonesian names and institutions;
- school groups (rombongan) once or twice a month, one visit counting 20 to 40 pupils.

The visits are written by :func:`pustaka.visitors.actions.record_visits` (one batch, one audit event)
and the purposes by ``create_purpose``; a fixed random seed makes every demo the same.
"""

import datetime
import random

from django.utils import timezone

from pustaka.visitors import actions

PURPOSES = [
    ("membaca", "Membaca", "Reading"),
    ("pinjam-kembali", "Meminjam/mengembalikan", "Borrowing/returning"),
    ("tugas", "Mengerjakan tugas", "Homework and assignments"),
    ("internet", "Internet", "Internet"),
    ("rombongan", "Kunjungan rombongan sekolah", "School group visit"),
    ("kegiatan", "Mengikuti kegiatan", "Attending a program"),
]
PURPOSE_WEIGHTS = {"membaca": 34, "pinjam-kembali": 28, "tugas": 20, "internet": 12, "kegiatan": 6}
DAILY = {"MAIN": 40, "NORTH": 15}
HOURS = {8: 4, 9: 8, 10: 12, 11: 11, 12: 5, 13: 10, 14: 9, 15: 6}
SATURDAY_HOURS = {8: 5, 9: 9, 10: 10, 11: 8}
HOLIDAY_MONTHS = {6, 7, 12}  # school holidays: fewer pupils, fewer visits

FIRST = [
    "Ayu",
    "Bagus",
    "Citra",
    "Dani",
    "Eka",
    "Fajar",
    "Gita",
    "Hadi",
    "Intan",
    "Joko",
    "Kurnia",
    "Lina",
    "Made",
    "Nanda",
    "Oki",
    "Putu",
    "Rahmat",
    "Sari",
    "Teguh",
    "Umi",
    "Vina",
    "Wayan",
    "Yoga",
    "Zahra",
]
LAST = [
    "Saputra",
    "Wijaya",
    "Lestari",
    "Hidayat",
    "Kusuma",
    "Siregar",
    "Nasution",
    "Simanjuntak",
    "Rahayu",
    "Setiawan",
    "Purnomo",
    "Harahap",
    "Pangestu",
    "Susanto",
    "Wibowo",
    "Utami",
]
INSTITUTIONS = {
    "school_student": ["SMA Negeri 1", "SMP Negeri 4", "SMK Bina Karya", "MAN 2", "SMA Muhammadiyah 3"],
    "university_student": [
        "Universitas Indonesia",
        "Universitas Gadjah Mada",
        "UIN Syarif Hidayatullah",
        "Politeknik Negeri Jakarta",
        "Universitas Terbuka",
    ],
    "researcher": ["BRIN", "Lembaga Penelitian Sejarah Lokal", "Balai Bahasa"],
    "guest": ["Dinas Perpustakaan dan Kearsipan", "Perpustakaan Nasional RI", "Kantor Kecamatan"],
    "public": ["", "", "Kelurahan Sukamaju", "Wiraswasta", "Ibu rumah tangga", "Karyawan swasta"],
}
CATEGORY_WEIGHTS = {"school_student": 30, "university_student": 22, "public": 38, "researcher": 7, "guest": 3}
SCHOOLS = [
    "SD Negeri 3 Sukamaju",
    "SD Islam Al-Azhar",
    "TK Pertiwi",
    "SD Katolik Santa Maria",
    "MI Nurul Huda",
    "SMP Negeri 2",
]


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _time(rng: random.Random, day: datetime.date) -> datetime.datetime:
    hours = SATURDAY_HOURS if day.weekday() == 5 else HOURS
    hour = _pick(rng, hours)
    naive = datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60), rng.randrange(60)))
    return timezone.make_aware(naive)


def visit_rows(*, branches: dict, patrons: list, today: datetime.date, days: int = 365, seed: int = 11) -> list[dict]:
    """The rows of a year of visits (for :func:`record_visits`), oldest first."""
    rng = random.Random(seed)
    rows = []
    members = [p for p in patrons if p.is_active]
    for offset in range(days, 0, -1):
        day = today - datetime.timedelta(days=offset)
        if day.weekday() == 6:
            continue
        for code, daily in DAILY.items():
            if code not in branches:
                continue
            mean = daily * (0.6 if day.month in HOLIDAY_MONTHS else 1.0) * (0.5 if day.weekday() == 5 else 1.0)
            for _ in range(max(0, round(rng.gauss(mean, mean / 5)))):
                row = {"branch": branches[code], "purpose": _pick(rng, PURPOSE_WEIGHTS), "at": _time(rng, day)}
                local = [p for p in members if p.home_branch_id == branches[code].pk] or members
                if local and rng.random() < 0.4:
                    row["patron"] = rng.choice(local)
                else:
                    category = _pick(rng, CATEGORY_WEIGHTS)
                    place = rng.choice(INSTITUTIONS[category])
                    row.update(name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", institution=place, category=category)
                rows.append(row)
            if day.weekday() < 5 and day.month not in HOLIDAY_MONTHS and rng.random() < 0.06:
                school = rng.choice(SCHOOLS)
                rows.append(
                    {
                        "branch": branches[code],
                        "purpose": "rombongan",
                        "at": timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30))),
                        "name": f"Rombongan {school}",
                        "institution": school,
                        "category": "school_student",
                        "count": rng.randint(20, 40),
                    }
                )
    rows.sort(key=lambda row: row["at"])
    return rows


def load_visitors(demo) -> None:
    """Load the purposes of visits and a year of visits at MAIN and NORTH."""
    for order, (code, name_id, name_en) in enumerate(PURPOSES):
        actions.create_purpose(actor=demo.actor, code=code, name_id=name_id, name_en=name_en, sort_order=order * 10)
    rows = visit_rows(branches=demo.branches, patrons=list(demo.patrons.values()), today=timezone.localdate())
    count = actions.record_visits(actor=demo.actor, rows=rows)
    people = sum(row.get("count", 1) for row in rows)
    demo.say(f"Visitor book: {len(PURPOSES)} purposes, {count} visits ({people} people) over the last year.")
