"""``pustaka worker`` runs the background jobs and starts the search indexer as its own program.

That the spawned indexer really makes edits searchable is proven end to end on a real home in
``pustaka/search/tests/test_servers.py``; here the command's own duty: the indexer program runs while
the job consumer runs, and is stopped when it ends, whether it ends well or not.
"""

import sys

import pytest
from django.core.management import call_command

from pustaka.search.indexer_process import IndexerProcess


@pytest.fixture
def spawned(monkeypatch):
    """The indexer's command line replaced by a harmless program that runs until it is stopped."""
    started = []
    real_spawn = IndexerProcess._spawn

    def spawn(self):
        real_spawn(self)
        started.append(self.process)

    monkeypatch.setattr(
        IndexerProcess, "command", staticmethod(lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    )
    monkeypatch.setattr(IndexerProcess, "_spawn", spawn)
    return started


def test_the_worker_runs_the_indexer_program_while_jobs_run_and_stops_it(monkeypatch, spawned):
    from pustaka.commands.management.commands import worker

    seen = {}

    def run_huey(*argv):
        seen["argv"] = argv
        seen["running"] = [process.poll() is None for process in spawned]

    monkeypatch.setattr(worker, "call_command", run_huey)
    call_command("worker", "--workers", "3")

    assert seen["argv"] == ("run_huey", "--workers", "3")
    assert seen["running"] == [True]  # one indexer program, alive while the jobs ran
    assert spawned[0].poll() is not None  # and gone once the worker returned


def test_the_worker_stops_the_indexer_when_the_job_consumer_fails(monkeypatch, spawned):
    from pustaka.commands.management.commands import worker

    def run_huey(*argv):
        raise RuntimeError("huey could not open its storage")

    monkeypatch.setattr(worker, "call_command", run_huey)
    with pytest.raises(RuntimeError):
        call_command("worker")

    assert len(spawned) == 1 and spawned[0].poll() is not None
