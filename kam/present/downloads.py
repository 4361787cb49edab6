"""Tables as downloadable files that a spreadsheet opens safely."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from kam.present.columns import Override, for_csv

# A cell starting with one of these is a formula to Excel and LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a single quote."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(_is_formula(pl.col(name))).then(pl.lit("'") + pl.col(name)).otherwise(pl.col(name)).alias(name)
        for name in text_columns
    )


def _is_formula(text: pl.Expr) -> pl.Expr:
    return pl.any_horizontal(text.str.starts_with(start) for start in FORMULA_START)


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """List cells (a load's files) as one text each: CSV has no lists."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(name).cast(pl.List(pl.String)).list.join(", ") for name in lists)


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM, so Excel reads Chinese text correctly, formula cells neutralised."""
    return b"\xef\xbb\xbf" + neutralise(_flat(frame)).write_csv().encode("utf-8")


def table_csv(frame: pl.DataFrame, overrides: Mapping[str, Override] | None = None) -> bytes:
    """A table's CSV as a spreadsheet should read it (kam.present.columns.for_csv), formula-safe."""
    return csv_bytes(for_csv(frame, overrides))
