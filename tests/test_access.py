"""A manager sees only their own accounts, everywhere; a crafted link shows nothing of another's; safe downloads."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from kam import config, db
from kam.downloads import csv_bytes
from kam.metrics import managers, revenue, visits
from kam.metrics.scope import Scope
from kam.snapshot import headline_figures
from kam.users import User
from tests.apptest import start
from tests.portfolio import EXPORTS

# 王伟 (M1) manages K1, K2 and K6; 李娜 (M2) manages K3, K4 and K5.
WANG = User("wangwei", "王伟", "manager", "M1")
OTHERS = ["K3", "K4", "K5", "丙公司", "丁公司", "戊公司", "李娜", "M2"]
DASHBOARD = ["overview", "tiers", "visits", "complaints", "satisfaction", "managers", "account"]
JUNE_END = Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 12, 31))
WANGS_SCOPE = Scope(
    as_of=date(2026, 6, 30),
    start=date(2026, 1, 1),
    end=date(2026, 12, 31),
    allowed_accounts=frozenset({"K1", "K2", "K6"}),
)


@pytest.fixture
def portfolio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    demo = tmp_path / "demo"
    demo.mkdir()
    for name, text in EXPORTS.items():
        (demo / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("KAM_DB_PATH", str(tmp_path / "kam.duckdb"))
    monkeypatch.setenv("KAM_DEMO_DIR", str(demo))
    config.settings.cache_clear()
    yield tmp_path / "kam.duckdb"
    config.settings.cache_clear()


def everything(at: AppTest) -> str:
    """Every text of the page: each element as Streamlit sends it, and every table's cells."""
    texts = [
        text_format.MessageToString(node.proto, as_utf8=True)
        for node in at._tree
        if getattr(node, "proto", None) is not None
    ]
    texts += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(texts)


@pytest.mark.parametrize("page", DASHBOARD)
def test_a_manager_sees_nothing_of_another_managers_accounts(portfolio, page):
    at = start(page, user=WANG, as_of="2026-06-30")
    assert not at.exception
    shown = everything(at)
    assert at.dataframe or at.metric  # the page shows their own figures
    for other in OTHERS:
        assert other not in shown, f"{other} shown on {page}"


def test_a_managers_company_totals_are_their_own(portfolio):
    at = start("overview", user=WANG, as_of="2026-06-30")
    cards = {m.label: m.value for m in at.metric}
    with db.connect(portfolio) as con:
        own = headline_figures(con, WANGS_SCOPE)
    # K1 and K2 are active at D; K6 is created later. Revenue this year: K1 3,000, K2 1,000.
    assert cards["Active accounts"] == str(own["active_accounts"]["total"]) == "2"
    assert cards["Revenue"] == "¥4,000" and own["revenue"]["period"] == 4000
    assert cards["Visit coverage"] == "100.0%"
    # The filters offer only themselves, and the regions of their accounts.
    assert at.sidebar.multiselect(key="manager").options == ["王伟 (M1)"]
    assert at.sidebar.multiselect(key="region").options == ["华东"]


def test_the_scorecard_and_targets_of_a_restricted_scope_are_the_managers_own(portfolio):
    start("overview", user=WANG)  # builds the database
    with db.connect(portfolio) as con:
        assert managers.scorecard(con, WANGS_SCOPE)["manager_id"].to_list() == ["M1"]
        # M1's target of 36,500 a year, pro-rated to the 181 days to D: 18,100.
        assert revenue.revenue_summary(con, WANGS_SCOPE)["target"].to_list() == [pytest.approx(18100)]
        assert revenue.revenue_summary(con, JUNE_END)["target"].to_list() == [pytest.approx(18100 + 36200)]
        assert set(visits.visit_status(con, WANGS_SCOPE)["account_id"]) == {"K1", "K2"}


def test_a_crafted_link_shows_nothing_of_another_manager(portfolio):
    at = start("overview", user=WANG, as_of="2026-06-30", manager="李娜 (M2)", region="华南")
    assert not at.exception
    assert at.sidebar.multiselect(key="manager").value == []
    assert at.sidebar.multiselect(key="region").value == []
    assert {m.label: m.value for m in at.metric}["Active accounts"] == "2"
    at = start("account", user=WANG, as_of="2026-06-30", account="K5")
    assert not at.exception
    assert not at.main.selectbox
    assert any("No account matches “K5”" in info.value for info in at.info)
    for other in ("戊公司", "李娜", "M2", "K3", "K4"):
        assert other not in everything(at)


def test_a_manager_cannot_open_the_admin_page(portfolio):
    at = start("admin", user=WANG)
    assert not at.exception
    assert [t.value for t in at.title] != ["Admin"]
    assert not any("Load history" in h.value for h in at.subheader)


def test_downloads_neutralise_formulas_in_text_columns_only():
    frame = pl.DataFrame(
        {
            "name": ['=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "甲公司"],
            "amount": [-5.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "amount"]
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("http://evil.example","click")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "甲公司",
    ]
    # Numbers are left alone, negative ones included.
    assert rows[1][1] == "-5.0"
