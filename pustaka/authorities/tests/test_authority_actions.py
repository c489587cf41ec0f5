"""Authority records: creating one links the records that use it, its forms are kept clean, a merge
relinks every record in one action, and who may not do any of it."""

import pytest

from pustaka.authorities import actions, errors
from pustaka.authorities.models import Authority, AuthorityLink, SeeFrom
from pustaka.core.errors import PermissionDenied
from pustaka.core.models import AuditEvent
from pustaka.search.models import ChangeLog

from .conftest import links_of

pytestmark = pytest.mark.django_db


def logged(record_ids) -> bool:
    return set(record_ids) <= set(ChangeLog.objects.values_list("record_id", flat=True))


def test_a_new_subject_authority_links_its_heading_and_its_see_from_forms(librarian, novels):
    authority = actions.create_authority(
        actor=librarian,
        kind="topical",
        heading="Fiksi Indonesia",
        variants=["Novel Indonesia", "Cerita rekaan Indonesia"],
    )
    assert links_of(authority) == [
        ("Anak semua bangsa", "Novel Indonesia"),
        ("Bumi manusia", "Fiksi Indonesia"),
        ("Laskar pelangi", "Fiksi Indonesia"),
        ("Ronggeng Dukuh Paruk", "Cerita rekaan Indonesia"),
    ]
    assert all(link.automatic for link in authority.links.all())
    assert logged(r.pk for r in novels.values())
    event = AuditEvent.objects.get(verb="authorities.authority.create")
    assert event.after["linked"] == 4 and event.after["variants"] == ["Cerita rekaan Indonesia", "Novel Indonesia"]


def test_a_subject_is_linked_by_its_main_heading_and_keeps_its_subdivisions(librarian, novels):
    authority = actions.create_authority(actor=librarian, kind="topical", heading="Pendidikan", variants=["Edukasi"])
    assert links_of(authority) == [("Laskar pelangi", "Pendidikan -- Belitung -- Fiksi")]


def test_a_personal_name_matches_whatever_the_punctuation_and_case(librarian, novels):
    authority = actions.create_authority(
        actor=librarian,
        kind="personal",
        heading="Toer, Pramoedya Ananta.",
        dates="1925-2006",
        variants=["pramoedya ananta toer"],
    )
    assert authority.heading == "Toer, Pramoedya Ananta"
    assert links_of(authority) == [
        ("Anak semua bangsa", "Pramoedya Ananta Toer"),
        ("Bumi manusia", "Toer, Pramoedya Ananta"),
    ]


def test_a_topic_is_not_linked_from_a_contributor(librarian, make_record):
    make_record("Laporan", names=["Pertanian"], subjects=[])
    authority = actions.create_authority(actor=librarian, kind="topical", heading="Pertanian")
    assert authority.links.count() == 0


def test_the_same_heading_twice_is_refused_and_nothing_is_written(librarian, novels):
    first = actions.create_authority(actor=librarian, kind="topical", heading="Fiksi Indonesia")
    events = AuditEvent.objects.count()
    with pytest.raises(errors.DuplicateAuthority) as refused:
        actions.create_authority(actor=librarian, kind="topical", heading="fiksi  indonesia")
    assert f"#{first.pk}" in str(refused.value)
    assert Authority.objects.count() == 1 and AuditEvent.objects.count() == events


def test_another_authoritys_heading_cannot_be_a_see_from_form(librarian, db):
    actions.create_authority(actor=librarian, kind="topical", heading="Sastra Indonesia")
    with pytest.raises(errors.HeadingUsedElsewhere):
        actions.create_authority(
            actor=librarian, kind="topical", heading="Kesusastraan Indonesia", variants=["Sastra Indonesia"]
        )
    assert not Authority.objects.filter(heading="Kesusastraan Indonesia").exists()


@pytest.mark.parametrize("heading", ["", "   ", "...", "x" * 501])
def test_a_heading_that_is_empty_or_too_long_is_refused(librarian, db, heading):
    with pytest.raises(errors.InvalidAuthority):
        actions.create_authority(actor=librarian, kind="topical", heading=heading)
    assert not Authority.objects.exists()


def test_an_unknown_kind_is_refused(librarian, db):
    with pytest.raises(errors.InvalidAuthority) as refused:
        actions.create_authority(actor=librarian, kind="geographic", heading="Jawa")
    assert refused.value.field == "kind"


def test_editing_the_forms_reindexes_the_linked_records_and_links_new_ones(librarian, novels):
    authority = actions.create_authority(actor=librarian, kind="topical", heading="Fiksi Indonesia")
    ChangeLog.objects.all().delete()
    actions.update_authority(
        actor=librarian, authority=authority, kind="topical", heading="Fiksi Indonesia", variants=["Novel Indonesia"]
    )
    assert sorted(ChangeLog.objects.values_list("record_id", flat=True).distinct()) == sorted(
        [novels["bumi"].pk, novels["laskar"].pk, novels["anak"].pk]
    )
    assert list(SeeFrom.objects.values_list("heading", flat=True)) == ["Novel Indonesia"]


