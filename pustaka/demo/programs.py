"""Demo library part: programs with sessions, registrations and a waiting list; help requests.

- *Dongeng Anak* (story time, MAIN, ages 4–12): weekly Saturday sessions (two held, with attendance,
  and six to come); the children D0003 and D0017 registered (their guardians' choice);
- *Kelas Komputer Dasar* (computer class, MAIN, 15 and over): four Tuesday sessions; D0001 registered;
- *Pelatihan Perpustakaan Digital* (digital library training, MAIN, staff register): five places, all
  taken, two patrons on the waiting list (D0001 is second);
- help requests ("tanya pustakawan"): two open (one assigned), one answered, one answered and closed.

Everything goes through :mod:`pustaka.programs.actions` with ``demo.actor``. When the patrons part
made no patrons, only the programs and anonymous help requests are created.
"""

import datetime

from django.utils import timezone

from pustaka.core.models import User
from pustaka.programs import actions
from pustaka.reference import actions as reference_actions

SATURDAY, TUESDAY, THURSDAY = 5, 1, 3


def _next_weekday(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7 or 7)


def _staff(username: str, demo):
    return User.objects.filter(username=username).first() or demo.actor


def _register(demo, program, cards) -> int:
    count = 0
    for card in cards:
        patron = demo.patrons.get(card)
        if patron is None:
            continue
        actions.register(program=program, patron=patron, actor=demo.actor)
        count += 1
    return count


def load_programs(demo) -> None:
    """Load the three demo programs with sessions, registrations, attendance and a waiting list, and
    help requests in every state."""
    today = timezone.localdate()
    main = demo.branches["MAIN"]
    t = datetime.time

    story = actions.create_program(
        actor=demo.actor,
        title="Dongeng Anak",
        kind="story_time",
        branch=main,
        capacity=15,
        min_age=4,
        max_age=12,
        leader=_staff("sirkulasi", demo),
        description="Mendongeng bersama pustakawan setiap Sabtu pagi: cerita rakyat Nusantara, "
        "buku bergambar dan bernyanyi bersama. Anak didaftarkan oleh orang tua atau walinya.",
    )
    first_saturday = _next_weekday(today, SATURDAY) - datetime.timedelta(days=14)
    story_sessions = [
        actions.add_session(
            program=story,
            actor=demo.actor,
            date=first_saturday + datetime.timedelta(weeks=week),
            start_time=t(9, 0),
            end_time=t(10, 0),
            room="Ruang Anak",
        )
        for week in range(8)
    ]

    computer = actions.create_program(
        actor=demo.actor,
        title="Kelas Komputer Dasar",
        kind="computer_class",
        branch=main,
        capacity=12,
        min_age=15,
        leader=_staff("pustakawan", demo),
        description="Empat pertemuan: mengenal komputer, mengetik dengan pengolah kata, menjelajah "
        "internet dengan aman, dan surel. Peserta membawa KTP atau kartu anggota.",
    )
    tuesday = _next_weekday(today, TUESDAY)
    for week in range(4):
        actions.add_session(
            program=computer,
            actor=demo.actor,
            date=tuesday + datetime.timedelta(weeks=week),
            start_time=t(13, 0),
            end_time=t(15, 0),
            room="Laboratorium Komputer",
        )

    training = actions.create_program(
        actor=demo.actor,
        title="Pelatihan Perpustakaan Digital",
        kind="digital_training",
        branch=main,
        capacity=5,
        min_age=13,
        leader=_staff("itmanager", demo),
        registration_mode="staff_only",
        description="Cara mencari dan meminjam e-book, membaca jurnal daring dan memakai katalog "
        "dari ponsel. Pendaftaran di meja layanan.",
    )
    thursday = _next_weekday(today, THURSDAY)
    for week in range(2):
        actions.add_session(
            program=training,
            actor=demo.actor,
            date=thursday + datetime.timedelta(weeks=week),
            start_time=t(10, 0),
            end_time=t(12, 0),
            room="Ruang Multimedia",
        )

    registrations = 0
    if demo.patrons:
        registrations += _register(demo, story, ["D0003", "D0017"])
        registrations += _register(demo, computer, ["D0001", "D0006", "D0010", "D0011", "D0015", "D0022"])
        registrations += _register(demo, training, ["D0007", "D0008", "D0009", "D0012", "D0013", "D0014", "D0001"])
        present = list(story.registrations.values_list("pk", flat=True))
        held = [s for s in story_sessions if s.date < today]
        for number, session in enumerate(held):
            actions.set_attendance(session=session, present=present[: len(present) - number], actor=demo.actor)

    questions = _load_help_requests(demo, now=timezone.now())
    demo.say(
        f"Programs: 3 with {len(story_sessions) + 6} sessions, {registrations} registrations"
        f" (Pelatihan Perpustakaan Digital full, with a waiting list); help requests: {questions}."
        + ("" if demo.patrons else " No demo patrons: no registrations made.")
    )


def _load_help_requests(demo, *, now) -> int:
    hours = datetime.timedelta(hours=1)
    answerer = _staff("sirkulasi", demo)
    librarian = _staff("pustakawan", demo)

    def patron_user(card):
        patron = demo.patrons.get(card)
        return patron.user if patron is not None and patron.user_id else None

    anonymous = reference_actions.ask_question(
        question="Apakah perpustakaan punya buku tentang budidaya ikan lele? Untuk usaha di rumah.",
        name="Andi Wijaya",
        email="andi.wijaya@example.com",
        topic="finding",
        now=now - 5 * hours,
    )
    account_user = patron_user("D0001")
    ebook = reference_actions.ask_question(
        question="Bagaimana cara meminjam e-book dari rumah? Saya sudah punya kartu anggota.",
        actor=account_user,
        name="" if account_user else "Dewi Lestari",
        email="" if account_user else "dewi.lestari@example.com",
        topic="using",
        now=now - 26 * hours,
    )
    reference_actions.assign_helprequest(help_request=ebook, assignee=librarian, actor=demo.actor)

    laskar = demo.records.get("laskar-pelangi")
    english = reference_actions.ask_question(
        question="Apakah ada edisi bahasa Inggris dari Laskar Pelangi (The Rainbow Troops)?",
        name="Budi Santoso",
        email="budi.santoso@example.com",
        topic="finding",
        record=laskar,
        now=now - 72 * hours,
    )
    reference_actions.answer_helprequest(
        help_request=english,
        body="Belum ada di koleksi kami. Edisi bahasa Indonesia tersedia di Rak Umum MAIN; kami catat "
        "usulan pengadaan edisi bahasa Inggris.",
        actor=answerer,
        now=now - 69 * hours,
    )
    hours_question = reference_actions.ask_question(
        question="Apakah perpustakaan buka pada hari Minggu?",
        name="Maya Anggraini",
        email="maya.anggraini@example.com",
        topic="other",
        now=now - 240 * hours,
    )
    reference_actions.answer_helprequest(
        help_request=hours_question,
        body="Perpustakaan tutup pada hari Minggu. Senin–Jumat buka 08.00–16.00, Sabtu 08.00–12.00.",
        actor=answerer,
        now=now - 238 * hours,
    )
    reference_actions.close_helprequest(help_request=hours_question, actor=answerer, now=now - 230 * hours)
    return len([anonymous, ebook, english, hours_question])
