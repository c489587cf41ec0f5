"""In a real browser (Debian's Chromium through Playwright): a patron registers for a program in the
catalogue on a phone; the desk takes attendance with the keyboard and the card scanner."""

import pytest

pytestmark = pytest.mark.browser

SHOTS = "/tmp/programs-shots"


@pytest.mark.django_db(transaction=True)
def test_patron_registers_on_a_phone_and_the_desk_takes_attendance(
    new_page, live_server, log_in_browser, make_staff, make_patron, patron, make_program, make_session
):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    make_staff("circulation", username="sirkulasi")
    program = make_program("Dongeng Anak", capacity=2, description="Cerita untuk anak-anak.")
    session = make_session(program, room="Ruang Anak")
    other = make_patron("P0002", first_name="Budi", last_name="Santoso")
    from django.utils import timezone

    from pustaka.programs.models import Registration

    Registration.objects.create(program=program, patron=other, status="registered", queued_at=timezone.now())

    phone = new_page(width=390, height=844)
    log_in_browser(phone, patron.user)
    phone.goto(f"{live_server.url}/programs/")
    assert phone.get_by_text("1 place left").is_visible()
    phone.screenshot(path=f"{SHOTS}/opac-list.png", full_page=True)
    phone.get_by_role("link", name="Dongeng Anak").click()
    phone.get_by_role("button", name="Register").click()
    phone.get_by_text("Siti Rahmawati is registered.").first.wait_for()
    phone.screenshot(path=f"{SHOTS}/opac-detail.png", full_page=True)
    assert Registration.objects.filter(patron=patron, status="registered").exists()

    desk = new_page()
    desk.goto(f"{live_server.url}/staff/programs/sessions/{session.pk}/attendance/")
    desk.keyboard.type("sirkulasi")
    desk.keyboard.press("Tab")
    desk.keyboard.type("test-password-123")
    desk.keyboard.press("Enter")
    desk.wait_for_url(f"**/sessions/{session.pk}/attendance/")
    desk.wait_for_load_state()
    desk.get_by_label("Scan a patron card to mark them present").wait_for()
    desk.wait_for_function("document.activeElement && document.activeElement.id === 'id_card'", timeout=5000)
    desk.keyboard.type("p0001")
    desk.keyboard.press("Enter")
    desk.get_by_text("Siti Rahmawati is present.").wait_for()
    assert desk.get_by_label("Siti Rahmawati").is_checked()

    budi = desk.get_by_label("Budi Santoso")
    budi.focus()
    desk.keyboard.press("Space")
    assert budi.is_checked()
    desk.get_by_role("button", name="Save attendance").click()
    desk.get_by_text("Present: 2 of 2").wait_for()
    desk.screenshot(path=f"{SHOTS}/attendance.png", full_page=True)
    assert session.attendances.count() == 2
