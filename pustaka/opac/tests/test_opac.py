"""The public catalogue: home, search and record pages, open to anyone, hiding what the public must not see."""

import pytest
from django.urls import reverse

from pustaka.catalog.models import Record
from pustaka.core.models import Library, Location
from pustaka.holdings.choices import ItemStatus
from pustaka.holdings.models import Item
from pustaka.opac import queries
from pustaka.search import engine

pytestmark = pytest.mark.django_db


def make_record(title, **fields):
    fields.setdefault("contributors", [{"name": "Penulis, Contoh", "role": "author"}])
    return Record.objects.create(title=title, **fields)


@pytest.fixture
def north_stacks(other_branch):
    return Location.objects.create(branch=other_branch, code="STACKS", name="Rak umum")


@pytest.fixture
def add_copy(branch, location, item_type):
    """``add_copy(record, "B1", status=..., branch=..., location=...)``: a copy made directly (test set-up)."""

    def add(record, barcode, status=ItemStatus.AVAILABLE, **fields):
        fields.setdefault("branch", branch)
        fields.setdefault("location", location)
        extra = {"pulled_reason": "weed"} if status == ItemStatus.PULLED else {}
        return Item.objects.create(
            record=record, barcode=barcode, item_type=item_type, status=status, **extra, **fields
        )

    return add


# --- Home -----------------------------------------------------------------------------------------


def test_anyone_can_open_the_home_page_and_search_from_it(client, record, branch):
    Library.objects.create(name="Perpustakaan Desa Sukamaju")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Perpustakaan Desa Sukamaju" in html
    assert 'name="q"' in html and "autofocus" in html
    assert 'action="/search/"' in html
    assert "Pemrograman Python" in html  # the newest record
    assert "1 title" in html


def test_home_page_lists_the_newest_records_first_and_not_suppressed_ones(client, db):
    make_record("Buku Lama")
    make_record("Buku Baru")
    make_record("Buku Rahasia", is_suppressed=True)
    html = client.get("/").content.decode()
    assert html.index("Buku Baru") < html.index("Buku Lama")
    assert "Buku Rahasia" not in html


def test_home_page_shows_each_branch_with_its_opening_hours(client, branch):
    branch.opening_hours = {str(d): [["08:00", "16:00"]] for d in range(5)} | {"5": [["08:00", "12:00"]]}
    branch.save()
    html = client.get("/").content.decode()
    assert "Perpustakaan Pusat" in html
    assert "Monday – Friday" in html and "08:00–16:00" in html
    assert "Saturday" in html and "08:00–12:00" in html
    assert "Sunday" in html and "Closed" in html


def test_opening_hours_group_days_with_the_same_hours():
    rows = queries.opening_hours_rows({"0": [["08:00", "16:00"]], "1": [["08:00", "16:00"]], "3": [["09:00", "12:00"]]})
    assert [(str(label), periods) for label, periods in rows] == [
        ("Monday – Tuesday", ["08:00–16:00"]),
        ("Wednesday", []),
        ("Thursday", ["09:00–12:00"]),
        ("Friday – Sunday", []),
    ]


def test_home_page_counts_only_what_the_public_can_find(client, record, add_copy):
    add_copy(record, "B1")
    add_copy(record, "B2", status=ItemStatus.DISCARDED)
    make_record("Tersembunyi", is_suppressed=True)
    assert queries.catalogue_counts() == {"records": 1, "copies": 1, "branches": 1}


# --- Search ---------------------------------------------------------------------------------------


def search(client, q, **params):
    """Rebuild the index from the database, then search as a visitor would."""
    engine.rebuild()
    return get_search(client, q, **params)


def get_search(client, q, **params):
    return client.get(reverse("opac:search"), {"q": q, **params})


def hit_titles(response) -> list[str]:
    return [r.title for r in response.context["result"].hits]


def test_search_finds_a_record_by_a_word_of_its_title(client, record):
    response = search(client, "python")
    assert response.status_code == 200
    assert hit_titles(response) == ["Pemrograman Python"]


@pytest.mark.parametrize(
    "q",
    ["Sutanto", "pemula", "bahasa pemrograman", "978-602-00-0000-5", "9786020000005", "005.133 SUT", "budi python"],
)
def test_search_matches_author_subtitle_subject_isbn_and_call_number(client, record, q):
    assert hit_titles(search(client, q)) == ["Pemrograman Python"]


