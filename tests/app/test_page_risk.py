"""The risk, retention and credit pages and the account view's health, on the hand-worked fixture of test_risk.

张敏 (M3) manages H5, H6, H7, H70, H699, H40 and H399; 王伟 (M1) and 李娜 (M2) the R accounts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kam.people.users import User
from kam.ui.language import CHOSEN
from tests.app.test_tables import shown as shown_table
from tests.apptest import app, cards, start
from tests.conftest import started
from tests.unit.test_risk import EXPORTS

ZHANG = User("zhangmin", "张敏", "manager", "M3")
OWN = {"H5", "H6", "H7", "H70", "H699", "H40", "H399"}
OTHERS = ["R1", "R2", "R3", "R4", "R5", "R6", "王伟", "李娜", "M1", "M2"]


@pytest.fixture
def risky(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A deployment whose bundled exports are the receivables, retention and health cases."""
    yield from started(tmp_path, monkeypatch, EXPORTS)


def texts(at) -> str:
    return "\n".join(
        [frame.value.to_csv() for frame in at.dataframe]
        + [m.label + m.value for m in at.metric]
        + [e.value for e in (*at.markdown, *at.header, *at.caption)]
    )


@pytest.mark.parametrize("page", ["risk", "retention", "credit"])
def test_a_manager_sees_only_their_own_accounts_on_the_risk_pages(risky, page):
    at = start(page, user=ZHANG, as_of="2026-06-30")
    assert not at.exception
    assert [e.value for e in at.error] == []
    assert at.session_state["scope"].allowed_accounts == frozenset(OWN)
    shown = texts(at)
    for other in OTHERS:
        assert other not in shown, f"{other} shown on {page}"


def test_the_risk_page_ranks_the_managers_at_risk_and_watch_accounts(risky, offered_files):
    at = start("risk", user=ZHANG, as_of="2026-06-30")
    # Scores of test_risk: H399 39.9 (at risk), H40 40.0, H7 59.09, H5 61.67, H699 69.9 (watch);
    # H70 (70.0) and H6 are healthy.
    listed = at.dataframe[0].value
    assert listed[["account_id", "score_shown", "band", "weakest"]].values.tolist() == [
        ["三九九 (H399)", 39.9, "At risk", "Visits on schedule"],
        ["四十 (H40)", 40.0, "Watch", "Visits on schedule"],
        ["七七 (H7)", 59.0, "Watch", "Credit in order"],
        ["五五 (H5)", 61.6, "Watch", "Satisfaction"],
        ["六九九 (H699)", 69.9, "Watch", "Revenue kept"],
    ]
    shown = cards(at)
    assert (shown["At risk"], shown["Watch"], shown["Healthy"]) == ("1", "4", "2")
    # The score the list is sorted by comes right after the account, where a phone shows it without scrolling.
    assert shown_table(at.dataframe[0])[0][:4] == ["Account", "Health score", "Health", "Weakest signal"]
    # Health at the end of 06-30, whatever the period (the year to date): every table named by that day.
    assert sorted(offered_files.values()) == [
        "at-risk-accounts_at-2026-06-30_own-accounts.csv",
        "health-by-manager_at-2026-06-30_own-accounts.csv",
        "health-by-region_at-2026-06-30_own-accounts.csv",
        "health-by-tier_at-2026-06-30_own-accounts.csv",
    ]


