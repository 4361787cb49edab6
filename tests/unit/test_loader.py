"""The loader against every rule of docs/DATA_CONTRACT.md, every accepted encoding and layout, and every way to fail."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from kam.cli import main
from kam.ingest import loader
from kam.store import db
from kam.store.schema import APP_DB_DDL, EXPORT_DDL, EXPORT_TABLES, VISITS_VIEW
from tests.commands import command_here
from tests.portfolio import EXPORTS as PORTFOLIO
from tests.portfolio import LOADED_ON

ROOT = Path(__file__).resolve().parents[2]
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


def load(tmp_path: Path, files: dict[str, str | bytes]) -> tuple[duckdb.DuckDBPyConnection, loader.LoadReport]:
    """Load managers and accounts (unless files bring their own) plus files into a fresh database."""
    folder = write(tmp_path / "exports", {"managers.csv": MANAGERS, "accounts.csv": ACCOUNTS} | files)
    con = db.connect(tmp_path / "kam.duckdb")
    return con, loader.load_folder(con, folder, today=TODAY)


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every export table, the app's visits and the load records, sorted: a database to compare before and after."""
    tables = [t.table for t in EXPORT_TABLES] + ["visits_app", "load_history", "load_rejects"]
    return {name: sorted(rows(con, f"SELECT * FROM {name}"), key=repr) for name in tables}


# --- every row rule: the good rows load, the bad one is named ---------------------------

# Each file's header and good rows (boundary values included), and what they load as.
GOOD = {
    "managers.csv": ["manager_id,name,region,active", "M1,王伟,华东,是", "M2,李娜,华南,0"],
    "accounts.csv": [
        "account_id,name,region,manager_id,tier,created_on,churned_on,churn_reason,credit_limit",
        'K1,甲,华东,M1,A类,2024/1/5,2025-01-01,价格,"1,000.50"',
        "K2,乙,华南,M2,b,2024-01-01,,,",
    ],
    "tier_changes.csv": ["account_id,changed_on,from_tier,to_tier", "K1,2025-01-01,B,A", "K2,2025/3/1,A类,B"],
    "orders.csv": [
        "order_id,account_id,order_date,amount,quantity,due_on,paid_on",
        "O1,K1,2026-01-05,100,2,2026-02-04,2026/2/1",
        "O0,K2,2026-01-06,0,,,",
    ],
    "visits.csv": [
        "visit_id,account_id,manager_id,visit_date,channel,executive,next_date",
        "V1,K1,M1,2026-06-30,电话,是,2026/7/15",
        "V0,K2,M2,2026/6/1,in_person,,",
    ],
    "complaints.csv": [
        "complaint_id,account_id,opened_at,first_response_at,resolved_at,severity",
        "C1,K1,2026/6/1 09:00,2026-06-01T10:30:00,2026-06-02 09:00,严重",
        "C0,K2,2026-06-03 08:00,2026-06-03 08:00,2026-06-03 08:00,",
    ],
    "surveys.csv": ["survey_id,account_id,surveyed_on,score,nps", "S1,K1,2026-05-01,5,0", "S0,K2,2026-05-02,1,10"],
    "targets.csv": ["manager_id,year,revenue_target,visit_target", "M1,2026,1000,24"],
}
LOADED = {
    "managers.csv": [("M1", "王伟", "华东", None, True), ("M2", "李娜", "华南", None, False)],
    "accounts.csv": [
        ("K1", "甲", None, "华东", "M1", "A", date(2024, 1, 5), date(2025, 1, 1), "price", 1000.5, None),
        ("K2", "乙", None, "华南", "M2", "B", date(2024, 1, 1), None, None, None, None),
    ],
    "tier_changes.csv": [("K1", date(2025, 1, 1), "B", "A", None, 0), ("K2", date(2025, 3, 1), "A", "B", None, 1)],
    "orders.csv": [
        ("O0", "K2", date(2026, 1, 6), None, None, 0.0, None, None),
        ("O1", "K1", date(2026, 1, 5), None, 2.0, 100.0, date(2026, 2, 4), date(2026, 2, 1)),
    ],
    "visits.csv": [
        ("V0", "K2", "M2", date(2026, 6, 1), "in_person", None, False, None, None, None, None, None),
        ("V1", "K1", "M1", date(2026, 6, 30), "phone", None, True, None, None, date(2026, 7, 15), None, None),
    ],
    "complaints.csv": [
        ("C0", "K2", datetime(2026, 6, 3, 8), datetime(2026, 6, 3, 8), datetime(2026, 6, 3, 8), None, "medium"),
        ("C1", "K1", datetime(2026, 6, 1, 9), datetime(2026, 6, 1, 10, 30), datetime(2026, 6, 2, 9), None, "high"),
    ],
    "surveys.csv": [("S0", "K2", date(2026, 5, 2), 1, 10, None), ("S1", "K1", date(2026, 5, 1), 5, 0, None)],
    "targets.csv": [("M1", 2026, 1000.0, 24)],
}

NOT_A_DATE = "is not a date (YYYY-MM-DD or YYYY/M/D)"
NOT_A_TIMESTAMP = "is not a timestamp (YYYY-MM-DD HH:MM[:SS])"
NOT_A_TIER = "is not a tier (A, B or C)"
DUPLICATE = "duplicate key; the first row was kept"
MISSING = "missing value"

