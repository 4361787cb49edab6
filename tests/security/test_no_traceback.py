"""No traceback reaches a page: an error in a page, and a database that cannot be opened at start."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from kam import cli, config
from kam.metrics import accounts
from tests.apptest import start


def use_database(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setenv("KAM_DB_PATH", str(path))
    config.settings.cache_clear()


def page_text(at) -> str:
    return "\n".join(e.value for e in at.error)


def broken(*args, **kwargs):
    """A metric that fails (module-level: the cache keys a metric call by its function's name)."""
    raise RuntimeError("/srv/secret/path exploded")


def test_an_error_in_a_page_is_a_message_and_its_traceback_goes_to_the_log(portfolio, monkeypatch, caplog):
    monkeypatch.setattr(accounts, "search_accounts", broken)
    with caplog.at_level(logging.ERROR, logger="kam"):
        at = start("account", account="K1")
    assert not at.exception
    assert page_text(at).startswith("This page could not be shown because of an unexpected error.")
    assert "/srv/secret" not in page_text(at)
    logged = [r for r in caplog.records if r.name == "kam"]
    assert len(logged) == 1 and logged[0].exc_info[1].args == ("/srv/secret/path exploded",)
    reference = logged[0].args[0]
    assert f"the reference {reference} " in page_text(at)


def test_a_damaged_database_file_says_so_and_what_to_do(tmp_path, monkeypatch, caplog):
    damaged = tmp_path / "kam.duckdb"
    damaged.write_bytes(b"not a database" * 100)
    use_database(monkeypatch, damaged)
    with caplog.at_level(logging.ERROR, logger="kam"):
        at = start(user=None)
    assert not at.exception
    assert page_text(at) == (
        "The dashboard cannot open its database. The database file is damaged or not a DuckDB database: restore "
        "it from a backup, or move it aside and start again to rebuild it from the exports (visits entered in the "
        "app would then be lost)."
    )
    assert f"The database {damaged} is damaged" in caplog.text
    config.settings.cache_clear()


def test_a_locked_database_names_the_process_holding_it_in_the_log(tmp_path, monkeypatch, caplog):
    path = tmp_path / "kam.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(path)!r}); print('ready', flush=True); "
         "sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert holder.stdout.readline() == b"ready\n"
        use_database(monkeypatch, path)
        with caplog.at_level(logging.ERROR, logger="kam"):
            at = start(user=None)
        assert not at.exception
        assert page_text(at).startswith("The dashboard cannot open its database. The database is in use by another")
        assert f"(PID {holder.pid})" not in page_text(at)
        assert f"PID {holder.pid}): stop that process" in caplog.text
    finally:
        holder.stdin.close()
        holder.wait(timeout=20)
    config.settings.cache_clear()


def test_an_unwritable_database_folder_says_so(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    use_database(monkeypatch, blocker / "kam.duckdb")
    at = start(user=None)
    assert not at.exception
    assert page_text(at) == (
        "The dashboard cannot open its database. The database or its folder cannot be written: give the user "
        "running the dashboard write access to it, or set KAM_DB_PATH to a writable place."
    )
    # The command line says the same, with the path.
    assert cli.main(["load", str(tmp_path), "--db", str(blocker / "kam.duckdb")]) == 1
    assert capsys.readouterr().err == (
        f"error: The database {blocker / 'kam.duckdb'} or its folder cannot be written (File exists): give the "
        "user running the dashboard write access to it, or set KAM_DB_PATH to a writable place.\n"
    )
    config.settings.cache_clear()