def test_search_needs_every_word_to_match(client, record):
    assert hit_titles(search(client, "python java")) == []


def test_search_finds_authors_with_accented_names(client, db):
    make_record("Tale for Christmas", contributors=[{"name": "Coppée, François", "role": "author"}])
    make_record("Another book")
    assert hit_titles(search(client, "Coppée")) == ["Tale for Christmas"]
    assert hit_titles(search(client, "françois")) == ["Tale for Christmas"]


def test_a_word_that_only_appears_in_the_stored_form_of_contributors_matches_nothing(client, record):
    assert hit_titles(search(client, "author")) == []
    assert hit_titles(search(client, "role")) == []


def test_search_never_shows_suppressed_records(client, record):
    make_record("Pemrograman Python lanjutan", is_suppressed=True)
    assert hit_titles(search(client, "python")) == ["Pemrograman Python"]


def test_titles_holding_the_whole_query_come_first(client, db):
    make_record("Belajar memasak", subjects=["Laskar pelangi -- Kajian"])
    make_record("Laskar pelangi")
    assert hit_titles(search(client, "laskar pelangi")) == ["Laskar pelangi", "Belajar memasak"]


def test_search_shows_availability_per_branch(client, record, add_copy, other_branch, north_stacks):
    add_copy(record, "B1")
    add_copy(record, "B2")
    add_copy(record, "B3", status=ItemStatus.ON_LOAN)
    add_copy(record, "B4", status=ItemStatus.ON_LOAN, branch=other_branch, location=north_stacks)
    add_copy(record, "B5", status=ItemStatus.WITHDRAWN, branch=other_branch, location=north_stacks)
    html = search(client, "python").content.decode()
    assert "Available at Perpustakaan Pusat: 2" in html
    assert "Cabang Utara: on loan" in html


def test_a_branch_with_no_copy_on_the_shelf_or_on_loan_says_not_available(client, record, add_copy):
    add_copy(record, "B1", status=ItemStatus.IN_REPAIR)
    html = search(client, "python").content.decode()
    assert "Perpustakaan Pusat: not available now" in html


def test_search_results_show_title_author_year_type_and_call_number(client, record):
    html = search(client, "python").content.decode()
    for text in ("Pemrograman Python : untuk pemula", "Sutanto, Budi", "2021", "Book", "005.133 SUT p"):
        assert text in html
    assert reverse("opac:record", args=[record.pk]) in html


def test_search_shows_twenty_records_a_page(client, db):
    for n in range(45):
        make_record(f"Kumpulan dongeng {n:02d}")
    first = search(client, "dongeng")
    assert first.context["result"].total == 45
    assert len(hit_titles(first)) == 20
    assert "page=2" in first.content.decode()
    third = search(client, "dongeng", page=3, sort="title")
    assert hit_titles(third) == [f"Kumpulan dongeng {n}" for n in range(40, 45)]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "9" * 30])
def test_a_bad_page_number_shows_a_page_instead_of_an_error(client, record, page):
    response = search(client, "python", page=page)
    assert response.status_code == 200
    assert hit_titles(response) == ["Pemrograman Python"]


def test_an_empty_search_asks_for_words(client, record):
    response = search(client, "   ")
    assert response.status_code == 200
    assert "Type a title" in response.content.decode()
    assert response.context["result"].hits == []


def test_a_search_with_no_hits_says_so(client, record):
    assert "No records match" in search(client, "zzzz").content.decode()


def test_very_long_queries_are_cut_and_do_not_fail(client, record):
    response = search(client, "python " + "kata " * 500)
    assert response.status_code == 200


def test_search_page_uses_the_same_few_queries_for_one_hit_or_twenty(
    client, django_assert_max_num_queries, add_copy, other_branch, north_stacks
):
    first = make_record("Dongeng pertama")
    add_copy(first, "A0")
    engine.rebuild()
    with django_assert_max_num_queries(5):  # library name, records, availability, covers, branch names
        assert len(hit_titles(get_search(client, "dongeng"))) == 1
    for n in range(30):
        record = make_record(f"Dongeng {n}", subjects=["Dongeng"])
        add_copy(record, f"A{n}1")
        add_copy(record, f"A{n}2", status=ItemStatus.ON_LOAN, branch=other_branch, location=north_stacks)
    engine.rebuild()
    with django_assert_max_num_queries(6):  # and the due dates of the copies on loan
        response = get_search(client, "dongeng")
    assert len(hit_titles(response)) == 20
    assert all(len(r.availability) == 2 for r in response.context["result"].hits if r.title != "Dongeng pertama")


