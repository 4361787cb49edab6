"""The loader against every rule of DATA_CONTRACT.md, every accepted encoding and layout, and every way to fail."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from kam import db, loader
from kam.cli import main
from kam.schema import EXPORT_TABLES

TODAY = date(2026, 6, 30)

MANAGERS = """manager_id,name,region,email
M1,王伟,华东,m1@example.com
M2,李娜,华南,
"""
ACCOUNTS = """account_id,name,region,manager_id,tier,created_on
K1,甲公司,华东,M1,A,2024-01-01
K2,乙公司,华南,M2,B,2024-01-01
"""


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def load(tmp_path: Path, files: dict[str, str | bytes], base: bool = True) -> tuple[object, loader.LoadReport]:
    """Load managers and accounts (unless base is False) plus files into a fresh database."""
    exports = ({"managers.csv": MANAGERS, "accounts.csv": ACCOUNTS} if base else {}) | files
    folder = write(tmp_path / "exports", exports)
    con = db.connect(tmp_path / "kam.duckdb")
    return con, loader.load_folder(con, folder, today=TODAY)


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def snapshot(con) -> dict[str, list[tuple]]:
    """Every export table's rows and the load history, sorted, to compare a database before and after."""
    tables = {t.table: sorted(rows(con, f"SELECT * FROM {t.table}"), key=repr) for t in EXPORT_TABLES}
    tables["load_history"] = rows(con, "SELECT load_id, files, rows_read, rows_loaded FROM load_history ORDER BY 1")
    tables["load_rejects"] = sorted(rows(con, "SELECT * FROM load_rejects"), key=repr)
    tables["visits_app"] = rows(con, "SELECT visit_id FROM visits_app ORDER BY 1")
    return tables


# --- every row rule: the good row loads, the bad one is named ---------------------------

# Each file's header and good rows; every case adds one bad row after them.
GOOD = {
    "managers.csv": ["manager_id,name,region,active", "M1,王伟,华东,是", "M2,李娜,华南,0"],
    "accounts.csv": [
        "account_id,name,region,manager_id,tier,created_on,churned_on,churn_reason,credit_limit",
        'K1,甲,华东,M1,A类,2024/1/5,2025-01-01,价格,"1,000.50"',
        "K2,乙,华南,M2,b,2024-01-01,,,",
    ],
    "tier_changes.csv": ["account_id,changed_on,from_tier,to_tier", "K1,2025-01-01,B,A"],
    "orders.csv": ["order_id,account_id,order_date,amount,quantity", "O1,K1,2026-01-05,100,2"],
    "visits.csv": ["visit_id,account_id,manager_id,visit_date,channel,executive", "V1,K1,M1,2026-06-30,电话,是"],
    "complaints.csv": [
        "complaint_id,account_id,opened_at,first_response_at,resolved_at,severity",
        "C1,K1,2026/6/1 09:00,2026-06-01T10:30:00,2026-06-02 09:00,严重",
    ],
    "surveys.csv": ["survey_id,account_id,surveyed_on,score,nps", "S1,K1,2026-05-01,5,0"],
    "targets.csv": ["manager_id,year,revenue_target", "M1,2026,1000"],
}

