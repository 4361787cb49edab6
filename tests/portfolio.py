"""Every metric of docs/DOMAIN.md on one small portfolio, each figure worked out by hand below.

D = 2026-06-30. Accounts and what matters about them at D:

    K1  M1 华东  A (B→A 2025-03-01)            active; visits 04-20, 06-10 (07-05 after D)
    K2  M1 华东  C at D (C→B only on 2026-08-01) active; one visit 01-15 with next_date 02-15
    K3  M2 华南  C, created 2026-05-01          active; never visited
    K4  M2 华南  A, churned 2026-05-15 (price)  not active
    K5  M2 华南  B at D (B→A 2025-01-01, A→B 2026-06-01), churns 2026-09-01: active at D
    K6  M1 华东  C, created 2026-07-15          not active (created after D)
    M3  华东 has no accounts and no target.

Contacts: K1 has an executive (P1) and a staff contact (P2); K5 a manager-level one (P5).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from kam.ingest import loader
from kam.store import db, exports
from tests.copies import copy_of

D = date(2026, 6, 30)

EXPORTS = {
    "managers.csv": """manager_id,name,region,email
M1,王伟,华东,m1@example.com
M2,李娜,华南,m2@example.com
M3,张敏,华东,m3@example.com
""",
    "accounts.csv": """account_id,name,region,manager_id,tier,created_on,churned_on,churn_reason
K1,甲公司,华东,M1,A,2024-01-01,,
K2,乙公司,华东,M1,B,2024-01-01,,
K3,丙公司,华南,M2,C,2026-05-01,,
K4,丁公司,华南,M2,A,2024-01-01,2026-05-15,price
K5,戊公司,华南,M2,B,2024-01-01,2026-09-01,service
K6,己公司,华东,M1,C,2026-07-15,,
""",
    "tier_changes.csv": """account_id,changed_on,from_tier,to_tier,reason
K1,2025-03-01,B,A,采购额增长
K2,2026-08-01,C,B,新项目
K5,2025-01-01,B,A,年度评审
K5,2026-06-01,A,B,采购下降
""",
    "orders.csv": """order_id,account_id,order_date,amount
O1,K1,2025-06-30,1000
O2,K1,2025-07-01,5000
O3,K1,2026-05-10,3000
O4,K1,2026-07-01,9999
O5,K2,2026-02-01,1000
O6,K2,2025-03-01,1500
O7,K4,2026-04-01,500
O8,K5,2025-12-01,600
O9,K5,2026-06-30,400
O10,K6,2026-07-20,100
""",
    "visits.csv": """visit_id,account_id,manager_id,visit_date,channel,next_step,next_date
V1,K1,M1,2026-04-20,phone,,
V2,K1,M1,2026-06-10,in_person,,
V3,K1,M1,2026-07-05,phone,,
V4,K2,M1,2026-01-15,phone,send quote,2026-02-15
V5,K5,M2,2026-01-10,email,,
V6,K5,M2,2026-03-20,video,,
V7,K4,M2,2026-05-01,in_person,,
""",
    "complaints.csv": """complaint_id,account_id,opened_at,first_response_at,resolved_at,category,severity
C1,K1,2026-06-01 09:00,2026-06-02 09:00,2026-06-03 09:00,质量,high
C2,K1,2026-06-10 10:00,2026-06-11 12:00,,服务,medium
C3,K2,2026-06-29 08:00,,,交货,low
C4,K3,2026-06-30 12:00,2026-07-01 08:00,,质量,
C5,K5,2026-06-20 09:00,2026-06-20 11:00,2026-06-21 09:00,价格,low
C6,K5,2026-03-01 09:00,2026-03-01 10:00,2026-03-02 09:00,服务,medium
C7,K1,2026-07-02 09:00,,,质量,high
""",
    "surveys.csv": """survey_id,account_id,surveyed_on,score,nps,comment
S1,K1,2025-11-15,5,9,
S2,K1,2026-05-20,4,10,交货及时
S3,K2,2025-11-10,4,7,
S4,K2,2026-05-25,2,3,响应慢
S5,K3,2026-06-05,3,,
S6,K5,2025-11-20,5,,
S7,K5,2026-06-10,4,8,
S8,K4,2026-04-10,1,9,
S9,K1,2026-07-10,1,0,
""",
    "contacts.csv": """contact_id,account_id,name,title,level,role
P1,K1,陈总,总经理,executive,decision_maker
P2,K1,刘工,采购工程师,staff,influencer
P5,K5,周经理,采购经理,manager,decision_maker
""",
    "targets.csv": """manager_id,year,revenue_target
M1,2026,36500
M2,2026,73000
""",
}

LOADED_ON = date(2026, 11, 22)


Change = tuple[str, str] | list[tuple[str, str]]


def write_exports(folder: Path, **changed: Change) -> None:
    """Write the exports into folder; changed: file stem -> (old, new) or a list of them, texts replaced first."""
    for name, text in EXPORTS.items():
        change = changed.get(name.removesuffix(".csv"))
        for old, new in [change] if isinstance(change, tuple) else change or []:
            assert old in text, (old, name)
            text = text.replace(old, new)
        (folder / name).write_text(text, encoding="utf-8")


def build(folder: Path, **changed: Change) -> Path:
    """Write the exports into folder, load them into folder/kam.duckdb and return its path (a copy of the portfolio
    loaded once per process with these changes).

    changed: as write_exports (the exports are read-only once loaded: a changed portfolio is built).
    """
    copy_of(f"portfolio {sorted(changed.items())!r}", folder, lambda built: _load(built, **changed))
    return folder / "kam.duckdb"


def _load(folder: Path, **changed: Change) -> None:
    write_exports(folder, **changed)
    with db.connect(folder / "kam.duckdb") as con:
        report = loader.load_folder(con, folder, today=LOADED_ON)
    assert report.rejects.is_empty(), report.summary()


def loaded_before(path: Path, summary: str) -> None:
    """Make the deployment at path one whose exports were loaded before the summary table existed: neither its
    exports file nor the app's database has it (the files are read-only to the app: changed as the older version
    left them)."""
    [file] = [f for f in exports.folder_for(path).glob("*.duckdb") if f.stem != "0"]
    with duckdb.connect(str(file)) as old:
        old.execute(f"DROP TABLE {summary}")
    with duckdb.connect(str(path)) as old:
        old.execute(f"DROP VIEW {summary}")


def reload(con: duckdb.DuckDBPyConnection, folder: Path, **changed: Change) -> None:
    """Load the portfolio again into con's deployment with these changes, as a new night's exports would."""
    write_exports(folder, **changed)
    report = loader.load_folder(con, folder, today=LOADED_ON)
    assert report.rejects.is_empty(), report.summary()


def with_column(name: str, column: str, values: dict[str, str], added: str = "") -> tuple[str, str]:
    """A change giving the export file `name` one more column: values by the row's first field; added rows last."""
    text = EXPORTS[name]
    header, *rows = text.splitlines()
    lines = [f"{header},{column}", *(f"{row},{values.get(row.split(',')[0], '')}" for row in rows)]
    return text, "\n".join(lines) + "\n" + added
