"""The big golden corpus (``golden_corpus.py``, 305 records) pins hit sets, facet counts and ranking.

The index is built once for the module (``big_corpus`` in conftest.py); every expected value below was
worked out from the records by hand. Keys name records of ``golden_corpus.RECORDS``.
"""

import unicodedata

import pytest

from pustaka.search import engine
from pustaka.search.query import Clause, QuerySyntaxError, SearchQuery

pytestmark = pytest.mark.django_db  # pytest-django creates the test database only for marked modules

PESANTREN = {"tradisi_pesantren", "pesantren_pembaharuan", "kurikulum_pesantren", "pesantren_tradition"}
# Indonesian records with penelitian / peneliti (stem "teliti") in a title, subject or corporate name.
TELITI = {"gomez", "padi_organik", "moleong", "arikunto", "sugiyono", "ptk", "jurnal_dikbud"}
# Indonesian records with pertanian / petani / tani (stem "tani"), two of them only through a
# corporate author (Kementerian / Departemen Pertanian).
TANI = {
    "banten",
    "bercocok_tanam_padi",
    "involusi",
    "dua_abad",
    "ekonomi_pertanian",
    "penyuluhan",
    "masyarakat_desa",
    "trubus",
    "sinar_tani",
    "jagung",
    "gomez",
    "padi_organik",
    "mustika_rasa",
    "koperasi_tani",
    "pak_tani",
}
PRAMOEDYA_AS_AUTHOR = {
    "kronik",
    "jalan_pos",
    "bumi_manusia",
    "bumi_manusia_ebook",
    "anak_semua_bangsa",
    "jejak_langkah",
    "rumah_kaca",
    "gadis_pantai",
    "arus_balik",
    "this_earth",
    "child_of_all_nations",
    "mutes_soliloquy",
}


def run(corpus, text="", **options):
    return engine.search(SearchQuery(text=text, **options), path=corpus.path)


def keys(corpus, result):
    by_id = {record_id: key for key, record_id in corpus.ids.items()}
    return [by_id[record_id] for record_id in result.ids]


def hits(corpus, text, **options):
    """The whole hit set (checked against the total, so no hit hides past the page)."""
    result = run(corpus, text, limit=1000, facets=False, **options)
    found = keys(corpus, result)
    assert len(found) == result.total
    return set(found)


# --- words, phrases, exclusions, OR --------------------------------------------------------------


def test_one_word_finds_it_in_any_field(big_corpus):
    assert hits(big_corpus, "pesantren") == PESANTREN  # title and subject, Indonesian and English
    assert hits(big_corpus, "hamka") == {"van_der_wijck", "lindungan_kabah", "tafsir_azhar", "panji_masyarakat"}
    assert hits(big_corpus, "HAMKA") == hits(big_corpus, "Hamka")


def test_two_words_must_both_match_anywhere_in_the_record(big_corpus):
    assert hits(big_corpus, "hukum pidana") == {"kuhp", "asas_pidana", "pidana_islam"}
    # "sejarah" and "jawa" in the title, in one subject or spread over title and subjects.
    assert hits(big_corpus, "sejarah jawa") == {
        "nusa_jawa",
        "kuasa_ramalan",
        "zaman_bergerak",
        "jalan_pos",
        "perempuan_perkasa",
        "dua_abad",
        "masyarakat_desa",
        "babad",
        "revolusi_pemuda",
    }
    # An author and a subject word.
    assert hits(big_corpus, "geertz java") == {"religion_of_java", "agricultural_involution", "javanese_family"}


def test_an_exact_phrase_needs_the_words_adjacent_and_in_order(big_corpus):
    assert hits(big_corpus, "hukum adat") == {"hukum_adat_id", "asas_adat", "waris_adat"}
    assert hits(big_corpus, '"hukum adat"') == {"hukum_adat_id", "asas_adat"}  # not "Hukum waris menurut adat"
    assert hits(big_corpus, '"adat hukum"') == set()
    assert hits(big_corpus, '"bumi manusia"') == {"bumi_manusia", "bumi_manusia_ebook"}
    assert hits(big_corpus, '"hujan bulan juni" novel') == {"hujan_novel"}


