"""The production settings (``pustaka/settings.py``) do what their docstring says about the secret key,
with DEBUG off: a key that is too short stops the start, no key makes one kept in the home folder."""

import os
import subprocess
import sys


def _settings(home, **env_extra):
    """Import the production settings in a fresh interpreter, as a ``pustaka`` program does."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PUSTAKA_", "DJANGO_", "DATABASE_"))}
    env.update({"PUSTAKA_HOME": str(home), "PUSTAKA_DEBUG": "0", **env_extra})
    code = "from pustaka import settings; print(settings.DEBUG, settings.SECRET_KEY)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def test_a_short_secret_key_stops_the_start(tmp_path):
    started = _settings(tmp_path, PUSTAKA_SECRET_KEY="too-short")
    assert started.returncode != 0
    assert "PUSTAKA_SECRET_KEY must be at least 32 characters long." in started.stderr
    assert not (tmp_path / "secret_key").exists()


def test_the_secret_key_from_the_environment_is_used_and_nothing_is_written(tmp_path):
    key = "k" * 40
    started = _settings(tmp_path, PUSTAKA_SECRET_KEY=key)
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["False", key]
    assert not (tmp_path / "secret_key").exists()


def test_without_a_key_one_is_made_once_kept_private_in_the_home_and_shared_by_later_starts(tmp_path):
    first = _settings(tmp_path)
    assert first.returncode == 0, first.stderr
    debug, key = first.stdout.split()
    assert debug == "False"
    assert len(key) >= 32
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == key
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only

    again = _settings(tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.split() == ["False", key]
