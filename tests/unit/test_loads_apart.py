"""Loads while the dashboard holds the app's database: `python -m kam load` from another process, and a killed load."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import duckdb

from kam.ingest import bootstrap
from kam.people.users import User
from kam.relations import contacts, targets
from kam.store import audit, db, exports
from kam.store.schema import APP_DB_DDL, EXPORT_DDL, JOINED_VIEWS
from tests.portfolio import EXPORTS, build, reload

ROOT = Path(__file__).resolve().parents[2]
NEXT_MANAGERS = EXPORTS["managers.csv"] + "M9,赵九,华北,\n"
WANG = User("m1", "王伟", "manager", "M1")
VP = User("vp", "Demo VP", "vp")


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
        assert out.startswith("Load 2: 9 files.")
        # Not shown until the dashboard looks again: then at once, with the load audited.
        assert con.execute("SELECT count(*) FROM managers").fetchone() == (managers,)
        [switched] = bootstrap.follow(con)
        assert (switched["load_id"], switched["loaded_by"]) == (2, "command line")
        assert con.execute("SELECT manager_id FROM managers WHERE manager_id = 'M9'").fetchone() == ("M9",)
        assert con.execute("SELECT count(*) FROM managers").fetchone() == (managers + 1,)
        assert con.execute("SELECT load_id FROM load_history ORDER BY 1").fetchall() == [(1,), (2,)]
        [event] = audit.events(con, action="load").filter(target=str(nightly)).to_dicts()
        assert event["username"] == "command line"
        # No row loss confirmed: the load's change says nothing of any.
        after = json.loads(event["after"])
        assert (sorted(after), after["load_id"], after["rejected"]) == (["files", "load_id", "rejected"], 2, 0)
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


def test_the_relations_stay_in_the_apps_database_and_its_views_join_each_new_exports_file(tmp_path):
    with db.connect(build(tmp_path)) as con:
        contact_id = contacts.save_contact(con, contacts.ContactDraft("K1", "吴总", "副总", "executive"), WANG)
        targets.set_target(con, "M1", 2027, 73000.0, None, VP, now=datetime(2026, 12, 1, 10))
        # The next night: P2 has left K1, the export sets 2027 targets, O3 of K1 (May 2026) is 3,500 now.
        reload(
            con,
            tmp_path,
            contacts=("P2,K1,刘工,采购工程师,staff,influencer\n", ""),
            targets=("M2,2026,73000\n", "M2,2026,73000\nM1,2027,40000\nM2,2027,80000\n"),
            orders=("O3,K1,2026-05-10,3000", "O3,K1,2026-05-10,3500"),
        )
        [(load_id,)] = con.execute("SELECT max(load_id) FROM load_history").fetchall()
        assert load_id == 2 and exports.viewed_alias(con) == "exports_2"
        tables = "SELECT table_name FROM duckdb_tables() WHERE database_name = $1 ORDER BY 1"
        in_exports = {t for (t,) in con.execute(tables, ["exports_2"]).fetchall()}
        in_app = {t for (t,) in con.execute(tables, ["kam"]).fetchall()}
        assert {"contacts_imported", "targets", "orders", "account_month_revenue"} <= in_exports
        assert {"contacts_app", "targets_app", "account_plans", "plan_actions", "quarterly_reviews"} <= in_app
        assert not in_exports & {"contacts_app", "targets_app", "account_plans", "visits_app", "audit_log"}
        assert not in_app & {"contacts_imported", "targets", "account_month_revenue"}
        listed = "SELECT contact_id, name, source FROM contacts WHERE account_id = 'K1' ORDER BY source, contact_id"
        assert con.execute(listed).fetchall() == [(contact_id, "吴总", "app"), ("P1", "陈总", "import")]
        used = "SELECT manager_id, revenue_target, source FROM targets_used WHERE year = 2027 ORDER BY 1"
        assert con.execute(used).fetchall() == [("M1", 73000.0, "app"), ("M2", 80000.0, "import")]
        # The summary came with the load: K1's May 2026 is O3 alone.
        may = "SELECT revenue FROM account_month_revenue WHERE account_id = 'K1' AND month = DATE '2026-05-01'"
        assert con.execute(may).fetchall() == [(3500.0,)]


def test_a_one_file_database_with_relations_and_no_summary_is_moved_apart(tmp_path):
    path = tmp_path / "kam.duckdb"
    with duckdb.connect(str(path)) as old:
        # Everything in one file, as the version before the exports' files made it, from before the summary.
        for statement in (*EXPORT_DDL, *APP_DB_DDL, *JOINED_VIEWS):
            old.execute(statement)
        old.execute("DROP TABLE export_switches")
        old.execute("DROP TABLE account_month_revenue")
        old.execute("DROP TABLE long_open_orders")
        old.execute("DROP TABLE survey_links")
        # Contacts from before they carried a version.
        old.execute("ALTER TABLE contacts_app DROP COLUMN version")
        old.execute("ALTER TABLE contacts_app DROP COLUMN updated_by")
        old.execute("INSERT INTO managers VALUES ('M1', '王伟', '华东', NULL, true)")
        old.execute(
            "INSERT INTO orders (order_id, account_id, order_date, amount) "
            "VALUES ('O1', 'K1', DATE '2026-05-10', 3000), ('O2', 'K1', DATE '2026-05-20', 500), "
            "('O3', 'K1', DATE '2026-06-01', 100)"
        )
        old.execute("INSERT INTO targets (manager_id, year, revenue_target) VALUES ('M1', 2026, 36500)")
        old.execute("INSERT INTO targets_app VALUES ('M1', 2027, 50000, NULL, 'vp', now())")
        old.execute(
            "INSERT INTO contacts_app (contact_id, account_id, name, level, created_at, updated_at) "
            "VALUES ('C-1', 'K1', '吴总', 'executive', now(), now())"
        )
        old.execute(
            "INSERT INTO load_history VALUES (4, now(), 'nightly', ['orders.csv'], 3, 3, 0, 'cron', NULL, NULL)"
        )
    with db.connect(path) as con:
        tables = "SELECT table_name FROM duckdb_tables() WHERE database_name = $1 ORDER BY 1"
        in_app = {t for (t,) in con.execute(tables, ["kam"]).fetchall()}
        in_exports = {t for (t,) in con.execute(tables, ["exports_4"]).fetchall()}
        assert {"contacts_app", "targets_app"} <= in_app and not in_app & {"orders", "targets", "account_month_revenue"}
        assert {"orders", "targets", "account_month_revenue"} <= in_exports
        # The summary built once from the orders moved: May 3,500, June 100.
        months = "SELECT month, revenue FROM account_month_revenue ORDER BY 1"
        assert con.execute(months).fetchall() == [(date(2026, 5, 1), 3500.0), (date(2026, 6, 1), 100.0)]
        # And the orders open longer than the split: none of the three was ever paid.
        long_open = "SELECT order_id FROM long_open_orders ORDER BY 1"
        assert con.execute(long_open).fetchall() == [("O1",), ("O2",), ("O3",)]
        used = "SELECT manager_id, year, revenue_target, source FROM targets_used ORDER BY year"
        assert con.execute(used).fetchall() == [("M1", 2026, 36500.0, "import"), ("M1", 2027, 50000.0, "app")]
        assert con.execute("SELECT contact_id, source FROM contacts").fetchall() == [("C-1", "app")]
        assert con.execute("SELECT version, updated_by FROM contacts_app").fetchall() == [(1, None)]