def test_exclusions_leave_out_words_and_phrases(big_corpus):
    pramoedya = PRAMOEDYA_AS_AUTHOR | {"teeuw_pram", "pram_kritik"}
    assert hits(big_corpus, "pramoedya") == pramoedya
    novels = {"bumi_manusia", "bumi_manusia_ebook", "anak_semua_bangsa", "jejak_langkah", "rumah_kaca"}
    novels |= {"gadis_pantai", "arus_balik"}
    assert hits(big_corpus, "pramoedya -novel") == pramoedya - novels
    assert hits(big_corpus, "pramoedya -novel -translations") == {
        "kronik",
        "jalan_pos",
        "teeuw_pram",
        "pram_kritik",
        "mutes_soliloquy",
    }
    assert hits(big_corpus, 'hukum adat -"hukum adat"') == {"waris_adat"}


def test_or_takes_either_word_and_binds_tighter_than_and(big_corpus):
    assert hits(big_corpus, "zakat OR wakaf") == {"hukum_zakat", "zakat_wakaf", "hukum_wakaf"}
    assert hits(big_corpus, "zakat OR wakaf hukum") == {"hukum_zakat", "hukum_wakaf"}
    assert hits(big_corpus, "kancil OR tintin") == {"kancil_buaya", "dongeng_kancil", "tintin_714", "tintin_tibet"}


# --- field prefixes --------------------------------------------------------------------------------


def test_author_title_and_subject_prefixes_search_only_their_field(big_corpus):
    assert hits(big_corpus, "author:toer") == PRAMOEDYA_AS_AUTHOR
    assert hits(big_corpus, "subject:toer") == {"teeuw_pram", "pram_kritik", "mutes_soliloquy"}
    assert hits(big_corpus, "title:pramoedya") == {"teeuw_pram"}
    # Kurikulum 2013 is the series of two e-books: found anywhere, not by title:.
    title_only = {"kurikulum_pesantren", "kurikulum_pembelajaran", "pengembangan_kurikulum"}
    assert hits(big_corpus, "title:kurikulum") == title_only
    assert hits(big_corpus, "kurikulum") == title_only | {"sejarah_kelas_x", "buku_guru"}
    # The publisher "Sastra Hudaya" counts for a plain word, not for subject:.
    assert "bercocok_tanam_padi" in hits(big_corpus, "sastra")
    assert "bercocok_tanam_padi" not in hits(big_corpus, "subject:sastra")


def test_indonesian_prefix_names_work_like_the_english_ones(big_corpus):
    assert hits(big_corpus, "pengarang:hamka") == hits(big_corpus, "author:hamka")
    assert hits(big_corpus, "judul:kurikulum") == hits(big_corpus, "title:kurikulum")
    assert hits(big_corpus, "subjek:zakat") == {"hukum_zakat", "zakat_wakaf"}


def test_isbn_and_issn_prefixes_and_bare_numbers(big_corpus):
    assert hits(big_corpus, "isbn:978-979-3062-79-2") == {"laskar_pelangi"}
    assert hits(big_corpus, "isbn:0-8047-4480-7") == {"ricklefs_en"}  # the ISBN-10 in the list of ISBNs
    assert hits(big_corpus, "9781593279288") == {"crash_course"}
    assert hits(big_corpus, "issn:0126-4273") == {"tempo"}
    assert hits(big_corpus, "isbn:9780000000002") == set()