# (file, bad row, its key, the column named, what the reason says)
RULES = [
    ("managers.csv", ",无名,华东,", None, "manager_id", "missing value"),
    ("managers.csv", "M1,重复,华东,", "M1", "manager_id", "duplicate key"),
    ("managers.csv", "M3,,华东,", "M3", "name", "missing value"),
    ("managers.csv", "M3,张敏,,", "M3", "region", "missing value"),
    ("managers.csv", "M3,张敏,华东,maybe", "M3", "active", "'maybe' is not yes/no"),
    ("accounts.csv", "K3,丙,华南,M9,B,2024-01-01,,,", "K3", "manager_id", "'M9' not found in managers"),
    ("accounts.csv", "K3,丙,华南,M2,D,2024-01-01,,,", "K3", "tier", "'D' is not a tier"),
    ("accounts.csv", "K3,丙,华南,M2,C,,,,", "K3", "created_on", "missing value"),
    ("accounts.csv", "K3,丙,华南,M2,C,2024-13-01,,,", "K3", "created_on", "'2024-13-01' is not a date"),
    ("accounts.csv", "K1,又甲,华东,M1,A,2024-01-01,,,", "K1", "account_id", "duplicate key"),
    ("accounts.csv", "K3,,华南,M2,C,2024-01-01,,,", "K3", "name", "missing value"),
    ("accounts.csv", "K3,丙,,M2,C,2024-01-01,,,", "K3", "region", "missing value"),
    ("accounts.csv", "K3,丙,华南,M2,C,2024-01-01,2025-01-01,,", "K3", "churn_reason", "required when churned_on"),
    ("accounts.csv", "K3,丙,华南,M2,C,2024-01-01,2025-01-01,weather,", "K3", "churn_reason", "'weather' is not one"),
    ("accounts.csv", "K3,丙,华南,M2,C,2024-01-01,,,lots", "K3", "credit_limit", "'lots' is not a number"),
    ("tier_changes.csv", "K9,2025-01-01,B,A", None, "account_id", "'K9' not found in accounts"),
    ("tier_changes.csv", "K2,2025-01-01,B,B", None, "to_tier", "same as from_tier"),
    ("tier_changes.csv", "K2,,C,B", None, "changed_on", "missing value"),
    ("tier_changes.csv", "K2,2025-01-01,C,S", None, "to_tier", "'S' is not a tier"),
    ("orders.csv", "O2,K1,2026-01-05,-5,", "O2", "amount", "-5.0 is negative"),
    ("orders.csv", "O2,K1,2026-01-05,,", "O2", "amount", "missing value"),
    ("orders.csv", "O2,K9,2026-01-05,10,", "O2", "account_id", "'K9' not found in accounts"),
    ("orders.csv", "O2,K1,05.01.2026,10,", "O2", "order_date", "'05.01.2026' is not a date"),
    ("orders.csv", "O1,K2,2026-01-06,10,", "O1", "order_id", "duplicate key"),
    ("orders.csv", "O2,K1,2026-01-05,10,two", "O2", "quantity", "'two' is not a number"),
    ("visits.csv", "V2,K1,M1,2026-07-01,phone,", "V2", "visit_date", "2026-07-01 is in the future"),
    ("visits.csv", "V2,K1,M1,2026-06-01,pigeon,", "V2", "channel", "'pigeon' is not one of"),
    ("visits.csv", "V2,K1,M7,2026-06-01,phone,", "V2", "manager_id", "'M7' not found in managers"),
    ("visits.csv", "V2,K7,M1,2026-06-01,phone,", "V2", "account_id", "'K7' not found in accounts"),
    ("visits.csv", "V2,K1,M1,2026-06-01,phone,perhaps", "V2", "executive", "'perhaps' is not yes/no"),
    ("complaints.csv", "C2,K1,2026-06-01 09:00,2026-06-01 08:00,,", "C2", "first_response_at", "before opened_at"),
    ("complaints.csv", "C2,K1,2026-06-01 09:00,,2026-05-31 09:00,", "C2", "resolved_at", "before opened_at"),
    ("complaints.csv", "C2,K1,yesterday,,,", "C2", "opened_at", "'yesterday' is not a timestamp"),
    ("complaints.csv", "C2,K1,2026-06-01 09:00,,,urgent", "C2", "severity", "'urgent' is not one of"),
    ("surveys.csv", "S2,K1,2026-05-01,6,", "S2", "score", "6 is outside 1–5"),
    ("surveys.csv", "S2,K1,2026-05-01,4.5,", "S2", "score", "'4.5' is not a whole number"),
    ("surveys.csv", "S2,K1,2026-05-01,,", "S2", "score", "missing value"),
    ("surveys.csv", "S2,K1,2026-05-01,3,11", "S2", "nps", "11 is outside 0–10"),
    ("surveys.csv", "S2,K1,,3,", "S2", "surveyed_on", "missing value"),
    ("targets.csv", "M2,2026,0", "M2/2026", "revenue_target", "must be greater than 0"),
    ("targets.csv", "M9,2026,500", "M9/2026", "manager_id", "'M9' not found in managers"),
    ("targets.csv", "M1,2026,2000", "M1/2026", "year", "duplicate key"),
    ("targets.csv", "M2,,2000", None, "year", "missing value"),
]