def test_the_account_view_shows_the_hand_computed_health_score(risky):
    at = start("account", user=ZHANG, as_of="2026-06-30", account="H5")
    assert not at.exception
    shown = cards(at)
    # H5 (B, cadence 90): last visit 03-02, 120 days: visits 1 - 30/90 = 2/3; revenue 1600 against 1000: 1;
    # a complaint in the window, breached but resolved: 0.5; latest surveys 4 and 2 on 06-01: (2-1)/4;
    # 100 overdue 10 days: 0.5. 25 x 2/3 + 25 + 15 x 0.5 + 20 x 0.25 + 15 x 0.5 = 61.67, shown 61.6.
    assert shown["Health score"] == "61.6"
    assert shown["Outstanding"] == "¥100"
    assert shown["Overdue"] == "¥100"
    # The cards in the short form, the exact amount in their explanation.
    helps = {m.label: m.help for m in at.metric}
    assert helps["Outstanding"] == "¥100 in all"
    assert helps["Overdue"] == "¥100 in all · Most days overdue: 10"
    signals = next(f.value for f in at.dataframe if "signal" in f.value.columns)
    # 2 / 3 held as shown (66.7%), the others exact.
    assert signals["signal_value"].tolist() == [0.667, 1.0, 0.5, 0.25, 0.5]


@pytest.mark.parametrize(
    ("language", "names", "header"),
    [
        (
            "en",
            ["Visits on schedule", "Revenue kept", "Complaints clear", "Satisfaction", "Credit in order"],
            ["Signal", "Signal value", "Weight", "Points lost"],
        ),
        ("zh-CN", ["按期拜访", "销售额保持", "无投诉", "满意度", "信用良好"], ["信号", "信号值", "权重", "扣分"]),
    ],
)
def test_the_five_signals_are_named_for_what_a_high_value_means(risky, language, names, header):
    # Each signal is 0-1 with 1 the best: H5's revenue (1600 against 1000) reads "Revenue kept 100.0%", not "lapsing".
    at = app("account", user=ZHANG, as_of="2026-06-30", account="H5")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    frame = next(f for f in at.dataframe if "signal" in f.value.columns)
    headers, rows = shown_table(frame)
    assert headers == header
    # H5's signals (the account view's test above): visits 2/3, revenue 1, complaints 0.5, satisfaction and credit
    # 0.25 and 0.5, each beside its name.
    assert [row[0] for row in rows] == names
    assert frame.value["signal_value"].tolist() == [0.667, 1.0, 0.5, 0.25, 0.5]


@pytest.mark.parametrize(("language", "label"), [("en", "Manager (M3)"), ("zh-CN", "客户经理 (M3)")])
def test_the_account_views_manager_card_holds_the_name_alone_the_id_in_its_label(risky, language, label):
    # "吴晓东 (M07)" in the card's large type did not fit a quarter of a laptop's page: it read "吴晓东 (…".
    at = app("account", user=ZHANG, as_of="2026-06-30", account="H5")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    assert cards(at)[label] == "张敏"


def test_the_table_of_health_by_manager_lists_the_managers_in_the_charts_order(risky):
    # Mean health scores (test_risk): 张敏 (M3) (39.9 + 40 + 59.09 + 61.67 + 69.9 + 70 + 100) / 7 = 62.94; 李娜 (M2)
    # R3 50 and R4 30 / 55 = 54.55: 52.27; 王伟 (M1) R1 50 and R2 15 / 55 = 27.27: 38.64. Highest first, as the
    # caption says, from the chart's top and down the table.
    at = start("risk", as_of="2026-06-30")
    assert not at.exception
    assert "Managers with active accounts: all 3, by mean score." in [c.value for c in at.caption]
    table = next(f.value for f in at.dataframe if list(f.value.columns[:1]) == ["manager_id"])
    m3 = (39.9 + 40 + 100 * 32.5 / 55 + 100 * (25 * 2 / 3 + 45) / 100 + 69.9 + 70 + 100) / 7
    assert table["manager_id"].tolist() == ["张敏 (M3)", "李娜 (M2)", "王伟 (M1)"]
    assert table["mean_score"].tolist() == pytest.approx([m3, (50 + 3000 / 55) / 2, (50 + 1500 / 55) / 2])
    chart = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "health-by-manager" in c.proto.id)
    # Plotly lists a horizontal chart's rows from the bottom.
    assert chart["layout"]["yaxis"]["categoryarray"][::-1] == table["manager_id"].tolist()