def test_call_numbers_are_searched_by_their_beginning(big_corpus):
    fiction = {"bumi_manusia", "anak_semua_bangsa", "jejak_langkah", "rumah_kaca", "gadis_pantai", "arus_balik"}
    fiction |= {"this_earth", "child_of_all_nations"}
    assert hits(big_corpus, 'callno:"899.2213 TOE"') == fiction
    everything_899_2213 = fiction | {"siti_nurbaya", "laskar_pelangi", "sang_pemimpi"}
    assert hits(big_corpus, "callno:899.2213") == everything_899_2213
    assert hits(big_corpus, "callno:899.22") == everything_899_2213 | {"teeuw_pram"}
    assert hits(big_corpus, 'callno:"297.77 DHO"') == {"tradisi_pesantren", "pesantren_tradition"}
    python = {"crash_course", "fluent_python", "learning_python", "k_and_r", "think_python", "python_pemula"}
    assert hits(big_corpus, "callno:005.133") == python
    assert hits(big_corpus, "callno:005.1") == python | {"sicp", "clrs", "algoritma"}


def test_year_ranges_alone_and_with_words(big_corpus):
    assert hits(big_corpus, "year:1920-1939") == {
        "siti_nurbaya",
        "salah_asuhan",
        "alexanderplatz",
        "menggugat",
        "layar_terkembang",
        "van_der_wijck",
        "lindungan_kabah",
        "kartini",
        "furnivall",
    }
    assert hits(big_corpus, "tahun:-1930") == {
        "max_havelaar_nl",
        "democracy_education",
        "siti_nurbaya",
        "salah_asuhan",
        "alexanderplatz",
        "menggugat",
    }
    assert hits(big_corpus, "pramoedya year:1985-1990") == {"jejak_langkah", "gadis_pantai", "rumah_kaca"}
    assert hits(big_corpus, "novel year:2010-") == {"hujan_novel", "pulang", "amba", "bumi_manusia_ebook"}
    assert hits(big_corpus, "year:1945") == set()
    for bad in ("year:abc", "year:2010-2000"):
        with pytest.raises(QuerySyntaxError):
            run(big_corpus, bad)


# --- analysis: stemming, folding, position gap -------------------------------------------------------


def test_indonesian_stemming_teliti_finds_penelitian_and_peneliti(big_corpus):
    assert hits(big_corpus, "teliti") == TELITI
    assert hits(big_corpus, "penelitian") == TELITI
    assert hits(big_corpus, "peneliti") == TELITI


def test_indonesian_stemming_tani_pertanian_and_petani_find_each_other(big_corpus):
    assert hits(big_corpus, "tani") == TANI
    assert hits(big_corpus, "pertanian") == TANI
    assert hits(big_corpus, "petani") == TANI
    # belajar, pelajaran, pengajaran, pembelajaran, ajaran: all "ajar".
    assert hits(big_corpus, "pembelajaran") == {
        "sejarah_kelas_x",
        "ptk",
        "guru_anak_didik",
        "kurikulum_pembelajaran",
        "strategi_belajar",
        "buku_guru",
        "pjj_video",
        "bobo",
        "tata_negara_islam",
    }


def test_english_stemming(big_corpus):
    farming = {"smallholders", "organic_farming", "one_straw"}
    assert hits(big_corpus, "farming") == hits(big_corpus, "farms") == hits(big_corpus, "farm") == farming
    assert hits(big_corpus, "colonial") == hits(big_corpus, "colonies") == {"furnivall", "max_havelaar_en"}
    stories = {"pride_prejudice", "dubliners", "harry_potter", "charlottes_web", "matilda"}
    assert hits(big_corpus, "story") == hits(big_corpus, "stories") == stories


