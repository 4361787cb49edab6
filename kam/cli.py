"""The command line: `python -m kam load | kpis | backup | restore | demo | reset-password | send-brief`."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from kam.config import settings
from kam.ingest import bootstrap, loader
from kam.jobs import briefs, mail, running
from kam.metrics.periods import period_bounds
from kam.metrics.scope import Scope
from kam.people import users
from kam.reports.brief import mail_files
from kam.reports.snapshot import kpi_snapshot
from kam.store import audit, backup, db, exports
from kam.vocabulary import TIERS


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kam", description="Key-account dashboard tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    load = commands.add_parser("load", help="load an export folder into the database")
    load.add_argument("folder", type=Path, help="folder with accounts.csv, managers.csv, ... (CSV or Parquet)")
    load.add_argument("--db", type=Path, help="database file (default: the configured one)")
    load.add_argument(
        "--force",
        action="store_true",
        help="load even if a table loses more than max_row_loss of its rows (never when a required table is empty)",
    )

    kpis = commands.add_parser("kpis", help="print the KPI snapshot as JSON")
    kpis.add_argument("--db", type=Path, help="database file (default: the configured one)")
    kpis.add_argument("--as-of", type=_date, help="as-of date D (default: the date the loaded exports run to)")
    kpis.add_argument("--start", type=_date, help="period start (default: 1 January of D's year)")
    kpis.add_argument("--end", type=_date, help="period end (default: 31 December of D's year)")
    kpis.add_argument("--region", action="append", default=[], help="only this region (repeatable)")
    kpis.add_argument("--manager", action="append", default=[], help="only this manager id (repeatable)")
    kpis.add_argument("--tier", action="append", default=[], choices=TIERS, help="only this tier at D (repeatable)")

    save = commands.add_parser(
        "backup",
        help="copy the app's data and the current exports into a new folder (the running dashboard makes it)",
    )
    save.add_argument("folder", type=Path, help="a new or empty folder for the backup")
    save.add_argument("--db", type=Path, help="database file (default: the configured one)")

    back = commands.add_parser(
        "restore",
        help="bring a backup back as the deployment's data",
        description="Stop the dashboard first: a restore is refused while it runs.",
    )
    back.add_argument("folder", type=Path, help="a folder made by `python -m kam backup` or the dashboard")
    back.add_argument("--db", type=Path, help="database file (default: the configured one)")

    gen = commands.add_parser("demo", help="write the demo exports")
    gen.add_argument("--scale", type=float, default=1.0, help="size multiplier (1 = about 300 accounts)")
    gen.add_argument("--out", type=Path, default=None, help="output folder (default: the demo folder)")
    gen.add_argument("--format", choices=("csv", "parquet"), default="csv")
    gen.add_argument("--seed", type=int, default=7)

    reset = commands.add_parser(
        "reset-password",
        help="give a user a one-time password, printed here only (e.g. a lost first-admin password)",
        description="Stop the dashboard first: its process holds the database.",
    )
    reset.add_argument("username")
    reset.add_argument("--db", type=Path, help="database file (default: the configured one)")

    send = commands.add_parser(
        "send-brief",
        help="mail the weekly brief if the admin's schedule says it is due (for cron, e.g. every 15 minutes)",
        description="Stop the dashboard first, or leave the sending to it: its process holds the database.",
    )
    send.add_argument("--db", type=Path, help="database file (default: the configured one)")
    return parser


def _send_brief(args: argparse.Namespace) -> int:
    path = args.db or settings().db_path
    if not Path(path).is_file():
        raise loader.LoadError(f"{path}: no such database")
    with db.connect(path) as con:
        sent = briefs.send_due(con, mail_files)
    print("\n".join(sent) if sent else "Nothing due.")
    return 0


def _reset_password(args: argparse.Namespace) -> int:
    path = args.db or settings().db_path
    if not Path(path).is_file():
        raise loader.LoadError(f"{path}: no such database")
    password = secrets.token_urlsafe(12)
    with db.connect(path) as con:
        users.set_password(con, args.username, password, by="command line", must_change=True)
    print(f"One-time password for {args.username}: {password} (they choose their own at the next sign-in)")
    return 0


def _load(args: argparse.Namespace) -> int:
    path = Path(args.db or settings().db_path)
    started = time.perf_counter()
    # A new exports file beside the app's database, never opened here: the dashboard may be running.
    report = bootstrap.load_apart(
        path, loader.folder_files(args.folder), str(args.folder), by="command line", force=args.force
    )
    if not path.exists():
        # A first load makes the deployment whole: every other command (kpis, backup, …) finds its app database.
        # No dashboard holds a database that does not exist yet.
        with db.connect(path):
            pass
    print(report.summary())
    print(f"into {path} in {time.perf_counter() - started:.1f} s")
    return 0


def _print_kpis(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> None:
    as_of = args.as_of or db.data_date(con) or date.today()
    start, end = period_bounds("ytd", as_of)
    start, end = args.start or start, args.end or end
    if start > end:
        raise ValueError(f"--start {start} is after --end {end}")
    scope = Scope(
        as_of=as_of,
        start=start,
        end=end,
        regions=tuple(args.region),
        managers=tuple(args.manager),
        tiers=tuple(args.tier),
    )
    print(json.dumps(kpi_snapshot(con, scope), ensure_ascii=False, indent=2))


def _kpis(args: argparse.Namespace) -> int:
    path = args.db or settings().db_path
    if not Path(path).is_file():
        raise loader.LoadError(f"{path}: no such database; run `python -m kam load DIR` first")
    if running.running(Path(path)) is None:
        with db.connect(path, read_only=True) as con:
            _print_kpis(con, args)
        return 0
    # The dashboard holds the app's database: read a consistent copy it makes (its visits included).
    with tempfile.TemporaryDirectory(prefix="kam-kpis-") as scratch:
        copy = Path(scratch) / "copy"
        if running.ask(Path(path), "backup", {"dir": str(copy), "by": "command line (kpis)"}) is None:
            with db.connect(path, read_only=True) as con:
                _print_kpis(con, args)
            return 0
        with exports.read_only(copy / backup.APP_FILE) as con:
            _print_kpis(con, args)
    return 0


def _backup(args: argparse.Namespace) -> int:
    path = Path(args.db or settings().db_path)
    target = args.folder.absolute()
    made = running.ask(path, "backup", {"dir": str(target), "by": "command line"})
    if made is not None:
        print(f"Backup made by the running dashboard in {target}.")
    else:
        if not path.is_file():
            raise loader.LoadError(f"{path}: no such database")
        with db.connect(path) as con:
            made = backup.make(con, target)
            audit.record_alone(con, "command line", "backup", str(target), after={"load_id": made["load_id"]})
        print(f"Backup made in {target}.")
    rows = ", ".join(f"{table} {count:,}" for table, count in made["rows"].items())
    print(f"exports of load {made['load_id']}; {rows}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    path = Path(args.db or settings().db_path)
    if running.running(path) is not None:
        raise backup.BackupError("the dashboard is running: stop it first, then restore")
    found = backup.restore(args.folder, path)
    with db.connect(path) as con:
        audit.record_alone(con, "command line", "restore", str(args.folder.absolute()), after=found)
    print(f"Restored the backup of {found['made_at']} into {path} (exports of load {found['load_id']}).")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from kam.ingest import demo  # the generator needs numpy, which nothing else here does

    out = args.out or settings().demo_dir
    started = time.perf_counter()
    counts = demo.generate(out, scale=args.scale, seed=args.seed, fmt=args.format)
    for table, rows in counts.items():
        print(f"{table:<13} {rows:>10,}")
    print(f"written to {out} in {time.perf_counter() - started:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = {
        "load": _load,
        "kpis": _kpis,
        "backup": _backup,
        "restore": _restore,
        "demo": _demo,
        "reset-password": _reset_password,
        "send-brief": _send_brief,
    }[args.command]
    try:
        return command(args)
    except loader.LoadRefused as refused:
        hint = " Run again with --force to load anyway." if refused.forceable else ""
        print(f"error: nothing was loaded: {refused}{hint}", file=sys.stderr)
        return 1
    except (
        loader.LoadError,
        users.UserError,
        mail.MailError,
        backup.BackupError,
        running.DashboardError,
        ValueError,
        db.DatabaseUnavailable,
        duckdb.Error,
        OSError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
