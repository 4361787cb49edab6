"""Seeded demo exports (docs/DATA_CONTRACT.md): a plausible key-account portfolio at any size.

At scale 1 the portfolio is about 300 accounts in four regions under 12 managers, with
orders from 1 January two years before the end date's year up to the end date, visits,
complaints, surveys and targets. Everything else grows with ``scale`` (170 gives about
50,000 accounts and 5 million orders). The same seed, scale and end date always give
byte-identical files: every random draw comes from ``numpy.random.default_rng(seed)``
and the rows are built with vectorised numpy, never from the clock or from set order.

Days are handled as integers counted from the first day of the orders period (``day 0``);
timestamps as seconds from the same midnight.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from kam.ingest.demo import events, parties
from kam.ingest.demo.calendar import Calendar
from kam.ingest.demo.files import write_exports
from kam.ingest.demo.parameters import (
    ACCOUNTS_PER_SCALE,
    DEMO_END,
    FORMATS,
    MANAGERS_PER_SCALE,
    SPLIT_ORDERS_FROM_SCALE,
    TABLES,
)


def generate(
    out_dir: Path, scale: float = 1.0, seed: int = 7, fmt: str = "csv", end: date = DEMO_END
) -> dict[str, int]:
    """Write the demo exports for every table into out_dir; return rows written per table.

    Existing export files of these tables in out_dir (either format, split or not) are
    replaced, so the folder always holds exactly one demo set.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale}")
    streams = dict(zip(TABLES, np.random.default_rng(seed).spawn(len(TABLES)), strict=True))
    cal = Calendar.build(end)

    managers, diligence = parties.managers(
        streams["managers"], max(MANAGERS_PER_SCALE, round(MANAGERS_PER_SCALE * scale))
    )
    n_accounts = max(2 * MANAGERS_PER_SCALE, round(ACCOUNTS_PER_SCALE * scale))
    accounts, portfolio = parties.accounts(streams["accounts"], cal, managers, n_accounts)
    tier_changes, portfolio = parties.tier_changes(streams["tier_changes"], cal, accounts, portfolio)
    orders, order_owner = events.orders(streams["orders"], cal, accounts, portfolio)
    frames = {
        "managers": managers,
        "accounts": accounts,
        "tier_changes": tier_changes,
        "orders": orders,
        "visits": events.visits(streams["visits"], cal, accounts, managers, portfolio, diligence),
        "complaints": events.complaints(streams["complaints"], cal, accounts, portfolio),
        "surveys": events.surveys(streams["surveys"], cal, accounts, portfolio),
        "targets": events.targets(streams["targets"], cal, managers, portfolio, orders, order_owner),
    }
    write_exports(frames, Path(out_dir), fmt, split_orders=fmt == "csv" and scale >= SPLIT_ORDERS_FROM_SCALE)
    return {name: frame.height for name, frame in frames.items()}