def test_merging_relinks_every_record_in_one_action(librarian, novels, make_record):
    winner = actions.create_authority(
        actor=librarian, kind="topical", heading="Fiksi Indonesia", variants=["Cerita rekaan Indonesia"]
    )
    loser = actions.create_authority(
        actor=librarian, kind="topical", heading="Novel Indonesia", variants=["Roman Indonesia"]
    )
    make_record("Siti Nurbaya", subjects=["Roman Indonesia"])
    actions.link_authority(actor=librarian, authority=loser)
    assert loser.links.count() == 2
    ChangeLog.objects.all().delete()

    actions.merge_authorities(actor=librarian, winner=winner, loser=loser)

    assert not Authority.objects.filter(pk=loser.pk).exists()
    assert links_of(winner) == [
        ("Anak semua bangsa", "Novel Indonesia"),
        ("Bumi manusia", "Fiksi Indonesia"),
        ("Laskar pelangi", "Fiksi Indonesia"),
        ("Ronggeng Dukuh Paruk", "Cerita rekaan Indonesia"),
        ("Siti Nurbaya", "Roman Indonesia"),
    ]
    assert sorted(winner.variants.values_list("heading", flat=True)) == [
        "Cerita rekaan Indonesia",
        "Novel Indonesia",
        "Roman Indonesia",
    ]
    assert set(ChangeLog.objects.values_list("record_id", flat=True)) == set(
        winner.links.values_list("record_id", flat=True)
    )
    event = AuditEvent.objects.get(verb="authorities.authority.merge")
    assert event.after["merged"] == loser.pk and event.after["relinked"] == 2 and event.actor == librarian


def test_a_merge_of_different_kinds_is_refused_and_nothing_moves(librarian, novels):
    person = actions.create_authority(actor=librarian, kind="personal", heading="Toer, Pramoedya Ananta")
    topic = actions.create_authority(actor=librarian, kind="topical", heading="Fiksi Indonesia")
    with pytest.raises(errors.KindsDiffer):
        actions.merge_authorities(actor=librarian, winner=person, loser=topic)
    assert Authority.objects.count() == 2 and topic.links.count() == 2


def test_an_authority_cannot_be_merged_with_itself(librarian, db):
    one = actions.create_authority(actor=librarian, kind="topical", heading="Gizi")
    with pytest.raises(errors.CannotMergeWithItself):
        actions.merge_authorities(actor=librarian, winner=one, loser=one)


@pytest.mark.parametrize("role", ["technician", "circulation", "senior_technician", "it_manager"])
def test_only_librarians_maintain_authorities(request, librarian, novels, role):
    actor = request.getfixturevalue(role)
    winner = actions.create_authority(actor=librarian, kind="topical", heading="Fiksi Indonesia")
    loser = actions.create_authority(actor=librarian, kind="topical", heading="Novel Indonesia")
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        actions.merge_authorities(actor=actor, winner=winner, loser=loser)
    with pytest.raises(PermissionDenied):
        actions.create_authority(actor=actor, kind="topical", heading="Gizi")
    assert Authority.objects.count() == 2 and AuditEvent.objects.count() == events
    assert actor.has_perm("authorities.view_authority")


def test_a_record_is_linked_and_unlinked_by_hand(librarian, novels):
    authority = actions.create_authority(actor=librarian, kind="personal", heading="Hirata, Andrea", link=False)
    link = actions.link_record(actor=librarian, authority=authority, record=novels["laskar"])
    assert (link.field, link.heading, link.automatic) == ("contributor", "Hirata, Andrea", False)
    with pytest.raises(errors.AlreadyLinked):
        actions.link_record(actor=librarian, authority=authority, record=novels["laskar"])
    actions.unlink_record(actor=librarian, link=link)
    assert not AuthorityLink.objects.exists()
    assert AuditEvent.objects.filter(verb__in=["authorities.link.add", "authorities.link.remove"]).count() == 2


def test_linking_a_heading_the_record_does_not_have_is_refused(librarian, novels):
    authority = actions.create_authority(actor=librarian, kind="personal", heading="Hirata, Andrea", link=False)
    with pytest.raises(errors.HeadingNotInRecord) as refused:
        actions.link_record(
            actor=librarian, authority=authority, record=novels["laskar"], heading="Andrea H.", field="contributor"
        )
    assert "“Andrea H”" in str(refused.value)
    assert not AuthorityLink.objects.exists()


def test_linking_the_catalogue_leaves_a_form_two_authorities_share(librarian, make_record):
    make_record("Buku A", subjects=["Sastra"])
    make_record("Buku B", subjects=["Puisi"])
    first = actions.create_authority(
        actor=librarian, kind="topical", heading="Kesusastraan", variants=["Sastra"], link=False
    )
    actions.create_authority(
        actor=librarian, kind="topical", heading="Kesusastraan lama", variants=["Sastra"], link=False
    )
    poetry = actions.create_authority(actor=librarian, kind="topical", heading="Puisi", link=False)
    assert actions.link_catalogue(actor=librarian) == 1
    assert links_of(poetry) == [("Buku B", "Puisi")] and links_of(first) == []


def test_deleting_an_authority_reindexes_its_records(librarian, novels):
    authority = actions.create_authority(actor=librarian, kind="topical", heading="Fiksi Indonesia")
    ChangeLog.objects.all().delete()
    actions.delete_authority(actor=librarian, authority=authority)
    assert not AuthorityLink.objects.exists()
    assert set(ChangeLog.objects.values_list("record_id", flat=True)) == {novels["bumi"].pk, novels["laskar"].pk}
