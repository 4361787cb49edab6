"""Random draws and the columns they make: ids, choices, texts, dates and timestamps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from kam.ingest.demo.calendar import Calendar


def id_column(prefix: str, count: int, width: int) -> pl.Series:
    """prefix + 1..count, zero-padded to width digits (more when count needs them)."""
    digits = max(width, len(str(count)))
    return prefix + pl.Series(np.arange(1, count + 1)).cast(pl.String).str.zfill(digits)


def pick(rng: np.random.Generator, weights: Sequence[float] | np.ndarray, size: int) -> np.ndarray:
    """`size` indices into weights, drawn in proportion to them."""
    weights = np.asarray(weights, dtype=float)
    return rng.choice(len(weights), size=size, p=weights / weights.sum())


def pick_by_row(rng: np.random.Generator, table: np.ndarray, row: np.ndarray) -> np.ndarray:
    """One column index per element, drawn from the probabilities in table[row]."""
    cum = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)[row]
    return np.minimum((rng.random(len(row))[:, None] > cum).sum(axis=1), table.shape[1] - 1)


def text_column(pool: Sequence[str], index: np.ndarray, present: np.ndarray | None = None) -> pl.Series:
    """pool[index], null where not present."""
    values = pl.Series(list(pool), dtype=pl.String).gather(index)
    return values if present is None else only_where(values, present)


def only_where(values: pl.Series, present: np.ndarray) -> pl.Series:
    return pl.select(pl.when(pl.Series(present)).then(values)).to_series().alias(values.name)


def date_column(cal: Calendar, day: np.ndarray, present: np.ndarray | None = None) -> pl.Series:
    values = pl.Series(day + cal.epoch, dtype=pl.Int32).cast(pl.Date)
    return values if present is None else only_where(values, present)


def timestamp_column(cal: Calendar, seconds: np.ndarray, present: np.ndarray | None = None) -> pl.Series:
    values = pl.from_epoch(pl.Series(seconds + cal.epoch * 86400, dtype=pl.Int64), time_unit="s")
    return values if present is None else only_where(values, present)


def weekday_shift(cal: Calendar, day: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Move Saturdays and Sundays back to the Friday before, unless that is before lo."""
    weekday = cal.weekday(day)
    moved = day - np.maximum(weekday - 4, 0)
    return np.where(moved >= lo, moved, day)