# (file, the bad row, its key, the column named, the reason given)
RULES = [
    # managers
    ("managers.csv", ",无名,华东,", None, "manager_id", MISSING),
    ("managers.csv", "M1,重复,华东,", "M1", "manager_id", DUPLICATE),
    ("managers.csv", "M3,,华东,", "M3", "name", MISSING),
    ("managers.csv", "M3,  ,华东,", "M3", "name", MISSING),
    ("managers.csv", "M3,张敏,,", "M3", "region", MISSING),
    ("managers.csv", "M3,张敏,华东,maybe", "M3", "active", "'maybe' is not yes/no (true/false, 1/0, yes/no, 是/否)"),
    # accounts
    ("accounts.csv", ",丙,华南,M2,C,2024-01-01,,,", None, "account_id", MISSING),
    ("accounts.csv", "K1,又甲,华东,M1,A,2024-01-01,,,", "K1", "account_id", DUPLICATE),
    ("accounts.csv", "K3,,华南,M2,C,2024-01-01,,,", "K3", "name", MISSING),
    ("accounts.csv", "K3,丙,,M2,C,2024-01-01,,,", "K3", "region", MISSING),
    ("accounts.csv", "K3,丙,华南,,C,2024-01-01,,,", "K3", "manager_id", MISSING),
    ("accounts.csv", "K3,丙,华南,M9,B,2024-01-01,,,", "K3", "manager_id", "'M9' not found in managers"),
    ("accounts.csv", "K3,丙,华南,M2,,2024-01-01,,,", "K3", "tier", MISSING),
    ("accounts.csv", "K3,丙,华南,M2,D,2024-01-01,,,", "K3", "tier", f"'D' {NOT_A_TIER}"),
    ("accounts.csv", "K3,丙,华南,M2,D类,2024-01-01,,,", "K3", "tier", f"'D类' {NOT_A_TIER}"),
    ("accounts.csv", "K3,丙,华南,M2,C,,,,", "K3", "created_on", MISSING),
    ("accounts.csv", "K3,丙,华南,M2,C,2024-13-01,,,", "K3", "created_on", f"'2024-13-01' {NOT_A_DATE}"),
    ("accounts.csv", "K3,丙,华南,M2,C,24/1/5,,,", "K3", "created_on", f"'24/1/5' {NOT_A_DATE}"),
    ("accounts.csv", "K3,丙,华南,M2,C,2024-01-01,2025/2/29,,", "K3", "churned_on", f"'2025/2/29' {NOT_A_DATE}"),
    (
        "accounts.csv",
        "K3,丙,华南,M2,C,2024-01-01,2025-01-01,,",
        "K3",
        "churn_reason",
        "required when churned_on is set",
    ),
    (
        "accounts.csv",
        "K3,丙,华南,M2,C,2024-01-01,2025-01-01, ,",
        "K3",
        "churn_reason",
        "required when churned_on is set",
    ),
    (
        "accounts.csv",
        "K3,丙,华南,M2,C,2024-01-01,2025-01-01,weather,",
        "K3",
        "churn_reason",
        "'weather' is not one of price, product, market, service, technology, organization",
    ),
    ("accounts.csv", "K3,丙,华南,M2,C,2024-01-01,,,lots", "K3", "credit_limit", "'lots' is not a number"),
    ("accounts.csv", "K3,丙,华南,M2,C,2024-01-01,,,-0.01", "K3", "credit_limit", "-0.01 is negative"),
    # tier_changes (no key)
    ("tier_changes.csv", ",2025-01-01,B,A", None, "account_id", MISSING),
    ("tier_changes.csv", "K9,2025-01-01,B,A", None, "account_id", "'K9' not found in accounts"),
    ("tier_changes.csv", "K2,,C,B", None, "changed_on", MISSING),
    ("tier_changes.csv", "K2,2025/2/30,C,B", None, "changed_on", f"'2025/2/30' {NOT_A_DATE}"),
    ("tier_changes.csv", "K2,2025-01-01,,B", None, "from_tier", MISSING),
    ("tier_changes.csv", "K2,2025-01-01,X,B", None, "from_tier", f"'X' {NOT_A_TIER}"),
    ("tier_changes.csv", "K2,2025-01-01,C,", None, "to_tier", MISSING),
    ("tier_changes.csv", "K2,2025-01-01,C,S", None, "to_tier", f"'S' {NOT_A_TIER}"),
    ("tier_changes.csv", "K2,2025-01-01,B,b类", None, "to_tier", "same as from_tier"),
    # orders
    ("orders.csv", ",K1,2026-01-05,10,,,", None, "order_id", MISSING),
    ("orders.csv", "O1,K2,2026-01-06,10,,,", "O1", "order_id", DUPLICATE),
    ("orders.csv", "O2,,2026-01-05,10,,,", "O2", "account_id", MISSING),
    ("orders.csv", "O2,K9,2026-01-05,10,,,", "O2", "account_id", "'K9' not found in accounts"),
    ("orders.csv", "O2,K1,,10,,,", "O2", "order_date", MISSING),
    ("orders.csv", "O2,K1,05.01.2026,10,,,", "O2", "order_date", f"'05.01.2026' {NOT_A_DATE}"),
    ("orders.csv", "O2,K1,2026-01-05,,,,", "O2", "amount", MISSING),
    ("orders.csv", "O2,K1,2026-01-05,-5,,,", "O2", "amount", "-5.0 is negative"),
    ("orders.csv", "O2,K1,2026-01-05,ten,,,", "O2", "amount", "'ten' is not a number"),
    ("orders.csv", "O2,K1,2026-01-05,10,two,,", "O2", "quantity", "'two' is not a number"),
    ("orders.csv", "O2,K1,2026-01-05,10,,2026-02-31,", "O2", "due_on", f"'2026-02-31' {NOT_A_DATE}"),
    ("orders.csv", "O2,K1,2026-01-05,10,,,soon", "O2", "paid_on", f"'soon' {NOT_A_DATE}"),
    # visits
    ("visits.csv", ",K1,M1,2026-06-01,phone,,", None, "visit_id", MISSING),
    ("visits.csv", "V1,K2,M2,2026-06-01,phone,,", "V1", "visit_id", DUPLICATE),
    ("visits.csv", "V2,,M1,2026-06-01,phone,,", "V2", "account_id", MISSING),
    ("visits.csv", "V2,K7,M1,2026-06-01,phone,,", "V2", "account_id", "'K7' not found in accounts"),
    ("visits.csv", "V2,K1,,2026-06-01,phone,,", "V2", "manager_id", MISSING),
    ("visits.csv", "V2,K1,M7,2026-06-01,phone,,", "V2", "manager_id", "'M7' not found in managers"),
    ("visits.csv", "V2,K1,M1,,phone,,", "V2", "visit_date", MISSING),
    ("visits.csv", "V2,K1,M1,2026-6-31,phone,,", "V2", "visit_date", f"'2026-6-31' {NOT_A_DATE}"),
    ("visits.csv", "V2,K1,M1,2026-07-01,phone,,", "V2", "visit_date", "2026-07-01 is in the future"),
    ("visits.csv", "V2,K1,M1,2026-06-01,,,", "V2", "channel", MISSING),
    (
        "visits.csv",
        "V2,K1,M1,2026-06-01,pigeon,,",
        "V2",
        "channel",
        "'pigeon' is not one of in_person, phone, video, email, mail",
    ),
    (
        "visits.csv",
        "V2,K1,M1,2026-06-01,phone,perhaps,",
        "V2",
        "executive",
        "'perhaps' is not yes/no (true/false, 1/0, yes/no, 是/否)",
    ),
    ("visits.csv", "V2,K1,M1,2026-06-01,phone,,next week", "V2", "next_date", f"'next week' {NOT_A_DATE}"),
    # complaints
    ("complaints.csv", ",K1,2026-06-01 09:00,,,", None, "complaint_id", MISSING),
    ("complaints.csv", "C1,K2,2026-06-05 09:00,,,", "C1", "complaint_id", DUPLICATE),
    ("complaints.csv", "C2,,2026-06-01 09:00,,,", "C2", "account_id", MISSING),
    ("complaints.csv", "C2,K9,2026-06-01 09:00,,,", "C2", "account_id", "'K9' not found in accounts"),
    ("complaints.csv", "C2,K1,,,,", "C2", "opened_at", MISSING),
    ("complaints.csv", "C2,K1,yesterday,,,", "C2", "opened_at", f"'yesterday' {NOT_A_TIMESTAMP}"),
    ("complaints.csv", "C2,K1,26/6/1 09:00,,,", "C2", "opened_at", f"'26/6/1 09:00' {NOT_A_TIMESTAMP}"),
    ("complaints.csv", "C2,K1,2026-06-01 09:00,soon,,", "C2", "first_response_at", f"'soon' {NOT_A_TIMESTAMP}"),
    ("complaints.csv", "C2,K1,2026-06-01 09:00,2026-06-01 08:59,,", "C2", "first_response_at", "is before opened_at"),
    (
        "complaints.csv",
        "C2,K1,2026-06-01 09:00,,2026-06-02 24:30,",
        "C2",
        "resolved_at",
        f"'2026-06-02 24:30' {NOT_A_TIMESTAMP}",
    ),
    ("complaints.csv", "C2,K1,2026-06-01 09:00,,2026-05-31 09:00,", "C2", "resolved_at", "is before opened_at"),
    ("complaints.csv", "C2,K1,2026-06-01 09:00,,,urgent", "C2", "severity", "'urgent' is not one of low, medium, high"),
    # surveys
    ("surveys.csv", ",K1,2026-05-01,3,", None, "survey_id", MISSING),
    ("surveys.csv", "S1,K2,2026-05-03,3,", "S1", "survey_id", DUPLICATE),
    ("surveys.csv", "S2,,2026-05-01,3,", "S2", "account_id", MISSING),
    ("surveys.csv", "S2,K9,2026-05-01,3,", "S2", "account_id", "'K9' not found in accounts"),
    ("surveys.csv", "S2,K1,,3,", "S2", "surveyed_on", MISSING),
    ("surveys.csv", "S2,K1,2026/5/32,3,", "S2", "surveyed_on", f"'2026/5/32' {NOT_A_DATE}"),
    ("surveys.csv", "S2,K1,2026-05-01,,", "S2", "score", MISSING),
    ("surveys.csv", "S2,K1,2026-05-01,0,", "S2", "score", "0 is outside 1–5"),
    ("surveys.csv", "S2,K1,2026-05-01,6,", "S2", "score", "6 is outside 1–5"),
    ("surveys.csv", "S2,K1,2026-05-01,4.5,", "S2", "score", "'4.5' is not a whole number"),
    ("surveys.csv", "S2,K1,2026-05-01,good,", "S2", "score", "'good' is not a whole number"),
    ("surveys.csv", "S2,K1,2026-05-01,3,-1", "S2", "nps", "-1 is outside 0–10"),
    ("surveys.csv", "S2,K1,2026-05-01,3,11", "S2", "nps", "11 is outside 0–10"),
    ("surveys.csv", "S2,K1,2026-05-01,3,7.5", "S2", "nps", "'7.5' is not a whole number"),
    # targets: (manager_id, year) is the key
    ("targets.csv", ",2026,500,", None, "manager_id", MISSING),
    ("targets.csv", "M9,2026,500,", "M9/2026", "manager_id", "'M9' not found in managers"),
    ("targets.csv", "M1,2026,2000,", "M1/2026", "year", DUPLICATE),
    ("targets.csv", "M2,,2000,", None, "year", MISSING),
    ("targets.csv", "M2,2026年,2000,", "M2/2026年", "year", "'2026年' is not a whole number"),
    ("targets.csv", "M2,2026,,", "M2/2026", "revenue_target", MISSING),
    ("targets.csv", "M2,2026,0,", "M2/2026", "revenue_target", "must be greater than 0"),
    ("targets.csv", "M2,2026,-10,", "M2/2026", "revenue_target", "must be greater than 0"),
    ("targets.csv", "M2,2026,lots,", "M2/2026", "revenue_target", "'lots' is not a number"),
    ("targets.csv", "M2,2026,500,12.5", "M2/2026", "visit_target", "'12.5' is not a whole number"),
    ("targets.csv", "M2,2026,500,-1", "M2/2026", "visit_target", "must not be negative"),
]