@pytest.mark.parametrize(
    ("file", "bad", "key", "column", "reason"),
    RULES,
    ids=[f"{file.split('.')[0]}-{column}-{reason[:20]}" for file, _, _, column, reason in RULES],
)
def test_a_row_breaking_a_rule_is_named_and_the_rest_loads(tmp_path, file, bad, key, column, reason):
    header, *good = GOOD[file]
    con, report = load(tmp_path, {file: "\n".join([header, *good, bad]) + "\n"})
    table = file.split(".")[0]
    assert report.rows_read[table] == len(good) + 1
    assert report.rows_loaded[table] == len(good)
    assert rows(con, f"SELECT count(*) FROM {'visits_imported' if table == 'visits' else table}") == [(len(good),)]
    rejected = report.rejects.filter(pl.col("table_name") == table)
    assert rejected.height == 1, rejected
    got = rejected.row(0, named=True)
    # The bad row is the last line of the file: the header is line 1.
    assert (got["file"], got["line"], got["row_key"], got["column_name"]) == (file, len(good) + 2, key, column)
    assert reason in got["reason"]
    # Kept in the database with its load, and counted in the history.
    stored = rows(con, "SELECT table_name, file, line, row_key, reason FROM load_rejects WHERE load_id = 1")
    assert stored == [(table, file, len(good) + 2, key, got["reason"])]
    assert rows(con, "SELECT rows_rejected FROM load_history") == [(1,)]
    assert f"{file} line {len(good) + 2}" in report.summary()


def test_accepted_spellings_and_defaults(tmp_path):
    con, report = load(
        tmp_path,
        {
            "managers.csv": "manager_id,name,region,active\nM1,王伟,华东,否\nM2,李娜,华南,\n",
            "accounts.csv": "account_id,name,region,manager_id,tier,created_on,churned_on,churn_reason\n"
            "K1,甲,华东,M1,A类,2024/1/5,,\nK2,乙,华南,M2,c,2024-01-01 00:00:00,2026/3/1,服务背离\n",
            "visits.csv": "visit_id,account_id,manager_id,visit_date,channel,executive\n"
            "V1,K1,M1,2026-06-01,上门拜访,yes\nV2,K2,M2,2026-06-02,E-mail,\n",
            "complaints.csv": "complaint_id,account_id,opened_at,first_response_at,severity\n"
            "C1,K1,2026-06-01T09:00:00,2026/6/1 10:00,\nC2,K1,2026-06-02 09:00,,高\n",
        },
    )
    assert report.rejects.is_empty(), report.summary()
    assert rows(con, "SELECT manager_id, active FROM managers ORDER BY 1") == [("M1", False), ("M2", True)]
    assert rows(con, "SELECT account_id, tier, created_on, churned_on, churn_reason FROM accounts ORDER BY 1") == [
        ("K1", "A", date(2024, 1, 5), None, None),
        ("K2", "C", date(2024, 1, 1), date(2026, 3, 1), "service"),
    ]
    assert rows(con, "SELECT visit_id, channel, executive FROM visits ORDER BY 1") == [
        ("V1", "in_person", True),
        ("V2", "email", False),
    ]
    assert rows(con, "SELECT complaint_id, opened_at, first_response_at, severity FROM complaints ORDER BY 1") == [
        ("C1", datetime(2026, 6, 1, 9), datetime(2026, 6, 1, 10), "medium"),
        ("C2", datetime(2026, 6, 2, 9), None, "high"),
    ]


# --- encodings, headers, split files ---------------------------------------------------


