"""The demo generator: deterministic, contract-shaped, internally consistent exports."""

from __future__ import annotations

import re
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import polars as pl
import pytest

from kam import vocabulary
from kam.ingest import demo
from kam.store.schema import EXPORTS

SCALE = 0.2
END = demo.DEMO_END
END_OF_DAY = f"{END + timedelta(days=1)} 00:00:00"  # timestamps before this are on or before END

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
DATE_COLUMNS = {
    "accounts": ("created_on", "churned_on"),
    "tier_changes": ("changed_on",),
    "orders": ("order_date", "due_on", "paid_on"),
    "visits": ("visit_date", "next_date"),
    "surveys": ("surveyed_on",),
}
TIMESTAMP_COLUMNS = {"complaints": ("opened_at", "first_response_at", "resolved_at")}
# Columns holding something that happened; due_on and next_date are plans and may lie ahead.
EVENT_COLUMNS = {
    "accounts": ("created_on", "churned_on"),
    "tier_changes": ("changed_on",),
    "orders": ("order_date", "paid_on"),
    "visits": ("visit_date",),
    "surveys": ("surveyed_on",),
    "complaints": ("opened_at", "first_response_at", "resolved_at"),
}
ACCOUNT_EVENT = {
    "tier_changes": "changed_on",
    "orders": "order_date",
    "visits": "visit_date",
    "surveys": "surveyed_on",
    "complaints": "opened_at",
}


def read_tables(folder: Path, fmt: str = "csv") -> dict[str, pl.DataFrame]:
    """Every table of an export folder as text columns, split files put together."""
    tables = {}
    for name in demo.TABLES:
        files = sorted(folder.glob(f"{name}.{fmt}")) + sorted(folder.glob(f"{name}_*.{fmt}"))
        assert files, f"no {name} file in {folder}"
        if fmt == "csv":
            frames = [pl.read_csv(f, infer_schema=False) for f in files]
        else:
            frames = [pl.read_parquet(f) for f in files]
        tables[name] = pl.concat(frames)
    return tables


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    demo.generate(out, scale=SCALE)
    return out


@pytest.fixture(scope="module")
def tables(folder: Path) -> dict[str, pl.DataFrame]:
    return read_tables(folder)


def test_same_seed_gives_identical_bytes(folder: Path, tmp_path: Path):
    counts = demo.generate(tmp_path, scale=SCALE)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{t}.csv" for t in demo.TABLES)
    for name in names:
        assert (folder / name).read_bytes() == (tmp_path / name).read_bytes(), name
    assert list(counts) == list(demo.TABLES)


def test_another_seed_gives_other_data(folder: Path, tmp_path: Path):
    demo.generate(tmp_path, scale=SCALE, seed=8)
    assert (folder / "orders.csv").read_bytes() != (tmp_path / "orders.csv").read_bytes()


