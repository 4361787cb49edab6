"""Loads while the dashboard holds the app's database: `python -m kam load` from another process, and a killed load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kam.ingest import bootstrap
from kam.store import audit, db, exports
from tests.portfolio import EXPORTS, build

ROOT = Path(__file__).resolve().parents[2]
NEXT_MANAGERS = EXPORTS["managers.csv"] + "M9,赵九,华北,\n"


def kam(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kam", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_a_load_from_another_process_is_shown_and_audited_at_the_next_look(tmp_path):
    path = build(tmp_path)
    nightly = tmp_path / "nightly"
    nightly.mkdir()
    for name, text in EXPORTS.items():
        (nightly / name).write_text(NEXT_MANAGERS if name == "managers.csv" else text, encoding="utf-8")
    # This process holds the app's database for writing, as the dashboard does.
    with db.connect(path) as con:
        [managers] = con.execute("SELECT count(*) FROM managers").fetchone()
        assert managers == EXPORTS["managers.csv"].count("\n") - 1
        done = kam("load", str(nightly), "--db", str(path))
        out, err = done.communicate(timeout=120)
        assert done.returncode == 0, err
        assert out.startswith("Load 2: 8 files.")
        # Not shown until the dashboard looks again: then at once, with the load audited.
        assert con.execute("SELECT count(*) FROM managers").fetchone() == (managers,)
        [switched] = bootstrap.follow(con)
        assert (switched["load_id"], switched["loaded_by"]) == (2, "command line")
        assert con.execute("SELECT manager_id FROM managers WHERE manager_id = 'M9'").fetchone() == ("M9",)
        assert con.execute("SELECT count(*) FROM managers").fetchone() == (managers + 1,)
        assert con.execute("SELECT load_id FROM load_history ORDER BY 1").fetchall() == [(1,), (2,)]
        [event] = audit.events(con, action="load").filter(target=str(nightly)).to_dicts()
        assert event["username"] == "command line"
        assert bootstrap.follow(con) == []


def test_a_killed_load_changes_nothing_and_the_next_one_succeeds(tmp_path):
    path = build(tmp_path)
    folder = exports.folder_for(path)
    big = tmp_path / "big"
    big.mkdir()
    for name, text in EXPORTS.items():
        (big / name).write_text(text, encoding="utf-8")
    # Enough orders that the load is still at work when it is killed.
    lines = "".join(f"B{n},K1,2026-01-05,{n}\n" for n in range(400_000))
    (big / "orders_big.csv").write_text("order_id,account_id,order_date,amount\n" + lines, encoding="utf-8")
    with db.connect(path) as con:
        before = con.execute("SELECT count(*) FROM orders").fetchone()
        load = kam("load", str(big), "--db", str(path))
        deadline = time.monotonic() + 60
        while not list(folder.glob("*.building")) and time.monotonic() < deadline and load.poll() is None:
            time.sleep(0.01)
        assert load.poll() is None, "the load finished before it could be killed"
        os.kill(load.pid, signal.SIGKILL)
        load.wait()
        assert exports.published(folder).name == "1.duckdb"
        assert bootstrap.follow(con) == []
        assert con.execute("SELECT count(*) FROM orders").fetchone() == before

        (big / "orders_big.csv").unlink()
        again = kam("load", str(big), "--db", str(path))
        _, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        [switched] = bootstrap.follow(con)
        assert switched["load_id"] == 2
        assert con.execute("SELECT count(*) FROM orders").fetchone() == before
    assert not list(folder.glob("*.building"))
