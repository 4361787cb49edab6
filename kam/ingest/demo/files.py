"""Writing the generated tables as export files (CSV or Parquet, orders split by year when large)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from kam.ingest.demo.parameters import TABLES


def write_exports(frames: dict[str, pl.DataFrame], out_dir: Path, fmt: str, split_orders: bool) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in sorted(out_dir.iterdir()):
        stem = stale.stem.lower()
        if (
            stale.is_file()
            and stale.suffix.lower() in (".csv", ".parquet")
            and any(stem == t or stem.startswith(t + "_") for t in TABLES)
        ):
            stale.unlink()
    for name, frame in frames.items():
        if name == "orders" and split_orders:
            year = frame["order_date"].dt.year()
            for value in year.unique().sort():
                _write_one(frame.filter(year == value), out_dir / f"orders_{value}.{fmt}", fmt)
        else:
            _write_one(frame, out_dir / f"{name}.{fmt}", fmt)


def _write_one(frame: pl.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path, date_format="%Y-%m-%d", datetime_format="%Y-%m-%d %H:%M:%S", float_precision=2)
