"""The indexer as its own process, for the programs that must never hold the index writer themselves.

``pustaka serve`` (gunicorn's master forks web workers) and ``pustaka worker`` start the one writer of
the search index as a separate program, ``pustaka reindex --follow``, started with ``exec`` and with
every descriptor closed, so no file lock of the index is ever opened in a process that forks and
none crosses a fork. The parent only watches it: a watcher thread restarts it if it dies, and
:meth:`IndexerProcess.stop` ends it (SIGTERM, then SIGKILL after a grace period).
"""

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading

log = logging.getLogger(__name__)

RESTART_DELAY = 2.0


class IndexerProcess:
    """``pustaka reindex --follow`` run as a child program and kept running until :meth:`stop`."""

    def __init__(self, *, restart_delay: float = RESTART_DELAY):
        self.restart_delay = restart_delay
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._owner = os.getpid()

    @staticmethod
    def command() -> list[str]:
        """The indexer's command line: this Python running the ``pustaka`` command."""
        return [sys.executable, "-m", "pustaka.cli", "reindex", "--follow"]

    def start(self) -> "IndexerProcess":
        """Start the indexer and the thread that restarts it if it exits."""
        self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="pustaka-indexer-watch", daemon=True)
        self._watcher.start()
        return self

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self.process = subprocess.Popen(
                self.command(),
                close_fds=True,  # the listening socket and every other descriptor stay with the parent
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl-C in the terminal reaches it only through stop()
                env=os.environ.copy(),
            )
            log.info("search indexer started (pid %s)", self.process.pid)

    def _watch(self) -> None:
        while not self._stopping.is_set():
            process = self.process
            if process is None:
                return
            try:
                code = process.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                continue
            if self._stopping.is_set():
                return
            log.warning("search indexer exited with %s; starting it again", code)
            if self._stopping.wait(self.restart_delay):
                return
            self._spawn()

    def terminate(self) -> None:
        """Ask the indexer to stop (SIGTERM) without waiting, so it stops while the web workers do."""
        if os.getpid() != self._owner:
            return
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 1.5) -> None:
        """Stop the indexer: SIGTERM (it stops after the batch it is writing), then SIGKILL after
        ``timeout`` seconds, which loses nothing: every batch is committed with its sequence and the
        next indexer resumes from there. Only the process that started it stops it."""
        if os.getpid() != self._owner:  # a forked child (a web worker) never touches the parent's indexer
            return
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.info("search indexer stopped")
