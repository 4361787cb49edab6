"""The command line: `python -m kam load | kpis | demo | reset-password | send-brief`."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from kam.config import settings
from kam.ingest import bootstrap, loader
from kam.jobs import briefs, mail
from kam.metrics.periods import period_bounds
from kam.metrics.scope import Scope
from kam.people import users
from kam.reports.brief import mail_files
from kam.reports.snapshot import kpi_snapshot
from kam.store import db
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
    print(report.summary())
    print(f"into {path} in {time.perf_counter() - started:.1f} s")
    return 0


def _kpis(args: argparse.Namespace) -> int:
    path = args.db or settings().db_path
    if not Path(path).is_file():
        raise loader.LoadError(f"{path}: no such database; run `python -m kam load DIR` first")
    with db.connect(path, read_only=True) as con:
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
        ValueError,
        db.DatabaseUnavailable,
        duckdb.Error,
        OSError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