def test_every_file_has_the_contract_columns_and_formats(folder: Path, tables: dict[str, pl.DataFrame]):
    for name, frame in tables.items():
        assert frame.columns == [c.name for c in EXPORTS[name].columns], name
        assert frame.height > 0, name
        raw = (folder / f"{name}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        raw.decode("utf-8")
    for patterns, pattern in ((DATE_COLUMNS, DATE), (TIMESTAMP_COLUMNS, TIMESTAMP)):
        for name, columns in patterns.items():
            for column in columns:
                values = tables[name][column].drop_nulls()
                assert values.str.contains(pattern.pattern).all(), (name, column)
    assert set(tables["visits"]["executive"]) == {"true", "false"}
    assert set(tables["managers"]["active"]) <= {"true", "false"}
    amounts = tables["orders"]["amount"]
    assert amounts.str.contains(r"^\d+\.\d{2}$").all()
    assert (amounts.cast(pl.Float64) > 0).all()


def test_keys_are_unique(tables: dict[str, pl.DataFrame]):
    for name, frame in tables.items():
        key = list(EXPORTS[name].key)
        if key:
            assert not frame.select(key).is_duplicated().any(), name
    assert tables["accounts"]["name"].is_unique().all()
    assert tables["orders"]["order_id"][0] == "O0000001"
    assert tables["accounts"]["account_id"][0] == "K0001"


def test_no_event_after_the_end_date(tables: dict[str, pl.DataFrame]):
    for name, columns in EVENT_COLUMNS.items():
        for column in columns:
            values = tables[name][column].drop_nulls()
            if name == "complaints":
                assert (values < END_OF_DAY).all(), column
            else:
                assert (values <= END.isoformat()).all(), (name, column)
    assert tables["orders"]["order_date"].min() == date(END.year - 2, 1, 1).isoformat()


def test_events_fall_while_the_account_is_active(tables: dict[str, pl.DataFrame]):
    accounts = tables["accounts"].select("account_id", "created_on", "churned_on")
    for name, column in ACCOUNT_EVENT.items():
        joined = tables[name].join(accounts, on="account_id").with_columns(day=pl.col(column).str.slice(0, 10))
        assert joined.height == tables[name].height
        assert (joined["day"] >= joined["created_on"]).all(), name
        churned = joined.filter(pl.col("churned_on").is_not_null())
        assert (churned["day"] < churned["churned_on"]).all(), name


def test_every_reference_exists(tables: dict[str, pl.DataFrame]):
    accounts = set(tables["accounts"]["account_id"])
    managers = set(tables["managers"]["manager_id"])
    for name, frame in tables.items():
        if "account_id" in frame.columns and name != "accounts":
            assert set(frame["account_id"]) <= accounts, name
        if "manager_id" in frame.columns and name != "managers":
            assert set(frame["manager_id"]) <= managers, name
    # A visit is made by the account's manager; nobody's accounts belong to a manager who left.
    visits = tables["visits"].join(tables["accounts"], on="account_id", suffix="_account")
    assert (visits["manager_id"] == visits["manager_id_account"]).all()
    inactive = set(tables["managers"].filter(pl.col("active") == "false")["manager_id"])
    assert not inactive & set(tables["accounts"]["manager_id"])
    assert not inactive & set(tables["targets"]["manager_id"])


def test_complaints_cover_every_sla_outcome_at_the_end_date(tables: dict[str, pl.DataFrame]):
    complaints = tables["complaints"].with_columns(
        pl.col(c).str.to_datetime("%Y-%m-%d %H:%M:%S") for c in ("opened_at", "first_response_at", "resolved_at")
    )
    end_of_day = pl.lit(END_OF_DAY).str.to_datetime("%Y-%m-%d %H:%M:%S")
    sla = pl.duration(hours=24)
    response = pl.col("first_response_at") - pl.col("opened_at")
    outcome = (
        pl.when(pl.col("first_response_at").is_not_null() & (response <= sla))
        .then(pl.lit("met"))
        .when(pl.col("first_response_at").is_not_null())
        .then(pl.lit("late"))
        .when(end_of_day - pl.col("opened_at") > sla)
        .then(pl.lit("unanswered"))
        .otherwise(pl.lit("pending"))
    )
    counts = dict(complaints.group_by(outcome.alias("outcome")).len().iter_rows())
    assert set(counts) == {"met", "late", "unanswered", "pending"}
    assert counts["met"] > counts["late"] + counts["unanswered"]
    assert complaints.filter(response == sla).height >= 1  # exactly 24 h
    assert (complaints.drop_nulls("first_response_at").select(response >= pl.duration(seconds=0))).to_series().all()
    resolved = complaints.drop_nulls("resolved_at")
    assert (resolved["resolved_at"] >= resolved["first_response_at"]).all()
    assert resolved.height < complaints.height


def test_churned_accounts_have_reasons(tables: dict[str, pl.DataFrame]):
    accounts = tables["accounts"]
    churned = accounts.filter(pl.col("churned_on").is_not_null())
    assert churned.height > 0
    assert churned["churn_reason"].is_not_null().all()
    assert set(churned["churn_reason"]) <= set(vocabulary.CHURN_REASONS)
    assert accounts.filter(pl.col("churned_on").is_null())["churn_reason"].is_null().all()


def test_tier_changes_chain_to_the_current_tier(tables: dict[str, pl.DataFrame]):
    changes = tables["tier_changes"]
    assert changes.height > 0
    assert (changes["from_tier"] != changes["to_tier"]).all()
    current = dict(tables["accounts"].select("account_id", "tier").iter_rows())
    for (account,), chain in changes.group_by("account_id"):
        steps = list(chain.sort("changed_on").select("from_tier", "to_tier").iter_rows())
        assert all(before[1] == after[0] for before, after in pairwise(steps)), account
        assert steps[-1][1] == current[account], account


def test_surveys_and_targets_are_in_range(tables: dict[str, pl.DataFrame]):
    surveys = tables["surveys"].with_columns(pl.col("score", "nps").cast(pl.Int64))
    assert surveys["score"].is_between(1, 5).all()
    assert surveys["nps"].drop_nulls().is_between(0, 10).all()
    targets = tables["targets"].with_columns(pl.col("revenue_target").cast(pl.Float64))
    assert (targets["revenue_target"] > 0).all()
    assert set(targets["year"]) == {str(y) for y in range(END.year - 2, END.year + 1)}


def test_parquet_holds_the_same_rows(tables: dict[str, pl.DataFrame], tmp_path: Path):
    counts = demo.generate(tmp_path, scale=SCALE, fmt="parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.parquet" for t in demo.TABLES)
    from_parquet = read_tables(tmp_path, "parquet")
    for name, frame in tables.items():
        assert counts[name] == frame.height == from_parquet[name].height, name
        assert from_parquet[name].columns == frame.columns, name
    assert from_parquet["orders"]["order_date"].dtype == pl.Date
    assert from_parquet["complaints"]["opened_at"].dtype == pl.Datetime("us")


def test_split_orders_and_stale_files_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "orders.parquet").write_bytes(b"stale")
    (tmp_path / "notes.txt").write_text("kept")
    monkeypatch.setattr(demo, "SPLIT_ORDERS_FROM_SCALE", 0.1)
    counts = demo.generate(tmp_path, scale=SCALE)
    years = range(END.year - 2, END.year + 1)
    assert sorted(p.name for p in tmp_path.glob("orders*")) == [f"orders_{y}.csv" for y in years]
    assert (tmp_path / "notes.txt").exists()
    assert read_tables(tmp_path)["orders"].height == counts["orders"]


def test_bad_arguments_are_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="format"):
        demo.generate(tmp_path, fmt="xlsx")
    with pytest.raises(ValueError, match="scale"):
        demo.generate(tmp_path, scale=0)
