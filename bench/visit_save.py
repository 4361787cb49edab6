"""Time to save a visit while many sessions save at once on one database file.

    .venv/bin/python -m bench.visit_save [--sessions 20] [--visits 50] [--think-ms 0]

Loads the bundled demo exports into a fresh database, then starts one thread per session,
each with its own cursor of one connection (as the dashboard's script-run threads are) and
signed in as one of the demo managers; every thread saves its visits through
kam.visits.log.save_visit as fast as it can (or with a pause between visits). Prints the
median, p95 and worst time of one save, the throughput and the conflicts retried.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from kam.config import settings
from kam.ingest import loader
from kam.store import db
from kam.visits import log as visit_log
from kam.visits import rules as visit_rules
from kam.visits.rules import VisitDraft


@dataclass(frozen=True)
class Manager:
    username: str
    role: str
    manager_id: str


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered) + 0.5) - 1)]


def run(sessions: int, visits: int, think_ms: float, folder: Path) -> dict:
    path = folder / "kam.duckdb"
    with db.connect(path) as con:
        loader.load_folder(con, settings().demo_dir)
        accounts = db.query(con, "SELECT account_id, manager_id FROM accounts WHERE churned_on IS NULL")
    today = datetime.now()
    by_manager = accounts.group_by("manager_id").agg("account_id").sort("manager_id").rows()

    retries = 0
    pause = visit_log._pause

    def counted_pause(attempt: int) -> None:
        nonlocal retries
        retries += 1
        pause(attempt)

    visit_log._pause = counted_pause
    con = db.connect(path)
    start = threading.Barrier(sessions + 1)
    timings: list[float] = []
    errors: list[BaseException] = []

    def session(k: int) -> None:
        manager_id, own = by_manager[k % len(by_manager)]
        user = Manager(f"bench{k}", "manager", manager_id)
        cursor = con.cursor()
        start.wait()
        for i in range(visits):
            draft = VisitDraft(
                account_id=own[(k + i) % len(own)],
                visit_date=(today - timedelta(days=i % 20)).date(),
                channel=list(visit_rules.CHANNEL_LABELS)[i % 5],
                purpose=list(visit_rules.PURPOSES)[i % 6],
                met_with="采购部",
                notes=f"bench session {k} visit {i}",
            )
            began = time.perf_counter()
            try:
                visit_log.save_visit(cursor, draft, user)
            except BaseException as error:
                errors.append(error)
                return
            timings.append(time.perf_counter() - began)
            if think_ms:
                time.sleep(think_ms / 1000)

    threads = [threading.Thread(target=session, args=(k,)) for k in range(sessions)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    stored = db.scalar(con, "SELECT count(*) FROM visits_app")
    con.close()
    visit_log._pause = pause
    return {
        "sessions": sessions,
        "saves": len(timings),
        "stored": stored,
        "errors": len(errors),
        "retries": retries,
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": percentile(timings, 0.95) * 1000,
        "max_ms": max(timings) * 1000,
        "saves_per_s": len(timings) / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--visits", type=int, default=50, help="visits each session saves")
    parser.add_argument("--think-ms", type=float, default=0.0, help="pause after each save")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        result = run(args.sessions, args.visits, args.think_ms, Path(folder))
    print("| sessions | saves | stored | errors | retries | median ms | p95 ms | max ms | saves/s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    r = result
    print(
        f"| {r['sessions']} | {r['saves']} | {r['stored']} | {r['errors']} | {r['retries']} | {r['median_ms']:.0f} "
        f"| {r['p95_ms']:.0f} | {r['max_ms']:.0f} | {r['saves_per_s']:.0f} |"
    )


if __name__ == "__main__":
    main()