@pytest.mark.parametrize(
    ("file", "bad", "key", "column", "reason"),
    RULES,
    ids=[f"{file.split('.')[0]}-{column}-{n}" for n, (file, _, _, column, _) in enumerate(RULES)],
)
def test_a_row_breaking_a_rule_is_named_and_the_rest_loads(tmp_path, file, bad, key, column, reason):
    header, *good = GOOD[file]
    con, report = load(tmp_path, {file: "\n".join([header, *good, bad]) + "\n"})
    table = file.split(".")[0]
    storage = "visits_imported" if table == "visits" else table
    line = len(good) + 2  # the header is line 1; the bad row is the last line

    # The good rows load with the contract's types; the bad one does not.
    assert rows(con, f"SELECT * FROM {storage} ORDER BY ALL") == LOADED[file]
    assert (report.rows_read[table], report.rows_loaded[table]) == (len(good) + 1, len(good))

    # The report names it: file, line, key, column, reason.
    assert report.rejects.rows() == [(table, file, line, key, column, reason)]
    where = f"{file} line {line}" + (f" [{key}]" if key else "")
    assert f"{where} {column}: {reason}" in report.summary()

    # The database keeps the same under the load's id, and counts it in the history.
    assert rows(con, "SELECT * FROM load_rejects") == [(1, table, file, line, key, column, reason)]
    read = sum(report.rows_read.values())
    assert rows(con, "SELECT load_id, rows_read, rows_loaded, rows_rejected FROM load_history") == [
        (1, read, read - 1, 1)
    ]
    assert report.rows_rejected == 1


