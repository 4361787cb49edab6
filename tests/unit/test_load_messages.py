"""The load's messages: stored in English, said in the run's language (reject reasons, refusals, the report)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from kam import i18n
from kam.ingest import loader
from kam.store.schema import SHARED_EMAIL
from kam.visits import rules


@pytest.fixture
def chinese() -> Iterator[None]:
    token = i18n.use_language("zh-CN")
    yield
    i18n._language.reset(token)


@pytest.mark.parametrize(
    ("stored", "zh"),
    [
        ("'K9' not found in accounts", "在 accounts 中找不到“K9”"),
        ("'2026-13-01' is not a date (YYYY-MM-DD or YYYY/M/D)", "“2026-13-01”不是日期（应为 YYYY-MM-DD 或 YYYY/M/D）"),
        ("'x' is not one of low, medium, high", "“x”不在可选值之列：low, medium, high"),
        (
            "'y' is not one of creditors, dumping (or their Chinese names)",
            "“y”不在可选值之列：creditors, dumping（或其中文名称）",
        ),
        ("-5.0 is negative", "-5.0 为负数"),
        ("missing value", "缺少值"),
        ("something a newer loader said", "something a newer loader said"),
    ],
)
def test_a_stored_reason_is_said_in_chinese(chinese, stored, zh):
    assert loader.reason_shown(stored) == zh


def test_a_stored_reason_reads_as_stored_in_english():
    assert loader.reason_shown("'K9' not found in accounts") == "'K9' not found in accounts"


def test_the_shared_email_reason_ends_as_the_store_finds_it():
    assert loader.SHARED == "'{value}' " + SHARED_EMAIL


def test_a_load_error_keeps_its_english_and_says_it_in_chinese(chinese):
    error = loader.LoadError(loader.N_("{file}: the file is empty"), file="orders.csv")
    assert str(error) == "orders.csv: the file is empty"
    assert error.shown() == "orders.csv：文件为空"


def test_the_check_of_a_bad_cell_stores_the_english_reason():
    files = [
        loader.ExportFile("managers.csv", "manager_id,name,region\nM1,王伟,华东\n".encode()),
        loader.ExportFile(
            "accounts.csv",
            "account_id,name,region,manager_id,tier,created_on\nK1,甲,华东,M1,A,2024-01-01\nK2,乙,华东,M9,Q,2024-01-01\n".encode(),
        ),
    ]
    _, rejects, _, _ = loader.prepare(files, date(2026, 8, 1))
    assert sorted(rejects.select("column_name", "reason").rows()) == [
        ("manager_id", "'M9' not found in managers"),
        ("tier", "'Q' is not a tier (A, B or C)"),
    ]


def test_visit_checks_speak_chinese_and_keep_the_codes(chinese):
    assert rules.channel_label("in_person") == "面访"
    assert rules.purpose_label("usage") == "2 电话回访使用情况"
    assert rules.purpose_label("other") == "其他（请说明）"
    assert rules.PURPOSES["usage"].stored == "2 电话回访使用情况"
    assert list(rules.CHANNEL_LABELS) == ["in_person", "phone", "video", "email", "mail"]
