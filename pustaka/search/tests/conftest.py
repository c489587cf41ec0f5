"""A golden corpus for the search engine: Indonesian and English records, each test with its own index."""

import unicodedata

import pytest

# key: (title, contributors, subjects, year, language, material type, holdings [(branch code, status)])
CORPUS = {
    "kualitatif": (
        "Penelitian kualitatif untuk pendidikan",
        ["Moleong, Lexy J."],
        ["Penelitian -- Metodologi", "Pendidikan"],
        2010,
        "ind",
        "book",
        [("MAIN", "available")],
    ),
    "metode": (
        "Metode penelitian sosial",
        ["Bungin, Burhan"],
        ["Ilmu sosial -- Penelitian"],
        2015,
        "ind",
        "book",
        [("NORTH", "available")],
    ),
    "sejarah_indonesia": (
        "Sejarah Indonesia modern",
        ["Ricklefs, M. C."],
        ["Indonesia -- Sejarah"],
        2008,
        "ind",
        "book",
        [("MAIN", "on_loan")],
    ),
    "sejarah_jawa": (
        "Sejarah Jawa",
        ["Raffles, Thomas Stamford"],
        ["Jawa (Indonesia) -- Sejarah"],
        1999,
        "ind",
        "book",
        [("MAIN", "available"), ("NORTH", "available")],
    ),
    "python_id": (
        "Pemrograman Python untuk pemula",
        ["Sutanto, Budi"],
        ["Python (Bahasa pemrograman)"],
        2021,
        "ind",
        "book",
        [("MAIN", "available")],
    ),
    "memasak": (
        "Belajar memasak masakan Padang",
        ["Suryani, Ani"],
        ["Masakan Indonesia"],
        2018,
        "ind",
        "book",
        [("NORTH", "available")],
    ),
    "laskar": (
        "Laskar pelangi",
        ["Hirata, Andrea"],
        ["Novel Indonesia"],
        2005,
        "ind",
        "book",
        [("MAIN", "available"), ("NORTH", "on_loan")],
    ),
    "bumi": (
        "Bumi manusia",
        ["Toer, Pramoedya Ananta"],
        ["Novel Indonesia", "Sejarah -- Fiksi"],
        1980,
        "ind",
        "book",
        [("MAIN", "on_loan")],
    ),
    "kamus": (
        "Kamus besar bahasa Indonesia",
        ["Pusat Bahasa"],
        ["Bahasa Indonesia -- Kamus"],
        2008,
        "ind",
        "book",
        [("MAIN", "available")],
    ),
    "ekonomi": ("Ekonomi pembangunan", ["Sukirno, Sadono"], ["Ekonomi"], 2012, "ind", "book", [("MAIN", "available")]),
    "zelle": (
        "Python programming : an introduction to computer science",
        ["Zelle, John M."],
        ["Python (Computer program language)", "Computer science"],
        2017,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "lutz": (
        "Learning Python",
        ["Lutz, Mark"],
        ["Python (Computer program language)"],
        2013,
        "eng",
        "book",
        [("NORTH", "available")],
    ),
    "ricklefs": (
        "A history of modern Indonesia",
        ["Ricklefs, M. C."],
        ["Indonesia -- History"],
        2001,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "pearls": (
        "Programming pearls",
        ["Bentley, Jon"],
        ["Computer programming"],
        1999,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "knuth": (
        "The art of computer programming",
        ["Knuth, Donald E."],
        ["Computer programming", "Computer algorithms"],
        1997,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "running": (
        "Running libraries",
        ["Evans, G. Edward"],
        ["Libraries -- Administration"],
        2010,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "balzac": (
        "La comédie humaine",
        ["Balzac, Honoré de"],
        ["French fiction"],
        1990,
        "fre",
        "book",
        [("MAIN", "available")],
    ),
    "decomposed": (
        unicodedata.normalize("NFD", "Comédie française"),
        ["Molière"],
        ["Theater -- France"],
        1985,
        "fre",
        "book",
        [("NORTH", "available")],
    ),
    "spices": (
        "Cooking with spices",
        ["Owen, Sri"],
        ["Cooking, Indonesian"],
        2019,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "rendang": (
        "Rendang and friends",
        ["Owen, Sri"],
        ["Cooking, Indonesian"],
        2020,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "java_sources": (
        "Travels in Java",
        ["Hardy, Anne"],
        ["Java (Indonesia)", "History -- Sources"],
        1995,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "sourcebook": (
        "Indonesia history sourcebook",
        ["Reid, Anthony"],
        ["Southeast Asia"],
        2004,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "science_age": (
        "Science of the computer age",
        ["Clarke, Ann"],
        ["Technology"],
        2000,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "suppressed": ("Rahasia negara", ["Anonim"], ["Politik"], 2000, "ind", "book", [("MAIN", "available")]),
    "withdrawn": (
        "Buku usang tentang politik",
        ["Anonim"],
        ["Politik"],
        1970,
        "ind",
        "book",
        [("MAIN", "withdrawn"), ("NORTH", "discarded")],
    ),
    "ejurnal": (
        "Jurnal perpustakaan digital",
        ["Universitas Indonesia"],
        ["Perpustakaan digital"],
        2022,
        "ind",
        "ejournal",
        [],
    ),
    "statistik": ("Statistik dasar", ["Sudjana"], ["Statistik"], 2005, "ind", "book", [("MAIN", "available")]),
    "statistics": (
        "Introduction to statistics",
        ["Walpole, Ronald"],
        ["Statistics"],
        2011,
        "eng",
        "book",
        [("NORTH", "available")],
    ),
    "statistical": (
        "Statistical methods",
        ["Snedecor, George"],
        ["Statistics"],
        1989,
        "eng",
        "book",
        [("MAIN", "on_loan")],
    ),
    "fisika": ("Fisika dasar", ["Halliday, David"], ["Fisika"], 2010, "ind", "book", [("MAIN", "available")]),
    "physics": (
        "Physics for scientists and engineers",
        ["Serway, Raymond"],
        ["Physics"],
        2014,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "kimia": ("Kimia organik", ["Fessenden, Ralph"], ["Kimia organik"], 1997, "ind", "book", [("NORTH", "available")]),
    "chemistry": (
        "Organic chemistry",
        ["Fessenden, Ralph"],
        ["Chemistry, Organic"],
        1998,
        "eng",
        "book",
        [("MAIN", "available")],
    ),
    "biologi": ("Biologi sel", ["Campbell, Neil"], ["Sitologi"], 2009, "ind", "book", [("MAIN", "available")]),
    "cell": ("Cell biology", ["Pollard, Thomas"], ["Cytology"], 2016, "eng", "book", [("MAIN", "available")]),
    "atlas": ("Atlas Indonesia", ["Bakosurtanal"], ["Indonesia -- Maps"], 2003, "ind", "map", [("MAIN", "available")]),
    "tempo": ("Majalah Tempo", ["Tempo Inti Media"], ["Berita"], 2019, "ind", "magazine", [("MAIN", "available")]),
    "gamelan": (
        "Gamelan music of Java",
        ["Lindsay, Jennifer"],
        ["Gamelan", "Music -- Indonesia"],
        1992,
        "eng",
        "book",
        [("NORTH", "available")],
    ),
    "wayang": ("Wayang kulit purwa", ["Sunarto"], ["Wayang"], 1989, "ind", "book", [("MAIN", "available")]),
    "perpustakaan": (
        "Manajemen perpustakaan",
        ["Sutarno NS"],
        ["Perpustakaan -- Manajemen"],
        2006,
        "ind",
        "book",
        [("MAIN", "available")],
    ),
    "libraries_mgmt": (
        "Managing libraries",
        ["Evans, G. Edward"],
        ["Libraries -- Administration"],
        2015,
        "eng",
        "book",
        [("NORTH", "available")],
    ),
}


@pytest.fixture
def index_dir(settings, tmp_path):
    """Every test writes its own index."""
    settings.PUSTAKA_INDEX_DIR = tmp_path / "index"
    return settings.PUSTAKA_INDEX_DIR


@pytest.fixture
def corpus(db, index_dir, branch, other_branch, location, item_type):
    """The golden corpus in the database and in a freshly rebuilt index; returns key → record id."""
    from pustaka.catalog.models import Record
    from pustaka.core.models import Location
    from pustaka.holdings.models import Item
    from pustaka.search import engine

    north_location = Location.objects.create(branch=other_branch, code="STACKS", name="Rak")
    places = {"MAIN": (branch, location), "NORTH": (other_branch, north_location)}
    ids = {}
    barcode = 0
    for key, (title, names, subjects, year, language, material_type, holdings) in CORPUS.items():
        record = Record.objects.create(
            title=title,
            contributors=[{"name": name, "role": "author"} for name in names],
            subjects=subjects,
            year=year,
            language=language,
            material_type=material_type,
            is_suppressed=key == "suppressed",
            isbn="9786020332956" if key == "laskar" else "",
            call_number="005.133 ZEL p" if key == "zelle" else "",
        )
        ids[key] = record.id
        for code, status in holdings:
            barcode += 1
            where, shelf = places[code]
            Item.objects.create(
                record=record,
                barcode=f"G{barcode:05d}",
                branch=where,
                location=shelf,
                item_type=item_type,
                status=status,
            )
    engine.rebuild()
    return ids


@pytest.fixture(scope="module")
def big_corpus(django_db_setup, django_db_blocker, tmp_path_factory):
    """The big golden corpus (``golden_corpus.RECORDS``, about 300 records) in an index built once per module.

    The records, branches MAIN and NORTH and their items exist in the database only while the index is
    built (the transaction is rolled back afterwards), so the tests search the index without touching the
    database: pass ``path=big_corpus.path`` to ``engine.search``. ``big_corpus.ids`` maps key → record id.
    A module using it marks its tests ``django_db`` (pytest-django creates the test database only then).
    """
    from types import SimpleNamespace

    from django.db import transaction

    from pustaka.catalog.models import Record
    from pustaka.core.models import Branch, Location
    from pustaka.holdings.models import Item, ItemType
    from pustaka.search import engine

    from .golden_corpus import RECORDS

    path = tmp_path_factory.mktemp("golden") / "index"
    ids = {}
    with django_db_blocker.unblock(), transaction.atomic():
        item_type = ItemType.objects.create(code="GOLDEN", name="Buku")
        places = {}
        for code, name in (("MAIN", "Perpustakaan Pusat"), ("NORTH", "Cabang Utara")):
            branch = Branch.objects.create(code=code, name=name)
            places[code] = (branch, Location.objects.create(branch=branch, code="STACKS", name="Rak"))
        barcode = 0
        for data in RECORDS:
            contributors = []
            for entry in data["contributors"]:
                name, role = (entry, "author") if isinstance(entry, str) else entry
                contributors.append({"name": name, "role": role})
            record = Record.objects.create(
                title=data["title"],
                subtitle=data.get("subtitle", ""),
                contributors=contributors,
                subjects=data["subjects"],
                year=data["year"],
                language=data["language"],
                material_type=data["material_type"],
                publisher=data.get("publisher", ""),
                series=data.get("series", ""),
                isbn=data.get("isbn", ""),
                isbns=data.get("isbns", []),
                issn=data.get("issn", ""),
                call_number=data.get("call_number", ""),
                is_suppressed=data.get("suppressed", False),
            )
            ids[data["key"]] = record.id
            for code, status in data["holdings"]:
                barcode += 1
                branch, shelf = places[code]
                Item.objects.create(
                    record=record,
                    barcode=f"GC{barcode:05d}",
                    branch=branch,
                    location=shelf,
                    item_type=item_type,
                    status=status,
                )
        engine.rebuild(path)
        transaction.set_rollback(True)
    return SimpleNamespace(ids=ids, path=path)
