"""The admin page's load history lists a refused load beside the landed ones, in the reader's language.

The portfolio deployment (its first load: the bundled portfolio, load 1), then an upload by admin of every
portfolio file but accounts.csv, refused.
"""

from __future__ import annotations

import json

import pytest

from kam import config, i18n
from kam.ingest import loader, uploads
from kam.ingest.bootstrap import open_database
from kam.people.users import User
from kam.ui.language import CHOSEN
from tests.apptest import ADMIN, app
from tests.portfolio import EXPORTS

ROOT_ADMIN = User("admin", "Administrator", "admin")


class Upload:
    """An uploaded file, as st.file_uploader hands it over."""

    def __init__(self, name: str, text: str) -> None:
        self.name, self.data, self.size = name, text.encode(), len(text.encode())

    def getvalue(self) -> bytes:
        return self.data


@pytest.mark.parametrize(
    ("language", "outcomes", "source", "why"),
    [
        (
            "zh-CN",
            ["已拒绝", "已导入"],
            "上传的文件",
            "导出文件中没有 accounts 文件（accounts.csv 或 accounts.parquet）",
        ),
        (
            "en",
            ["Refused", "Loaded"],
            "Uploaded files",
            "no accounts file (accounts.csv or accounts.parquet) among the exports",
        ),
    ],
)
def test_a_refused_upload_is_in_the_load_history(portfolio, language, outcomes, source, why):
    files = [Upload(name, text) for name, text in EXPORTS.items() if name != "accounts.csv"]
    with open_database(portfolio, config.settings().demo_dir) as con, pytest.raises(loader.LoadError):
        uploads.load_uploads(con, files, ROOT_ADMIN)
    at = app("admin", user=ADMIN)
    at.session_state[CHOSEN] = language
    at = at.run()
    assert not at.exception
    history = next(t.value for t in at.dataframe if "outcome" in t.value.columns)
    assert history["outcome"].to_list() == outcomes
    assert history["load_id"].isna().to_list() == [True, False]
    assert history["load_id"].to_list()[1] == 1
    assert history["source"].to_list()[0] == source
    assert history["loaded_by"].to_list()[0] == "admin"
    assert history["reason"].to_list()[0] == why
    log = next(t.value for t in at.dataframe if "changed" in t.value.columns)
    failed = log[log["changed"].str.contains(why, regex=False)]
    assert failed["target"].to_list() == [source]


def test_a_chosen_load_and_a_chosen_event_read_whole_under_their_tables(portfolio):
    # admin's upload of every portfolio file but accounts.csv, refused: the newest load, and the log's newest event.
    files = [Upload(name, text) for name, text in EXPORTS.items() if name != "accounts.csv"]
    with open_database(portfolio, config.settings().demo_dir) as con, pytest.raises(loader.LoadError):
        uploads.load_uploads(con, files, ROOT_ADMIN)
    at = app("admin", user=ADMIN)
    at.session_state[CHOSEN] = "zh-CN"
    at = at.run()
    assert not at.exception
    history = next(t for t in at.dataframe if "outcome" in t.value.columns)
    # At 1366 px: when, how it went, its rows and who, then why it was refused; where from, the files and the rows
    # read in the CSV and the chosen load.
    config_ = json.loads(history.proto.columns)
    assert [(config_[name]["label"], config_[name].get("width")) for name in history.proto.column_order] == [
        ("导入编号", 75),
        ("导入时间", 125),
        ("结果", 75),
        ("导入行数", 95),
        ("被拒行数", 100),
        ("导入人", 120),
        ("拒绝原因", 305),
    ]
    assert not at.text
    when = f"{history.value['loaded_at'][0]:%Y-%m-%d %H:%M}"
    # A click on the refused load's outcome: the load reads whole under the table, why it was refused whole.
    at.session_state["table-load-history"] = {"selection": {"rows": [], "columns": [], "cells": [[0, "outcome"]]}}
    with i18n.speaking("zh-CN"):  # the page's pickers read in the screen's language
        at.run()
    assert not at.exception
    assert [line.value for line in at.text] == [
        "导入编号：–",
        f"导入时间：{when}",
        "结果：已拒绝",
        "导入行数：–",
        "被拒行数：–",
        "导入人：admin",
        "拒绝原因：导出文件中没有 accounts 文件（accounts.csv 或 accounts.parquet）",
        "来源：上传的文件",
        "文件：–",
        "读取行数：–",
    ]
    # A click on the audit log's newest event, the refused load: what it changed whole, the stored records (JSON) in
    # the CSV only.
    log = next(t for t in at.dataframe if "changed" in t.value.columns)
    event = log.value["event_id"][0]
    at.session_state["table-load-history"] = {"selection": {"rows": [], "columns": [], "cells": []}}
    at.session_state["table-audit-log"] = {"selection": {"rows": [], "columns": [], "cells": [[0, "changed"]]}}
    with i18n.speaking("zh-CN"):
        at.run()
    assert not at.exception
    assert [line.value for line in at.text] == [
        f"事件编号：{event}",
        f"时间：{when}",
        "用户名：admin",
        "操作：导入失败",
        "对象：上传的文件",
        "变更：错误：导出文件中没有 accounts 文件（accounts.csv 或 accounts.parquet）",
    ]