def test_without_an_index_the_database_answers_the_same_search_with_availability(record, add_copy):
    add_copy(record, "B1")
    result = queries.catalogue_search("python", 1)  # no index in this test's home yet
    assert result.fallback
    assert result.total == 1
    assert result.hits[0].availability[0].available == 1


# --- Record page ----------------------------------------------------------------------------------


def test_record_page_shows_the_full_record_and_its_copies(client, record, add_copy):
    record.summary = "Pengantar pemrograman."
    record.save()
    add_copy(record, "B1")
    add_copy(record, "B2", status=ItemStatus.ON_LOAN, call_number="005.133 SUT p c.2")
    response = client.get(reverse("opac:record", args=[record.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Pemrograman Python",
        "untuk pemula",
        "Sutanto, Budi",
        "Bandung: Informatika, 2021",
        "978-602-00-0000-5",
        "Indonesian",
        "Python (Bahasa pemrograman)",
        "Pengantar pemrograman.",
        "Rak umum",
        "005.133 SUT p c.2",
        "Available",
        "On loan",
        "Available at Perpustakaan Pusat: 1",
    ):
        assert text in html, text


@pytest.mark.parametrize("status", sorted(ItemStatus.public_hidden()))
def test_record_page_never_shows_withdrawn_for_sale_sold_or_discarded_copies(client, record, add_copy, status):
    add_copy(record, "SHOWN1")
    add_copy(record, "HIDDEN1", status=status, call_number="HIDDEN-CALLNO")
    response = client.get(reverse("opac:record", args=[record.pk]))
    assert [item.barcode for item in response.context["copies"]] == ["SHOWN1"]
    assert "HIDDEN-CALLNO" not in response.content.decode()
    assert str(ItemStatus(status).label) not in response.content.decode()


def test_search_never_counts_hidden_copies(client, record, add_copy):
    add_copy(record, "B1", status=ItemStatus.FOR_SALE)
    add_copy(record, "B2", status=ItemStatus.SOLD)
    add_copy(record, "B3", status=ItemStatus.ON_LOAN)
    html = search(client, "python").content.decode()
    assert "Available at" not in html
    assert "Perpustakaan Pusat: on loan" in html


def test_a_record_whose_copies_are_all_withdrawn_is_not_found(client, record, add_copy):
    add_copy(record, "B1", status=ItemStatus.WITHDRAWN)
    add_copy(record, "B2", status=ItemStatus.DISCARDED)
    assert hit_titles(search(client, "python")) == []


def test_a_record_without_copies_is_found_and_says_so(client, record):
    html = search(client, "python").content.decode()
    assert "No copies to borrow" in html


def test_a_suppressed_record_is_not_found(client, record):
    record.is_suppressed = True
    record.save()
    assert client.get(reverse("opac:record", args=[record.pk])).status_code == 404


def test_an_unknown_record_is_not_found(client, db):
    assert client.get("/record/999999/").status_code == 404


def test_record_page_has_a_permalink(client, record):
    html = client.get(reverse("opac:record", args=[record.pk])).content.decode()
    permalink = f"http://testserver/record/{record.pk}/"
    assert f'<link rel="canonical" href="{permalink}">' in html
    assert f'href="{permalink}" rel="bookmark"' in html


def test_record_page_says_where_closed_stacks_copies_are(client, record, add_copy, branch):
    store = Location.objects.create(branch=branch, code="STORE", name="Gudang", is_public=False)
    add_copy(record, "B1", location=store)
    html = client.get(reverse("opac:record", args=[record.pk])).content.decode()
    assert "Gudang" in html and "ask at the desk" in html


def test_record_page_queries_do_not_grow_with_copies(client, record, add_copy, django_assert_max_num_queries):
    for n in range(15):
        add_copy(record, f"B{n}")
    # library name, record, cover, copies, digital resources, authorised headings
    with django_assert_max_num_queries(6):
        response = client.get(reverse("opac:record", args=[record.pk]))
    assert len(response.context["copies"]) == 15


def test_a_logged_in_staff_member_sees_the_same_public_pages(client, librarian, record):
    client.force_login(librarian)
    assert client.get("/").status_code == 200
    assert client.get(reverse("opac:record", args=[record.pk])).status_code == 200


def test_public_pages_only_answer_get(client, record):
    assert client.post("/search/", {"q": "python"}).status_code == 405
    assert client.post(reverse("opac:record", args=[record.pk])).status_code == 405


def test_public_pages_speak_indonesian_by_default(client, record):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="").content.decode()
    assert '<html lang="id">' in html


def test_following_a_subject_heading_link_finds_the_record(client, record):
    record.subjects = ["Pendidikan -- Belitung -- Fiksi"]
    record.save()
    html = client.get(reverse("opac:record", args=[record.pk])).content.decode()
    assert "?q=Pendidikan%20--%20Belitung%20--%20Fiksi" in html
    assert hit_titles(search(client, "Pendidikan -- Belitung -- Fiksi")) == ["Pemrograman Python"]
    nothing = search(client, "-- .")
    assert nothing.status_code == 200 and nothing.context["result"].hits == []
    assert "Type a title" in nothing.content.decode()


def test_a_cover_image_shows_in_the_results_and_on_the_record_page(client, db, add_copy, tmp_path, settings):
    from pustaka.digital.models import DigitalResource, ResourceFile, StoredFile

    settings.PUSTAKA_FILES_DIR = tmp_path / "files"
    with_cover, without = make_record("Hikayat Hang Tuah"), make_record("Hikayat Bayan Budiman")
    add_copy(without, "C1")
    resource = DigitalResource.objects.create(record=with_cover, kind="ebook")
    png = StoredFile.objects.create(sha256="ab" * 32, size=10, mime_type="image/png", original_name="cover.png")
    link = ResourceFile.objects.create(resource=resource, file=png, role="cover")
    engine.rebuild()
    cover_url = reverse("digital_public:cover", args=[resource.pk, link.pk])

    html = get_search(client, "hikayat").content.decode()
    assert html.count('class="cover"') == 1 and cover_url in html
    page = client.get(reverse("opac:record", args=[with_cover.pk])).content.decode()
    assert f'src="{cover_url}"' in page
    assert 'class="cover' not in client.get(reverse("opac:record", args=[without.pk])).content.decode()
    # the e-book has no copy on a shelf but can be read: the list says so instead of "No copies to borrow"
    results = get_search(client, "hikayat")
    online = {r.title: r.online for r in results.context["result"].hits}
    assert online == {"Hikayat Bayan Budiman": False, "Hikayat Hang Tuah": True}
    assert results.content.decode().count("Available online") == 1


def test_the_home_page_lists_public_collections_and_each_has_a_page(
    client, db, add_copy, django_assert_max_num_queries
):
    from pustaka.digital.models import Collection, DigitalResource

    teknik = Collection.objects.create(code="jurnal-teknik", name="Koleksi Jurnal Teknik", description="Jurnal")
    Collection.objects.create(code="arsip", name="Arsip staf", is_public=False)
    titles = [make_record(f"Jurnal Teknik {n:02d}") for n in range(22)]
    for record in titles:
        DigitalResource.objects.create(record=record, kind="ejournal").collections.add(teknik)
    hidden = make_record("Jurnal yang ditarik", is_suppressed=True)
    DigitalResource.objects.create(record=hidden, kind="ejournal").collections.add(teknik)

    home = client.get("/").content.decode()
    assert "Koleksi Jurnal Teknik" in home and "22 titles" in home
    assert "Arsip staf" not in home

    url = reverse("opac:collection", args=["jurnal-teknik"])
    with django_assert_max_num_queries(6):  # library name, collection, count, records, availability, covers
        first = client.get(url)
    assert [r.title for r in first.context["result"].hits] == [f"Jurnal Teknik {n:02d}" for n in range(20)]
    second = client.get(url, {"page": 2})
    assert [r.title for r in second.context["result"].hits] == ["Jurnal Teknik 20", "Jurnal Teknik 21"]
    assert client.get(reverse("opac:collection", args=["arsip"])).status_code == 404
    assert client.get(reverse("opac:collection", args=["tidak-ada"])).status_code == 404