def test_gb18030_file_with_chinese_headers(tmp_path):
    accounts = "客户编号,客户名称,行业,区域,客户经理,客户等级,建档日期\nK1,甲公司,制造业,华东,M1,A类,2024/1/5\n"
    orders = '订单编号,客户编号,订单日期,金额\nO1,K1,2026/6/1,"1,250.50"\n'
    visits = "拜访编号,客户编号,客户经理,拜访日期,拜访方式\nV1,K1,M1,2026/6/2,电话\n"
    complaints = "投诉编号,客户编号,投诉时间\nC1,K1,2026/6/3 09:30\n"
    surveys = "调查编号,客户编号,调查日期,满意度\nS1,K1,2026/5/20,4\n"
    con, report = load(
        tmp_path,
        {
            "accounts.csv": accounts.encode("gb18030"),
            "orders.csv": orders.encode("gbk"),
            "visits.csv": visits.encode("gb18030"),
            "complaints.csv": complaints.encode("gb18030"),
            "surveys.csv": surveys.replace("满意度", "评分").encode("gb18030"),
        },
    )
    assert report.rejects.is_empty(), report.summary()
    assert rows(con, "SELECT account_id, name, industry, region, manager_id, tier, created_on FROM accounts") == [
        ("K1", "甲公司", "制造业", "华东", "M1", "A", date(2024, 1, 5))
    ]
    assert rows(con, "SELECT order_id, order_date, amount FROM orders") == [("O1", date(2026, 6, 1), 1250.5)]
    assert rows(con, "SELECT visit_id, visit_date, channel FROM visits") == [("V1", date(2026, 6, 2), "phone")]
    assert rows(con, "SELECT complaint_id, opened_at FROM complaints") == [("C1", datetime(2026, 6, 3, 9, 30))]
    assert rows(con, "SELECT survey_id, score FROM surveys") == [("S1", 4)]


def test_the_tier_header_等级_and_a_bad_chinese_cell_named_by_its_header(tmp_path):
    accounts = (
        "客户编号,客户名称,区域,客户经理,等级,建档日期\nK1,甲公司,华东,M1,B级,2024-01-01\nK2,乙,华南,M2,Z,2024-01-01\n"
    )
    con, _ = load(tmp_path, {"accounts.csv": accounts.encode("gb18030")})
    assert rows(con, "SELECT account_id, tier FROM accounts") == [("K1", "B")]
    # The stored reject names the column as the file called it.
    assert rows(con, "SELECT line, row_key, column_name FROM load_rejects") == [(3, "K2", "tier (等级)")]


def test_utf8_with_bom_and_headers_in_any_case_with_spaces(tmp_path):
    accounts = (
        "\ufeff Account_ID , NAME ,Region,manager_id , Tier,Created_On,extra column\nK1,甲,华东,M1,A,2024-01-01,x\n"
    )
    con, report = load(tmp_path, {"accounts.csv": accounts.encode("utf-8")})
    assert report.rejects.is_empty(), report.summary()
    assert rows(con, "SELECT account_id, name, tier FROM accounts") == [("K1", "甲", "A")]


