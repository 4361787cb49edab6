"""A refused load reads in the reader's language in the audit log; what is stored stays English.

Fixture: a first load of one manager and three accounts (K1–K3); then, uploaded by admin, three loads that fail:
no accounts file, an accounts file without its manager column, and one keeping only K1 (3 accounts now, 1 after:
67% fewer, over the 50% allowed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kam import i18n
from kam.ingest import bootstrap, loader
from kam.present import changes
from kam.store import audit, db

MANAGERS = "manager_id,name,region\nM1,王伟,华东\n"
ACCOUNT = "K{n},甲{n},华东,M1,A,2024-01-01\n"
HEADER = "account_id,name,region,manager_id,tier,created_on\n"
THREE = HEADER + "".join(ACCOUNT.format(n=n) for n in (1, 2, 3))
ONE = HEADER + ACCOUNT.format(n=1)
ALIASES = "客户经理编号 / 经理编号 / 负责人编号 / 客户经理 / 负责人"
NO_MANAGER = "account_id,name,region,tier,created_on\nK1,甲1,华东,A,2024-01-01\n"


def files(**texts: str) -> list[loader.ExportFile]:
    return [loader.ExportFile(name.replace("_", "."), text.encode()) for name, text in texts.items()]


@pytest.fixture
def refused(tmp_path: Path):
    folder = tmp_path / "first"
    folder.mkdir()
    (folder / "managers.csv").write_text(MANAGERS, encoding="utf-8")
    (folder / "accounts.csv").write_text(THREE, encoding="utf-8")
    con = db.connect(tmp_path / "kam.duckdb")
    loader.load_folder(con, folder)
    for attempt in (
        files(managers_csv=MANAGERS),
        files(managers_csv=MANAGERS, accounts_csv=NO_MANAGER),
        files(managers_csv=MANAGERS, accounts_csv=ONE),
    ):
        with pytest.raises(loader.LoadError):
            bootstrap.load_exports(con, attempt, source="upload", by="admin")
    yield con
    con.close()


def test_the_audit_log_keeps_each_refusal_in_english(refused):
    rows = refused.execute("SELECT after FROM audit_log WHERE action = 'load.failed' ORDER BY event_id").fetchall()
    assert [json.loads(after)["error"] for (after,) in rows] == [
        "no accounts file (accounts.csv or accounts.parquet) among the exports",
        f"accounts.csv: missing required column manager_id (or {ALIASES}) for table accounts",
        "the load would lose more than 50% of the rows of accounts: 3 rows now, 1 after the load (67% fewer)",
    ]


@pytest.mark.parametrize(
    ("language", "target", "reasons"),
    [
        (
            "zh-CN",
            "上传的文件",
            [
                "错误：本次导入将使以下数据表减少超过 50% 的行：accounts：当前 3 行，导入后 1 行（减少 67%）",
                f"错误：accounts.csv：缺少数据表 accounts 的必需列 manager_id（或 {ALIASES}）",
                "错误：导出文件中没有 accounts 文件（accounts.csv 或 accounts.parquet）",
            ],
        ),
        (
            "en",
            "Uploaded files",
            [
                "Error: the load would lose more than 50% of the rows of accounts: 3 rows now, 1 after the load "
                "(67% fewer)",
                f"Error: accounts.csv: missing required column manager_id (or {ALIASES}) for table accounts",
                "Error: no accounts file (accounts.csv or accounts.parquet) among the exports",
            ],
        ),
    ],
)
def test_a_refused_load_reads_in_the_readers_language(refused, language, target, reasons):
    with i18n.speaking(language):
        log = changes.audit_log(audit.events(refused, action="load.failed"))
    assert log["changed"].to_list() == reasons
    assert log["target"].to_list() == [target] * 3


def test_an_older_refusal_stored_as_english_reads_as_it_is():
    with i18n.speaking("zh-CN"):
        assert changes.change(None, json.dumps({"error": "made up"}), "load.failed") == "错误：made up"


@pytest.mark.parametrize(
    ("language", "outcomes", "why"),
    [
        ("zh-CN", ["已拒绝"] * 3 + ["已导入"], "导出文件中没有 accounts 文件（accounts.csv 或 accounts.parquet）"),
        ("en", ["Refused"] * 3 + ["Loaded"], "no accounts file (accounts.csv or accounts.parquet) among the exports"),
    ],
)
def test_the_load_history_lists_refused_loads_without_a_load_id(refused, tmp_path, language, outcomes, why):
    with i18n.speaking(language):
        history = loader.history_shown(refused)
    assert history["load_id"].to_list() == [None, None, None, 1]
    assert history["outcome"].to_list() == outcomes
    assert history["source"].to_list() == ["upload"] * 3 + [str(tmp_path / "first")]
    assert history["loaded_by"].to_list() == ["admin"] * 3 + [None]
    assert history["rows_loaded"].to_list() == [None, None, None, 4]
    assert history["reason"].to_list()[2:] == [why, None]
    # The landed loads alone, as the rejected rows' choice of load reads them.
    assert loader.history(refused)["load_id"].to_list() == [1]


# Every account of the file rejected: K1's tier is none, K2 has no name.
UNUSABLE = HEADER + "K1,甲1,华东,M1,Z,2024-01-01\nK2,,华东,M1,A,2024-01-01\n"
EMPTY = {
    "en": "a required table would be empty; accounts: none of its 2 rows is usable"
    "\n  accounts.csv line 2 [K1] tier: 'Z' is not a tier (A, B or C)"
    "\n  accounts.csv line 3 [K2] name: missing value",
    "zh-CN": "必需的数据表将为空：accounts：全部 2 行均不可用"
    "\n  accounts.csv 第 2 行 [K1] tier：“Z”不是客户等级（A、B 或 C）"
    "\n  accounts.csv 第 3 行 [K2] name：缺少值",
}

ERROR = {"en": "Error: ", "zh-CN": "错误："}


def test_an_empty_required_table_reads_wholly_in_the_readers_language(refused):
    with pytest.raises(loader.LoadRefused) as failed:
        bootstrap.load_exports(refused, files(managers_csv=MANAGERS, accounts_csv=UNUSABLE), "upload", by="admin")
    # The English kept, as before; the page, the audit log and the load history in the reader's language.
    assert str(failed.value) == EMPTY["en"]
    for language, said in EMPTY.items():
        with i18n.speaking(language):
            assert failed.value.shown() == said
            log = changes.audit_log(audit.events(refused, action="load.failed"))
            assert log["changed"][0] == ERROR[language] + said
            assert loader.history_shown(refused)["reason"][0] == said
