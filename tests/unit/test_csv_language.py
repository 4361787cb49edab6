"""CSV downloads carry the headers of the language in use, as UTF-8 with a BOM; machine exports keep theirs."""

from __future__ import annotations

import polars as pl
import pytest

from kam import i18n
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