def test_accents_are_folded_both_ways_and_in_either_unicode_form(big_corpus):
    # Accented data, plain query; plain data (Sahih Muslim), accented query.
    assert hits(big_corpus, "sahih") == hits(big_corpus, "ṣaḥīḥ") == {"bukhari", "sahih_muslim"}
    assert hits(big_corpus, "bukhari") == {"bukhari"}
    assert hits(big_corpus, "coedes") == hits(big_corpus, "Coedès") == {"sriwijaya"}
    assert hits(big_corpus, "husken") == hits(big_corpus, "Hüsken") == {"masyarakat_desa"}
    assert hits(big_corpus, "garcia marquez") == hits(big_corpus, "GARCÍA MÁRQUEZ") == {"solitude", "cien_anos"}
    assert hits(big_corpus, "anos") == hits(big_corpus, "años") == {"cien_anos"}
    assert hits(big_corpus, "pésantren") == PESANTREN
    # Composed and decomposed forms of the query, composed and decomposed forms in the records
    # (comedie_francaise is stored decomposed); "Comedy" shares the English stem "comedi".
    comedie = {"comedie_humaine", "comedie_francaise", "misanthrope"}
    for form in ("NFC", "NFD"):
        assert hits(big_corpus, unicodedata.normalize(form, "comédie")) == comedie
        assert hits(big_corpus, unicodedata.normalize(form, "Théâtre")) == {"comedie_francaise"}
    assert hits(big_corpus, "comedie") == comedie
    assert hits(big_corpus, '"comedie francaise"') == {"comedie_francaise"}


def test_apostrophes_inside_words(big_corpus):
    quran = {"al_mishbah", "membumikan", "quran_terjemah", "tafsir_azhar", "hukum_zakat", "murottal"}
    assert hits(big_corpus, "qur'an") == hits(big_corpus, "Qur’an") == quran  # straight or curly
    assert hits(big_corpus, "syafi'i") == {"ar_risalah", "biografi_syafii"}
    # one exact hit, so typo tolerance adds "kabar" (surat kabar) below it
    kabah = keys(big_corpus, run(big_corpus, "ka'bah", limit=10, facets=False))
    assert kabah[0] == "lindungan_kabah" and set(kabah[1:]) == {"kompas", "sinar_tani"}
    assert hits(big_corpus, "o'reilly") == {"fluent_python", "learning_python", "think_python"}


def test_possessives_elisions_and_romanised_apostrophes_fold_away(big_corpus):
    from .golden_corpus import RECORDS

    possessive = {r["key"] for r in RECORDS if "children's" in " ".join([r["title"], *r.get("subjects", [])]).lower()}
    assert len(possessive) >= 4
    assert hits(big_corpus, "children") >= possessive  # "Children's stories" is found by "children"
    assert hits(big_corpus, "children's") == hits(big_corpus, "children")

    def having(fragment):
        return {r["key"] for r in RECORDS if fragment in " ".join(str(v) for v in r.values())}

    assert having("L'étranger") and hits(big_corpus, "title:etranger") == having("L'étranger")
    assert having("d'état") and hits(big_corpus, "subject:etat") == having("d'état")
    assert having("mute's") and hits(big_corpus, "title:mute") == having("mute's")
    assert having("mœurs") and hits(big_corpus, "moeurs") == having("mœurs")
    assert having("Ismāʻīl") and hits(big_corpus, "author:ismail") >= having("Ismāʻīl")
    assert hits(big_corpus, "oreilly") == hits(big_corpus, "o'reilly")
    assert hits(big_corpus, "quran") == hits(big_corpus, "qur'an")


def test_a_phrase_never_matches_across_two_subject_headings(big_corpus):
    # "Islam" ends one heading and "Indonesia" starts the next in madrasah's subjects
    # ["Madrasah", "Pendidikan Islam", "Indonesia -- Sejarah"]: both words, but not the phrase.
    phrase = {
        "api_sejarah",
        "jaringan_ulama",
        "islam_nusantara",
        "religion_of_java",
        "islam_observed",
        "perkawinan_islam",
        "kompilasi",
        "sejarah_pendidikan_islam",
        "pesantren_pembaharuan",
    }
    assert hits(big_corpus, '"islam indonesia"') == phrase
    assert hits(big_corpus, 'subject:"islam indonesia"') == phrase
    words = hits(big_corpus, "islam indonesia")
    assert words == phrase | {"madrasah", "islamic_law", "pesantren_tradition", "kemodernan"}
    assert hits(big_corpus, 'subject:"pendidikan islam indonesia"') == {
        "pesantren_pembaharuan",
        "sejarah_pendidikan_islam",
    }
    # Nor across the title and the first contributor ("... Jawa" / "Lombard, Denys").
    assert hits(big_corpus, '"jawa lombard"') == set()


