"""The record cache: texts are built once, reused while the record is unchanged, rebuilt after a change."""

import pytest

from pustaka.catalog.models import Record
from pustaka.core.models import Library
from pustaka.recordcache import cache
from pustaka.recordcache.models import CachedForm
from pustaka.search import changes


@pytest.fixture
def record(db):
    return Record.objects.create(title="Sejarah Jawa", contributors=[{"name": "Raffles, T. S.", "role": "author"}])


def test_a_text_is_built_once_and_then_read_from_the_cache(record, django_assert_max_num_queries):
    first = cache.texts([record.pk], "dc")
    assert "Sejarah Jawa" in first[record.pk]
    with django_assert_max_num_queries(1):
        assert cache.texts([record.pk], "dc") == first
    assert CachedForm.objects.filter(record_id=record.pk, form="dc").count() == 1


def test_suppressed_and_missing_records_are_left_out_unless_asked_for(record):
    hidden = Record.objects.create(title="Rahasia", is_suppressed=True)
    assert set(cache.texts([record.pk, hidden.pk, 999_999], "dc")) == {record.pk}
    assert set(cache.texts([record.pk, hidden.pk], "dc", public_only=False)) == {record.pk, hidden.pk}


def test_a_change_log_entry_after_the_text_makes_it_stale(record):
    cache.texts([record.pk], "marcxml")
    Record.objects.filter(pk=record.pk).update(title="Sejarah Sunda")  # updated_at untouched
    assert "Sejarah Jawa" in cache.texts([record.pk], "marcxml")[record.pk]
    changes.record_changed(record.pk)
    assert "Sejarah Sunda" in cache.texts([record.pk], "marcxml")[record.pk]
    row = CachedForm.objects.get(record_id=record.pk, form="marcxml")
    assert row.sequence == changes.last_sequence()


def test_a_new_updated_at_makes_the_text_stale_even_when_the_log_was_pruned(record):
    cache.texts([record.pk], "dc")
    record.title = "Sejarah Bali"
    record.save()  # no change-log entry: as if it had been pruned since
    assert "Sejarah Bali" in cache.texts([record.pk], "dc")[record.pk]


def test_a_text_written_from_the_columns_follows_the_call_number_rule(record):
    library = Library.current()
    cache.texts([record.pk], "marcxml")
    row = CachedForm.objects.get(record_id=record.pk, form="marcxml")
    assert row.rule == library.call_number_rule  # catalogued here: no MARC of its own
    other = next(value for value, _label in type(library).call_number_rule.field.choices if value != row.rule)
    Library.objects.filter(pk=library.pk).update(call_number_rule=other)
    cache.texts([record.pk], "marcxml")
    assert CachedForm.objects.get(record_id=record.pk, form="marcxml").rule == other


def test_texts_are_kept_per_request_context(record):
    cache.texts([record.pk], "dc", context="http://a/|en")
    cache.texts([record.pk], "dc", context="http://b/|id")
    assert CachedForm.objects.filter(record_id=record.pk, form="dc").count() == 2