def test_a_table_split_over_csv_and_parquet_loads_as_one(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    pl.DataFrame(
        {
            "order_id": ["O3", "O4"],
            "account_id": ["K2", "K9"],
            "order_date": [date(2026, 3, 1), date(2026, 3, 2)],
            "amount": [300.0, 40.0],
        }
    ).write_parquet(folder / "orders_2026.parquet")
    con, report = load(
        tmp_path,
        {"orders_2025.csv": "order_id,account_id,order_date,amount\nO1,K1,2025-05-01,100\nO2,K1,2025-06-01,200\n"},
    )
    assert rows(con, "SELECT order_id, amount FROM orders ORDER BY 1") == [("O1", 100.0), ("O2", 200.0), ("O3", 300.0)]
    assert report.rows_read["orders"] == 4
    # A Parquet row is named by its row number (1 for the first row).
    assert rows(con, "SELECT file, line, row_key, column_name FROM load_rejects") == [
        ("orders_2026.parquet", 2, "O4", "account_id")
    ]


# --- loads that stop, leaving the database as it was ------------------------------------


@pytest.fixture
def loaded(tmp_path: Path):
    """A database holding one good load and one visit entered in the app."""
    con, _ = load(tmp_path / "first", {"orders.csv": "order_id,account_id,order_date,amount\nO1,K1,2026-01-05,100\n"})
    con.execute(
        """
        INSERT INTO visits_app (visit_id, account_id, manager_id, visit_date, channel, created_at, updated_at)
        VALUES ('APP-1', 'K1', 'M1', DATE '2026-06-20', 'phone', now(), now())
        """
    )
    return con


BROKEN = {
    "missing required column": (
        {"accounts.csv": "account_id,name,region,tier,created_on\nK1,甲,华东,A,2024-01-01\n"},
        "accounts.csv: missing required column manager_id",
    ),
    "garbage file": ({"orders.csv": bytes(range(256)) * 8}, "orders.csv"),
    "empty required file": ({"managers.csv": ""}, "managers.csv"),
    "header only": ({"managers.csv": "manager_id,name,region\n"}, "managers.csv: no rows; managers is required"),
    "no accounts file": ({"accounts.csv": None}, "no accounts file"),
    "broken parquet": ({"surveys.parquet": b"PAR1 not really"}, "surveys.parquet: cannot be read as Parquet"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_load_that_cannot_be_read_changes_nothing(loaded, tmp_path, case):
    files, message = BROKEN[case]
    before = snapshot(loaded)
    exports = {"managers.csv": MANAGERS, "accounts.csv": ACCOUNTS} | {k: v for k, v in files.items() if v is not None}
    if files.get("accounts.csv", "") is None:
        del exports["accounts.csv"]
    folder = write(tmp_path / "broken", exports)
    with pytest.raises(loader.LoadError, match=message.replace("(", r"\(")):
        loader.load_folder(loaded, folder, today=TODAY)
    assert snapshot(loaded) == before


def test_loading_the_same_exports_twice_gives_the_same_database_and_keeps_app_visits(tmp_path):
    exports = {
        "managers.csv": MANAGERS,
        "accounts.csv": ACCOUNTS,
        "orders.csv": "order_id,account_id,order_date,amount\nO1,K1,2026-01-05,100\nO1,K1,2026-01-06,5\n",
        "visits.csv": "visit_id,account_id,manager_id,visit_date,channel\nV1,K1,M1,2026-06-01,phone\n",
    }
    folder = write(tmp_path / "exports", exports)
    con = db.connect(tmp_path / "kam.duckdb")
    loader.load_folder(con, folder, today=TODAY)
    con.execute(
        """
        INSERT INTO visits_app (visit_id, account_id, manager_id, visit_date, channel, created_at, updated_at)
        VALUES ('APP-1', 'K2', 'M2', DATE '2026-06-20', 'video', now(), now()),
               ('V1', 'K1', 'M1', DATE '2026-06-01', 'phone', now(), now())
        """
    )
    first = {k: v for k, v in snapshot(con).items() if k not in ("load_history", "load_rejects")}
    loader.load_folder(con, folder, today=TODAY)
    second = {k: v for k, v in snapshot(con).items() if k not in ("load_history", "load_rejects")}
    assert second == first
    assert rows(con, "SELECT load_id, rows_rejected FROM load_history ORDER BY 1") == [(1, 1), (2, 1)]
    # The app's visit survives; V1, entered in the app and exported later, counts once.
    assert rows(con, "SELECT visit_id, source FROM visits ORDER BY 1") == [("APP-1", "app"), ("V1", "import")]


# --- the command line ---------------------------------------------------------------------


def test_cli_load_prints_the_report(tmp_path, capsys):
    folder = write(
        tmp_path / "exports", {"managers.csv": MANAGERS, "accounts.csv": ACCOUNTS + "K3,丙,华南,M5,A,2024-01-01\n"}
    )
    assert main(["load", str(folder), "--db", str(tmp_path / "kam.duckdb")]) == 0
    out = capsys.readouterr().out
    assert "accounts" in out and "2 loaded of 3 read, 1 rejected" in out
    assert "accounts.csv line 4 [K3] manager_id: 'M5' not found in managers" in out


def test_cli_load_of_a_broken_folder_fails_on_stderr(tmp_path, capsys):
    folder = write(tmp_path / "exports", {"managers.csv": MANAGERS})
    assert main(["load", str(folder), "--db", str(tmp_path / "kam.duckdb")]) != 0
    captured = capsys.readouterr()
    assert "no accounts file" in captured.err
    assert captured.out == ""
