"""``pustaka worker`` runs the background jobs and keeps the search index in step with the database."""

import time

import pytest
from django.core.management import call_command

from pustaka.search import engine
from pustaka.search.changes import last_sequence
from pustaka.search.query import SearchQuery


@pytest.mark.django_db(transaction=True)
def test_the_worker_applies_catalogue_changes_to_the_search_index(librarian, monkeypatch):
    from pustaka.catalog.actions import create_record
    from pustaka.core.management.commands import worker

    record = create_record(actor=librarian, title="Hikayat Raja-raja Pasai", language="ind")
    seen = {}

    def run_huey(*argv):  # the job consumer; meanwhile the worker's indexer thread follows the log
        for _ in range(200):
            if engine.applied_sequence() == last_sequence():
                break
            time.sleep(0.05)
        seen["argv"] = argv

    monkeypatch.setattr(worker, "call_command", run_huey)
    call_command("worker", "--workers", "3")
    assert seen["argv"] == ("run_huey", "--workers", "3")
    assert engine.search(SearchQuery(text="pasai")).ids == [record.id]
