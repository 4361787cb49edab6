"""A row referring to a row its file had but the load rejected names that rejection, not a missing row.

Fixture: accounts.csv holds K1 (good) and K2 on line 3, whose created_on 23.12.2012 is no date; orders.csv
holds one order of each and one of K9, which no file has.
"""

from __future__ import annotations

from datetime import date

import pytest

from kam import i18n
from kam.ingest import loader

MANAGERS = "manager_id,name,region\nM1,王伟,华东\n"
ACCOUNTS = "account_id,name,region,manager_id,tier,created_on\nK1,甲,华东,M1,A,2024-01-01\nK2,乙,华东,M1,B,23.12.2012\n"
ORDERS = "order_id,account_id,order_date,amount\nO1,K1,2026-01-05,100\nO2,K2,2026-01-06,50\nO3,K9,2026-01-07,70\n"


def rejects() -> list[tuple]:
    files = [
        loader.ExportFile("managers.csv", MANAGERS.encode()),
        loader.ExportFile("accounts.csv", ACCOUNTS.encode()),
        loader.ExportFile("orders.csv", ORDERS.encode()),
    ]
    good, found, _read, _ignored = loader.prepare(files, date(2026, 6, 30))
    assert good["orders"]["order_id"].to_list() == ["O1"]
    return found.select("file", "line", "row_key", "column_name", "reason").rows()


def test_an_order_of_a_rejected_account_names_the_accounts_line():
    assert rejects() == [
        ("accounts.csv", 3, "K2", "created_on", "'23.12.2012' is not a date (YYYY-MM-DD or YYYY/M/D)"),
        ("orders.csv", 3, "O2", "account_id", "'K2' of accounts was rejected (accounts.csv line 3)"),
        ("orders.csv", 4, "O3", "account_id", "'K9' not found in accounts"),
    ]


@pytest.mark.parametrize(
    ("language", "rejected", "missing"),
    [
        ("zh-CN", "accounts 的“K2”已被拒绝（accounts.csv 第 3 行）", "在 accounts 中找不到“K9”"),
        ("en", "'K2' of accounts was rejected (accounts.csv line 3)", "'K9' not found in accounts"),
    ],
)
def test_both_reasons_read_in_the_readers_language(language, rejected, missing):
    stored = [row[4] for row in rejects()[1:]]
    with i18n.speaking(language):
        assert [loader.reason_shown(reason) for reason in stored] == [rejected, missing]
