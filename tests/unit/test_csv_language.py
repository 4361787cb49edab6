"""CSV downloads carry the headers of the language in use, as UTF-8 with a BOM; machine exports keep theirs."""

from __future__ import annotations

import polars as pl
import pytest

from kam import i18n
from kam.present.columns import readable
from kam.present.downloads import csv_bytes, table_csv

BOM = b"\xef\xbb\xbf"
FRAME = pl.DataFrame(
    {
        "account_id": ["K1"],
        "name": ["甲公司"],
        "revenue": [1234.5],
        "coverage": [0.5],
        "age_hours": [13.0],
        "sla_status": ["breached"],
    }
)


@pytest.fixture
def chinese():
    token = i18n.use_language("zh-CN")
    yield
    i18n._language.reset(token)


def test_table_csv_in_chinese(chinese):
    data = table_csv(FRAME)
    assert data.startswith(BOM)
    lines = data[len(BOM) :].decode("utf-8").splitlines()
    assert lines == ["客户,销售额,覆盖率（%）,已受理时长（小时）,首次响应时限", "甲公司 (K1),1234.5,50.0,13.0,超时"]


def test_table_csv_in_english():
    lines = table_csv(FRAME)[len(BOM) :].decode("utf-8").splitlines()
    assert lines == [
        "Account,Revenue,Coverage (%),Open for (hours),First-reply SLA",
        "甲公司 (K1),1234.5,50.0,13.0,breached",
    ]


def test_a_machine_export_keeps_its_headers(chinese):
    data = csv_bytes(pl.DataFrame({"account_id": ["K1"], "visit_date": ["2026-06-01"]}))
    assert data[len(BOM) :].decode("utf-8").splitlines()[0] == "account_id,visit_date"


CODED = pl.DataFrame(
    {
        "account_id": ["K1", "K2"],
        "name": ["甲公司", "乙公司"],
        "change": ["upgrade", "downgrade"],
        "source": ["import", "app"],
        "executive": [True, False],
        "open": [None, True],
    },
    schema_overrides={"open": pl.Boolean},
)


def test_codes_and_flags_read_as_words_in_chinese(chinese):
    lines = table_csv(CODED)[len(BOM) :].decode("utf-8").splitlines()
    assert lines == [
        "客户,变更,录入来源,高层拜访,未结",
        "甲公司 (K1),升级,导入数据,是,",
        "乙公司 (K2),降级,本系统,否,是",
    ]


def test_codes_and_flags_read_as_words_in_english():
    lines = table_csv(CODED)[len(BOM) :].decode("utf-8").splitlines()
    assert lines == [
        "Account,Change,Entered in,Senior management,Open",
        "甲公司 (K1),upgrade,Loaded exports,Yes,",
        "乙公司 (K2),downgrade,This dashboard,No,Yes",
    ]


def test_the_screen_shows_the_same_words_as_the_download(chinese):
    shown = readable(CODED)
    assert shown["change"].to_list() == ["升级", "降级"]
    assert shown["source"].to_list() == ["导入数据", "本系统"]


def test_a_plans_status_and_a_loads_upload_read_as_words(chinese):
    shown = readable(pl.DataFrame({"status": ["draft", "agreed"], "source": ["upload", "/data/import"]}))
    assert shown.to_dicts() == [
        {"status": "草稿", "source": "上传的文件"},
        {"status": "已批准", "source": "/data/import"},
    ]


def test_a_plan_actions_status_reads_as_a_word_on_screen_and_in_its_download(chinese):
    actions = pl.DataFrame({"status": ["open", "done", "dropped"]})
    assert readable(actions)["status"].to_list() == ["未完成", "已完成", "已放弃"]
    assert table_csv(actions)[len(BOM) :].decode("utf-8").splitlines() == ["状态", "未完成", "已完成", "已放弃"]
