"""Guessing passwords: a burst at once is counted one by one, names and sources are slowed, an admin unlocks."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from kam.config import Settings
from kam.people import users
from kam.people.users import SignInError
from kam.store import db
from kam.store.write import BUSY_MESSAGE
from tests.portfolio import build

NOW = datetime(2026, 7, 1, 9, 0)
POLICY = Settings()  # 5 failures of a name from a source, 20 of a source, 15 minutes
WRONG = "Wrong user name or password."
LOCKED = "Too many failed attempts: locked for 15 minutes."
LATER = "Too many failed attempts: try again after 09:15."


@pytest.fixture
def con(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A cheap hash, so that a hundred guesses take no time; the users are made with it.
    monkeypatch.setattr(users, "SCRYPT", {"n": 2**4, "r": 8, "p": 1})
    connection = db.connect(build(tmp_path))
    users.add_user(connection, "vp", "赵总", "vp", "the-vp-password", by="tests", must_change_password=False)
    users.add_user(connection, "lina", "李娜", "vp", "the-lina-password", by="tests", must_change_password=False)
    yield connection
    connection.close()


def answer(con: duckdb.DuckDBPyConnection, name: str, password: str, minutes: int = 0, source: str | None = None):
    try:
        return users.sign_in(con, name, password, now=NOW + timedelta(minutes=minutes), policy=POLICY, source=source)
    except SignInError as refused:
        return str(refused)


def test_a_hundred_guesses_at_once_get_at_most_the_allowed_answers(con):
    with ThreadPoolExecutor(max_workers=100) as pool:
        answers = list(pool.map(lambda i: answer(con, "vp", f"guess-{i}"), range(100)))
    counted = Counter(a if a in (WRONG, LOCKED) else "other" for a in answers)
    # Each guess that was checked was counted: four wrong answers, the fifth locks.
    assert counted[WRONG] == POLICY.max_failed_logins - 1
    assert counted[LOCKED] == 1
    # The rest were turned away unchecked (locked) or asked to try again (busy); nothing else escaped.
    assert set(answers) <= {WRONG, LOCKED, LATER, BUSY_MESSAGE}
    failed = con.execute("SELECT count(*) FROM audit_log WHERE action = 'sign_in.failed'").fetchall()
    assert failed == [(POLICY.max_failed_logins,)]
    assert answer(con, "vp", "the-vp-password", minutes=1) == LATER


def test_known_and_unknown_names_get_the_same_answers(con):
    def five_wrong_then_one_more(name: str) -> list[str]:
        return [answer(con, name, f"guess-{i}") for i in range(POLICY.max_failed_logins + 1)]

    assert five_wrong_then_one_more("vp") == [WRONG] * 4 + [LOCKED, LATER]
    assert five_wrong_then_one_more("nobody") == [WRONG] * 4 + [LOCKED, LATER]


def test_guesses_from_one_source_do_not_lock_the_user_out_elsewhere(con):
    for i in range(POLICY.max_failed_logins):
        answer(con, "vp", f"guess-{i}", source="10.0.0.66")
    assert answer(con, "vp", "the-vp-password", minutes=1, source="10.0.0.66") == LATER
    assert answer(con, "vp", "the-vp-password", minutes=1, source="10.0.0.7").username == "vp"


def test_a_source_guessing_many_names_is_slowed_for_every_name(con):
    for i in range(POLICY.source_max_failed_logins):
        answer(con, f"name-{i}", "guess", source="10.0.0.66")
    assert answer(con, "lina", "the-lina-password", minutes=1, source="10.0.0.66") == LATER
    assert answer(con, "lina", "the-lina-password", minutes=1, source="10.0.0.7").username == "lina"


def test_a_lock_out_ends_after_its_minutes_or_when_an_admin_unlocks(con):
    for i in range(POLICY.max_failed_logins):
        answer(con, "vp", f"guess-{i}")
    assert answer(con, "vp", "the-vp-password", minutes=14) == LATER
    assert answer(con, "vp", "the-vp-password", minutes=16).username == "vp"
    for i in range(POLICY.max_failed_logins):
        answer(con, "vp", f"guess-{i}", minutes=20)
    assert users.users(con, now=NOW + timedelta(minutes=21)).filter(username="vp")["locked_until"].item() is not None
    assert users.unlock(con, "vp", by="admin", now=NOW + timedelta(minutes=21)) == 1
    assert answer(con, "vp", "the-vp-password", minutes=21).username == "vp"
    [event] = con.execute("SELECT username, target FROM audit_log WHERE action = 'user.unlock'").fetchall()
    assert event == ("admin", "vp")


def test_counts_idle_longer_than_a_lock_out_are_forgotten_at_the_next_sign_in(con):
    answer(con, "typed-once", "guess")
    for i in range(POLICY.max_failed_logins):
        answer(con, "vp", f"guess-{i}", minutes=10)
    answer(con, "lina", "guess", minutes=10)
    assert answer(con, "lina", "the-lina-password", minutes=16).username == "lina"
    # The name typed once 16 minutes ago is gone; vp's lock-out (until 09:25) and its count stay.
    kept = con.execute("SELECT username, locked_until FROM sign_in_throttle ORDER BY username").fetchall()
    assert kept == [("vp", NOW + timedelta(minutes=25))]
