"""The one write path: a change and its audit row commit together, conflicts are retried."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kam.ingest import bootstrap, loader
from kam.people import users
from kam.store import audit, db, write
from tests.portfolio import build


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The portfolio loaded, with the demo users beside it, and its exports in the same folder."""
    path = build(tmp_path)
    with db.connect(path) as con:
        write.write(con, users.seed_demo_users)
    return tmp_path


@pytest.fixture
def con(folder: Path):
    connection = db.connect(folder / "kam.duckdb")
    yield connection
    connection.close()


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchall()[0][0]


def failing_audit(monkeypatch: pytest.MonkeyPatch, action: str) -> None:
    """Make the audit row of one action fail, as a full disk or a crash would."""
    real = audit.record

    def record(con, username, what, *args, **kwargs):
        if what == action:
            raise OSError(f"no audit for {what}")
        return real(con, username, what, *args, **kwargs)

    monkeypatch.setattr(audit, "record", record)


def test_a_load_whose_audit_row_fails_is_not_shown_until_the_switch_is_audited(folder, con, monkeypatch):
    orders_now = count(con, "SELECT count(*) FROM orders")
    loads_audited = "SELECT count(*) FROM audit_log WHERE action LIKE 'load%' OR action = 'user.retire_demo'"
    audited_before = count(con, loads_audited)
    orders = folder / "orders.csv"
    orders.write_text("\n".join(orders.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    failing_audit(monkeypatch, "load")
    with pytest.raises(OSError, match="no audit for load"):
        bootstrap.load_exports(con, loader.folder_files(folder), "nightly", by="admin")
    assert count(con, "SELECT count(*) FROM load_history") == 1
    assert count(con, "SELECT count(*) FROM orders") == orders_now
    assert count(con, "SELECT count(*) FROM users WHERE demo AND active") == len(users.DEMO_USERS)
    assert count(con, loads_audited) == audited_before

    monkeypatch.undo()
    # The load's file was published; the next look (a page run) switches to it, with its audit row.
    [switched] = bootstrap.follow(con)
    assert switched["load_id"] == 2
    assert count(con, "SELECT count(*) FROM load_history") == 2
    assert count(con, "SELECT count(*) FROM orders") == orders_now - 1
    assert count(con, "SELECT count(*) FROM users WHERE demo AND active") == 0
    assert [e["action"] for e in audit.events(con, 2).to_dicts()] == ["user.retire_demo", "load"]


def test_a_failed_load_is_audited_on_its_own(folder, con):
    (folder / "accounts.csv").unlink()
    with pytest.raises(loader.LoadError, match="no accounts file"):
        bootstrap.load_exports(con, loader.folder_files(folder), "nightly", by="admin")
    [event] = audit.events(con, action="load.failed").to_dicts()
    assert (event["username"], event["target"]) == ("admin", "nightly")
    assert count(con, "SELECT count(*) FROM users WHERE demo AND active") == len(users.DEMO_USERS)


def test_the_demo_load_and_its_users_are_one_write(tmp_path, monkeypatch):
    build(tmp_path)
    failing_audit(monkeypatch, "user.add")
    with db.connect(tmp_path / "new.duckdb") as con:
        with pytest.raises(OSError):
            bootstrap.load_demo(con, tmp_path)
        assert db.is_empty(con)
        assert count(con, "SELECT count(*) FROM accounts") == 0
        assert count(con, "SELECT count(*) FROM users") == 0


@pytest.mark.parametrize(
    ("action", "change"),
    [
        ("user.change", lambda con: users.update_user(con, "m01", "demo-admin", active=False)),
        ("user.password", lambda con: users.set_password(con, "m01", "a-brand-new-password", "demo-admin")),
        ("user.add", lambda con: users.add_user(con, "liuna", "刘娜", "vp", "first-password", by="demo-admin")),
    ],
)
def test_a_user_change_whose_audit_row_fails_changes_nothing(con, monkeypatch, action, change):
    before = con.execute("SELECT * FROM users ORDER BY username").fetchall()
    failing_audit(monkeypatch, action)
    with pytest.raises(OSError):
        change(con)
    assert con.execute("SELECT * FROM users ORDER BY username").fetchall() == before
    assert users.sign_in(con, "m01", "m01-demo-2026").username == "m01"


def test_a_sign_in_failure_that_meets_a_conflict_is_counted_after_the_retry(con, monkeypatch):
    with pytest.raises(users.SignInError, match="Wrong user name or password"):
        users.sign_in(con, "m01", "a-first-wrong-guess")
    other = con.cursor()
    other.execute("BEGIN TRANSACTION")
    other.execute("UPDATE sign_in_throttle SET failures = 3 WHERE username = 'm01'")
    pauses = []

    def pause(attempt: int) -> None:
        pauses.append(attempt)
        other.execute("COMMIT")

    monkeypatch.setattr(write, "_pause", pause)
    with pytest.raises(users.SignInError, match="Wrong user name or password"):
        users.sign_in(con, "m01", "a-wrong-guess")
    assert pauses == [0]
    assert count(con, "SELECT failures FROM sign_in_throttle WHERE username = 'm01'") == 4


def test_a_user_change_that_outlasts_the_retries_is_a_message(con, monkeypatch):
    other = con.cursor()
    other.execute("BEGIN TRANSACTION")
    # A held change of the same row and column (DuckDB skips an update to the same value).
    other.execute("UPDATE users SET active = false WHERE username = 'm02'")
    pauses = []
    monkeypatch.setattr(write, "_pause", pauses.append)
    with pytest.raises(users.UserError, match="database is busy and nothing was saved"):
        users.update_user(con, "m02", "demo-admin", active=False)
    assert pauses == list(range(write.ATTEMPTS - 1))
    other.execute("ROLLBACK")
    assert count(con, "SELECT count(*) FROM users WHERE username = 'm02' AND active") == 1
    assert audit.events(con, action="user.change").is_empty()
