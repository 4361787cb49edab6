"""A manager sees only their own accounts, everywhere; a crafted link shows nothing of another's; safe downloads."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl
import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from kam import config
from kam.metrics import managers, revenue, visits
from kam.metrics.scope import Scope
from kam.people.users import User
from kam.present.downloads import csv_bytes, table_csv
from kam.reports.brief import weekly_brief
from kam.reports.snapshot import headline_figures
from kam.store import db
from kam.ui import widgets
from tests.apptest import ROOT, VP, cards, start

# 王伟 (M1) manages K1, K2 and K6; 李娜 (M2) manages K3, K4 and K5.
WANG = User("wangwei", "王伟", "manager", "M1")
OTHERS = ["K3", "K4", "K5", "丙公司", "丁公司", "戊公司", "李娜", "M2"]
DASHBOARD = [
    "overview",
    "tiers",
    "visits",
    "complaints",
    "satisfaction",
    "managers",
    "risk",
    "retention",
    "credit",
    "account",
]
JUNE_END = Scope(as_of=date(2026, 6, 30), start=date(2026, 1, 1), end=date(2026, 12, 31))
WANGS_SCOPE = Scope(
    as_of=date(2026, 6, 30),
    start=date(2026, 1, 1),
    end=date(2026, 12, 31),
    allowed_accounts=frozenset({"K1", "K2", "K6"}),
)


def everything(at: AppTest) -> str:
    """Every text of the page: each element as Streamlit sends it, and every table's cells."""
    texts = [
        text_format.MessageToString(node.proto, as_utf8=True)
        for node in at._tree
        if getattr(node, "proto", None) is not None
    ]
    texts += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(texts)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every CSV download the pages offer, as the user would save it."""
    offered: list[str] = []

    def recording(frame: pl.DataFrame, overrides: Any = None) -> Callable[[], bytes]:
        def clicked() -> bytes:
            data = table_csv(frame, overrides)
            offered.append(data.decode("utf-8-sig"))
            return data

        # The file is made when its button is clicked (a test run never clicks): make it now.
        clicked()
        return clicked

    monkeypatch.setattr(widgets, "csv_on_click", recording)
    return offered


@pytest.mark.parametrize("page", DASHBOARD)
def test_a_manager_sees_nothing_of_another_managers_accounts(portfolio, downloads, page):
    at = start(page, user=WANG, as_of="2026-06-30")
    assert not at.exception
    shown = everything(at)
    assert at.dataframe or at.metric  # the page shows their own figures
    assert downloads  # and offers them for download
    for other in OTHERS:
        assert other not in shown, f"{other} shown on {page}"
        assert not any(other in offered for offered in downloads), f"{other} in a download of {page}"
    # The scope every query of the page took holds only their accounts.
    assert at.session_state["scope"].allowed_accounts == frozenset({"K1", "K2", "K6"})


@pytest.mark.parametrize("page", DASHBOARD)
def test_every_page_shows_a_manager_what_the_vp_sees_of_that_managers_accounts(portfolio, page):
    def shown(at: AppTest) -> tuple:
        assert not at.exception
        return (
            [frame.value.to_csv() for frame in at.main.dataframe],
            [(m.label, m.value, m.delta) for m in at.main.metric],
            [m.value for m in at.main.markdown],
        )

    own = shown(start(page, user=WANG, as_of="2026-06-30"))
    filtered = shown(start(page, user=VP, as_of="2026-06-30", manager="王伟 (M1)"))
    assert own == filtered
    assert own[0] or own[1]


def test_a_managers_tiers_and_scorecard_are_the_hand_worked_figures_of_their_accounts(portfolio):
    at = start("tiers", user=WANG, as_of="2026-06-30")
    # Active at D: K1 (A) and K2 (C). Orders 2025-07-01..2026-06-30: K1 5,000 + 3,000, K2 1,000.
    distribution = at.dataframe[0].value
    assert distribution[["tier", "accounts", "revenue_12m"]].values.tolist() == [
        ["A", 1, 8000.0],
        ["B", 0, 0.0],
        ["C", 1, 1000.0],
    ]
    at = start("managers", user=WANG, as_of="2026-06-30")
    card = at.dataframe[0].value
    assert card["manager_id"].tolist() == ["王伟 (M1)"]
    row = card.iloc[0]
    # Revenue 3,000 + 1,000 against 36,500 x 181/365 = 18,100; a year earlier 1,000 + 1,500.
    assert (row["revenue"], row["target"]) == (4000, pytest.approx(18100))
    assert row["attainment"] == pytest.approx(4000 / 18100)
    assert row["growth"] == pytest.approx(0.6)
    # Planned visits: K1 floor(181/30) = 6 with 2 made, K2 floor(181/180) = 1 with 1 made.
    assert row["visit_attainment"] == pytest.approx(3 / 7)


def test_the_weekly_brief_of_a_manager_holds_only_their_accounts(portfolio):
    at = start("overview", user=WANG, as_of="2026-06-30")
    with db.connect(portfolio) as con:
        brief = weekly_brief(con, at.session_state["scope"])
    # Leave out the charts' PNG data, whose base64 text can hold a run like "K3" by chance.
    brief = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", brief)
    assert "王伟" in brief and "Active accounts" in brief
    for other in OTHERS:
        assert other not in brief


def test_a_manager_with_no_accounts_sees_none(portfolio):
    zhang = User("zhangmin", "张敏", "manager", "M3")
    for page in DASHBOARD:
        at = start(page, user=zhang, as_of="2026-06-30")
        assert not at.exception, page
        shown = everything(at)
        for other in ["K1", "K2", "K3", "K4", "K5", "甲公司", "乙公司", "丙公司", "王伟", "李娜", "M1", "M2"]:
            assert other not in shown, f"{other} shown to a manager with no accounts on {page}"
    at = start("overview", user=zhang, as_of="2026-06-30")
    assert cards(at)["Active accounts"] == "0"
    assert at.session_state["scope"].allowed_accounts == frozenset()


def test_a_managers_company_totals_are_their_own(portfolio):
    at = start("overview", user=WANG, as_of="2026-06-30")
    shown = cards(at)
    with db.connect(portfolio) as con:
        own = headline_figures(con, WANGS_SCOPE)
    # K1 and K2 are active at D; K6 is created later. Revenue this year: K1 3,000, K2 1,000.
    assert shown["Active accounts"] == str(own["active_accounts"]["total"]) == "2"
    assert shown["Revenue"] == "¥4,000" and own["revenue"]["period"] == 4000
    assert shown["Visit coverage"] == "100.0%"
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
    assert cards(at)["Active accounts"] == "2"
    # The manager's id as it is, and a region of theirs only.
    at = start("overview", user=WANG, as_of="2026-06-30", manager="M2", region="华南")
    assert at.sidebar.multiselect(key="manager").value == []
    assert cards(at)["Active accounts"] == "2"
    for account in ("K5", "戊公司", "丙"):
        at = start("account", user=WANG, as_of="2026-06-30", account=account)
        assert not at.exception
        assert not at.main.selectbox
        assert any(f"No account matches “{account}”" in info.value for info in at.info)
        # Only what was typed comes back (in the search box and the message), nothing of the account.
        for other in set(OTHERS) - {account}:
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


def test_the_server_keeps_xsrf_and_cors_on_and_the_upload_limit_of_the_settings():
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True
    assert server["maxUploadSize"] == config.Settings().upload_max_mb == 200


def test_no_page_renders_raw_html():
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "kam").rglob("*.py")]
    raw = re.compile(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.v1")
    found = {path.relative_to(ROOT).as_posix(): raw.findall(path.read_text(encoding="utf-8")) for path in sources}
    # Allowed: two script elements of the sign-in, each string in them JSON-encoded with "<" escaped
    # (kam/ui/signin.py: _go, the move to the cookie route; keep_link, the address kept for a single
    # sign-on), the file uploader's style, its texts the catalog's as CSS strings (kam/ui/widgets.py
    # file_uploader), every page's style, of no text (kam/ui/widgets.py page_style), the script that puts the
    # reader's words in the place of Streamlit's own, its texts the catalog's and its selectors the code's,
    # JSON-encoded with "<" escaped (kam/ui/widgets.py streamlit_words), and the script that scrolls a
    # confirmation or a refused form's first message in red into view, its one string a selector of the code's (a
    # container's key, the messages' test id), JSON-encoded with "<" escaped (kam/ui/widgets.py _scroll_to). No
    # text from exports or users ever becomes markup.
    assert {path: hits for path, hits in found.items() if hits} == {
        "kam/ui/signin.py": ["st.html(", "st.html("],
        "kam/ui/widgets.py": ["st.html(", "st.html(", "st.html(", "st.html("],
    }
