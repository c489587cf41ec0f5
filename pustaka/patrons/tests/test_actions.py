"""Patron actions: enrolling, editing, PINs, renewals, blocks, logins and categories, with every refusal."""

import datetime

import pytest
from django.utils import timezone

from pustaka.circulation.errors import NotYourAccount
from pustaka.core.errors import PermissionDenied, ValidationFailed
from pustaka.core.models import AuditEvent
from pustaka.patrons import actions, errors
from pustaka.patrons.models import Patron, PatronBlock, PatronCategory

TODAY = timezone.localdate


def enrol(actor, **fields):
    values = {"card_number": "A0100", "last_name": "Lubis", "category": "PUBLIC", "home_branch": "MAIN"}
    values.update(fields)
    return actions.create_patron(actor=actor, **values)


def test_circulation_staff_enrol_a_patron_with_codes_and_a_default_expiry(circulation, patron_category, branch):
    patron = enrol(circulation, card_number=" a 0100 ", first_name="Rudi", email="rudi@example.org", pin="1234")
    assert patron.card_number == "A0100"
    assert patron.category == patron_category and patron.home_branch == branch
    assert patron.expires_on == TODAY() + datetime.timedelta(days=patron_category.membership_days)
    assert patron.check_pin("1234") and not patron.check_pin("0000")
    event = AuditEvent.objects.get(verb="patrons.patron.create")
    assert event.after["card_number"] == "A0100" and event.after["has_pin"] is True
    assert "pin" not in event.after  # the hash never reaches the audit trail


def test_a_duplicate_card_number_is_refused_whatever_its_case(circulation, patron):
    with pytest.raises(errors.DuplicateCard) as caught:
        enrol(circulation, card_number="p0001")
    assert caught.value.field == "card_number"
    assert "Siti Rahmawati" in str(caught.value)
    assert Patron.objects.count() == 1


@pytest.mark.parametrize("card", ["", "   ", "A B/C", "X" * 33, "ÄÖ1"])
def test_a_card_number_that_cannot_be_printed_or_scanned_is_refused(circulation, patron_category, branch, card):
    with pytest.raises(errors.InvalidCardNumber):
        enrol(circulation, card_number=card)
    assert not Patron.objects.exists()


def test_a_child_without_a_guardian_is_refused(circulation, child_category, branch):
    with pytest.raises(errors.GuardianRequired) as caught:
        enrol(circulation, category=child_category)
    assert caught.value.field == "guardian"
    assert "Anak" in str(caught.value)
    assert not Patron.objects.exists()


def test_a_child_with_a_guardian_is_enrolled_and_listed_as_a_ward(circulation, child_category, guardian):
    child = enrol(circulation, category="child", guardian="g0001", first_name="Putri")
    assert child.guardian == guardian
    assert list(guardian.wards.all()) == [child]


def test_a_guardian_must_exist_be_an_adult_and_not_be_the_patron(circulation, child_category, guardian):
    with pytest.raises(errors.GuardianNotFound):
        enrol(circulation, category=child_category, guardian="NOPE")
    child = enrol(circulation, category=child_category, guardian=guardian)
    with pytest.raises(errors.InvalidGuardian, match="child cannot be a guardian"):
        enrol(circulation, card_number="A0101", category=child_category, guardian=child)
    with pytest.raises(errors.InvalidGuardian, match="own guardian"):
        actions.update_patron(patron=guardian, actor=circulation, guardian=guardian)


def test_moving_a_patron_into_a_childrens_category_needs_a_guardian(circulation, patron, child_category):
    with pytest.raises(errors.GuardianRequired):
        actions.update_patron(patron=patron, actor=circulation, category=child_category)
    patron.refresh_from_db()
    assert patron.category.code == "PUBLIC"


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "siti@@example.org"])
def test_a_bad_email_is_refused(circulation, patron_category, branch, email):
    with pytest.raises(errors.InvalidEmail) as caught:
        enrol(circulation, email=email)
    assert caught.value.field == "email"
    assert not Patron.objects.exists()


def test_bad_dates_are_refused(circulation, patron_category, branch):
    with pytest.raises(errors.InvalidDate) as caught:
        enrol(circulation, date_of_birth="31/12/2001")
    assert caught.value.field == "date_of_birth"
    with pytest.raises(errors.InvalidDate):
        enrol(circulation, expires_on="2027-02-30")
    with pytest.raises(errors.BirthInFuture):
        enrol(circulation, date_of_birth=TODAY() + datetime.timedelta(days=1))
    with pytest.raises(errors.ExpiryBeforeBirth):
        enrol(circulation, date_of_birth="2000-01-01", expires_on="1999-12-31")
    assert not Patron.objects.exists()