# --- facets ----------------------------------------------------------------------------------------


def test_facet_counts_over_the_whole_public_catalogue(big_corpus):
    result = run(big_corpus)
    assert result.total == 303  # 305 less the suppressed record and the withdrawn-only one
    facets = result.facets
    assert dict(facets["material_type"]) == {
        "book": 254,
        "magazine": 16,
        "video": 9,
        "ebook": 7,
        "audio": 4,
        "map": 4,
        "newspaper": 3,
        "score": 3,
        "database": 1,
        "ejournal": 1,
        "software": 1,
    }
    assert dict(facets["language"]) == {
        "ind": 210,
        "eng": 78,
        "fre": 7,
        "ara": 2,
        "ger": 2,
        "dut": 1,
        "jav": 1,
        "spa": 1,
        "sun": 1,
    }
    assert facets["year"] == [
        ("2020-2029", 8),
        ("2010-2019", 51),
        ("2000-2009", 59),
        ("1990-1999", 55),
        ("1980-1989", 55),
        ("1970-1979", 25),
        ("1960-1969", 21),
        ("1950-1959", 11),
        ("1940-1949", 7),
        ("1930-1939", 6),
        ("1920-1929", 3),
        ("1910-1919", 1),
        ("1860-1869", 1),
    ]
    # Withdrawn copies do not count for their branch; "missing" and "in_repair" copies do.
    assert dict(facets["branch"]) == {"MAIN": 206, "NORTH": 151}
    # Nine online resources have no copies, hence no availability.
    assert dict(facets["availability"]) == {"available": 243, "unavailable": 51}
    assert facets["subject"][:2] == [("Indonesia", 33), ("Novel Indonesia", 29)]


def test_facet_counts_of_a_query(big_corpus):
    facets = run(big_corpus, "tani").facets
    assert dict(facets["material_type"]) == {"book": 11, "magazine": 1, "newspaper": 1, "ebook": 1, "video": 1}
    assert dict(facets["language"]) == {"ind": 15}
    assert facets["year"] == [
        ("2020-2029", 2),
        ("2010-2019", 3),
        ("1990-1999", 3),
        ("1980-1989", 4),
        ("1970-1979", 1),
        ("1960-1969", 1),
        ("1950-1959", 1),
    ]
    assert dict(facets["branch"]) == {"MAIN": 9, "NORTH": 7}
    assert dict(facets["availability"]) == {"available": 13, "unavailable": 1}
    assert dict(facets["subject"]) == {
        "Pertanian": 6,
        "Petani": 3,
        "Padi": 2,
        "Banten (Indonesia)": 1,
        "Ekologi manusia": 1,
        "Tanah": 1,
        "Ekonomi pertanian": 1,
        "Penyuluhan pertanian": 1,
        "Desa": 1,
        "Hortikultura": 1,
        "Jagung": 1,
        "Pertanian organik": 1,
        "Film dokumenter": 1,
        "Masakan Indonesia": 1,
        "Koperasi pertanian": 1,
        "Cerita anak-anak": 1,
    }


