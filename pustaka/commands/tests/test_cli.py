"""The `pustaka` command: --home, init, and the admin credentials it prints."""

import os
import subprocess
import sys

from pustaka.cli import _take_home


def test_home_option_is_taken_from_anywhere_on_the_line(monkeypatch):
    monkeypatch.delenv("PUSTAKA_HOME", raising=False)
    assert _take_home(["import-marc", "--home", "/srv/lib", "a.mrc"]) == ["import-marc", "a.mrc"]
    assert os.environ["PUSTAKA_HOME"] == "/srv/lib"
    assert _take_home(["--home=/srv/other", "init"]) == ["init"]
    assert os.environ["PUSTAKA_HOME"] == "/srv/other"


def _pustaka(*args, home, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "pustaka.cli", "--home", str(home), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_init_creates_the_library_in_its_home_and_keeps_the_password_on_a_second_run(tmp_path):
    home = tmp_path / "perpustakaan"
    first = _pustaka("init", "--admin-password", "rahasia-sekali-1", home=home)
    assert first.returncode == 0, first.stderr
    assert "admin" in first.stdout and "rahasia-sekali-1" in first.stdout
    assert (home / "pustaka.sqlite3").exists()
    assert (home / "secret_key").stat().st_mode & 0o077 == 0

    second = _pustaka("init", home=home)
    assert second.returncode == 0, second.stderr
    assert "rahasia-sekali-1" not in second.stdout
    assert "unchanged" in second.stdout

    token = _pustaka("api-token", "admin", home=home)
    assert token.returncode == 0, token.stderr
    assert token.stdout.strip().startswith("pst_")

    unknown = _pustaka("api-token", "nobody", home=home)
    assert unknown.returncode != 0
    assert "nobody" in unknown.stderr


def test_help_lists_the_contract_commands(capsys):
    from pustaka.cli import main

    main(["--help"])
    out = capsys.readouterr().out
    for command in ("init", "serve", "demo", "import-marc", "export-marc", "api-token"):
        assert command in out