def test_unknown_category_branch_or_language_name_the_field(circulation, patron_category, branch):
    for kwargs, field in [
        ({"category": "NOPE"}, "category"),
        ({"home_branch": "NOPE"}, "home_branch"),
        ({"language": "fr"}, "language"),
        ({"last_name": "  "}, "last_name"),
        ({"phone": "1" * 51}, "phone"),
        ({"address": "Jl.\x00"}, "address"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            enrol(circulation, **kwargs)
        assert caught.value.field == field
    assert not Patron.objects.exists()


def test_a_pin_is_four_to_eight_digits(circulation, patron):
    for bad in ["123", "123456789", "12a4", ""]:
        with pytest.raises(errors.InvalidPin):
            actions.set_pin(patron=patron, actor=circulation, pin=bad)
    with pytest.raises(errors.PinsDoNotMatch):
        actions.set_pin(patron=patron, actor=circulation, pin="4321", pin_again="4322")
    actions.set_pin(patron=patron, actor=circulation, pin="4321", pin_again="4321")
    patron.refresh_from_db()
    assert patron.check_pin("4321")
    assert "pin" not in AuditEvent.objects.get(verb="patrons.patron.set_pin").after


def test_update_records_only_what_changed(circulation, patron):
    actions.update_patron(patron=patron, actor=circulation, phone="0812 3456 7890", first_name="Siti")
    event = AuditEvent.objects.get(verb="patrons.patron.update")
    assert event.before == {"phone": ""} and event.after == {"phone": "0812 3456 7890"}


def test_update_refuses_fields_it_does_not_know(circulation, patron):
    with pytest.raises(ValidationFailed) as caught:
        actions.update_patron(patron=patron, actor=circulation, pin="1234")
    assert caught.value.field == "pin"


def test_renewal_extends_from_today_for_an_expired_patron_and_from_expiry_otherwise(circulation, make_patron):
    today = datetime.date(2026, 11, 22)
    expired = make_patron("E0001", expires_on=datetime.date(2026, 1, 1))
    actions.renew_membership(patron=expired, actor=circulation, today=today)
    assert expired.expires_on == today + datetime.timedelta(days=365)
    current = make_patron("E0002", expires_on=datetime.date(2027, 1, 1))
    actions.renew_membership(patron=current, actor=circulation, today=today)
    assert current.expires_on == datetime.date(2028, 1, 1)


def test_a_librarian_blocks_and_unblocks_with_a_reason(librarian, patron):
    with pytest.raises(errors.ReasonRequired):
        actions.block_patron(patron=patron, actor=librarian, reason="  ")
    block = actions.block_patron(patron=patron, actor=librarian, reason="Kartu dilaporkan hilang")
    assert block.created_by == librarian and block.lifted_at is None
    with pytest.raises(errors.ReasonRequired):
        actions.unblock_patron(patron=patron, actor=librarian, reason="")
    assert actions.unblock_patron(patron=patron, actor=librarian, reason="Kartu ditemukan") == 1
    block.refresh_from_db()
    assert block.lifted_by == librarian and block.lift_note == "Kartu ditemukan"
    with pytest.raises(errors.NotBlocked):
        actions.unblock_patron(patron=patron, actor=librarian, reason="again")
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["patrons.patron.block", "patrons.patron.unblock"]


def test_circulation_staff_may_not_block(circulation, patron):
    with pytest.raises(PermissionDenied):
        actions.block_patron(patron=patron, actor=circulation, reason="x")
    assert not PatronBlock.objects.exists()


def test_staff_of_another_branch_may_not_change_or_enrol_patrons_here(north_circulation, patron, branch):
    with pytest.raises(errors.NotYourBranch):
        actions.update_patron(patron=patron, actor=north_circulation, phone="1")
    with pytest.raises(errors.NotYourBranch):
        actions.set_pin(patron=patron, actor=north_circulation, pin="1234")
    with pytest.raises(errors.NotYourBranch):
        enrol(north_circulation, card_number="N0001")
    enrol(north_circulation, card_number="N0001", home_branch="NORTH")
    assert Patron.objects.filter(card_number="N0001", home_branch__code="NORTH").exists()


def test_an_administrator_may_work_on_patrons_of_any_branch(administrator, patron, other_branch):
    actions.update_patron(patron=patron, actor=administrator, home_branch=other_branch)
    patron.refresh_from_db()
    assert patron.home_branch == other_branch


@pytest.mark.parametrize("role", ["it_manager", "technician"])
def test_roles_without_the_permission_cannot_enrol_or_block(make_staff, role, patron_category, patron):
    user = make_staff(role)
    if role == "it_manager":
        with pytest.raises(PermissionDenied):
            enrol(user)
    with pytest.raises(PermissionDenied):
        actions.block_patron(patron=patron, actor=user, reason="x")
    with pytest.raises(PermissionDenied):
        actions.import_patrons_csv(source="card_number,last_name,category,home_branch\n", actor=user)


def test_a_patron_cannot_use_staff_actions(patron_user, patron):
    with pytest.raises(PermissionDenied):
        actions.update_patron(patron=patron, actor=patron_user, phone="1")
    with pytest.raises(PermissionDenied):
        actions.set_pin(patron=patron, actor=patron_user, pin="1234")


def test_link_login_makes_a_catalogue_account_named_after_the_card(circulation, make_patron):
    reader = make_patron("D0009", first_name="Ani", last_name="Susanti")
    user = actions.link_login(patron=reader, actor=circulation, password="pustaka-demo")
    assert user.username == "D0009" and user.check_password("pustaka-demo")
    assert not user.groups.exists() and not user.is_staff
    reader.refresh_from_db()
    assert reader.user == user
    with pytest.raises(errors.LoginExists):
        actions.link_login(patron=reader, actor=circulation, password="pustaka-demo")


def test_link_login_refuses_a_weak_password_and_a_taken_username(circulation, make_patron, patron_user):
    reader = make_patron("D0010")
    with pytest.raises(errors.InvalidPassword) as caught:
        actions.link_login(patron=reader, actor=circulation, password="short")
    assert caught.value.field == "password"
    taken = make_patron("READER")  # the patron_user's username is "reader"
    with pytest.raises(errors.UsernameTaken):
        actions.link_login(patron=taken, actor=circulation, password="pustaka-demo")
    reader.refresh_from_db()
    assert reader.user is None


def test_a_patron_changes_their_own_details_but_not_someone_elses(patron, patron_user, make_patron):
    actions.update_own_details(
        patron=patron,
        actor=patron_user,
        email="siti.r@example.org",
        phone="0812",
        address="Jl. Braga 1",
        language="en",
        keep_history=True,
    )
    patron.refresh_from_db()
    patron_user.refresh_from_db()
    assert patron.email == "siti.r@example.org" and patron.keep_history and patron.language == "en"
    assert patron_user.language == "en"
    other = make_patron("P0002")
    with pytest.raises(NotYourAccount):
        actions.update_own_details(
            patron=other, actor=patron_user, email="", phone="", address="", language="id", keep_history=False
        )
    with pytest.raises(errors.InvalidEmail):
        actions.update_own_details(
            patron=patron, actor=patron_user, email="x", phone="", address="", language="id", keep_history=False
        )


def test_a_patron_changes_their_own_pin_with_their_password(patron, patron_user):
    with pytest.raises(errors.WrongPassword):
        actions.change_own_pin(patron=patron, actor=patron_user, password="wrong", pin="2468", pin_again="2468")
    with pytest.raises(errors.PinsDoNotMatch):
        actions.change_own_pin(
            patron=patron, actor=patron_user, password="test-password-123", pin="2468", pin_again="2469"
        )
    actions.change_own_pin(patron=patron, actor=patron_user, password="test-password-123", pin="2468", pin_again="2468")
    patron.refresh_from_db()
    assert patron.check_pin("2468")


def test_librarians_manage_categories_and_bad_values_are_refused(librarian, circulation):
    category = actions.create_category(actor=librarian, code="student", name="Pelajar/Mahasiswa", membership_days=180)
    assert category.code == "STUDENT"
    with pytest.raises(errors.DuplicateCategory):
        actions.create_category(actor=librarian, code="STUDENT", name="Again")
    with pytest.raises(errors.InvalidCategory) as caught:
        actions.create_category(actor=librarian, code="X", name="X", max_fines="-1")
    assert caught.value.field == "max_fines"
    with pytest.raises(errors.InvalidCategory) as caught:
        actions.create_category(actor=librarian, code="bad code", name="X")
    assert caught.value.field == "code"
    actions.update_category(category=category, actor=librarian, max_overdues=3)
    category.refresh_from_db()
    assert category.max_overdues == 3
    with pytest.raises(PermissionDenied):
        actions.create_category(actor=circulation, code="STAFF", name="Staf")
    assert PatronCategory.objects.count() == 1