def test_accepted_spellings_and_defaults(tmp_path):
    con, report = load(
        tmp_path,
        {
            "managers.csv": "manager_id,name,region,active\nM1,王伟,华东,否\nM2,李娜,华南,\nM3,张敏,华东,Yes\n",
            "accounts.csv": "account_id,name,region,manager_id,tier,created_on,churned_on,churn_reason\n"
            "K1,甲,华东,M1,A类,2024/1/5,,\nK2,乙,华南,M2,c,2024-01-01 00:00:00,2026/3/1,服务背离\n"
            "K3,丙,华南,M2,B级,2024/12/31 0:00,2026-04-01,Organisation\n",
            "visits.csv": "visit_id,account_id,manager_id,visit_date,channel,executive\n"
            "V1,K1,M1,2026-06-01,上门拜访,yes\nV2,K2,M2,2026-06-02,E-mail,\nV3,K3,M2,2026-06-03,通信访问,FALSE\n",
            "complaints.csv": "complaint_id,account_id,opened_at,first_response_at,severity\n"
            "C1,K1,2026-06-01T09:00:00,2026/6/1 10:00,\nC2,K1,2026-06-02 09:00,,高\nC3,K3,2026/6/3 9:05:30,,Low\n",
        },
    )
    assert report.rejects.is_empty(), report.summary()
    assert rows(con, "SELECT manager_id, active FROM managers ORDER BY 1") == [
        ("M1", False),
        ("M2", True),
        ("M3", True),
    ]
    assert rows(con, "SELECT account_id, tier, created_on, churned_on, churn_reason FROM accounts ORDER BY 1") == [
        ("K1", "A", date(2024, 1, 5), None, None),
        ("K2", "C", date(2024, 1, 1), date(2026, 3, 1), "service"),
        ("K3", "B", date(2024, 12, 31), date(2026, 4, 1), "organization"),
    ]
    assert rows(con, "SELECT visit_id, channel, executive FROM visits ORDER BY 1") == [
        ("V1", "in_person", True),
        ("V2", "email", False),
        ("V3", "mail", False),
    ]
    assert rows(con, "SELECT complaint_id, opened_at, first_response_at, severity FROM complaints ORDER BY 1") == [
        ("C1", datetime(2026, 6, 1, 9), datetime(2026, 6, 1, 10), "medium"),
        ("C2", datetime(2026, 6, 2, 9), None, "high"),
        ("C3", datetime(2026, 6, 3, 9, 5, 30), None, "low"),
    ]


def test_credit_limit_zero_and_credit_term_at_its_bounds(tmp_path):
    accounts = (
        "account_id,name,region,manager_id,tier,created_on,信用额度,账期\n"
        "K1,甲,华东,M1,A,2024-01-01,0,0\nK2,乙,华南,M2,B,2024-01-01,,\n"
        "K3,丙,华南,M2,B,2024-01-01,500,-1\nK4,丁,华南,M2,B,2024-01-01,500,30.5\n"
    )
    con, report = load(tmp_path, {"accounts.csv": accounts})
    # A limit of 0 is cash only, not missing; a term of 0 days is allowed.
    assert rows(con, "SELECT account_id, credit_limit, credit_term_days FROM accounts ORDER BY 1") == [
        ("K1", 0.0, 0),
        ("K2", None, None),
    ]
    assert report.rejects.select("line", "row_key", "column_name", "reason").rows() == [
        (4, "K3", "credit_term_days (账期)", "-1 is negative"),
        (5, "K4", "credit_term_days (账期)", "'30.5' is not a whole number"),
    ]


SIGNS_UNKNOWN = (
    "is not one of creditors, owner_unreachable, dumping, internal_conflict, staff_turnover, business_shift"
    " (or their Chinese names)"
)


def test_warning_signs_by_code_or_chinese_name_stored_as_codes(tmp_path):
    visits = (
        "visit_id,account_id,manager_id,visit_date,channel,warning_signs\n"
        "V1,K1,M1,2026-06-01,phone,讨债的人增多;老板避而不见;低价抛货;内部矛盾加剧;员工离职增加;主业转移\n"
        "V2,K1,M1,2026-06-02,phone,Dumping ； creditors;dumping;\n"
        "V3,K1,M1,2026-06-03,phone,\n"
        "V4,K1,M1,2026-06-04,phone, ; \n"
        "V5,K1,M1,2026-06-05,phone,business_shift\n"
        "V6,K1,M1,2026-06-06,phone,creditors;lawsuits\n"
        "V7,K1,M1,2026-06-07,phone,老板不见\n"
        "V8,K1,M1,2026-06-08,phone,creditors staff_turnover\n"
    )
    con, report = load(tmp_path, {"visits.csv": visits})
    # Codes once each, in the contract's order, whatever order and spelling the file used.
    assert rows(con, "SELECT visit_id, warning_signs FROM visits ORDER BY 1") == [
        ("V1", "creditors;owner_unreachable;dumping;internal_conflict;staff_turnover;business_shift"),
        ("V2", "creditors;dumping"),
        ("V3", None),
        ("V4", None),
        ("V5", "business_shift"),
    ]
    assert report.rejects.select("line", "row_key", "column_name", "reason").rows() == [
        (7, "V6", "warning_signs", f"'lawsuits' {SIGNS_UNKNOWN}"),
        (8, "V7", "warning_signs", f"'老板不见' {SIGNS_UNKNOWN}"),
        (9, "V8", "warning_signs", f"'creditors staff_turnover' {SIGNS_UNKNOWN}"),
    ]