def test_facet_counts_of_small_queries(big_corpus):
    facets = run(big_corpus, "pesantren").facets
    assert dict(facets["material_type"]) == {"book": 4}
    assert dict(facets["language"]) == {"ind": 3, "eng": 1}
    assert facets["year"] == [("2010-2019", 1), ("1990-1999", 1), ("1980-1989", 1), ("1970-1979", 1)]
    assert dict(facets["branch"]) == {"MAIN": 3, "NORTH": 2}
    assert dict(facets["availability"]) == {"available": 4}
    assert dict(facets["subject"]) == {"Pesantren": 4, "Ulama": 1, "Pendidikan Islam": 1, "Islamic education": 1}

    facets = run(big_corpus, '"laskar pelangi"').facets
    assert dict(facets["material_type"]) == {"book": 1, "video": 1}
    assert dict(facets["branch"]) == {"MAIN": 2, "NORTH": 2}
    assert dict(facets["availability"]) == {"available": 2}  # each has one copy on the shelf
    assert dict(facets["subject"]) == {"Novel Indonesia": 1, "Belitung (Indonesia)": 2, "Film Indonesia": 1}

    # Only a withdrawn copy at MAIN: the branch facet shows NORTH alone, where the copy is on loan.
    facets = run(big_corpus, "minangkabau sejarah").facets
    assert dict(facets["branch"]) == {"NORTH": 1}
    assert dict(facets["availability"]) == {"unavailable": 1}


def test_filters_narrow_hits_and_facets(big_corpus):
    narrowed = run(big_corpus, "tani", filters={"material_type": ["book"], "branch": ["NORTH"]}, limit=50)
    expected = {"bercocok_tanam_padi", "dua_abad", "ekonomi_pertanian", "penyuluhan", "koperasi_tani"}
    assert set(keys(big_corpus, narrowed)) == expected
    assert dict(narrowed.facets["branch"]) == {"NORTH": 5, "MAIN": 1}  # ekonomi_pertanian is at both
    assert hits(big_corpus, "tani", filters={"availability": ["unavailable"]}) == {"involusi"}
    assert hits(big_corpus, "tani", filters={"year": ["1980-1989"]}) == {
        "banten",
        "bercocok_tanam_padi",
        "dua_abad",
        "ekonomi_pertanian",
    }
    assert hits(big_corpus, "tani", filters={"material_type": ["magazine", "newspaper"]}) == {"trubus", "sinar_tani"}
    assert hits(big_corpus, "pesantren", filters={"language": ["eng"]}) == {"pesantren_tradition"}


# --- ranking and sorting --------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_subject_only_match(big_corpus):
    assert keys(big_corpus, run(big_corpus, "gamelan")) == ["gamelan_sumarsam", "karawitan"]
    ranked = keys(big_corpus, run(big_corpus, "kurikulum"))
    assert set(ranked[:3]) == {"kurikulum_pesantren", "kurikulum_pembelajaran", "pengembangan_kurikulum"}
    assert set(ranked[3:]) == {"sejarah_kelas_x", "buku_guru"}  # the word only in their series
    # Pramoedya in the title (and a subject) beats Pramoedya as the author.
    assert keys(big_corpus, run(big_corpus, "pramoedya"))[0] == "teeuw_pram"


def test_the_words_together_in_a_title_rank_first(big_corpus):
    ranked = keys(big_corpus, run(big_corpus, "sejarah pendidikan"))
    assert set(ranked[:2]) == {"nasution", "sejarah_pendidikan_islam"}  # "Sejarah pendidikan ..." titles
    assert set(ranked[2:]) == {"sejarah_kelas_x", "madrasah"}  # both words, apart


def test_a_multi_word_clause_ranks_the_exact_phrase_first(big_corpus):
    # An SRU clause of two words and the search box's unquoted words alike: both records with
    # "hukum adat" in their title and subject come before "Hukum waris menurut adat".
    for result in (
        engine.search(SearchQuery(tree=Clause("hukum adat")), path=big_corpus.path),
        run(big_corpus, "hukum adat"),
    ):
        ranked = keys(big_corpus, result)
        assert set(ranked[:2]) == {"hukum_adat_id", "asas_adat"} and ranked[2:] == ["waris_adat"]


