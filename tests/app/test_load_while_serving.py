"""Loads from another process while one dashboard process serves sessions that read pages and save visits."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import traceback
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kam.people.users import User
from kam.present.text import markdown_text
from kam.store import db
from tests.apptest import start
from tests.portfolio import EXPORTS

ROOT = Path(__file__).resolve().parents[2]
WANG = User("wangwei", "王伟", "manager", "M1")
# Not a demo user: the first load of real exports retires those.
BOSS = User("boss", "Boss", "vp")
NEW_MANAGERS = {2: "M9,赵九,华北,\n", 3: "M9,赵九,华北,\nM10,钱十,华北,\n"}

# K1 as a message names it, in Markdown (its brackets escaped, read as typed).
K1 = markdown_text("甲公司 (K1)")


def exports_of_load(folder: Path, load: int) -> Path:
    """The portfolio with one more manager per load (M9 in load 2, M10 too in load 3)."""
    folder.mkdir()
    for name, text in EXPORTS.items():
        (folder / name).write_text(text + NEW_MANAGERS[load] if name == "managers.csv" else text, encoding="utf-8")
    return folder


def managers_offered(at: AppTest) -> list[str]:
    """The managers the sidebar's filter offers."""
    return list(at.multiselect(key="manager").options)


# AppTest mocks one Streamlit runtime per run, process-wide: its runs take turns. The sessions'
# runs interleave with each other and with the loads, which run in another process at the same time.
TURN = threading.Lock()


def run(at: AppTest) -> AppTest:
    with TURN:
        return at.run()


def test_five_readers_and_five_savers_see_no_error_while_two_loads_run_from_another_process(portfolio, tmp_path):
    start(user=BOSS)  # the first start builds the deployment
    done = threading.Event()
    errors: list[str] = []
    saved: list[str] = []
    runs = [0] * 10
    readers: list[AppTest] = []

    def reader(k: int) -> None:
        try:
            with TURN:
                at = start("managers", user=BOSS)
            readers.append(at)
            while not done.is_set():
                run(at)
                if at.exception or at.error:
                    errors.append(f"reader {k}: {[e.value for e in at.exception]} {[e.value for e in at.error]}")
                    return
                runs[k] += 1
        except Exception as error:
            errors.append(f"reader {k}: {error!r}")

    def saver(k: int) -> None:
        try:
            while not done.is_set():
                # The form as opened from the worklist's link for K1, once per visit.
                with TURN:
                    at = start("log_visit", user=WANG, account="K1")
                at.selectbox(key="visit_channel").set_value("phone")
                at.selectbox(key="visit_purpose").set_value("usage")
                at.text_input(key="visit_met_with").input(f"session {k}")
                run(at.button[0].click())
                if at.exception or at.error:
                    errors.append(f"saver {k}: {[e.value for e in at.exception]} {[e.value for e in at.error]}")
                    return
                if [s.value for s in at.success] == [f"Visit to {K1} on {date.today():%Y-%m-%d} saved."]:
                    saved.append(f"session {k}")
                runs[5 + k] += 1
        except Exception:
            errors.append(f"saver {k}: {traceback.format_exc()}")

    sessions = [threading.Thread(target=reader, args=(k,)) for k in range(5)]
    sessions += [threading.Thread(target=saver, args=(k,)) for k in range(5)]
    for session in sessions:
        session.start()

    def every_session_ran(times: int) -> None:
        while min(runs) < times and not errors and any(session.is_alive() for session in sessions):
            time.sleep(0.1)

    try:
        every_session_ran(1)
        for load in (2, 3):
            folder = exports_of_load(tmp_path / f"load{load}", load)
            ran = subprocess.run(
                [sys.executable, "-m", "kam", "load", str(folder), "--db", str(portfolio)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert ran.returncode == 0, ran.stderr
            assert ran.stdout.startswith(f"Load {load}:")
            # Every session runs again after each load, on the new data.
            every_session_ran(min(runs) + 2)
    finally:
        done.set()
        for session in sessions:
            session.join(timeout=300)
    assert errors == []
    assert min(runs) >= 5 and len(saved) >= 5

    # A reader's session, run again: the filters offer the managers of the last load.
    after = run(readers[0])
    assert not after.exception
    assert {"赵九 (M9)", "钱十 (M10)"} <= set(managers_offered(after)), managers_offered(after)
    with db.connect(portfolio) as con:
        notes = [n for (n,) in con.execute("SELECT met_with FROM visits_app ORDER BY created_at").fetchall()]
        assert sorted(notes) == sorted(saved)
        loads = con.execute(
            "SELECT target FROM audit_log WHERE action = 'load' AND username = 'command line' ORDER BY event_id"
        ).fetchall()
        assert loads == [(str(tmp_path / "load2"),), (str(tmp_path / "load3"),)]