def test_warning_signs_under_a_chinese_header_in_gbk(tmp_path):
    visits = (
        "拜访编号,客户编号,客户经理,拜访日期,拜访方式,预警信号\n"
        "V1,K1,M1,2026/6/2,电话,主业转移；讨债的人增多\nV2,K1,M1,2026/6/3,电话,跑路\n"
    )
    con, report = load(tmp_path, {"visits.csv": visits.encode("gbk")})
    assert rows(con, "SELECT visit_id, warning_signs FROM visits") == [("V1", "creditors;business_shift")]
    assert report.rejects.select("line", "row_key", "column_name", "reason").rows() == [
        (3, "V2", "warning_signs (预警信号)", f"'跑路' {SIGNS_UNKNOWN}")
    ]


def test_an_app_visit_keeps_its_warning_signs_in_the_visits_view(tmp_path):
    con, _ = load(tmp_path, {})
    con.execute(
        """
        INSERT INTO visits_app (visit_id, account_id, manager_id, visit_date, channel, warning_signs,
                                created_at, updated_at)
        VALUES ('APP-1', 'K1', 'M1', DATE '2026-06-20', 'in_person', 'dumping', now(), now())
        """
    )
    assert rows(con, "SELECT visit_id, warning_signs, source FROM visits") == [("APP-1", "dumping", "app")]


def test_a_one_file_database_made_before_is_moved_apart_and_gains_the_new_columns(tmp_path):
    path = tmp_path / "kam.duckdb"
    with duckdb.connect(str(path)) as old:
        # Everything in one file, as an earlier version made it, before warning signs and credit terms.
        for statement in (*EXPORT_DDL, *APP_DB_DDL, VISITS_VIEW):
            old.execute(statement)
        old.execute("DROP VIEW visits")
        old.execute("DROP TABLE export_switches")
        old.execute("ALTER TABLE accounts DROP COLUMN credit_term_days")
        old.execute("ALTER TABLE visits_imported DROP COLUMN warning_signs")
        old.execute("ALTER TABLE visits_app DROP COLUMN warning_signs")
        old.execute("ALTER TABLE load_history DROP COLUMN confirmed_losses")
        old.execute("ALTER TABLE load_history DROP COLUMN data_to")
        old.execute("INSERT INTO managers VALUES ('M1', '王伟', '华东', NULL, true)")
        old.execute(
            "INSERT INTO accounts VALUES ('K1', '甲公司', NULL, '华东', 'M1', 'A', DATE '2024-01-01', NULL, NULL, NULL)"
        )
        old.execute("INSERT INTO load_history VALUES (3, now(), 'nightly', ['accounts.csv'], 2, 2, 0, 'command line')")
        old.execute(
            """
            INSERT INTO visits_app (visit_id, account_id, manager_id, visit_date, channel, executive,
                                    created_by, created_at, updated_at)
            VALUES ('APP-1', 'K1', 'M1', DATE '2026-06-20', 'video', true, 'wang.wei', now(), now())
            """
        )
    with db.connect(path) as con:
        columns = (
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = 'kam' AND column_name IN ($1, $2) ORDER BY ALL"
        )
        assert con.execute(columns, ["credit_term_days", "warning_signs"]).fetchall() == [
            ("accounts", "credit_term_days"),
            ("visits", "warning_signs"),
            ("visits_app", "warning_signs"),
            ("visits_imported", "warning_signs"),
        ]
        kinds = "SELECT table_name FROM duckdb_tables() WHERE database_name = 'kam' ORDER BY 1"
        assert ("accounts",) not in rows(con, kinds) and ("visits_app",) in rows(con, kinds)
        assert rows(con, "SELECT account_id, credit_term_days FROM accounts") == [("K1", None)]
        assert rows(con, "SELECT visit_id, source FROM visits") == [("APP-1", "app")]
        assert rows(con, "SELECT load_id, source, data_to FROM load_history") == [(3, "nightly", None)]
        # A load made before the date was kept: read from the exports (none here).
        assert db.data_date(con) is None
        # The load made before was audited then: moving it is no new load.
        assert rows(con, "SELECT count(*) FROM audit_log") == [(0,)]
    assert (tmp_path / "exports" / "current").read_text() == "3.duckdb"
    with duckdb.connect(str(tmp_path / "exports" / "3.duckdb"), read_only=True) as moved:
        assert rows(moved, "SELECT account_id FROM accounts") == [("K1",)]


def test_a_row_referring_to_a_rejected_row_is_rejected_too(tmp_path):
    con, report = load(
        tmp_path,
        {
            "accounts.csv": ACCOUNTS + "K3,丙公司,华南,M2,Z,2024-01-01\n",
            "orders.csv": "order_id,account_id,order_date,amount\nO1,K3,2026-01-05,100\nO2,K2,2026-01-05,50\n",
        },
    )
    assert rows(con, "SELECT order_id FROM orders") == [("O2",)]
    assert report.rejects.select("file", "line", "row_key", "column_name").rows() == [
        ("accounts.csv", 4, "K3", "tier"),
        ("orders.csv", 2, "O1", "account_id"),
    ]


def test_blank_lines_are_not_rows_and_the_line_numbers_stay_true(tmp_path):
    orders = "order_id,account_id,order_date,amount\n\nO1,K1,2026-01-05,100\n,,,\nO2,K9,2026-01-06,5\n\n\n"
    con, report = load(tmp_path, {"orders.csv": orders})
    assert rows(con, "SELECT order_id, amount FROM orders") == [("O1", 100.0)]
    assert report.rows_read["orders"] == 2
    assert report.rejects.rows() == [("orders", "orders.csv", 5, "O2", "account_id", "'K9' not found in accounts")]


# --- encodings, headers, split files ---------------------------------------------------