def test_sorting_by_title_and_year(big_corpus):
    assert keys(big_corpus, run(big_corpus, "hukum adat", sort="title")) == ["asas_adat", "hukum_adat_id", "waris_adat"]
    assert keys(big_corpus, run(big_corpus, "hukum adat", sort="year")) == ["asas_adat", "waris_adat", "hukum_adat_id"]
    assert keys(big_corpus, run(big_corpus, "pesantren", sort="-year")) == [
        "kurikulum_pesantren",
        "pesantren_tradition",
        "tradisi_pesantren",
        "pesantren_pembaharuan",
    ]
    # "tani" by year: 1954, 1967, 1976, 1981, 1984 (twice), ...; newest first: 2021, 2020, 2019.
    page = run(big_corpus, "tani", sort="year", offset=2, limit=2)
    assert keys(big_corpus, page) == ["involusi", "bercocok_tanam_padi"] and page.total == 15
    assert keys(big_corpus, run(big_corpus, "tani", sort="-year", limit=3)) == ["sinar_tani", "jagung", "trubus"]


# --- typos and "did you mean" -------------------------------------------------------------------------


def test_typos_are_forgiven_on_long_words_when_the_exact_words_find_little(big_corpus):
    assert hits(big_corpus, "pesantern") == PESANTREN  # 9 letters: two edits allowed
    assert hits(big_corpus, "kurikulm") == hits(big_corpus, "kurikulum")  # one missing letter
    assert hits(big_corpus, "tradisi pesantern") == {"tradisi_pesantren"}
    assert hits(big_corpus, "adta") == set()  # four letters: no typo tolerance
    assert hits(big_corpus, "hukm") == set()


def test_did_you_mean_when_even_typo_tolerance_finds_little(big_corpus):
    assert run(big_corpus, "ronggneg").suggestion == "ronggeng"
    assert run(big_corpus, "demonstarn").suggestion == "demonstran"
    assert run(big_corpus, "sitti nurbya").suggestion == "sitti nurbaya"  # the known word is kept
    # quotes, field prefixes and signs stay as typed around the respelled word
    assert run(big_corpus, '"sitti nurbya"').suggestion == '"sitti nurbaya"'
    assert run(big_corpus, "judul:hidroponic").suggestion == "judul:hidroponik"
    assert run(big_corpus, "xqzvw").suggestion is None  # nothing near it
    assert run(big_corpus, "pesantren").suggestion is None  # enough hits
    assert run(big_corpus, "pesantern").suggestion is None  # typo tolerance found enough


# --- the public catalogue and the SRU tree --------------------------------------------------------------


def test_suppressed_and_withdrawn_only_records_are_not_public(big_corpus):
    assert hits(big_corpus, "rahasia") == set()
    assert hits(big_corpus, "rahasia", public_only=False) == {"suppressed"}
    assert "withdrawn" not in hits(big_corpus, "sejarah")
    assert "withdrawn" in hits(big_corpus, "sejarah", public_only=False)
    assert hits(big_corpus, "minangkabau sejarah") == {"minangkabau"}  # a copy on loan at NORTH keeps it
    assert hits(big_corpus, "ensiklopedia nasional") == {"in_repair"}
    assert run(big_corpus, public_only=False, facets=False).total == 305


def test_sru_clauses_on_the_big_corpus(big_corpus):
    def tree_hits(tree):
        result = engine.search(SearchQuery(tree=tree, limit=1000, facets=False), path=big_corpus.path)
        return set(keys(big_corpus, result))

    assert tree_hits(Clause("Hujan bulan Juni", field="title", mode="exact")) == {"hujan_puisi", "hujan_novel"}
    assert tree_hits(Clause("Hujan bulan Juni novel", field="title", mode="exact")) == {"hujan_novel"}
    assert tree_hits(Clause("zakat wakaf", mode="any")) == {"hukum_zakat", "zakat_wakaf", "hukum_wakaf"}
    assert tree_hits(Clause("fre", field="language")) == {
        "comedie_humaine",
        "comedie_francaise",
        "miserables",
        "madame_bovary",
        "etranger",
        "tintin_tibet",
        "petit_prince",
    }
    assert tree_hits(Clause("978-0-8047-4480-5", field="identifier")) == {"ricklefs_en"}
