"""A Parquet export with a list, struct or duration column is refused with the file and column named."""

from __future__ import annotations

import io
from datetime import date, timedelta

import polars as pl
import pytest

from kam.ingest import loader
from kam.store import db
from tests.portfolio import EXPORTS

ACCOUNTS = {
    "account_id": ["K1"],
    "name": ["甲公司"],
    "region": ["华东"],
    "manager_id": ["M1"],
    "tier": ["A"],
    "created_on": [date(2024, 1, 1)],
}


def parquet(frame: pl.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.write_parquet(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("column", "values", "dtype"),
    [
        ("name", [{"first": "甲", "last": "公司"}], "Struct"),
        ("region", [["华东", "华南"]], "List"),
        ("credit_limit", [timedelta(days=3)], "Duration"),
    ],
)
def test_a_nested_or_duration_column_is_a_load_error_naming_file_and_column(tmp_path, column, values, dtype):
    accounts = pl.DataFrame(ACCOUNTS | {column: values})
    files = [
        loader.ExportFile("managers.csv", EXPORTS["managers.csv"].encode()),
        loader.ExportFile("accounts_2026.parquet", parquet(accounts)),
    ]
    with db.connect(tmp_path / "kam.duckdb") as con:
        with pytest.raises(loader.LoadError) as refused:
            loader.load(con, files, "upload", today=date(2026, 11, 22))
        assert db.scalar(con, "SELECT count(*) FROM accounts") == 0
    message = str(refused.value)
    assert message.startswith(f"accounts_2026.parquet: column {column} holds {dtype}")
    kind = "decimal" if column == "credit_limit" else "text"
    assert message.endswith(f"{column} of accounts must be plain {kind} values")


def test_plain_parquet_columns_still_load(tmp_path):
    files = [
        loader.ExportFile("managers.csv", EXPORTS["managers.csv"].encode()),
        loader.ExportFile("accounts.parquet", parquet(pl.DataFrame(ACCOUNTS | {"credit_limit": [1000]}))),
    ]
    with db.connect(tmp_path / "kam.duckdb") as con:
        loader.load(con, files, "upload", today=date(2026, 11, 22))
        assert db.query(con, "SELECT name, created_on, credit_limit FROM accounts").rows() == [
            ("甲公司", date(2024, 1, 1), 1000.0)
        ]