def test_gb18030_and_gbk_files_with_chinese_headers(tmp_path):
    managers = "客户经理,姓名,区域\nM1,王伟,华东\n"
    # 䶮 is in GB18030 but not in GBK.
    accounts = "客户编号,客户名称,行业,区域,客户经理,客户等级,建档日期\nK1,刘䶮科技,制造业,华东,M1,A类,2024/1/5\n"
    orders = '订单编号,客户编号,订单日期,金额\nO1,K1,2026/6/1,"1,250.50"\nO2,K1,2026/6/9,80\n'
    visits = "拜访编号,客户编号,客户经理,拜访日期,拜访方式\nV1,K1,M1,2026/6/2,电话\n"
    complaints = "投诉编号,客户编号,投诉时间,严重程度\nC1,K1,2026/6/3 09:30,高\n"
    surveys_h1 = "调查编号,客户编号,调查日期,满意度\nS1,K1,2026/5/20,4\n"
    surveys_h2 = "调查编号,客户编号,调查日期,评分\nS2,K1,2026/6/20,5\n"
    con, report = load(
        tmp_path,
        {
            "managers.csv": managers.encode("gb18030"),
            "accounts.csv": accounts.encode("gb18030"),
            "orders.csv": orders.encode("gbk"),
            "visits.csv": visits.encode("gb18030"),
            "complaints.csv": complaints.encode("gbk"),
            "surveys_h1.csv": surveys_h1.encode("gb18030"),
            "surveys_h2.csv": surveys_h2.encode("gbk"),
        },
    )
    assert report.rejects.is_empty(), report.summary()
    assert rows(con, "SELECT manager_id, name, region FROM managers") == [("M1", "王伟", "华东")]
    assert rows(con, "SELECT account_id, name, industry, region, manager_id, tier, created_on FROM accounts") == [
        ("K1", "刘䶮科技", "制造业", "华东", "M1", "A", date(2024, 1, 5))
    ]
    assert rows(con, "SELECT order_id, account_id, order_date, amount FROM orders ORDER BY 1") == [
        ("O1", "K1", date(2026, 6, 1), 1250.5),
        ("O2", "K1", date(2026, 6, 9), 80.0),
    ]
    assert rows(con, "SELECT visit_id, account_id, manager_id, visit_date, channel FROM visits") == [
        ("V1", "K1", "M1", date(2026, 6, 2), "phone")
    ]
    assert rows(con, "SELECT complaint_id, account_id, opened_at, severity FROM complaints") == [
        ("C1", "K1", datetime(2026, 6, 3, 9, 30), "high")
    ]
    assert rows(con, "SELECT survey_id, surveyed_on, score FROM surveys ORDER BY 1") == [
        ("S1", date(2026, 5, 20), 4),
        ("S2", date(2026, 6, 20), 5),
    ]


def test_the_tier_header_等级_and_a_bad_chinese_cell_named_by_its_header(tmp_path):
    accounts = (
        "客户编号,客户名称,区域,客户经理,等级,建档日期\nK1,甲公司,华东,M1,B级,2024-01-01\nK2,乙,华南,M2,Z,2024-01-01\n"
    )
    con, report = load(tmp_path, {"accounts.csv": accounts.encode("gb18030")})
    assert rows(con, "SELECT account_id, tier FROM accounts") == [("K1", "B")]
    # The reject names the column as the file called it.
    assert report.rejects.select("line", "row_key", "column_name").rows() == [(3, "K2", "tier (等级)")]
    assert rows(con, "SELECT line, row_key, column_name, reason FROM load_rejects") == [
        (3, "K2", "tier (等级)", f"'Z' {NOT_A_TIER}")
    ]


def test_utf8_with_bom_and_headers_in_any_case_with_spaces(tmp_path):
    accounts = (
        "\ufeff Account_ID , NAME ,Region,manager_id , Tier,Created_On,extra column\r\n"
        "K1,甲,华东,M1,A,2024/1/5,x\r\nK2,乙,华南,M2,C,2024-02-01,y\r\n"
    )
    managers = "\ufeffMANAGER_ID,Name ,  REGION\nM1,王伟,华东\nM2,李娜,华南\n"
    con, report = load(tmp_path, {"accounts.csv": accounts.encode("utf-8"), "managers.csv": managers.encode("utf-8")})
    assert report.rejects.is_empty(), report.summary()
    assert rows(con, "SELECT manager_id, name, region FROM managers ORDER BY 1") == [
        ("M1", "王伟", "华东"),
        ("M2", "李娜", "华南"),
    ]
    assert rows(con, "SELECT account_id, name, region, manager_id, tier, created_on FROM accounts ORDER BY 1") == [
        ("K1", "甲", "华东", "M1", "A", date(2024, 1, 5)),
        ("K2", "乙", "华南", "M2", "C", date(2024, 2, 1)),
    ]


def test_a_table_split_over_csv_and_parquet_loads_as_the_union(tmp_path):
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
    # Typed timestamps, and a date column written as midnight timestamps, beside text in a CSV.
    pl.DataFrame(
        {
            "complaint_id": ["C2"],
            "account_id": ["K2"],
            "opened_at": [datetime(2026, 6, 2, 9)],
            "first_response_at": [datetime(2026, 6, 2, 10, 15)],
        }
    ).write_parquet(folder / "complaints_2026.parquet")
    pl.DataFrame(
        {
            "account_id": ["K3"],
            "name": ["丙公司"],
            "region": ["华南"],
            "manager_id": ["M2"],
            "tier": ["C"],
            "created_on": [datetime(2025, 5, 1)],
        }
    ).write_parquet(folder / "accounts_new.parquet")
    con, report = load(
        tmp_path,
        {
            "orders_2025.csv": "order_id,account_id,order_date,amount\nO1,K1,2025-05-01,100\nO2,K1,2025/6/1,200\n",
            "complaints.csv": "complaint_id,account_id,opened_at,first_response_at\nC1,K1,2026-06-01 09:00,\n",
        },
    )
    assert rows(con, "SELECT order_id, account_id, order_date, amount FROM orders ORDER BY 1") == [
        ("O1", "K1", date(2025, 5, 1), 100.0),
        ("O2", "K1", date(2025, 6, 1), 200.0),
        ("O3", "K2", date(2026, 3, 1), 300.0),
    ]
    assert rows(con, "SELECT complaint_id, opened_at, first_response_at FROM complaints ORDER BY 1") == [
        ("C1", datetime(2026, 6, 1, 9), None),
        ("C2", datetime(2026, 6, 2, 9), datetime(2026, 6, 2, 10, 15)),
    ]
    assert rows(con, "SELECT account_id, created_on FROM accounts ORDER BY 1") == [
        ("K1", date(2024, 1, 1)),
        ("K2", date(2024, 1, 1)),
        ("K3", date(2025, 5, 1)),
    ]
    assert (report.rows_read["orders"], report.rows_loaded["orders"]) == (4, 3)
    assert report.files == [
        "accounts.csv",
        "accounts_new.parquet",
        "complaints.csv",
        "complaints_2026.parquet",
        "managers.csv",
        "orders_2025.csv",
        "orders_2026.parquet",
    ]
    # A Parquet row is named by its row number (1 for the first row).
    assert rows(con, "SELECT file, line, row_key, column_name FROM load_rejects") == [
        ("orders_2026.parquet", 2, "O4", "account_id")
    ]
    assert "orders_2026.parquet row 2 [O4] account_id: 'K9' not found in accounts" in report.summary()


