"""Backups while visits are being saved, restore after the data folder is lost, the import folder's READY marker."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from kam.ingest import loader, uploads
from kam.jobs import running
from kam.people.users import User
from kam.relations import contacts, targets
from kam.store import audit, backup, db, exports
from kam.visits import log as visit_log
from kam.visits.rules import VisitDraft
from tests.portfolio import EXPORTS, build
from tests.unit.test_visit_log import K5_CALL, LINA, NOW, POLICY, WANG

ROOT = Path(__file__).resolve().parents[2]


def kam(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kam", *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_a_backup_while_saving_then_a_wiped_data_folder_restored_has_every_visit_confirmed_before(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    path = build(data)
    con = db.connect(path)
    # Relations entered in the app before: kept in the app's database, joined again to the exports after a restore.
    contact_id = contacts.save_contact(con, contacts.ContactDraft("K1", "吴总", "副总", "executive"), WANG)
    targets.set_target(con, "M1", 2027, 73000.0, None, User("vp", "Demo VP", "vp"), now=datetime(2026, 12, 1, 10))
    confirmed: list[tuple[float, str]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def session(k: int) -> None:
        cursor = con.cursor()
        user, account = (LINA, "K5") if k % 2 else (WANG, "K1")
        draft: VisitDraft = replace(K5_CALL, account_id=account, notes=f"session {k}")
        try:
            while not stop.is_set():
                visit_id = visit_log.save_visit(cursor, draft, user, now=NOW, policy=POLICY)
                confirmed.append((time.monotonic(), visit_id))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=session, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    while len(confirmed) < 40:
        time.sleep(0.01)
    started = time.monotonic()
    made = backup.make(con, tmp_path / "backup")
    while len(confirmed) < len([c for c in confirmed if c[0] < started]) + 40:
        time.sleep(0.01)
    stop.set()
    for thread in threads:
        thread.join()
    con.close()
    assert errors == []
    before = {visit_id for at, visit_id in confirmed if at < started}
    after = {visit_id for at, visit_id in confirmed if at >= started}
    assert len(before) >= 40 and len(after) >= 40
    # The copy is one moment: as many visits as audit rows of their saving.
    assert made["rows"]["visits_app"] >= len(before)
    assert made["load_id"] == 1

    shutil.rmtree(data)
    found = backup.restore(tmp_path / "backup", path)
    assert found["load_id"] == 1
    with db.connect(path) as back:
        kept = {v for (v,) in back.execute("SELECT visit_id FROM visits_app").fetchall()}
        assert before <= kept
        assert len(kept) == made["rows"]["visits_app"]
        [(created,)] = back.execute("SELECT count(*) FROM audit_log WHERE action = 'visit.create'").fetchall()
        assert created == len(kept)
        assert back.execute("SELECT count(*) FROM accounts").fetchall() == [(EXPORTS["accounts.csv"].count("\n") - 1,)]
        listed = "SELECT contact_id, source FROM contacts WHERE account_id = 'K1' ORDER BY contact_id"
        assert back.execute(listed).fetchall() == sorted([(contact_id, "app"), ("P1", "import"), ("P2", "import")])
        used = "SELECT manager_id, year, revenue_target, source FROM targets_used ORDER BY year, manager_id"
        assert back.execute(used).fetchall() == [
            ("M1", 2026, 36500.0, "import"),
            ("M2", 2026, 73000.0, "import"),
            ("M1", 2027, 73000.0, "app"),
        ]
        # The summary came back with the exports' file: K1's May 2026 is O3's 3,000.
        may = "SELECT revenue FROM account_month_revenue WHERE account_id = 'K1' AND month = DATE '2026-05-01'"
        assert back.execute(may).fetchall() == [(3000.0,)]
        # The audit log goes on after the restored rows (its sequence may have moved on during the copy),
        # and no load is audited again.
        [(last,)] = back.execute("SELECT max(event_id) FROM audit_log").fetchall()
        audit.record_alone(back, "x", "test")
        assert back.execute("SELECT count(*) FROM audit_log WHERE event_id > $1", [last]).fetchall() == [(1,)]
        assert back.execute("SELECT count(*) FROM audit_log WHERE action = 'load'").fetchall() == [(1,)]


def test_restore_is_refused_while_the_database_is_held_and_a_backup_folder_must_be_new(tmp_path):
    path = build(tmp_path)
    with db.connect(path) as con:
        backup.make(con, tmp_path / "b1")
        with pytest.raises(backup.BackupError, match="not an empty folder"):
            backup.make(con, tmp_path / "b1")
        # Another process holds the database (a dashboard started without its control route).
        refused = kam("restore", str(tmp_path / "b1"), "--db", str(path))
        assert refused.returncode == 1
        assert "stop it first" in refused.stderr
    with pytest.raises(backup.BackupError, match="not a complete backup"):
        backup.restore(tmp_path, path)


def test_daily_backups_keep_the_newest(tmp_path):
    path = build(tmp_path)
    root = tmp_path / "backups"
    with db.connect(path) as con:
        first = backup.make_due(con, root, every_hours=24, keep=2)
        assert first is not None
        assert backup.make_due(con, root, every_hours=24, keep=2) is None
        assert backup.make_due(con, root, every_hours=0, keep=2) is None
        second = backup.make_now(con, root, keep=2)
        third = backup.make_now(con, root, keep=2)
    assert backup.backups(root) == [second, third]


def test_the_import_folder_loads_itself_once_ready(tmp_path):
    path = build(tmp_path)
    inbox = tmp_path / "import"
    inbox.mkdir()
    for name, text in EXPORTS.items():
        text = text + "M9,赵九,华北,\n" if name == "managers.csv" else text
        (inbox / name).write_text(text, encoding="utf-8")
    with db.connect(path) as con:
        # Files still arriving: no marker, no load.
        assert uploads.load_when_ready(con, inbox) is None
        (inbox / uploads.READY).write_text("", encoding="utf-8")
        report = uploads.load_when_ready(con, inbox)
        assert report.load_id == 2
        assert not (inbox / uploads.READY).exists()
        assert con.execute("SELECT count(*) FROM managers WHERE manager_id = 'M9'").fetchall() == [(1,)]
        [event] = audit.events(con, action="load").filter(target=str(inbox)).to_dicts()
        assert event["username"] == uploads.WATCHER
        assert uploads.load_when_ready(con, inbox) is None
        assert "load 2 done" in (inbox / uploads.LAST_LOAD).read_text(encoding="utf-8")

        (inbox / "accounts.csv").write_text("account_id,name\n", encoding="utf-8")
        (inbox / uploads.READY).write_text("", encoding="utf-8")
        with pytest.raises(loader.LoadError):
            uploads.load_when_ready(con, inbox)
        assert not (inbox / uploads.READY).exists()
        assert "failed" in (inbox / uploads.LAST_LOAD).read_text(encoding="utf-8")
        assert len(audit.events(con, action="load.failed").filter(target=str(inbox))) == 1
        assert exports.published(exports.folder_for(path)).name == "2.duckdb"


def test_backup_and_kpis_go_through_the_running_dashboard_and_restore_waits_for_it(tmp_path):
    from tests.serve import serving

    path = build(tmp_path)
    with serving({"KAM_DB_PATH": str(path), "KAM_BACKUP_EVERY_HOURS": "0"}):
        control = tmp_path / ".kam-control.json"
        assert control.stat().st_mode & 0o777 == 0o600
        found = json.loads(control.read_text(encoding="utf-8"))
        # Without the secret, or forwarded by a proxy on this machine, the route refuses.
        for headers in (
            {},
            {running.SECRET_HEADER: "guess"},
            {running.SECRET_HEADER: found["secret"], "X-Forwarded-For": "10.0.0.9"},
            {running.SECRET_HEADER: found["secret"], "Forwarded": "for=10.0.0.9"},
        ):
            request = urllib.request.Request(
                found["url"] + "/_kam/control/backup",
                data=json.dumps({"dir": str(tmp_path / "stolen")}).encode(),
                headers=headers,
                method="POST",
            )
            with pytest.raises(urllib.error.HTTPError, match="403"):
                urllib.request.urlopen(request, timeout=30)
        assert not (tmp_path / "stolen").exists()
        made = kam("backup", str(tmp_path / "b"), "--db", str(path))
        assert made.returncode == 0, made.stderr
        assert made.stdout.startswith("Backup made by the running dashboard")
        assert backup.manifest(tmp_path / "b")["load_id"] == 1
        kpis = kam("kpis", "--as-of", "2026-06-30", "--db", str(path))
        assert kpis.returncode == 0, kpis.stderr
        assert '"total": 4' in kpis.stdout
        refused = kam("restore", str(tmp_path / "b"), "--db", str(path))
        assert refused.returncode == 1
        assert "stop it first" in refused.stderr
    restored = kam("restore", str(tmp_path / "b"), "--db", str(path))
    assert restored.returncode == 0, restored.stderr
    with db.connect(path) as con:
        # The backup's own audit row was written after its copy was taken.
        assert audit.events(con, action="backup").is_empty()
        [event] = audit.events(con, action="restore").to_dicts()
        assert event["username"] == "command line"