def test_a_file_of_no_table_is_ignored_and_reported(tmp_path):
    con, report = load(tmp_path, {"suppliers.csv": "supplier_id,name\nP1,张三\n"})
    assert report.ignored_files == ["suppliers.csv"]
    assert "suppliers.csv" not in report.files
    assert "ignored: suppliers.csv (no table of that name)" in report.summary()
    assert rows(con, "SELECT count(*) FROM accounts") == [(2,)]


def test_contacts_load_with_chinese_levels_and_roles_and_visits_carry_contact_ids(tmp_path):
    contacts = (
        "联系人编号,客户编号,姓名,职务,层级,角色,有效\n"
        "P1,K1,张总,总经理,高层,决策者,是\n"
        "P2,K1,李工,工程师,staff,user,\n"
        "P3,K9,王五,,,,\n"
        "P4,K2,赵六,,领导,,\n"
    )
    visits = "visit_id,account_id,manager_id,visit_date,channel,contact_ids\nV1,K1,M1,2026-06-30,phone,P1;P2\n"
    con, report = load(tmp_path, {"contacts.csv": contacts, "visits.csv": visits})
    assert report.rows_loaded["contacts"] == 2
    assert rows(con, "SELECT contact_id, account_id, name, title, level, role, active FROM contacts ORDER BY 1") == [
        ("P1", "K1", "张总", "总经理", "executive", "decision_maker", True),
        ("P2", "K1", "李工", "工程师", "staff", "user", True),
    ]
    reasons = rows(con, "SELECT row_key, column_name FROM load_rejects WHERE table_name = 'contacts' ORDER BY 1")
    assert reasons == [("P3", "account_id (客户编号)"), ("P4", "level (层级)")]
    assert rows(con, "SELECT contact_ids FROM visits WHERE visit_id = 'V1'") == [("P1;P2",)]


# --- loads that stop, leaving the database as it was ------------------------------------


@pytest.fixture
def loaded(tmp_path: Path):
    """A database holding one good load (with one rejected row) and one visit entered in the app."""
    con, _ = load(
        tmp_path / "first",
        {"orders.csv": "order_id,account_id,order_date,amount\nO1,K1,2026-01-05,100\nO2,K9,2026-01-05,1\n"},
    )
    con.execute(
        """
        INSERT INTO visits_app (visit_id, account_id, manager_id, visit_date, channel, created_at, updated_at)
        VALUES ('APP-1', 'K1', 'M1', DATE '2026-06-20', 'phone', now(), now())
        """
    )
    yield con
    con.close()


# Files replacing or joining the good exports (None: the file is left out), and the whole message.
BROKEN = {
    "missing required column": (
        {"accounts.csv": "account_id,name,region,tier,created_on\nK1,甲,华东,A,2024-01-01\n"},
        "accounts.csv: missing required column manager_id (or 客户经理编号 / 经理编号 / 负责人编号 / 客户经理 / 负责人)"
        " for table accounts",
    ),
    "missing required column, Chinese headers": (
        {"orders.csv": "订单编号,客户编号,订单日期\nO1,K1,2026/1/5\n".encode("gb18030")},
        "orders.csv: missing required column amount (or 金额 / 订单金额 / 销售额 / 含税金额) for table orders",
    ),
    "garbage file": (
        {"orders.csv": bytes(range(256)) * 8},
        "orders.csv: unknown encoding (expected UTF-8 or GBK/GB18030)",
    ),
    "garbage parquet": ({"surveys.parquet": b"PAR1 not really"}, "surveys.parquet: cannot be read as Parquet"),
    "empty required file": ({"managers.csv": ""}, "managers.csv: the file is empty"),
    "header-only required file": (
        {"managers.csv": "manager_id,name,region\n"},
        "managers.csv: no rows; managers is required",
    ),
    "required file of blank lines": (
        {"accounts.csv": "account_id,name,region,manager_id,tier,created_on\n\n,,,,,\n\n"},
        "accounts.csv: no rows; accounts is required",
    ),
    "no accounts file": (
        {"accounts.csv": None},
        "no accounts file (accounts.csv or accounts.parquet) among the exports",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_load_that_cannot_be_read_changes_nothing(loaded, tmp_path, case):
    files, message = BROKEN[case]
    before = snapshot(loaded)
    assert len(before["load_history"]) == 1 and len(before["orders"]) == 1 and len(before["visits_app"]) == 1
    exports = {"managers.csv": MANAGERS, "accounts.csv": ACCOUNTS} | files
    folder = write(tmp_path / "broken", {name: text for name, text in exports.items() if text is not None})
    with pytest.raises(loader.LoadError) as error:
        loader.load_folder(loaded, folder, today=TODAY)
    if case == "garbage parquet":
        assert str(error.value).startswith(message)
    else:
        assert str(error.value) == message
    assert snapshot(loaded) == before


def test_a_load_failing_while_it_writes_changes_nothing(loaded, tmp_path, monkeypatch):
    before = snapshot(loaded)
    replace = loader._replace

    def fail_at_orders(con, table, frame):
        if table.name == "orders":
            raise duckdb.IOException("disk full")
        replace(con, table, frame)

    monkeypatch.setattr(loader, "_replace", fail_at_orders)
    folder = write(
        tmp_path / "next",
        {
            "managers.csv": "manager_id,name,region\nM7,赵六,华北\n",
            "accounts.csv": "account_id,name,region,manager_id,tier,created_on\nK7,庚公司,华北,M7,A,2025-01-01\n",
        },
    )
    with pytest.raises(duckdb.IOException, match="disk full"):
        loader.load_folder(loaded, folder, today=TODAY, force=True)
    assert snapshot(loaded) == before


# --- loading again -------------------------------------------------------------------------


def test_loading_the_same_exports_twice_gives_the_same_database(tmp_path):
    folder = write(
        tmp_path / "exports",
        PORTFOLIO | {"orders_late.csv": "order_id,account_id,order_date,amount\nO1,K1,2026-01-05,1\n"},
    )
    con = db.connect(tmp_path / "kam.duckdb")
    first = loader.load_folder(con, folder, today=LOADED_ON)
    once = snapshot(con)
    second = loader.load_folder(con, folder, today=LOADED_ON)
    twice = snapshot(con)

    for table in EXPORT_TABLES:
        assert twice[table.table] == once[table.table], table.name
        assert len(once[table.table]) == first.rows_loaded[table.name] > 0
    assert (second.rows_read, second.rows_loaded) == (first.rows_read, first.rows_loaded)
    assert rows(con, "SELECT load_id, rows_read, rows_loaded, rows_rejected FROM load_history ORDER BY 1") == [
        (1, 52, 51, 1),
        (2, 52, 51, 1),
    ]
    # The one duplicate order, reported by each load.
    assert rows(con, "SELECT load_id, file, line, row_key, column_name FROM load_rejects ORDER BY 1") == [
        (1, "orders_late.csv", 2, "O1", "order_id"),
        (2, "orders_late.csv", 2, "O1", "order_id"),
    ]


def test_app_visits_survive_a_reload_and_an_exported_one_counts_once(tmp_path):
    folder = write(tmp_path / "exports", PORTFOLIO)
    con = db.connect(tmp_path / "kam.duckdb")
    loader.load_folder(con, folder, today=LOADED_ON)
    con.execute(
        """
        INSERT INTO visits_app (visit_id, account_id, manager_id, visit_date, channel, executive,
                                created_by, created_at, updated_at)
        VALUES ('APP-1', 'K3', 'M2', DATE '2026-06-20', 'video', true, 'li.na', now(), now()),
               ('APP-2', 'K2', 'M1', DATE '2026-06-21', 'phone', false, 'wang.wei', now(), now())
        """
    )
    app = rows(con, "SELECT * FROM visits_app ORDER BY 1")
    visits = "SELECT visit_id, visit_date, channel, source FROM visits WHERE visit_id LIKE 'APP-%' ORDER BY 1"
    assert rows(con, visits) == [
        ("APP-1", date(2026, 6, 20), "video", "app"),
        ("APP-2", date(2026, 6, 21), "phone", "app"),
    ]

    loader.load_folder(con, folder, today=LOADED_ON)
    assert rows(con, "SELECT * FROM visits_app ORDER BY 1") == app
    assert rows(con, "SELECT count(*) FROM visits") == [(9,)]

    # The next export carries APP-2 (as the CRM recorded it): counted once, as imported.
    write(folder, {"visits.csv": PORTFOLIO["visits.csv"] + "APP-2,K2,M1,2026-06-21,电话,,\n"})
    loader.load_folder(con, folder, today=LOADED_ON)
    assert rows(con, "SELECT * FROM visits_app ORDER BY 1") == app
    assert rows(con, visits) == [
        ("APP-1", date(2026, 6, 20), "video", "app"),
        ("APP-2", date(2026, 6, 21), "phone", "import"),
    ]
    assert rows(con, "SELECT count(*) FROM visits") == [(9,)]
    assert rows(con, "SELECT count(*) FROM visits WHERE visit_id = 'APP-2'") == [(1,)]


# --- the command line ---------------------------------------------------------------------


def kam(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kam", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_a_first_load_from_the_command_line_is_followed_by_the_kpis(tmp_path):
    """README's two lines on a new deployment: load, then the snapshot (it said to load first)."""
    folder = write(tmp_path / "exports", {"managers.csv": MANAGERS, "accounts.csv": ACCOUNTS})
    path = tmp_path / "kam.duckdb"
    assert kam("load", str(folder), "--db", str(path)).returncode == 0
    done = kam("kpis", "--db", str(path), "--as-of", "2026-06-30")
    assert done.returncode == 0, done.stderr
    # K1 (A) and K2 (B), both created 2024-01-01, no tier changes.
    assert json.loads(done.stdout)["active_accounts"] == {"A": 1, "B": 1, "C": 0, "total": 2}


def test_cli_load_prints_the_report(tmp_path, capsys):
    folder = write(
        tmp_path / "exports", {"managers.csv": MANAGERS, "accounts.csv": ACCOUNTS + "K3,丙,华南,M5,A,2024-01-01\n"}
    )
    path = tmp_path / "kam.duckdb"
    done = command_here(capsys, "load", str(folder), "--db", str(path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:4] == [
        "Load 1: 2 files.",
        "  managers               2 loaded of 2 read",
        "  accounts               2 loaded of 3 read, 1 rejected",
        "  tier_changes           0 loaded of 0 read",
    ]
    assert lines[-3:-1] == [
        "Rejected rows (1):",
        "  accounts.csv line 4 [K3] manager_id: 'M5' not found in managers",
    ]
    assert lines[-1].startswith(f"into {path} in ")
    with db.connect(path, read_only=True) as con:
        assert rows(con, "SELECT account_id FROM accounts ORDER BY 1") == [("K1",), ("K2",)]
        assert rows(con, "SELECT load_id, rows_rejected, loaded_by FROM load_history") == [(1, 1, "command line")]


def test_cli_load_of_a_broken_folder_fails_on_stderr_and_changes_nothing(tmp_path, capsys):
    path = tmp_path / "kam.duckdb"
    good = write(tmp_path / "good", {"managers.csv": MANAGERS, "accounts.csv": ACCOUNTS})
    assert main(["load", str(good), "--db", str(path)]) == 0
    capsys.readouterr()

    broken = write(tmp_path / "broken", {"managers.csv": MANAGERS, "accounts.csv": "account_id,name\nK1,甲\n"})
    assert main(["load", str(broken), "--db", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: accounts.csv: missing required column region")
    with db.connect(path, read_only=True) as con:
        assert rows(con, "SELECT account_id FROM accounts ORDER BY 1") == [("K1",), ("K2",)]
        assert rows(con, "SELECT load_id FROM load_history") == [(1,)]

    done = command_here(capsys, "load", str(tmp_path / "nowhere"), "--db", str(path))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"error: {tmp_path / 'nowhere'}: no such folder\n"
